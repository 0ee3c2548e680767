/**
 * The realtime metrics contract on every CDC engine: the `rt_*` tables the `dataworks-flink` engine's
 * Flink job writes (lib/flink/flink-sql.ts `FLINK_METRICS`, created by `metricTablesDdl`), filled on
 * the `dts` and `canal-datahub` engines by one DataWorks node on a minute schedule (`rt_metrics`,
 * every `realtime.metrics.intervalMinutes`), and the feed table SLS imports them from (on
 * `dataworks-flink` the node writes only the feed: `rtFeedNodeSql`). Pure: the node's MaxCompute SQL as text.
 *
 * Bounded scans: the node never reads a `<table>_realtime` view (those read the whole newest compacted
 * image and the baseline). Each metric merges only the change log partitions of yesterday and today
 * ({@link RECENT_LOG_DAYS}: DTS names its partitions in UTC, so a local day starts in the previous UTC
 * day) with the engine's own merge (latest image per primary key, deletes dropped), then keeps the rows
 * whose time column is in the metric's window. A row created today was inserted today, so its whole
 * history is in those partitions; the exception is the day the engine's baseline was taken (rows in
 * `<table>_base` only), documented in docs/realtime.md.
 *
 * Writes (MaxCompute PK Delta tables: `INSERT INTO` upserts by primary key, as the Flink sink does):
 * - `rt_online_users` (user_id, last_seen): the users with a page view since 23:55 yesterday (so "the last
 *   5 minutes" is right at any time of today), with their latest one (no upper bound, as the seed's metric:
 *   a user whose clock is ahead is online);
 * - `rt_dau_daily` (ds, dau): today's distinct users (0 on a day without page views);
 * - `rt_photos_per_minute` (minute, photos): photos per minute since 23:00 yesterday (the last hour
 *   at any time of today);
 * - `rt_funnel_daily` (ds, page_name, users): today's distinct users per page;
 * - `rt_recent_logins` (rn, ...): overwritten with the 10 latest logins among the users changed
 *   yesterday or today and the 10 it held (a changed user's row replaces the kept one, a deleted user leaves): the latest
 *   logins since the engine started, whatever the day.
 * Then `rt_metrics_feed` (not a contract table: the import's source) is overwritten with one row per
 * value the dashboard and alerts read, all stamped with the run's `computed_at`.
 */
import { SourceSchema } from "../config/source-schema";
import { DTS_MERGE_COLUMNS, RealtimeSqlOptions, dtsLogImages } from "../dts/merge-sql";
import { MergeColumns } from "../realtime/merge-sql";
import { CANAL_MERGE, canalLogImages } from "../canal/merge-sql";
import { FlinkMetric, flinkMetrics, metricTablesDdl } from "../flink/flink-sql";
import { mcIdent } from "../maxcompute/ods-tables";
import { METRICS_NODE_NAME } from "../dataworks/layer-sql";

/** The engines whose change log the metrics node merges. */
export type MetricsChangeLog = "dts" | "canal-datahub";

/** Name of the metrics node (and the stable suffix of its Pulumi child). */
export const RT_METRICS_NODE = METRICS_NODE_NAME;

/** The table SLS imports the metrics from: overwritten by every run of the node. */
export const RT_FEED_TABLE = "rt_metrics_feed";

/** Columns of the feed, in order: what each imported log carries. */
export const RT_FEED_COLUMNS = [
  { name: "computed_at", type: "STRING", comment: "when the node computed the row, yyyy-mm-dd hh:mi:ss in the project time zone (the log time in SLS)" },
  { name: "metric", type: "STRING", comment: "which value (online_users, dau_today, photos_last_hour, funnel_users, conversion_rate, recent_login)" },
  { name: "dim", type: "STRING", comment: "the dimension of the value: the day (dau_today), the page (funnel), the user (recent_login), else empty" },
  { name: "value", type: "DOUBLE", comment: "the value" },
] as const;

/** The feed's metrics: the dashboard and the alerts read these names. */
export const RT_FEED_METRICS = {
  onlineUsers: "online_users",
  dauToday: "dau_today",
  photosLastHour: "photos_last_hour",
  funnelUsers: "funnel_users",
  conversionRate: "conversion_rate",
  recentLogin: "recent_login",
} as const;

/** Days of change log each metric merges: yesterday and today (DTS partitions by UTC day; a local day starts in the previous one). */
export const RECENT_LOG_DAYS = 2;

/** `column` is today in the project's time zone: [midnight, the next midnight), as the seed's metrics. */
const today = (column: string): string => `${column} >= DATETRUNC(GETDATE(), 'dd') AND ${column} < DATEADD(DATETRUNC(GETDATE(), 'dd'), 1, 'dd')`;
const TODAY_DS = "TO_CHAR(GETDATE(), 'yyyymmdd')";

/** The log partitions the node reads: those of yesterday and today (yyyymmdd as a number). */
export function recentLogWindow(day: string): string {
  return `${day} >= CAST(TO_CHAR(DATEADD(GETDATE(), -${RECENT_LOG_DAYS - 1}, 'dd'), 'yyyymmdd') AS BIGINT)`;
}

/**
 * The current rows of `table` among those changed yesterday or today: the engine's log images from
 * {@link recentLogWindow}, ranked per primary key as the engine's merge ranks them, deletes left out.
 * A subquery (no trailing semicolon), its columns the source columns. With `keepDeletes`, the latest
 * image of every key changed, a delete's too, with the merge's after flag as a last column ('N': deleted).
 */
export function recentRowsSql(
  engine: MetricsChangeLog,
  schema: SourceSchema,
  spec: { name: string; primaryKey: readonly string[] },
  options: RealtimeSqlOptions = {},
  keepDeletes = false,
): string {
  const src = schema.tables.find((t) => t.name === spec.name);
  if (!src) throw new Error(`realtime metrics read table "${spec.name}", which is not in source database "${schema.database}"`);
  const cols = src.columns.map((c) => mcIdent(c.name));
  const merge: MergeColumns = engine === "dts" ? DTS_MERGE_COLUMNS : CANAL_MERGE;
  const images = engine === "dts" ? dtsLogImages(schema, spec, options, recentLogWindow) : canalLogImages(schema, spec, recentLogWindow);
  return [
    `SELECT ${[...cols, ...(keepDeletes ? [merge.afterFlag] : [])].join(", ")}`,
    `FROM (`,
    `  SELECT images.*,`,
    `    ROW_NUMBER() OVER (PARTITION BY ${spec.primaryKey.map(mcIdent).join(", ")} ORDER BY ${merge.rankBy.map((c) => `${c} DESC`).join(", ")}) AS ${merge.rank}`,
    `  FROM (`,
    ...images.map((l) => `    ${l}`),
    `  ) images`,
    `) ranked`,
    keepDeletes ? `WHERE ${merge.rank} = 1` : `WHERE ${merge.rank} = 1 AND ${merge.afterFlag} = 'Y'`,
  ].join("\n");
}

/** The recent rows of a metric's source table ({@link recentRowsSql}). */
interface RecentRows {
  /** The current rows changed yesterday or today (deletes left out). */
  readonly current: string;
  /** The latest image of every key changed yesterday or today, deletes too, with `afterFlag` ('N': deleted). */
  readonly latest: string;
  readonly afterFlag: string;
}

/** How the node fills one contract table from the recent rows of its source. */
const FILLS: Readonly<Record<FlinkMetric["id"], (r: RecentRows) => string>> = {
  online_users_now: ({ current: rows }) =>
    `INSERT INTO TABLE rt_online_users\n` +
    `SELECT \`user_id\`, MAX(\`created_time\`) AS last_seen\nFROM (\n${rows}\n) recent\n` +
    `WHERE \`user_id\` IS NOT NULL AND \`created_time\` >= DATEADD(DATETRUNC(GETDATE(), 'dd'), -5, 'mi')\nGROUP BY \`user_id\`;\n`,
  dau_today: ({ current: rows }) =>
    `INSERT INTO TABLE rt_dau_daily\n` +
    `SELECT ${TODAY_DS} AS ds, COUNT(DISTINCT \`user_id\`) AS dau\nFROM (\n${rows}\n) recent\nWHERE ${today("`created_time`")};\n`,
  photos_last_hour: ({ current: rows }) =>
    `INSERT INTO TABLE rt_photos_per_minute\n` +
    `SELECT TO_CHAR(\`created_time\`, 'yyyy-mm-dd hh:mi') AS minute, COUNT(\`id\`) AS photos\nFROM (\n${rows}\n) recent\n` +
    `WHERE \`created_time\` >= DATEADD(DATETRUNC(GETDATE(), 'dd'), -1, 'hh') AND \`created_time\` < DATEADD(DATETRUNC(GETDATE(), 'dd'), 1, 'dd')\n` +
    `GROUP BY TO_CHAR(\`created_time\`, 'yyyy-mm-dd hh:mi');\n`,
  funnel_today: ({ current: rows }) =>
    `INSERT INTO TABLE rt_funnel_daily\n` +
    `SELECT ${TODAY_DS} AS ds, \`page_name\`, COUNT(DISTINCT \`user_id\`) AS users\nFROM (\n${rows}\n) recent\n` +
    `WHERE \`page_name\` IS NOT NULL AND ${today("`created_time`")}\nGROUP BY \`page_name\`;\n`,
  // The latest logins among the users changed yesterday or today and the list the previous run kept (a
  // user's latest image wins over its kept row, and a deleted user leaves the list): the 10 latest since the
  // engine started, however quiet the day.
  recent_logins: ({ latest, afterFlag }) =>
    `INSERT OVERWRITE TABLE rt_recent_logins\n` +
    `SELECT rn, \`user_id\`, \`nickname\`, \`last_login_time\`\nFROM (\n` +
    `  SELECT \`user_id\`, \`nickname\`, \`last_login_time\`, ROW_NUMBER() OVER (ORDER BY \`last_login_time\` DESC) AS rn\n` +
    `  FROM (\n` +
    `    SELECT \`user_id\`, \`nickname\`, \`last_login_time\`, ${afterFlag}, ROW_NUMBER() OVER (PARTITION BY \`user_id\` ORDER BY kept) AS pick\n` +
    `    FROM (\n` +
    `      SELECT \`user_id\`, \`nickname\`, \`last_login_time\`, ${afterFlag}, 0 AS kept\n      FROM (\n${latest}\n      ) recent\n` +
    `      UNION ALL\n` +
    `      SELECT user_id, nickname, last_login_time, 'Y' AS ${afterFlag}, 1 AS kept\n      FROM rt_recent_logins\n` +
    `    ) candidates\n` +
    `  ) picked\n  WHERE pick = 1 AND ${afterFlag} = 'Y' AND \`last_login_time\` IS NOT NULL\n) latest\nWHERE rn <= 10;\n`,
};

/** The feed rows of each contract table (one SELECT of `metric, dim, value` each). */
const FEEDS: Readonly<Record<FlinkMetric["id"], readonly string[]>> = {
  online_users_now: [
    `SELECT '${RT_FEED_METRICS.onlineUsers}' AS metric, '' AS dim, CAST(COUNT(*) AS DOUBLE) AS value FROM rt_online_users WHERE last_seen >= DATEADD(GETDATE(), -5, 'mi')`,
  ],
  dau_today: [`SELECT '${RT_FEED_METRICS.dauToday}' AS metric, ds AS dim, CAST(dau AS DOUBLE) AS value FROM rt_dau_daily WHERE ds = ${TODAY_DS}`],
  photos_last_hour: [
    `SELECT '${RT_FEED_METRICS.photosLastHour}' AS metric, '' AS dim, CAST(COALESCE(SUM(photos), 0) AS DOUBLE) AS value FROM rt_photos_per_minute ` +
      `WHERE minute >= TO_CHAR(DATEADD(GETDATE(), -1, 'hh'), 'yyyy-mm-dd hh:mi')`,
  ],
  funnel_today: [
    `SELECT '${RT_FEED_METRICS.funnelUsers}' AS metric, page_name AS dim, CAST(users AS DOUBLE) AS value FROM rt_funnel_daily WHERE ds = ${TODAY_DS}`,
    `SELECT '${RT_FEED_METRICS.conversionRate}' AS metric, page_name AS dim, ROUND(users * 100.0 / MAX(users) OVER (), 2) AS value FROM rt_funnel_daily WHERE ds = ${TODAY_DS}`,
  ],
  recent_logins: [
    `SELECT '${RT_FEED_METRICS.recentLogin}' AS metric, user_id AS dim, CAST(UNIX_TIMESTAMP(last_login_time) AS DOUBLE) AS value FROM rt_recent_logins`,
  ],
};

/** One value of the feed, the contract table it comes from, and whether every run writes it. */
export interface FeedMetric {
  readonly metric: string;
  readonly table: string;
  /** Written by every run (a count, 0 or more); else only when there is something to list (pages seen today, logins). */
  readonly always: boolean;
}

const FEED_OF: Readonly<Record<FlinkMetric["id"], readonly Omit<FeedMetric, "table">[]>> = {
  online_users_now: [{ metric: RT_FEED_METRICS.onlineUsers, always: true }],
  dau_today: [{ metric: RT_FEED_METRICS.dauToday, always: true }],
  photos_last_hour: [{ metric: RT_FEED_METRICS.photosLastHour, always: true }],
  funnel_today: [
    { metric: RT_FEED_METRICS.funnelUsers, always: false },
    { metric: RT_FEED_METRICS.conversionRate, always: false },
  ],
  recent_logins: [{ metric: RT_FEED_METRICS.recentLogin, always: false }],
};

/** The feed's values for the realtime tables `realtimeTables` (those whose contract table can be computed). */
export function feedMetrics(schema: SourceSchema, realtimeTables: readonly string[]): FeedMetric[] {
  return flinkMetrics(schema, realtimeTables).flatMap((m) => FEED_OF[m.id].map((f) => ({ ...f, table: m.sinkTable })));
}

/** `CREATE TABLE IF NOT EXISTS` of the feed (not partitioned: each run overwrites the one snapshot SLS imports). */
export function feedTableDdl(): string {
  const cols = RT_FEED_COLUMNS.map((c) => `  ${c.name} ${c.type} COMMENT '${c.comment}'`).join(",\n");
  return `CREATE TABLE IF NOT EXISTS ${RT_FEED_TABLE} (\n${cols}\n)\nCOMMENT 'The latest realtime metrics, one row per value, for the SLS import (lib/metrics/rt-metrics.ts)';\n`;
}

/** The statement that overwrites the feed from the contract tables of `metrics` (any engine: it reads only `rt_*`). */
export function feedSql(metrics: readonly FlinkMetric[]): string {
  const selects = metrics.flatMap((m) => FEEDS[m.id]);
  if (selects.length === 0) throw new Error("the metrics feed needs at least one metric");
  return (
    `INSERT OVERWRITE TABLE ${RT_FEED_TABLE}\n` +
    `SELECT TO_CHAR(GETDATE(), 'yyyy-mm-dd hh:mi:ss') AS computed_at, metric, dim, value\nFROM (\n` +
    selects.map((s) => `  ${s}`).join("\n  UNION ALL\n") +
    `\n) feed;\n`
  );
}

/**
 * The metrics node's script on a CDC engine with a change log (`dts`, `canal-datahub`): the contract
 * tables (created if absent, as on the Flink engine), each filled from the bounded merge of its source
 * table, then the feed. Throws when no metric's tables are all realtime.
 */
export function rtMetricsNodeSql(
  engine: MetricsChangeLog,
  schema: SourceSchema,
  tables: readonly { name: string; primaryKey: readonly string[]; realtime: boolean }[],
  options: RealtimeSqlOptions = {},
): string {
  const realtime = tables.filter((t) => t.realtime);
  const metrics = flinkMetrics(
    schema,
    realtime.map((t) => t.name),
  );
  if (metrics.length === 0) {
    throw new Error(
      `no realtime metric can be computed: each needs its source tables in the realtime set; realtime tables: ${realtime.map((t) => t.name).join(", ") || "none"}`,
    );
  }
  const fills = metrics.map((m) => {
    const [table] = Object.keys(m.reads);
    const spec = realtime.find((t) => t.name === table)!;
    const rows: RecentRows = {
      current: recentRowsSql(engine, schema, spec, options),
      latest: recentRowsSql(engine, schema, spec, options, true),
      afterFlag: (engine === "dts" ? DTS_MERGE_COLUMNS : CANAL_MERGE).afterFlag,
    };
    return `-- ${m.sinkTable} (${m.id})\n` + FILLS[m.id](rows);
  });
  return (
    `-- ${RT_METRICS_NODE}: the realtime metrics contract (the rt_* tables the dataworks-flink engine's Flink job writes),\n` +
    `-- from the ${engine} change log of yesterday and today only, then the feed SLS imports (lib/metrics/rt-metrics.ts).\n` +
    `SET odps.sql.allow.fullscan=true;\n` +
    metricTablesDdl(
      schema,
      realtime.map((t) => t.name),
    )
      .map((s) => s + "\n")
      .join("") +
    feedTableDdl() +
    "\n" +
    fills.join("\n") +
    "\n-- the feed SLS imports\n" +
    feedSql(metrics)
  );
}

/**
 * The metrics node's script on the `dataworks-flink` engine: the Flink job keeps the `rt_*` tables current
 * (created by its `MetricTables` resource), so the node only overwrites the feed SLS imports from them.
 * Throws when no metric's tables are all realtime.
 */
export function rtFeedNodeSql(schema: SourceSchema, tables: readonly { name: string; realtime: boolean }[]): string {
  const realtime = tables.filter((t) => t.realtime).map((t) => t.name);
  const metrics = flinkMetrics(schema, realtime);
  if (metrics.length === 0) {
    throw new Error(`no realtime metric can be computed: each needs its source tables in the realtime set; realtime tables: ${realtime.join(", ") || "none"}`);
  }
  return (
    `-- ${RT_METRICS_NODE}: the feed SLS imports, from the rt_* tables the dataworks-flink engine's Flink job writes\n` +
    `-- (lib/metrics/rt-metrics.ts).\n` +
    `SET odps.sql.allow.fullscan=true;\n` +
    feedTableDdl() +
    "\n" +
    feedSql(metrics)
  );
}
