/**
 * Monthly free quotas deducted from the bill, per price id, for the whole
 * account (every project and logstore shares them). Pure.
 *
 * SLS pay-by-feature (billable-items page, free-quota column): 500 MB of
 * storage, 500 MB of read/write traffic, 500 MB of index traffic, 1 million
 * requests and 31 shard-days a month. Free quotas apply only when no resource
 * plan offsets the fees.
 */
import { DATAHUB_PRICE_PAGE, SLS_RULE } from "./prices";

/** A monthly free quota in the unit of its price. */
export interface FreeQuota {
  readonly priceId: string;
  /** Units free per month, for `daysPerMonth` billed days. */
  readonly perMonth: (daysPerMonth: number) => number;
  /** In words, for the formula. */
  readonly label: string;
  readonly source: string;
  /** True when the amount was read on `source`. */
  readonly verified: boolean;
}

export const FREE_QUOTAS: readonly FreeQuota[] = [
  // Storage is billed per GB-day: 0.5 GB free on every day of the month.
  { priceId: "sls.storage.gb-day", perMonth: (d) => 0.5 * d, label: "500 MB/month free storage", source: SLS_RULE, verified: true },
  { priceId: "sls.write.gb", perMonth: () => 0.5, label: "500 MB/month free read/write traffic", source: SLS_RULE, verified: false },
  { priceId: "sls.index.gb", perMonth: () => 0.5, label: "500 MB/month free index traffic", source: SLS_RULE, verified: false },
  { priceId: "sls.request.million", perMonth: () => 1, label: "1 million/month free requests", source: SLS_RULE, verified: false },
  { priceId: "sls.shard.day", perMonth: () => 31, label: "31 shard-days/month free", source: SLS_RULE, verified: false },
  // DataHub (产品定价, 免费额度): 31 active shard-days and 1 GB of storage a month (the storage quota is averaged per day).
  { priceId: "datahub.shard.day", perMonth: () => 31, label: "31 shard-days/month free", source: DATAHUB_PRICE_PAGE, verified: true },
  { priceId: "datahub.storage.gb-day", perMonth: () => 1, label: "1 GB/month free storage", source: DATAHUB_PRICE_PAGE, verified: true },
  // 读流量 1GB/月; 读写次数 200W次/月 (100W reads and 100W writes: counted together here).
  { priceId: "datahub.read.gb", perMonth: () => 1, label: "1 GB/month free read traffic", source: DATAHUB_PRICE_PAGE, verified: true },
  { priceId: "datahub.request.million", perMonth: () => 2, label: "2 million/month free requests", source: DATAHUB_PRICE_PAGE, verified: true },
];
