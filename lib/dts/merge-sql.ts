/**
 * MaxCompute SQL of the realtime layer, generated from the table specs and the
 * source schema snapshot: one `<table>_realtime` view per realtime table, and
 * the seed's realtime metrics as queries over those views. Pure: no Pulumi.
 *
 * What DTS writes (DTS "Schema of an incremental data table" and "Modify the
 * naming rules for additional columns"): `<table>_base` holds the full baseline
 * (the source columns), `<table>_log` every change with additional columns
 * `record_id` (increasing; both images of an UPDATE share it), `operation_flag`
 * (I/U/D), `utc_timestamp`, `before_flag`, `after_flag` (Y/N) and partitions
 * `modifytime_year` .. `modifytime_minute`; with the "new" naming rule each
 * additional column is prefixed `new_dts_sync_`. MaxCompute enforces no primary
 * key there, so readers merge: DTS's documented merge ("全量数据合并示例", doc 44547)
 * takes, per primary key, the row with the highest `record_id`, then `after_flag`
 * (the after image of an UPDATE), counting baseline rows as `record_id` 0, and
 * keeps it when `after_flag = 'Y'` (a DELETE's last image has `after_flag = 'N'`).
 *
 * Bounded reads: `_log` gains a partition per minute (1,440 a day), MaxCompute
 * reads at most 10,000 partitions in one query and holds at most 60,000 in one
 * table. A daily compaction (compaction-sql.ts) folds the baseline and the log
 * into `<table>_compacted` (partitioned by `ds`; one image per day, deletes kept
 * as tombstones so no older image can win again) and then drops old log
 * partitions. The view merges the newest compacted image (`MAX_PT`) with the
 * log partitions from that image's day on, so it reads about two days of log.
 *
 * One job per set of tables: a new job (realtime switched off and on, or a job
 * replaced) must start on fresh tables (dts-job.ts `TARGET_TABLE_MODE`,
 * reenable-sql.ts), so `record_id` alone orders every image the merge sees.
 *
 * Every identifier that comes from the source is back-quoted, so a test can
 * check each one against the table spec; aliases the generator adds are bare.
 *
 * The spec checks, the compacted table, the ranked images and the view are the realtime layer's,
 * shared with the Canal engine (lib/realtime/merge-sql.ts); this file gives them DTS's columns.
 */
import { SourceSchema, SourceTable, findTable } from "../config/source-schema";
import { mcIdent } from "../maxcompute/ods-tables";
import {
  FULL_SCAN,
  GeneratedSqlFile,
  MergeColumns,
  RealtimeTableSpec,
  SpecRules,
  checkSpecColumns,
  checkedSourceTable,
  compactedTableDdl,
  currentRowsViewSql,
  newestImageDaySql,
  rankedImagesFrom,
} from "../realtime/merge-sql";

/** Which naming rule DTS used for the additional columns of `<table>_log`. */
export type AttachedColumnNaming = "legacy" | "new";

/** The additional columns of `<table>_log` the merge reads, per naming rule. */
export interface AttachedColumns {
  readonly recordId: string;
  readonly afterFlag: string;
  /** The partition columns that name the day of a log partition: year, month, day. */
  readonly day: readonly [string, string, string];
  /** Every additional column name (a source column must not use one). */
  readonly all: readonly string[];
}

const LEGACY_ATTACHED = [
  "record_id",
  "operation_flag",
  "utc_timestamp",
  "before_flag",
  "after_flag",
  "modifytime_year",
  "modifytime_month",
  "modifytime_day",
  "modifytime_hour",
  "modifytime_minute",
];

/** Additional column names per naming rule. */
export function attachedColumns(naming: AttachedColumnNaming): AttachedColumns {
  const prefix = naming === "new" ? "new_dts_sync_" : "";
  return {
    recordId: `${prefix}record_id`,
    afterFlag: `${prefix}after_flag`,
    day: [`${prefix}modifytime_year`, `${prefix}modifytime_month`, `${prefix}modifytime_day`],
    all: LEGACY_ATTACHED.map((c) => prefix + c),
  };
}

/** The aliases the generated SQL introduces (must not clash with source columns). */
export const GENERATED_ALIASES = ["dts_record_id", "dts_after_flag", "dts_rank", "merged", "ranked", "funnel", "ds"] as const;

/** Options of the generator. */
export interface RealtimeSqlOptions {
  /** @default "legacy" (the names DESIGN.md and DTS's merge example use) */
  readonly naming?: AttachedColumnNaming;
}

/** Name of the DTS baseline and log, the compacted image and the merge view of `table`. */
export function dtsTableNames(table: string): { base: string; log: string; compacted: string; view: string } {
  return { base: `${table}_base`, log: `${table}_log`, compacted: `${table}_compacted`, view: `${table}_realtime` };
}

/** Log partitions DTS writes per table and day when every minute has a change (one per minute). */
export const LOG_PARTITIONS_PER_DAY = 1440;
/** MaxCompute: partitions one query may read ("一次最多查询分区数为10000个", doc 73771). */
export const MAX_PARTITIONS_PER_QUERY = 10_000;
/** MaxCompute: partitions one table may hold ("单表分区数最多允许60000个分区", doc 73771). */
export const MAX_PARTITIONS_PER_TABLE = 60_000;

/**
 * The day of a log partition as a number yyyymmdd, from its partition values. CAST makes it
 * independent of whether DTS zero-pads month and day ("03" or "3").
 */
export function logDaySql(attached: AttachedColumns): string {
  const [y, m, d] = attached.day.map((c) => `CAST(${mcIdent(c)} AS BIGINT)`);
  return `(${y} * 10000 + ${m} * 100 + ${d})`;
}

/** The newest compacted image's day, yyyymmdd (0 for the seed partition). */
export function watermarkSql(table: string): string {
  return newestImageDaySql(dtsTableNames(table).compacted);
}

/**
 * The log partitions a reader takes: those of the newest compacted image's day and later. The
 * image's day is included because partitions of that day may still be written after the image was
 * taken (DTS delay; UTC partitions against a local bizdate).
 */
export function logWindowSql(table: string, attached: AttachedColumns): string {
  return `${logDaySql(attached)} >= ${watermarkSql(table)}`;
}

/** Checks a spec against the source table; throws naming the table, the value and what is allowed. */
export function checkSpec(spec: RealtimeTableSpec, src: SourceTable, naming: AttachedColumnNaming): void {
  checkSpecColumns(spec, src, dtsSpecRules(naming));
}

function dtsSpecRules(naming: AttachedColumnNaming): SpecRules {
  return {
    primaryKeyAlsoFor: "DTS writes duplicates without one",
    checkIncrementalColumn: true,
    reserved: [...attachedColumns(naming).all, ...GENERATED_ALIASES],
    reservedBy: `the columns DTS adds to <table>_log under the "${naming}" naming rule or with the view's aliases`,
    clashHint: naming === "legacy" ? '; use the "new" naming rule' : "",
  };
}

const HEADER = (what: string, schemaLabel: string): string =>
  `-- Generated by lib/dts/merge-sql.ts from ${schemaLabel}: do not edit by hand\n-- (regenerate: UPDATE_REALTIME_SQL=1 npx jest tests/realtime-sql-files.test.ts).\n-- ${what}\n`;

/** Source columns of a spec's table, checked against the naming rule. */
function checkedColumns(schema: SourceSchema, spec: RealtimeTableSpec, naming: AttachedColumnNaming): { src: SourceTable; cols: string[] } {
  const src = checkedSourceTable(schema, spec, dtsSpecRules(naming));
  return { src, cols: src.columns.map((c) => mcIdent(c.name)) };
}

/** DTS: `record_id` orders changes; the after image of an UPDATE (`after_flag` Y) wins over its before image. */
export const DTS_MERGE_COLUMNS: MergeColumns = {
  order: ["dts_record_id"],
  afterFlag: "dts_after_flag",
  rankBy: ["dts_record_id", "dts_after_flag"],
  rank: "dts_rank",
};

/**
 * `CREATE TABLE IF NOT EXISTS <table>_compacted` and its seed partition: the source columns plus
 * the merge's `dts_record_id` / `dts_after_flag`, partitioned by `ds`. No LIFECYCLE: the compaction
 * drops old images itself, and a lifecycle would also reclaim the only image if compaction stopped.
 * The seed (ds 00000000, one tombstone row with record_id -1 that no reader keeps) lets `MAX_PT`
 * return a partition before the first compaction; rewriting it is idempotent.
 */
export function compactedTableSql(schema: SourceSchema, spec: RealtimeTableSpec, options: RealtimeSqlOptions = {}): string {
  const { src } = checkedColumns(schema, spec, options.naming ?? "legacy");
  return compactedTableDdl(src, dtsTableNames(spec.name), DTS_MERGE_COLUMNS);
}

/**
 * Every image a reader merges, newest first per key (`dts_rank` 1): the newest compacted image,
 * the log partitions from its day on, and the baseline (record_id 0). Deletes are kept: the caller
 * filters `dts_after_flag = 'Y'` for current rows, or keeps tombstones for the next image.
 */
export function rankedImagesSql(schema: SourceSchema, spec: RealtimeTableSpec, options: RealtimeSqlOptions = {}, indent = ""): string {
  const naming = options.naming ?? "legacy";
  const { cols } = checkedColumns(schema, spec, naming);
  const names = dtsTableNames(spec.name);
  return rankedImagesFrom(spec, cols, names, DTS_MERGE_COLUMNS, dtsLogImages(schema, spec, options), indent);
}

/**
 * The lines of the SELECT of a table's DTS log images (the merge columns, then the source columns), from
 * the log partitions whose day (yyyymmdd, a BIGINT expression: {@link logDaySql}) satisfies `window`
 * (`(day) => predicate`). @default the partitions of the newest compacted image's day and later
 */
export function dtsLogImages(schema: SourceSchema, spec: RealtimeTableSpec, options: RealtimeSqlOptions = {}, window?: (day: string) => string): string[] {
  const naming = options.naming ?? "legacy";
  const { cols } = checkedColumns(schema, spec, naming);
  const attached = attachedColumns(naming);
  return [
    `SELECT CAST(${mcIdent(attached.recordId)} AS BIGINT) AS dts_record_id, ${mcIdent(attached.afterFlag)} AS dts_after_flag, ${cols.join(", ")}`,
    `FROM ${mcIdent(dtsTableNames(spec.name).log)}`,
    `WHERE ${window ? window(logDaySql(attached)) : logWindowSql(spec.name, attached)}`,
  ];
}

/**
 * The script of the `<table>_realtime` view: the compacted table (so the view compiles before the
 * first compaction), then `CREATE OR REPLACE VIEW` over the newest compacted image, the log from
 * its day on and the baseline. It reads one compacted partition and about two days of log.
 */
export function mergeViewSql(
  schema: SourceSchema,
  spec: RealtimeTableSpec,
  options: RealtimeSqlOptions = {},
  schemaLabel = "the source schema snapshot",
): string {
  const naming = options.naming ?? "legacy";
  const { cols } = checkedColumns(schema, spec, naming);
  const names = dtsTableNames(spec.name);
  const what =
    `${names.view}: the current rows of ${schema.database}.${spec.name}, merged from the newest compacted image ${names.compacted},\n` +
    `-- the DTS change log ${names.log} from that image's day on, and the baseline ${names.base}: the latest image per\n` +
    `-- primary key (${spec.primaryKey.join(", ")}) by record_id, then after_flag; keys whose latest image is a DELETE are left out.`;
  return (
    HEADER(what, schemaLabel) +
    compactedTableSql(schema, spec, options) +
    currentRowsViewSql(names.view, cols, DTS_MERGE_COLUMNS, rankedImagesSql(schema, spec, options, "  "))
  );
}

/** One of the seed's realtime metrics, as data. */
export interface RealtimeMetric {
  /** Stable id; the file is `metrics/<id>.sql`. */
  readonly id: string;
  /** What it answers, for the file header and docs. */
  readonly title: string;
  /** The source table whose `_realtime` view it reads. */
  readonly table: string;
  /** Every source column it reads (checked against the table spec). */
  readonly columns: readonly string[];
  /** The query; `v` is the back-quoted view name, `c` back-quotes a column. */
  readonly body: (v: string, c: (column: string) => string) => string;
}

/** `column` is today in the project's time zone: [midnight, the next midnight). */
const today = (column: string): string => `${column} >= DATETRUNC(GETDATE(), 'dd') AND ${column} < DATEADD(DATETRUNC(GETDATE(), 'dd'), 1, 'dd')`;

/**
 * The seed's realtime queries (seed "实时查询示例" and "实时层（3个核心指标）"),
 * rewritten over the merge views. "Today" is the seed's `TO_CHAR(created_time, 'yyyymmdd')
 * = TO_CHAR(GETDATE(), 'yyyymmdd')` written as a range, [DATETRUNC(GETDATE(), 'dd'), the
 * next midnight), in the project's time zone: bounded above too, so a row whose client clock
 * is ahead (created tomorrow) is not today's (tests/sql-week.test.ts). MaxCompute wants a
 * LIMIT with ORDER BY.
 */
export const REALTIME_METRICS: readonly RealtimeMetric[] = [
  {
    id: "online_users_now",
    title: "online users now: distinct users with a page view in the last 5 minutes",
    table: "page_views",
    columns: ["user_id", "created_time"],
    body: (v, c) => `SELECT COUNT(DISTINCT ${c("user_id")}) AS online_users\nFROM ${v}\nWHERE ${c("created_time")} >= DATEADD(GETDATE(), -5, 'mi');\n`,
  },
  {
    id: "dau_today",
    title: "today's DAU (the seed's): distinct users with a page view created today",
    table: "page_views",
    columns: ["user_id", "created_time"],
    body: (v, c) => `SELECT COUNT(DISTINCT ${c("user_id")}) AS realtime_dau\nFROM ${v}\nWHERE ${today(c("created_time"))};\n`,
  },
  {
    id: "photos_last_hour",
    title: "photos uploaded in the last hour",
    table: "photo_records",
    columns: ["created_time"],
    body: (v, c) => `SELECT COUNT(*) AS last_hour_photos\nFROM ${v}\nWHERE ${c("created_time")} >= DATEADD(GETDATE(), -1, 'hh');\n`,
  },
  {
    id: "funnel_today",
    title: "today's conversion funnel by page: distinct users per page and their share of the busiest page",
    table: "page_views",
    columns: ["page_name", "user_id", "created_time"],
    body: (v, c) =>
      `WITH funnel AS (\n` +
      `  SELECT ${c("page_name")}, COUNT(DISTINCT ${c("user_id")}) AS page_users\n` +
      `  FROM ${v}\n` +
      `  WHERE ${today(c("created_time"))}\n` +
      `  GROUP BY ${c("page_name")}\n` +
      `)\n` +
      `SELECT ${c("page_name")}, page_users, ROUND(page_users * 100.0 / MAX(page_users) OVER (), 2) AS conversion_rate_pct\n` +
      `FROM funnel\n` +
      `ORDER BY page_users DESC\n` +
      `LIMIT 1000;\n`,
  },
  {
    id: "recent_logins",
    title: "the 10 most recent logins (the seed's users_realtime example)",
    table: "users",
    columns: ["user_id", "nickname", "source", "last_login_time"],
    body: (v, c) =>
      `SELECT ${c("user_id")}, ${c("nickname")}, ${c("source")}, ${c("last_login_time")}\nFROM ${v}\nORDER BY ${c("last_login_time")} DESC\nLIMIT 10;\n`,
  },
];

/** The tables the seed's realtime metrics read, sorted: the default realtime set. */
export function metricTables(metrics: readonly RealtimeMetric[] = REALTIME_METRICS): string[] {
  return [...new Set(metrics.map((m) => m.table))].sort();
}

/** The SQL text of one metric. Throws naming the metric and column when a column is not in the table. */
export function metricSql(schema: SourceSchema, metric: RealtimeMetric, schemaLabel = "the source schema snapshot"): string {
  const src = findTable(schema, metric.table);
  if (!src) throw new Error(`realtime metric "${metric.id}" reads table "${metric.table}", which is not in source database "${schema.database}"`);
  const cols = src.columns.map((c) => c.name);
  for (const col of metric.columns) {
    if (!cols.includes(col)) throw new Error(`realtime metric "${metric.id}" reads ${metric.table}.${col}, which is not a column; columns: ${cols.join(", ")}`);
  }
  const c = (column: string): string => {
    if (!metric.columns.includes(column)) throw new Error(`realtime metric "${metric.id}" uses column "${column}" without declaring it in columns`);
    return mcIdent(column);
  };
  return (
    HEADER(`${metric.id}: ${metric.title} (reads ${dtsTableNames(metric.table).view}).`, schemaLabel) +
    FULL_SCAN +
    metric.body(mcIdent(dtsTableNames(metric.table).view), c)
  );
}

/** What was generated, and which metrics were left out because their table is not realtime. */
export interface RealtimeSqlResult {
  readonly files: readonly GeneratedSqlFile[];
  readonly skippedMetrics: readonly { readonly id: string; readonly reason: string }[];
}

/**
 * Every file of the realtime layer's MaxCompute SQL: `views/<table>_realtime.sql`
 * per realtime table and `metrics/<id>.sql` per metric whose table is realtime,
 * plus `apply.sql` (views first, in table order) for applying them by hand. The compaction
 * scripts and `reenable.sql` come from compaction-sql.ts (seed-sql.ts puts them together).
 */
export function generateRealtimeSql(
  schema: SourceSchema,
  tables: readonly RealtimeTableSpec[],
  options: RealtimeSqlOptions = {},
  schemaLabel = `sql/mysql/${schema.database}.schema.json`,
): RealtimeSqlResult {
  const sorted = [...tables].sort((a, b) => a.name.localeCompare(b.name));
  const views = sorted.map((t) => ({ path: `views/${dtsTableNames(t.name).view}.sql`, content: mergeViewSql(schema, t, options, schemaLabel) }));
  const names = new Set(sorted.map((t) => t.name));
  const skippedMetrics = REALTIME_METRICS.filter((m) => !names.has(m.table)).map((m) => ({
    id: m.id,
    reason: `reads ${m.table}, which is not a realtime table; add it to the realtime set (tables[].realtime: true)`,
  }));
  const metrics = REALTIME_METRICS.filter((m) => names.has(m.table)).map((m) => ({ path: `metrics/${m.id}.sql`, content: metricSql(schema, m, schemaLabel) }));
  const apply = {
    path: "apply.sql",
    content:
      HEADER("Every view of the realtime layer, for applying by hand (odpscmd -f apply.sql); the metrics are queries, run them as needed.", schemaLabel) +
      views.map((v) => v.content.replace(/^(--[^\n]*\n)+/, "")).join("\n"),
  };
  return { files: [...views, ...metrics, apply], skippedMetrics };
}
