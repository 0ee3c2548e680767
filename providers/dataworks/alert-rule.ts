/**
 * `pulumi-nodejs:dynamic/dataworks:NodeAlertRule`: a DataWorks custom alert rule over scheduled
 * nodes (DataWorks OpenAPI 2024-05-18 CreateAlertRule / GetAlertRule / UpdateAlertRule /
 * DeleteAlertRule, https://help.aliyun.com/zh/dataworks/developer-reference/api-dataworks-public-2024-05-18-createalertrule),
 * which terraform-provider-alicloud has no resource for. The rule watches a layer's production
 * instances: `Target {Type: "Task", Ids}` takes scheduling task ids (GetNode / ListNodes `TaskId`,
 * given when a node is published; not the node's 19-digit `Id`), every inner node of the layer's
 * workflow in one list, and notifies the configured contacts (lib/monitoring/alert-rules.ts builds
 * what it sends). Ids travel as strings and are written as JSON numbers from their digits.
 *
 * `Owner` is required by the API: the configured `alerts.ownerUid`, else the owner of the layer's
 * nodes (the workflow resource reads it with the task ids: no call here). Every field is updatable
 * in place (UpdateAlertRule takes them all); `region` and `projectId` replace the rule. `read` maps
 * GetAlertRule back onto the inputs, so a console edit shows as drift.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Credentials } from "../common/credentials";
import { configCredentials, hasUnknown } from "../common/dynamic";
import { ApiInteger } from "../common/json";
import { DataWorksClient } from "./client";

/** Resolved inputs. */
export interface NodeAlertRuleInputs {
  readonly region: string;
  /** Workspace of the nodes. */
  readonly projectId: string;
  readonly name: string;
  /** Owner UID (`alerts.ownerUid`, else the nodes' owner). */
  readonly owner: string;
  /** `Error`, `UnFinished`, `CycleUnfinished`... */
  readonly type: string;
  /** Scheduling task ids of the watched nodes, as strings (digits). */
  readonly taskIds: string[];
  /** Node names, for plans, policies and messages (not sent). */
  readonly nodeNames: string[];
  readonly extension: Record<string, unknown>;
  readonly channels: string[];
  readonly receivers: { ReceiverType: string; ReceiverValues?: string[] }[];
  readonly intervalInMinutes: number;
  readonly maximum: number;
}

export interface NodeAlertRuleState extends NodeAlertRuleInputs {
  readonly ruleId: string;
  /** The owner the rule was created with. */
  readonly resolvedOwner: string;
}

export const NODE_ALERT_RULE_MODULE = "dataworks";
export const NODE_ALERT_RULE_TYPE = "NodeAlertRule";
export const NODE_ALERT_RULE_REPLACE_KEYS = ["region", "projectId"] as const;
const UPDATE_KEYS = ["name", "owner", "type", "taskIds", "nodeNames", "extension", "channels", "receivers", "intervalInMinutes", "maximum"] as const;

/** The API's TriggerCondition and Notification for the inputs. */
export function alertRuleRequest(i: NodeAlertRuleInputs, owner: string) {
  return {
    name: i.name,
    owner,
    enabled: true,
    // Ids as JSON numbers written from their digits (the model's number[]), never through Number().
    triggerCondition: { Type: i.type, Target: { Type: "Task", Ids: i.taskIds.map((id) => new ApiInteger(id)) }, Extension: i.extension },
    notification: { Channels: [...i.channels], Receivers: i.receivers, IntervalInMinutes: i.intervalInMinutes, Maximum: i.maximum },
  };
}

function ownerOf(i: NodeAlertRuleInputs): string {
  if (!i.owner) throw new Error(`NodeAlertRule ${i.name}: no owner: set alerts.ownerUid (the nodes report none)`);
  return i.owner;
}

export class NodeAlertRuleProvider implements pulumi.dynamic.ResourceProvider {
  private credentials?: Partial<Credentials>;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.credentials = configCredentials(req);
  }

  async check(_olds: unknown, news: Record<string, any>): Promise<pulumi.dynamic.CheckResult> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!hasUnknown(news.taskIds)) {
      const ids: unknown[] = Array.isArray(news.taskIds) ? news.taskIds : [];
      const bad = ids.filter((t) => typeof t !== "string" || !/^\d+$/.test(t));
      if (ids.length === 0)
        failures.push({
          property: "taskIds",
          reason: `NodeAlertRule ${news.name}: at least one task id is required (taskIds ${JSON.stringify(news.taskIds)})`,
        });
      else if (bad.length > 0)
        failures.push({
          property: "taskIds",
          reason: `NodeAlertRule ${news.name}: taskIds ${JSON.stringify(bad)} are not scheduling task ids (strings of digits; a node must be deployed to have one)`,
        });
    }
    const n = Number(news.intervalInMinutes);
    if (!(n >= 5 && n <= 10000)) failures.push({ property: "intervalInMinutes", reason: `intervalInMinutes ${news.intervalInMinutes} must be 5-10000` });
    return { inputs: news, failures };
  }

  async diff(_id: string, olds: NodeAlertRuleState, news: NodeAlertRuleInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces = NODE_ALERT_RULE_REPLACE_KEYS.filter((k) => String(olds[k]) !== String(news[k]));
    const updates = UPDATE_KEYS.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    return { changes: replaces.length + updates.length > 0, replaces: [...replaces], deleteBeforeReplace: false };
  }

  async create(inputs: NodeAlertRuleInputs): Promise<pulumi.dynamic.CreateResult> {
    const client = await DataWorksClient.connect(inputs.region, this.credentials);
    const owner = ownerOf(inputs);
    const ruleId = await client.createAlertRule(alertRuleRequest(inputs, owner));
    return { id: ruleId, outs: { ...inputs, ruleId, resolvedOwner: owner } satisfies NodeAlertRuleState };
  }

  async read(id: string, props: NodeAlertRuleState): Promise<pulumi.dynamic.ReadResult> {
    const live = await (await DataWorksClient.connect(props.region, this.credentials)).getAlertRule(id);
    if (!live) return {};
    const t = live.triggerCondition as { Type?: string; Target?: { Ids?: unknown[] }; Extension?: Record<string, unknown> };
    const n = live.notification as { Channels?: string[]; Receivers?: NodeAlertRuleInputs["receivers"]; IntervalInMinutes?: number; Maximum?: number };
    const state: NodeAlertRuleState = {
      ...props,
      name: live.name,
      owner: props.owner === "" && live.owner === props.resolvedOwner ? "" : live.owner,
      type: t.Type ?? "",
      taskIds: (t.Target?.Ids ?? []).map(String),
      extension: t.Extension ?? {},
      channels: n.Channels ?? [],
      receivers: n.Receivers ?? [],
      intervalInMinutes: Number(n.IntervalInMinutes ?? 0),
      maximum: Number(n.Maximum ?? 0),
      ruleId: id,
    };
    return { id, props: state };
  }

  async update(id: string, olds: NodeAlertRuleState, news: NodeAlertRuleInputs): Promise<pulumi.dynamic.UpdateResult> {
    const client = await DataWorksClient.connect(news.region, this.credentials);
    const owner = news.owner || olds.resolvedOwner || ownerOf(news);
    await client.updateAlertRule(id, alertRuleRequest(news, owner));
    return { outs: { ...news, ruleId: id, resolvedOwner: owner } satisfies NodeAlertRuleState };
  }

  async delete(id: string, props: NodeAlertRuleState): Promise<void> {
    await (await DataWorksClient.connect(props.region, this.credentials)).deleteAlertRule(id);
  }
}

export const nodeAlertRuleProvider = new NodeAlertRuleProvider();

export type NodeAlertRuleArgs = { [K in keyof NodeAlertRuleInputs]: pulumi.Input<NodeAlertRuleInputs[K]> };

/** A DataWorks custom alert rule over nodes. */
export class NodeAlertRule extends pulumi.dynamic.Resource {
  public readonly ruleId!: pulumi.Output<string>;

  constructor(name: string, args: NodeAlertRuleArgs, opts?: pulumi.CustomResourceOptions) {
    super(nodeAlertRuleProvider, name, { ruleId: undefined, resolvedOwner: undefined, ...args }, opts, NODE_ALERT_RULE_MODULE, NODE_ALERT_RULE_TYPE);
  }
}
