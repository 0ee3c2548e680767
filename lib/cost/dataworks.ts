/**
 * DataWorks account-level fees: the daily scheduling fee (one fee a day, chosen
 * by the tier of the day's total successful instances) and the edition with its
 * OpenAPI quota. Pure: no Pulumi imports.
 *
 * Billing rule (https://www.alibabacloud.com/help/en/dataworks/billing-description-of-task-scheduling,
 * read 2026-11-30): "DataWorks uses a 12-tier pricing model for scheduling fees
 * based on the number of successful instances per day. The daily fee is
 * determined by the price tier that corresponds to your total number of
 * successful instances on that day." Dry-run instances are free. The page's
 * tier table (ranges, CNY fees, daily free quota) renders only in a browser and
 * could not be read offline, so no tier ships by default: the tiers come from
 * the price file (`npm run prices -- --refresh`, where the DataWorks pricing
 * module exposes them) or `photo-analytics:cost.dataworksScheduleTiers` (the
 * China-site page; config wins), and until then the plan shows the instance
 * count and marks the fee not priced.
 */
import { DATAWORKS_EDITIONS as BUDGET_EDITIONS, OPENAPI_ALLOWANCE, requiredEdition } from "../dataworks/api-budget";
import type { PriceApiReading } from "./prices";

/** The scheduling billing rule's page (the China-site page is the `zh` twin). */
export const DW_SCHEDULE_RULE = "https://www.alibabacloud.com/help/en/dataworks/billing-description-of-task-scheduling";

/** One tier of the daily scheduling fee. */
export interface ScheduleTier {
  /** Largest daily count of successful instances in this tier (inclusive); null for the last, open-ended tier. */
  readonly maxInstancesPerDay: number | null;
  /** The whole day's fee when the day's count falls in this tier, CNY. */
  readonly dailyCny: number;
  /** Where the tier was read. */
  readonly source: string;
  /** When it was read (YYYY-MM-DD). */
  readonly checked: string;
  /** True when the number was read on `source` itself. */
  readonly verified: boolean;
  /** Present when the tier came from the BSS price API (a price file). */
  readonly api?: PriceApiReading;
}

/** Scheduling tiers with the published daily free quota. */
export interface ScheduleTiers {
  /** Successful instances a day that cost nothing (deducted before the tier is chosen). @default 0 */
  readonly freeInstancesPerDay: number;
  /** Tiers by ascending `maxInstancesPerDay`; empty when not read. */
  readonly tiers: readonly ScheduleTier[];
}

/** The shipped default: the 12-tier table was not readable offline, so it is empty (fee not priced). */
export const DEFAULT_SCHEDULE_TIERS: ScheduleTiers = { freeInstancesPerDay: 0, tiers: [] };

/** Where a day's instance count lands. */
export interface ScheduleTierResult {
  /** Successful instances a day, before the free quota. */
  readonly instancesPerDay: number;
  /** After the daily free quota. */
  readonly billedInstancesPerDay: number;
  /** 1-based tier number, 0 when the free quota covers the day, undefined when no tier table is known or none fits. */
  readonly tier?: number;
  /** The tier's daily fee, CNY (0 when free); undefined when not priced. */
  readonly dailyCny?: number;
  readonly verified: boolean;
  /** The tier the fee was read from (absent when free by quota or not priced). */
  readonly from?: ScheduleTier;
  /** How the tier was chosen, for the plan. */
  readonly formula: string;
}

/** The tier of a day with `instancesPerDay` successful instances. */
export function scheduleTier(instancesPerDay: number, t: ScheduleTiers): ScheduleTierResult {
  const billed = Math.max(0, instancesPerDay - t.freeInstancesPerDay);
  const free = t.freeInstancesPerDay > 0 ? ` - ${t.freeInstancesPerDay} free a day` : "";
  if (billed === 0 && instancesPerDay > 0 && t.freeInstancesPerDay > 0) {
    return {
      instancesPerDay,
      billedInstancesPerDay: 0,
      tier: 0,
      dailyCny: 0,
      verified: true,
      formula: `${instancesPerDay} instances/day${free}: within the free quota`,
    };
  }
  if (t.tiers.length === 0) {
    return {
      instancesPerDay,
      billedInstancesPerDay: billed,
      verified: false,
      formula: `${instancesPerDay} instances/day${free}; tier not known: the 12-tier table (${DW_SCHEDULE_RULE}) was not readable offline; run "npm run prices -- --refresh" or set photo-analytics:cost.dataworksScheduleTiers`,
    };
  }
  const i = t.tiers.findIndex((x) => x.maxInstancesPerDay === null || billed <= x.maxInstancesPerDay);
  if (i < 0) {
    return {
      instancesPerDay,
      billedInstancesPerDay: billed,
      verified: false,
      formula: `${instancesPerDay} instances/day${free}: above the last tier configured`,
    };
  }
  const tier = t.tiers[i];
  const lo = i === 0 ? 1 : (t.tiers[i - 1].maxInstancesPerDay ?? 0) + 1;
  const hi = tier.maxInstancesPerDay === null ? "and more" : `to ${tier.maxInstancesPerDay}`;
  return {
    instancesPerDay,
    billedInstancesPerDay: billed,
    tier: i + 1,
    dailyCny: tier.dailyCny,
    verified: tier.verified,
    from: tier,
    formula: `${instancesPerDay} instances/day${free} = ${billed}: tier ${i + 1} (${lo} ${hi} a day) at CNY ${tier.dailyCny}/day`,
  };
}

/** DataWorks editions, from smallest. */
export const DATAWORKS_EDITIONS = ["basic", "standard", "professional", "enterprise"] as const;
export type DataWorksEdition = (typeof DATAWORKS_EDITIONS)[number];

/**
 * OpenAPI quota per edition: the figures of lib/dataworks/api-budget.ts (the one source, with
 * the DataWorks "use OpenAPI" page it cites), under the cost config's lower-case edition ids.
 */
export const DATAWORKS_API_QUOTA = Object.fromEntries(
  BUDGET_EDITIONS.map((e) => [
    e.toLowerCase(),
    { freeCallsPerMonth: OPENAPI_ALLOWANCE[e].freeCallsPerMonth, maxCallsPerDay: OPENAPI_ALLOWANCE[e].callsPerDay ?? null },
  ]),
) as Readonly<Record<DataWorksEdition, { freeCallsPerMonth: number; maxCallsPerDay: number | null }>>;

/** An edition's monthly fee, CNY, or null when the price was not readable (then the line is not priced). */
export interface EditionFee {
  readonly monthlyCny: number | null;
  readonly source: string;
  readonly checked: string;
  readonly verified: boolean;
  readonly note: string;
}

const EDITION_PAGE = "https://help.aliyun.com/zh/dataworks/product-overview/differences-among-dataworks-editions";

/**
 * Edition fees. Basic Edition is free of charge (its fee is the resource
 * groups' and instances' use); the paid editions are subscriptions whose
 * China-site prices render only on the buy page and could not be read offline.
 */
export const DATAWORKS_EDITION_FEES: Readonly<Record<DataWorksEdition, EditionFee>> = {
  basic: {
    monthlyCny: 0,
    source: EDITION_PAGE,
    checked: "2026-11-30",
    verified: false,
    note: "Basic Edition has no edition fee (the maintainers' reading; the page was not readable offline)",
  },
  standard: {
    monthlyCny: null,
    source: EDITION_PAGE,
    checked: "2026-11-30",
    verified: false,
    note: "Standard Edition subscription: price not readable offline",
  },
  professional: {
    monthlyCny: null,
    source: EDITION_PAGE,
    checked: "2026-11-30",
    verified: false,
    note: "Professional Edition subscription: price not readable offline",
  },
  enterprise: {
    monthlyCny: null,
    source: EDITION_PAGE,
    checked: "2026-11-30",
    verified: false,
    note: "Enterprise Edition subscription: price not readable offline",
  },
};

/** The smallest edition whose daily OpenAPI cap allows `callsPerDay`. */
export function editionForCalls(callsPerDay: number): DataWorksEdition {
  return requiredEdition(callsPerDay).toLowerCase() as DataWorksEdition;
}
