/**
 * The price table the cost model reads: list prices as data, one entry per
 * billable unit, each with where it was read and when. Pure: no Pulumi imports.
 *
 * Every price can be overridden by id in the stack config
 * (`photo-analytics:cost.prices`), e.g. after a discount or a price change.
 * Prices are CNY, China mainland public cloud, pay-as-you-go unless the id says
 * otherwise. `verified: false` marks a price the price page renders only in the
 * browser (DTS, DataWorks, SLS calculators): the value is the maintainers'
 * reading of the buy page on `checked`, kept here so the estimate is complete;
 * override it with your own buy-page reading.
 */

/** One unit price. */
export interface Price {
  /** Stable id, used in overrides and in each estimate line's formula. */
  readonly id: string;
  /** What one unit is, e.g. `GB scanned x complexity`, `GB-day`, `CU-hour`. */
  readonly unit: string;
  /** CNY per unit. */
  readonly cny: number;
  /** Where the price is published. */
  readonly source: string;
  /** When the price was read (YYYY-MM-DD). */
  readonly checked: string;
  /** True when the number was read from the documentation page `source` itself. */
  readonly verified: boolean;
  /** Caveats (tiers, minimums, free quotas left out). */
  readonly note?: string;
}

/** A price table keyed by id. */
export type PriceTable = Readonly<Record<string, Price>>;

const CHECKED = "2025-06-01";
const DTS_PRICE_PAGE = "https://www.aliyun.com/price/product#/dts/detail/dts";
const DW_PRICE_PAGE = "https://help.aliyun.com/zh/dataworks/product-overview/serverless-resource-group-billing";
const SLS_PRICE_PAGE = "https://www.aliyun.com/price/product#/sls/detail/sls";

/**
 * DTS synchronization instance classes (MySQL -> MaxCompute, same region,
 * China mainland): [class, CNY per hour pay-as-you-go, CNY per month subscription].
 */
const DTS_CLASS_PRICES: readonly [string, number, number][] = [
  ["micro", 0.55, 300],
  ["small", 1.2, 650],
  ["medium", 2.4, 1300],
  ["large", 4.8, 2600],
  ["xlarge", 7.2, 3900],
  ["2xlarge", 14.4, 7800],
];

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
    note: "serverless resource group, pay-as-you-go, Data Integration; scheduling instance fees not included",
  },
  ...DTS_CLASS_PRICES.flatMap(([cls, hour, month]): Price[] => [
    {
      id: `dts.sync.${cls}.hour`,
      unit: "instance-hour (PayAsYouGo)",
      cny: hour,
      source: DTS_PRICE_PAGE,
      checked: CHECKED,
      verified: false,
      note: `synchronization instance, class ${cls}, MySQL -> MaxCompute, same region`,
    },
    {
      id: `dts.sync.${cls}.month`,
      unit: "instance-month (Subscription)",
      cny: month,
      source: DTS_PRICE_PAGE,
      checked: CHECKED,
      verified: false,
      note: `synchronization instance, class ${cls}, MySQL -> MaxCompute, same region`,
    },
  ]),
  {
    id: "sls.write.gb",
    unit: "GB written (compressed)",
    cny: 0.18,
    source: SLS_PRICE_PAGE,
    checked: CHECKED,
    verified: false,
    note: "pay-by-feature read/write traffic; free monthly quota not deducted",
  },
  {
    id: "sls.index.gb",
    unit: "GB indexed (raw)",
    cny: 0.35,
    source: SLS_PRICE_PAGE,
    checked: CHECKED,
    verified: false,
    note: "pay-by-feature index traffic",
  },
  {
    id: "sls.storage.gb-day",
    unit: "GB-day (hot storage)",
    cny: 0.0115,
    source: SLS_PRICE_PAGE,
    checked: CHECKED,
    verified: false,
    note: "pay-by-feature hot storage (compressed data + indexes)",
  },
  {
    id: "sls.shard.day",
    unit: "active shard-day",
    cny: 0.04,
    source: SLS_PRICE_PAGE,
    checked: CHECKED,
    verified: false,
    note: "pay-by-feature active shard rent",
  },
];

/** Every price id, sorted. */
export const PRICE_IDS: readonly string[] = DEFAULT_PRICES.map((p) => p.id).sort();

/** The DTS price id for a class and payment type. */
export function dtsPriceId(instanceClass: string, paymentType: "PayAsYouGo" | "Subscription"): string {
  return `dts.sync.${instanceClass}.${paymentType === "Subscription" ? "month" : "hour"}`;
}

/**
 * The default table with `overrides` (CNY per unit, by id) applied. An
 * overridden price keeps its unit, shows source `config` and `verified: true`
 * (the user vouches for it).
 * Throws when an override names an unknown id or is not a finite number >= 0.
 */
export function priceTable(overrides: Readonly<Record<string, number>> = {}): PriceTable {
  const table: Record<string, Price> = Object.fromEntries(DEFAULT_PRICES.map((p) => [p.id, p]));
  for (const [id, cny] of Object.entries(overrides)) {
    if (!(id in table)) {
      throw new Error(`cost.prices.${id}: no such price id; allowed: ${PRICE_IDS.join(", ")}`);
    }
    if (typeof cny !== "number" || !Number.isFinite(cny) || cny < 0) {
      throw new Error(`cost.prices.${id}: ${JSON.stringify(cny)} is not a price; expected a number of CNY >= 0 per ${table[id].unit}`);
    }
    table[id] = { ...table[id], cny, source: "config (photo-analytics:cost.prices)", verified: true };
  }
  return table;
}
