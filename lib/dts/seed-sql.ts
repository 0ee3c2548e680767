/**
 * The committed SQL files of the realtime layer (`sql/maxcompute/realtime/`):
 * what they hold for the seed's defaults, and reading/writing them. Pure: project-files.ts
 * reads and writes the files.
 */
import { TableConfig } from "../config/types";
import { DEFAULT_TABLES } from "../config/stage-catalog";
import { SourceSchema, findTable } from "../config/source-schema";
import { RealtimeSqlResult, dtsTableNames, generateRealtimeSql, metricTables } from "./merge-sql";
import { RealtimeTableSpec } from "../realtime/merge-sql";
import { compactionSql, reenableSql } from "./compaction-sql";

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

/**
 * The files as generated for the seed's defaults from a snapshot (project-files.ts reads it): the
 * views, metrics and apply.sql, plus `compaction/<table>_compacted.sql` per table (the daily
 * compaction node's script, parameters in compaction-sql.ts) and `reenable.sql`.
 */
export function seedRealtimeSql(schema: SourceSchema): RealtimeSqlResult {
  const specs = seedRealtimeSpecs(schema);
  const label = `sql/mysql/${schema.database}.schema.json`;
  const generated = generateRealtimeSql(schema, specs, {}, label);
  const sorted = [...specs].sort((a, b) => a.name.localeCompare(b.name));
  const compaction = sorted.map((t) => ({ path: `compaction/${dtsTableNames(t.name).compacted}.sql`, content: compactionSql(schema, t, {}, label) }));
  const reenable = { path: "reenable.sql", content: reenableSql(sorted.map((t) => t.name)) };
  return { ...generated, files: [...generated.files, ...compaction, reenable] };
}
