/**
 * Monthly cost notes for front-end tracking and the SLS realtime engine, as
 * data the plan's cost model can read. Figures are the seed's estimates
 * (seed/dataworks-realtime-sync-plan.zh.md), not verified price-list
 * arithmetic: each line says where it comes from. Pure: no Pulumi.
 */

/** One cost line. */
export interface CostLine {
  readonly item: string;
  readonly monthlyCny: number;
  readonly source: string;
}

/** Tracking in every stage where it is enabled: ingestion, storage and index of `user_events`. */
export const TRACKING_BASE: readonly CostLine[] = [
  { item: "SLS user_events: web-tracking ingestion, storage, index", monthlyCny: 50, source: "seed, 替代方案: SLS费用 ¥50/月" },
];

/** Added by the SLS realtime engine: dashboard/alert queries and the per-minute Scheduled SQL. */
export const SLS_REALTIME_ENGINE: readonly CostLine[] = [
  { item: "SLS queries: realtime dashboard, DAU alert, per-minute Scheduled SQL", monthlyCny: 20, source: "seed, 替代方案: 查询费用 ¥20/月" },
];

/** The DTS realtime layer as the seed prices it (one synchronization instance for all realtime tables). */
export const DTS_REALTIME_ENGINE: readonly CostLine[] = [
  { item: "DTS MySQL -> MaxCompute synchronization + realtime MaxCompute compute", monthlyCny: 800, source: "seed, 三层数据架构: Layer 1 实时层 ¥800/月" },
];

/** The seed's batch layers (for the comparison only; the plan's cost model owns them). */
export const SEED_BATCH_LAYERS: readonly CostLine[] = [
  { item: "hourly layer (DataWorks DI + MaxCompute)", monthlyCny: 280, source: "seed, Layer 2 小时级 ¥280/月" },
  { item: "T+1 layer (DataWorks DI + MaxCompute)", monthlyCny: 100, source: "seed, Layer 3 T+1 ¥100/月" },
];

const sum = (lines: readonly CostLine[]) => lines.reduce((n, l) => n + l.monthlyCny, 0);

/** Monthly cost of the mature stage per realtime engine, with tracking enabled. */
export function matureStageMonthlyCny(engine: "dts" | "sls"): { total: number; lines: CostLine[] } {
  const lines = [...SEED_BATCH_LAYERS, ...TRACKING_BASE, ...(engine === "dts" ? DTS_REALTIME_ENGINE : SLS_REALTIME_ENGINE)];
  return { total: sum(lines), lines };
}

/** Cost lines the tracking component adds for a stage. */
export function trackingMonthlyCny(opts: { enabled: boolean; realtimeMetrics: boolean }): { total: number; lines: CostLine[] } {
  const lines = opts.enabled ? [...TRACKING_BASE, ...(opts.realtimeMetrics ? SLS_REALTIME_ENGINE : [])] : [];
  return { total: sum(lines), lines };
}
