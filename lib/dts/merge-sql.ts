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
 * key there, so readers merge: DTS's documented merge takes, per primary key,
 * the row with the highest `record_id`, then `after_flag` (the after image of an
 * UPDATE), counting baseline rows as `record_id` 0, and keeps it when
 * `after_flag = 'Y'` (a DELETE's last image has `after_flag = 'N'`).
 *
 * One addition: when the table has an incremental column (a column the source
 * bumps on every change, e.g. `updated_time ... ON UPDATE CURRENT_TIMESTAMP`) it
 * ranks first. Switching realtime off removes the DTS job but keeps the
 * tables; switching it on again appends a fresh baseline (record_id 0) after the
 * old job's log rows (record_id > 0), and only the change time tells which image
 * is newer. Within one job the change time ties or agrees with `record_id`.
 *
 * Every identifier that comes from the source is back-quoted, so a test can
 * check each one against the table spec; aliases the generator adds are bare.
 */
import { SourceSchema, SourceTable, findTable } from "../source/source-schema";

/** Which naming rule DTS used for the additional columns of `<table>_log`. */
export type AttachedColumnNaming = "legacy" | "new";

/** The additional columns of `<table>_log` the merge reads, per naming rule. */
export interface AttachedColumns {
  readonly recordId: string;
  readonly afterFlag: string;
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
  return { recordId: `${prefix}record_id`, afterFlag: `${prefix}after_flag`, all: LEGACY_ATTACHED.map((c) => prefix + c) };
}

/** The aliases the generated SQL introduces (must not clash with source columns). */
export const GENERATED_ALIASES = ["dts_record_id", "dts_after_flag", "dts_rank", "merged", "ranked", "funnel"] as const;

/** What the generator needs to know about one realtime table. */
export interface RealtimeTableSpec {
  readonly name: string;
  /** Primary key columns (DTS needs one; the merge partitions by it). */
  readonly primaryKey: readonly string[];
  /** Column bumped on every insert/update, ranked first in the merge. */
  readonly incrementalColumn?: string;
}

/** Options of the generator. */
export interface RealtimeSqlOptions {
  /** @default "legacy" (the names DESIGN.md and DTS's merge example use) */
  readonly naming?: AttachedColumnNaming;
}

/** Name of the DTS baseline, log and merge view of `table`. */
export function dtsTableNames(table: string): { base: string; log: string; view: string } {
  return { base: `${table}_base`, log: `${table}_log`, view: `${table}_realtime` };
}

const q = (identifier: string): string => `\`${identifier}\``;

function sourceTableOf(schema: SourceSchema, spec: RealtimeTableSpec): SourceTable {
  const src = findTable(schema, spec.name);
  if (!src) {
    throw new Error(
      `realtime table "${spec.name}" is not a table of source database "${schema.database}"; tables: ${schema.tables.map((t) => t.name).join(", ")}`,
    );
  }
  return src;
}

/** Checks a spec against the source table; throws naming the table, the value and what is allowed. */
export function checkSpec(spec: RealtimeTableSpec, src: SourceTable, naming: AttachedColumnNaming): void {
  const cols = src.columns.map((c) => c.name);
  if (spec.primaryKey.length === 0) {
    throw new Error(
      `realtime table "${spec.name}": no primary key; the <table>_realtime merge needs one (and DTS writes duplicates without one): add a PRIMARY KEY in MySQL or set tables[].primaryKey`,
    );
  }
  for (const k of spec.primaryKey) {
    if (!cols.includes(k)) throw new Error(`realtime table "${spec.name}": primary key column "${k}" is not a column; columns: ${cols.join(", ")}`);
  }
  if (spec.incrementalColumn !== undefined && !cols.includes(spec.incrementalColumn)) {
    throw new Error(`realtime table "${spec.name}": incrementalColumn "${spec.incrementalColumn}" is not a column; columns: ${cols.join(", ")}`);
  }
  const attached = attachedColumns(naming);
  const clash = cols.filter((c) => attached.all.includes(c) || (GENERATED_ALIASES as readonly string[]).includes(c));
  if (clash.length > 0) {
    throw new Error(
      `realtime table "${spec.name}": column(s) ${clash.join(", ")} clash with the columns DTS adds to <table>_log under the "${naming}" naming rule or with the view's aliases (${[...attached.all, ...GENERATED_ALIASES].join(", ")})${naming === "legacy" ? '; use the "new" naming rule' : ""}`,
    );
  }
}

const HEADER = (what: string, schemaLabel: string): string =>
  `-- Generated by lib/realtime/sql.ts from ${schemaLabel}: do not edit by hand\n-- (regenerate: UPDATE_REALTIME_SQL=1 npx jest tests/realtime-sql-files.test.ts).\n-- ${what}\n`;

/**
 * The views read every partition of the DTS `_log` table (partitioned by modifytime_*):
 * MaxCompute rejects a full scan of a partitioned table unless the session allows it.
 */
export const FULL_SCAN = "SET odps.sql.allow.fullscan=true;\n";

/** The `CREATE OR REPLACE VIEW <table>_realtime` statement for one table. */
export function mergeViewSql(
  schema: SourceSchema,
  spec: RealtimeTableSpec,
  options: RealtimeSqlOptions = {},
  schemaLabel = "the source schema snapshot",
): string {
  const naming = options.naming ?? "legacy";
  const src = sourceTableOf(schema, spec);
  checkSpec(spec, src, naming);
  const attached = attachedColumns(naming);
  const names = dtsTableNames(spec.name);
  const cols = src.columns.map((c) => q(c.name));
  const colList = cols.join(", ");
  const order = [...(spec.incrementalColumn ? [`${q(spec.incrementalColumn)} DESC`] : []), "dts_record_id DESC", "dts_after_flag DESC"].join(", ");
  const what =
    `${names.view}: the current rows of ${schema.database}.${spec.name}, merged from the DTS baseline ${names.base}\n` +
    `-- and change log ${names.log}: the latest image per primary key (${spec.primaryKey.join(", ")}), ranked by ` +
    `${spec.incrementalColumn ? `${spec.incrementalColumn}, then ` : ""}record_id and after_flag;\n-- keys whose latest image is a DELETE are left out.`;
  return (
    HEADER(what, schemaLabel) +
    `CREATE OR REPLACE VIEW ${q(names.view)} AS\n` +
    `SELECT ${colList}\n` +
    `FROM (\n` +
    `  SELECT merged.*,\n` +
    `    ROW_NUMBER() OVER (PARTITION BY ${spec.primaryKey.map(q).join(", ")} ORDER BY ${order}) AS dts_rank\n` +
    `  FROM (\n` +
    `    SELECT CAST(${q(attached.recordId)} AS BIGINT) AS dts_record_id, ${q(attached.afterFlag)} AS dts_after_flag, ${colList}\n` +
    `    FROM ${q(names.log)}\n` +
    `    UNION ALL\n` +
    `    SELECT CAST(0 AS BIGINT) AS dts_record_id, 'Y' AS dts_after_flag, ${colList}\n` +
    `    FROM ${q(names.base)}\n` +
    `  ) merged\n` +
    `) ranked\n` +
    `WHERE dts_rank = 1 AND dts_after_flag = 'Y';\n`
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

/**
 * The seed's realtime queries (seed "实时查询示例" and "实时层（3个核心指标）"),
 * rewritten over the merge views. Day boundaries use `DATETRUNC(GETDATE(), 'dd')`
 * (the project's time zone, like the seed's `TO_CHAR(..., 'yyyymmdd')`
 * comparison, but a range predicate). MaxCompute wants a LIMIT with ORDER BY.
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
    title: "today's DAU: distinct users with a page view since midnight",
    table: "page_views",
    columns: ["user_id", "created_time"],
    body: (v, c) => `SELECT COUNT(DISTINCT ${c("user_id")}) AS realtime_dau\nFROM ${v}\nWHERE ${c("created_time")} >= DATETRUNC(GETDATE(), 'dd');\n`,
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
      `  WHERE ${c("created_time")} >= DATETRUNC(GETDATE(), 'dd')\n` +
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
    return q(column);
  };
  return (
    HEADER(`${metric.id}: ${metric.title} (reads ${dtsTableNames(metric.table).view}).`, schemaLabel) +
    FULL_SCAN +
    metric.body(q(dtsTableNames(metric.table).view), c)
  );
}

/** One generated file, path relative to `sql/maxcompute/realtime/`. */
export interface GeneratedSqlFile {
  readonly path: string;
  readonly content: string;
}

/** What was generated, and which metrics were left out because their table is not realtime. */
export interface RealtimeSqlResult {
  readonly files: readonly GeneratedSqlFile[];
  readonly skippedMetrics: readonly { readonly id: string; readonly reason: string }[];
}

/**
 * Every file of the realtime layer's MaxCompute SQL: `views/<table>_realtime.sql`
 * per realtime table and `metrics/<id>.sql` per metric whose table is realtime,
 * plus `apply.sql` (views first, in table order) for applying them by hand.
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
