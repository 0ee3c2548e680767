/**
 * SLS queries of the seed's realtime metrics, generated from the event schema
 * (field names are checked against it), for the dashboard, the DAU alert and
 * the SLS realtime engine's Scheduled SQL. Pure: no Pulumi.
 *
 * SLS query syntax: `<search> | <SQL>`; `FROM log` is the logstore itself and
 * `__time__` the server receive time (epoch seconds). The time range comes
 * from the chart/alert (`start`/`end`); the SQL repeats the window as a
 * `__time__` filter so the number is right whatever range a viewer picks.
 */
import { eventFields } from "./event-schema";
import { utcOffsetSeconds } from "./tracking-config";

/** Event names the metrics count. Both match the schema's `event_name` pattern. */
export const PAGE_VIEW = "page_view";
export const PHOTO_UPLOAD = "photo_upload";

/** One metric query. */
export interface MetricQuery {
  /** Stable id, used as chart/alert key. */
  readonly id: string;
  readonly title: string;
  /** `<search> | <SQL>`. */
  readonly query: string;
  /** Relative range start, SLS syntax (`-300s`). */
  readonly start: string;
  readonly end: "now";
  /** The result column(s) the chart shows. */
  readonly columns: readonly string[];
}

function field(name: string): string {
  if (!eventFields().some((f) => f.name === name)) {
    throw new Error(`metric query uses field "${name}", which the event schema does not define`);
  }
  return name;
}

/** SQL expression: epoch seconds of today's 00:00 at the given UTC offset. */
export function startOfTodayExpr(timeZone: string): string {
  const offset = utcOffsetSeconds(timeZone);
  return `CAST(floor((to_unixtime(now()) + ${offset}) / 86400) * 86400 - ${offset} AS bigint)`;
}

/** The seed's realtime metrics, over the tracking logstore. */
export function realtimeMetricQueries(timeZone = "+0800"): MetricQuery[] {
  const user = field("user_id");
  const event = field("event_name");
  const page = field("page_name");
  const today = startOfTodayExpr(timeZone);
  return [
    {
      id: "online_users_5m",
      title: "Online users (last 5 minutes)",
      query: `* | SELECT COUNT(DISTINCT ${user}) AS online_users FROM log WHERE __time__ >= to_unixtime(now()) - 300`,
      start: "-300s",
      end: "now",
      columns: ["online_users"],
    },
    {
      id: "dau_today",
      title: "DAU today",
      query: `* | SELECT COUNT(DISTINCT ${user}) AS dau FROM log WHERE __time__ >= ${today}`,
      start: "-86400s",
      end: "now",
      columns: ["dau"],
    },
    {
      id: "photos_last_hour",
      title: "Photos uploaded (last hour)",
      query: `${event}: ${PHOTO_UPLOAD} | SELECT COUNT(*) AS photos FROM log WHERE __time__ >= to_unixtime(now()) - 3600`,
      start: "-3600s",
      end: "now",
      columns: ["photos"],
    },
    {
      id: "funnel_today",
      title: "Conversion funnel today (users per page)",
      query:
        `${event}: ${PAGE_VIEW} | SELECT ${page}, COUNT(DISTINCT ${user}) AS users, ` +
        `ROUND(COUNT(DISTINCT ${user}) * 100.0 / MAX(COUNT(DISTINCT ${user})) OVER (), 2) AS conversion_rate ` +
        `FROM log WHERE __time__ >= ${today} AND ${page} IS NOT NULL GROUP BY ${page} ORDER BY users DESC LIMIT 100`,
      start: "-86400s",
      end: "now",
      columns: [page, "users", "conversion_rate"],
    },
  ];
}

/** The alert's query: distinct users over the last hour, compared with the floor. */
export function dauLastHourQuery(): MetricQuery {
  const user = field("user_id");
  return {
    id: "dau_last_hour",
    title: "Distinct users (last hour)",
    query: `* | SELECT COUNT(DISTINCT ${user}) AS dau_last_hour FROM log WHERE __time__ >= to_unixtime(now()) - 3600`,
    start: "-3600s",
    end: "now",
    columns: ["dau_last_hour"],
  };
}

/** The alert's trigger condition. */
export function dauAlertCondition(dauFloor: number): string {
  if (!Number.isInteger(dauFloor) || dauFloor < 1) {
    throw new Error(`tracking.dauFloor is ${dauFloor}; the alert needs an integer >= 1 (0 turns the alert off)`);
  }
  return `dau_last_hour < ${dauFloor}`;
}

/**
 * The SLS realtime engine's Scheduled SQL: every minute, one row per minute
 * with active users, events and photos, written to the metrics logstore
 * (`__time__` of the row = the minute).
 */
export function perMinuteMetricsScript(): string {
  const user = field("user_id");
  const event = field("event_name");
  return (
    `* | SELECT __time__ - __time__ % 60 AS __time__, COUNT(DISTINCT ${user}) AS active_users, ` +
    `COUNT(*) AS events, COUNT_IF(${event} = '${PHOTO_UPLOAD}') AS photos, ` +
    `COUNT_IF(${event} = '${PAGE_VIEW}') AS page_views FROM log GROUP BY __time__ - __time__ % 60 LIMIT 1000`
  );
}

/** Trend charts over the metrics logstore (realtime engine dashboard). */
export function perMinuteTrendQueries(): MetricQuery[] {
  return [
    {
      id: "active_users_per_minute",
      title: "Active users per minute (24 h)",
      query: "* | SELECT date_format(from_unixtime(__time__), '%H:%i') AS minute, active_users FROM log ORDER BY __time__ LIMIT 1440",
      start: "-86400s",
      end: "now",
      columns: ["minute", "active_users"],
    },
    {
      id: "photos_per_minute",
      title: "Photos per minute (24 h)",
      query: "* | SELECT date_format(from_unixtime(__time__), '%H:%i') AS minute, photos FROM log ORDER BY __time__ LIMIT 1440",
      start: "-86400s",
      end: "now",
      columns: ["minute", "photos"],
    },
  ];
}

/** Event-schema fields a query mentions (identifier match). */
export function fieldsUsed(query: string): string[] {
  return eventFields()
    .map((f) => f.name)
    .filter((name) => new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`).test(query));
}
