/**
 * No import cycles (type imports and re-exports included, which ESLint's import-x/no-cycle skips), between files or between folders (a folder of lib/, components/ or providers/
 * per service, every other top-level folder as one): each room imports only rooms below it
 * (docs/architecture.md). Imports are read from the sources (relative `import`/`require`).
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const ROOMS = ["lib", "components", "providers", "plan-engine", "cli", "policy", "bench", "bootstrap"];

function sources(): string[] {
  const out = ["index.ts", "stack.ts", "project-files.ts"].map((f) => path.join(ROOT, f));
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules") walk(p);
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(p);
    }
  };
  for (const r of ROOMS) walk(path.join(ROOT, r));
  return out;
}

/** The folder a file counts in: lib/<x>, components/<x>, providers/<x>, else its top-level folder (or itself). */
export function folderOf(file: string): string {
  const parts = path.relative(ROOT, file).split(path.sep);
  if (["lib", "components", "providers"].includes(parts[0]) && parts.length > 2) return parts.slice(0, 2).join("/");
  return parts.length === 1 ? parts[0] : parts[0];
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import|require\()\s*["'](\.[^"']+)["']/g)) {
    const t = path.normalize(path.join(path.dirname(file), m[1]));
    const found = [`${t}.ts`, path.join(t, "index.ts")].find((c) => fs.existsSync(c));
    if (found) out.push(found);
  }
  return out;
}

/** Strongly connected components with more than one member (Tarjan). */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe("import cycles", () => {
  const files = new Map<string, Set<string>>();
  const folders = new Map<string, Set<string>>();
  for (const f of sources()) {
    files.set(f, new Set(imports(f)));
    for (const t of files.get(f)!) {
      const [a, b] = [folderOf(f), folderOf(t)];
      if (a !== b) folders.set(a, new Set([...(folders.get(a) ?? []), b]));
    }
  }
  it("none between files", () => {
    expect(cycles(files).map((c) => c.map((f) => path.relative(ROOT, f)))).toEqual([]);
  });
  it("none between folders", () => {
    expect(cycles(folders)).toEqual([]);
  });
  it("finds a cycle when there is one (the check is live)", () => {
    expect(
      cycles(
        new Map([
          ["a", new Set(["b"])],
          ["b", new Set(["c"])],
          ["c", new Set(["a"])],
          ["d", new Set(["a"])],
        ]),
      ),
    ).toEqual([["a", "b", "c"]]);
  });
});
