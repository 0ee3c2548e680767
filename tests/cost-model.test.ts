import { DEFAULT_SIZES, costConfigFromValues, resolveCostConfig, COST_CONFIG_SCHEMA } from "../lib/cost/config";
import { costDelta, estimate } from "../lib/cost/model";
import { DEFAULT_PRICES, PRICE_IDS, priceTable } from "../lib/cost/prices";
import { cny, costDeltaLinesMarkdown, costDeltaLinesText, costLinesMarkdown, costLinesText } from "../lib/cost/render";
import Ajv from "ajv";
import { component, dailyJob, dtsInstance, dtsJob, hourlyJob, mcProject, plan, res, trackingStore } from "./cost-fixtures";

// Round numbers so every expected amount below is checkable by hand.
const prices = priceTable({
  "maxcompute.sql.gb": 0.3,
  "maxcompute.storage.gb-day": 0.004,
  "dataworks.serverless.cu-hour": 0.5,
  "dts.sync.micro.hour": 1,
  "dts.sync.small.month": 600,
  "sls.write.gb": 0.2,
  "sls.index.gb": 0.4,
  "sls.storage.gb-day": 0.01,
  "sls.shard.day": 0.05,
});
const sizes = {
  ...DEFAULT_SIZES,
  maxcomputeStorageGb: 100,
  scannedGbPerDay: { daily: 2, hourly: 4, realtime: 10 },
  sqlComplexity: 1,
  diRunMinutesPerDay: { daily: 30, hourly: 60 },
  dtsHoursPerMonth: 720,
  slsIngestGbPerDay: 1,
  slsCompressionRatio: 5,
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
    expect(validate({ sizes: { slsIngestGbPerDay: 2, diRunMinutesPerDay: { hourly: 30 } }, prices: { "dts.sync.small.hour": 1.1 } })).toBe(true);
    expect(validate({ sizes: { storageGb: 2 } })).toBe(false);
    expect(validate({ prices: { "no.such": 1 } })).toBe(false);
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
  it("prices DI jobs from their requested CUs and run minutes", () => {
    expect(amount(dailyJob.name, "Data Integration")).toBe(15); // 2 CU x 0.5 h x 30 x 0.5
    expect(amount(hourlyJob.name, "Data Integration")).toBe(60); // 4 CU x 1 h x 30 x 0.5
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
  it("prices a logstore's write, index, storage and shards", () => {
    expect(amount(trackingStore.name, "write traffic")).toBe(1.2); // 1/5 x 30 x 0.2
    expect(amount(trackingStore.name, "index traffic")).toBe(12); // 1 x 30 x 0.4
    expect(amount(trackingStore.name, "storage")).toBe(1.8); // 0.2 x 30 d retention = 6 GB x 30 x 0.01
    expect(amount(trackingStore.name, "shards")).toBe(3); // 2 x 30 x 0.05
  });
  it("sums per layer and per stack", () => {
    expect(est.byLayer).toEqual({ warehouse: 12, daily: 33, hourly: 96, realtime: 810, tracking: 18, shared: 0 });
    expect(est.totalCny).toBe(969);
    expect(est.resources.find((r) => r.name === mcProject.name)?.monthlyCny).toBe(156);
    expect(est.resources.some((r) => r.name === component.name)).toBe(false);
  });
  it("prices unknown types as ¥0 with a not-priced note instead of failing", () => {
    const odd = res("alicloud:ecs/instance:Instance", "box", { instanceType: "ecs.g7.large" });
    const e = estimate(plan([odd, mcProject]), sizes, prices);
    expect(e.lines.find((l) => l.name === "box")).toMatchObject({ monthlyCny: 0, priced: false, formula: "not priced: no price rule for alicloud:ecs/instance:Instance" });
    expect(e.notPriced).toEqual(["alicloud:ecs/instance:Instance"]);
    expect(e.totalCny).toBe(12);
  });
  it("shows amounts, layers, not-priced types and the seed comparison in text and Markdown", () => {
    const text = costLinesText(est, { budgetCny: 900, prices }).join("\n");
    expect(text).toContain("Monthly cost estimate: ¥969.00");
    expect(text).toContain("the seed's estimate for stage mature: ¥1,180.00/month");
    expect(text).toContain("budget ¥900.00: EXCEEDED");
    expect(text).toContain("analytics-realtime-instance DTS micro (PayAsYouGo): ¥720.00 = 720 h x dts.sync.micro.hour");
    const md = costLinesMarkdown(est).join("\n");
    expect(md).toContain("**¥969.00 / month**");
    expect(md).toContain("| realtime | ¥810.00 |");
  });
});

describe("costDelta", () => {
  it("shows the monthly change of a promotion, per layer and per resource", () => {
    const before = estimate(plan([mcProject, dailyJob], "initial"), sizes, prices);
    const after = estimate(plan([mcProject, dailyJob, hourlyJob], "growth"), sizes, prices);
    const d = costDelta(before, after);
    expect(d).toMatchObject({ beforeCny: 45, afterCny: 141, deltaCny: 96 });
    expect(d.byLayer).toEqual([{ layer: "hourly", beforeCny: 0, afterCny: 96, deltaCny: 96 }]);
    expect(d.resources.map((r) => [r.name, r.deltaCny])).toEqual([
      [hourlyJob.name, 60],
      [mcProject.name, 36],
    ]);
    expect(costDeltaLinesText(d)).toContain("Monthly cost: ¥45.00 -> ¥141.00 (+¥96.00)");
    expect(costDeltaLinesMarkdown(d).join("\n")).toContain("| hourly | ¥0.00 | ¥96.00 | +¥96.00 |");
  });
  it("formats CNY with thousands separators and signs", () => {
    expect(cny(4200)).toBe("¥4,200.00");
    expect(cny(-12.5)).toBe("-¥12.50");
  });
});
