/**
 * `photo-analytics:cost`: the usage assumptions the cost model multiplies
 * prices by, and price overrides by id. Pure: no Pulumi imports.
 *
 * The lead registers `COST_CONFIG_SCHEMA` as `properties.cost` of
 * `lib/config/schema.ts`; `resolveCostConfig` turns the raw value (or nothing)
 * into sizes with defaults applied and a price table.
 */
import { DATAWORKS_EDITIONS, DataWorksEdition, DEFAULT_SCHEDULE_TIERS, ScheduleTiers } from "./dataworks";
import { apiPricesOf, PriceFile, scheduleTiersOf } from "./price-file";
import { DEFAULT_UNVERIFIED_RANGE, PRICE_IDS, PriceRange, PriceTable, priceTable } from "./prices";

/** Usage assumptions. Every field has a default (`DEFAULT_SIZES`). */
export interface CostSizes {
  /** Days billed per month. @default 30 */
  readonly daysPerMonth: number;
  /** MaxCompute storage, GB after compression (MaxCompute compresses about 5:1). @default 20 */
  readonly maxcomputeStorageGb: number;
  /** GB the SQL of each layer scans per day (reports, aggregates, realtime views read by dashboards). @default {daily: 2, hourly: 3, realtime: 5} */
  readonly scannedGbPerDay: Readonly<Record<"daily" | "hourly" | "realtime", number>>;
  /** Average SQL complexity (1, 1.5, 2 or 4 in MaxCompute's formula). @default 1.5 */
  readonly sqlComplexity: number;
  /** Minutes each layer's Data Integration job runs per day (the hourly job: all 24 runs together). @default {daily: 15, hourly: 72} */
  readonly diRunMinutesPerDay: Readonly<Record<"daily" | "hourly", number>>;
  /** Hours per month the realtime DTS instance runs (pay-as-you-go; lower it when realtime is on only for events). @default 720 */
  readonly dtsHoursPerMonth: number;
  /** Raw GB per day written to the web-tracking logstore. @default 0.2 */
  readonly slsIngestGbPerDay: number;
  /** Raw GB per day written to each other logstore (derived metrics). @default 0.01 */
  readonly slsOtherIngestGbPerDay: number;
  /** SLS compression ratio (raw : stored). @default 5 */
  readonly slsCompressionRatio: number;
  /** Write requests per day to the web-tracking logstore (browser SDK batches events per POST). @default 40000 */
  readonly slsTrackingRequestsPerDay: number;
  /** CPU seconds each Scheduled SQL run uses (a minute of events, one GROUP BY). @default 1 */
  readonly slsScheduledSqlCpuSecondsPerRun: number;
  /** GB of SLS index stored per raw GB indexed: 1, as SLS's billing examples store it (index storage = index traffic; lib/cost/prices.ts SLS_BILLING_EXAMPLES). @default 1 */
  readonly slsIndexGbPerRawGb: number;
  /** `pulumi up` runs a month that (re)deploy every node. @default 4 */
  readonly deploysPerMonth: number;
  /** Hours per month the dataworks-flink engine's job runs (pay-as-you-go CU-hours). @default 720 */
  readonly flinkHoursPerMonth?: number;
  /** GB (compressed) the dataworks-flink engine's Delta tables hold (`<table>_realtime`, `rt_*`). @default 1 */
  readonly deltaTableStorageGb?: number;
  /** GB each canal-datahub topic holds on average (DataHub storage, kept `lifecycleDays`). @default 0.5 */
  readonly datahubTopicStorageGb?: number;
  /**
   * Times each record of a canal-datahub topic is read a day (DataHub read traffic): the
   * connector's one read. DataHub's price page says 数据投递 (the connector) is not billed; set 0
   * if your bill shows its reads free, more when other consumers read the topics. @default 1
   */
  readonly datahubReadsPerRecord?: number;
  /** Read and write requests a day on each canal-datahub topic (Canal's produce requests and the connector's reads). @default 86400 */
  readonly datahubRequestsPerDay?: number;
  /**
   * GB one run of the realtime metrics node (`rt_metrics`, dts and canal-datahub) reads: the change log of yesterday
   * and today of the realtime tables, page_views' three times (one statement per metric), plus the small `rt_*` tables. @default 0.01
   */
  readonly rtMetricsGbPerRun?: number;
}

/** What the estimate's total is compared with a budget by. */
export const BUDGET_BASES = ["high", "estimate", "low"] as const;
export type BudgetBasis = (typeof BUDGET_BASES)[number];

/** Choices besides sizes and prices. */
export interface CostOptions {
  /** How far unverified prices may be off (`cost.unverifiedRange`). @default {low: 0.5, high: 2} */
  readonly unverifiedRange: PriceRange;
  /** DataWorks edition the account runs (`cost.dataworksEdition`). @default "basic" */
  readonly dataworksEdition: DataWorksEdition;
  /** The stack serves production (`cost.production`): DTS class guidance applies. @default false */
  readonly production: boolean;
  /** Which end of the range the budget policy compares (`cost.budgetBasis`). @default "high" */
  readonly budgetBasis: BudgetBasis;
  /** DataWorks daily scheduling tiers (`cost.dataworksScheduleTiers`, else the price file's). @default none (fee not priced) */
  readonly scheduleTiers: ScheduleTiers;
  /** The price file the prices and tiers were read from (`prices/<region>.json`), if any: its region and date. */
  readonly priceFile?: { readonly region: string; readonly date: string; readonly items: number; readonly missing: readonly string[] };
}

export const DEFAULT_OPTIONS: CostOptions = {
  unverifiedRange: DEFAULT_UNVERIFIED_RANGE,
  dataworksEdition: "basic",
  production: false,
  budgetBasis: "high",
  scheduleTiers: DEFAULT_SCHEDULE_TIERS,
};

/** The resolved `photo-analytics:cost`. */
export interface CostConfig {
  readonly sizes: CostSizes;
  readonly prices: PriceTable;
  readonly options: CostOptions;
}

/** The raw `photo-analytics:cost` as a stack file holds it. */
export interface CostConfigInput {
  readonly sizes?: Partial<Omit<CostSizes, "scannedGbPerDay" | "diRunMinutesPerDay">> & {
    readonly scannedGbPerDay?: Partial<CostSizes["scannedGbPerDay"]>;
    readonly diRunMinutesPerDay?: Partial<CostSizes["diRunMinutesPerDay"]>;
  };
  /** CNY per unit, by price id (`lib/cost/prices.ts`). */
  readonly prices?: Readonly<Record<string, number>>;
  readonly unverifiedRange?: Partial<PriceRange>;
  readonly dataworksEdition?: DataWorksEdition;
  readonly production?: boolean;
  readonly budgetBasis?: BudgetBasis;
  /** Tiers read from the China-site scheduling page (CNY per day); each is `verified: true`, source config. */
  readonly dataworksScheduleTiers?: {
    readonly freeInstancesPerDay?: number;
    readonly tiers: readonly { readonly maxInstancesPerDay: number | null; readonly dailyCny: number }[];
  };
}

export const DEFAULT_SIZES: CostSizes = {
  daysPerMonth: 30,
  maxcomputeStorageGb: 20,
  scannedGbPerDay: { daily: 2, hourly: 3, realtime: 5 },
  sqlComplexity: 1.5,
  diRunMinutesPerDay: { daily: 15, hourly: 72 },
  dtsHoursPerMonth: 720,
  flinkHoursPerMonth: 720,
  deltaTableStorageGb: 1,
  datahubTopicStorageGb: 0.5,
  datahubReadsPerRecord: 1,
  datahubRequestsPerDay: 86400,
  rtMetricsGbPerRun: 0.01,
  slsIngestGbPerDay: 0.2,
  slsOtherIngestGbPerDay: 0.01,
  slsCompressionRatio: 5,
  slsTrackingRequestsPerDay: 40000,
  slsScheduledSqlCpuSecondsPerRun: 1,
  slsIndexGbPerRawGb: 1,
  deploysPerMonth: 4,
};

const nonNegative = { type: "number", minimum: 0 } as const;

/** JSON Schema (draft-07) of `photo-analytics:cost`: register as `CONFIG_SCHEMA.properties.cost`. */
export const COST_CONFIG_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    sizes: {
      type: "object",
      additionalProperties: false,
      properties: {
        daysPerMonth: { type: "number", minimum: 28, maximum: 31 },
        maxcomputeStorageGb: nonNegative,
        scannedGbPerDay: {
          type: "object",
          additionalProperties: false,
          properties: { daily: nonNegative, hourly: nonNegative, realtime: nonNegative },
        },
        sqlComplexity: { type: "number", enum: [1, 1.5, 2, 4] },
        diRunMinutesPerDay: {
          type: "object",
          additionalProperties: false,
          properties: { daily: { type: "number", minimum: 0, maximum: 1440 }, hourly: { type: "number", minimum: 0, maximum: 1440 } },
        },
        dtsHoursPerMonth: { type: "number", minimum: 0, maximum: 744 },
        flinkHoursPerMonth: { type: "number", minimum: 0, maximum: 744 },
        deltaTableStorageGb: { type: "number", minimum: 0 },
        datahubTopicStorageGb: { type: "number", minimum: 0 },
        datahubReadsPerRecord: { type: "number", minimum: 0 },
        datahubRequestsPerDay: { type: "number", minimum: 0 },
        rtMetricsGbPerRun: { type: "number", minimum: 0 },
        slsIngestGbPerDay: nonNegative,
        slsOtherIngestGbPerDay: nonNegative,
        slsCompressionRatio: { type: "number", minimum: 1 },
        slsTrackingRequestsPerDay: nonNegative,
        slsScheduledSqlCpuSecondsPerRun: nonNegative,
        slsIndexGbPerRawGb: nonNegative,
        deploysPerMonth: nonNegative,
      },
    },
    unverifiedRange: {
      type: "object",
      additionalProperties: false,
      properties: { low: { type: "number", exclusiveMinimum: 0, maximum: 1 }, high: { type: "number", minimum: 1 } },
    },
    dataworksEdition: { type: "string", enum: [...DATAWORKS_EDITIONS] },
    production: { type: "boolean" },
    budgetBasis: { type: "string", enum: [...BUDGET_BASES] },
    dataworksScheduleTiers: {
      type: "object",
      additionalProperties: false,
      required: ["tiers"],
      properties: {
        freeInstancesPerDay: nonNegative,
        tiers: {
          type: "array",
          maxItems: 12,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["maxInstancesPerDay", "dailyCny"],
            properties: { maxInstancesPerDay: { type: ["number", "null"], minimum: 1 }, dailyCny: nonNegative },
          },
        },
      },
    },
    prices: {
      type: "object",
      propertyNames: { enum: [...PRICE_IDS] },
      additionalProperties: nonNegative,
    },
  },
} as const;

/**
 * Sizes and prices with defaults applied, the price file's prices and tiers (if any) under the
 * stack's own `cost.prices` and `cost.dataworksScheduleTiers`. Throws (naming the key) on an
 * unknown price id.
 */
export function resolveCostConfig(input: CostConfigInput | undefined, priceFile?: PriceFile): CostConfig {
  const s = input?.sizes ?? {};
  const sizes: CostSizes = {
    ...DEFAULT_SIZES,
    ...Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined && typeof v !== "object")),
    scannedGbPerDay: { ...DEFAULT_SIZES.scannedGbPerDay, ...(s.scannedGbPerDay ?? {}) },
    diRunMinutesPerDay: { ...DEFAULT_SIZES.diRunMinutesPerDay, ...(s.diRunMinutesPerDay ?? {}) },
  };
  const tiers = input?.dataworksScheduleTiers;
  const options: CostOptions = {
    unverifiedRange: { ...DEFAULT_OPTIONS.unverifiedRange, ...(input?.unverifiedRange ?? {}) },
    dataworksEdition: input?.dataworksEdition ?? DEFAULT_OPTIONS.dataworksEdition,
    production: input?.production ?? DEFAULT_OPTIONS.production,
    budgetBasis: input?.budgetBasis ?? DEFAULT_OPTIONS.budgetBasis,
    scheduleTiers:
      tiers === undefined
        ? ((priceFile && scheduleTiersOf(priceFile)) ?? DEFAULT_OPTIONS.scheduleTiers)
        : {
            freeInstancesPerDay: tiers.freeInstancesPerDay ?? 0,
            tiers: tiers.tiers.map((t) => ({ ...t, source: "config (photo-analytics:cost.dataworksScheduleTiers)", checked: "", verified: true })),
          },
  };
  const order = options.scheduleTiers.tiers.map((t) => t.maxInstancesPerDay ?? Infinity);
  order.forEach((m, i) => {
    if (i > 0 && m <= order[i - 1]) {
      throw new Error(
        `cost.dataworksScheduleTiers.tiers[${i}].maxInstancesPerDay: ${m === Infinity ? "null" : m} is not above the tier before (${order[i - 1]}); tiers go up, only the last may be null`,
      );
    }
  });
  const withFile: CostOptions =
    priceFile === undefined
      ? options
      : {
          ...options,
          priceFile: { region: priceFile.region, date: priceFile.date, items: priceFile.items.length, missing: priceFile.missing.map((m) => m.id) },
        };
  return { sizes, prices: priceTable(input?.prices ?? {}, priceFile ? apiPricesOf(priceFile) : []), options: withFile };
}

/** Reads `photo-analytics:cost` from raw config values (`ConfigInput.values`: objects as JSON text), over `priceFile` if given. */
export function costConfigFromValues(values: Readonly<Record<string, string>>, priceFile?: PriceFile): CostConfig {
  const raw = values["photo-analytics:cost"];
  if (raw === undefined) return resolveCostConfig(undefined, priceFile);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`photo-analytics:cost: ${JSON.stringify(raw.slice(0, 40))} is not an object; expected {sizes: {...}, prices: {<price id>: CNY}}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`photo-analytics:cost: ${JSON.stringify(parsed)} is not an object; expected {sizes: {...}, prices: {<price id>: CNY}}`);
  }
  return resolveCostConfig(parsed as CostConfigInput, priceFile);
}
