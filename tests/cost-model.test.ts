import { DEFAULT_SIZES, costConfigFromValues, resolveCostConfig, COST_CONFIG_SCHEMA, CostSizes } from "../lib/cost/config";
import { COMPONENT_REASON, costDelta, cronRunsPerDay, estimate } from "../lib/cost/model";
import { DEFAULT_PRICES, PRICE_IDS, priceTable } from "../lib/cost/prices";
import { cny, costDeltaLinesMarkdown, costDeltaLinesText, costLinesMarkdown, costLinesText } from "../lib/cost/render";
import Ajv from "ajv";
import {
  component,
  dailyJob,
  dailyNode,
  dashboard,
  dauAlert,
  dtsInstance,
  dtsJob,
  hourlyJob,
  hourlyNode,
  mcExport,
  mcProject,
  metricsStore,
  perMinuteSql,
  plan,
  res,
  trackingStore,
} from "./cost-fixtures";
import { planOf } from "./support/plan";

// Round numbers so every expected amount below is checkable by hand. Every price id is set,
// so a change of a default price never changes these tests.
const prices = priceTable({
  "maxcompute.sql.gb": 0.3,
  "maxcompute.storage.gb-day": 0.004,
  "dataworks.serverless.cu-hour": 0.5,
  "dataworks.schedule.instance": 0.01,
  "dts.sync.micro.hour": 1,
  "dts.sync.small.month": 600,
  "sls.write.gb": 0.2,
  "sls.index.gb": 0.4,
  "sls.storage.gb-day": 0.01,
  "sls.shard.day": 0.05,
  "sls.request.million": 0.1,
  "sls.sql.core-hour": 0.5,
  "sls.ship.gb": 0.1,
});
const sizes: CostSizes = {
  daysPerMonth: 30,
  maxcomputeStorageGb: 100,
  scannedGbPerDay: { daily: 2, hourly: 4, realtime: 10 },
  sqlComplexity: 1,
  diRunMinutesPerDay: { daily: 30, hourly: 60 },
  dtsHoursPerMonth: 720,
  slsIngestGbPerDay: 1,
  slsOtherIngestGbPerDay: 0.1,
  slsCompressionRatio: 5,
  slsTrackingRequestsPerDay: 100000,
  slsScheduledSqlCpuSecondsPerRun: 1.25,
};

describe("price table", () => {
  it("has a source URL and a date for every price", () => {
    for (const p of DEFAULT_PRICES) {
      expect(p.source).toMatch(/^https:\/\/(help|www)\.aliyun\.com\//);
      expect(p.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.cny).toBeGreaterThan(0);
    }
    expect(new Set(PRICE_IDS).size).toBe(DEFAULT_PRICES.length);
  });
  it("names the documentation page of the billing rule for every price whose number is not verified", () => {
    for (const p of DEFAULT_PRICES.filter((x) => !x.verified)) {
      expect([p.id, p.ruleSource]).toEqual([p.id, expect.stringMatching(/^https:\/\/(help\.aliyun\.com|www\.alibabacloud\.com)\//)]);
    }
    expect(DEFAULT_PRICES.filter((x) => x.verified).map((x) => x.id)).toEqual(["maxcompute.sql.gb", "maxcompute.storage.gb-day"]);
  });
  it("has a price for every billed unit the model uses", () => {
    expect(PRICE_IDS).toEqual(
      expect.arrayContaining([
        "dataworks.schedule.instance",
        "sls.request.million",
        "sls.sql.core-hour",
        "sls.ship.gb",
        "dts.sync.micro.hour",
        "dts.sync.2xlarge.month",
      ]),
    );
  });
  it("keeps the documented MaxCompute prices", () => {
    const t = priceTable();
    expect(t["maxcompute.sql.gb"]).toMatchObject({ cny: 0.3, verified: true });
    expect(t["maxcompute.storage.gb-day"]).toMatchObject({ cny: 0.004, verified: true });
  });
  it("applies overrides by id", () => {
    expect(priceTable({ "sls.write.gb": 0.1 })["sls.write.gb"]).toMatchObject({ cny: 0.1, source: "config (photo-analytics:cost.prices)" });
  });
  it("fails when an override names an unknown id", () => {
    expect(() => priceTable({ "dts.sync.tiny.hour": 1 })).toThrow(/cost\.prices\.dts\.sync\.tiny\.hour: no such price id; allowed: .*dts\.sync\.micro\.hour/);
  });
  it("fails when an override is negative", () => {
    expect(() => priceTable({ "sls.write.gb": -1 })).toThrow(/cost\.prices\.sls\.write\.gb: -1 is not a price/);
  });
});

describe("cost config", () => {
  it("applies defaults under partial sizes", () => {
    const c = resolveCostConfig({ sizes: { maxcomputeStorageGb: 50, scannedGbPerDay: { hourly: 9 } }, prices: { "sls.index.gb": 1 } });
    expect(c.sizes.maxcomputeStorageGb).toBe(50);
    expect(c.sizes.scannedGbPerDay).toEqual({ daily: 2, hourly: 9, realtime: 5 });
    expect(c.sizes.daysPerMonth).toBe(30);
    expect(c.prices["sls.index.gb"].cny).toBe(1);
  });
  it("reads photo-analytics:cost from raw config values", () => {
    expect(costConfigFromValues({}).sizes).toEqual(DEFAULT_SIZES);
    expect(costConfigFromValues({ "photo-analytics:cost": '{"sizes":{"dtsHoursPerMonth":72}}' }).sizes.dtsHoursPerMonth).toBe(72);
    expect(() => costConfigFromValues({ "photo-analytics:cost": "[1]" })).toThrow(/photo-analytics:cost: \[1\] is not an object/);
  });
  it("schema fragment accepts the example and rejects unknown keys and price ids", () => {
    const validate = new Ajv({ allErrors: true }).compile(COST_CONFIG_SCHEMA);
    expect(
      validate({
        sizes: { slsIngestGbPerDay: 2, diRunMinutesPerDay: { hourly: 30 }, slsTrackingRequestsPerDay: 5000 },
        prices: { "dts.sync.small.hour": 1.1, "dataworks.schedule.instance": 0.02 },
      }),
    ).toBe(true);
    expect(validate({ sizes: { storageGb: 2 } })).toBe(false);
    expect(validate({ prices: { "no.such": 1 } })).toBe(false);
  });
});

describe("cronRunsPerDay", () => {
  it.each([
    ["00 30 01 * * ?", 1],
    ["00 20 * * * ?", 24],
    ["0 0/15 * * * ?", 96],
    ["0 0 8-20/4 * * ?", 4],
    ["0 0,30 9,18 * * ?", 4],
    ["* * * * *", 1440],
    ["*/5 * * * *", 288],
    ["0 2 * * *", 1],
  ])("%s runs %i times a day", (cron, runs) => {
    expect(cronRunsPerDay(cron)).toBe(runs);
  });
  it.each(["every hour", "0 61 * * * ?", "* * *"])("cannot read %p", (cron) => {
    expect(cronRunsPerDay(cron)).toBeUndefined();
  });
});

describe("estimate", () => {
  const all = plan([component, mcProject, dailyJob, hourlyJob, dtsInstance, dtsJob, trackingStore]);
  const est = estimate(all, sizes, prices);
  const amount = (name: string, item: string) => est.lines.find((l) => l.name === name && l.item === item)?.monthlyCny;

  it("prices MaxCompute storage and each present layer's SQL", () => {
    expect(amount(mcProject.name, "storage")).toBe(12); // 100 GB x 30 d x 0.004
    expect(amount(mcProject.name, "SQL (daily layer)")).toBe(18); // 2 x 1 x 30 x 0.3
    expect(amount(mcProject.name, "SQL (hourly layer)")).toBe(36); // 4 x 30 x 0.3
    expect(amount(mcProject.name, "SQL (realtime layer)")).toBe(90); // 10 x 30 x 0.3
  });
  it("prices DI jobs from their requested CUs and run minutes, plus one scheduling instance per table and run", () => {
    expect(amount(dailyJob.name, "Data Integration")).toBe(15); // 2 CU x 0.5 h x 30 x 0.5
    expect(amount(hourlyJob.name, "Data Integration")).toBe(60); // 4 CU x 1 h x 30 x 0.5
    expect(amount(dailyJob.name, "scheduling instances")).toBe(0.3); // 1 table x 1 run (daily default) x 30 x 0.01
    expect(amount(hourlyJob.name, "scheduling instances")).toBe(7.2); // 1 x 24 (hourly default) x 30 x 0.01
    const sevenTables = res(dailyJob.type, "analytics-sync-daily-incremental", {
      tableMappings: Array.from({ length: 7 }, () => ({})),
      transformationRules: [{ ruleActionType: "DefineCycleScheduleSettings", ruleExpression: '{"cronExpress":"00 30 00 * * ?","cycleType":"1"}' }],
    });
    expect(estimate(plan([sevenTables]), sizes, prices).lines.find((l) => l.item === "scheduling instances")).toMatchObject({
      monthlyCny: 2.1,
      formula: '7 tables x 1 runs/day (cron "00 30 00 * * ?") x 30 days x dataworks.schedule.instance',
    });
  });
  it("prices DataWorks nodes as scheduling instances from their cron; their SQL is on the MaxCompute project", () => {
    const e = estimate(plan([dailyNode, hourlyNode]), sizes, prices);
    expect(e.lines.map((l) => [l.name, l.layer, l.item, l.monthlyCny])).toEqual([
      [dailyNode.name, "daily", "scheduling instances", 0.3], // 1 x 30 x 0.01
      [hourlyNode.name, "hourly", "scheduling instances", 7.2], // 24 x 30 x 0.01
    ]);
    const odd = res(dailyNode.type, "analytics-nodes-daily-x", { cron: "whenever" });
    expect(estimate(plan([odd]), sizes, prices).lines[0]).toMatchObject({
      monthlyCny: 0.3,
      priced: true,
      formula: expect.stringContaining('cron "whenever" unreadable: 1 run/day assumed'),
    });
  });
  it("prices one DTS instance by class and hours; job and alarms are included", () => {
    expect(amount(dtsInstance.name, "DTS micro (PayAsYouGo)")).toBe(720);
    expect(est.resources.find((r) => r.name === dtsJob.name)).toMatchObject({ monthlyCny: 0, priced: true });
  });
  it("prices a subscription DTS instance per month, and xxlarge as 2xlarge", () => {
    const sub = res(dtsInstance.type, "rt", { instanceClass: "small", paymentType: "Subscription" });
    expect(estimate(plan([sub]), sizes, prices).totalCny).toBe(600);
    const big = res(dtsInstance.type, "rt", { instanceClass: "xxlarge", paymentType: "PayAsYouGo" });
    expect(estimate(plan([big]), { ...sizes, dtsHoursPerMonth: 10 }, prices).lines[0].formula).toBe("10 h x dts.sync.2xlarge.hour");
  });
  it("prices a logstore's write, index, storage and shards, and the tracking logstore's write requests", () => {
    expect(amount(trackingStore.name, "write traffic")).toBe(1.2); // 1/5 x 30 x 0.2
    expect(amount(trackingStore.name, "index traffic")).toBe(12); // 1 x 30 x 0.4
    expect(amount(trackingStore.name, "storage")).toBe(1.8); // 0.2 x 30 d retention = 6 GB x 30 x 0.01
    expect(amount(trackingStore.name, "shards")).toBe(3); // 2 x 30 x 0.05
    expect(amount(trackingStore.name, "write requests")).toBe(0.3); // 100,000 x 30 / 1e6 x 0.1
    const m = estimate(plan([metricsStore]), sizes, prices);
    expect(m.lines.map((l) => [l.item, l.monthlyCny])).toEqual([
      ["write traffic", 0.12], // 0.1/5 x 30 x 0.2
      ["index traffic", 1.2], // 0.1 x 30 x 0.4
      ["storage", 0.18], // 0.02 x 30 d = 0.6 GB x 30 x 0.01
      ["shards", 1.5], // 1 x 30 x 0.05
    ]);
  });
  it("prices the per-minute Scheduled SQL on the enhanced pool by CPU time, in the realtime layer", () => {
    const e = estimate(plan([perMinuteSql]), sizes, prices);
    expect(e.lines.map((l) => [l.layer, l.item, l.monthlyCny])).toEqual([
      ["realtime", "SQL CPU (enhanced pool)", 7.5], // 1440 runs x 1.25 s / 3600 = 0.5 h/day x 30 x 0.5
      ["realtime", "write requests", 0], // 1440 x 30 / 1e6 x 0.1 = 0.004
    ]);
    const free = res(perMinuteSql.type, "hourly-sql", {
      schedule: { type: "FixedRate", interval: "1h" },
      scheduledSqlConfiguration: { resourcePool: "standard" },
    });
    expect(estimate(plan([free]), { ...sizes, daysPerMonth: 30 }, prices).lines[0]).toMatchObject({ item: "SQL CPU (free pool)", monthlyCny: 0, priced: true });
    const unreadable = res(perMinuteSql.type, "odd-sql", { schedule: { type: "Cron", cronExpression: "sometimes" } });
    expect(estimate(plan([unreadable]), sizes, prices).notPriced).toEqual([perMinuteSql.type]);
  });
  it("prices the SLS -> MaxCompute export by the raw GB its logstore ingests", () => {
    expect(estimate(plan([trackingStore, mcExport]), sizes, prices).lines.find((l) => l.name === mcExport.name)).toMatchObject({
      layer: "tracking",
      item: "shipping to MaxCompute",
      monthlyCny: 3, // 1 GB/day x 30 x 0.1
    });
  });
  it("prices dashboards, alerts and components at ¥0 by rule, with the reason", () => {
    const e = estimate(plan([component, dashboard, dauAlert]), sizes, prices);
    expect(e.totalCny).toBe(0);
    expect(e.notPriced).toEqual([]);
    expect(e.free).toEqual([
      { type: dashboard.type, count: 1, reason: expect.stringContaining("no fee: saved queries") },
      { type: dauAlert.type, count: 1, reason: expect.stringContaining("SMS and voice") },
      { type: component.type, count: 1, reason: COMPONENT_REASON },
    ]);
    expect(costLinesText(e).join("\n")).toContain(`  ¥0 by rule:\n    ${dashboard.type} x1: no fee: saved queries`);
  });
  it("sums per layer and per stack", () => {
    expect(est.byLayer).toEqual({ warehouse: 12, daily: 33.3, hourly: 103.2, realtime: 810, tracking: 18.3, shared: 0 });
    expect(est.totalCny).toBe(976.8);
    expect(est.resources.find((r) => r.name === mcProject.name)?.monthlyCny).toBe(156);
    expect(est.resources.some((r) => r.name === component.name)).toBe(false);
  });
  it("prices unknown types as ¥0 with a not-priced note instead of failing", () => {
    const odd = res("alicloud:ecs/instance:Instance", "box", { instanceType: "ecs.g7.large" });
    const e = estimate(plan([odd, mcProject]), sizes, prices);
    expect(e.lines.find((l) => l.name === "box")).toMatchObject({
      monthlyCny: 0,
      priced: false,
      formula: "not priced: no price rule for alicloud:ecs/instance:Instance",
    });
    expect(e.notPriced).toEqual(["alicloud:ecs/instance:Instance"]);
    expect(e.totalCny).toBe(12);
  });
  it("shows amounts, layers, not-priced types and the seed comparison in text and Markdown", () => {
    const text = costLinesText(est, { budgetCny: 900, prices }).join("\n");
    expect(text).toContain("Monthly cost estimate: ¥976.80");
    expect(text).toContain("the seed's estimate for stage mature: ¥1,180.00/month");
    expect(text).toContain("budget ¥900.00: EXCEEDED");
    expect(text).toContain("analytics-realtime-instance DTS micro (PayAsYouGo): ¥720.00 = 720 h x dts.sync.micro.hour");
    const md = costLinesMarkdown(est).join("\n");
    expect(md).toContain("**¥976.80 / month**");
    expect(md).toContain("| realtime | ¥810.00 |");
  });
});

/**
 * The real program, recorded under mocks with the base test config (tests/support/config.ts:
 * the seed's 7 tables, tracking on with 30 days retention and 2 shards, DTS micro pay-as-you-go),
 * priced with the round prices and sizes above. Hand arithmetic per stage:
 *
 * initial  warehouse 12 (100 GB x 30 x 0.004)
 *          daily 36.3 = DI 15 (2 CU x 0.5 h x 30 x 0.5) + DI scheduling 2.1 (7 tables x 1 x 30 x 0.01)
 *                + 4 ADS nodes x 0.3 (1 x 30 x 0.01) + SQL 18 (2 GB x 30 x 0.3)
 *          tracking 21.3 = logstore 18.3 (write 1.2 + index 12 + storage 1.8 + shards 3 + requests 0.3) + export 3 (1 GB x 30 x 0.1)
 *          = 69.60
 * growth   + hourly 169.2 = 3 DI jobs x (30 CU-cost + 7.2 scheduling) + 3 DWS nodes x 7.2 + SQL 36 (4 GB x 30 x 0.3)
 *          = 238.80
 * mature   + realtime 853.2 = DTS micro 720 (720 h x 1) + 6 realtime nodes x 7.2 + SQL 90 (10 GB x 30 x 0.3)
 *   (dts)  = 1,092.00
 * mature   + realtime 7.5 (Scheduled SQL: 1440 runs x 1.25 s / 3600 x 30 x 0.5; requests round to 0)
 *   (sls)  + tracking 3 (metrics logstore: write 0.12 + index 1.2 + storage 0.18 + shards 1.5)
 *          = 249.30
 */
describe("recorded plans, per stage", () => {
  const sls = { "photo-analytics:realtime": { engine: "sls" } };
  it.each([
    ["initial", {}, 69.6, { warehouse: 12, daily: 36.3, hourly: 0, realtime: 0, tracking: 21.3, shared: 0 }],
    ["growth", {}, 238.8, { warehouse: 12, daily: 36.3, hourly: 169.2, realtime: 0, tracking: 21.3, shared: 0 }],
    ["mature", {}, 1092, { warehouse: 12, daily: 36.3, hourly: 169.2, realtime: 853.2, tracking: 21.3, shared: 0 }],
    ["initial", sls, 72.6, { warehouse: 12, daily: 36.3, hourly: 0, realtime: 0, tracking: 24.3, shared: 0 }],
    ["mature", sls, 249.3, { warehouse: 12, daily: 36.3, hourly: 169.2, realtime: 7.5, tracking: 24.3, shared: 0 }],
  ])("%s %j costs ¥%d", async (stage, extra, total, byLayer) => {
    const recorded = await planOf({ "photo-analytics:stage": stage, ...extra });
    const e = estimate(recorded, sizes, prices);
    expect(e.notPriced).toEqual([]);
    expect(e.byLayer).toEqual(byLayer);
    expect(e.totalCny).toBe(total);
  });
  it("itemises the mature DTS plan: each billed quantity once", async () => {
    const e = estimate(await planOf({ "photo-analytics:stage": "mature" }), sizes, prices);
    const billed = e.lines.filter((l) => l.monthlyCny !== 0);
    const sum = (item: string, layer?: string) =>
      billed.filter((l) => l.item === item && (layer === undefined || l.layer === layer)).reduce((n, l) => n + l.monthlyCny, 0);
    expect(billed.filter((l) => l.item === "Data Integration").map((l) => l.monthlyCny)).toEqual([15, 30, 30, 30]);
    expect(sum("scheduling instances", "daily")).toBeCloseTo(2.1 + 4 * 0.3, 10);
    expect(sum("scheduling instances", "hourly")).toBeCloseTo(3 * 7.2 + 3 * 7.2, 10);
    expect(sum("scheduling instances", "realtime")).toBeCloseTo(6 * 7.2, 10);
    expect(billed.find((l) => l.item.startsWith("DTS"))).toMatchObject({ item: "DTS micro (PayAsYouGo)", monthlyCny: 720 });
    expect(e.free.map((f) => f.type)).toEqual(
      expect.arrayContaining([
        "alicloud:dts/synchronizationJob:SynchronizationJob",
        "alicloud:ros/stack:Stack",
        "alicloud:log/dashboard:Dashboard",
        "photo-analytics:index:Platform",
      ]),
    );
  });
});

describe("costDelta", () => {
  it("shows the monthly change of a promotion, per layer and per resource", () => {
    const before = estimate(plan([mcProject, dailyJob], "initial"), sizes, prices);
    const after = estimate(plan([mcProject, dailyJob, hourlyJob], "growth"), sizes, prices);
    const d = costDelta(before, after);
    expect(d).toMatchObject({ beforeCny: 45.3, afterCny: 148.5, deltaCny: 103.2 });
    expect(d.byLayer).toEqual([{ layer: "hourly", beforeCny: 0, afterCny: 103.2, deltaCny: 103.2 }]);
    expect(d.resources.map((r) => [r.name, r.deltaCny])).toEqual([
      [hourlyJob.name, 67.2],
      [mcProject.name, 36],
    ]);
    expect(costDeltaLinesText(d)).toContain("Monthly cost: ¥45.30 -> ¥148.50 (+¥103.20)");
    expect(costDeltaLinesMarkdown(d).join("\n")).toContain("| hourly | ¥0.00 | ¥103.20 | +¥103.20 |");
  });
  it("formats CNY with thousands separators and signs", () => {
    expect(cny(4200)).toBe("¥4,200.00");
    expect(cny(-12.5)).toBe("-¥12.50");
  });
});
