/**
 * The billing shapes the price audit corrected (issue 26), each against its source as
 * lib/cost/prices.ts cites it: the Flink workspace's fixed management CUs, the canal-datahub
 * realtime layer's MaxCompute SQL, DataHub read traffic and requests, SLS index storage at 1:1 of
 * index traffic; every line of a recorded plan says where its price comes from. And the pure
 * halves of the BSS price refresh: the price file's format and what is asked for each item.
 */
import { resolveCostConfig, DEFAULT_SIZES } from "../lib/cost/config";
import { estimate, CostEstimate } from "../lib/cost/model";
import { FLINK_MANAGEMENT_CU, FLINK_PAYG_PAGE, priceTable } from "../lib/cost/prices";
import { parsePriceFile, PRICE_FILE_FORMAT, PriceFileError, renderPriceFile } from "../lib/cost/price-file";
import { BSS_ITEMS, BssPricingModules, planRequest, planScheduleTiers, tierMax, unitScale } from "../lib/cost/bss-items";
import { planOf } from "./support/plan";
import { FLINK_CONFIG } from "./support/flink";
import { CANAL_VALUES } from "./support/canal";
import { res, plan, trackingStore } from "./cost-fixtures";

const cost = resolveCostConfig(undefined);
const priced = async (overrides: Record<string, unknown>): Promise<CostEstimate> => {
  const p = await planOf({ "photo-analytics:stage": "mature", ...overrides });
  return estimate(p, cost.sizes, cost.prices, cost.options);
};

describe("billing shapes", () => {
  it("bills a pay-as-you-go Flink workspace 2 CU every hour for its management service, on top of its job", async () => {
    const e = await priced({ "photo-analytics:realtime": FLINK_CONFIG });
    const mgmt = e.lines.find((l) => l.item.startsWith("Flink workspace management"))!;
    expect(FLINK_MANAGEMENT_CU).toBe(2);
    expect(mgmt).toMatchObject({
      item: "Flink workspace management 2 CU (PayAsYouGo)",
      layer: "realtime",
      monthlyCny: 792,
      priceSource: { kind: "unverified" },
    });
    expect(mgmt.formula).toBe(
      `2 CU x 720 h x flink.cu-hour: a pay-as-you-go workspace bills its management service every hour, jobs or not (${FLINK_PAYG_PAGE}); its jobs' CU-hours are priced on the deployment`,
    );
    expect(e.lines.find((l) => l.item === "Flink job 2 CU (PayAsYouGo)")?.monthlyCny).toBe(792);
    // A subscription workspace's CUs include management: no extra line.
    const sub = estimate(
      plan([res("alicloud:realtimecompute/vvpInstance:VvpInstance", "ws", { paymentType: "Subscription", resourceSpec: { cpu: 4 } })]),
      cost.sizes,
      cost.prices,
      cost.options,
    );
    expect(sub.lines.map((l) => l.item)).toEqual(["Flink workspace 4 CU (Subscription)"]);
  });

  it("prices the canal-datahub realtime layer's MaxCompute SQL (views, snapshots, compaction) as DTS's", async () => {
    const canal = await priced(CANAL_VALUES);
    const dts = await priced({});
    const sql = (e: CostEstimate) => e.lines.find((l) => l.item === "SQL (realtime layer)")?.monthlyCny;
    expect(sql(canal)).toBe(67.5);
    expect(sql(canal)).toBe(sql(dts));
    expect((await priced({ "photo-analytics:realtime": { engine: "sls" } })).lines.some((l) => l.item === "SQL (realtime layer)")).toBe(false);
  });

  it("prices each DataHub topic's read traffic and requests, less the account's free quotas", async () => {
    const e = await priced(CANAL_VALUES);
    const reads = e.lines.filter((l) => l.item === "DataHub read traffic");
    const requests = e.lines.filter((l) => l.item === "DataHub requests");
    expect(reads).toHaveLength(3);
    expect(requests).toHaveLength(3);
    // 3 topics x 0.5 GB kept 3 days = 0.1667 GB/day each, read once: 15 GB a month, 1 free, at CNY 0.15.
    expect(reads.reduce((s, l) => s + l.monthlyCny, 0)).toBeCloseTo(14 * 0.15, 1);
    // 3 x 86,400 a day x 30 = 7.776 million, 2 million free, at CNY 0.12 a million.
    expect(requests.reduce((s, l) => s + l.monthlyCny, 0)).toBeCloseTo(5.776 * 0.12, 1);
    expect([...reads, ...requests].every((l) => l.priceSource.kind === "page")).toBe(true);
  });

  it("stores SLS indexes at 1:1 of index traffic by default (the billing examples), still a size", () => {
    expect(DEFAULT_SIZES.slsIndexGbPerRawGb).toBe(1);
    const e = estimate(plan([trackingStore]), { ...DEFAULT_SIZES, slsIngestGbPerDay: 1, slsCompressionRatio: 5 }, priceTable(), cost.options);
    expect(e.lines.find((l) => l.item === "storage")!.formula).toMatch(/^36 GB \(\(1 GB\/day \/ 5 compressed \+ 1 x 1 index\) x 30 days retention\)/);
  });

  it.each([
    ["dts", {}],
    ["dataworks-flink", { "photo-analytics:realtime": FLINK_CONFIG }],
    ["sls", { "photo-analytics:realtime": { engine: "sls" } }],
    ["canal-datahub", CANAL_VALUES],
  ])("every line of the mature %s plan has a price source; priced lines one of api, page, config, unverified", async (_e, overrides) => {
    const e = await priced(overrides);
    for (const l of e.lines) {
      expect(l.priceSource).toBeDefined();
      if (l.monthlyCny !== 0) expect(["api", "page", "config", "unverified"]).toContain(l.priceSource.kind);
      if (l.priceSource.kind === "unverified" && l.monthlyCny > 0) expect(l.highCny).toBeGreaterThan(l.lowCny);
      if (l.priceSource.kind === "page") expect(l.highCny).toBe(l.lowCny);
    }
  });
});

describe("price file", () => {
  const file = {
    format: PRICE_FILE_FORMAT,
    region: "cn-shanghai",
    date: "2026-12-05",
    currency: "CNY",
    items: [
      {
        id: "dts.sync.micro.hour",
        productCode: "dts",
        subscriptionType: "PayAsYouGo",
        moduleCode: "InstanceClass",
        priceType: "Hour",
        config: "InstanceClass:micro",
        unitPrice: 0.6,
        currency: "CNY",
        date: "2026-12-05",
        requestId: "R1",
      },
    ],
    missing: [],
  };
  it("round-trips through its renderer and parser", () => {
    const text = renderPriceFile(file as never);
    expect(parsePriceFile(text, "prices/cn-shanghai.json")).toEqual(file);
  });
  it.each([
    [{ ...file, format: "x" }, 'format is "x"; expected "photo-analytics/prices@1"'],
    [{ ...file, currency: "USD" }, 'currency is "USD"; expected "CNY" (China-site prices; USD prices are not conversions of them)'],
    [{ ...file, items: [{ ...file.items[0], id: "dts.sync.xlarge.hour" }] }, 'items[0].id is "dts.sync.xlarge.hour"; expected one of '],
    [{ ...file, items: [{ ...file.items[0], unitPrice: -1 }] }, "items[0].unitPrice is -1; expected a number >= 0"],
    [
      {
        ...file,
        dataworksScheduleTiers: {
          productCode: "dide",
          moduleCode: "S",
          date: "2026-12-05",
          freeInstancesPerDay: 0,
          tiers: [
            { maxInstancesPerDay: null, dailyCny: 1 },
            { maxInstancesPerDay: 5, dailyCny: 2 },
          ],
        },
      },
      "dataworksScheduleTiers.tiers[0].maxInstancesPerDay is null; expected a number above 0 (only the last tier may be null)",
    ],
  ])("fails naming the field: %#", (doc, message) => {
    expect(() => parsePriceFile(JSON.stringify(doc), "prices/cn-shanghai.json")).toThrow(PriceFileError);
    expect(() => parsePriceFile(JSON.stringify(doc), "prices/cn-shanghai.json")).toThrow(`prices/cn-shanghai.json: ${message}`);
  });
  it("fails on text that is not JSON, saying how to rewrite it", () => {
    expect(() => parsePriceFile("{", "prices/x.json")).toThrow(/^prices\/x\.json: not JSON \(.*\); rewrite it with "npm run prices -- --refresh"$/);
  });
});

describe("what the refresh asks for each item", () => {
  it.each([
    ["GB", "GB", 1],
    ["MB", "GB", 1024],
    ["TB", "GB", 1 / 1024],
    ["100GB", "GB", 1 / 100],
    ["万次", "million requests", 100],
    ["百万次", "million requests", 1],
    ["次", "10k calls", 10000],
    ["核", "vCPU", 1],
    ["个", "count", 1],
    ["GiB", "GiB", 1],
    ["元", "GB", undefined],
    ["", "GB", undefined],
  ] as const)("one %s priced, x %s = %s", (attr, ours, scale) => {
    expect(unitScale(attr, ours)).toBe(scale);
  });

  it.each([
    [{ name: "1-100个/天", value: "T1", remark: "" }, 100],
    [{ name: "T2", value: "101~500", remark: "" }, 500],
    [{ name: "1000个以上/天", value: "T4", remark: "" }, null],
    [{ name: "> 10000", value: "T5", remark: "" }, null],
    [{ name: "tier one", value: "T1", remark: "" }, undefined],
  ])("tier %j counts up to %s instances a day", (v, max) => {
    expect(tierMax({ ...v, type: "single_string" })).toBe(max);
  });

  const pm: BssPricingModules = {
    requestId: "R",
    modules: [{ moduleCode: "InstanceClass", moduleName: "实例规格", priceType: "Hour", currency: "CNY", configList: ["Region", "InstanceClass"] }],
    attributes: [
      { code: "Region", name: "地域", unit: "", values: [{ name: "上海", value: "cn-shanghai", remark: "", type: "single_string" }] },
      {
        code: "InstanceClass",
        name: "规格",
        unit: "",
        values: ["micro", "small"].map((v) => ({ name: v, value: v, remark: "", type: "single_string" })),
      },
    ],
  };
  const dtsMicro = BSS_ITEMS.find((s) => s.id === "dts.sync.micro.hour")!;
  it("takes an attribute with one value, chooses the others by pattern", () => {
    expect(planRequest(dtsMicro, pm)).toEqual({
      ok: true,
      moduleCode: "InstanceClass",
      priceType: "Hour",
      config: "Region:cn-shanghai,InstanceClass:micro",
      scale: 1,
    });
  });
  it("says which attribute it cannot choose, with its values", () => {
    const large = BSS_ITEMS.find((s) => s.id === "dts.sync.large.hour")!;
    expect(planRequest(large, pm)).toEqual({
      ok: false,
      why: 'module InstanceClass: attribute InstanceClass (规格) has no value matching /^large$/i (values: "micro", "small")',
    });
  });
  it("refuses a module priced per another time basis than the price id", () => {
    const month = BSS_ITEMS.find((s) => s.id === "dts.sync.micro.month")!;
    expect(planRequest(month, pm)).toEqual({ ok: false, why: "module InstanceClass prices per Hour, the price id per Month" });
  });
  it("asks the scheduling tiers in ascending order, the open tier last", () => {
    const tiers: BssPricingModules = {
      requestId: "R",
      modules: [{ moduleCode: "Sched", moduleName: "调度", priceType: "Day", currency: "CNY", configList: ["InstanceTier"] }],
      attributes: [
        {
          code: "InstanceTier",
          name: "成功实例数",
          unit: "",
          values: [
            { name: "501个以上", value: "c", remark: "", type: "single_string" },
            { name: "1-100", value: "a", remark: "", type: "single_string" },
            { name: "101-500", value: "b", remark: "", type: "single_string" },
          ],
        },
      ],
    };
    expect(planScheduleTiers(tiers)).toEqual({
      ok: true,
      moduleCode: "Sched",
      priceType: "Day",
      scale: 1,
      tiers: [
        { config: "InstanceTier:a", maxInstancesPerDay: 100 },
        { config: "InstanceTier:b", maxInstancesPerDay: 500 },
        { config: "InstanceTier:c", maxInstancesPerDay: null },
      ],
    });
  });
});
