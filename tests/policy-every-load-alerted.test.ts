/** every-load-alerted: a passing and a failing fixture, and the real plans pass. */
import { everyLoadAlerted } from "../policy/every-load-alerted";
import { stackArgs } from "../policy/evaluate";
import { PlannedResource } from "../lib/plan/types";
import { plan, res } from "./cost-fixtures";

async function stackViolations(resources: PlannedResource[]): Promise<string[]> {
  const out: string[] = [];
  await everyLoadAlerted.validateStack(stackArgs(plan(resources), {}), (m) => out.push(m));
  return out;
}

const job = res("alicloud:dataworks/diJob:DiJob", "analytics-sync-daily-incremental", {
  jobName: "ws_ods_daily_incremental",
  migrationType: "FullAndOfflineIncremental",
  transformationRules: [{ ruleName: "rename_ods_daily" }, { ruleName: "schedule_daily" }],
});
const realtimeJob = res("alicloud:dataworks/diJob:DiJob", "analytics-realtime-flink-di", {
  jobName: "ws_rt_sync",
  migrationType: "FullAndRealtimeIncremental",
});
const failure = res("alicloud:dataworks/diAlarmRule:DiAlarmRule", "analytics-realtime-flink-di-failure", {
  diAlarmRuleName: "ws_rt_sync-failure",
  metricType: "Heartbeat",
});
const delayOnly = res("alicloud:dataworks/diAlarmRule:DiAlarmRule", "analytics-realtime-flink-di-delay", {
  diAlarmRuleName: "ws_rt_sync-delay",
  metricType: "Delay",
});
const report = res("pulumi-nodejs:dynamic/dataworks:DataWorksNode", "analytics-nodes-daily-ads_dau_d", {
  name: "ads_dau_d",
  folderPath: "photo-analytics/ads",
});
const view = res("pulumi-nodejs:dynamic/dataworks:DataWorksNode", "analytics-nodes-realtime-users_realtime", {
  name: "users_realtime",
  folderPath: "photo-analytics/realtime",
});
const compaction = res("pulumi-nodejs:dynamic/dataworks:DataWorksNode", "analytics-nodes-realtime-users_compacted", {
  name: "users_compacted",
  folderPath: "photo-analytics/realtime",
});
const realtimeRule = res("pulumi-nodejs:dynamic/dataworks:NodeAlertRule", "analytics-alerts-realtime-users_realtime-error", {
  type: "Error",
  nodeNames: ["users_realtime"],
});
const realtimeDeadline = res("pulumi-nodejs:dynamic/dataworks:NodeAlertRule", "analytics-alerts-realtime-users_compacted-deadline", {
  type: "UnFinished",
  nodeNames: ["users_compacted"],
});
const errorRule = res("pulumi-nodejs:dynamic/dataworks:NodeAlertRule", "analytics-alerts-daily-error", { type: "Error", nodeNames: ["ads_dau_d"] });
const deadlineRule = res("pulumi-nodejs:dynamic/dataworks:NodeAlertRule", "analytics-alerts-daily-deadline", { type: "UnFinished", nodeNames: ["ads_dau_d"] });

const dailyWorkflow = res("pulumi-nodejs:dynamic/dataworks:DataWorksWorkflow", "analytics-nodes-daily-workflow", {
  name: "ws_daily",
  layer: "daily",
  nodes: [{ name: "ads_dau_d" }, { name: "ads_funnel_d" }],
});
const layerError = res("pulumi-nodejs:dynamic/dataworks:NodeAlertRule", "analytics-alerts-daily-error", {
  type: "Error",
  nodeNames: ["ads_dau_d", "ads_funnel_d"],
});
const layerDeadline = res("pulumi-nodejs:dynamic/dataworks:NodeAlertRule", "analytics-alerts-daily-deadline", {
  type: "UnFinished",
  nodeNames: ["ads_dau_d", "ads_funnel_d"],
});

describe("every-load-alerted: layer workflows", () => {
  it("passes when the layer's Error rule lists every inner node", async () => {
    expect(await stackViolations([dailyWorkflow, layerError, layerDeadline])).toEqual([]);
  });
  it("fails for an inner node the Error rule does not list (a deadline rule is not one)", async () => {
    const partial = res("pulumi-nodejs:dynamic/dataworks:NodeAlertRule", "analytics-alerts-daily-error", { type: "Error", nodeNames: ["ads_dau_d"] });
    expect(await stackViolations([dailyWorkflow, partial, layerDeadline])).toEqual([
      "analytics-nodes-daily-workflow: report node ads_funnel_d of workflow ws_daily has no Error alert rule (NodeAlertRule type Error listing it): a failed report would go unnoticed",
    ]);
  });
});

describe("every-load-alerted: DI jobs", () => {
  it("passes when the batch job's layer has an Error rule over its workflow and the real-time job a failure alarm", async () => {
    expect(await stackViolations([job, dailyWorkflow, layerError, layerDeadline, realtimeJob, failure, delayOnly])).toEqual([]);
  });
  it("fails for a batch job whose layer's nodes have no Error rule (a deadline rule is not one)", async () => {
    expect(await stackViolations([job, dailyWorkflow, layerDeadline])).toEqual([
      "analytics-sync-daily-incremental: batch DI job ws_ods_daily_incremental loads the daily layer, which has no workflow with an Error alert rule over its nodes: " +
        "a failed load would go unnoticed (a batch load is watched through the nodes that read it; DataWorks takes DI alarm rules only for real-time sync jobs)",
      "analytics-nodes-daily-workflow: report node ads_dau_d of workflow ws_daily has no Error alert rule (NodeAlertRule type Error listing it): a failed report would go unnoticed",
      "analytics-nodes-daily-workflow: report node ads_funnel_d of workflow ws_daily has no Error alert rule (NodeAlertRule type Error listing it): a failed report would go unnoticed",
    ]);
  });
  it("fails for a DI alarm rule on a batch job (DataWorks would refuse it at up)", async () => {
    const batchAlarm = res("alicloud:dataworks/diAlarmRule:DiAlarmRule", "analytics-alerts-ws_ods_daily_incremental-failure", {
      diAlarmRuleName: "ws_ods_daily_incremental-failure",
      metricType: "Heartbeat",
    });
    expect(await stackViolations([job, dailyWorkflow, layerError, layerDeadline, batchAlarm])).toEqual([
      "analytics-alerts-ws_ods_daily_incremental-failure: DI alarm rule ws_ods_daily_incremental-failure is on the batch DI job ws_ods_daily_incremental: " +
        "DataWorks takes DI alarm rules only for real-time sync jobs (CreateDIAlarmRule), so it would be refused at pulumi up; " +
        "a batch load is watched through the daily layer's node rules",
    ]);
  });
  it("fails for a batch job with no workflow of its layer at all", async () => {
    expect(await stackViolations([job])).toHaveLength(1);
  });
});

describe("every-load-alerted", () => {
  it("passes when the real-time DI job has a failure alarm and every report and realtime node an Error rule", async () => {
    expect(await stackViolations([realtimeJob, failure, delayOnly, report, view, errorRule, deadlineRule, realtimeRule])).toEqual([]);
  });
  it("fails for a realtime-layer node without an Error rule (a deadline rule is not one)", async () => {
    expect(await stackViolations([view, realtimeRule, compaction, realtimeDeadline])).toEqual([
      "analytics-nodes-realtime-users_compacted: realtime node users_compacted has no Error alert rule (NodeAlertRule type Error listing it): a failed view, snapshot or compaction would go unnoticed",
    ]);
  });
  it("fails when the real-time DI job has only a delay alarm and a report node only a deadline rule", async () => {
    expect(await stackViolations([realtimeJob, delayOnly, report, deadlineRule])).toEqual([
      'analytics-realtime-flink-di: DI job ws_rt_sync has no failure alarm (a DiAlarmRule "ws_rt_sync-failure", metricType Heartbeat): a failed load would go unnoticed',
      "analytics-nodes-daily-ads_dau_d: report node ads_dau_d has no Error alert rule (NodeAlertRule type Error listing it): a failed report would go unnoticed",
    ]);
  });
});
