import { DEFAULT_OPTIONS, DEFAULT_SIZES, costConfigFromValues, resolveCostConfig, COST_CONFIG_SCHEMA, CostOptions, CostSizes } from "../lib/cost/config";
import { scheduleTier } from "../lib/cost/dataworks";
import { COMPONENT_REASON, costDelta, estimate } from "../lib/cost/model";
import { cronRunsPerDay } from "../lib/config/cron";
import { DEFAULT_PRICES, OPEN_PRICE_IDS, PRICE_IDS, priceSourceOf, priceTable } from "../lib/cost/prices";
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
import { Plan } from "../lib/plan/types";

// Round numbers so every expected amount below is checkable by hand. Every price id is set,
// so a change of a default price never changes these tests.
const prices = priceTable({
  "maxcompute.sql.gb": 0.3,
  "maxcompute.storage.gb-day": 0.004,
  "dataworks.serverless.cu-hour": 0.5,
  "dataworks.openapi.10k-calls": 0.3,
  "dts.sync.micro.hour": 1,
  "dts.sync.small.month": 600,
  "sls.write.gb": 0.2,
  "sls.index.gb": 0.4,
  "sls.storage.gb-day": 0.01,
  "sls.shard.day": 0.05,
  "sls.request.million": 0.1,
  "sls.sql.core-hour": 0.5,
  "sls.ship.cu": 0.5,
  "dataworks.edition.standard.month": 1000,
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
  slsIndexGbPerRawGb: 0,
  deploysPerMonth: 4,
};
// Made-up tiers (test data, not prices): CNY 3/day up to 100 instances, 6 up to 500, 20 above.
const options: CostOptions = {
  ...DEFAULT_OPTIONS,
  scheduleTiers: {
    freeInstancesPerDay: 0,
    tiers: [
      { maxInstancesPerDay: 100, dailyCny: 3, source: "test", checked: "", verified: true },
      { maxInstancesPerDay: 500, dailyCny: 6, source: "test", checked: "", verified: true },
      { maxInstancesPerDay: null, dailyCny: 20, source: "test", checked: "", verified: true },
    ],
  },
};

describe("price table", () => {
  it("has a source URL and a date for every price", () => {
    for (const p of DEFAULT_PRICES) {
      expect(p.source).toMatch(/^https:\/\/(help|www)\.aliyun\.com\//);
      expect(p.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.cny).toBeGreaterThan(0);
    }
    expect(new Set(PRICE_IDS).size).toBe(DEFAULT_PRICES.length + OPEN_PRICE_IDS.length);
  });
  it("names the documentation page of the billing rule for every price whose number is not verified", () => {
    for (const p of DEFAULT_PRICES.filter((x) => !x.verified)) {
      expect([p.id, p.ruleSource ?? p.source]).toEqual([p.id, expect.stringMatching(/^https:\/\/(help\.aliyun\.com|www\.alibabacloud\.com)\//)]);
    }
    expect(DEFAULT_PRICES.filter((x) => x.verified).map((x) => x.id)).toEqual([
      "maxcompute.sql.gb",
      "maxcompute.storage.gb-day",
      "datahub.shard.day",
      "datahub.storage.gb-day",
      "datahub.read.gb",
      "datahub.request.million",
    ]);
  });
  it("prices DTS synchronization only in the classes CreateDtsInstance offers for it", () => {
    expect(PRICE_IDS.filter((id) => id.startsWith("dts.sync."))).toEqual(
      ["large", "medium", "micro", "small"].flatMap((c) => [`dts.sync.${c}.hour`, `dts.sync.${c}.month`]),
    );
  });
  it("says where each price comes from: page, unverified reading, config, or the BSS price API", () => {
    const t = priceTable({ "sls.write.gb": 0.1 }, [
      {
        id: "dts.sync.micro.hour",
        cny: 0.6,
        reading: { productCode: "dts", moduleCode: "InstanceClass", config: "InstanceClass:micro", date: "2026-12-05", requestId: "R1", region: "cn-shanghai" },
      },
    ]);
    expect(priceSourceOf(t["maxcompute.sql.gb"])).toEqual({ kind: "page", url: "https://help.aliyun.com/document_detail/112752.html", date: "2025-06-01" });
    expect(priceSourceOf(t["sls.index.gb"])).toEqual({ kind: "unverified", url: "https://www.aliyun.com/price/product#/sls/detail/sls", date: "2025-06-01" });
    expect(priceSourceOf(t["sls.write.gb"])).toEqual({ kind: "config", key: "photo-analytics:cost.prices" });
    expect(t["dts.sync.micro.hour"]).toMatchObject({ cny: 0.6, verified: true, unit: "instance-hour (PayAsYouGo)" });
    expect(priceSourceOf(t["dts.sync.micro.hour"])).toEqual({
      kind: "api",
      date: "2026-12-05",
      productCode: "dts",
      moduleCode: "InstanceClass",
      requestId: "R1",
    });
    // The paid DataWorks editions have no default: only the API or config sets them.
    expect(t["dataworks.edition.standard.month"]).toBeUndefined();
    expect(priceTable({ "dataworks.edition.standard.month": 1000 })["dataworks.edition.standard.month"]).toMatchObject({ cny: 1000, verified: true });
  });
  it("has a price for every billed unit the model uses", () => {
    expect(PRICE_IDS).toEqual(
      expect.arrayContaining([
        "dataworks.openapi.10k-calls",
        "sls.request.million",
        "sls.sql.core-hour",
        "sls.ship.cu",
        "dts.sync.micro.hour",
        "dts.sync.large.month",
        "datahub.read.gb",
        "datahub.request.million",
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
        prices: { "dts.sync.small.hour": 1.1, "dataworks.openapi.10k-calls": 0.3 },
        dataworksEdition: "standard",
        production: true,
        budgetBasis: "high",
        unverifiedRange: { low: 0.8, high: 1.5 },
        dataworksScheduleTiers: {
          freeInstancesPerDay: 20,
          tiers: [
            { maxInstancesPerDay: 100, dailyCny: 1 },
            { maxInstancesPerDay: null, dailyCny: 2 },
          ],
        },
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
  const est = estimate(all, sizes, prices, options);
  const amount = (name: string, item: string) => est.lines.find((l) => l.name === name && l.item === item)?.monthlyCny;

  it("prices MaxCompute storage and each present layer's SQL", () => {
    expect(amount(mcProject.name, "storage")).toBe(12); // 100 GB x 30 d x 0.004
    expect(amount(mcProject.name, "SQL (daily layer)")).toBe(18); // 2 x 1 x 30 x 0.3
    expect(amount(mcProject.name, "SQL (hourly layer)")).toBe(36); // 4 x 30 x 0.3
    expect(amount(mcProject.name, "SQL (realtime layer)")).toBe(90); // 10 x 30 x 0.3
  });
  it("prices DI jobs from their requested CUs and run minutes, plus their share of the day's scheduling fee", () => {
    expect(amount(dailyJob.name, "Data Integration")).toBe(15); // 2 CU x 0.5 h x 30 x 0.5
    expect(amount(hourlyJob.name, "Data Integration")).toBe(60); // 4 CU x 1 h x 30 x 0.5
    // 1 + 24 = 25 instances/day: tier 1, CNY 3/day x 30 = 90 for the account, shared 1/25 and 24/25
    expect(amount(dailyJob.name, "scheduling instances")).toBe(3.6);
    expect(amount(hourlyJob.name, "scheduling instances")).toBe(86.4);
    expect(est.dataworks?.schedule).toMatchObject({ instancesPerDay: 25, tier: 1, dailyCny: 3 });
    const sevenTables = res(dailyJob.type, "analytics-sync-daily-incremental", {
      tableMappings: Array.from({ length: 7 }, () => ({})),
      transformationRules: [{ ruleActionType: "DefineCycleScheduleSettings", ruleExpression: '{"cronExpress":"00 30 00 * * ?","cycleType":"1"}' }],
    });
    expect(estimate(plan([sevenTables]), sizes, prices, options).lines.find((l) => l.item === "scheduling instances")).toMatchObject({
      monthlyCny: 90,
      formula: expect.stringContaining(
        '7 tables x 1 runs/day (cron "00 30 00 * * ?"): 7 of the account\'s 7 successful instances/day x 7 instances/day = 7: tier 1',
      ),
    });
  });
  it("prices DataWorks nodes as scheduling instances from their cron; their SQL is on the MaxCompute project", () => {
    const e = estimate(plan([dailyNode, hourlyNode]), sizes, prices, options);
    expect(e.lines.map((l) => [l.name, l.layer, l.item, l.monthlyCny])).toEqual([
      [dailyNode.name, "daily", "scheduling instances", 3.6], // 1/25 of CNY 3/day x 30
      [hourlyNode.name, "hourly", "scheduling instances", 86.4], // 24/25
    ]);
    const odd = res(dailyNode.type, "analytics-nodes-daily-x", { cron: "whenever" });
    expect(estimate(plan([odd]), sizes, prices, options).lines[0]).toMatchObject({
      monthlyCny: 90,
      priced: true,
      formula: expect.stringContaining('cron "whenever" unreadable: 1 run/day assumed'),
    });
  });
  it("prices one DTS instance by class and hours; job and alarms are included", () => {
    expect(amount(dtsInstance.name, "DTS micro (PayAsYouGo)")).toBe(720);
    expect(est.resources.find((r) => r.name === dtsJob.name)).toMatchObject({ monthlyCny: 0, priced: true });
  });
  it("prices a subscription DTS instance per month; xxlarge (2xlarge) is not priced: synchronization has no such class", () => {
    const sub = res(dtsInstance.type, "rt", { instanceClass: "small", paymentType: "Subscription" });
    expect(estimate(plan([sub]), sizes, prices, options).totalCny).toBe(600);
    const big = res(dtsInstance.type, "rt", { instanceClass: "xxlarge", paymentType: "PayAsYouGo" });
    expect(estimate(plan([big]), { ...sizes, dtsHoursPerMonth: 10 }, prices, options).lines[0]).toMatchObject({
      priced: false,
      priceSource: { kind: "not-priced" },
      formula: expect.stringMatching(
        /^not priced: no price dts\.sync\.2xlarge\.hour for DTS instance class "2xlarge": synchronization instances come in micro, small, medium, large only \(CreateDtsInstance InstanceClass/,
      ),
    });
  });
  it("prices a logstore's write, index, storage and shards, and the tracking logstore's write requests", () => {
    // each less the account's monthly free quota
    expect(amount(trackingStore.name, "write traffic")).toBe(1.1); // (1/5 x 30 - 0.5 GB) x 0.2
    expect(amount(trackingStore.name, "index traffic")).toBe(11.8); // (1 x 30 - 0.5) x 0.4
    expect(amount(trackingStore.name, "storage")).toBe(1.65); // (6 GB x 30 - 0.5 x 30) GB-days x 0.01
    expect(amount(trackingStore.name, "shards")).toBe(1.45); // (2 x 30 - 31) x 0.05
    expect(amount(trackingStore.name, "write requests")).toBe(0.2); // (3 - 1) million x 0.1
    const m = estimate(plan([metricsStore]), sizes, prices, options);
    expect(m.lines.map((l) => [l.item, l.monthlyCny])).toEqual([
      ["write traffic", 0.02], // (0.6 - 0.5) x 0.2
      ["index traffic", 1], // (3 - 0.5) x 0.4
      ["storage", 0.03], // (18 - 15) GB-days x 0.01
      ["shards", 0], // 30 shard-days, within the 31 free
    ]);
  });
  it("prices the per-minute Scheduled SQL on the enhanced pool by CPU time, in the realtime layer", () => {
    const e = estimate(plan([perMinuteSql]), sizes, prices, options);
    expect(e.lines.map((l) => [l.layer, l.item, l.monthlyCny])).toEqual([
      ["realtime", "SQL CPU (enhanced pool)", 7.5], // 1440 runs x 1.25 s / 3600 = 0.5 h/day x 30 x 0.5
      ["realtime", "write requests", 0], // 1440 x 30 / 1e6 x 0.1 = 0.004
    ]);
    const free = res(perMinuteSql.type, "hourly-sql", {
      schedule: { type: "FixedRate", interval: "1h" },
      scheduledSqlConfiguration: { resourcePool: "standard" },
    });
    expect(estimate(plan([free]), { ...sizes, daysPerMonth: 30 }, prices, options).lines[0]).toMatchObject({
      item: "SQL CPU (free pool)",
      monthlyCny: 0,
      priced: true,
    });
    const unreadable = res(perMinuteSql.type, "odd-sql", { schedule: { type: "Cron", cronExpression: "sometimes" } });
    expect(estimate(plan([unreadable]), sizes, prices, options).notPriced).toEqual([perMinuteSql.type]);
  });
  it("prices the SLS -> MaxCompute export by the raw GB its logstore ingests", () => {
    expect(estimate(plan([trackingStore, mcExport]), sizes, prices, options).lines.find((l) => l.name === mcExport.name)).toMatchObject({
      layer: "tracking",
      item: "shipping to MaxCompute",
      monthlyCny: 3, // 1 GB/day x 30 x 0.2 CU/GB x 0.5
    });
  });
  it("prices dashboards, alerts and components at ¥0 by rule, with the reason", () => {
    const e = estimate(plan([component, dashboard, dauAlert]), sizes, prices, options);
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
    expect(est.byLayer).toEqual({ warehouse: 12, daily: 36.6, hourly: 182.4, realtime: 810, tracking: 16.2, shared: 0 });
    expect(est.totalCny).toBe(1057.2);
    // every price is set in the test, so verified: no range
    expect([est.lowCny, est.highCny]).toEqual([1057.2, 1057.2]);
    expect(est.resources.find((r) => r.name === mcProject.name)?.monthlyCny).toBe(156);
    expect(est.resources.some((r) => r.name === component.name)).toBe(false);
  });
  it("prices unknown types as ¥0 with a not-priced note instead of failing", () => {
    const odd = res("alicloud:ecs/instance:Instance", "box", { instanceType: "ecs.g7.large" });
    const e = estimate(plan([odd, mcProject]), sizes, prices, options);
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
    expect(text).toContain("Monthly cost estimate: ¥1,057.20\n");
    expect(text).toContain("the seed's estimate for stage mature: ¥1,180.00/month");
    expect(text).toContain("budget ¥900.00: EXCEEDED");
    // Each line's price source as a mark, the legend under them (prices here are config overrides: [C]).
    expect(text).toContain("analytics-realtime-instance DTS micro (PayAsYouGo): ¥720.00 [C] = 720 h x dts.sync.micro.hour");
    expect(text).toContain("  by resource (A 0, P 2, C 12, U 0):\n");
    expect(text).toContain(
      "  price sources: [A] BSS price API (none: no price file; npm run prices -- --refresh); [P] published page (URL and reading date in lib/cost/prices.ts); [C] stack config (photo-analytics:cost); [U] unverified reading (range x0.5-x2)\n",
    );
    const md = costLinesMarkdown(est).join("\n");
    expect(md).toContain("**¥1,057.20 / month**");
    expect(md).toContain("| realtime | ¥810.00 |");
    expect(md).toContain("| `analytics-realtime-instance` | DTS micro (PayAsYouGo) | ¥720.00 | [C] | 720 h x dts.sync.micro.hour |");
    expect(md).toContain("\nprice sources: [A] BSS price API");
  });
});

/** Every logical name rewritten, URNs too, so no layer word survives in any name. */
function renamed(p: Plan): Plan {
  const rename = (x: string) =>
    x
      .replace(/realtime/g, "rt")
      .replace(/hourly/g, "hly")
      .replace(/daily/g, "dly")
      .replace(/analytics-/g, "a-");
  return {
    ...p,
    resources: p.resources.map((r) => ({ ...r, name: rename(r.name), urn: rename(r.urn), parent: r.parent === null ? null : rename(r.parent) })),
  };
}

/** The real program, recorded under mocks with the base test config, priced with the round prices and sizes above. */
describe("recorded plans, per stage", () => {
  const sls = { "photo-analytics:realtime": { engine: "sls" } };
  it.each([
    ["initial", {}],
    ["growth", {}],
    ["mature", {}],
    ["mature", sls],
  ])("%s %j: renaming every child leaves the layer totals unchanged", async (stage, extra) => {
    const recorded = await planOf({ "photo-analytics:stage": stage, ...extra });
    const e = estimate(recorded, sizes, prices, options);
    const r = estimate(renamed(recorded), sizes, prices, options);
    expect(r.lines.some((l) => /realtime|hourly|daily/.test(l.name))).toBe(false);
    expect(r.byLayer).toEqual(e.byLayer);
    expect(r.totalCny).toBe(e.totalCny);
    expect(e.notPriced).toEqual([]);
  });
  it("puts each mature layer's cost where its resources are", async () => {
    const e = estimate(await planOf({ "photo-analytics:stage": "mature" }), sizes, prices, options);
    const layerOfItem = (item: string) => [...new Set(e.lines.filter((l) => l.item.startsWith(item)).map((l) => l.layer))].sort();
    expect(layerOfItem("DTS")).toEqual(["realtime"]);
    expect(layerOfItem("Data Integration")).toEqual(["daily", "hourly"]);
    expect(layerOfItem("scheduling instances")).toEqual(["daily", "hourly", "realtime"]);
    // the test config's DI runs and node runs (about 300 a day) and the rt_metrics node's 288 (every 5 minutes) land in tier 3 (above 500)
    expect(e.dataworks?.schedule.instancesPerDay).toBeGreaterThan(500);
    expect(e.lines.find((l) => l.name.endsWith("-realtime-workflow-every5min") && l.item === "scheduling instances")?.formula).toMatch(/^288 runs\/day/);
    expect(e.dataworks?.schedule.tier).toBe(3);
    const sched = e.lines.filter((l) => l.item === "scheduling instances").reduce((n, l) => n + l.monthlyCny, 0);
    expect(sched).toBeCloseTo(600, 0); // one tier-3 fee, CNY 20/day x 30, however many lines share it (each share rounded to the fen)
  });
});

describe("scheduleTier", () => {
  const t = options.scheduleTiers;
  it.each([
    [1, 1, 3],
    [100, 1, 3],
    [101, 2, 6],
    [300, 2, 6],
    [501, 3, 20],
  ])("%i instances/day land in tier %i (CNY %i/day)", (n, tier, fee) => {
    expect(scheduleTier(n, t)).toMatchObject({ tier, dailyCny: fee });
  });
  it("deducts the daily free quota before choosing the tier", () => {
    expect(scheduleTier(110, { ...t, freeInstancesPerDay: 20 })).toMatchObject({ billedInstancesPerDay: 90, tier: 1, dailyCny: 3 });
    expect(scheduleTier(15, { ...t, freeInstancesPerDay: 20 })).toMatchObject({ tier: 0, dailyCny: 0 });
  });
  it("leaves the fee not priced when no tier table is known, saying where to set it", () => {
    const unknown = scheduleTier(300, DEFAULT_OPTIONS.scheduleTiers);
    expect([unknown.tier, unknown.dailyCny, unknown.verified]).toEqual([undefined, undefined, false]);
    const e = estimate(plan([dailyNode]), sizes, prices);
    expect(e.lines[0]).toMatchObject({ priced: false, monthlyCny: 0, formula: expect.stringContaining("cost.dataworksScheduleTiers") });
    expect(e.warnings.join("\n")).toContain("the fee is not in the estimate or its range");
  });
  it("fails when configured tiers do not go up", () => {
    expect(() =>
      resolveCostConfig({
        dataworksScheduleTiers: {
          tiers: [
            { maxInstancesPerDay: 100, dailyCny: 1 },
            { maxInstancesPerDay: 50, dailyCny: 2 },
          ],
        },
      }),
    ).toThrow(/cost\.dataworksScheduleTiers\.tiers\[1\]\.maxInstancesPerDay: 50 is not above the tier before \(100\)/);
  });
});

describe("ranges from unverified prices", () => {
  const defaults = priceTable();
  it("shows the total as an estimate with a range and the lines that make it", () => {
    const e = estimate(plan([mcProject, dtsInstance]), sizes, defaults);
    // DTS micro 720 h x 0.55 = 396 (unverified: x0.5-x2); MaxCompute storage and SQL verified
    expect(e.lines.find((l) => l.item.startsWith("DTS"))).toMatchObject({ monthlyCny: 396, lowCny: 198, highCny: 792, verified: false });
    expect([e.lowCny, e.totalCny, e.highCny]).toEqual([e.totalCny - 198, e.totalCny, e.totalCny + 396]);
    expect(e.uncertain.map((l) => l.name)).toEqual([dtsInstance.name]);
    const text = costLinesText(e, { budgetCny: 1000 }).join("\n");
    expect(text).toContain(`Monthly cost estimate: ${cny(e.totalCny)} (estimate; range ${cny(e.lowCny)}-${cny(e.highCny)})`);
    expect(text).toContain("analytics-realtime-instance DTS micro (PayAsYouGo): ¥198.00-¥792.00");
    expect(costLinesMarkdown(e).join("\n")).toContain("(estimate; range");
  });
  it("fails the budget on the high end by default, and on the estimate when cost.budgetBasis says so", () => {
    const e = estimate(plan([mcProject, dtsInstance]), sizes, defaults);
    expect(costLinesText(e, { budgetCny: e.totalCny + 1 }).join("\n")).toContain("EXCEEDED (high end compared: cost.budgetBasis)");
    const point = estimate(plan([mcProject, dtsInstance]), sizes, defaults, { ...DEFAULT_OPTIONS, budgetBasis: "estimate" });
    expect(costLinesText(point, { budgetCny: e.totalCny + 1 }).join("\n")).toContain("within");
  });
  it("shows the delta's range", () => {
    const d = costDelta(estimate(plan([mcProject]), sizes, defaults), estimate(plan([mcProject, dtsInstance]), sizes, defaults));
    expect(costDeltaLinesText(d)[1]).toMatch(/; estimate, range ¥[\d,.]+-¥[\d,.]+ -> ¥[\d,.]+-¥[\d,.]+$/);
  });
});

describe("SLS prices", () => {
  it("ships to MaxCompute at 0.2 CU per GB and CNY 1 per CU (CNY 0.20/GB)", () => {
    const e = estimate(plan([trackingStore, mcExport]), sizes, priceTable());
    expect(e.lines.find((l) => l.name === mcExport.name)?.monthlyCny).toBe(6); // 1 GB/day x 30 x 0.2 x 1
  });
  it("stores compressed logs plus their index", () => {
    const e = estimate(plan([trackingStore]), { ...sizes, slsIndexGbPerRawGb: 0.5 }, prices, options);
    // (1/5 + 1 x 0.5) GB/day x 30 days = 21 GB x 30 days = 630 GB-days, less 15 free, x 0.01
    expect(e.lines.find((l) => l.item === "storage")?.monthlyCny).toBe(6.15);
  });
});

describe("DataWorks edition", () => {
  const dwProject = res("alicloud:dataworks/project:Project", "analytics-dataworks-project", { projectName: "photo_analytics_prod" });
  const nodes = Array.from({ length: 20 }, (_, i) => res(dailyNode.type, `n${i}`, { cron: "00 30 01 * * ?" }));
  it("is a line of the estimate, with the OpenAPI calls beyond the free quota", () => {
    const e = estimate(plan([dwProject, dailyNode]), sizes, prices, options);
    expect(e.lines.filter((l) => l.name === dwProject.name).map((l) => [l.item, l.monthlyCny])).toEqual([
      ["DataWorks basic edition", 0],
      ["OpenAPI calls", 0], // 8 calls x 4 ups, within 3,100 free
    ]);
    // CreateProject + GetProject (2) and one node's create and deployment (6): the measured figures.
    expect(e.dataworks).toMatchObject({ edition: "basic", neededEdition: "basic", apiCallsPerUp: 8 });
  });
  it("warns when one full up needs more OpenAPI calls a day than Basic Edition allows", () => {
    const e = estimate(plan([dwProject, ...nodes]), sizes, prices, options);
    // The project (2) and 20 nodes x 6 calls.
    expect(e.dataworks).toMatchObject({ apiCallsPerUp: 122, neededEdition: "standard" });
    expect(e.warnings.join("\n")).toContain("DataWorks basic edition allows 100 OpenAPI calls a day; one full `up` of this plan makes about 122");
  });
  it("marks a paid edition's fee not priced when neither a price file nor cost.prices gives it", () => {
    const e = estimate(plan([dwProject]), sizes, priceTable(), { ...options, dataworksEdition: "standard" });
    expect(e.lines[0]).toMatchObject({ item: "DataWorks standard edition", priced: false, priceSource: { kind: "not-priced" } });
    expect(e.lines[0].formula).toMatch(
      /no price dataworks\.edition\.standard\.month .*run "npm run prices -- --refresh" or set photo-analytics:cost\.prices\.dataworks\.edition\.standard\.month$/,
    );
  });
  it("prices the edition the API budget needs when it is above the configured one", async () => {
    const recorded = await planOf({ "photo-analytics:stage": "mature" });
    // The mature plan fits Basic (59 calls), five more workflows (8 calls each) too (99); a sixth does not.
    expect(estimate(recorded, sizes, prices, options).dataworks).toMatchObject({ neededEdition: "basic", apiCallsPerUp: 59 });
    const workflow = recorded.resources.find((r) => r.type === "pulumi-nodejs:dynamic/dataworks:DataWorksWorkflow")!;
    const more = (n: number) => Array.from({ length: n }, (_, i) => ({ ...workflow, urn: `${workflow.urn}-${i}`, name: `${workflow.name}-${i}` }));
    expect(estimate({ ...recorded, resources: [...recorded.resources, ...more(5)] }, sizes, prices, options).dataworks).toMatchObject({
      neededEdition: "basic",
      apiCallsPerUp: 99,
    });
    const e = estimate({ ...recorded, resources: [...recorded.resources, ...more(6)] }, sizes, prices, options);
    expect(e.dataworks).toMatchObject({ edition: "basic", neededEdition: "standard", pricedEdition: "standard", apiCallsPerUp: 107 });
    const line = e.lines.find((l) => l.item === "DataWorks standard edition")!;
    expect(line).toMatchObject({ monthlyCny: 1000, priced: true, priceSource: { kind: "config", key: "photo-analytics:cost.prices" } });
    expect(line.formula).toMatch(/^needed: one full up makes about \d+ OpenAPI calls and basic allows 100 a day: /);
    expect(e.warnings.some((w) => w.startsWith("DataWorks basic edition allows 100 OpenAPI calls a day"))).toBe(true);
  });
});

describe("DTS class guidance", () => {
  it("warns about micro in a production stack and says what the next class costs", () => {
    const e = estimate(plan([dtsInstance]), sizes, priceTable(), { ...DEFAULT_OPTIONS, production: true });
    expect(e.warnings).toEqual([expect.stringContaining("DTS advises against micro in production")]);
    expect(e.warnings[0]).toContain("the next class, small, costs CNY 864.00/month (dts.sync.small.hour, unverified)"); // 720 h x 1.2
  });
  it("says nothing for a stack not marked production, or a class above micro", () => {
    expect(estimate(plan([dtsInstance]), sizes, priceTable()).warnings).toEqual([]);
    const small = res(dtsInstance.type, "rt", { instanceClass: "small" });
    expect(estimate(plan([small]), sizes, priceTable(), { ...DEFAULT_OPTIONS, production: true }).warnings).toEqual([]);
  });
});

describe("costDelta", () => {
  it("shows the monthly change of a promotion, per layer and per resource", () => {
    const before = estimate(plan([mcProject, dailyJob], "initial"), sizes, prices, options);
    const after = estimate(plan([mcProject, dailyJob, hourlyJob], "growth"), sizes, prices, options);
    const d = costDelta(before, after);
    // The day's scheduling fee is one tier for the account: the hourly job's 24 instances stay in tier 1,
    // so the daily job's share of the same CNY 90 falls from 90 to 3.6.
    expect(d).toMatchObject({ beforeCny: 135, afterCny: 231, deltaCny: 96 });
    expect(d.byLayer).toEqual([
      { layer: "daily", beforeCny: 123, afterCny: 36.6, deltaCny: -86.4 },
      { layer: "hourly", beforeCny: 0, afterCny: 182.4, deltaCny: 182.4 },
    ]);
    expect(d.resources.map((r) => [r.name, r.deltaCny])).toEqual([
      [dailyJob.name, -86.4],
      [hourlyJob.name, 146.4],
      [mcProject.name, 36],
    ]);
    expect(costDeltaLinesText(d)).toContain("Monthly cost: ¥135.00 -> ¥231.00 (+¥96.00)");
    expect(costDeltaLinesMarkdown(d).join("\n")).toContain("| hourly | ¥0.00 | ¥182.40 | +¥182.40 |");
  });
  it("formats CNY with thousands separators and signs", () => {
    expect(cny(4200)).toBe("¥4,200.00");
    expect(cny(-12.5)).toBe("-¥12.50");
  });
});
