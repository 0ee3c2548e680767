/**
 * The SLS alerts and dashboard charts on the realtime metrics (lib/sls/rt-metrics.ts), fed with rows of the
 * shape the import writes into the metrics logstore (one log per rt_metrics_feed row: `metric`, `dim`, `value`,
 * `__time__` = the row's computed_at; a copy per import run), for recorded days: a normal day, a tracking
 * outage, a quiet night, a broken funnel, a stalled node, the first minutes after midnight. The SQL part of
 * each query runs on MariaDB (a real engine) over the rows inside the alert's time range, with `now` fixed
 * (`to_unixtime(now())` is the only SLS-only function the queries use); the alert's condition is then
 * evaluated on the result row the way SLS evaluates it (comparisons joined by `&&`).
 *
 * Integration: needs MariaDB (a throwaway server, or MYSQL_TEST_URL).
 */
import * as mysql from "mysql2/promise";
import { MariaDbInstance, startMariaDb } from "./support/mariadb";
import { NOW, RtAlertSettings, rtAlerts, rtDashboardQueries } from "../lib/sls/rt-metrics";
import { MetricQuery } from "../lib/sls/queries";

const SETTINGS: RtAlertSettings = { intervalMinutes: 5, dauDropPercent: 50, conversionFloorPercent: 1, minDau: 100, timeZone: "+0800" };

/** Epoch seconds of a wall-clock instant in +08:00. */
const at = (local: string): number => Date.parse(`${local.replace(" ", "T")}+08:00`) / 1000;
const ds = (t: number): string => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10).replace(/-/g, "");

interface Log {
  readonly time: number;
  readonly metric: string;
  readonly dim: string;
  readonly value: number;
}

/** A day's DAU so far at `t`: `total` users spread evenly over the day. */
const dauAt = (t: number, total: number): number => Math.floor((total * (((t + 8 * 3600) % 86400) / 86400)) as number);

/**
 * The logs of the node's runs every 5 minutes from `from` to `to` (inclusive), each imported twice (the import
 * may copy a feed again before the next run): DAU so far from `dau(t)`, online users, photos, the funnel.
 */
function runs(from: number, to: number, dau: (t: number) => number, funnel: (t: number) => Record<string, number> = () => ({})): Log[] {
  const out: Log[] = [];
  for (let t = from; t <= to; t += 300) {
    const users = dau(t);
    const pages = funnel(t);
    const busiest = Math.max(1, ...Object.values(pages));
    const feed: Log[] = [
      { time: t, metric: "dau_today", dim: ds(t), value: users },
      { time: t, metric: "online_users", dim: "", value: Math.floor(users / 20) },
      { time: t, metric: "photos_last_hour", dim: "", value: Math.floor(users / 10) },
      ...Object.entries(pages).flatMap(([page, n]) => [
        { time: t, metric: "funnel_users", dim: page, value: n },
        { time: t, metric: "conversion_rate", dim: page, value: Math.round((n * 10000) / busiest) / 100 },
      ]),
    ];
    out.push(...feed, ...feed);
  }
  return out;
}

/** A healthy funnel for `users` visitors: everyone on home, a quarter on result. */
const healthyFunnel = (users: number): Record<string, number> => ({ home: users, upload: Math.floor(users / 2), result: Math.floor(users / 4) });

let server: MariaDbInstance;
let db: mysql.Connection;

beforeAll(async () => {
  server = await startMariaDb({ logBin: false });
  const admin = await server.admin();
  await admin.query("DROP DATABASE IF EXISTS rt_alerts; CREATE DATABASE rt_alerts");
  await admin.end();
  db = await mysql.createConnection({ host: server.host, port: server.port, user: server.adminUser, password: server.adminPassword, database: "rt_alerts" });
  await db.query("CREATE TABLE logs (__time__ BIGINT NOT NULL, metric VARCHAR(64) NOT NULL, dim VARCHAR(64) NOT NULL, value DOUBLE NOT NULL)");
}, 120_000);

afterAll(async () => {
  await db?.end();
  await server?.stop();
});

/** Seconds of an SLS relative time (`-2880m`, `-600s`). */
function relativeSeconds(start: string): number {
  const m = /^-(\d+)([smhd])$/.exec(start);
  if (!m) throw new Error(`relative time ${start} not understood`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"];
}

/** Runs a query's SQL over the logs in its time range ending at `now`, as SLS runs it: one result row. */
async function evaluate(logs: readonly Log[], q: MetricQuery, now: number): Promise<Record<string, unknown>[]> {
  await db.query("DELETE FROM logs");
  if (logs.length > 0) await db.query("INSERT INTO logs VALUES ?", [logs.map((l) => [l.time, l.metric, l.dim, l.value])]);
  const [search, sql] = q.query.split(" | ");
  const metrics = search.split(" or ").map((s) => /^metric: (\w+)$/.exec(s)![1]);
  const window = `__time__ >= ${now - relativeSeconds(q.start)} AND __time__ < ${now}`;
  const log = `(SELECT * FROM logs WHERE metric IN (${metrics.map((m) => `'${m}'`).join(", ")}) AND ${window}) log`;
  const text = sql
    .split(NOW)
    .join(String(now))
    .replace(/\bFROM log\b/g, `FROM ${log}`);
  const [rows] = await db.query(text);
  return (rows as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : Number(v)])));
}

/** An SLS alert condition (`a >= 1 && b < 2`) over one result row. */
function fires(condition: string, row: Record<string, unknown>): boolean {
  return condition.split(" && ").every((clause) => {
    const m = /^(\w+) (>=|<=|>|<|==) (-?[\d.]+)$/.exec(clause.trim());
    if (!m) throw new Error(`condition clause ${clause} not understood`);
    const v = row[m[1]];
    if (v === null || v === undefined) return false;
    const [x, y] = [Number(v), Number(m[3])];
    return { ">=": x >= y, "<=": x <= y, ">": x > y, "<": x < y, "==": x === y }[m[2] as ">="];
  });
}

/** The alerts that fire at `now` over `logs`, and each alert's result row. */
async function check(logs: readonly Log[], now: number): Promise<{ fired: string[]; rows: Record<string, Record<string, unknown>> }> {
  const fired: string[] = [];
  const rows: Record<string, Record<string, unknown>> = {};
  for (const a of rtAlerts(SETTINGS)) {
    const result = await evaluate(logs, a.query, now);
    expect(result).toHaveLength(1);
    rows[a.name] = result[0];
    if (fires(a.condition, result[0])) fired.push(a.name);
  }
  return { fired, rows };
}

const yesterday = (local: string): number => at(local) - 86400;

/** The runs of the whole day before `day` at a full-day DAU of `dauYesterday` (no funnel rows). */
const dayBefore = (day: string, dauYesterday: number) => runs(yesterday(`${day} 00:00:00`), yesterday(`${day} 23:55:00`), (t) => dauAt(t, dauYesterday));

/** Yesterday at `dauYesterday`, then `day`'s runs from midnight to `until` at a full-day DAU of `dauToday` and a healthy funnel. */
const yesterdayThenToday = (day: string, until: string, dauYesterday: number, dauToday: number) => [
  ...dayBefore(day, dauYesterday),
  ...runs(
    at(`${day} 00:00:00`),
    at(`${day} ${until}`),
    (t) => dauAt(t, dauToday),
    (t) => healthyFunnel(dauAt(t, dauToday)),
  ),
];

describe("the realtime alerts over recorded-shape rows (MariaDB)", () => {
  it("a normal day fires nothing: DAU 5% below yesterday at noon, a healthy funnel, fresh rows", async () => {
    const now = at("2026-03-04 12:02:00");
    const logs = yesterdayThenToday("2026-03-04", "12:00:00", 1000, 950);
    const r = await check(logs, now);
    expect(r.rows["rt-dau-drop"]).toEqual({ dau_today: 475, dau_yesterday: 500, dau_drop_percent: 5 });
    expect(r.rows["rt-conversion-low"]).toEqual({ conversion_rate: 24.84, dau_today: 475 });
    expect(r.rows["rt-metrics-stale"]).toEqual({ age_seconds: 120 });
    expect(r.fired).toEqual([]);
  });

  it("a tracking outage fires the DAU drop only: 200 users at noon against 500 yesterday (-60%)", async () => {
    const now = at("2026-03-04 12:02:00");
    const logs = yesterdayThenToday("2026-03-04", "12:00:00", 1000, 400);
    const r = await check(logs, now);
    expect(r.rows["rt-dau-drop"]).toEqual({ dau_today: 200, dau_yesterday: 500, dau_drop_percent: 60 });
    expect(r.fired).toEqual(["rt-dau-drop"]);
  });

  it("a quiet night fires nothing: DAU 90% down and no conversion at 03:00, but yesterday had 50 users by then (< minDau 100)", async () => {
    const now = at("2026-03-04 03:01:00");
    const logs = [
      ...dayBefore("2026-03-04", 400),
      ...runs(
        at("2026-03-04 00:00:00"),
        at("2026-03-04 03:00:00"),
        (t) => Math.floor(dauAt(t, 400) / 10),
        () => ({ home: 5, result: 0 }),
      ),
    ];
    const r = await check(logs, now);
    expect(r.rows["rt-dau-drop"]).toEqual({ dau_today: 5, dau_yesterday: 50, dau_drop_percent: 90 });
    expect(r.rows["rt-conversion-low"]).toEqual({ conversion_rate: 0, dau_today: 5 });
    expect(r.fired).toEqual([]);
  });

  it("a broken funnel fires the conversion alert only: the last page at 0.4% of the first with 475 users", async () => {
    const now = at("2026-03-04 12:02:00");
    const logs = [
      ...dayBefore("2026-03-04", 1000),
      ...runs(
        at("2026-03-04 00:00:00"),
        at("2026-03-04 12:00:00"),
        (t) => dauAt(t, 950),
        (t) => ({ home: dauAt(t, 950), upload: 100, result: 2 }),
      ),
    ];
    const r = await check(logs, now);
    expect(r.rows["rt-conversion-low"]).toEqual({ conversion_rate: 0.42, dau_today: 475 });
    expect(r.fired).toEqual(["rt-conversion-low"]);
  });

  it("a stalled node fires the stale alert only: the newest row is 20 minutes old (> 3 intervals of 5)", async () => {
    const now = at("2026-03-04 12:00:00");
    const logs = yesterdayThenToday("2026-03-04", "11:40:00", 1000, 1000);
    const r = await check(logs, now);
    expect(r.rows["rt-metrics-stale"]).toEqual({ age_seconds: 1200 });
    expect(r.rows["rt-conversion-low"]).toEqual({ conversion_rate: 100, dau_today: 0 });
    expect(r.fired).toEqual(["rt-metrics-stale"]);
    // 15 minutes is still within three intervals.
    expect((await check(logs, at("2026-03-04 11:55:00"))).fired).toEqual([]);
  });

  it("just after midnight compares with yesterday's 00:05, not the day before's 23:55", async () => {
    const now = at("2026-03-04 00:06:00");
    const logs = [...dayBefore("2026-03-03", 1000), ...dayBefore("2026-03-04", 1000), ...runs(at("2026-03-04 00:00:00"), at("2026-03-04 00:05:00"), () => 0)];
    const r = await check(logs, now);
    expect(r.rows["rt-dau-drop"]).toEqual({ dau_today: 0, dau_yesterday: 3, dau_drop_percent: 100 });
    expect(r.fired).toEqual([]);
  });

  it("the dashboard charts show the newest values, and the age of the rows", async () => {
    const now = at("2026-03-04 12:02:00");
    const logs = runs(
      at("2026-03-04 11:30:00"),
      at("2026-03-04 12:00:00"),
      (t) => dauAt(t, 950),
      (t) => healthyFunnel(dauAt(t, 950)),
    );
    const q = Object.fromEntries(rtDashboardQueries(5).map((x) => [x.id, x]));
    expect(await evaluate(logs, q.rt_dau_today, now)).toEqual([{ dau: 475 }]);
    expect(await evaluate(logs, q.rt_online_users, now)).toEqual([{ online_users: 23 }]);
    expect(await evaluate(logs, q.rt_photos_last_hour, now)).toEqual([{ photos: 47 }]);
    expect(await evaluate(logs, q.rt_metrics_age, now)).toEqual([{ age_seconds: 120 }]);
    const funnel = await evaluate(logs, q.rt_funnel_today, now);
    expect(funnel.map((r) => r.conversion_rate)).toEqual([100, 49.89, 24.84]);
  });
});
