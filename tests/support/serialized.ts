/** Loads a serialized dynamic provider the way Pulumi's dynamic-provider host does. */
import Module from "module";
import * as path from "path";

interface ModuleInternals {
  filename: string;
  paths: string[];
  exports: Record<string, () => unknown>;
  _compile(code: string, filename: string): void;
}
const ModuleCtor = Module as unknown as { new (id: string): ModuleInternals; _nodeModulePaths(dir: string): string[] };

/** The process a loaded provider sees (Jest gives tests a `process` of their own; the provider host has the real one). */
export function hostProcess(): NodeJS.Process {
  const filename = path.join(process.cwd(), "__host_process__.js");
  const m = new ModuleCtor(filename);
  m._compile("module.exports = process;", filename);
  return m.exports as unknown as NodeJS.Process;
}

/** Compiles `text` (`serializeFunction`'s output) as a module of the project, modules resolved from it, and calls its export. */
export function loadSerialized<T>(sf: { text: string; exportName: string }, name = "__serialized_provider__.js"): T {
  const filename = path.join(process.cwd(), name);
  const m = new ModuleCtor(filename);
  m.filename = filename;
  m.paths = ModuleCtor._nodeModulePaths(process.cwd());
  m._compile(sf.text, filename);
  return m.exports[sf.exportName]() as T;
}
