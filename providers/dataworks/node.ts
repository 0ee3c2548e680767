/**
 * `DataWorksNode`: a DataWorks Data Studio ODPS SQL node as a Pulumi dynamic
 * resource, over the DataWorks OpenAPI 2024-05-18 (CreateNode / GetNode /
 * UpdateNode / DeleteNode with a FlowSpec), because neither Terraform nor
 * Pulumi has a resource for DataWorks nodes. Every create and update is
 * deployed to production scheduling (CreatePipelineRun `Online` in RunMode
 * `Auto`, polled with GetPipelineRun, a stage still waiting advanced with
 * ExecPipelineRunStage: ./pipeline.ts); delete first
 * takes the node offline (CreatePipelineRun `Offline`), because DataWorks does
 * not delete a deployed node.
 *
 * - Credentials come from the one chain (providers/common/credentials.ts),
 *   resolved inside the provider methods: the stack's `alicloud:accessKey` /
 *   `alicloud:secretKey` config, the environment, then OIDC, profiles or the
 *   ECS RAM role; never from inputs, never written to state.
 * - `diff` decides update vs replace (lib/dataworks/flowspec.ts `diffNode`),
 *   and also asks for an update when the version deployed to production
 *   (`deployedVersion`) is not the version wanted (a failed or timed-out
 *   deployment, or state from before deployments were automatic).
 * - `read` (pulumi refresh) reads the node back with GetNode, so an edit made
 *   in the DataWorks console shows as drift and the next `up` puts it back
 *   (and deploys it).
 * - A node saved in Data Studio whose deployment fails is kept in the state
 *   (Pulumi initialization error, `deploymentStatus: "DeployFailed"`), so the
 *   next `up` deploys it again instead of creating a duplicate.
 * - API errors surface with the API's error code and request id; a failed or
 *   timed-out deployment process with its id, stage and last request id.
 */
import { configCredentials, hasUnknown, initFailed } from "../common/dynamic";
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
  nodeVersion,
  RerunPolicy,
  validateNodeModel,
} from "../../lib/dataworks/flowspec";
import { Credentials } from "../common/credentials";
import { DataWorksClient } from "./client";
import { DataWorksPipelineError, PipelinePolling, runPipeline } from "./pipeline";
import { pollingFromEnv } from "../common/polling";

/**
 * `deploymentStatus` values: production runs `deployedVersion`; the last
 * deployment did not finish; or the stack never deployed the node (state
 * written before deployments were automatic, or an imported node).
 */
export type DeploymentStatus = "Deployed" | "DeployFailed" | "Unknown";

/** The state the provider keeps for a node: the model, where it lives, its id and what is deployed. */
export interface DataWorksNodeState extends NodeModel, NodeLocation {
  /** The node's id in DataWorks (also the Pulumi resource id). */
  readonly nodeId: string;
  /** `nodeVersion` of the node as saved in Data Studio (re-read by refresh). */
  readonly devVersion: string;
  /** `nodeVersion` of the node as last deployed to production by the stack; "" when never deployed. */
  readonly deployedVersion: string;
  /** Whether the last deployment finished. */
  readonly deploymentStatus: DeploymentStatus;
  /** Id of the last deployment process (CreatePipelineRun); "" when none was started. */
  readonly pipelineRunId: string;
}

/** First pause between two GetPipelineRun calls while a deployment runs, in milliseconds (then doubling, capped at DEPLOY_POLL_MAX_INTERVAL_MS). */
export const DEPLOY_POLL_INTERVAL_MS = 5_000;
/** Longest pause between two GetPipelineRun calls, in milliseconds: a 10-minute wait costs at most 14 reads. */
export const DEPLOY_POLL_MAX_INTERVAL_MS = 60_000;
/** Longest wait for one deployment process (deploy or undeploy), in milliseconds. */
export const DEPLOY_TIMEOUT_MS = 10 * 60_000;
/** Environment variable overriding DEPLOY_POLL_INTERVAL_MS (tests use a few milliseconds). */
export const DEPLOY_POLL_ENV = "PHOTO_ANALYTICS_DATAWORKS_DEPLOY_POLL_MS";
/** Environment variable overriding DEPLOY_TIMEOUT_MS. */
export const DEPLOY_TIMEOUT_ENV = "PHOTO_ANALYTICS_DATAWORKS_DEPLOY_TIMEOUT_MS";

/** The polling of deployment processes: the provider constants, or their environment overrides. */
export function deployPolling(env: Readonly<Record<string, string | undefined>>): PipelinePolling {
  return pollingFromEnv(
    env,
    { intervalMs: DEPLOY_POLL_INTERVAL_MS, factor: 2, maxIntervalMs: DEPLOY_POLL_MAX_INTERVAL_MS, timeoutMs: DEPLOY_TIMEOUT_MS },
    { intervalEnv: DEPLOY_POLL_ENV, timeoutEnv: DEPLOY_TIMEOUT_ENV },
  );
}

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

/**
 * The dynamic provider. Methods run in the Pulumi engine's dynamic-provider
 * process; everything they need is imported (serialized with the provider).
 */
export class DataWorksNodeProvider implements pulumi.dynamic.ResourceProvider {
  /** Credentials from the stack's alicloud config, when `configure` was given some (kept in memory only). */
  private configCredentials?: Partial<Credentials>;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.configCredentials = configCredentials(req);
  }

  private client(region: string): Promise<DataWorksClient> {
    return DataWorksClient.connect(region, this.configCredentials);
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
    // Production lags behind: a failed or timed-out deployment, or state written before deployments were automatic.
    const notDeployed = olds.deployedVersion !== nodeVersion(news);
    return {
      changes: d.changed.length > 0 || notDeployed,
      replaces: d.replaces,
      deleteBeforeReplace: d.deleteBeforeReplace,
    };
  }

  async create(inputs: NodeModel & NodeLocation): Promise<pulumi.dynamic.CreateResult> {
    const polling = deployPolling(process.env); // a bad override fails before anything is created
    const client = await this.client(inputs.region);
    const spec = JSON.stringify(buildNodeFlowSpec(inputs));
    const id = await client.createNode({ projectId: inputs.projectId, spec, scene: NODE_SCENE });
    const outs = await this.deploy(client, polling, id, inputs, { deployedVersion: "", pipelineRunId: "" });
    return { id, outs };
  }

  /**
   * Deploys the node's Data Studio version to production scheduling and
   * returns the new state; on failure throws an initialization error whose
   * state says what production still runs.
   */
  private async deploy(
    client: DataWorksClient,
    polling: PipelinePolling,
    id: string,
    model: NodeModel & NodeLocation,
    previous: Pick<DataWorksNodeState, "deployedVersion" | "pipelineRunId">,
  ): Promise<DataWorksNodeState> {
    const devVersion = nodeVersion(model);
    const base = { ...model, nodeId: id, devVersion };
    try {
      const run = await runPipeline(
        client,
        { projectId: model.projectId, type: "Online", objectId: id, description: `photo-analytics: deploy ${model.name} ${devVersion}` },
        polling,
      );
      return { ...base, deployedVersion: devVersion, deploymentStatus: "Deployed", pipelineRunId: run.pipelineRunId };
    } catch (e) {
      throw initFailed(e, id, {
        ...base,
        deployedVersion: previous.deployedVersion ?? "",
        deploymentStatus: "DeployFailed",
        pipelineRunId: e instanceof DataWorksPipelineError ? e.pipelineRunId : (previous.pipelineRunId ?? ""),
      });
    }
  }

  async read(id: string, props?: DataWorksNodeState): Promise<pulumi.dynamic.ReadResult> {
    const region = props?.region ?? "";
    const projectId = props?.projectId ?? "";
    const node = await (await this.client(region)).getNode({ projectId, id });
    if (!node) return {}; // gone: Pulumi drops it from state
    const live = parseNodeFlowSpec(node.spec);
    // GetNode reads Data Studio only: what production runs is what this stack last deployed.
    const state: DataWorksNodeState = {
      ...live,
      projectId,
      region,
      nodeId: id,
      devVersion: nodeVersion(live),
      deployedVersion: props?.deployedVersion ?? "",
      deploymentStatus: props?.deploymentStatus ?? "Unknown",
      pipelineRunId: props?.pipelineRunId ?? "",
    };
    return { id, props: state, inputs: { ...live, projectId, region } };
  }

  async update(id: string, olds: DataWorksNodeState, news: NodeModel & NodeLocation): Promise<pulumi.dynamic.UpdateResult> {
    const polling = deployPolling(process.env);
    const client = await this.client(news.region);
    const spec = JSON.stringify(buildNodeFlowSpec(news, id));
    await client.updateNode({ projectId: news.projectId, id, spec });
    return { outs: await this.deploy(client, polling, id, news, olds) };
  }

  /**
   * Takes the node offline (DataWorks refuses to delete a deployed node), then
   * deletes it. When the offline process fails, DeleteNode is still tried (a
   * node that was never deployed has nothing to take offline); the offline
   * error is raised only if DeleteNode fails too.
   */
  async delete(id: string, props: DataWorksNodeState): Promise<void> {
    const polling = deployPolling(process.env);
    const client = await this.client(props.region);
    let offlineError: unknown;
    try {
      await runPipeline(client, { projectId: props.projectId, type: "Offline", objectId: id, description: `photo-analytics: undeploy ${props.name}` }, polling);
    } catch (e) {
      offlineError = e; // a node already gone is settled by DeleteNode below
    }
    try {
      await client.deleteNode({ projectId: props.projectId, id });
    } catch (e) {
      throw offlineError ?? e;
    }
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
  /** Version (`nodeVersion`) of the node as saved in Data Studio. */
  declare readonly devVersion: pulumi.Output<string>;
  /** Version of the node deployed to production by the stack ("" when never deployed); differs from `devVersion` until a deployment succeeds. */
  declare readonly deployedVersion: pulumi.Output<string>;
  /** `Deployed`; `DeployFailed` when the last deployment failed or timed out (the next `up` retries it); `Unknown` when the stack has not deployed it yet. */
  declare readonly deploymentStatus: pulumi.Output<DeploymentStatus>;
  /** Id of the last deployment process (Data Studio > Deploy lists it). */
  declare readonly pipelineRunId: pulumi.Output<string>;

  constructor(name: string, args: DataWorksNodeArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      dataWorksNodeProvider,
      name,
      {
        outputName: undefined,
        ...args,
        nodeId: undefined,
        devVersion: undefined,
        deployedVersion: undefined,
        deploymentStatus: undefined,
        pipelineRunId: undefined,
      },
      opts,
      "dataworks",
      "DataWorksNode",
    );
  }
}
