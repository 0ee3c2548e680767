/**
 * The `dataworks-flink` engine's Flink SQL, generated from the source schema snapshot (pure):
 * the seed's realtime metrics computed continuously from the source's change stream.
 *
 * - Sources: one `mysql` CDC table per source table a metric reads (Realtime Compute's MySQL
 *   connector, "MySQL connector", https://help.aliyun.com/zh/flink/developer-reference/mysql-connector:
 *   `hostname`, `port`, `username`, `password`, `database-name`, `table-name`,
 *   `server-time-zone`, `scan.startup.mode` `initial` = snapshot then binlog). Only the columns the
 *   metrics read, plus the primary key, are declared (the connector projects by name).
 * - Sinks: MaxCompute PK Delta tables `rt_*` through the MaxCompute connector
 *   (https://help.aliyun.com/zh/flink/developer-reference/maxcompute-connector: `connector` `odps`,
 *   `endpoint`, `project`, `tableName`, `accessId`, `accessKey`; "Upsert Tunnel: insert, update and
 *   delete"). The connector writes into existing tables only ("您需先创建好MaxCompute表",
 *   https://help.aliyun.com/zh/maxcompute/use-realtime-compute-for-apache-flink), so
 *   `metricTablesDdl` creates them (`PRIMARY KEY` + `"transactional"="true"`).
 * - Every metric is a plain GROUP BY / Top-N over the changelog (retractions included), so an
 *   UPDATE or DELETE in MySQL corrects the metric; no window functions over CDC input.
 * - Nothing deployment-specific is in the text: `${mysql_host}` ... are the deployment's job
 *   variables (`localVariables`, components/flink/realtime-flink.ts) and
 *   `${secret_values.<name>}` the namespace's secret variables (created once in the console:
 *   docs/realtime-engines.md), so the file is the same for every stack.
 *
 * MySQL -> Flink types (DESIGN.md type map, Flink CDC MySQL type mapping): tinyint(1) BOOLEAN,
 * tinyint TINYINT, tinyint unsigned SMALLINT, smallint SMALLINT, smallint unsigned / mediumint /
 * int INT, int unsigned BIGINT, bigint BIGINT, bigint unsigned DECIMAL(20, 0), float FLOAT, double
 * DOUBLE, decimal(p,s) DECIMAL(p, s) (p <= 38, else STRING), date DATE, datetime(p) TIMESTAMP(p),
 * timestamp(p) TIMESTAMP_LTZ(p), year INT, binary/blob BYTES, bit(1) BOOLEAN, bit(n) BYTES,
 * everything else (char, varchar, text, enum, set, json, time, spatial) STRING.
 */
import { SourceSchema, SourceTable, findTable } from "../config/source-schema";
import { mcIdent } from "../maxcompute/ods-tables";
import { parseColumnType } from "../maxcompute/type-mapping";

/** Job variables the SQL uses (`${name}`), set on the deployment. */
export const FLINK_JOB_VARIABLES = [
  "mysql_host",
  "mysql_port",
  "mysql_user",
  "mysql_database",
  "mysql_time_zone",
  "maxcompute_endpoint",
  "maxcompute_project",
] as const;
export type FlinkJobVariable = (typeof FLINK_JOB_VARIABLES)[number];

/** Secret variables of the Flink namespace the SQL reads (`${secret_values.<name>}`); never in the stack. */
export const FLINK_SECRET_VARIABLES = {
  mysqlPassword: "photo_analytics_mysql_password",
  maxcomputeAccessId: "photo_analytics_maxcompute_access_id",
  maxcomputeAccessKey: "photo_analytics_maxcompute_access_key",
} as const;

/** One column of a sink table: Flink type and MaxCompute type (Flink -> MaxCompute mapping of the MaxCompute doc). */
interface SinkColumn {
  readonly name: string;
  readonly flink: string;
  readonly maxcompute: string;
}

/** One metric: its sink table, the source columns it reads, and its INSERT. */
export interface FlinkMetric {
  /** Same ids as the DTS engine's metrics (sql/maxcompute/realtime/metrics). */
  readonly id: "online_users_now" | "dau_today" | "photos_last_hour" | "funnel_today" | "recent_logins";
  /** The MaxCompute Delta table the job upserts into. */
  readonly sinkTable: string;
  readonly columns: readonly SinkColumn[];
  readonly primaryKey: readonly string[];
  /** Source table -> columns read. */
  readonly reads: Readonly<Record<string, readonly string[]>>;
  /** The SELECT feeding the sink (over `src_<table>`). */
  readonly select: string;
  /** What the dashboard runs in MaxCompute to show the metric (project time zone). */
  readonly readerSql: string;
}

const S = (name: string, flink: string, maxcompute: string): SinkColumn => ({ name, flink, maxcompute });

/** The seed's realtime metrics, as the job computes them. */
export const FLINK_METRICS: readonly FlinkMetric[] = [
  {
    id: "online_users_now",
    sinkTable: "rt_online_users",
    // One row per user with the time of their last page view: "online now" is a filter at read time,
    // exact at any moment (a "last 5 minutes" count cannot be kept by an aggregate without timers).
    columns: [S("user_id", "STRING", "STRING"), S("last_seen", "TIMESTAMP(3)", "DATETIME")],
    primaryKey: ["user_id"],
    reads: { page_views: ["user_id", "created_time"] },
    select:
      "SELECT `user_id`, CAST(MAX(`created_time`) AS TIMESTAMP(3)) AS `last_seen`\nFROM `src_page_views`\nWHERE `user_id` IS NOT NULL\nGROUP BY `user_id`",
    readerSql: "SELECT COUNT(*) AS online_users FROM rt_online_users WHERE last_seen >= DATEADD(GETDATE(), -5, 'mi');",
  },
  {
    id: "dau_today",
    sinkTable: "rt_dau_daily",
    columns: [S("ds", "STRING", "STRING"), S("dau", "BIGINT", "BIGINT")],
    primaryKey: ["ds"],
    reads: { page_views: ["user_id", "created_time"] },
    select:
      "SELECT DATE_FORMAT(`created_time`, 'yyyyMMdd') AS `ds`, COUNT(DISTINCT `user_id`) AS `dau`\nFROM `src_page_views`\nGROUP BY DATE_FORMAT(`created_time`, 'yyyyMMdd')",
    readerSql: "SELECT dau AS realtime_dau FROM rt_dau_daily WHERE ds = TO_CHAR(GETDATE(), 'yyyymmdd');",
  },
  {
    id: "photos_last_hour",
    sinkTable: "rt_photos_per_minute",
    columns: [S("minute", "STRING", "STRING"), S("photos", "BIGINT", "BIGINT")],
    primaryKey: ["minute"],
    reads: { photo_records: ["id", "created_time"] },
    select:
      "SELECT DATE_FORMAT(`created_time`, 'yyyy-MM-dd HH:mm') AS `minute`, COUNT(`id`) AS `photos`\nFROM `src_photo_records`\nGROUP BY DATE_FORMAT(`created_time`, 'yyyy-MM-dd HH:mm')",
    readerSql:
      "SELECT COALESCE(SUM(photos), 0) AS last_hour_photos FROM rt_photos_per_minute WHERE minute >= TO_CHAR(DATEADD(GETDATE(), -1, 'hh'), 'yyyy-mm-dd hh:mi');",
  },
  {
    id: "funnel_today",
    sinkTable: "rt_funnel_daily",
    columns: [S("ds", "STRING", "STRING"), S("page_name", "STRING", "STRING"), S("users", "BIGINT", "BIGINT")],
    primaryKey: ["ds", "page_name"],
    reads: { page_views: ["user_id", "page_name", "created_time"] },
    select:
      "SELECT DATE_FORMAT(`created_time`, 'yyyyMMdd') AS `ds`, `page_name`, COUNT(DISTINCT `user_id`) AS `users`\nFROM `src_page_views`\nWHERE `page_name` IS NOT NULL\nGROUP BY DATE_FORMAT(`created_time`, 'yyyyMMdd'), `page_name`",
    readerSql:
      "SELECT page_name, users, ROUND(users * 100.0 / MAX(users) OVER (), 2) AS conversion_rate FROM rt_funnel_daily WHERE ds = TO_CHAR(GETDATE(), 'yyyymmdd');",
  },
  {
    id: "recent_logins",
    sinkTable: "rt_recent_logins",
    columns: [
      S("rn", "BIGINT", "BIGINT"),
      S("user_id", "STRING", "STRING"),
      S("nickname", "STRING", "STRING"),
      S("last_login_time", "TIMESTAMP(3)", "DATETIME"),
    ],
    primaryKey: ["rn"],
    reads: { users: ["id", "user_id", "nickname", "last_login_time"] },
    // Flink's Top-N (ROW_NUMBER over an ORDER BY, filtered on the rank): an upsert stream keyed by rank.
    select:
      "SELECT `rn`, `user_id`, `nickname`, CAST(`last_login_time` AS TIMESTAMP(3)) AS `last_login_time`\nFROM (\n  SELECT `user_id`, `nickname`, `last_login_time`, ROW_NUMBER() OVER (ORDER BY `last_login_time` DESC) AS `rn`\n  FROM `src_users`\n  WHERE `last_login_time` IS NOT NULL\n)\nWHERE `rn` <= 10",
    readerSql: "SELECT user_id, nickname, last_login_time FROM rt_recent_logins ORDER BY rn LIMIT 10;",
  },
];

/**
 * The Flink type of a MySQL column type (see the module comment), read by the DDL generator's
 * parser (`parseColumnType`: ZEROFILL implies UNSIGNED, multi-word type names).
 */
export function flinkType(mysqlType: string): string {
  const { base, args, unsigned } = parseColumnType(mysqlType);
  switch (base) {
    case "tinyint":
      return args[0] === "1" && !unsigned ? "BOOLEAN" : unsigned ? "SMALLINT" : "TINYINT";
    case "smallint":
      return unsigned ? "INT" : "SMALLINT";
    case "mediumint":
      return "INT";
    case "int":
    case "integer":
      return unsigned ? "BIGINT" : "INT";
    case "bigint":
      return unsigned ? "DECIMAL(20, 0)" : "BIGINT";
    case "float":
      return "FLOAT";
    case "double":
    case "double precision":
    case "real":
      return "DOUBLE";
    case "decimal":
    case "numeric": {
      const [p, s] = args.length > 0 ? args.map(Number) : [10, 0];
      return p <= 38 ? `DECIMAL(${p}, ${s ?? 0})` : "STRING";
    }
    case "date":
      return "DATE";
    case "datetime":
      return `TIMESTAMP(${args[0] ?? 0})`;
    case "timestamp":
      return `TIMESTAMP_LTZ(${args[0] ?? 0})`;
    case "year":
      return "INT";
    case "binary":
    case "varbinary":
    case "blob":
    case "tinyblob":
    case "mediumblob":
    case "longblob":
      return "BYTES";
    case "bit":
      return args.length === 0 || args[0] === "1" ? "BOOLEAN" : "BYTES";
    default:
      return "STRING";
  }
}

/** The metrics whose source tables are all in the realtime set and in the snapshot. */
export function flinkMetrics(schema: SourceSchema, realtimeTables: readonly string[]): FlinkMetric[] {
  return FLINK_METRICS.filter((m) => Object.keys(m.reads).every((t) => realtimeTables.includes(t) && findTable(schema, t) !== undefined));
}

function sourceDdl(table: SourceTable, columns: readonly string[]): string {
  const wanted = new Set([...table.primaryKey, ...columns]);
  const cols = table.columns.filter((c) => wanted.has(c.name));
  const lines = cols.map((c) => `  ${mcIdent(c.name)} ${flinkType(c.type)}`);
  if (table.primaryKey.length > 0) lines.push(`  PRIMARY KEY (${table.primaryKey.map(mcIdent).join(", ")}) NOT ENFORCED`);
  return [
    `CREATE TEMPORARY TABLE ${mcIdent(`src_${table.name}`)} (`,
    lines.join(",\n"),
    ") WITH (",
    "  'connector' = 'mysql',",
    "  'hostname' = '${mysql_host}',",
    "  'port' = '${mysql_port}',",
    "  'username' = '${mysql_user}',",
    `  'password' = '\${secret_values.${FLINK_SECRET_VARIABLES.mysqlPassword}}',`,
    "  'database-name' = '${mysql_database}',",
    `  'table-name' = '${table.name}',`,
    "  'server-time-zone' = '${mysql_time_zone}',",
    "  'scan.startup.mode' = 'initial'",
    ");",
  ].join("\n");
}

function sinkDdl(m: FlinkMetric): string {
  const lines = m.columns.map((c) => `  ${mcIdent(c.name)} ${c.flink}`);
  lines.push(`  PRIMARY KEY (${m.primaryKey.map(mcIdent).join(", ")}) NOT ENFORCED`);
  return [
    `CREATE TEMPORARY TABLE ${mcIdent(m.sinkTable)} (`,
    lines.join(",\n"),
    ") WITH (",
    "  'connector' = 'odps',",
    "  'endpoint' = '${maxcompute_endpoint}',",
    "  'project' = '${maxcompute_project}',",
    `  'tableName' = '${m.sinkTable}',`,
    `  'accessId' = '\${secret_values.${FLINK_SECRET_VARIABLES.maxcomputeAccessId}}',`,
    `  'accessKey' = '\${secret_values.${FLINK_SECRET_VARIABLES.maxcomputeAccessKey}}'`,
    ");",
  ].join("\n");
}

const HEADER = "-- Generated by lib/flink/flink-sql.ts from the source schema snapshot: do not edit.";

/**
 * The deployment's SQL script: sources, sinks, and one INSERT per metric in a statement set (one
 * job, one binlog reader per source table). Throws when no metric's tables are in the realtime set.
 */
export function flinkMetricsSql(schema: SourceSchema, realtimeTables: readonly string[]): string {
  const metrics = flinkMetrics(schema, realtimeTables);
  if (metrics.length === 0) {
    throw new Error(
      `no realtime metric can be computed: each needs its tables in the realtime set (${FLINK_METRICS.map((m) => `${m.id}: ${Object.keys(m.reads).join(", ")}`).join("; ")}); realtime tables: ${realtimeTables.join(", ") || "none"}`,
    );
  }
  const reads = new Map<string, Set<string>>();
  for (const m of metrics) for (const [t, cols] of Object.entries(m.reads)) reads.set(t, new Set([...(reads.get(t) ?? []), ...cols]));
  const sources = [...reads.keys()].sort().map((t) => sourceDdl(findTable(schema, t)!, [...reads.get(t)!]));
  const inserts = metrics.map((m) => `-- ${m.id}\nINSERT INTO ${mcIdent(m.sinkTable)}\n${m.select};`);
  return [
    HEADER,
    "-- Job variables: " + FLINK_JOB_VARIABLES.map((v) => `\${${v}}`).join(", ") + " (set by the deployment).",
    "-- Secret variables of the namespace: " + Object.values(FLINK_SECRET_VARIABLES).join(", ") + " (docs/realtime-engines.md).",
    "",
    ...sources.map((s) => s + "\n"),
    ...metrics.map((m) => sinkDdl(m) + "\n"),
    "BEGIN STATEMENT SET;",
    "",
    inserts.join("\n\n"),
    "",
    "END;",
    "",
  ].join("\n");
}

/** MaxCompute DDL of the sink tables: PK Delta tables (`transactional` + PRIMARY KEY), created if absent, never dropped. */
export function metricTablesDdl(schema: SourceSchema, realtimeTables: readonly string[]): string[] {
  return flinkMetrics(schema, realtimeTables).map(
    (m) =>
      `CREATE TABLE IF NOT EXISTS ${m.sinkTable} (${m.columns
        .map((c) => `${c.name} ${c.maxcompute}${m.primaryKey.includes(c.name) ? " NOT NULL" : ""}`)
        .join(", ")}, PRIMARY KEY (${m.primaryKey.join(", ")})) TBLPROPERTIES ("transactional"="true");`,
  );
}

/** Every generated file under sql/flink/, by path relative to it. */
export function generateFlinkSqlFiles(schema: SourceSchema, realtimeTables: readonly string[]): Record<string, string> {
  const files: Record<string, string> = {
    "metrics.sql": flinkMetricsSql(schema, realtimeTables),
    "maxcompute/metric-tables.sql": [HEADER, ...metricTablesDdl(schema, realtimeTables), ""].join("\n"),
  };
  for (const m of flinkMetrics(schema, realtimeTables))
    files[`maxcompute/read/${m.id}.sql`] = `${HEADER}\n-- ${m.id}: what the dashboard runs.\n${m.readerSql}\n`;
  return files;
}
