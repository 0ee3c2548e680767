/**
 * The freshness alerts as data (pure): what each DI alarm rule and each DataWorks node alert rule
 * sends, from the objectives (`freshness`) and the contacts (`alerts`) of the resolved config.
 *
 * - Realtime DI jobs only: `alicloud.dataworks.DiAlarmRule` (CreateDIAlarmRule, DataWorks 2024-05-18, through
 *   terraform-provider-alicloud alicloud/resource_alicloud_data_works_di_alarm_rule.go @
 *   579f232f09154a8d6de2c61b623b59b328d240b2): `metric_type` Heartbeat (task status: the
 *   failure alert, no threshold) and Delay (threshold in seconds); `trigger_conditions
 *   {severity Warning|Critical, duration minutes, threshold}`; `notification_settings
 *   {inhibition_interval minutes, notification_channels[{severity, channels Mail|Phone|Sms|Ding}],
 *   notification_receivers[{receiver_type AliyunUid|DingToken|FeishuToken|WebHookUrl, receiver_values}]}`
 *   (website/docs/r/data_works_di_alarm_rule.html.markdown). DataWorks takes these rules only for
 *   jobs with real-time synchronization ("You can configure alert rules only for tasks that can be
 *   used for real-time data synchronization", CreateDIAlarmRule / GetDIAlarmRule / ListDIAlarmRules;
 *   the metrics, heartbeat, failover, business delay, DDL, are a running sync's): the batch layers'
 *   DI jobs have none. A batch load is watched through what reads it: every report and aggregate
 *   starts with a check of its ODS partitions and fails while its load has not landed, so the
 *   layer's error and deadline rules below fire for a failed or late load.
 * - Report nodes: the provider has no resource; the DataWorks OpenAPI 2024-05-18 CreateAlertRule
 *   (https://help.aliyun.com/zh/dataworks/developer-reference/api-dataworks-public-2024-05-18-createalertrule;
 *   request model: aliyun/alibabacloud-java-async-sdk dataworks-public-20240518
 *   CreateAlertRuleRequest.java @ 0ef7d5375a524e4751ae4ac9b3253a50d9b3466f): `TriggerCondition
 *   {Type Error|UnFinished|CycleUnfinished|..., Target {Type Task, Ids}, Extension {UnFinished
 *   {UnFinishedTime "hh:mm"}, CycleUnfinished {CycleAndTime [{CycleId 1-288, Time "hh:mm"}]}}}`,
 *   `Notification {Channels, Receivers [{ReceiverType AliUid|TaskOwner|..., ReceiverValues}],
 *   IntervalInMinutes 5-10000, Maximum 1-10000}`.
 */
import type { AlertsConfig, BatchTier, FreshnessConfig } from "../config/types";

const pad = (n: number) => String(n).padStart(2, "0");

/** The DI alarm rules of one realtime DI job (lib/flink/alarm-rules.ts): failure (task status) and delay. */
export interface DiAlarmRulePlan {
  /** Stable suffix of the Pulumi child and of the rule's name. */
  readonly kind: "failure" | "delay";
  readonly diAlarmRuleName: string;
  readonly description: string;
  readonly metricType: "Heartbeat" | "Delay";
  readonly triggerConditions: readonly { severity: "Critical" | "Warning"; duration: number; threshold?: number }[];
  readonly notificationSettings: {
    inhibitionInterval: number;
    notificationChannels: { severity: string; channels: string[] }[];
    notificationReceivers: { receiverType: string; receiverValues: string[] }[];
  };
}

/** Where every DI alarm rule sends (the realtime DI job's, lib/flink/alarm-rules.ts). */
export function notificationSettings(a: AlertsConfig): DiAlarmRulePlan["notificationSettings"] {
  const channels = [...a.channels];
  return {
    inhibitionInterval: a.repeatIntervalMinutes,
    notificationChannels: [
      { severity: "Critical", channels },
      { severity: "Warning", channels },
    ],
    notificationReceivers: a.receiverUids.length > 0 ? [{ receiverType: "AliyunUid", receiverValues: [...a.receiverUids] }] : [],
  };
}

/** One DataWorks node alert rule (CreateAlertRule) over a layer's report nodes. */
export interface NodeAlertRulePlan {
  readonly kind: "error" | "deadline";
  readonly name: string;
  readonly type: "Error" | "UnFinished" | "CycleUnfinished";
  /** TriggerCondition.Extension, as the API takes it. */
  readonly extension: Record<string, unknown>;
  readonly channels: readonly string[];
  /** Notification.Receivers. */
  readonly receivers: readonly { ReceiverType: string; ReceiverValues?: string[] }[];
  readonly intervalInMinutes: number;
  /** Notifications per calendar day, at most. */
  readonly maximum: number;
}

/** Who a node rule notifies, how often and how many times a day (`maximum`). */
function nodeNotification(a: AlertsConfig, maximum: number): Pick<NodeAlertRulePlan, "channels" | "receivers" | "intervalInMinutes" | "maximum"> {
  const receivers = a.receiverUids.length > 0 ? [{ ReceiverType: "AliUid", ReceiverValues: [...a.receiverUids] }] : [{ ReceiverType: "TaskOwner" }];
  return { channels: [...a.channels], receivers, intervalInMinutes: a.repeatIntervalMinutes, maximum };
}

/** Any error of a node's instance (`Error`, no automatic rerun alert). */
function errorRule(workspace: string, layer: string, a: AlertsConfig, maximum: number): NodeAlertRulePlan {
  return {
    kind: "error",
    name: `${workspace}_${layer}_error`,
    type: "Error",
    extension: { Error: { AutoRerunAlertEnabled: false } },
    ...nodeNotification(a, maximum),
  };
}

/**
 * The rules of a layer's report nodes: any error (`Error`), and not finished by the objective:
 * daily `UnFinished` at `dailyDeadline`; hourly `CycleUnfinished` with one (cycle, time) per hour
 * (cycle k runs in hour k-1 and must be done `hourlyGraceMinutes` past it).
 */
export function nodeAlertRulePlans(workspace: string, layer: BatchTier, f: FreshnessConfig, a: AlertsConfig): NodeAlertRulePlan[] {
  const maximum = layer === "daily" ? 3 : 10;
  const deadline: NodeAlertRulePlan =
    layer === "daily"
      ? {
          kind: "deadline",
          name: `${workspace}_daily_unfinished`,
          type: "UnFinished",
          extension: { UnFinished: { UnFinishedTime: f.dailyDeadline } },
          ...nodeNotification(a, maximum),
        }
      : {
          kind: "deadline",
          name: `${workspace}_hourly_unfinished`,
          type: "CycleUnfinished",
          extension: {
            CycleUnfinished: { CycleAndTime: Array.from({ length: 24 }, (_, k) => ({ CycleId: k + 1, Time: `${pad(k)}:${pad(f.hourlyGraceMinutes)}` })) },
          },
          ...nodeNotification(a, maximum),
        };
  return [errorRule(workspace, layer, a, maximum), deadline];
}

/**
 * The rule of a realtime-layer node (merge view, hourly snapshot, daily log compaction): any
 * error. No deadline: the realtime objective is the engine's delay, alerted on the engine
 * (the DTS monitor rule, the DI job's delay rule); a snapshot or compaction that fails is what
 * the delay does not show (the views keep answering while the log grows unmerged). At most 10
 * a day, as the hourly layer's.
 */
export function realtimeNodeAlertRulePlans(workspace: string, a: AlertsConfig): NodeAlertRulePlan[] {
  return [errorRule(workspace, "realtime", a, 10)];
}
