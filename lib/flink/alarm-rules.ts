/**
 * The realtime DI job's alarm rules (pure), in the shape of the batch jobs' (lib/monitoring/alert-rules.ts,
 * DiAlarmRule metric types Heartbeat and Delay): a failure rule and a delay rule at
 * `realtime.flink.delayThresholdSeconds`, sent to the `alerts` contacts.
 */
import type { AlertsConfig } from "../config/types";
import { DiAlarmRulePlan, notificationSettings } from "../monitoring/alert-rules";

export function realtimeDiAlarmRulePlans(jobName: string, delayThresholdSeconds: number, a: AlertsConfig): DiAlarmRulePlan[] {
  return [
    {
      kind: "failure",
      diAlarmRuleName: `${jobName}-failure`,
      description: `photo-analytics: ${jobName} (realtime sync into <table>_realtime) failed or stopped`,
      metricType: "Heartbeat",
      triggerConditions: [{ severity: "Critical", duration: 5 }],
      notificationSettings: notificationSettings(a),
    },
    {
      kind: "delay",
      diAlarmRuleName: `${jobName}-delay`,
      description: `photo-analytics: ${jobName} is more than ${delayThresholdSeconds} s behind the source`,
      metricType: "Delay",
      triggerConditions: [{ severity: "Warning", duration: 5, threshold: delayThresholdSeconds }],
      notificationSettings: notificationSettings(a),
    },
  ];
}
