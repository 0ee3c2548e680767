/**
 * `DataWorksWorkflow`: one DataWorks layer as one periodic workflow with its inner ODPS SQL nodes,
 * a Pulumi dynamic resource over the DataWorks OpenAPI 2024-05-18: ImportWorkflowDefinition (one
 * call creates or updates the workflow with every inner node; asynchronous, followed with
 * GetJobStatus), GetWorkflowDefinition (read), DeleteWorkflowDefinition; deployed whole with one
 * deployment process (CreatePipelineRun `Online` on the workflow id; ./pipeline.ts), taken offline
 * whole before it is deleted; the inner nodes' scheduling task ids read after each deployment with
 * one ListNodes (`ContainerId`: `TaskId` per node) for the layer's alert rules.
 *
 * Calls (measured by tests/dataworks-workflow-provider.test.ts against the fake, the figures of
 * lib/dataworks/api-budget.ts): create = import + job status + deployment + ListNodes; refresh =
 * one GetWorkflowDefinition; an unchanged re-run none; delete = the offline process + delete.
 *
 * - Credentials: the one chain (providers/common/credentials.ts), resolved inside the methods.
 * - `diff`: lib/dataworks/workflow-spec.ts `diffWorkflow`, plus an update when production lags
 *   behind (`deployedVersion` is not the version wanted: a failed or timed-out deployment).
 * - A workflow imported but not deployed is kept in the state (`deploymentStatus: DeployFailed`,
 *   its node ids read), so the next `up` imports with its ids and deploys: nothing twice.
 */
import * as pulumi from "@pulumi/pulumi";
import { configCredentials, hasUnknown, initFailed } from "../common/dynamic";
import { Credentials } from "../common/credentials";
import { pollUntil } from "../common/polling";
import { DEFAULT_RERUN, InstanceMode, NodeLocation, RerunPolicy } from "../../lib/dataworks/flowspec";
import {
  buildWorkflowFlowSpec,
  diffWorkflow,
  parseWorkflowFlowSpec,
  validateWorkflowModel,
  WorkflowModel,
  WorkflowNodeModel,
  workflowVersion,
} from "../../lib/dataworks/workflow-spec";
import { AsyncJobInfo, DataWorksApiError, DataWorksClient } from "./client";
import { DataWorksPipelineError, PipelinePolling, runPipeline } from "./pipeline";
import { DeploymentStatus, deployPolling } from "./node";

/** Resolved inputs: the workflow model, where it lives, and the layer it is (for plans and costs; not sent). */
export interface DataWorksWorkflowInputs extends WorkflowModel, NodeLocation {
  readonly layer: string;
  /**
   * Folders the layer's nodes lived in as per-node resources, before workflows (e.g.
   * `photo-analytics/ads`): a create takes over the stack's own nodes found exactly there. Not sent.
   */
  readonly formerFolderPaths: readonly string[];
}

/** The state the provider keeps. */
export interface DataWorksWorkflowState extends DataWorksWorkflowInputs {
  /** The workflow's id in DataWorks (also the Pulumi resource id). */
  readonly workflowId: string;
  /** Inner node ids by node name. */
  readonly nodeIds: Readonly<Record<string, string>>;
  /** Scheduling task ids by node name (strings: digits as the API sent them), read after the last deployment. */
  readonly taskIds: Readonly<Record<string, string>>;
  /** The account that owns the inner nodes (ListNodes `Owner`): the alert rules' default owner. */
  readonly owner: string;
  readonly devVersion: string;
  readonly deployedVersion: string;
  readonly deploymentStatus: DeploymentStatus;
  readonly pipelineRunId: string;
}

/** Fills defaults into raw inputs. */
export function workflowWithDefaults(raw: Record<string, any>): DataWorksWorkflowInputs {
  const rerun = (r: unknown): RerunPolicy => ({ ...DEFAULT_RERUN, ...((r as Partial<RerunPolicy>) ?? {}) });
  const nodes: WorkflowNodeModel[] = (Array.isArray(raw.nodes) ? raw.nodes : []).map((n: Record<string, any>) => ({
    name: String(n.name ?? ""),
    script: String(n.script ?? ""),
    cron: String(n.cron ?? ""),
    timezone: n.timezone ?? raw.timezone ?? "Asia/Shanghai",
    instanceMode: (n.instanceMode ?? "T+1") as InstanceMode,
    parameters: n.parameters ?? {},
    dependencies: n.dependencies ?? [],
    outputName: String(n.outputName ?? ""),
    rerun: rerun(n.rerun),
    datasourceName: n.datasourceName ?? "odps_first",
    resourceGroup: n.resourceGroup ?? "",
    description: n.description ?? "",
  }));
  return {
    projectId: raw.projectId === undefined ? "" : String(raw.projectId),
    region: String(raw.region ?? ""),
    layer: String(raw.layer ?? ""),
    formerFolderPaths: Array.isArray(raw.formerFolderPaths) ? raw.formerFolderPaths.map(String) : [],
    name: String(raw.name ?? ""),
    folderPath: String(raw.folderPath ?? ""),
    description: raw.description ?? "",
    cron: String(raw.cron ?? ""),
    timezone: raw.timezone ?? "Asia/Shanghai",
    instanceMode: (raw.instanceMode ?? "T+1") as InstanceMode,
    rerun: rerun(raw.rerun),
    dependencies: raw.dependencies ?? [],
    outputName: String(raw.outputName ?? ""),
    nodes,
  };
}

export class DataWorksWorkflowProvider implements pulumi.dynamic.ResourceProvider {
  private credentials?: Partial<Credentials>;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.credentials = configCredentials(req);
  }

  private client(region: string): Promise<DataWorksClient> {
    return DataWorksClient.connect(region, this.credentials);
  }

  async check(_olds: unknown, news: Record<string, any>): Promise<pulumi.dynamic.CheckResult> {
    const inputs = workflowWithDefaults(news);
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!inputs.projectId) failures.push({ property: "projectId", reason: "projectId (the DataWorks workspace id) is required" });
    if (!inputs.region) failures.push({ property: "region", reason: "region (e.g. cn-hangzhou) is required" });
    for (const p of validateWorkflowModel(inputs)) {
      const top = p.key.split(".")[0] as keyof DataWorksWorkflowInputs;
      if (!hasUnknown(inputs[top])) failures.push({ property: top, reason: p.message });
    }
    return { inputs, failures };
  }

  async diff(_id: string, olds: DataWorksWorkflowState, news: DataWorksWorkflowInputs): Promise<pulumi.dynamic.DiffResult> {
    const d = diffWorkflow(olds, news);
    const notDeployed = olds.deployedVersion !== workflowVersion(news);
    return { changes: d.changed.length > 0 || notDeployed, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
  }

  async create(inputs: DataWorksWorkflowInputs): Promise<pulumi.dynamic.CreateResult> {
    const polling = deployPolling(process.env); // a bad override fails before anything is created
    const client = await this.client(inputs.region);
    let id: string;
    let nodeIds: Readonly<Record<string, string>> = {};
    try {
      id = await this.importSpec(client, polling, inputs, {});
    } catch (e) {
      if (!(e instanceof DataWorksApiError) || !e.code.startsWith("Job.")) throw e;
      // 1. An earlier create made the workflow and then failed (its state was lost with the error):
      //    the workflow of this stack-scoped name is that one; import into it with its ids.
      const existing = (await client.listWorkflowDefinitionsByName({ projectId: inputs.projectId, name: inputs.name }))[0];
      if (existing) {
        nodeIds = await this.liveNodeIds(client, inputs, existing);
        id = await this.importSpec(client, polling, inputs, { workflowId: existing, nodeIds });
      } else {
        // 2. Migration from per-node resources: the stack's own nodes of the same names still hold
        //    the names and outputs (Pulumi deletes removed resources only after creating new ones).
        //    Take them offline and delete them, then import again; their old resources' delete then
        //    finds them gone. Without such nodes, the import's error stands.
        const taken = await this.takeOverStandaloneNodes(client, polling, inputs);
        if (taken === 0) throw e;
        id = await this.importSpec(client, polling, inputs, {});
      }
    }
    const outs = await this.deploy(client, polling, id, inputs, { deployedVersion: "", pipelineRunId: "", nodeIds });
    return { id, outs };
  }

  /** Inner node ids of a workflow as DataWorks has them (GetWorkflowDefinition): for an import that must update, not add, nodes. */
  private async liveNodeIds(client: DataWorksClient, m: DataWorksWorkflowInputs, id: string): Promise<Readonly<Record<string, string>>> {
    const w = await client.getWorkflowDefinition({ projectId: m.projectId, id });
    return w ? parseWorkflowFlowSpec(w.spec).nodeIds : {};
  }

  async update(id: string, olds: DataWorksWorkflowState, news: DataWorksWorkflowInputs): Promise<pulumi.dynamic.UpdateResult> {
    const polling = deployPolling(process.env);
    const client = await this.client(news.region);
    // State without every node's id (a deployment whose node listing failed): read them first, so
    // the import updates those nodes instead of adding others of the same names.
    const known = olds.nodeIds ?? {};
    const nodeIds = Object.keys(known).length > 0 ? known : await this.liveNodeIds(client, news, id);
    await this.importSpec(client, polling, news, { workflowId: id, nodeIds });
    return { outs: await this.deploy(client, polling, id, news, { ...olds, nodeIds }) };
  }

  async read(id: string, props?: DataWorksWorkflowState): Promise<pulumi.dynamic.ReadResult> {
    const region = props?.region ?? "";
    const projectId = props?.projectId ?? "";
    const w = await (await this.client(region)).getWorkflowDefinition({ projectId, id });
    if (!w) return {}; // gone: Pulumi drops it from state
    const live = parseWorkflowFlowSpec(w.spec);
    const inputs: DataWorksWorkflowInputs = { ...live.model, projectId, region, layer: props?.layer ?? "", formerFolderPaths: props?.formerFolderPaths ?? [] };
    const taskIds = Object.fromEntries(Object.entries(props?.taskIds ?? {}).filter(([name]) => live.nodeIds[name] !== undefined));
    const state: DataWorksWorkflowState = {
      ...inputs,
      workflowId: id,
      nodeIds: live.nodeIds,
      taskIds,
      owner: props?.owner || w.owner || live.owner,
      devVersion: workflowVersion(live.model),
      deployedVersion: props?.deployedVersion ?? "",
      deploymentStatus: props?.deploymentStatus ?? "Unknown",
      pipelineRunId: props?.pipelineRunId ?? "",
    };
    return { id, props: state, inputs };
  }

  /** Takes the workflow offline (DataWorks does not delete a deployed one), then deletes it with its inner nodes. */
  async delete(id: string, props: DataWorksWorkflowState): Promise<void> {
    const polling = deployPolling(process.env);
    const client = await this.client(props.region);
    let offlineError: unknown;
    try {
      await runPipeline(
        client,
        { projectId: props.projectId, type: "Offline", objectId: id, description: `photo-analytics: undeploy workflow ${props.name}` },
        polling,
      );
    } catch (e) {
      offlineError = e; // a workflow never deployed has nothing to take offline
    }
    try {
      await client.deleteWorkflowDefinition({ projectId: props.projectId, id });
    } catch (e) {
      throw offlineError ?? e;
    }
  }

  /**
   * Removes the stack's nodes from before workflows that hold an inner node's name: nodes whose
   * script is exactly `<formerFolderPath>/<name>`, where the stack's per-node resources put them
   * (never a node inside a workflow, never another team's). Each is taken offline (as
   * DataWorksNode's delete does) and deleted. Returns how many.
   */
  private async takeOverStandaloneNodes(client: DataWorksClient, polling: PipelinePolling, m: DataWorksWorkflowInputs): Promise<number> {
    if (m.formerFolderPaths.length === 0) return 0;
    const names = new Set(m.nodes.map((n) => n.name));
    const old = (await client.listNodesWithPaths({ projectId: m.projectId })).filter(
      (n) => names.has(n.name) && m.formerFolderPaths.some((f) => n.path === `${f}/${n.name}`),
    );
    for (const n of old) {
      await runPipeline(
        client,
        { projectId: m.projectId, type: "Offline", objectId: n.id, description: `photo-analytics: undeploy ${n.name} (moved into workflow ${m.name})` },
        polling,
      ).catch(
        () => undefined, // a node never deployed has nothing to take offline; DeleteNode says the rest
      );
      await client.deleteNode({ projectId: m.projectId, id: n.id });
    }
    return old.length;
  }

  /** ImportWorkflowDefinition, then GetJobStatus until the job ends; returns the workflow id. */
  private async importSpec(
    client: DataWorksClient,
    polling: PipelinePolling,
    m: DataWorksWorkflowInputs,
    ids: { workflowId?: string; nodeIds?: Readonly<Record<string, string>> },
  ): Promise<string> {
    const spec = JSON.stringify(buildWorkflowFlowSpec(m, ids));
    const started = await client.importWorkflowDefinition({ projectId: m.projectId, spec, name: m.name });
    const job = started.completed
      ? started
      : await pollUntil<AsyncJobInfo>(
          async () => {
            const s = await client.getJobStatus(started.id);
            return s.completed || ["Success", "Fail", "Cancel"].includes(s.status) ? { done: true, value: s } : { done: false, status: s.status };
          },
          polling,
          {
            sleep: client.sleep,
            onTimeout: (status, elapsed) =>
              new DataWorksApiError({
                action: "ImportWorkflowDefinition",
                code: "Job.Timeout",
                message: `import job ${started.id} of workflow ${m.name} is still ${status ?? "pending"} after ${Math.round(elapsed / 1000)} s; run the update again once it has finished`,
              }),
          },
        );
    if (job.status !== "Success") {
      throw new DataWorksApiError({
        action: "ImportWorkflowDefinition",
        code: `Job.${job.status || "Unknown"}`,
        message: `import job ${started.id} of workflow ${m.name} ended ${job.status || "without a status"}${job.error ? `: ${job.error}` : ""}`,
        requestId: job.requestId,
      });
    }
    const id =
      ids.workflowId ?? (started.response || job.response || (await client.listWorkflowDefinitionsByName({ projectId: m.projectId, name: m.name }))[0]);
    if (!id) {
      throw new DataWorksApiError({
        action: "ImportWorkflowDefinition",
        code: "MalformedResponse",
        message: `import job ${started.id} of workflow ${m.name} succeeded but no workflow of that name is listed`,
      });
    }
    return id;
  }

  /** Deploys the workflow whole, then reads its inner nodes' ids and task ids; on failure an initialization error keeping what was imported. */
  private async deploy(
    client: DataWorksClient,
    polling: PipelinePolling,
    id: string,
    m: DataWorksWorkflowInputs,
    previous: Pick<DataWorksWorkflowState, "deployedVersion" | "pipelineRunId" | "nodeIds"> & Partial<Pick<DataWorksWorkflowState, "taskIds" | "owner">>,
  ): Promise<DataWorksWorkflowState> {
    const devVersion = workflowVersion(m);
    const base = { ...m, workflowId: id, devVersion };
    const nodesOf = async () => {
      const nodes = await client.listWorkflowNodes({ projectId: m.projectId, workflowId: id });
      return {
        nodeIds: Object.fromEntries(nodes.map((n) => [n.name, n.id])),
        taskIds: Object.fromEntries(nodes.filter((n) => n.taskId !== "").map((n) => [n.name, n.taskId])),
        owner: nodes.find((n) => n.owner)?.owner ?? previous.owner ?? "",
      };
    };
    let run;
    try {
      run = await runPipeline(
        client,
        { projectId: m.projectId, type: "Online", objectId: id, description: `photo-analytics: deploy workflow ${m.name} ${devVersion}` },
        polling,
      );
    } catch (e) {
      // Keep the ids DataWorks gave, so the next `up` updates these nodes instead of adding new ones.
      const listed = await nodesOf().catch(() => ({ nodeIds: previous.nodeIds ?? {}, taskIds: previous.taskIds ?? {}, owner: previous.owner ?? "" }));
      throw initFailed(e, id, {
        ...base,
        ...listed,
        deployedVersion: previous.deployedVersion ?? "",
        deploymentStatus: "DeployFailed",
        pipelineRunId: e instanceof DataWorksPipelineError ? e.pipelineRunId : (previous.pipelineRunId ?? ""),
      } satisfies DataWorksWorkflowState);
    }
    let listed: Awaited<ReturnType<typeof nodesOf>>;
    try {
      listed = await nodesOf();
    } catch (e) {
      // Deployed, but the task ids are unknown: kept as not deployed, so the next `up` deploys again and reads them.
      throw initFailed(e, id, {
        ...base,
        nodeIds: previous.nodeIds ?? {},
        taskIds: previous.taskIds ?? {},
        owner: previous.owner ?? "",
        deployedVersion: previous.deployedVersion ?? "",
        deploymentStatus: "DeployFailed",
        pipelineRunId: run.pipelineRunId,
      } satisfies DataWorksWorkflowState);
    }
    const missing = m.nodes.map((n) => n.name).filter((n) => listed.taskIds[n] === undefined);
    if (missing.length > 0) {
      throw initFailed(
        new DataWorksApiError({
          action: "ListNodes",
          code: "TaskId.Missing",
          message: `workflow ${m.name} (${id}) is deployed but ListNodes gives no scheduling task id for ${missing.join(", ")}; the layer's alert rules need them: run \`pulumi up\` again`,
        }),
        id,
        {
          ...base,
          ...listed,
          deployedVersion: previous.deployedVersion ?? "",
          deploymentStatus: "DeployFailed",
          pipelineRunId: run.pipelineRunId,
        } satisfies DataWorksWorkflowState,
      );
    }
    return { ...base, ...listed, deployedVersion: devVersion, deploymentStatus: "Deployed", pipelineRunId: run.pipelineRunId };
  }
}

/** Arguments of a DataWorksWorkflow. */
export interface DataWorksWorkflowArgs {
  /** DataWorks workspace id. Changing it replaces the workflow. */
  readonly projectId: pulumi.Input<string | number>;
  /** Region of the workspace, e.g. `cn-hangzhou`. Changing it replaces the workflow. */
  readonly region: pulumi.Input<string>;
  /** The layer (`daily`, `hourly`, `realtime`...): for plans and costs, not sent. */
  readonly layer: pulumi.Input<string>;
  /** Folders the layer's nodes lived in as per-node resources (taken over by a create). Not sent. @default [] */
  readonly formerFolderPaths?: pulumi.Input<pulumi.Input<string>[]>;
  /** Workflow name, unique in the workspace. Changing it replaces the workflow. */
  readonly name: pulumi.Input<string>;
  /** Folder of the workflow in the project directory, e.g. `photo-analytics`. Changing it replaces the workflow. */
  readonly folderPath: pulumi.Input<string>;
  /** @default "" */
  readonly description?: pulumi.Input<string>;
  /** The workflow's own Quartz cron. Updated in place. */
  readonly cron: pulumi.Input<string>;
  /** @default "Asia/Shanghai" */
  readonly timezone?: pulumi.Input<string>;
  /** @default "T+1" */
  readonly instanceMode?: pulumi.Input<InstanceMode>;
  /** @default {mode: "Allowed", times: 3, intervalMs: 180000} */
  readonly rerun?: pulumi.Input<Partial<RerunPolicy>>;
  /** Upstream outputs the workflow waits for, e.g. `["<workspace>_root"]`. Updated in place. */
  readonly dependencies?: pulumi.Input<pulumi.Input<string>[]>;
  /** The workflow's own output name. Changing it replaces the workflow. */
  readonly outputName: pulumi.Input<string>;
  /** Inner nodes (each with its own script, cron, parameters, rerun policy, dependencies by output). Updated in place. */
  readonly nodes: pulumi.Input<pulumi.Input<Partial<WorkflowNodeModel> & Pick<WorkflowNodeModel, "name" | "script" | "cron" | "outputName">>[]>;
}

export const dataWorksWorkflowProvider = new DataWorksWorkflowProvider();

/** A DataWorks periodic workflow with its inner nodes (dynamic resource; type `pulumi-nodejs:dynamic/dataworks:DataWorksWorkflow`). */
export class DataWorksWorkflow extends pulumi.dynamic.Resource {
  declare readonly workflowId: pulumi.Output<string>;
  declare readonly outputName: pulumi.Output<string>;
  /** Inner node ids by node name. */
  declare readonly nodeIds: pulumi.Output<Record<string, string>>;
  /** Scheduling task ids by node name (strings), what the layer's alert rules watch. */
  declare readonly taskIds: pulumi.Output<Record<string, string>>;
  declare readonly owner: pulumi.Output<string>;
  declare readonly devVersion: pulumi.Output<string>;
  declare readonly deployedVersion: pulumi.Output<string>;
  declare readonly deploymentStatus: pulumi.Output<DeploymentStatus>;
  declare readonly pipelineRunId: pulumi.Output<string>;

  constructor(name: string, args: DataWorksWorkflowArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      dataWorksWorkflowProvider,
      name,
      {
        ...args,
        workflowId: undefined,
        nodeIds: undefined,
        taskIds: undefined,
        owner: undefined,
        devVersion: undefined,
        deployedVersion: undefined,
        deploymentStatus: undefined,
        pipelineRunId: undefined,
      },
      opts,
      "dataworks",
      "DataWorksWorkflow",
    );
  }
}
