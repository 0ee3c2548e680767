/**
 * Holds each output of a simulated week (tests/support/pipeline-week.ts) to its expectation
 * (tests/support/report-expectations.ts): every check returns the differences it found, as text
 * naming the output, the period and both values, so that one failing test lists them all.
 *
 * Rounded values: the SQL rounds (ROUND(x, 2) and ROUND(x, 1)) and MariaDB's rounding of a double
 * may break ties differently from MaxCompute's, so a rounded value is held to lie within half a unit
 * of the exact value: it is a correct rounding of it, whichever way a tie goes.
 */
import { DAILY_REPORTS, HOURLY_AGGREGATE_FILES, hourlyAggregateName } from "../../lib/dataworks/layer-sql";
import { odsTableName } from "../../lib/maxcompute/ods-tables";
import { NodeRun, PipelineWeek, Probe } from "./pipeline-week";
import {
  SourceState,
  expectedDau,
  expectedDauToday,
  expectedFunnel,
  expectedFunnelToday,
  expectedGuideUsageHour,
  expectedNewUsers,
  expectedOnlineUsers,
  expectedPageViewsHour,
  expectedPhotos,
  expectedPhotosHour,
  expectedPhotosLastHour,
  expectedPhotosLastHourByMinute,
  expectedRecentLoginTimes,
  FunnelStep,
} from "./report-expectations";
import { Week, WeekTable } from "./synthetic-week";
import { RT_FEED_METRICS, RT_FEED_TABLE } from "../../lib/metrics/rt-metrics";

/** T+1 report -> the daily ODS table whose load it reads (each reads one, lib/dataworks/layer-sql.ts DAILY_REPORTS). */
export const DAILY_REPORTS_READ: Readonly<Record<string, string>> = Object.fromEntries(DAILY_REPORTS.map((r) => [r.name, odsTableName(r.sources[0], "daily")]));

/** Hourly ODS table -> the hand-written aggregate that reads it. */
export const HOURLY_READ: Readonly<Record<string, string>> = Object.fromEntries(
  Object.keys(HOURLY_AGGREGATE_FILES).map((t) => [odsTableName(t, "hourly"), hourlyAggregateName(t)]),
);

/** The realtime metric probes of a week: each day at midnight, just after an hour edge, at noon and in its last seconds. */
export function probeInstants(week: Week): string[] {
  return week.days.flatMap((d) => ["00:00:00", "11:00:30", "12:00:00", "23:59:50", "23:59:59"].map((t) => `${d} ${t}`));
}

const sameNumber = (a: unknown, b: number): boolean => a !== null && a !== undefined && Number(a) === b;
/** `actual` is a correct rounding of `exact` to a unit of `unit` (null exactly when exact is null). */
const rounds = (actual: unknown, exact: number | null, unit: number): boolean =>
  exact === null ? actual === null : actual !== null && Math.abs(Number(actual) - exact) <= unit / 2 + 1e-9;
const show = (v: unknown): string => JSON.stringify(v);

function compareFunnel(what: string, actual: Record<string, unknown>[], expected: FunnelStep[], rateColumn: string, usersColumn: string): string[] {
  const rows = [...actual].sort((a, b) => String(a.page_name).localeCompare(String(b.page_name)));
  const ok =
    rows.length === expected.length &&
    rows.every(
      (r, i) => r.page_name === expected[i].page_name && sameNumber(r[usersColumn], expected[i].users) && rounds(r[rateColumn], expected[i].rate, 0.01),
    );
  return ok ? [] : [`${what}: got ${show(rows)}, expected ${show(expected)}`];
}

/** One T+1 report's partition of `day` (yyyy-mm-dd) against the source at its load. */
export async function checkDaily(run: PipelineWeek, report: string, day: string, s: SourceState): Promise<string[]> {
  const rows = await run.rows(`SELECT * FROM \`${report}\` WHERE ds = ?`, [day.replace(/-/g, "")]);
  const what = `${report} ds=${day}`;
  const one = (expected: Record<string, number>): string[] =>
    rows.length === 1 && Object.entries(expected).every(([k, v]) => sameNumber(rows[0][k], v))
      ? []
      : [`${what}: got ${show(rows)}, expected ${show(expected)}`];
  switch (report) {
    case "ads_dau_d":
      return one(expectedDau(s, day));
    case "ads_funnel_d":
      return compareFunnel(what, rows, expectedFunnel(s, day), "conversion_rate", "users");
    case "ads_new_users_d": {
      const expected = expectedNewUsers(s, day);
      const got = rows.map((r) => ({ source: r.source, new_users: Number(r.new_users) })).sort((a, b) => String(a.source).localeCompare(String(b.source)));
      return show(got) === show(expected) ? [] : [`${what}: got ${show(got)}, expected ${show(expected)}`];
    }
    case "ads_photos_d": {
      const { avg_score, ...counts } = expectedPhotos(s, day);
      const problems = one(counts);
      if (rows.length === 1 && !rounds(rows[0].avg_score, avg_score, 0.01)) problems.push(`${what}: avg_score ${show(rows[0].avg_score)}, exact ${avg_score}`);
      return problems;
    }
    default:
      throw new Error(`no check for report ${report}`);
  }
}

/** One hourly aggregate's partition (ds yyyymmdd, hh) against the source at its load. */
export async function checkHourly(run: PipelineWeek, aggregate: string, dsValue: string, hh: string, s: SourceState): Promise<string[]> {
  const rows = await run.rows(`SELECT * FROM \`${aggregate}\` WHERE ds = ? AND hh = ?`, [dsValue, hh]);
  const hour = `${dsValue.slice(0, 4)}-${dsValue.slice(4, 6)}-${dsValue.slice(6, 8)} ${hh}`;
  const what = `${aggregate} ds=${dsValue}/hh=${hh}`;
  const by = (c: string): Record<string, unknown>[] => [...rows].sort((a, b) => String(a[c]).localeCompare(String(b[c])));
  switch (aggregate) {
    case "dws_page_views_agg_h": {
      const expected = expectedPageViewsHour(s, hour);
      const got = by("page_name");
      const ok =
        got.length === expected.length &&
        got.every(
          (r, i) =>
            r.page_name === expected[i].page_name &&
            sameNumber(r.pv, expected[i].pv) &&
            sameNumber(r.uv, expected[i].uv) &&
            rounds(r.avg_stay_ms, expected[i].avg_stay_ms, 0.1),
        );
      return ok ? [] : [`${what}: got ${show(got)}, expected ${show(expected)}`];
    }
    case "dws_guide_usage_agg_h": {
      const expected = expectedGuideUsageHour(s, hour);
      const got = by("guide_id").map((r) => ({
        guide_id: r.guide_id,
        guide_name: r.guide_name,
        uses: Number(r.uses),
        users: Number(r.users),
        duration_seconds: Number(r.duration_seconds),
      }));
      return show(got) === show(expected) ? [] : [`${what}: got ${show(got)}, expected ${show(expected)}`];
    }
    case "dws_photo_records_agg_h": {
      const expected = expectedPhotosHour(s, hour);
      const ok = rows.length === 1 && Object.entries(expected).every(([k, v]) => sameNumber(rows[0][k], v));
      return ok ? [] : [`${what}: got ${show(rows)}, expected ${show(expected)}`];
    }
    default:
      throw new Error(`no check for aggregate ${aggregate}`);
  }
}

/** One realtime metric at a probe instant against the source then. */
export function checkProbe(p: Probe, s: SourceState): string[] {
  const what = `${p.metric} at ${p.at}`;
  const single = (expected: Record<string, number>): string[] =>
    p.rows.length === 1 && Object.entries(expected).every(([k, v]) => sameNumber(p.rows[0][k], v))
      ? []
      : [`${what}: got ${show(p.rows)}, expected ${show(expected)}`];
  switch (p.metric) {
    case "online_users_now":
      return single(expectedOnlineUsers(s, p.at));
    case "dau_today":
      return single(expectedDauToday(s, p.at));
    case "photos_last_hour":
      return single(expectedPhotosLastHour(s, p.at));
    case "funnel_today":
      return compareFunnel(what, p.rows, expectedFunnelToday(s, p.at), "conversion_rate_pct", "page_users");
    case "recent_logins": {
      // Ties in last_login_time may come in any order: the times must be the expected ones, newest
      // first, and each row must be a user who logged in last at that time.
      const times = p.rows.map((r) => r.last_login_time);
      const users = s.get("users")!;
      const genuine = p.rows.every((r) =>
        [...users.values()].some(
          (u) => u.user_id === r.user_id && u.last_login_time === r.last_login_time && u.nickname === r.nickname && u.source === r.source,
        ),
      );
      const expected = expectedRecentLoginTimes(s);
      return show(times) === show(expected) && genuine ? [] : [`${what}: got ${show(p.rows)}, expected login times ${show(expected)}`];
    }
    case RT_FEED_TABLE:
      return checkRtFeed(p, s);
    default:
      return [`${what}: no expectation for metric ${p.metric}`];
  }
}

/**
 * The rt_metrics node's feed at a probe (the node ran at that instant): every row stamped with the
 * instant, and each value the seed's metric over the source then, as the rt_* contract keeps it.
 */
function checkRtFeed(p: Probe, s: SourceState): string[] {
  const what = `${RT_FEED_TABLE} at ${p.at}`;
  const problems: string[] = [];
  const of = (metric: string): Record<string, unknown>[] => p.rows.filter((r) => r.metric === metric);
  const stale = p.rows.filter((r) => r.computed_at !== p.at);
  if (stale.length > 0) problems.push(`${what}: rows not computed at the probe: ${show(stale)}`);
  const one = (metric: string, dim: string, expected: number): void => {
    const rows = of(metric);
    if (!(rows.length === 1 && rows[0].dim === dim && sameNumber(rows[0].value, expected))) {
      problems.push(`${what}: ${metric} got ${show(rows)}, expected dim ${show(dim)} value ${expected}`);
    }
  };
  one(RT_FEED_METRICS.onlineUsers, "", expectedOnlineUsers(s, p.at).online_users);
  one(RT_FEED_METRICS.dauToday, p.at.slice(0, 10).replace(/-/g, ""), expectedDauToday(s, p.at).realtime_dau);
  one(RT_FEED_METRICS.photosLastHour, "", expectedPhotosLastHourByMinute(s, p.at));
  const funnel = expectedFunnelToday(s, p.at);
  const users = of(RT_FEED_METRICS.funnelUsers).map((r) => ({ page_name: r.dim, users: r.value }));
  const rates = new Map(of(RT_FEED_METRICS.conversionRate).map((r) => [r.dim, r.value]));
  problems.push(
    ...compareFunnel(
      `${what} funnel`,
      users.map((u) => ({ ...u, rate: (rates.get(u.page_name) ?? null) as unknown })),
      funnel,
      "rate",
      "users",
    ),
  );
  // The latest logins: the users' last_login_time (from the source) are the 10 latest since DTS started (the
  // node reads the change log, not the baseline: docs/realtime.md), newest first up to ties.
  const byUser = new Map<unknown, string | null>([...s.get("users")!.values()].map((u) => [u.user_id, u.last_login_time as string | null]));
  const times = of(RT_FEED_METRICS.recentLogin)
    .map((r) => byUser.get(r.dim) ?? `missing:${String(r.dim)}`)
    .sort((a, b) => String(b).localeCompare(String(a)));
  const since = p.since ?? "";
  const expected = [...s.get("users")!.values()]
    .map((u) => u.last_login_time as string | null)
    .filter((t): t is string => t !== null && t >= since)
    .sort((a, b) => b.localeCompare(a))
    .slice(0, 10);
  if (show(times) !== show(expected)) problems.push(`${what}: recent_login users last logged in at ${show(times)}, expected ${show(expected)}`);
  return problems;
}

/** One snapshot node run: its (ds, hh) partition holds exactly the source's rows of the table at the run. */
export async function checkSnapshot(run: PipelineWeek, r: NodeRun, s: SourceState): Promise<string[]> {
  const table = r.node.replace(/^dwd_/, "").replace(/_snapshot_h$/, "") as WeekTable;
  const rows = await run.rows(`SELECT * FROM \`${r.node}\` WHERE ds = ? AND hh = ? ORDER BY id`, [r.params.bizdate, r.params.hh]);
  const expected = [...(s.get(table)?.values() ?? [])].sort((a, b) => Number(a.id) - Number(b.id));
  const norm = (row: Record<string, unknown>): string =>
    show(Object.keys(expected[0] ?? row).map((c) => (row[c] === null || row[c] === undefined ? null : String(row[c]))));
  const got = rows.map(norm);
  const want = expected.map(norm);
  if (show(got) === show(want)) return [];
  const missing = want.filter((x) => !got.includes(x));
  const extra = got.filter((x) => !want.includes(x));
  return [
    `${r.node} ds=${r.params.bizdate}/hh=${r.params.hh} at ${r.at}: ${missing.length} rows missing (${missing.slice(0, 2).join(" ")}), ${extra.length} extra (${extra.slice(0, 2).join(" ")})`,
  ];
}
