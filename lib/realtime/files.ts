/**
 * The committed SQL files of the realtime layer (`sql/maxcompute/realtime/`):
 * what they hold for the seed's defaults, and reading/writing them. Pure logic
 * plus file I/O; no Pulumi.
 */
import * as fs from "fs";
import * as path from "path";
import { TableConfig } from "../config/types";
import { DEFAULT_TABLES } from "../stages";
import { PROJECT_ROOT, readSchemaSnapshot, schemaSnapshotPath, SourceSchema, findTable } from "../source-schema";
import { GeneratedSqlFile, RealtimeSqlResult, RealtimeTableSpec, generateRealtimeSql, metricTables } from "./sql";

/** Where the generated files live. */
export const REALTIME_SQL_DIR = path.join(PROJECT_ROOT, "sql", "maxcompute", "realtime");

/** Generator specs from resolved tables (only the realtime ones). */
export function specsFromTables(tables: readonly TableConfig[]): RealtimeTableSpec[] {
  return tables.filter((t) => t.realtime).map((t) => ({ name: t.name, primaryKey: t.primaryKey, incrementalColumn: t.incrementalColumn }));
}

/**
 * Specs for the seed's default realtime set (the tables the seed's realtime
 * metrics read): primary keys from the snapshot, incremental columns from the
 * stage catalog's table defaults.
 */
export function seedRealtimeSpecs(schema: SourceSchema): RealtimeTableSpec[] {
  return metricTables().map((name) => {
    const src = findTable(schema, name);
    if (!src) throw new Error(`seed realtime table "${name}" is not in ${schema.database}'s schema snapshot`);
    return { name, primaryKey: src.primaryKey, incrementalColumn: DEFAULT_TABLES.find((t) => t.name === name)?.incrementalColumn };
  });
}

/** The files as generated for the seed's defaults from the committed snapshot. */
export function seedRealtimeSql(database = "photo_assistant"): RealtimeSqlResult {
  const schema = readSchemaSnapshot(schemaSnapshotPath(database));
  return generateRealtimeSql(schema, seedRealtimeSpecs(schema));
}

/** Every `.sql` file under `dir`, path relative to it, sorted. */
export function readSqlFiles(dir: string = REALTIME_SQL_DIR): GeneratedSqlFile[] {
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

/** Replaces the `.sql` files under `dir` with `files`. */
export function writeSqlFiles(files: readonly GeneratedSqlFile[], dir: string = REALTIME_SQL_DIR): void {
  for (const old of readSqlFiles(dir)) fs.unlinkSync(path.join(dir, old.path));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, f.path), f.content);
  }
}
