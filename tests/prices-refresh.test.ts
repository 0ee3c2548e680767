/**
 * `npm run prices -- --refresh`: the BSS price API asked as the official SDK asks it, against a
 * local fake that answers as the API reference documents (tests/support/fake-bss.ts), with an
 * account whose modules and prices are tests/support/bss-account.ts's; the price file it writes;
 * the plan priced from that file, every line saying where its price comes from. The command is
 * also run as a process, as a user runs it: without credentials it exits 2 with one message.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BssClient } from "../providers/bss/client";
import { CannotRefreshError, refreshPrices } from "../providers/bss/refresh-prices";
import { recordPlan } from "../plan-engine/record-plan";
import { stackConfig } from "../project-files";
import { resolveCostConfig } from "../lib/cost/config";
import { estimate } from "../lib/cost/model";
import { parsePriceFile, PriceFile, renderPriceFile } from "../lib/cost/price-file";
import { BSS_ITEMS } from "../lib/cost/bss-items";
import { ACCOUNT_PRICES, ACCOUNT_PRICING, ACCOUNT_PRODUCTS, ACCOUNT_SCHEDULE_TIERS } from "./support/bss-account";
import { FakeBss, FakeBssPricing } from "./support/fake-bss";
import { ProjectCopy, projectCopy, sh, STACK_FRAME } from "./support/project-copy";

const SECRET = "fake-bss-secret";
const CREDS = { accessKeyId: "AKID-BSS-TEST", accessKeySecret: SECRET };
const FAST = { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 }, sleep: async () => undefined };
const DATE = "2026-12-05";

let fake: FakeBss;
async function start(pricing: FakeBssPricing[] = ACCOUNT_PRICING): Promise<BssClient> {
  fake = new FakeBss(SECRET, ACCOUNT_PRODUCTS, pricing);
  const url = await fake.start();
  return new BssClient(CREDS, { PHOTO_ANALYTICS_BSS_ENDPOINT: url }, FAST);
}
afterEach(async () => {
  await fake?.stop();
  expect(fake?.modelViolations ?? []).toEqual([]); // held to the official SDK models
});

/** The account's pricing with one product's modules changed. */
function withModules(code: string, sub: string, change: (p: FakeBssPricing) => FakeBssPricing): FakeBssPricing[] {
  return ACCOUNT_PRICING.map((p) => (p.productCode === code && p.subscriptionType === sub ? change(p) : p));
}

describe("refreshPrices against the fake BSS", () => {
  it("prices every item and the DataWorks scheduling tiers as the API answers them, converting units", async () => {
    const file = await refreshPrices(await start(), "cn-shanghai", DATE);
    expect(file.missing).toEqual([]);
    expect(file.items.map((i) => i.id).sort()).toEqual(BSS_ITEMS.map((s) => s.id).sort());
    for (const it of file.items) {
      expect([it.id, it.unitPrice]).toEqual([it.id, ACCOUNT_PRICES[it.id]]);
      expect(it).toMatchObject({ currency: "CNY", date: DATE });
      expect(fake.requests.find((r) => r.requestId === it.requestId)?.action).toBe(
        it.subscriptionType === "Subscription" ? "GetSubscriptionPrice" : "GetPayAsYouGoPrice",
      );
    }
    // MB-day -> GB-day, 万次 -> million: the account prices these in other units.
    expect(file.items.find((i) => i.id === "maxcompute.storage.gb-day")).toMatchObject({
      moduleCode: "Storage",
      config: "Region:cn-shanghai,StorageSize:1024000",
      unitPrice: 0.004,
    });
    expect(file.items.find((i) => i.id === "sls.request.million")).toMatchObject({ moduleCode: "Requests", config: "RequestCount:100000", unitPrice: 0.12 });
    expect(file.dataworksScheduleTiers).toMatchObject({ productCode: "dide", moduleCode: "ScheduleInstance", date: DATE, freeInstancesPerDay: 0 });
    expect(file.dataworksScheduleTiers!.tiers.map((t) => [t.maxInstancesPerDay, t.dailyCny])).toEqual([
      [100, 0],
      [500, 2.5],
      [1000, 5],
      [null, 10],
    ]);
    expect(fake.requests.every((r) => r.signatureValid && r.version === "2017-12-14" && r.method === "POST" && r.path === "/")).toBe(true);
    // The file round-trips through its parser.
    expect(parsePriceFile(renderPriceFile(file), "prices/cn-shanghai.json")).toEqual(JSON.parse(renderPriceFile(file)));
  });

  it("sends ModuleList as the official SDK flattens it, with the product type and region", async () => {
    await refreshPrices(await start(), "cn-shanghai", DATE);
    const micro = fake.requests.find(
      (r) => r.action === "GetPayAsYouGoPrice" && r.query.ProductCode === "dts" && r.query["ModuleList.1.Config"]?.endsWith("InstanceClass:micro"),
    );
    expect(micro?.query).toEqual({
      ProductCode: "dts",
      ProductType: "dts_post",
      SubscriptionType: "PayAsYouGo",
      Region: "cn-shanghai",
      "ModuleList.1.ModuleCode": "InstanceClass",
      "ModuleList.1.Config": "DtsJobType:sync,SourceEndpointEngine:mysql,DestinationEndpointEngine:odps,InstanceClass:micro",
      "ModuleList.1.PriceType": "Hour",
    });
    const edition = fake.requests.find((r) => r.action === "GetSubscriptionPrice" && r.query["ModuleList.1.Config"] === "Edition:standard");
    expect(edition?.query).toMatchObject({
      ProductCode: "dide",
      ProductType: "dide_pre",
      SubscriptionType: "Subscription",
      OrderType: "NewOrder",
      ServicePeriodQuantity: "1",
      ServicePeriodUnit: "Month",
      Quantity: "1",
    });
    expect(fake.requests.filter((r) => r.action === "QueryProductList").map((r) => r.query)).toEqual([
      { PageNum: "1", PageSize: "100", QueryTotalCount: "true" },
    ]);
  });

  it("lists an item it cannot price with the reason (module, attribute and values) and prices the rest", async () => {
    const pricing = withModules("sls", "PayAsYouGo", (p) => ({ ...p, modules: p.modules.filter((m) => m.ModuleCode !== "MaxComputeShipping") }));
    const eci = pricing.map((p) =>
      p.productCode === "eci"
        ? {
            ...p,
            modules: p.modules.map((m) => (m.ModuleCode === "Vcpu" ? { ...m, ConfigList: ["Region", "Cpu", "Zone"] } : m)),
            attributes: [
              ...p.attributes,
              {
                Code: "Zone",
                Name: "可用区",
                Unit: "",
                Values: [
                  { Name: "上海 L", Value: "cn-shanghai-l", Type: "single_string" },
                  { Name: "上海 M", Value: "cn-shanghai-m", Type: "single_string" },
                ],
              },
            ],
          }
        : p,
    );
    const file = await refreshPrices(await start(eci), "cn-shanghai", DATE);
    expect(file.missing).toEqual([
      {
        id: "eci.vcpu.hour",
        why: 'eci PayAsYouGo: module Vcpu: attribute Zone (可用区) has 2 values ("cn-shanghai-l", "cn-shanghai-m") and the item chooses none',
      },
      {
        id: "sls.ship.cu",
        why: expect.stringMatching(
          /^sls PayAsYouGo: no pricing module matches \/ship\|投递\/i \(modules: WriteTraffic, IndexTraffic, HotStorage, ActiveShard, Requests, DedicatedSql\)$/,
        ),
      },
    ]);
    expect(file.items).toHaveLength(BSS_ITEMS.length - 2);
  });

  it("retries throttling with backoff", async () => {
    const client = await start();
    fake.failNext("QueryProductList", { status: 400, code: "Throttling.User", message: "Request was denied due to user flow control." }, 2);
    const file = await refreshPrices(client, "cn-shanghai", DATE);
    expect(file.missing).toEqual([]);
    expect(fake.requests.filter((r) => r.action === "QueryProductList")).toHaveLength(3);
  });

  it("stops, writing nothing, when the API refuses the caller (NotApplicable, a wrong secret) or answers in USD", async () => {
    let client = await start();
    fake.failNext("DescribePricingModule", { status: 400, code: "NotApplicable", message: "This API is not applicable for caller." });
    const refused = await refreshPrices(client, "cn-shanghai", DATE).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CannotRefreshError);
    expect((refused as Error).message).toMatch(
      /^BSS DescribePricingModule failed: NotApplicable \(HTTP 400\): This API is not applicable for caller\. \[request id FAKE-BSS-\d+\]$/,
    );
    await fake.stop();

    client = new BssClient(
      { ...CREDS, accessKeySecret: "wrong" },
      { PHOTO_ANALYTICS_BSS_ENDPOINT: await (fake = new FakeBss(SECRET, ACCOUNT_PRODUCTS, ACCOUNT_PRICING)).start() },
      FAST,
    );
    await expect(refreshPrices(client, "cn-shanghai", DATE)).rejects.toThrow(/SignatureDoesNotMatch/);
    await fake.stop();

    client = await start();
    fake.currency = "USD";
    await expect(refreshPrices(client, "cn-shanghai", DATE)).rejects.toThrow(/answers prices in USD, not CNY: the account is on the international site/);
  });
});

describe("the plan priced from a price file", () => {
  let file: PriceFile;
  beforeAll(async () => {
    const f = new FakeBss(SECRET, ACCOUNT_PRODUCTS, ACCOUNT_PRICING);
    const url = await f.start();
    file = await refreshPrices(new BssClient(CREDS, { PHOTO_ANALYTICS_BSS_ENDPOINT: url }, FAST), "cn-shanghai", DATE);
    await f.stop();
  });

  it("uses the API's prices and tiers, and says so on every line; config still wins", async () => {
    const input = stackConfig("prod", undefined, "mature");
    const plan = await recordPlan({ stack: "prod", config: input });
    const cost = resolveCostConfig({ prices: { "maxcompute.sql.gb": 0.25 } }, file);
    const est = estimate(plan, cost.sizes, cost.prices, cost.options);
    const line = (name: string, item: RegExp) => est.lines.find((l) => l.name === name && item.test(l.item))!;
    expect(line("analytics-realtime-instance", /DTS micro/)).toMatchObject({
      monthlyCny: 432,
      lowCny: 432,
      highCny: 432,
      verified: true,
      priceSource: { kind: "api", date: DATE, productCode: "dts", moduleCode: "InstanceClass", requestId: expect.stringMatching(/^FAKE-BSS-/) },
    });
    expect(line("analytics-warehouse-project", /SQL \(daily/).priceSource).toEqual({ kind: "config", key: "photo-analytics:cost.prices" });
    // 590 instances a day (302 + the rt_metrics node's 288): tier 3 (501-1000) at CNY 5 a day, shared by the lines.
    expect(est.dataworks!.schedule).toMatchObject({ tier: 3, dailyCny: 5, verified: true });
    const scheduling = est.lines.filter((l) => l.item === "scheduling instances");
    expect(scheduling.every((l) => l.priced && l.priceSource.kind === "api")).toBe(true);
    expect(scheduling.reduce((s, l) => s + l.monthlyCny, 0)).toBeCloseTo(150, 0);
    // One full up fits Basic (100 OpenAPI calls a day; one workflow per layer and period): no paid edition line.
    expect(est.dataworks).toMatchObject({ neededEdition: "basic", pricedEdition: "basic" });
    expect(est.lines.filter((l) => /DataWorks (standard|professional|enterprise) edition/.test(l.item))).toEqual([]);
    expect(est.lines.filter((l) => l.priced && l.monthlyCny !== 0).every((l) => ["api", "config"].includes(l.priceSource.kind))).toBe(true);
    expect(est.uncertain).toEqual([]);
  });
});

describe("npm run prices, as a process", () => {
  let copy: ProjectCopy;
  beforeAll(() => {
    copy = projectCopy("link", "pa-prices-");
  });
  afterAll(() => copy?.remove());
  const run = (args: string, env: NodeJS.ProcessEnv = {}) => sh(`node -r ./scripts/ts-register.js cli/main.ts prices ${args}`, copy.dir, env);
  /** An environment with no credential source at all. */
  const noCredentials = (): NodeJS.ProcessEnv => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "pa-home-"));
    const env: NodeJS.ProcessEnv = { HOME: home, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" };
    for (const k of Object.keys(process.env)) if (/^(ALIBABA_CLOUD_|ALICLOUD_)/.test(k) && k !== "ALIBABA_CLOUD_ECS_METADATA_DISABLED") env[k] = undefined;
    return env;
  };

  it("--refresh without credentials exits 2 with one message naming what is missing, and writes nothing", async () => {
    const r = await run("--refresh", noCredentials());
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "prices: cannot refresh: no Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY, " +
        "or ALIBABA_CLOUD_ROLE_ARN + ALIBABA_CLOUD_OIDC_PROVIDER_ARN + ALIBABA_CLOUD_OIDC_TOKEN_FILE (OIDC), or a profile in ~/.aliyun/config.json or ~/.alibabacloud/credentials, " +
        "or run on ECS with a RAM role (a RAM identity with bss:DescribePrice is enough); nothing written\n",
    );
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code).toBe(2);
    expect(fs.existsSync(path.join(copy.dir, "prices"))).toBe(false);
  }, 60_000);

  it("--refresh with credentials writes prices/<region>.json, and the plan then prices from it, marking each line", async () => {
    const f = new FakeBss(SECRET, ACCOUNT_PRODUCTS, ACCOUNT_PRICING);
    fake = f;
    const url = await f.start();
    const env = {
      ...noCredentials(),
      ALIBABA_CLOUD_ACCESS_KEY_ID: CREDS.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
      PHOTO_ANALYTICS_BSS_ENDPOINT: url,
    };
    const r = await run("--refresh", env);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(
      new RegExp(
        `^wrote prices/cn-shanghai\\.json: ${BSS_ITEMS.length} prices from the BSS price API \\(\\d{4}-\\d{2}-\\d{2}\\), DataWorks scheduling: ${ACCOUNT_SCHEDULE_TIERS.length} tiers\\n$`,
      ),
    );
    expect(r.code).toBe(0);
    const file = parsePriceFile(fs.readFileSync(path.join(copy.dir, "prices", "cn-shanghai.json"), "utf8"), "prices/cn-shanghai.json");
    expect(file.items.find((i) => i.id === "dts.sync.micro.hour")?.unitPrice).toBe(0.6);

    const table = await run("");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /^prices for cn-shanghai: prices\/cn-shanghai\.json of \d{4}-\d{2}-\d{2} \(30 from the BSS price API\) over lib\/cost\/prices\.ts\n/,
    );
    expect(table.stdout).toMatch(
      /\n {2}\[A\] dts\.sync\.micro\.hour +CNY 0\.6 +per instance-hour \(PayAsYouGo\); BSS price API dts\/InstanceClass, \d{4}-\d{2}-\d{2}, request FAKE-BSS-\d+\n/,
    );

    const plan = await sh("node -r ./scripts/ts-register.js cli/main.ts plan --stack prod --stage mature", copy.dir, env);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/\n {4}analytics-realtime-instance DTS micro \(PayAsYouGo\): ¥432\.00 \[A\] = 720 h x dts\.sync\.micro\.hour\n/);
    expect(plan.stdout).toContain("price sources: [A] BSS price API (prices/cn-shanghai.json, ");
    expect(plan.stdout).toMatch(/DataWorks scheduling: 590 successful instances\/day \(daily 11, hourly 144, realtime 435\), tier 3 \(CNY 5\/day\)/);
  }, 120_000);

  it("a bad --region exits 1 naming the closest region id", async () => {
    const r = await run("--refresh --region cn-shanghia");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^prices: --region: "cn-shanghia" is not allowed; did you mean "cn-shanghai"\? allowed values: "cn-qingdao", .*"me-central-1"\n$/);
  }, 60_000);
});
