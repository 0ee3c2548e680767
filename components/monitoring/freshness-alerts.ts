/**
 * The freshness objectives, alerted as code: a failure and a delay rule on every DI job
 * (`alicloud.dataworks.DiAlarmRule`), an error and a deadline rule over each batch layer's
 * report nodes and an error rule over each realtime-layer node (`NodeAlertRule`, DataWorks
 * CreateAlertRule). What each rule sends is
 * lib/monitoring/alert-rules.ts; the realtime DTS delay alarm stays with the realtime layer
 * (components/dts/realtime-sync.ts) and the tracking DAU alert with tracking (components/sls).
 * Alerts are not data: not protected; removed with the layer they watch.
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import type { AlertsConfig, BatchTier, FreshnessConfig } from "../../lib/config/types";
import { DiAlarmRulePlan, diAlarmRulePlans, NodeAlertRulePlan, nodeAlertRulePlans, realtimeNodeAlertRulePlans } from "../../lib/monitoring/alert-rules";
import { NodeAlertRule } from "../../providers/dataworks/alert-rule";
import type { DataWorksNode } from "../../providers/dataworks/node";
import { TYPES } from "../../lib/plan/type-tokens";

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
  /** The realtime layer's nodes (views, snapshots, compaction) by node name, when it is built. */
  readonly realtimeNodes?: Readonly<Record<string, DataWorksNode>>;
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
  /** Type token (lib/plan/type-tokens.ts). */
  public static readonly TYPE = TYPES.FreshnessAlerts;
  /** DI alarm rules, `<component>-<job name>-failure|delay`. */
  public readonly diAlarmRules: alicloud.dataworks.DiAlarmRule[] = [];
  /** Node alert rules, `<component>-<layer>-<node>-error|deadline` (realtime nodes: error only). */
  public readonly nodeAlertRules: NodeAlertRule[] = [];

  constructor(name: string, args: FreshnessAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(FreshnessAlerts.TYPE, name, {}, opts);
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
          this.nodeAlertRules.push(this.nodeRule(`${name}-${l.layer}-${n}-${p.kind}`, n, l.nodes[n], p, args));
        }
      }
    }
    const realtime = args.realtimeNodes ?? {};
    for (const n of Object.keys(realtime).sort()) {
      for (const p of realtimeNodeAlertRulePlans(args.workspaceName, args.alerts)) {
        this.nodeAlertRules.push(this.nodeRule(`${name}-realtime-${n}-${p.kind}`, n, realtime[n], p, args));
      }
    }
    this.registerOutputs({});
  }

  /** The rule `plan` over one node, `<workspace>_<node>_<kind>`. */
  private nodeRule(resourceName: string, nodeName: string, node: DataWorksNode, plan: NodeAlertRulePlan, args: FreshnessAlertsArgs): NodeAlertRule {
    return new NodeAlertRule(
      resourceName,
      {
        region: args.region,
        projectId: pulumi.output(args.projectId).apply(String),
        name: `${args.workspaceName}_${nodeName}_${plan.kind}`,
        owner: args.alerts.ownerUid ?? "",
        type: plan.type,
        nodeIds: pulumi.all([node.nodeId]),
        nodeNames: [nodeName],
        extension: plan.extension,
        channels: [...plan.channels],
        receivers: plan.receivers.map((r) => ({ ...r })),
        intervalInMinutes: plan.intervalInMinutes,
        maximum: plan.maximum,
      },
      // The rule watches production instances: after the node is deployed.
      { parent: this, dependsOn: [node] },
    );
  }
}
