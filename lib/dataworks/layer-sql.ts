/**
 * Which DataWorks ODPS SQL nodes each layer runs, with their SQL, schedule,
 * scheduling parameters and in-layer dependencies, as data. Pure (the
 * `sql/maxcompute` files arrive as text): components/dataworks/layer-nodes.ts turns
 * each plan into a DataWorksNode.
 *
 * Ordering against the loads: a node's cron is the load's cron plus a delay in
 * the same cycle (`cronAfter`), so the T+1 reports run after the daily DI job
 * and the hourly aggregates after the hourly one. The parameters name the
 * partitions the DI jobs write (lib/dataworks/di-job-spec.ts `SCHEDULE_PARAMETERS`):
 * daily `bizdate=$bizdate` (yesterday), hourly the previous hour. A partition holds
 * every row changed since its period began, as the load read it; each node keeps its
 * period's rows by their time column.
 */
import { cronAfter, InstanceMode, RerunPolicy } from "./flowspec";
import { cronKindProblem, dataWorksCron, minuteCron } from "../config/cron";
import { mergeViewSql, RealtimeSqlOptions } from "../dts/merge-sql";
import { FULL_SCAN } from "../realtime/merge-sql";
import { findTable, SourceSchema } from "../config/source-schema";
import { LAYER_PARTITIONS, MaxComputeTable, mcIdent, odsTableName, odsTable, renderCreateTable } from "../maxcompute/ods-tables";
import { realtimeTableName } from "../config/realtime";

/** The layers that get SQL nodes. */
export const DATAWORKS_LAYERS = ["daily", "hourly", "realtime"] as const;
export type DataWorksLayer = (typeof DATAWORKS_LAYERS)[number];

/**
 * The layer SQL files under `sql/maxcompute/`, by path relative to it (`ads/ads_dau_d.sql`):
 * read once by stack.ts (project-files.ts `readLayerSqlFiles`) and handed down.
 */
export type LayerSqlFiles = Readonly<Record<string, string>>;

/** Scheduling parameters per kind of node. */
export const NODE_PARAMETERS = {
  /** T+1: yesterday, the day the daily DI job loaded at 00:30. */
  daily: { bizdate: "$bizdate" },
  /** The previous full hour, the one the hourly DI job loaded at hh:05. */
  hourly: { bizdate: "$[yyyymmdd-1/24]", hh: "$[hh24-1/24]" },
  /** The hour the snapshot is taken in (the state "now"). */
  snapshot: { bizdate: "$[yyyymmdd]", hh: "$[hh24]" },
  /** Views take no parameter. */
  view: {},
} as const;

/** One node a layer runs. */
export interface LayerNodePlan {
  /** Node name in DataWorks; also the stable suffix of the Pulumi child. */
  readonly name: string;
  /** Sub-folder under the stack's DataWorks folder. */
  readonly folder: string;
  readonly script: string;
  readonly cron: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly instanceMode: InstanceMode;
  /** Names of nodes of the same layer it waits for. */
  readonly after: readonly string[];
  readonly description: string;
  /** Source tables whose MaxCompute copies it reads. */
  readonly sources: readonly string[];
  /** This node's own rerun policy, instead of the layer's (the load checks wait longer). */
  readonly rerun?: RerunPolicy;
}

/**
 * Why each report starts with a load check: a new-version DI job exposes no node output
 * another node could depend on (GetDIJob / ListDIJobs return no output or node field), so a
 * report scheduled only by time would run on a late or failed load and publish a partial
 * day. Each report and hourly aggregate therefore begins with one `DESC <ods table>
 * PARTITION (...)` per ODS table it reads: the statement fails while the partition is
 * missing, and DataWorks reruns the node (`LOAD_CHECK_RERUN`) until the load lands, so a late
 * load delays the report and a load that never lands stops it, visibly, in Operation Center.
 *
 * The check is part of each node, not a node of its own per layer: the nodes' scripts then
 * depend on their own sources only, so promoting a stage (more hourly tables) only adds
 * nodes and never rewrites one that exists, and no extra scheduling instances are billed.
 */
export const LOAD_CHECK_MARKER = "-- load check";

/**
 * Reruns of a node waiting for its load: the daily ones every 30 minutes for 5 hours (a load
 * at 00:30 may land until about 06:30), the hourly ones every 3 minutes for 30 minutes (within
 * the hour). DataWorks allows 0-10 reruns, 1-30 minutes apart.
 */
export const LOAD_CHECK_RERUN: Readonly<Record<"daily" | "hourly", RerunPolicy>> = {
  daily: { mode: "Allowed", times: 10, intervalMs: 1_800_000 },
  hourly: { mode: "Allowed", times: 10, intervalMs: 180_000 },
};

/** The load check a node's script starts with: one `DESC ... PARTITION` per ODS table read, each failing while its partition is missing. */
export function loadCheckSql(layer: "daily" | "hourly", tables: readonly string[]): string {
  const spec = LAYER_PARTITIONS[layer].map((p) => `${p.name} = '\${${p.name === "ds" ? "bizdate" : p.name}}'`).join(", ");
  return (
    `${LOAD_CHECK_MARKER}: fails (and the node is rerun) until the ${layer} DI load has written every partition this node reads.\n` +
    [...new Set(tables)]
      .sort()
      .map((t) => `DESC ${odsTableName(t, layer)} PARTITION (${spec});\n`)
      .join("") +
    "\n"
  );
}

/** The T+1 reports: one ADS table each. */
export const DAILY_REPORTS: readonly { name: string; file: string; sources: readonly string[]; description: string }[] = [
  { name: "ads_dau_d", file: "ads/ads_dau_d.sql", sources: ["page_views"], description: "Daily active users (distinct users with a page view)" },
  { name: "ads_new_users_d", file: "ads/ads_new_users_d.sql", sources: ["users"], description: "New users per day, per sign-up channel" },
  { name: "ads_photos_d", file: "ads/ads_photos_d.sql", sources: ["photo_records"], description: "Photos uploaded per day, analysed and failed" },
  { name: "ads_funnel_d", file: "ads/ads_funnel_d.sql", sources: ["page_views"], description: "Conversion funnel per day (users per page)" },
];

/** Hand-written hourly aggregates of the seed's core tables; other hourly tables get a generated row count. */
export const HOURLY_AGGREGATE_FILES: Readonly<Record<string, string>> = {
  photo_records: "hourly-agg/dws_photo_records_agg_h.sql",
  page_views: "hourly-agg/dws_page_views_agg_h.sql",
  guide_usage: "hourly-agg/dws_guide_usage_agg_h.sql",
};

/** Minutes between a load and the nodes that read it. */
export const DEFAULT_DELAYS = {
  /** The daily DI job loads a whole day of every table: allow it an hour. */
  dailyMinutes: 60,
  /** The hourly DI job loads one hour of three tables: allow it 15 minutes. */
  hourlyMinutes: 15,
} as const;

/** Default schedules of the realtime layer's nodes (hourly, in DataWorks' `00-23/1` form). */
export const REALTIME_SCHEDULE = {
  /** `CREATE OR REPLACE VIEW` each hour: cheap (metadata only), and it heals once DTS has created its tables. */
  viewCron: "00 10 00-23/1 * * ?",
  /** The merged snapshot, after the views. */
  snapshotCron: "00 40 00-23/1 * * ?",
  /** Days a snapshot partition is kept. */
  snapshotLifecycleDays: 7,
} as const;

/** The text of one layer SQL file (path relative to `sql/maxcompute`). */
export function layerSql(files: LayerSqlFiles, file: string): string {
  const text = files[file];
  if (text === undefined) throw new Error(`sql/maxcompute/${file} is missing; the layer's nodes run it (restore it from git)`);
  return text;
}

function requireCron(key: string, cron: string, kind: "daily" | "hourly"): void {
  const problem = cronKindProblem(key, cron, kind);
  if (problem) throw new Error(problem);
}

function requireDelay(key: string, minutes: number): void {
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new Error(`${key} ${minutes} must be a whole number of minutes >= 1 (a node never starts with the load it reads)`);
  }
}

/**
 * The T+1 report nodes: those whose source tables are all synced, each
 * `delayMinutes` after the daily load (`dailyCron`).
 */
export function dailyReportPlans(
  tables: readonly { name: string }[],
  o: { dailyCron: string; delayMinutes?: number; sqlFiles: LayerSqlFiles },
): LayerNodePlan[] {
  requireCron("dataworks.dailyCron", o.dailyCron, "daily");
  const delay = o.delayMinutes ?? DEFAULT_DELAYS.dailyMinutes;
  requireDelay("daily report delayMinutes", delay);
  const cron = cronAfter(o.dailyCron, delay);
  const synced = new Set(tables.map((t) => t.name));
  return DAILY_REPORTS.filter((r) => r.sources.every((s) => synced.has(s))).map((r) => ({
    name: r.name,
    folder: "ads",
    script: loadCheckSql("daily", r.sources) + layerSql(o.sqlFiles, r.file),
    cron,
    parameters: NODE_PARAMETERS.daily,
    instanceMode: "T+1" as const,
    after: [],
    description: r.description,
    sources: r.sources,
    rerun: LOAD_CHECK_RERUN.daily,
  }));
}

/** Name of a table's hourly aggregate. */
export function hourlyAggregateName(table: string): string {
  return `dws_${table}_agg_h`;
}

/**
 * A generated hourly aggregate (row count per hour) for an hourly table without a hand-written one:
 * the rows whose `incrementalColumn` (required for an hourly table) is in the hour. The partition
 * holds every row changed since the hour began (the first load: every row), so the hour's rows are
 * kept by that column, as the hand-written aggregates keep theirs by created_time.
 */
export function genericHourlyAggregateSql(table: string, incrementalColumn: string): string {
  const name = hourlyAggregateName(table);
  return (
    `-- ${name}: rows of ${table} changed in one hour (generated by lib/dataworks/layer-sql.ts).\n` +
    `-- Parameters bizdate=$[yyyymmdd-1/24] hh=$[hh24-1/24]: the hour the hourly DI job loaded.\n` +
    `CREATE TABLE IF NOT EXISTS ${name} (\n` +
    `  row_count BIGINT COMMENT 'rows of ods_${table}_h whose ${incrementalColumn} is in the hour'\n` +
    `)\n` +
    `COMMENT 'Rows of ${table} per hour (DWS, hourly)'\n` +
    `PARTITIONED BY (ds STRING COMMENT 'business date, yyyymmdd', hh STRING COMMENT 'hour of day, 00-23')\n` +
    `LIFECYCLE 90;\n\n` +
    `INSERT OVERWRITE TABLE ${name} PARTITION (ds = '\${bizdate}', hh = '\${hh}')\n` +
    `SELECT COUNT(*) AS row_count\n` +
    `FROM ods_${table}_h\n` +
    `WHERE ds = '\${bizdate}' AND hh = '\${hh}'\n` +
    `  AND TO_CHAR(${mcIdent(incrementalColumn)}, 'yyyymmddhh') = CONCAT('\${bizdate}', '\${hh}');\n`
  );
}

function hourlyColumn(t: { name: string; incrementalColumn?: string }): string {
  if (t.incrementalColumn === undefined) {
    throw new Error(`hourly table "${t.name}" has no incrementalColumn: an hourly load and its aggregate need one (tables[].incrementalColumn)`);
  }
  return t.incrementalColumn;
}

/** The hourly aggregate nodes: one per hourly-tier table, `delayMinutes` after the hourly load. */
export function hourlyAggregatePlans(
  tables: readonly { name: string; tier: string; incrementalColumn?: string }[],
  o: { hourlyCron: string; delayMinutes?: number; sqlFiles: LayerSqlFiles },
): LayerNodePlan[] {
  requireCron("dataworks.hourlyCron", o.hourlyCron, "hourly");
  const delay = o.delayMinutes ?? DEFAULT_DELAYS.hourlyMinutes;
  requireDelay("hourly aggregate delayMinutes", delay);
  const cron = cronAfter(o.hourlyCron, delay);
  return tables
    .filter((t) => t.tier === "hourly")
    .map((t) => {
      const file = HOURLY_AGGREGATE_FILES[t.name];
      return {
        name: hourlyAggregateName(t.name),
        folder: "hourly",
        script: loadCheckSql("hourly", [t.name]) + (file ? layerSql(o.sqlFiles, file) : genericHourlyAggregateSql(t.name, hourlyColumn(t))),
        cron,
        parameters: NODE_PARAMETERS.hourly,
        instanceMode: "T+1" as const,
        after: [],
        description: `Hourly aggregate of ${t.name}`,
        sources: [t.name],
        rerun: LOAD_CHECK_RERUN.hourly,
      };
    });
}

/** Name of a table's merged snapshot table (and of its node). */
export function snapshotTableName(table: string): string {
  return `dwd_${table}_snapshot_h`;
}

/** The snapshot table of a realtime table: the source columns, partitions ds/hh. */
export function snapshotTable(schema: SourceSchema, table: string, lifecycleDays: number): MaxComputeTable {
  const src = findTable(schema, table);
  if (!src) {
    throw new Error(`realtime table "${table}" is not in source schema "${schema.database}"; tables: ${schema.tables.map((t) => t.name).join(", ")}`);
  }
  const ods = odsTable(src, "hourly", lifecycleDays);
  return { ...ods, name: snapshotTableName(table), comment: `${src.comment || table}: hourly snapshot of ${realtimeTableName(table)} (DWD, realtime layer)` };
}

/** SQL of a snapshot node: create the table, then copy the merge view into the hour's partition. */
export function snapshotSql(schema: SourceSchema, table: string, lifecycleDays: number = REALTIME_SCHEDULE.snapshotLifecycleDays): string {
  const t = snapshotTable(schema, table, lifecycleDays);
  const cols = t.columns.map((c) => mcIdent(c.name)).join(", ");
  return (
    `-- ${t.name}: the current rows of ${table}, merged by the ${realtimeTableName(table)} view, once an hour\n` +
    `-- (parameters bizdate=$[yyyymmdd] hh=$[hh24]: the hour the snapshot is taken in).\n` +
    renderCreateTable(t) +
    `\n${FULL_SCAN}` +
    `INSERT OVERWRITE TABLE ${mcIdent(t.name)} PARTITION (ds = '\${bizdate}', hh = '\${hh}')\n` +
    `SELECT ${cols}\n` +
    `FROM ${mcIdent(realtimeTableName(table))};\n`
  );
}

/**
 * `CREATE OR REPLACE VIEW <table>_realtime` per realtime table, generated by
 * the realtime layer's module (lib/realtime/sql.ts) from the source schema.
 */
export function realtimeViewSql(
  schema: SourceSchema,
  tables: readonly { name: string; primaryKey: readonly string[]; incrementalColumn?: string; realtime: boolean }[],
  options: RealtimeSqlOptions = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tables.filter((x) => x.realtime)) {
    out[t.name] = mergeViewSql(schema, { name: t.name, primaryKey: t.primaryKey, incrementalColumn: t.incrementalColumn }, options);
  }
  return out;
}

/**
 * The realtime layer's nodes: per realtime table, a node keeping its merge
 * view up to date (instances right after deploy, so the view exists within the
 * hour) and a node writing the merged snapshot after it.
 */
export function realtimePlans(
  tables: readonly { name: string; realtime: boolean }[],
  o: {
    /** View SQL per table (`realtimeViewSql`, or the realtime layer's own). */
    viewSql: Readonly<Record<string, string>>;
    /** Snapshot SQL per table (`snapshotSql`); tables without one get no snapshot node. */
    snapshotSql: Readonly<Record<string, string>>;
    viewCron?: string;
    snapshotCron?: string;
    /** What a view merges, for the node's description. @default `DTS <t>_base + <t>_log` */
    viewSource?: (table: string) => string;
    /** The metrics node's script (lib/metrics/rt-metrics.ts `rtMetricsNodeSql`); no metrics node without it. */
    metricsSql?: string;
    /** Minutes between two runs of the metrics node (`realtime.metrics.intervalMinutes`). @default 5 */
    metricsIntervalMinutes?: number;
  },
): LayerNodePlan[] {
  const viewCron = o.viewCron ?? REALTIME_SCHEDULE.viewCron;
  const snapshotCron = o.snapshotCron ?? REALTIME_SCHEDULE.snapshotCron;
  requireCron("realtime viewCron", viewCron, "hourly");
  requireCron("realtime snapshotCron", snapshotCron, "hourly");
  const [viewAt, snapshotAt] = [dataWorksCron(viewCron), dataWorksCron(snapshotCron)];
  const plans: LayerNodePlan[] = [];
  for (const t of tables.filter((x) => x.realtime)) {
    const view = o.viewSql[t.name];
    if (view === undefined) {
      throw new Error(`realtime table "${t.name}" has no merge view SQL; given: ${Object.keys(o.viewSql).join(", ") || "none"}`);
    }
    plans.push({
      name: realtimeTableName(t.name),
      folder: "realtime",
      script: view,
      cron: viewAt,
      parameters: NODE_PARAMETERS.view,
      instanceMode: "Immediately",
      after: [],
      description: `Keeps the ${realtimeTableName(t.name)} merge view (${o.viewSource ? o.viewSource(t.name) : `DTS ${t.name}_base + ${t.name}_log`}) up to date`,
      sources: [t.name],
    });
    const snap = o.snapshotSql[t.name];
    if (snap !== undefined) {
      plans.push({
        name: snapshotTableName(t.name),
        folder: "realtime",
        script: snap,
        cron: snapshotAt,
        parameters: NODE_PARAMETERS.snapshot,
        instanceMode: "T+1",
        after: [realtimeTableName(t.name)],
        description: `Hourly snapshot of ${realtimeTableName(t.name)}`,
        sources: [t.name],
      });
    }
  }
  if (o.metricsSql !== undefined) {
    plans.push(
      metricsNodePlan(
        o.metricsSql,
        o.metricsIntervalMinutes ?? DEFAULT_METRICS_INTERVAL_MINUTES,
        tables.filter((t) => t.realtime).map((t) => t.name),
      ),
    );
  }
  return plans;
}

/** Name of the realtime metrics node (lib/metrics/rt-metrics.ts `RT_METRICS_NODE`). */
export const METRICS_NODE_NAME = "rt_metrics";

/** Minutes between two runs of the metrics node: DataWorks' smallest minute interval. */
export const DEFAULT_METRICS_INTERVAL_MINUTES = 5;

/**
 * The realtime metrics node: one node for every metric, on DataWorks' minute scheduling every
 * `intervalMinutes` (`00 00/n * * * ?`; throws naming `realtime.metrics.intervalMinutes` for an interval
 * DataWorks does not accept). Instances from the deploy on (`Immediately`), no parameters: each run
 * computes "now". It reads the change logs, not the views, so it waits for no view node.
 */
export function metricsNodePlan(script: string, intervalMinutes: number, sources: readonly string[]): LayerNodePlan {
  return {
    name: METRICS_NODE_NAME,
    folder: "realtime",
    script,
    cron: minuteCron("realtime.metrics.intervalMinutes", intervalMinutes),
    parameters: NODE_PARAMETERS.view,
    instanceMode: "Immediately",
    after: [],
    description: `Refreshes the realtime metrics (rt_* tables) and their SLS feed every ${intervalMinutes} minutes`,
    sources: [...sources],
  };
}
