/**
 * The freshness objectives, alerted as code: a failure and a delay rule on every DI job
 * (`alicloud.dataworks.DiAlarmRule`), and an error and a deadline rule over each batch layer's
 * report nodes (`NodeAlertRule`, DataWorks CreateAlertRule). What each rule sends is
 * lib/monitoring/alert-rules.ts; the realtime DTS delay alarm stays with the realtime layer
 * (components/dts/realtime-sync.ts) and the tracking DAU alert with tracking (components/sls).
 * Alerts are not data: not protected; removed with the layer they watch.
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../alicloud";
import type { AlertsConfig, BatchTier, FreshnessConfig } from "../../lib/config/types";
import { DiAlarmRulePlan, diAlarmRulePlans, nodeAlertRulePlans } from "../../lib/monitoring/alert-rules";
import { NodeAlertRule } from "../../providers/dataworks/alert-rule";
import type { DataWorksNode } from "../../providers/dataworks/node";

/** Type token (public contract: change only with `aliases`). */
export const FRESHNESS_ALERTS_TYPE = "photo-analytics:monitoring:FreshnessAlerts";

/** One batch layer's loads and report nodes. */
export interface AlertedLayer {
  readonly layer: BatchTier;
  /** The layer's load schedule (Quartz cron): the delay threshold is the time left to the objective. */
  readonly cron: string;
  /** DI jobs with their DataWorks names (`jobName`). */
  readonly jobs: readonly { readonly jobName: string; readonly job: alicloud.dataworks.DiJob }[];
  /** Report / aggregate nodes by node name. */
  readonly nodes: Readonly<Record<string, DataWorksNode>>;
}

export interface FreshnessAlertsArgs {
  /** Region of the workspace (`alicloud:region`). */
  readonly region: string;
  /** DataWorks workspace id. */
  readonly projectId: pulumi.Input<number | string>;
  /** Workspace name: the node rules are `<workspace>_<layer>_error|unfinished`. */
  readonly workspaceName: string;
  readonly layers: readonly AlertedLayer[];
  /** The objectives (`freshness`). */
  readonly freshness: FreshnessConfig;
  /** The contacts (`alerts`). */
  readonly alerts: AlertsConfig;
}

/** One DI alarm rule of `job` as `plan` says (also the realtime DI job's, components/flink). */
export function diAlarmRule(name: string, job: alicloud.dataworks.DiJob, plan: DiAlarmRulePlan, parent: pulumi.Resource): alicloud.dataworks.DiAlarmRule {
  return new alicloud.dataworks.DiAlarmRule(
    name,
    {
      // ForceNew in the provider: a new job gets new rules.
      diJobId: job.diJobId,
      diAlarmRuleName: plan.diAlarmRuleName,
      description: plan.description,
      metricType: plan.metricType,
      enabled: true,
      triggerConditions: plan.triggerConditions.map((c) => ({ ...c })),
      notificationSettings: plan.notificationSettings,
    },
    { parent, dependsOn: [job] },
  );
}

export class FreshnessAlerts extends pulumi.ComponentResource {
  /** DI alarm rules, `<component>-<job name>-failure|delay`. */
  public readonly diAlarmRules: alicloud.dataworks.DiAlarmRule[] = [];
  /** Node alert rules, `<component>-<layer>-error|deadline`. */
  public readonly nodeAlertRules: NodeAlertRule[] = [];

  constructor(name: string, args: FreshnessAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(FRESHNESS_ALERTS_TYPE, name, {}, opts);
    for (const l of args.layers) {
      for (const { jobName, job } of l.jobs) {
        for (const p of diAlarmRulePlans(jobName, l.layer, l.cron, args.freshness, args.alerts)) {
          this.diAlarmRules.push(diAlarmRule(`${name}-${jobName}-${p.kind}`, job, p, this));
        }
      }
      // One pair of rules per node, not per layer: a rule lists its nodes, so a layer-wide rule would
      // be rewritten whenever a promotion adds a node; per node, promotion only adds rules.
      for (const n of Object.keys(l.nodes).sort()) {
        for (const p of nodeAlertRulePlans(args.workspaceName, l.layer, args.freshness, args.alerts)) {
          this.nodeAlertRules.push(
            new NodeAlertRule(
              `${name}-${l.layer}-${n}-${p.kind}`,
              {
                region: args.region,
                projectId: pulumi.output(args.projectId).apply(String),
                name: `${args.workspaceName}_${n}_${p.kind}`,
                owner: args.alerts.ownerUid ?? "",
                type: p.type,
                nodeIds: pulumi.all([l.nodes[n].nodeId]),
                nodeNames: [n],
                extension: p.extension,
                channels: [...p.channels],
                receivers: p.receivers.map((r) => ({ ...r })),
                intervalInMinutes: p.intervalInMinutes,
                maximum: p.maximum,
              },
              // The rule watches production instances: after the node is deployed.
              { parent: this, dependsOn: [l.nodes[n]] },
            ),
          );
        }
      }
    }
    this.registerOutputs({});
  }
}
