/**
 * The realtime metrics on the dts and canal-datahub engines (issue 27): the minute-scheduled rt_metrics node
 * (config, cron, bounded SQL), its import into SLS, the dashboard charts, the alerts, and their cost. The node's
 * numbers are checked on MariaDB by tests/sql-week.test.ts (the rt_metrics_feed probes); the alert queries by
 * tests/realtime-metrics-alerts.test.ts.
 */
import * as fs from "fs";
import * as path from "path";
import { configProblems, input } from "./support/config";
import { named, ofType, planOf } from "./support/plan";
import { CANAL_VALUES } from "./support/canal";
import { FLINK_CONFIG } from "./support/flink";
import { MINUTE_CRON_INTERVALS, cronRunsPerDay, minuteCron, parseQuartzCron } from "../lib/config/cron";
import { metricsNodePlan, realtimePlans } from "../lib/dataworks/layer-sql";
import { RT_FEED_TABLE, recentRowsSql, rtMetricsNodeSql } from "../lib/metrics/rt-metrics";
import { rtAlerts, rtDashboardQueries, rtImportSource } from "../lib/sls/rt-metrics";
import { TYPES } from "../lib/plan/type-tokens";
import { Plan } from "../lib/plan/types";
import { estimate } from "../lib/cost/model";
import { DEFAULT_OPTIONS, DEFAULT_SIZES } from "../lib/cost/config";
import { priceTable } from "../lib/cost/prices";
import { SourceSchema } from "../lib/config/source-schema";

const ROOT = path.join(__dirname, "..");
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "sql/mysql/photo_assistant.schema.json"), "utf8")) as SourceSchema;
const realtime = ["users", "page_views", "photo_records"].map((name) => ({ name, primaryKey: ["id"], realtime: true }));
const golden = (file: string): Plan => JSON.parse(fs.readFileSync(path.join(ROOT, "tests/golden/plans", file), "utf8")) as Plan;

describe("realtime.metrics.intervalMinutes", () => {
  it("defaults to 5: the node runs every 5 minutes, 288 times a day", () => {
    expect(minuteCron("k", 5)).toBe("00 00/5 * * * ?");
    expect(cronRunsPerDay("00 00/5 * * * ?")).toBe(288);
    expect(parseQuartzCron("00 00/10 * * * ?")).toEqual({ kind: "minute", second: 0, everyMinutes: 10 });
    expect(parseQuartzCron("0 */15 * * * ?")).toEqual({ kind: "minute", second: 0, everyMinutes: 15 });
  });

  it.each([1, 3, 7, 25, 45, 60])("fails when the interval is %i minutes (not a DataWorks minute interval dividing the hour)", (n) => {
    expect(() => minuteCron("realtime.metrics.intervalMinutes", n)).toThrow(
      `realtime.metrics.intervalMinutes ${n} is not an interval DataWorks' minute scheduling accepts; allowed: 5, 10, 15, 20, 30 (minutes; at least 5, dividing the hour)`,
    );
    expect(parseQuartzCron(`00 00/${n} * * * ?`)).toBeUndefined();
  });

  it("fails in the config check, naming the key, the value and the intervals allowed, before any resource", () => {
    expect(configProblems(input({ "photo-analytics:realtime": { metrics: { intervalMinutes: 7 } } }))).toEqual([
      "photo-analytics:realtime.metrics.intervalMinutes: 7 is not allowed; allowed values: 5, 10, 15, 20, 30",
    ]);
    expect(configProblems(input({ "photo-analytics:realtime": { alerts: { dauDropPercent: 0, conversionFloorPercent: 101 } } }))).toEqual([
      "photo-analytics:realtime.alerts.dauDropPercent: 0 is out of range; allowed: >= 1 and <= 100",
      "photo-analytics:realtime.alerts.conversionFloorPercent: 101 is out of range; allowed: >= 0 and <= 100",
    ]);
    expect(MINUTE_CRON_INTERVALS).toEqual([5, 10, 15, 20, 30]);
  });
});

describe("the rt_metrics node", () => {
  it("is one more plan of the realtime layer, on a minute schedule, after the view and snapshot nodes", () => {
    const plans = realtimePlans(realtime, {
      viewSql: { users: "v", page_views: "v", photo_records: "v" },
      snapshotSql: {},
      metricsSql: "SELECT 1;",
      metricsIntervalMinutes: 10,
    });
    expect(plans.map((p) => p.name)).toEqual(["users_realtime", "page_views_realtime", "photo_records_realtime", "rt_metrics"]);
    expect(plans[3]).toEqual({
      name: "rt_metrics",
      folder: "realtime",
      script: "SELECT 1;",
      cron: "00 00/10 * * * ?",
      parameters: {},
      instanceMode: "Immediately",
      after: [],
      description: "Refreshes the realtime metrics (rt_* tables) and their SLS feed every 10 minutes",
      sources: ["users", "page_views", "photo_records"],
    });
    expect(() => metricsNodePlan("x", 3, [])).toThrow(/realtime.metrics.intervalMinutes 3 is not an interval/);
  });

  it.each(["dts", "canal-datahub"] as const)(
    "reads only the %s change log of yesterday and today, never a view, the baseline or a compacted image",
    (engine) => {
      const sql = rtMetricsNodeSql(engine, schema, realtime);
      expect(sql).not.toMatch(/_realtime`|_base`|_compacted`|MAX_PT/);
      const logs =
        engine === "dts" ? ["page_views_log", "photo_records_log", "users_log"] : ["page_views_canal_log", "photo_records_canal_log", "users_canal_log"];
      const reads = [...sql.matchAll(/FROM `(\w+_log)`\n\s*(?:LATERAL VIEW [^\n]+\n\s*)?WHERE ([^\n]+)/g)].map((m) => [m[1], m[2]]);
      // page_views for online users, DAU and the funnel; photo_records and users once each.
      expect(reads.map(([t]) => t).sort()).toEqual([logs[0], logs[0], logs[0], logs[1], logs[2]]);
      const day =
        engine === "dts"
          ? "(CAST(`modifytime_year` AS BIGINT) * 10000 + CAST(`modifytime_month` AS BIGINT) * 100 + CAST(`modifytime_day` AS BIGINT))"
          : "CAST(ds AS BIGINT)";
      for (const [, where] of reads) expect(where.startsWith(`${day} >= CAST(TO_CHAR(DATEADD(GETDATE(), -1, 'dd'), 'yyyymmdd') AS BIGINT)`)).toBe(true);
    },
  );

  it("fills the five rt_* tables of the Flink engine's contract, then overwrites the feed with one row per value", () => {
    const sql = rtMetricsNodeSql("dts", schema, realtime);
    expect([...sql.matchAll(/^CREATE TABLE IF NOT EXISTS (\w+)/gm)].map((m) => m[1])).toEqual([
      "rt_online_users",
      "rt_dau_daily",
      "rt_photos_per_minute",
      "rt_funnel_daily",
      "rt_recent_logins",
      RT_FEED_TABLE,
    ]);
    expect([...sql.matchAll(/^INSERT (INTO|OVERWRITE) TABLE (\w+)/gm)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      "INTO rt_online_users",
      "INTO rt_dau_daily",
      "INTO rt_photos_per_minute",
      "INTO rt_funnel_daily",
      "OVERWRITE rt_recent_logins",
      `OVERWRITE ${RT_FEED_TABLE}`,
    ]);
    expect(sql.match(/'(\w+)' AS metric/g)).toEqual([
      "'online_users' AS metric",
      "'dau_today' AS metric",
      "'photos_last_hour' AS metric",
      "'funnel_users' AS metric",
      "'conversion_rate' AS metric",
      "'recent_login' AS metric",
    ]);
  });

  it("computes only the metrics whose source tables are realtime, and fails when none is", () => {
    const sql = rtMetricsNodeSql("dts", schema, [{ name: "users", primaryKey: ["id"], realtime: true }]);
    expect([...sql.matchAll(/^INSERT (?:INTO|OVERWRITE) TABLE (\w+)/gm)].map((m) => m[1])).toEqual(["rt_recent_logins", RT_FEED_TABLE]);
    expect(() => rtMetricsNodeSql("dts", schema, [{ name: "feedback", primaryKey: ["id"], realtime: true }])).toThrow(
      "no realtime metric can be computed: each needs its source tables in the realtime set; realtime tables: feedback",
    );
    expect(() => recentRowsSql("dts", schema, { name: "nope", primaryKey: ["id"] })).toThrow(/"nope", which is not in source database/);
  });
});

describe("SLS: the import, the dashboard, the alerts", () => {
  it("imports the feed with the SDK's AliyunMaxCompute source fields, the computed_at column as the log time", () => {
    expect(rtImportSource("cn-shanghai", "photo_analytics", "+0800")).toEqual({
      type: "AliyunMaxCompute",
      endpoint: "https://service.cn-shanghai.maxcompute.aliyun.com/api",
      tunnelEndpoint: "https://dt.cn-shanghai.maxcompute.aliyun.com",
      project: "photo_analytics",
      table: "rt_metrics_feed",
      partitionSpec: "",
      timeField: "computed_at",
      timeFormat: "yyyy-MM-dd HH:mm:ss",
      timeZone: "+0800",
    });
  });

  it("judges the DAU and conversion alerts only above minDau, and leaves out the conversion alert at floor 0", () => {
    const s = { intervalMinutes: 5, dauDropPercent: 50, conversionFloorPercent: 1, minDau: 100, timeZone: "+0800" };
    expect(rtAlerts(s).map((a) => [a.name, a.condition])).toEqual([
      ["rt-dau-drop", "dau_yesterday >= 100 && dau_drop_percent > 50"],
      ["rt-conversion-low", "dau_today >= 100 && conversion_rate < 1"],
      ["rt-metrics-stale", "age_seconds > 900"],
    ]);
    expect(rtAlerts({ ...s, conversionFloorPercent: 0, intervalMinutes: 10 }).map((a) => [a.name, a.condition])).toEqual([
      ["rt-dau-drop", "dau_yesterday >= 100 && dau_drop_percent > 50"],
      ["rt-metrics-stale", "age_seconds > 1800"],
    ]);
    expect(rtDashboardQueries(5).map((q) => q.id)).toEqual([
      "rt_online_users",
      "rt_dau_today",
      "rt_photos_last_hour",
      "rt_funnel_today",
      "rt_recent_logins",
      "rt_metrics_age",
    ]);
  });
});

/** The rt_metrics inner node and the one workflow holding it (its schedule period's: `<ws>_realtime_every<n>min`). */
function metricsNode(p: Plan): { workflow: Record<string, unknown>; node: Record<string, unknown> } {
  const holding = ofType(p, TYPES.DataWorksWorkflow).filter((w) => (w.inputs.nodes as { name: string }[]).some((n) => n.name === "rt_metrics"));
  expect(holding).toHaveLength(1);
  return { workflow: holding[0].inputs, node: (holding[0].inputs.nodes as Record<string, unknown>[]).find((n) => n.name === "rt_metrics")! };
}

describe("the plans", () => {
  const sls = (p: Plan) => ({
    node: metricsNode(p).node,
    imports: ofType(p, TYPES.logIngestion).map((r) => r.inputs),
    alerts: ofType(p, TYPES.slsAlert)
      .filter((r) => /-rt-/.test(r.name))
      .map((r) => [r.name, (r.inputs.schedule as { interval: string }).interval])
      .sort(),
    readers: ofType(p, TYPES.ramUser).map((r) => r.name),
  });

  it("with dts at mature (the golden prod plan): the node every 5 minutes, the import every 5 minutes, three alerts", () => {
    const p = golden("prod-mature-dts.json");
    const s = sls(p);
    expect([s.node.cron, s.node.instanceMode]).toEqual(["00 00/5 * * * ?", "Immediately"]);
    // Its own workflow: a workflow's inner nodes share its schedule period (lib/dataworks/workflow-spec.ts).
    const { workflow } = metricsNode(p);
    expect([workflow.name, workflow.cron, (workflow.nodes as unknown[]).length]).toEqual(["photo_analytics_prod_realtime_every5min", "00 00/5 * * * ?", 1]);
    expect(s.imports).toEqual([
      {
        description: "Every 5 minutes: the rt_metrics_feed table of MaxCompute (written by the rt_metrics node) into the metrics logstore.",
        displayName: "Realtime metrics (rt_metrics_feed)",
        ingestionName: "rt-metrics-import",
        interval: "5m",
        logstore: "user_events_metrics",
        project: "photo-analytics-prod-tracking",
        runImmediately: true,
        source: "[computed]",
        timeZone: "+0800",
      },
    ]);
    expect(s.alerts).toEqual([
      ["analytics-tracking-rt-conversion-alert", "5m"],
      ["analytics-tracking-rt-dau-drop-alert", "5m"],
      ["analytics-tracking-rt-stale-alert", "5m"],
    ]);
    const charts = JSON.parse(String(named(p, "analytics-tracking-dashboard").inputs.charList)) as { title: string; search: { logstore: string } }[];
    expect(charts.map((c) => c.search.logstore)).toEqual([...Array(4).fill("user_events"), ...Array(6).fill("user_events_metrics")]);
    // Without a realtime layer (prod at growth) none of it exists; the metrics logstore's index is the same.
    const growth = golden("prod-growth-dts.json");
    expect(ofType(growth, TYPES.logIngestion)).toEqual([]);
    expect(growth.resources.filter((r) => r.name.includes("rt_metrics") || r.name.includes("-rt-"))).toEqual([]);
    expect(named(growth, "analytics-tracking-metrics-index").inputs).toEqual(named(p, "analytics-tracking-metrics-index").inputs);
  });

  it("with canal-datahub every 10 minutes: the node, the import and the alerts follow the interval; a stale metric is 30 minutes old", async () => {
    const realtimeValue = { ...(CANAL_VALUES["photo-analytics:realtime"] as object), metrics: { intervalMinutes: 10 }, alerts: { conversionFloorPercent: 0 } };
    const p = await planOf({ "photo-analytics:stage": "mature", ...CANAL_VALUES, "photo-analytics:realtime": realtimeValue });
    const s = sls(p);
    expect(s.node.cron).toBe("00 00/10 * * * ?");
    expect(String(s.node.script)).toContain("FROM `page_views_canal_log`");
    expect(s.imports.map((i) => i.interval)).toEqual(["10m"]);
    expect(s.alerts).toEqual([
      ["analytics-tracking-rt-dau-drop-alert", "10m"],
      ["analytics-tracking-rt-stale-alert", "10m"],
    ]);
    expect(s.readers).toEqual(["analytics-tracking-rt-reader-user"]);
  });

  it("with dataworks-flink: the Flink job writes rt_*, the node only copies them into the feed, and the same import and alerts follow", async () => {
    const p = await planOf({ "photo-analytics:stage": "mature", "photo-analytics:realtime": FLINK_CONFIG });
    const realtimeNodes = ofType(p, TYPES.DataWorksWorkflow)
      .filter((w) => w.inputs.layer === "realtime")
      .flatMap((w) => w.inputs.nodes as Record<string, unknown>[]);
    expect(realtimeNodes.map((n) => n.name)).toEqual(["rt_metrics"]);
    const script = String(realtimeNodes[0].script);
    expect([...script.matchAll(/^(CREATE TABLE IF NOT EXISTS|INSERT \w+ TABLE) (\w+)/gm)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      `CREATE TABLE IF NOT EXISTS ${RT_FEED_TABLE}`,
      `INSERT OVERWRITE TABLE ${RT_FEED_TABLE}`,
    ]);
    expect(script).not.toMatch(/_log`|_realtime`/);
    const s = sls(p);
    expect(s.imports.map((i) => i.interval)).toEqual(["5m"]);
    expect(s.alerts.map(([n]) => n)).toEqual([
      "analytics-tracking-rt-conversion-alert",
      "analytics-tracking-rt-dau-drop-alert",
      "analytics-tracking-rt-stale-alert",
    ]);
    // Its SQL is its own line: no view-reading "SQL (realtime layer)" on this engine.
    const e = estimate(p, DEFAULT_SIZES, priceTable({ "maxcompute.sql.gb": 0.3 }), DEFAULT_OPTIONS);
    expect(e.lines.filter((l) => l.item.startsWith("SQL (realtime")).map((l) => l.item)).toEqual(["SQL (realtime metrics node)"]);
  });

  it("prices the node's SQL per run and counts its 288 scheduling instances a day in the realtime tier", () => {
    const e = estimate(golden("prod-mature-dts.json"), DEFAULT_SIZES, priceTable({ "maxcompute.sql.gb": 0.3 }), DEFAULT_OPTIONS);
    const node = e.lines.filter((l) => l.name === "analytics-nodes-realtime-workflow-every5min");
    expect(node.map((l) => [l.layer, l.item, l.formula])).toEqual([
      ["realtime", "scheduling instances", expect.stringMatching(/^not priced: 288 runs\/day \(1 inner node\(s\): 1 x 288 runs\/day, by their crons\)/)],
      ["realtime", "SQL (realtime metrics node)", "288 runs/day x 0.01 GB/run (cost.sizes.rtMetricsGbPerRun) x complexity 1.5 x 30 days x maxcompute.sql.gb"],
    ]);
    expect(node[1].monthlyCny).toBeCloseTo(288 * 0.01 * 1.5 * 30 * 0.3, 6);
    const rt = e.lines.filter((l) => /-rt-/.test(l.name));
    expect(rt.map((l) => [l.name, l.layer, l.monthlyCny])).toEqual(
      expect.arrayContaining([
        ["analytics-tracking-rt-import", "realtime", 0],
        ["analytics-tracking-rt-dau-drop-alert", "realtime", 0],
        ["analytics-tracking-rt-reader-role", "realtime", 0],
      ]),
    );
  });
});
