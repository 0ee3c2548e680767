/**
 * The freshness objectives, alerted as code: an error and a deadline rule over each batch layer's
 * workflows and an error rule over the realtime layer's (`NodeAlertRule`, DataWorks
 * CreateAlertRule, `Target.Ids` every scheduling task id of the layer). A batch load is watched
 * through the nodes that read it (each checks its ODS partitions first and fails while the load
 * has not landed): DataWorks takes DI alarm rules only for real-time sync jobs, so the batch DI
 * jobs have none (lib/monitoring/alert-rules.ts says why and what each rule sends). The realtime
 * DI job's alarm rules (`diAlarmRule`) are built by components/flink, the realtime DTS delay alarm
 * by the realtime layer (components/dts/realtime-sync.ts), the tracking DAU alert by tracking
 * (components/sls). Alerts are not data: not protected; removed with the layer they watch.
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import type { AlertsConfig, BatchTier, FreshnessConfig } from "../../lib/config/types";
import { DiAlarmRulePlan, NodeAlertRulePlan, nodeAlertRulePlans, realtimeNodeAlertRulePlans } from "../../lib/monitoring/alert-rules";
import { NodeAlertRule } from "../../providers/dataworks/alert-rule";
import type { DataWorksWorkflow } from "../../providers/dataworks/workflow";
import { TYPES } from "../../lib/plan/type-tokens";

/** A layer's workflows, whose inner nodes are alerted. */
export interface AlertedWorkflow {
  readonly workflows: readonly DataWorksWorkflow[];
  /** Every inner node name of the layer (for plans, policies and messages). */
  readonly nodeNames: readonly string[];
}

/** One batch layer's report nodes (the reports / aggregates; they watch its loads too). */
export interface AlertedLayer extends AlertedWorkflow {
  readonly layer: BatchTier;
}

export interface FreshnessAlertsArgs {
  /** Region of the workspace (`alicloud:region`). */
  readonly region: string;
  /** DataWorks workspace id. */
  readonly projectId: pulumi.Input<number | string>;
  /** Workspace name: the layer rules are `<workspace>_<layer>_error|unfinished`. */
  readonly workspaceName: string;
  readonly layers: readonly AlertedLayer[];
  /** The realtime layer's workflow (views, snapshots, compaction), when it is built. */
  readonly realtime?: AlertedWorkflow;
  /** The objectives (`freshness`). */
  readonly freshness: FreshnessConfig;
  /** The contacts (`alerts`). */
  readonly alerts: AlertsConfig;
}

/** One DI alarm rule of the realtime DI job `job` as `plan` says (components/flink). */
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
  /** Layer alert rules, `<component>-<layer>-error|deadline` (realtime: error only): at most two per workflow. */
  public readonly nodeAlertRules: NodeAlertRule[] = [];

  constructor(name: string, args: FreshnessAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(FreshnessAlerts.TYPE, name, {}, opts);
    for (const l of args.layers) {
      // One rule per layer and condition over every task id of the layer's workflows: a promotion
      // that adds a node updates the rule's Target.Ids in place (no new rule, no replacement).
      // A layer without a node (no report reads a synced table) has nothing to watch.
      if (l.nodeNames.length === 0 || l.workflows.length === 0) continue;
      for (const p of nodeAlertRulePlans(args.workspaceName, l.layer, args.freshness, args.alerts)) {
        this.nodeAlertRules.push(this.layerRule(`${name}-${l.layer}-${p.kind}`, l, p, args));
      }
    }
    if (args.realtime && args.realtime.nodeNames.length > 0 && args.realtime.workflows.length > 0) {
      for (const p of realtimeNodeAlertRulePlans(args.workspaceName, args.alerts)) {
        this.nodeAlertRules.push(this.layerRule(`${name}-realtime-${p.kind}`, args.realtime, p, args));
      }
    }
    this.registerOutputs({});
  }

  /** The rule `plan` over every inner node of a layer's workflows. */
  private layerRule(resourceName: string, layer: AlertedWorkflow, plan: NodeAlertRulePlan, args: FreshnessAlertsArgs): NodeAlertRule {
    const names = [...layer.nodeNames].sort();
    return new NodeAlertRule(
      resourceName,
      {
        region: args.region,
        projectId: pulumi.output(args.projectId).apply(String),
        name: plan.name,
        // Without alerts.ownerUid, the account owning the layer's nodes (read with their task ids).
        owner: args.alerts.ownerUid ?? layer.workflows[0].owner,
        type: plan.type,
        // Every task id of the layer (all its workflows), in node-name order, as strings (19-digit-safe end to end).
        taskIds: pulumi.all(layer.workflows.map((w) => w.taskIds)).apply((all) => {
          const t = Object.assign({}, ...all) as Record<string, string>;
          return names.map((n) => t[n] ?? "");
        }),
        nodeNames: names,
        extension: plan.extension,
        channels: [...plan.channels],
        receivers: plan.receivers.map((r) => ({ ...r })),
        intervalInMinutes: plan.intervalInMinutes,
        maximum: plan.maximum,
      },
      // The rule watches production instances: after the layer's workflows are deployed.
      { parent: this, dependsOn: [...layer.workflows] },
    );
  }
}
