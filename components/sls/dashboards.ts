/**
 * The SLS dashboards: the seed's realtime metrics over the tracking logstore,
 * and (with the SLS realtime engine) the per-minute trends over the metrics
 * logstore.
 */
import * as alicloud from "../common/alicloud";
import { perMinuteTrendQueries, realtimeMetricQueries } from "../../lib/sls/queries";
import { dashboardCharList } from "../../lib/sls/sls-objects";
import { TrackingScope } from "./tracking-scope";

/** Dashboard names inside the SLS project (stable: renaming replaces them). */
export const DASHBOARD_NAME = "realtime-metrics";
export const TREND_DASHBOARD_NAME = "realtime-trends";

/** `${name}-dashboard`: online users now, today's DAU, today's funnel... over the tracking logstore. */
export function createRealtimeDashboard(scope: TrackingScope, index: alicloud.log.StoreIndex): alicloud.log.Dashboard {
  const { name, parent, args: a, projectName } = scope;
  return new alicloud.log.Dashboard(
    `${name}-dashboard`,
    {
      projectName,
      dashboardName: DASHBOARD_NAME,
      displayName: "Photo analytics: realtime metrics",
      attribute: JSON.stringify({ type: "grid" }),
      charList: dashboardCharList(
        a.logstore,
        realtimeMetricQueries(a.extra.timeZone).map((query) => ({
          query,
          type: query.id === "funnel_today" ? "table" : "number",
        })),
      ),
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
