/**
 * MaxCompute SQL of the realtime layer on the `canal-datahub` engine: the `<table>_realtime` view
 * and the daily compaction, over Canal's flat JSON messages. The one place where the Canal record
 * format differs from DTS's; the shapes (view node, compacted image with tombstones, `MAX_PT`
 * watermark, compaction options and node plan, snapshot) are lib/dts/merge-sql.ts and
 * lib/dts/compaction-sql.ts. Pure: no Pulumi, no I/O.
 *
 * What the connector writes: `<table>_canal_log` (lib/datahub/realtime-topics.ts), one column
 * `canal_message` holding Canal's flat message, partitions `ds/hh/mm` (one per 15 minutes).
 * The message (alibaba/canal protocol/src/main/java/com/alibaba/otter/canal/protocol/FlatMessage.java
 * @ 03ee9c7ecf8120b5fe8d47ed2c0b3b64dc376e01, `messageConverter`): one message per binlog row event,
 * `type` INSERT/UPDATE/DELETE (others carry no `data`), `es` the event's execute time in ms (the
 * binlog header: whole seconds), `id` the Canal batch id (`new FlatMessage(message.getId())`:
 * every message of one batch shares it), `data` the rows (after image; the before image for a
 * DELETE), every value a string or null.
 *
 * Unpacking (MaxCompute built-ins): `GET_JSON_OBJECT(json, '$.type')` (help.aliyun.com/document_detail/455461.html),
 * `FROM_JSON(json, 'array<map<string,string>>')` (FROM_JSON returns ARRAY/MAP/STRUCT values from a
 * JSON string and a schema: MaxCompute release note "MaxCompute SQL Supports the FROM_JSON and
 * TO_JSON Functions", 2021-03-16), `LATERAL VIEW POSEXPLODE(array)` (zero-based position and
 * element: alibabacloud.com/help/en/maxcompute/posexplode); each column is `CAST(row['col'] AS
 * <type>)` with the DDL generator's MySQL -> MaxCompute type (lib/maxcompute/type-mapping.ts).
 *
 * Order per primary key: `es`, then `id`, then the row's position in `data`. Binlog time has one
 * second resolution, so `id` orders changes of one second that Canal sent in different batches.
 * Two row events on the same key in the same second AND the same batch share `es` and `id`; they
 * cannot be ordered from the message (a known limit, docs/realtime-canal-datahub.md).
 *
 * Baseline (Canal has no initial snapshot): `<table>_canal_base`, the source columns, loaded ONCE
 * by a full DataWorks offline sync of the table, started after Canal runs (so every change after
 * the snapshot is in the log). Baseline rows rank lowest (`es` 0), as DTS's `_base` does: a key's
 * latest change, if any, is its state; a key with no change since Canal started is its baseline
 * row. Changes already in the snapshot only rewrite the row with the same values.
 */
import { SourceSchema, SourceTable } from "../config/source-schema";
import {
  MergeColumns,
  RealtimeTableSpec,
  SpecRules,
  checkedSourceTable,
  compactedTableDdl,
  currentRowsViewSql,
  newestImageDaySql,
  rankedImagesFrom,
  typedColumns,
} from "../realtime/merge-sql";
import { CompactionNodePlan, CompactionOptions, assertCompactionOptions, compactedImageSql, compactionNodePlans } from "../dts/compaction-sql";
import { CANAL_MESSAGE_FIELD, SINK_TIME_RANGE_MINUTES, canalTableNames } from "../datahub/realtime-topics";
import { realtimeTableName } from "../config/realtime";
import { mcIdent } from "../maxcompute/ods-tables";

/** Names of the MaxCompute objects of one realtime table on this engine. */
export function canalRealtimeNames(table: string): { log: string; base: string; compacted: string; view: string } {
  return { log: canalTableNames(table).sinkTable, base: `${table}_canal_base`, compacted: `${table}_canal_compacted`, view: realtimeTableName(table) };
}

/** Columns the generated SQL adds (a source column must not use one). */
export const CANAL_GENERATED_COLUMNS = [
  "canal_es",
  "canal_id",
  "canal_pos",
  "canal_after_flag",
  "canal_rank",
  "canal_rows",
  "canal_row",
  "merged",
  "ranked",
  "ds",
  "hh",
  "mm",
  CANAL_MESSAGE_FIELD,
] as const;

/** Log partitions per day: `ds/hh/mm`, one `mm` per {@link SINK_TIME_RANGE_MINUTES} minutes. */
export const CANAL_LOG_PARTITIONS_PER_DAY = (24 * 60) / SINK_TIME_RANGE_MINUTES;

const ROW = "canal_row";

/** Order per key: `es`, then the batch `id`, then the position in `data`; the delete flag does not rank. */
const CANAL_MERGE_COLUMNS: MergeColumns = {
  order: ["canal_es", "canal_id", "canal_pos"],
  afterFlag: "canal_after_flag",
  rankBy: ["canal_es", "canal_id", "canal_pos"],
  rank: "canal_rank",
};

const CANAL_SPEC_RULES: SpecRules = {
  primaryKeyAlsoFor: "canal.mq.partitionHash routes by it",
  checkIncrementalColumn: false,
  reserved: CANAL_GENERATED_COLUMNS,
  reservedBy: "the columns the Canal merge adds",
};

function checkedTable(schema: SourceSchema, spec: RealtimeTableSpec): SourceTable {
  return checkedSourceTable(schema, spec, CANAL_SPEC_RULES);
}

/** The source columns, back-quoted. */
const sourceColumns = (src: SourceTable): string[] => src.columns.map((c) => mcIdent(c.name));

/**
 * The value of `column` in an unpacked row, typed: Canal sends every value as a string, keyed by
 * the column's MySQL name as MySQL spells it (`sourceName`; map keys are case-sensitive), while
 * the MaxCompute column is the lower-cased name.
 */
function unpacked(column: { name: string; type: string }, sourceName: string): string {
  const v = `${ROW}['${sourceName}']`;
  return column.type === "STRING" ? `${v} AS ${mcIdent(column.name)}` : `CAST(${v} AS ${column.type}) AS ${mcIdent(column.name)}`;
}

/** A log partition's day as yyyymmdd (`ds` is `%Y%m%d`). */
export const CANAL_LOG_DAY_SQL = "CAST(ds AS BIGINT)";

/** The newest compacted image's day, yyyymmdd (0 for the seed partition). */
export function canalWatermarkSql(table: string): string {
  return newestImageDaySql(canalRealtimeNames(table).compacted);
}

/**
 * `CREATE TABLE IF NOT EXISTS` of the baseline (the source columns; empty until the one-time full
 * load) and of the compacted table (source columns + the order and delete flag, by `ds`), and the
 * compacted table's seed partition (one tombstone with es -1 that no reader keeps), so `MAX_PT`
 * always returns a partition. No LIFECYCLE: the compaction drops old images itself.
 */
export function canalTablesSql(schema: SourceSchema, spec: RealtimeTableSpec): string {
  const src = checkedTable(schema, spec);
  const names = canalRealtimeNames(spec.name);
  const typed = typedColumns(src).map((c) => `  ${mcIdent(c.name)} ${c.type}`);
  return (
    `CREATE TABLE IF NOT EXISTS ${mcIdent(names.base)} (\n${typed.join(",\n")}\n)\n` +
    `COMMENT '${names.base}: baseline of ${spec.name} for the Canal engine (one full load after Canal started; see docs/realtime-canal-datahub.md)';\n` +
    compactedTableDdl(src, names, CANAL_MERGE_COLUMNS)
  );
}

/**
 * Every image a reader merges, newest first per key (`canal_rank` 1): the newest compacted image,
 * the log's rows from that image's day on (one per element of `data`), and the baseline (es 0).
 * Tombstones (`canal_after_flag = 'N'`) are kept; the caller filters them for current rows.
 */
export function canalRankedImagesSql(schema: SourceSchema, spec: RealtimeTableSpec, indent = ""): string {
  const src = checkedTable(schema, spec);
  const names = canalRealtimeNames(spec.name);
  const cols = typedColumns(src).map((c) => mcIdent(c.name));
  return rankedImagesFrom(spec, cols, names, CANAL_MERGE_COLUMNS, canalLogImages(schema, spec), indent);
}

/** The merge columns of the Canal engine's images (order `canal_es`, `canal_id`, `canal_pos`; delete flag `canal_after_flag`). */
export const CANAL_MERGE: MergeColumns = CANAL_MERGE_COLUMNS;

/**
 * The lines of the SELECT of a table's Canal log images (one per element of `data`: the merge
 * columns, then the typed source columns), from the log partitions whose day (`CAST(ds AS BIGINT)`)
 * satisfies `window` (`(day) => predicate`). @default the newest compacted image's day and later
 */
export function canalLogImages(schema: SourceSchema, spec: RealtimeTableSpec, window?: (day: string) => string): string[] {
  const src = checkedTable(schema, spec);
  const names = canalRealtimeNames(spec.name);
  const typed = typedColumns(src);
  const m = mcIdent(CANAL_MESSAGE_FIELD);
  const days = window ? window(CANAL_LOG_DAY_SQL) : `${CANAL_LOG_DAY_SQL} >= ${canalWatermarkSql(spec.name)}`;
  return [
    `SELECT CAST(GET_JSON_OBJECT(${m}, '$.es') AS BIGINT) AS canal_es, CAST(GET_JSON_OBJECT(${m}, '$.id') AS BIGINT) AS canal_id, CAST(canal_pos AS BIGINT) AS canal_pos,`,
    `  CASE WHEN GET_JSON_OBJECT(${m}, '$.type') = 'DELETE' THEN 'N' ELSE 'Y' END AS canal_after_flag,`,
    `  ${typed.map((c, i) => unpacked(c, src.columns[i].name)).join(", ")}`,
    `FROM ${mcIdent(names.log)}`,
    `LATERAL VIEW POSEXPLODE(FROM_JSON(GET_JSON_OBJECT(${m}, '$.data'), 'array<map<string,string>>')) canal_rows AS canal_pos, ${ROW}`,
    `WHERE ${days} AND GET_JSON_OBJECT(${m}, '$.type') IN ('INSERT', 'UPDATE', 'DELETE')`,
  ];
}

const HEADER = (what: string, schemaLabel: string): string => `-- Generated by lib/canal/merge-sql.ts from ${schemaLabel}: do not edit by hand.\n-- ${what}\n`;

/** The script of the `<table>_realtime` view on this engine (the hourly view node runs it). */
export function canalMergeViewSql(schema: SourceSchema, spec: RealtimeTableSpec, schemaLabel = "the source schema snapshot"): string {
  const src = checkedTable(schema, spec);
  const names = canalRealtimeNames(spec.name);
  const what =
    `${names.view}: the current rows of ${schema.database}.${spec.name}, merged from the newest compacted image ${names.compacted},\n` +
    `-- the Canal messages in ${names.log} from that image's day on, and the baseline ${names.base}: the latest image per\n` +
    `-- primary key (${spec.primaryKey.join(", ")}) by es, then id, then position in data; keys whose latest change is a DELETE are left out.`;
  return (
    HEADER(what, schemaLabel) +
    canalTablesSql(schema, spec) +
    currentRowsViewSql(names.view, sourceColumns(src), CANAL_MERGE_COLUMNS, canalRankedImagesSql(schema, spec, "  "))
  );
}

/** The view script per realtime table (the realtime layer's `viewSql` on this engine). */
export function canalRealtimeViewSql(schema: SourceSchema, tables: readonly (RealtimeTableSpec & { readonly realtime: boolean })[]): Record<string, string> {
  return Object.fromEntries(tables.filter((t) => t.realtime).map((t) => [t.name, canalMergeViewSql(schema, t)]));
}

/**
 * The daily compaction of one table (parameters: lib/dts/compaction-sql.ts `compactionParameters`):
 * writes image `ds = ${bizdate}` (latest per key over the newest earlier image, the log from its
 * day on and the baseline; tombstones kept), then drops old images and log partitions of days on
 * or before `${log_cutoff}` (one condition on `ds`). Idempotent, like the DTS compaction.
 */
export function canalCompactionSql(
  schema: SourceSchema,
  spec: RealtimeTableSpec,
  options: CompactionOptions = {},
  schemaLabel = "the source schema snapshot",
): string {
  assertCompactionOptions(options);
  const src = checkedTable(schema, spec);
  const names = canalRealtimeNames(spec.name);
  return (
    HEADER(
      `${names.compacted} partition \${bizdate}: the latest image per key (${spec.primaryKey.join(", ")}) over the newest earlier image,\n` +
        `-- ${names.log} from that image's day on, and ${names.base}; deletes kept as tombstones. Then old images and log partitions are dropped.`,
      schemaLabel,
    ) +
    canalTablesSql(schema, spec) +
    compactedImageSql(names.compacted, sourceColumns(src), CANAL_MERGE_COLUMNS, canalRankedImagesSql(schema, spec, "  ")) +
    `ALTER TABLE ${mcIdent(names.log)} DROP IF EXISTS PARTITION (ds <= '\${log_cutoff}');\n`
  );
}

/** One daily compaction node per realtime table (same schedule and parameters as DTS's). */
export function canalCompactionPlans(
  schema: SourceSchema,
  tables: readonly (RealtimeTableSpec & { readonly realtime?: boolean })[],
  options: CompactionOptions = {},
): CompactionNodePlan[] {
  return compactionNodePlans(tables, options, {
    name: (table) => canalRealtimeNames(table).compacted,
    script: (t) => canalCompactionSql(schema, t, options),
    source: (table) => `Canal ${canalRealtimeNames(table).log} + ${canalRealtimeNames(table).base}`,
  });
}
