/**
 * The price table the cost model reads: list prices as data, one entry per
 * billable unit, each with where it was read and when. Pure: no Pulumi imports.
 *
 * Every price can be overridden by id in the stack config
 * (`photo-analytics:cost.prices`), e.g. after a discount or a price change.
 * Prices are CNY, China mainland public cloud, pay-as-you-go unless the id says
 * otherwise. `verified: true` means the number itself was read on the
 * documentation page `source`. `verified: false` marks a number the price pages
 * render only in the browser (DTS, DataWorks, SLS calculators and buy pages):
 * the value is the maintainers' reading on `checked`, kept so the estimate is
 * complete; override it with your own buy-page reading. Where the billing
 * *rule* (what is billed, per which unit) was checked on a documentation page
 * even though the number was not, `ruleSource` names that page.
 *
 * Every number here is a China-site (CNY) price. The international site's USD
 * prices are set separately, not converted: never derive one from the other.
 * An unverified price carries a range (`unverifiedRange`, a factor either
 * way) so the estimate shows how far its lines may be off.
 *
 * Where each price comes from, in order of precedence: the stack's
 * `photo-analytics:cost.prices` (the user vouches for it), the price file that
 * `npm run prices -- --refresh` wrote from the BSS price API
 * (`prices/<region>.json`, lib/cost/price-file.ts), the published page
 * (`verified: true`), or an unverified reading (`verified: false`: its range
 * applies). {@link priceSourceOf} says which, and every cost line carries it.
 */

/** One unit price. */
export interface Price {
  /** Stable id, used in overrides and in each estimate line's formula. */
  readonly id: string;
  /** What one unit is, e.g. `GB scanned x complexity`, `GB-day`, `CU-hour`. */
  readonly unit: string;
  /** CNY per unit (China site). */
  readonly cny: number;
  /** Where the price is published. */
  readonly source: string;
  /** When the price was read (YYYY-MM-DD). */
  readonly checked: string;
  /** True when the number was read from the documentation page `source` itself. */
  readonly verified: boolean;
  /** Documentation page where the billing rule (what is billed, per which unit) was checked, when the number was not. */
  readonly ruleSource?: string;
  /** Caveats (tiers, minimums, free quotas). */
  readonly note?: string;
  /** Present when the number came from the BSS price API (a price file written by `npm run prices -- --refresh`). */
  readonly api?: PriceApiReading;
}

/** One answer of the BSS price API behind a price (lib/cost/price-file.ts keeps it). */
export interface PriceApiReading {
  /** BSS ProductCode, e.g. `dts`. */
  readonly productCode: string;
  /** BSS PricingModule code, e.g. `InstanceClass`. */
  readonly moduleCode: string;
  /** `ModuleList.N.Config` as sent, e.g. `InstanceClass:micro`. */
  readonly config: string;
  /** When the API was asked (YYYY-MM-DD). */
  readonly date: string;
  /** The answer's RequestId. */
  readonly requestId: string;
  /** The region the price was asked for. */
  readonly region: string;
}

/**
 * Where a cost line's price comes from: the BSS price API (with its date), a published page (URL
 * and the date it was read), the stack's config, or an unverified reading (its range applies).
 * Lines with no price have `none` (a fee the rule says is zero) or `not-priced` (an open cost).
 */
export type PriceSource =
  | { readonly kind: "api"; readonly date: string; readonly productCode: string; readonly moduleCode: string; readonly requestId: string }
  | { readonly kind: "page"; readonly url: string; readonly date: string }
  | { readonly kind: "config"; readonly key: string }
  | { readonly kind: "unverified"; readonly url: string; readonly date: string }
  | { readonly kind: "none" }
  | { readonly kind: "not-priced" };

/** The config key that marks a price as the user's own. */
export const CONFIG_PRICE_SOURCE = "config (photo-analytics:cost.prices)";

/** Where `p` comes from (see {@link PriceSource}). */
export function priceSourceOf(p: Pick<Price, "source" | "checked" | "verified" | "api">): PriceSource {
  if (p.api !== undefined) {
    return { kind: "api", date: p.api.date, productCode: p.api.productCode, moduleCode: p.api.moduleCode, requestId: p.api.requestId };
  }
  if (p.source.startsWith("config")) return { kind: "config", key: /\(([^)]+)\)/.exec(p.source)?.[1] ?? p.source };
  return p.verified ? { kind: "page", url: p.source, date: p.checked } : { kind: "unverified", url: p.source, date: p.checked };
}

/** A price table keyed by id. */
export type PriceTable = Readonly<Record<string, Price>>;

/** How far an unverified price may be off: the range is [cny x low, cny x high]. */
export interface PriceRange {
  /** Factor for the low end, 0 < low <= 1. @default 0.5 */
  readonly low: number;
  /** Factor for the high end, >= 1. @default 2 */
  readonly high: number;
}

/** A factor of two either way: the readings below come from browser-rendered buy pages, not documentation text. */
export const DEFAULT_UNVERIFIED_RANGE: PriceRange = { low: 0.5, high: 2 };

/** The [low, high] CNY per unit of a price: the price itself when verified, else `range` around it. */
export function priceBounds(p: Price, range: PriceRange = DEFAULT_UNVERIFIED_RANGE): { low: number; high: number } {
  return p.verified ? { low: p.cny, high: p.cny } : { low: p.cny * range.low, high: p.cny * range.high };
}

const CHECKED = "2025-06-01";
/** Date the rules below were re-checked against the documentation. */
const RECHECKED = "2026-05-07";
/** Date this table was last re-checked against the China-site pages (issue "The bill as Alibaba Cloud will send it"). */
export const PRICES_RECHECKED = "2026-11-30";
/** DataHub's price list ("产品定价": 读流量, 存储空间, 活跃Shard租用, 读写次数). */
export const DATAHUB_PRICE_PAGE = "https://help.aliyun.com/document_detail/158924.html";
/** ECI instance billing ("ECI实例计费": vCPU and memory unit prices). */
export const ECI_PRICE_PAGE = "https://help.aliyun.com/zh/eci/product-overview/elastic-container-instances";
/** When the canal-datahub engine's prices were read. */
export const CANAL_PRICES_CHECKED = "2026-12-01";
const DTS_PRICE_PAGE = "https://www.aliyun.com/price/product#/dts/detail/dts";
const DW_PRICE_PAGE = "https://help.aliyun.com/zh/dataworks/product-overview/serverless-resource-group-billing";
const SLS_PRICE_PAGE = "https://www.aliyun.com/price/product#/sls/detail/sls";
/** DTS billable items: synchronization instances billed by class, hourly (pay-as-you-go), from the start of incremental sync. */
const DTS_RULE = "https://help.aliyun.com/zh/dts/product-overview/billable-items";
/** Serverless resource group: resource usage fee by CU (1 CU = 1 vCPU + 4 GiB) plus scheduling fee per successful instance. */
const DW_RULE = "https://www.alibabacloud.com/help/en/dataworks/new-resource-group-overview";
/** DataWorks OpenAPI: free calls a month by edition, then per 10,000 calls; Basic Edition at most 100 calls a day. */
export const DW_API_PAGE = "https://help.aliyun.com/zh/dataworks/developer-reference/api";
/**
 * SLS pay-by-feature billable items: write/read traffic, index traffic, storage (compressed logs plus
 * indexes), requests, shards, shipping, OCU-metered compute; monthly free quotas per account.
 */
export const SLS_RULE = "https://www.alibabacloud.com/help/en/log-service/latest/billable-items";

/**
 * DTS synchronization instance classes (MySQL -> MaxCompute, same region,
 * China mainland): [class, CNY per hour pay-as-you-go, CNY per month subscription].
 * In order of capacity: the class after `micro` is `small`. Synchronization
 * comes in these four only: CreateDtsInstance `InstanceClass` "Specifications
 * supported by data synchronization instances: large, medium, small, and micro"
 * (xlarge and xxlarge are migration classes; official SDK
 * aliyun/alibabacloud-typescript-sdk dts-20200101/src/models/CreateDtsInstanceRequest.ts
 * @06a71f93987bc01319e08965323789ddbe23f7f8, read 2026-12-05).
 */
export const DTS_CLASS_PRICES: readonly [string, number, number][] = [
  ["micro", 0.55, 300],
  ["small", 1.2, 650],
  ["medium", 2.4, 1300],
  ["large", 4.8, 2600],
];

/** Where the DTS synchronization classes were read (see {@link DTS_CLASS_PRICES}). */
export const DTS_SYNC_CLASSES_SOURCE =
  "CreateDtsInstance InstanceClass (aliyun/alibabacloud-typescript-sdk dts-20200101/src/models/CreateDtsInstanceRequest.ts @06a71f93987bc01319e08965323789ddbe23f7f8)";

/** When the pages cited below for issue 26 (every price from an official source) were read. */
export const PRICES_READ_2026_12 = "2026-12-05";

/**
 * A pay-as-you-go Flink workspace bills its management service on top of its jobs: "Management
 * service resource fee (60 ÷ 60) × 2 CUs × hourly unit price ... The management service fee is
 * fixed: the service runs for 60 minutes per hour and always consumes 2 CUs"; "Billing is tied to
 * the workspace, not to running jobs" (read 2026-12-05).
 */
export const FLINK_PAYG_PAGE = "https://help.aliyun.com/en/flink/realtime-flink/product-overview/pay-as-you-go";
/** CUs the management service of a pay-as-you-go Flink workspace is billed for, every hour ({@link FLINK_PAYG_PAGE}). */
export const FLINK_MANAGEMENT_CU = 2;

/**
 * SLS billing examples, pay-by-feature, example 1: 10 MB raw a day with full-text indexing is
 * 310 MB of index traffic and 372 MB of storage a month at 5:1 compression for one day's
 * retention (2 MB compressed + 10 MB index = 12 MB a day): index storage is 1:1 of index traffic
 * (read 2026-12-05).
 */
export const SLS_BILLING_EXAMPLES = "https://www.alibabacloud.com/help/en/sls/product-overview/billing-examples";

/** The default price table. */
export const DEFAULT_PRICES: readonly Price[] = [
  {
    id: "maxcompute.sql.gb",
    unit: "GB scanned x SQL complexity",
    cny: 0.3,
    source: "https://help.aliyun.com/document_detail/112752.html",
    checked: CHECKED,
    verified: true,
    note: "standard edition pay-as-you-go SQL: input GB x complexity (1, 1.5, 2 or 4) x CNY 0.3",
  },
  {
    id: "maxcompute.storage.gb-day",
    unit: "GB-day (compressed)",
    cny: 0.004,
    source: "https://help.aliyun.com/document_detail/112748.html",
    checked: CHECKED,
    verified: true,
    note: "pay-as-you-go storage; a project under 512 MB pays CNY 0.01/day instead",
  },
  {
    id: "dataworks.serverless.cu-hour",
    unit: "CU-hour",
    cny: 0.25,
    source: DW_PRICE_PAGE,
    checked: CHECKED,
    verified: false,
    ruleSource: DW_RULE,
    note: "serverless resource group, pay-as-you-go, Data Integration CUs while a sync runs; scheduling is a daily tiered fee (lib/cost/dataworks.ts)",
  },
  {
    id: "dataworks.openapi.10k-calls",
    unit: "10,000 OpenAPI calls beyond the edition's monthly free quota",
    cny: 0.3,
    source: DW_API_PAGE,
    checked: PRICES_RECHECKED,
    verified: false,
    note: "quoted in the issue from this page (Basic 3,100 free calls a month and at most 100 a day; Standard 100,000, Professional 500,000, Enterprise 1,000,000 free a month); the page was not readable offline",
  },
  ...DTS_CLASS_PRICES.flatMap(([cls, hour, month]): Price[] => [
    {
      id: `dts.sync.${cls}.hour`,
      unit: "instance-hour (PayAsYouGo)",
      cny: hour,
      source: DTS_PRICE_PAGE,
      checked: CHECKED,
      verified: false,
      ruleSource: DTS_RULE,
      note: `synchronization instance, class ${cls}, MySQL -> MaxCompute, same region`,
    },
    {
      id: `dts.sync.${cls}.month`,
      unit: "instance-month (Subscription)",
      cny: month,
      source: DTS_PRICE_PAGE,
      checked: CHECKED,
      verified: false,
      ruleSource: DTS_RULE,
      note: `synchronization instance, class ${cls}, MySQL -> MaxCompute, same region`,
    },
  ]),
  {
    id: "flink.cu-hour",
    unit: "CU-hour (PayAsYouGo, 1 CU = 1 core + 4 GiB)",
    cny: 0.55,
    source: "https://www.aliyun.com/price/product#/sc/detail/sc",
    checked: PRICES_RECHECKED,
    verified: false,
    ruleSource: "https://help.aliyun.com/zh/flink/product-overview/billing-overview",
    note: "Realtime Compute for Apache Flink, pay-as-you-go: billed per CU-hour of running deployments, plus 2 CU every hour for the workspace's management service (https://help.aliyun.com/en/flink/realtime-flink/product-overview/pay-as-you-go, read 2026-12-05); the number is a reading of the buy page (rendered in the browser), not verified: range applies",
  },
  {
    id: "flink.cu-month",
    unit: "CU-month (Subscription)",
    cny: 225,
    source: "https://www.aliyun.com/price/product#/sc/detail/sc",
    checked: PRICES_RECHECKED,
    verified: false,
    ruleSource: "https://help.aliyun.com/zh/flink/product-overview/billing-overview",
    note: "Realtime Compute for Apache Flink, subscription: billed per CU of the workspace's resourceSpec per month; not verified: range applies",
  },
  {
    id: "datahub.shard.day",
    unit: "active shard-day",
    cny: 0.04,
    source: DATAHUB_PRICE_PAGE,
    checked: CANAL_PRICES_CHECKED,
    verified: true,
    note: "DataHub 活跃Shard租用 0.04 元/个*天 (31 shard-days/month free); writes and the DataHub -> MaxCompute connector (数据投递) are not billed",
  },
  {
    id: "datahub.storage.gb-day",
    unit: "GB-day",
    cny: 0.012,
    source: DATAHUB_PRICE_PAGE,
    checked: CANAL_PRICES_CHECKED,
    verified: true,
    note: "DataHub 存储空间 0.012 元/GB*天 (1 GB/month free); kept for the topic's lifecycleDays",
  },
  {
    id: "datahub.read.gb",
    unit: "GB read",
    cny: 0.15,
    source: DATAHUB_PRICE_PAGE,
    checked: PRICES_READ_2026_12,
    verified: true,
    note: "DataHub 读流量 0.15 元/GB (1 GB/month free, averaged per day); 数据投递 (the connector) is not billed",
  },
  {
    id: "datahub.request.million",
    unit: "million read/write requests",
    cny: 0.12,
    source: DATAHUB_PRICE_PAGE,
    checked: PRICES_READ_2026_12,
    verified: true,
    note: "DataHub 读写次数 0.12 元/百万次 (200W次/月 free: 100W reads and 100W writes)",
  },
  {
    id: "eci.vcpu.hour",
    unit: "vCPU-hour",
    cny: 0.1764,
    source: ECI_PRICE_PAGE,
    checked: CANAL_PRICES_CHECKED,
    verified: false,
    ruleSource: ECI_PRICE_PAGE,
    note: "ECI by vCPU and memory, pay-as-you-go per second: vCPU 0.000049 元/秒 (0.1764 元/小时), general category; read on a mirror of the page, not on help.aliyun.com itself: range applies",
  },
  {
    id: "eci.memory.gib-hour",
    unit: "GiB-hour",
    cny: 0.0221,
    source: ECI_PRICE_PAGE,
    checked: CANAL_PRICES_CHECKED,
    verified: false,
    ruleSource: ECI_PRICE_PAGE,
    note: "ECI memory 0.00000613 元/GiB/秒 (0.0221 元/小时); read on a mirror of the page: range applies",
  },
  {
    id: "sls.write.gb",
    unit: "GB written (compressed)",
    cny: 0.18,
    source: SLS_PRICE_PAGE,
    checked: CHECKED,
    verified: false,
    ruleSource: SLS_RULE,
    note: "pay-by-feature read/write traffic (compressed size; SLS compresses 5:1 to 10:1); the monthly free quota is deducted (lib/cost/free-quotas.ts)",
  },
  {
    id: "sls.index.gb",
    unit: "GB indexed (raw)",
    cny: 0.35,
    source: SLS_PRICE_PAGE,
    checked: CHECKED,
    verified: false,
    ruleSource: SLS_RULE,
    note: "pay-by-feature index traffic (raw size); the monthly free quota is deducted",
  },
  {
    id: "sls.storage.gb-day",
    unit: "GB-day (hot storage: compressed logs plus indexes)",
    cny: 0.0115,
    source: SLS_PRICE_PAGE,
    checked: CHECKED,
    verified: false,
    ruleSource: SLS_RULE,
    note: "pay-by-feature hot storage counts compressed logs plus indexes; the index is stored at 1:1 of index traffic (SLS billing examples, example 1: https://www.alibabacloud.com/help/en/sls/product-overview/billing-examples, read 2026-12-05); the monthly free quota is deducted",
  },
  {
    id: "sls.shard.day",
    unit: "active shard-day",
    cny: 0.04,
    source: SLS_PRICE_PAGE,
    checked: CHECKED,
    verified: false,
    ruleSource: SLS_RULE,
    note: "pay-by-feature active shard rent; the monthly free quota is deducted",
  },
  {
    id: "sls.request.million",
    unit: "million read/write requests",
    cny: 0.12,
    source: SLS_PRICE_PAGE,
    checked: RECHECKED,
    verified: false,
    ruleSource: SLS_RULE,
    note: "pay-by-feature read/write requests; the monthly free quota is deducted",
  },
  {
    id: "sls.sql.core-hour",
    unit: "CPU core-hour of SQL (Dedicated SQL / enhanced resource pool)",
    cny: 0.35,
    source: SLS_PRICE_PAGE,
    checked: RECHECKED,
    verified: false,
    ruleSource: SLS_RULE,
    note: "Scheduled SQL on the enhanced resource pool is billed as Dedicated SQL CPU time (SLS is moving compute features to OCU metering, 1 OCU ~ 0.5 core); the free pool is not billed",
  },
  {
    id: "sls.ship.cu",
    unit: "CU of data shipping (0.2 CU per GB shipped to MaxCompute)",
    cny: 1,
    source: SLS_PRICE_PAGE,
    checked: PRICES_RECHECKED,
    verified: false,
    ruleSource: SLS_RULE,
    note: "new-version MaxCompute shipping is metered at 0.2 CU per GB (raw) at CNY 1 per CU = CNY 0.20/GB (the issue's reading of the China price page; not readable offline)",
  },
];

/** CU of shipping per GB shipped to MaxCompute (SLS pay-by-feature). */
export const SLS_SHIP_CU_PER_GB = 0.2;

/**
 * Prices with no default number (no page shows them offline): the DataWorks paid editions'
 * monthly fees. A price file or `cost.prices` may set them; until then their lines are not priced.
 */
export const OPEN_PRICE_IDS: readonly string[] = [
  "dataworks.edition.standard.month",
  "dataworks.edition.professional.month",
  "dataworks.edition.enterprise.month",
];

/** The price id of a DataWorks edition's monthly fee. */
export function editionPriceId(edition: string): string {
  return `dataworks.edition.${edition}.month`;
}

/** Every price id, sorted (those with a default and the open ones). */
export const PRICE_IDS: readonly string[] = [...DEFAULT_PRICES.map((p) => p.id), ...OPEN_PRICE_IDS].sort();

/** Units of the open price ids. */
const OPEN_PRICE_UNITS: Readonly<Record<string, string>> = Object.fromEntries(
  OPEN_PRICE_IDS.map((id) => [id, `edition-month (Subscription, ${id.split(".")[2]} edition)`]),
);

/** The unit of a price id (default or open). */
export function priceUnit(id: string): string | undefined {
  return DEFAULT_PRICES.find((p) => p.id === id)?.unit ?? OPEN_PRICE_UNITS[id];
}

/** The DTS price id for a class and payment type. */
export function dtsPriceId(instanceClass: string, paymentType: "PayAsYouGo" | "Subscription"): string {
  return `dts.sync.${instanceClass}.${paymentType === "Subscription" ? "month" : "hour"}`;
}

/** The DTS class one size up from `instanceClass` (`micro` -> `small`), or undefined for the largest or an unknown class. */
export function nextDtsClass(instanceClass: string): string | undefined {
  const i = DTS_CLASS_PRICES.findIndex(([c]) => c === instanceClass);
  return i < 0 || i === DTS_CLASS_PRICES.length - 1 ? undefined : DTS_CLASS_PRICES[i + 1][0];
}

/** A price read from the BSS price API (one item of a price file, lib/cost/price-file.ts). */
export interface ApiPrice {
  readonly id: string;
  /** CNY per the price id's unit. */
  readonly cny: number;
  readonly reading: PriceApiReading;
}

/**
 * The default table with `apiPrices` (a price file's items) and then `overrides` (CNY per unit,
 * by id) applied. A price from the API keeps its unit, shows source `BSS price API` and
 * `verified: true`; an overridden price shows source `config` and `verified: true` (the user
 * vouches for it). Throws when an override names an unknown id or is not a finite number >= 0.
 */
export function priceTable(overrides: Readonly<Record<string, number>> = {}, apiPrices: readonly ApiPrice[] = []): PriceTable {
  const table: Record<string, Price> = Object.fromEntries(DEFAULT_PRICES.map((p) => [p.id, p]));
  const unitOf = (id: string) => table[id]?.unit ?? OPEN_PRICE_UNITS[id];
  for (const a of apiPrices) {
    const unit = unitOf(a.id);
    if (unit === undefined) continue; // an id this version no longer prices: the price file is older or newer than the code
    table[a.id] = {
      id: a.id,
      unit,
      cny: a.cny,
      source: `BSS price API (${a.reading.productCode} ${a.reading.moduleCode}, ${a.reading.region})`,
      checked: a.reading.date,
      verified: true,
      api: a.reading,
      ...(table[a.id]?.note !== undefined ? { note: table[a.id].note } : {}),
    };
  }
  for (const [id, cny] of Object.entries(overrides)) {
    const unit = unitOf(id);
    if (unit === undefined) {
      throw new Error(`cost.prices.${id}: no such price id; allowed: ${PRICE_IDS.join(", ")}`);
    }
    if (typeof cny !== "number" || !Number.isFinite(cny) || cny < 0) {
      throw new Error(`cost.prices.${id}: ${JSON.stringify(cny)} is not a price; expected a number of CNY >= 0 per ${unit}`);
    }
    const { api: _api, ...rest } = table[id] ?? { id, unit, cny, checked: "" };
    table[id] = { ...rest, id, unit, cny, source: CONFIG_PRICE_SOURCE, checked: "", verified: true };
  }
  return table;
}
