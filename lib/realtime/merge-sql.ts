/**
 * The realtime layer's merge, shared by every engine that lands a baseline and a change log in
 * MaxCompute (DTS: lib/dts/merge-sql.ts; Canal: lib/canal/merge-sql.ts): the spec checks, the
 * compacted table, the ranked images and the current-rows view, written once with the engine's
 * columns as parameters (`SpecRules`, `MergeColumns`, `MergeTables`). Pure: no Pulumi.
 *
 * Every identifier that comes from the source is back-quoted, so a test can check each one
 * against the table spec; aliases the generator adds are bare.
 */
import { SourceSchema, SourceTable, findTable } from "../config/source-schema";
import { mcIdent, odsTable } from "../maxcompute/ods-tables";

/** What the generator needs to know about one realtime table. */
export interface RealtimeTableSpec {
  readonly name: string;
  /** Primary key columns (DTS needs one; the merge partitions by it). */
  readonly primaryKey: readonly string[];
  /**
   * Column bumped on every insert/update (checked to exist). The merge does not rank by it:
   * within one job `record_id` orders every change, and a new job starts on fresh tables.
   */
  readonly incrementalColumn?: string;
}

/** `ds` of the empty-image partition the prelude writes, so `MAX_PT` always has a partition to return. */
export const SEED_DS = "00000000";
/** The day of the newest image in the compacted table `compacted`, yyyymmdd (0 for the seed partition): any engine. */
export function newestImageDaySql(compacted: string): string {
  return `CAST(MAX_PT('${compacted}') AS BIGINT)`;
}

function sourceTableOf(schema: SourceSchema, spec: RealtimeTableSpec): SourceTable {
  const src = findTable(schema, spec.name);
  if (!src) {
    throw new Error(
      `realtime table "${spec.name}" is not a table of source database "${schema.database}"; tables: ${schema.tables.map((t) => t.name).join(", ")}`,
    );
  }
  return src;
}

/** What an engine's merge requires of a source table ({@link checkedSourceTable}). */
export interface SpecRules {
  /** What else needs the primary key on this engine, for the "no primary key" message. */
  readonly primaryKeyAlsoFor: string;
  /** Whether a spec's `incrementalColumn` is checked to be a column. */
  readonly checkIncrementalColumn: boolean;
  /** The column names the engine's tables and SQL add: no source column may use one. */
  readonly reserved: readonly string[];
  /** Who adds them, for the message "clash with <reservedBy> (<reserved>)<clashHint>". */
  readonly reservedBy: string;
  /** Appended to the clash message (a way out). @default "" */
  readonly clashHint?: string;
}

/** Checks a spec against the source table for any engine; throws naming the table, the value and what is allowed. */
export function checkSpecColumns(spec: RealtimeTableSpec, src: SourceTable, rules: SpecRules): void {
  const cols = src.columns.map((c) => c.name);
  if (spec.primaryKey.length === 0) {
    throw new Error(
      `realtime table "${spec.name}": no primary key; the <table>_realtime merge needs one (and ${rules.primaryKeyAlsoFor}): add a PRIMARY KEY in MySQL or set tables[].primaryKey`,
    );
  }
  for (const k of spec.primaryKey) {
    if (!cols.includes(k)) throw new Error(`realtime table "${spec.name}": primary key column "${k}" is not a column; columns: ${cols.join(", ")}`);
  }
  if (rules.checkIncrementalColumn && spec.incrementalColumn !== undefined && !cols.includes(spec.incrementalColumn)) {
    throw new Error(`realtime table "${spec.name}": incrementalColumn "${spec.incrementalColumn}" is not a column; columns: ${cols.join(", ")}`);
  }
  const clash = cols.filter((c) => rules.reserved.includes(c));
  if (clash.length > 0) {
    throw new Error(
      `realtime table "${spec.name}": column(s) ${clash.join(", ")} clash with ${rules.reservedBy} (${rules.reserved.join(", ")})${rules.clashHint ?? ""}`,
    );
  }
}

/** The source table of a spec, checked against `rules` (any engine). */
export function checkedSourceTable(schema: SourceSchema, spec: RealtimeTableSpec, rules: SpecRules): SourceTable {
  const src = sourceTableOf(schema, spec);
  checkSpecColumns(spec, src, rules);
  return src;
}

/**
 * The views read every partition of an engine's log table (DTS: partitioned by modifytime_*):
 * MaxCompute rejects a full scan of a partitioned table unless the session allows it.
 */
export const FULL_SCAN = "SET odps.sql.allow.fullscan=true;\n";

/** Typed source columns (the DDL generator's MySQL -> MaxCompute mapping; names lower case). */
export function typedColumns(src: SourceTable): { name: string; type: string }[] {
  return odsTable(src, "daily", 1).columns.map((c) => ({ name: c.name, type: c.type }));
}

/** The tables an engine's merge reads per realtime table (`dtsTableNames`; Canal's `canalRealtimeNames`). */
export interface MergeTables {
  readonly base: string;
  readonly log: string;
  readonly compacted: string;
}

/**
 * The columns an engine's merge adds to the source columns of every image, in the order
 * `<table>_compacted` stores them: `order` (BIGINT; 0 in a baseline row, -1 in the seed's
 * tombstone), then `afterFlag` ('Y'; 'N' for a delete's tombstone). Images rank per key by
 * `rankBy`, each descending, as `rank` (1 = newest).
 */
export interface MergeColumns {
  readonly order: readonly string[];
  readonly afterFlag: string;
  readonly rankBy: readonly string[];
  readonly rank: string;
}

/**
 * `CREATE TABLE IF NOT EXISTS` of an engine's compacted table (the source columns plus the merge
 * columns, partitioned by `ds`; no LIFECYCLE) and its seed partition (one tombstone that no reader keeps).
 */
export function compactedTableDdl(src: SourceTable, names: MergeTables, merge: MergeColumns): string {
  const typed = typedColumns(src).map((c) => `  ${mcIdent(c.name)} ${c.type}`);
  return (
    `CREATE TABLE IF NOT EXISTS ${mcIdent(names.compacted)} (\n` +
    [...typed, ...merge.order.map((c) => `  ${c} BIGINT`), `  ${merge.afterFlag} STRING`].join(",\n") +
    `\n)\nCOMMENT '${names.compacted}: daily compacted image of ${names.base} + ${names.log} (latest image per key, deletes kept as tombstones)'\n` +
    `PARTITIONED BY (ds STRING);\n` +
    `INSERT OVERWRITE TABLE ${mcIdent(names.compacted)} PARTITION (ds = '${SEED_DS}')\n` +
    `SELECT ${src.columns.map(() => "NULL").join(", ")}, ${[...merge.order.map(() => "CAST(-1 AS BIGINT)"), "'N'"].join(", ")};\n`
  );
}

/**
 * Every image a reader merges on any engine, newest first per key (`merge.rank` 1): the newest
 * compacted image, the engine's log images (`logImages`: the lines of a SELECT giving the merge
 * columns and then `cols`, from the log partitions of that image's day on), and the baseline
 * (order 0). Deletes are kept: the caller filters `afterFlag = 'Y'` for current rows.
 */
export function rankedImagesFrom(
  spec: RealtimeTableSpec,
  cols: readonly string[],
  names: MergeTables,
  merge: MergeColumns,
  logImages: readonly string[],
  indent = "",
): string {
  const colList = cols.join(", ");
  const lines = [
    `SELECT merged.*,`,
    `  ROW_NUMBER() OVER (PARTITION BY ${spec.primaryKey.map(mcIdent).join(", ")} ORDER BY ${merge.rankBy.map((c) => `${c} DESC`).join(", ")}) AS ${merge.rank}`,
    `FROM (`,
    `  SELECT ${[...merge.order, merge.afterFlag].join(", ")}, ${colList}`,
    `  FROM ${mcIdent(names.compacted)}`,
    `  WHERE ds = MAX_PT('${names.compacted}') AND ${merge.order[0]} >= 0`,
    `  UNION ALL`,
    ...logImages.map((l) => `  ${l}`),
    `  UNION ALL`,
    `  SELECT ${[...merge.order.map((c) => `CAST(0 AS BIGINT) AS ${c}`), `'Y' AS ${merge.afterFlag}`].join(", ")}, ${colList}`,
    `  FROM ${mcIdent(names.base)}`,
    `) merged`,
  ];
  return lines.map((l) => indent + l).join("\n") + "\n";
}

/** `CREATE OR REPLACE VIEW` of the current rows (`cols`) over ranked images ({@link rankedImagesFrom}, indented). */
export function currentRowsViewSql(view: string, cols: readonly string[], merge: MergeColumns, ranked: string): string {
  return (
    `CREATE OR REPLACE VIEW ${mcIdent(view)} AS\n` +
    `SELECT ${cols.join(", ")}\n` +
    `FROM (\n` +
    ranked +
    `) ranked\n` +
    `WHERE ${merge.rank} = 1 AND ${merge.afterFlag} = 'Y';\n`
  );
}

/** One generated file, path relative to `sql/maxcompute/realtime/`. */
export interface GeneratedSqlFile {
  readonly path: string;
  readonly content: string;
}
