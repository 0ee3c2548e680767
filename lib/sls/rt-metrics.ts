/**
 * The realtime metrics in SLS (pure): the import of the `rt_metrics_feed` table (lib/metrics/rt-metrics.ts)
 * into the metrics logstore, the dashboard charts over the imported rows, and the anomaly alerts.
 *
 * Import: `alicloud.log.Ingestion` (terraform resource_alicloud_log_ingestion.go) sends `source` as the
 * ingestion's data source unchanged and schedules it `FixedRate` every `interval`. The MaxCompute source
 * is the SLS SDK's `AliyunMaxComputeSource` (aliyun-log-java-sdk common/AliyunMaxComputeSource.java,
 * type `AliyunMaxCompute`): `accessKeyID`, `accessKeySecret`, `endpoint`, `tunnelEndpoint`, `project`,
 * `table`, `partitionSpec`, `timeField`, `timeFormat`, `timeZone`. It authenticates with an AccessKey
 * pair (no RAM role field), so the stack creates a RAM user that may only read the feed.
 *
 * Every imported row is one log: `metric`, `dim`, `value`, with `computed_at` as its time. A run of the
 * import copies the feed as it is; when the node has not run since, the copy carries the same
 * `computed_at`, so readers take the newest log time and the stall alert sees the age grow.
 *
 * Queries are SLS SQL (`<search> | <SQL>`, `FROM log`, `__time__` epoch seconds), written with only
 * conditional aggregation and arithmetic (no `max_by`, no scalar subqueries), so that the test
 * (tests/realtime-metrics-alerts.test.ts) runs their SQL on MariaDB over recorded-shape rows.
 */
import { RT_FEED_METRICS, RT_FEED_TABLE } from "../metrics/rt-metrics";
import { MetricQuery } from "./queries";
import { FieldSearch, DEFAULT_TOKEN } from "./sls-objects";
import { utcOffsetSeconds } from "./tracking-config";

/** The import's name in the SLS project (stable: the provider's `ingestion_name` is ForceNew). */
export const RT_IMPORT_NAME = "rt-metrics-import";

/** Fields the imported rows carry, indexed in the metrics logstore beside the per-minute fields. */
export function rtMetricsIndexFields(): FieldSearch[] {
  return [
    { name: "metric", type: "text", enableAnalytics: true, caseSensitive: false, token: DEFAULT_TOKEN },
    { name: "dim", type: "text", enableAnalytics: true, caseSensitive: false, token: DEFAULT_TOKEN },
    { name: "value", type: "double", enableAnalytics: true },
  ];
}

/** `timeFormat` of `computed_at` (Java pattern of the SLS import; MaxCompute writes `yyyy-mm-dd hh:mi:ss`). */
export const RT_IMPORT_TIME_FORMAT = "yyyy-MM-dd HH:mm:ss";

/** The import's `source` (without the AccessKey pair, which the component adds as a secret). */
export interface RtImportSource {
  readonly type: "AliyunMaxCompute";
  readonly endpoint: string;
  readonly tunnelEndpoint: string;
  readonly project: string;
  readonly table: string;
  readonly partitionSpec: string;
  readonly timeField: string;
  readonly timeFormat: string;
  readonly timeZone: string;
}

/** The import's data source for `project` in `region`; `timeZone` is the project's UTC offset (`+0800`). */
export function rtImportSource(region: string, project: string, timeZone: string): RtImportSource {
  utcOffsetSeconds(timeZone);
  return {
    type: "AliyunMaxCompute",
    endpoint: `https://service.${region}.maxcompute.aliyun.com/api`,
    tunnelEndpoint: `https://dt.${region}.maxcompute.aliyun.com`,
    project,
    table: RT_FEED_TABLE,
    // The feed is one non-partitioned snapshot.
    partitionSpec: "",
    timeField: "computed_at",
    timeFormat: RT_IMPORT_TIME_FORMAT,
    timeZone,
  };
}

/** The import's `interval` (`<n>m`): as often as the node refreshes the feed. */
export function rtImportInterval(intervalMinutes: number): string {
  return `${intervalMinutes}m`;
}

/** The SQL expression of `now` in epoch seconds (the test replaces it with the instant it evaluates at). */
export const NOW = "to_unixtime(now())";

/** Epoch seconds of today's 00:00 at the UTC offset `timeZone`. */
export function todayStartExpr(timeZone: string): string {
  const offset = utcOffsetSeconds(timeZone);
  return `floor((${NOW} + ${offset}) / 86400) * 86400 - ${offset}`;
}

const search = (...metrics: string[]): string => metrics.map((m) => `metric: ${m}`).join(" or ");

/** Dashboard charts over the imported rows (the metrics logstore), the newest value of each. */
export function rtDashboardQueries(intervalMinutes: number): MetricQuery[] {
  const recent = `${3 * intervalMinutes * 60}`;
  const latest = (metric: string, column: string): string =>
    `${search(metric)} | SELECT max(CASE WHEN __time__ = newest THEN value END) AS ${column} FROM log, (SELECT max(__time__) AS newest FROM log) n`;
  /** The newest import's rows of a per-dimension metric: `dim AS <dim>`, `<value> AS <column>`, ordered by it, first `limit`. */
  const latestPerDim = (metric: string, dim: string, value: string, column: string, limit: number): string =>
    `${search(metric)} | SELECT dim AS ${dim}, ${value} AS ${column} FROM log, (SELECT max(__time__) AS newest FROM log) n ` +
    `WHERE __time__ = newest GROUP BY dim ORDER BY ${column} DESC LIMIT ${limit}`;
  return [
    {
      id: "rt_online_users",
      title: "Online users (rt_online_users)",
      query: latest(RT_FEED_METRICS.onlineUsers, "online_users"),
      start: `-${recent}s`,
      end: "now",
      columns: ["online_users"],
    },
    {
      id: "rt_dau_today",
      title: "DAU today (rt_dau_daily)",
      query: latest(RT_FEED_METRICS.dauToday, "dau"),
      start: `-${recent}s`,
      end: "now",
      columns: ["dau"],
    },
    {
      id: "rt_photos_last_hour",
      title: "Photos in the last hour (rt_photos_per_minute)",
      query: latest(RT_FEED_METRICS.photosLastHour, "photos"),
      start: `-${recent}s`,
      end: "now",
      columns: ["photos"],
    },
    {
      id: "rt_funnel_today",
      title: "Conversion today, % of the busiest page (rt_funnel_daily)",
      query: latestPerDim(RT_FEED_METRICS.conversionRate, "page_name", "max(value)", "conversion_rate", 100),
      start: `-${recent}s`,
      end: "now",
      columns: ["page_name", "conversion_rate"],
    },
    {
      id: "rt_recent_logins",
      title: "Latest logins (rt_recent_logins)",
      query: latestPerDim(RT_FEED_METRICS.recentLogin, "user_id", "from_unixtime(max(value))", "last_login", 10),
      start: `-${recent}s`,
      end: "now",
      columns: ["user_id", "last_login"],
    },
    {
      id: "rt_metrics_age",
      title: "Age of the realtime metrics, seconds",
      query: `${search(RT_FEED_METRICS.dauToday)} | SELECT ${NOW} - max(__time__) AS age_seconds FROM log`,
      start: "-86400s",
      end: "now",
      columns: ["age_seconds"],
    },
  ];
}

/** One SLS alert on the metrics: its query, time range and the condition that fires it. */
export interface RtAlert {
  /** Alert name in the SLS project (stable: renaming replaces it). */
  readonly name: string;
  /** Stable suffix of the Pulumi child (`<tracking>-<suffix>`). */
  readonly suffix: string;
  readonly title: string;
  readonly description: string;
  readonly query: MetricQuery;
  /** SLS alert condition over the query's columns (`a > 1 && b >= 2`). */
  readonly condition: string;
  /** Annotation text (`${column}` placeholders). */
  readonly detail: string;
}

/** What the alerts are built from (`realtime.metrics` and `realtime.alerts`, resolved). */
export interface RtAlertSettings {
  readonly intervalMinutes: number;
  readonly dauDropPercent: number;
  readonly conversionFloorPercent: number;
  readonly minDau: number;
  /** UTC offset of the project's day (`tracking.extra.timeZone`, e.g. `+0800`). */
  readonly timeZone: string;
}

/** Intervals without a new metric row after which the pipeline counts as stalled. */
export const STALE_INTERVALS = 3;

/**
 * The anomaly alerts (each checked every `intervalMinutes`):
 * - `rt-dau-drop`: today's DAU so far is more than `dauDropPercent` below yesterday's at the same time
 *   (the newest DAU row of yesterday up to this time of day); judged only when yesterday had at least
 *   `minDau` users by now, so a quiet night, or the first days, never page;
 * - `rt-conversion-low`: the funnel's end-to-end conversion (the least-visited page's share of the
 *   busiest page's users, in the newest rows) below `conversionFloorPercent`, judged only when today
 *   has at least `minDau` users; off when the floor is 0;
 * - `rt-metrics-stale`: the newest metric row is older than {@link STALE_INTERVALS} intervals (the
 *   node or the import stopped). Night does not matter: the node writes a DAU row every run, 0 or not.
 */
export function rtAlerts(s: RtAlertSettings): RtAlert[] {
  const today = todayStartExpr(s.timeZone);
  const recentSeconds = 2 * s.intervalMinutes * 60;
  const staleSeconds = STALE_INTERVALS * s.intervalMinutes * 60;
  const alerts: RtAlert[] = [
    {
      name: "rt-dau-drop",
      suffix: "rt-dau-drop-alert",
      title: `DAU today more than ${s.dauDropPercent}% below yesterday at this time`,
      description: `Today's DAU so far (rt_dau_daily) is more than ${s.dauDropPercent}% below yesterday's at the same time of day; judged when yesterday had at least ${s.minDau} users by then.`,
      query: {
        id: "rt_dau_vs_yesterday",
        title: "DAU today vs yesterday at this time",
        query:
          `${search(RT_FEED_METRICS.dauToday)} | SELECT dau_today, COALESCE(dau_yesterday, 0) AS dau_yesterday, ` +
          `CASE WHEN dau_today IS NULL OR dau_yesterday IS NULL OR dau_yesterday = 0 THEN 0 ELSE round((dau_yesterday - dau_today) * 100.0 / dau_yesterday, 2) END AS dau_drop_percent ` +
          `FROM (SELECT max(CASE WHEN __time__ >= ${today} THEN value END) AS dau_today, ` +
          `max(CASE WHEN __time__ >= ${today} - 86400 AND __time__ <= ${NOW} - 86400 THEN value END) AS dau_yesterday FROM log) d`,
        start: "-2880m",
        end: "now",
        columns: ["dau_today", "dau_yesterday", "dau_drop_percent"],
      },
      condition: `dau_yesterday >= ${s.minDau} && dau_drop_percent > ${s.dauDropPercent}`,
      detail: "DAU today ${dau_today}, yesterday at this time ${dau_yesterday} (-${dau_drop_percent}%)",
    },
    {
      name: "rt-conversion-low",
      suffix: "rt-conversion-alert",
      title: `Conversion today below ${s.conversionFloorPercent}%`,
      description: `Today's end-to-end conversion (rt_funnel_daily: the least-visited page's users as a share of the busiest page's) is below ${s.conversionFloorPercent}%; judged when today has at least ${s.minDau} users.`,
      query: {
        id: "rt_conversion_today",
        title: "Conversion today (least-visited page, % of the busiest)",
        query:
          `${search(RT_FEED_METRICS.conversionRate, RT_FEED_METRICS.dauToday)} | SELECT ` +
          `COALESCE(min(CASE WHEN metric = '${RT_FEED_METRICS.conversionRate}' THEN value END), 100) AS conversion_rate, ` +
          `COALESCE(max(CASE WHEN metric = '${RT_FEED_METRICS.dauToday}' AND __time__ >= ${today} THEN value END), 0) AS dau_today ` +
          `FROM log WHERE __time__ >= ${NOW} - ${recentSeconds}`,
        start: `-${recentSeconds}s`,
        end: "now",
        columns: ["conversion_rate", "dau_today"],
      },
      condition: `dau_today >= ${s.minDau} && conversion_rate < ${s.conversionFloorPercent}`,
      detail: "conversion today ${conversion_rate}% with ${dau_today} users",
    },
    {
      name: "rt-metrics-stale",
      suffix: "rt-stale-alert",
      title: `Realtime metrics older than ${STALE_INTERVALS} intervals`,
      description: `No realtime metric newer than ${STALE_INTERVALS} x ${s.intervalMinutes} minutes reached SLS: the rt_metrics node or the import stalled.`,
      query: {
        id: "rt_metrics_age",
        title: "Age of the newest realtime metric, seconds",
        query: `${search(RT_FEED_METRICS.dauToday)} | SELECT COALESCE(${NOW} - max(__time__), 86400) AS age_seconds FROM log`,
        start: "-1440m",
        end: "now",
        columns: ["age_seconds"],
      },
      condition: `age_seconds > ${staleSeconds}`,
      detail: "newest realtime metric is ${age_seconds} s old",
    },
  ];
  return s.conversionFloorPercent > 0 ? alerts : alerts.filter((a) => a.name !== "rt-conversion-low");
}
