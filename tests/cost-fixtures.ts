/** Hand-built plans for the cost and policy tests (PlannedResource shape of lib/plan/types.ts). */
import { Plan, PlannedResource } from "../lib/plan/types";

export function res(type: string, name: string, inputs: Record<string, unknown> = {}, o: Partial<PlannedResource> = {}): PlannedResource {
  return {
    urn: `urn:pulumi:prod::photo-analytics::${type}::${name}`,
    type,
    name,
    parent: null,
    inputs,
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    aliases: [],
    component: false,
    ...o,
  };
}

const data = { protect: true, retainOnDelete: true };
export const mcProject = res("alicloud:maxcompute/project:Project", "analytics-warehouse-project", { projectName: "photo_analytics_prod" }, data);
export const dailyJob = res("alicloud:dataworks/diJob:DiJob", "analytics-sync-daily-incremental", {
  jobName: "photo_analytics_prod_ods_daily_incremental",
  resourceSettings: { offlineResourceSettings: { requestedCu: 2 } },
});
export const hourlyJob = res("alicloud:dataworks/diJob:DiJob", "analytics-sync-hourly-incremental", {
  jobName: "photo_analytics_prod_ods_hourly_incremental",
  resourceSettings: { offlineResourceSettings: { requestedCu: 4 } },
  transformationRules: [{ ruleActionType: "DefineCycleScheduleSettings", ruleExpression: '{"cronExpress":"00 05 * * * ?","cycleType":"0"}' }],
});
export const dtsInstance = res("alicloud:dts/synchronizationInstance:SynchronizationInstance", "analytics-realtime-instance", {
  instanceClass: "micro",
  paymentType: "PayAsYouGo",
  destinationEndpointRegion: "cn-shanghai",
});
export const dtsJob = res("alicloud:dts/synchronizationJob:SynchronizationJob", "analytics-realtime-job", {
  sourceEndpointPassword: "[secret]",
  destinationEndpointUserName: "[secret]",
  destinationEndpointPassword: "[secret]",
  destinationEndpointRegion: "cn-shanghai",
});
export const trackingStore = res(
  "alicloud:log/store:Store",
  "analytics-tracking-logstore",
  { logstoreName: "user_events", retentionPeriod: 30, shardCount: 2, enableWebTracking: true },
  data,
);
export const component = res("photo-analytics:index:Platform", "analytics", {}, { component: true });

export function plan(resources: PlannedResource[], stage = "mature"): Plan {
  return { stack: "prod", stage, region: "cn-shanghai", resources, outputs: {} };
}

export const dailyNode = res("pulumi-nodejs:dynamic/dataworks:DataWorksNode", "analytics-nodes-daily-ads_dau_d", {
  name: "ads_dau_d",
  cron: "00 30 01 * * ?",
  instanceMode: "T+1",
});
export const hourlyNode = res("pulumi-nodejs:dynamic/dataworks:DataWorksNode", "analytics-nodes-hourly-dws_page_views_agg_h", {
  name: "dws_page_views_agg_h",
  cron: "00 20 * * * ?",
});
export const metricsStore = res(
  "alicloud:log/store:Store",
  "analytics-tracking-metrics-logstore",
  { logstoreName: "user_events_metrics", retentionPeriod: 30, shardCount: 1, enableWebTracking: false },
  data,
);
export const perMinuteSql = res("alicloud:sls/scheduledSql:ScheduledSql", "analytics-tracking-per-minute", {
  schedule: { type: "Cron", cronExpression: "* * * * *", timeZone: "+0800", delay: 30 },
  scheduledSqlConfiguration: { resourcePool: "enhanced", sourceLogstore: "user_events", destLogstore: "user_events_metrics" },
});
export const mcExport = res("pulumi-nodejs:dynamic/sls:MaxComputeExport", "analytics-tracking-maxcompute-export", {
  logstore: "user_events",
  odpsTable: "ods_user_events_sls",
});
export const dashboard = res("alicloud:log/dashboard:Dashboard", "analytics-tracking-dashboard", { dashboardName: "realtime" });
export const dauAlert = res("alicloud:sls/alert:Alert", "analytics-tracking-dau-alert", { alertName: "dau-below-floor" });
