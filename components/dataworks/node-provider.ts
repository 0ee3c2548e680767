/**
 * `DataWorksNode`: a DataWorks Data Studio ODPS SQL node as a Pulumi dynamic
 * resource, over the DataWorks OpenAPI 2024-05-18 (CreateNode / GetNode /
 * UpdateNode / DeleteNode with a FlowSpec), because neither Terraform nor
 * Pulumi has a resource for DataWorks nodes.
 *
 * - Credentials are read inside the provider methods from the environment
 *   (`ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, or the
 *   alicloud provider's `ALICLOUD_ACCESS_KEY` / `ALICLOUD_SECRET_KEY`) or the
 *   stack's `alicloud:accessKey` / `alicloud:secretKey` config; never from
 *   inputs, never written to state.
 * - `diff` decides update vs replace (lib/dataworks/flowspec.ts `diffNode`).
 * - `read` (pulumi refresh) reads the node back with GetNode, so an edit made
 *   in the DataWorks console shows as drift and the next `up` puts it back.
 * - API errors surface with the API's error code and request id.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  buildNodeFlowSpec,
  DEFAULT_RERUN,
  diffNode,
  InstanceMode,
  NODE_SCENE,
  NodeLocation,
  NodeModel,
  parseNodeFlowSpec,
  RerunPolicy,
  validateNodeModel,
} from "../../lib/dataworks/flowspec";
import { Credentials, DataWorksClient, resolveCredentials } from "../../lib/dataworks/openapi";

/** The state the provider keeps for a node: the model, where it lives, and its id. */
export interface DataWorksNodeState extends NodeModel, NodeLocation {
  /** The node's id in DataWorks (also the Pulumi resource id). */
  readonly nodeId: string;
}

/** The value Pulumi gives a dynamic provider for an input not known yet (preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Fills defaults into raw inputs (what `check` returns and every other method sees). */
export function withDefaults(raw: Record<string, any>): NodeModel & NodeLocation {
  const name = String(raw.name ?? "");
  const projectId = raw.projectId === undefined ? "" : String(raw.projectId);
  return {
    projectId,
    region: String(raw.region ?? ""),
    name,
    folderPath: String(raw.folderPath ?? ""),
    script: String(raw.script ?? ""),
    cron: String(raw.cron ?? ""),
    timezone: raw.timezone ?? "Asia/Shanghai",
    instanceMode: (raw.instanceMode ?? "T+1") as InstanceMode,
    parameters: raw.parameters ?? {},
    dependencies: raw.dependencies ?? [],
    outputName: raw.outputName ?? `${projectId}.${name}`,
    rerun: { ...DEFAULT_RERUN, ...(raw.rerun ?? {}) } as RerunPolicy,
    datasourceName: raw.datasourceName ?? "odps_first",
    resourceGroup: raw.resourceGroup ?? "",
    description: raw.description ?? "",
  };
}

function hasUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (v && typeof v === "object") return Object.values(v).some(hasUnknown);
  return false;
}

/**
 * The dynamic provider. Methods run in the Pulumi engine's dynamic-provider
 * process; everything they need is imported (serialized with the provider).
 */
export class DataWorksNodeProvider implements pulumi.dynamic.ResourceProvider {
  /** Credentials from the stack's alicloud config, when `configure` was given some (kept in memory only). */
  private configCredentials?: Partial<Credentials>;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.configCredentials = {
      accessKeyId: req.config.get("alicloud:accessKey"),
      accessKeySecret: req.config.get("alicloud:secretKey"),
      securityToken: req.config.get("alicloud:securityToken"),
    };
  }

  private client(region: string): DataWorksClient {
    return new DataWorksClient({ region, credentials: resolveCredentials(process.env, this.configCredentials) });
  }

  async check(_olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
    const inputs = withDefaults(news);
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!inputs.projectId) failures.push({ property: "projectId", reason: "projectId (the DataWorks workspace id) is required" });
    if (!inputs.region) failures.push({ property: "region", reason: "region (e.g. cn-hangzhou) is required" });
    for (const p of validateNodeModel(inputs)) {
      const top = p.key.split(".")[0] as keyof typeof inputs;
      if (!hasUnknown(inputs[top])) failures.push({ property: top, reason: p.message });
    }
    return { inputs, failures };
  }

  async diff(_id: string, olds: DataWorksNodeState, news: NodeModel & NodeLocation): Promise<pulumi.dynamic.DiffResult> {
    const d = diffNode(olds, news);
    return {
      changes: d.changed.length > 0,
      replaces: d.replaces,
      deleteBeforeReplace: d.deleteBeforeReplace,
    };
  }

  async create(inputs: NodeModel & NodeLocation): Promise<pulumi.dynamic.CreateResult> {
    const spec = JSON.stringify(buildNodeFlowSpec(inputs));
    const id = await this.client(inputs.region).createNode({ projectId: inputs.projectId, spec, scene: NODE_SCENE });
    const outs: DataWorksNodeState = { ...inputs, nodeId: id };
    return { id, outs };
  }

  async read(id: string, props?: DataWorksNodeState): Promise<pulumi.dynamic.ReadResult> {
    const region = props?.region ?? "";
    const projectId = props?.projectId ?? "";
    const node = await this.client(region).getNode({ projectId, id });
    if (!node) return {}; // gone: Pulumi drops it from state
    const live = parseNodeFlowSpec(node.spec);
    const state: DataWorksNodeState = { ...live, projectId, region, nodeId: id };
    return { id, props: state, inputs: { ...live, projectId, region } };
  }

  async update(id: string, _olds: DataWorksNodeState, news: NodeModel & NodeLocation): Promise<pulumi.dynamic.UpdateResult> {
    const spec = JSON.stringify(buildNodeFlowSpec(news, id));
    await this.client(news.region).updateNode({ projectId: news.projectId, id, spec });
    const outs: DataWorksNodeState = { ...news, nodeId: id };
    return { outs };
  }

  async delete(id: string, props: DataWorksNodeState): Promise<void> {
    await this.client(props.region).deleteNode({ projectId: props.projectId, id });
  }
}

/** Arguments of a DataWorksNode. */
export interface DataWorksNodeArgs {
  /** DataWorks workspace id (`ProjectId`). Changing it replaces the node. */
  readonly projectId: pulumi.Input<string | number>;
  /** Region of the workspace, e.g. `cn-hangzhou` (endpoint `dataworks.<region>.aliyuncs.com`). Changing it replaces the node. */
  readonly region: pulumi.Input<string>;
  /** Node name, unique in the workspace. Changing it replaces the node. */
  readonly name: pulumi.Input<string>;
  /** Folder in the project directory, e.g. `photo-analytics/ads`. Changing it replaces the node. */
  readonly folderPath: pulumi.Input<string>;
  /** ODPS SQL script. Updated in place. */
  readonly script: pulumi.Input<string>;
  /** Quartz cron (`ss mm hh * * ?` daily, `ss mm * * * ?` hourly). Updated in place. */
  readonly cron: pulumi.Input<string>;
  /** @default "Asia/Shanghai" */
  readonly timezone?: pulumi.Input<string>;
  /** `T+1` (instances from tomorrow) or `Immediately`. @default "T+1" */
  readonly instanceMode?: pulumi.Input<InstanceMode>;
  /** Scheduling parameters, e.g. `{bizdate: "$bizdate"}`. @default {} */
  readonly parameters?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Upstream outputs this node waits for, e.g. `["<workspace>_root"]`. @default [] */
  readonly dependencies?: pulumi.Input<pulumi.Input<string>[]>;
  /** This node's output name (what downstream nodes depend on). Changing it replaces the node. @default "<projectId>.<name>" */
  readonly outputName?: pulumi.Input<string>;
  /** @default {mode: "Allowed", times: 3, intervalMs: 180000} */
  readonly rerun?: pulumi.Input<Partial<RerunPolicy>>;
  /** MaxCompute data source the SQL runs on. @default "odps_first" */
  readonly datasourceName?: pulumi.Input<string>;
  /** Scheduling resource group identifier. @default "" (the workspace default) */
  readonly resourceGroup?: pulumi.Input<string>;
  /** @default "" */
  readonly description?: pulumi.Input<string>;
}

/** The provider instance every DataWorksNode uses (one serialization for all of them). */
export const dataWorksNodeProvider = new DataWorksNodeProvider();

/** A DataWorks ODPS SQL node (dynamic resource; type `pulumi-nodejs:dynamic/dataworks:DataWorksNode`). */
export class DataWorksNode extends pulumi.dynamic.Resource {
  /** The node's id in DataWorks. */
  declare readonly nodeId: pulumi.Output<string>;
  /** The node's output name, for downstream `dependencies`. */
  declare readonly outputName: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly cron: pulumi.Output<string>;
  declare readonly script: pulumi.Output<string>;

  constructor(name: string, args: DataWorksNodeArgs, opts?: pulumi.CustomResourceOptions) {
    super(dataWorksNodeProvider, name, { outputName: undefined, ...args, nodeId: undefined }, opts, "dataworks", "DataWorksNode");
  }
}
