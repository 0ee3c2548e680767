/**
 * The project's files on disk: stack settings, the source schema snapshot, the SQL under
 * `sql/`. With stack.ts, providers/ and cli/, the only place that touches the file system;
 * lib/ receives what is read here as values.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigInput } from "./lib/config/load";
import { loadConfig } from "./lib/stack/load";
import { parseStackFile, StackFileError } from "./lib/config/stack-file";
import { PROJECT, Stage, StackConfig } from "./lib/config/types";
import { LayerSqlFiles } from "./lib/dataworks/layer-sql";
import { GeneratedSqlFile } from "./lib/realtime/merge-sql";
import { parseSchemaSnapshot, SourceSchema } from "./lib/config/source-schema";
import { LedgerFile, parseTableLedger } from "./lib/maxcompute/table-ledger";
import { usePrecompiledValidators } from "./lib/schema-validator";
import { parsePriceFile, PriceFile, renderPriceFile } from "./lib/cost/price-file";

/** The project root: this file's folder, or its parent for the compiled copy in `bin/` (scripts/build.js). */
export const PROJECT_ROOT = fs.existsSync(path.join(__dirname, "Pulumi.yaml")) ? __dirname : path.dirname(__dirname);

// The compiled commands carry ajv validators generated ahead of time (bin/generated, by
// scripts/build.js); each is used only while it matches its schema (lib/schema-validator.ts).
const GENERATED_VALIDATORS = path.join(__dirname, "generated", "validators.js");
if (__dirname !== PROJECT_ROOT && fs.existsSync(GENERATED_VALIDATORS)) usePrecompiledValidators(require(GENERATED_VALIDATORS));

/** `Pulumi.<stack>.yaml` in the project root. */
export function stackFilePath(stack: string, root: string = PROJECT_ROOT): string {
  return path.join(root, `Pulumi.${stack}.yaml`);
}

/** Reads `Pulumi.<stack>.yaml` (or any settings file) without decrypting anything. */
export function readStackFile(file: string): ConfigInput {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new StackFileError(`${file}: cannot read the stack settings file (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  return parseStackFile(text, file);
}

/** Reads the stack's settings (or `configFile`), with the stage replaced when `stage` is given (as `pulumi config set` would). */
export function stackConfig(stack: string, configFile?: string, stage?: Stage, root?: string): ConfigInput {
  const input = readStackFile(configFile ?? stackFilePath(stack, root));
  if (stage === undefined) return input;
  return { ...input, values: { ...input.values, [`${PROJECT}:stage`]: stage } };
}

/** Reads a schema snapshot file (absolute, or relative to `root`). Throws naming the file. */
export function readSchemaSnapshot(file: string, root: string = PROJECT_ROOT): SourceSchema {
  const full = path.resolve(root, file);
  let text: string;
  try {
    text = fs.readFileSync(full, "utf8");
  } catch (e) {
    throw new Error(
      `source schema snapshot ${full} cannot be read (${(e as NodeJS.ErrnoException).code ?? e}); write it with "npm run ddl -- --url mysql://user@host:3306/<database> --out sql/"`,
    );
  }
  return parseSchemaSnapshot(text, full);
}

/** The snapshot reader `loadConfig` takes: paths relative to `root`. */
export function snapshotReader(root: string = PROJECT_ROOT): (file: string) => SourceSchema {
  return (file) => readSchemaSnapshot(file, root);
}

/** Validates a stack's settings, reading its schema snapshot relative to `root`. */
export function loadStackConfig(input: ConfigInput, root: string = PROJECT_ROOT): StackConfig {
  return loadConfig(input, snapshotReader(root));
}

/** Every `.sql` file under `dir`, path relative to it (with `/`), sorted. */
export function readSqlFiles(dir: string): GeneratedSqlFile[] {
  const out: GeneratedSqlFile[] = [];
  const walk = (sub: string): void => {
    const abs = path.join(dir, sub);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith(".sql")) out.push({ path: rel, content: fs.readFileSync(path.join(dir, rel), "utf8") });
    }
  };
  walk("");
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Where the MaxCompute SQL lives. */
export const MAXCOMPUTE_SQL_DIR = path.join(PROJECT_ROOT, "sql", "maxcompute");
/** Where the realtime layer's generated SQL lives. */
export const REALTIME_SQL_DIR = path.join(MAXCOMPUTE_SQL_DIR, "realtime");

/** The layer SQL files the DataWorks nodes run (`ads/`, `hourly-agg/`), by path under `sql/maxcompute`. */
export function readLayerSqlFiles(dir: string = MAXCOMPUTE_SQL_DIR): LayerSqlFiles {
  const files: Record<string, string> = {};
  for (const sub of ["ads", "hourly-agg"]) {
    for (const f of readSqlFiles(path.join(dir, sub))) files[`${sub}/${f.path}`] = f.content;
  }
  return files;
}

/** Replaces the `.sql` files under `dir` with `files`. */
export function replaceSqlFiles(files: readonly GeneratedSqlFile[], dir: string): void {
  for (const old of readSqlFiles(dir)) fs.unlinkSync(path.join(dir, old.path));
  writeFiles(dir, files);
}

/** Writes generated files (`path` relative to `outDir`). */
export function writeFiles(outDir: string, files: readonly { path: string; content: string }[]): void {
  for (const f of files) {
    const full = path.join(outDir, f.path);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, f.content);
  }
}

/** The files (relative to `outDir`) whose content on disk differs from `files`, or that are missing. */
export function staleFiles(outDir: string, files: readonly { path: string; content: string }[]): string[] {
  return files
    .filter((f) => {
      const full = path.join(outDir, f.path);
      return !fs.existsSync(full) || fs.readFileSync(full, "utf8") !== f.content;
    })
    .map((f) => f.path);
}

/**
 * The ODS table ledger (`warehouse.tableLedgerFile`, absolute or relative to `root`; by default
 * `sql/maxcompute/ods/<database>.ledger.json`; lib/maxcompute/table-ledger.ts), with its path for
 * messages. A missing file is an empty ledger: the check then names every table with the entry to write.
 */
export function readTableLedger(file: string, database: string, root: string = PROJECT_ROOT): LedgerFile {
  const full = path.resolve(root, file);
  if (!fs.existsSync(full)) return { ledger: { database, tables: {} }, file };
  return { ledger: parseTableLedger(fs.readFileSync(full, "utf8"), file), file };
}

/** Where the price file of a region lives: `prices/<region>.json` (written by `npm run prices -- --refresh`, read by the plan). */
export function priceFilePath(region: string, root: string = PROJECT_ROOT): string {
  return path.join(root, "prices", `${region}.json`);
}

/**
 * The price file of `region`, or undefined when there is none (the plan then prices from
 * lib/cost/prices.ts). Throws PriceFileError when the file exists but cannot be used.
 */
export function readPriceFile(region: string | undefined, root: string = PROJECT_ROOT): PriceFile | undefined {
  if (!region) return undefined;
  const file = priceFilePath(region, root);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  return parsePriceFile(text, path.relative(root, file));
}

/** Writes a price file to `prices/<region>.json`; returns the path written, relative to `root`. */
export function writePriceFile(f: PriceFile, root: string = PROJECT_ROOT): string {
  const file = priceFilePath(f.region, root);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderPriceFile(f));
  return path.relative(root, file);
}
