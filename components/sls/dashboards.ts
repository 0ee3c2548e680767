/**
 * The SLS dashboards: the seed's realtime metrics over the tracking logstore,
 * and (with the SLS realtime engine) the per-minute trends over the metrics
 * logstore.
 */
import * as alicloud from "../common/alicloud";
import { perMinuteTrendQueries, realtimeMetricQueries } from "../../lib/sls/queries";
import { rtDashboardQueries } from "../../lib/sls/rt-metrics";
import { ChartSpec, dashboardCharList, metricsLogstoreName } from "../../lib/sls/sls-objects";
import { TrackingScope } from "./tracking-scope";

/** Dashboard names inside the SLS project (stable: renaming replaces them). */
export const DASHBOARD_NAME = "realtime-metrics";
export const TREND_DASHBOARD_NAME = "realtime-trends";

/**
 * `${name}-dashboard`: online users now, today's DAU, today's funnel... over the tracking logstore (the
 * front end's view), and beside them the same metrics from the synced database (`rt_*`, imported into the
 * metrics logstore by `rtMetrics`) with their age.
 */
export function createRealtimeDashboard(scope: TrackingScope, index: alicloud.log.StoreIndex): alicloud.log.Dashboard {
  const { name, parent, args: a, projectName } = scope;
  // Always there (empty until the import runs): promotion and engine switches never rewrite the dashboard.
  const rtCharts: ChartSpec[] = rtDashboardQueries(a.rtIntervalMinutes ?? 5).map((query) => ({
    query,
    type: query.columns.length > 1 ? ("table" as const) : ("number" as const),
    logstore: metricsLogstoreName(a.logstore),
  }));
  return new alicloud.log.Dashboard(
    `${name}-dashboard`,
    {
      projectName,
      dashboardName: DASHBOARD_NAME,
      displayName: "Photo analytics: realtime metrics",
      attribute: JSON.stringify({ type: "grid" }),
      charList: dashboardCharList(a.logstore, [
        ...realtimeMetricQueries(a.extra.timeZone).map((query) => ({
          query,
          type: query.id === "funnel_today" ? ("table" as const) : ("number" as const),
        })),
        ...rtCharts,
      ]),
    },
    { ...parent, dependsOn: [index] },
  );
}

/** `${name}-trend-dashboard`: per-minute lines over the metrics logstore the Scheduled SQL fills. */
export function createTrendDashboard(scope: TrackingScope, metricsLogstore: string, metricsIndex: alicloud.log.StoreIndex): alicloud.log.Dashboard {
  const { name, parent, projectName } = scope;
  return new alicloud.log.Dashboard(
    `${name}-trend-dashboard`,
    {
      projectName,
      dashboardName: TREND_DASHBOARD_NAME,
      displayName: "Photo analytics: realtime trends (per minute)",
      attribute: JSON.stringify({ type: "grid" }),
      charList: dashboardCharList(
        metricsLogstore,
        perMinuteTrendQueries().map((query) => ({ query, type: "line" as const })),
      ),
    },
    { ...parent, dependsOn: [metricsIndex] },
  );
}
