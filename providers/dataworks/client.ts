/**
 * A thin client for the DataWorks OpenAPI 2024-05-18 over Alibaba Cloud's
 * official generic client `@alicloud/openapi-client` (`callApi`: it signs the
 * request, ACS3-HMAC-SHA256 in the `Authorization` header; nothing is signed
 * here): nodes (CreateNode, GetNode, UpdateNode, DeleteNode), deployment
 * processes (CreatePipelineRun, GetPipelineRun, ExecPipelineRunStage; the
 * state machine over them is ./pipeline.ts), Data Integration jobs (GetDIJob,
 * StartDIJob, StopDIJob), compute resources (Create/Get/Update/DeleteComputeResource)
 * and resource group bindings (AssociateProjectToResourceGroup,
 * DissociateProjectFromResourceGroup, ListResourceGroups).
 *
 * Requests are shaped like the official `dataworks-public20240518` SDK's:
 * RPC style, pathname `/`, POST with a form body for writes, GET with query
 * parameters for reads, JSON answers.
 *
 * Credentials come from providers/common/credentials.ts (`DataWorksClient.connect`
 * resolves them); errors are providers/common/errors.ts's, with throttling
 * retried by providers/common/retry.ts.
 *
 * No Pulumi imports: the dynamic providers call this inside their methods.
 */
import { Credentials, resolveCredentials } from "../common/credentials";
import { AlibabaApiError, isNotFound as isNotFoundError } from "../common/errors";
import { stringifyApiJson } from "../common/json";
import { OpenApiCaller, openApiEndpoint, OpenApiTransport, requireRegionId } from "../common/openapi";
import { RetryPolicy } from "../common/retry";

export type { Credentials } from "../common/credentials";
export { isThrottling } from "../common/errors";
export type { OpenApiCaller } from "../common/openapi";
export { backoffMs, DEFAULT_RETRY } from "../common/retry";
export type { RetryPolicy } from "../common/retry";

/** The API version every call uses. */
export const DATAWORKS_API_VERSION = "2024-05-18";

/** Environment variable that points the client at another endpoint (tests: `http://127.0.0.1:PORT`). */
export const ENDPOINT_ENV = "PHOTO_ANALYTICS_DATAWORKS_ENDPOINT";

/** The DataWorks endpoint of a region, or the override from `PHOTO_ANALYTICS_DATAWORKS_ENDPOINT`. */
export function resolveEndpoint(region: string, env: Readonly<Record<string, string | undefined>>): { protocol: "HTTPS" | "HTTP"; endpoint: string } {
  if (!env[ENDPOINT_ENV]) requireRegionId(region);
  const e = openApiEndpoint(ENDPOINT_ENV, env, `dataworks.${region}.aliyuncs.com`);
  return { protocol: e.protocol, endpoint: e.host };
}

/** How a call may be repeated: a read, a write whose repeat has the same effect, or a create (./retry.ts). */
type CallKind = "read" | "write" | "create";

/**
 * How the official SDK sends each action the stack calls (aliyun/alibabacloud-typescript-sdk
 * dataworks-public-20240518/src/client.ts @06a71f93987bc01319e08965323789ddbe23f7f8,
 * `<action>WithOptions`): the HTTP method and where the parameters go (`query` names the ones a
 * body action sends in the query). tests/api-models.test.ts holds this table to the models
 * generated from the same source (tests/support/api-models/dataworks.json).
 */
export const DATAWORKS_ACTIONS = {
  CreateNode: { method: "POST", in: "body", kind: "create" },
  GetNode: { method: "GET", in: "query", kind: "read" },
  UpdateNode: { method: "POST", in: "body", kind: "write" },
  DeleteNode: { method: "POST", in: "body", kind: "write" },
  ListNodes: { method: "GET", in: "query", kind: "read" },
  // Not repeated after an unknown outcome; a RunMode Auto request refused as such is sent once more in Normal mode (./pipeline.ts).
  CreatePipelineRun: { method: "POST", in: "body", kind: "create" },
  GetPipelineRun: { method: "GET", in: "query", kind: "read" },
  // A repeat of a stage already started is refused; ./pipeline.ts reads the process again then.
  ExecPipelineRunStage: { method: "POST", in: "body", query: ["ProjectId"], kind: "write" },
  GetDIJob: { method: "GET", in: "query", kind: "read" },
  ListDIJobs: { method: "GET", in: "query", kind: "read" },
  // A repeat is refused ("running" / "not running"); ./di-job-run.ts reads the job's status then.
  StartDIJob: { method: "GET", in: "query", kind: "write" },
  StopDIJob: { method: "GET", in: "query", kind: "write" },
  CreateComputeResource: { method: "POST", in: "query", kind: "create" },
  GetComputeResource: { method: "POST", in: "query", kind: "read" },
  UpdateComputeResource: { method: "POST", in: "query", kind: "write" },
  DeleteComputeResource: { method: "POST", in: "query", kind: "write" },
  ListComputeResources: { method: "POST", in: "query", kind: "read" },
  // A repeat is refused as bound already; ./resource-group-association.ts lists the bindings then.
  AssociateProjectToResourceGroup: { method: "POST", in: "body", kind: "write" },
  DissociateProjectFromResourceGroup: { method: "POST", in: "body", kind: "write" },
  ListResourceGroups: { method: "GET", in: "query", kind: "read" },
  CreateAlertRule: { method: "POST", in: "query", kind: "create" },
  GetAlertRule: { method: "GET", in: "query", kind: "read" },
  UpdateAlertRule: { method: "POST", in: "query", kind: "write" },
  DeleteAlertRule: { method: "POST", in: "body", kind: "write" },
  ListAlertRules: { method: "POST", in: "query", kind: "read" },
  ListProjects: { method: "POST", in: "body", kind: "read" },
  // An import naming ids that exist is an update; one naming none a create (looked up by name after an unknown outcome).
  ImportWorkflowDefinition: { method: "POST", in: "body", kind: "create" },
  GetJobStatus: { method: "GET", in: "query", kind: "read" },
  GetWorkflowDefinition: { method: "GET", in: "query", kind: "read" },
  DeleteWorkflowDefinition: { method: "POST", in: "body", kind: "write" },
  ListWorkflowDefinitions: { method: "GET", in: "query", kind: "read" },
  ListTaskInstances: { method: "POST", in: "body", kind: "read" },
} as const satisfies Record<string, { method: "GET" | "POST"; in: "query" | "body"; query?: readonly string[]; kind: CallKind }>;

/** An action the client calls. */
export type DataWorksAction = keyof typeof DATAWORKS_ACTIONS;

/** An error answered by the DataWorks API (or raised before reaching it), with code and request id. */
export class DataWorksApiError extends AlibabaApiError {
  constructor(e: { action: string; code: string; message: string; requestId?: string; statusCode?: number }) {
    super({ service: "DataWorks", ...e });
    this.name = "DataWorksApiError";
  }
}

/**
 * Whether DataWorks answered that the object (node, process, job, compute resource, alert rule,
 * binding) does not exist: one of its exact codes in providers/common/errors.ts `NOT_FOUND_CODES`.
 * An unknown AccessKey (`InvalidAccessKeyId.NotFound`) or any other code is an error.
 */
export function isNotFound(e: AlibabaApiError): boolean {
  return isNotFoundError(e, "DataWorks");
}

/** Whether a deployment process is `Online` (deploy to production scheduling) or `Offline` (undeploy). */
export type PipelineRunType = "Online" | "Offline";

/**
 * How a deployment process runs (CreatePipelineRun `RunMode`): `Normal` (the default: the caller
 * starts the stages that wait, with ExecPipelineRunStage) or `Auto` (the process drives itself up
 * to and including the stage named by `AutoRunUntilStage`).
 */
export type PipelineRunMode = "Normal" | "Auto";

/** One stage of a deployment process, e.g. `{code: "PROD_CHECK", type: "Check", status: "Init"}`. */
export interface PipelineStage {
  readonly code: string;
  readonly step: number;
  /** `Build`, `Check`, `Deploy`, `Offline` or `Delete`. */
  readonly type: string;
  readonly name: string;
  readonly status: string;
  readonly message: string;
}

/** A deployment process as `GetPipelineRun` returns it. */
export interface PipelineRunInfo {
  readonly id: string;
  readonly status: string;
  readonly message: string;
  /** Stages in step order. */
  readonly stages: readonly PipelineStage[];
  /** The request id of the GetPipelineRun answer this was read from. */
  readonly requestId?: string;
}

/**
 * `JobStatus` values GetDIJob documents: a stopped job is `Stop` (official SDK
 * aliyun/alibabacloud-typescript-sdk dataworks-public-20240518/src/models/GetDijobResponseBody.ts
 * @7765f7a7d1ae55f20ed04dc0048bf69c56ada042, `GetDIJobResponseBodyPagingInfo.jobStatus`).
 */
export const GET_DI_JOB_STATUSES = ["Finished", "Failed", "Running", "Initialized", "Stopping", "Stop"] as const;
/**
 * `JobStatus` values ListDIJobs documents: a stopped job is `Stopped` (same SDK and commit,
 * ListDijobsResponseBody.ts, `ListDIJobsResponseBodyPagingInfoDIJobs.jobStatus`).
 */
export const LIST_DI_JOBS_STATUSES = ["Finished", "Initialized", "Stopped", "Failed", "Running", "Stopping"] as const;
/**
 * "Stopped" as either API spells it. The two references disagree (GetDIJob `Stop`, ListDIJobs
 * `Stopped`), so a reader of either accepts both: a job stopped is stopped whichever spelling comes back.
 */
export const DI_JOB_STOPPED_STATUSES: readonly string[] = ["Stop", "Stopped"];
/** Every `JobStatus` either API documents. */
export const DI_JOB_STATUSES = [...new Set([...GET_DI_JOB_STATUSES, ...LIST_DI_JOBS_STATUSES])] as const;
export type DiJobStatus = (typeof GET_DI_JOB_STATUSES)[number] | (typeof LIST_DI_JOBS_STATUSES)[number];

/** A DI job as `GetDIJob` returns it (the parts the stack reads). */
export interface DiJobInfo {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly status: string;
  readonly migrationType: string;
}

/** A compute resource as `GetComputeResource` returns it. */
export interface ComputeResourceInfo {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly type: string;
  readonly connectionPropertiesMode: string;
  /** As the API answers it: an object (keys in the API's lowerCamel form). */
  readonly connectionProperties: Record<string, unknown>;
  readonly description: string;
}

/** A resource group as `ListResourceGroups` returns it. */
export interface ResourceGroupInfo {
  readonly id: string;
  readonly name: string;
  readonly status: string;
}

/** Options of a DataWorks client. */
export interface DataWorksClientOptions {
  readonly region: string;
  /** Resolved credentials (providers/common/credentials.ts `resolveCredentials`). */
  readonly credentials: Credentials;
  /** @default process.env (the endpoint, retry and timeout overrides) */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default providers/common/retry.ts DEFAULT_RETRY (or its PHOTO_ANALYTICS_RETRY_BASE_MS override) */
  readonly retry?: RetryPolicy;
  /** @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Socket timeouts, in milliseconds. @default 10000 connect; 30000 read (PHOTO_ANALYTICS_API_READ_TIMEOUT_MS) */
  readonly connectTimeoutMs?: number;
  readonly readTimeoutMs?: number;
  /** Replaces the official client (unit tests only). */
  readonly caller?: OpenApiCaller;
}

/** An asynchronous job (ImportWorkflowDefinition's `AsyncJob`, GetJobStatus's `JobStatus`). */
export interface AsyncJobInfo {
  readonly id: string;
  /** `Running`, `Success`, `Fail`, `Cancel`. */
  readonly status: string;
  readonly completed: boolean;
  readonly error: string;
  /** ImportWorkflowDefinition: the workflow's id, when the answer carries it ("" otherwise). */
  readonly response: string;
  readonly requestId?: string;
}

/** A workflow as `GetWorkflowDefinition` returns it. */
export interface WorkflowDefinitionInfo {
  readonly id: string;
  readonly name: string;
  readonly projectId: string;
  /** The CycleWorkflow FlowSpec, as a JSON string. */
  readonly spec: string;
  readonly owner: string;
  /** The workflow's scheduling id after publishing ("" before). */
  readonly workflowId: string;
}

/** An inner node of a workflow as `ListNodes` (`ContainerId`) lists it. */
export interface ContainedNodeInfo {
  readonly id: string;
  readonly name: string;
  /** The scheduling task id once the node is published, as the digits the API sent; "" before. */
  readonly taskId: string;
  readonly owner: string;
}

/** A node as `GetNode` returns it. */
export interface DataWorksNodeInfo {
  readonly id: string;
  readonly name: string;
  readonly projectId: string;
  /** The node's FlowSpec, as a JSON string. */
  readonly spec: string;
  /** Account id of the node's owner (GetNode `Owner`). */
  readonly owner?: string;
  /** The scheduling task id once the node is published (GetNode `TaskId`, digits as sent); absent before. */
  readonly taskId?: string;
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/** The `Id` a Create* answer carries; a MalformedResponse error (with the request id) when it has none. */
function requireId(action: string, res: Record<string, unknown>): string {
  const id = str(res.Id)?.trim();
  if (!id) {
    throw new DataWorksApiError({ action, code: "MalformedResponse", message: `answer has no Id: ${JSON.stringify(res)}`, requestId: str(res.RequestId) });
  }
  return id;
}

/** An `AsyncJob` / `JobStatus` object of an answer; a MalformedResponse error when there is none. */
function asyncJob(action: string, v: unknown, res: Record<string, unknown>): AsyncJobInfo {
  const j = v as Record<string, unknown> | undefined;
  if (!j || typeof j !== "object") {
    throw new DataWorksApiError({ action, code: "MalformedResponse", message: `answer has no job: ${JSON.stringify(res)}`, requestId: str(res.RequestId) });
  }
  return {
    id: str(j.Id) ?? str(j.JobId) ?? "",
    status: str(j.Status) ?? "",
    // ImportWorkflowDefinition answers a boolean, GetJobStatus the string "True"/"False".
    completed: j.Completed === true || String(j.Completed).toLowerCase() === "true",
    error: str(j.Error) ?? "",
    response: str(j.Response) ?? "",
    requestId: str(res.RequestId),
  };
}

/** A custom alert rule as CreateAlertRule takes it and GetAlertRule answers it. */
export interface AlertRuleSpec {
  readonly name: string;
  /** Alibaba Cloud account id of the rule's owner. */
  readonly owner: string;
  readonly enabled: boolean;
  /** `{Type, Target: {Type, Ids}, Extension}`. */
  readonly triggerCondition: Record<string, unknown>;
  /** `{Channels, Receivers, IntervalInMinutes, Maximum}`. */
  readonly notification: Record<string, unknown>;
}

function alertRuleQuery(r: AlertRuleSpec): Record<string, string> {
  return {
    Name: r.name,
    Owner: r.owner,
    Enabled: String(r.enabled),
    // Ids are ApiInteger: written as JSON numbers from their digits (19-digit ids survive).
    TriggerCondition: stringifyApiJson(r.triggerCondition),
    Notification: stringifyApiJson(r.notification),
  };
}

/** A list of objects under `key` of an answer's `PagingInfo` (empty when absent). */
function page(res: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const info = (res.PagingInfo as Record<string, unknown> | undefined) ?? {};
  const list = info[key];
  return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
}

/** The DataWorks OpenAPI, one method per action the stack uses. */
export class DataWorksClient {
  private readonly transport: OpenApiTransport;
  /** How the client waits (backoff, polling). */
  readonly sleep: (ms: number) => Promise<void>;
  /** The host the client talks to (for error messages). */
  readonly endpoint: string;

  constructor(o: DataWorksClientOptions) {
    const env = o.env ?? process.env;
    const { protocol, endpoint } = resolveEndpoint(o.region, env);
    this.transport = new OpenApiTransport({
      version: DATAWORKS_API_VERSION,
      endpoint: { protocol, host: endpoint },
      credentials: o.credentials,
      region: o.region,
      error: (x) => new DataWorksApiError(x),
      refusal: (action, res) =>
        res.Success === false || res.Success === "false"
          ? new DataWorksApiError({
              action,
              code: str(res.Code) ?? "Unsuccessful",
              message: str(res.Message) ?? "the API answered Success=false",
              requestId: str(res.RequestId),
            })
          : undefined,
      retry: o.retry,
      sleep: o.sleep,
      connectTimeoutMs: o.connectTimeoutMs,
      readTimeoutMs: o.readTimeoutMs,
      env,
      caller: o.caller,
    });
    this.sleep = this.transport.sleep;
    this.endpoint = this.transport.endpoint;
  }

  /**
   * A client whose credentials come from the one chain (providers/common/credentials.ts):
   * `explicit` (the stack's alicloud config), the environment, then the SDK's default chain.
   */
  static async connect(
    region: string,
    explicit?: Partial<Credentials>,
    o: Omit<DataWorksClientOptions, "region" | "credentials"> = {},
  ): Promise<DataWorksClient> {
    return new DataWorksClient({ ...o, region, credentials: await resolveCredentials(explicit, o.env ?? process.env) });
  }

  /**
   * Creates a node from a FlowSpec; returns its id. When an attempt's outcome is unknown (5xx, no
   * answer), the node of the spec's name, if one is there now, is the one it made (names are
   * unique in a workspace): no second node.
   */
  async createNode(req: { projectId: string; spec: string; scene: string; containerId?: string }): Promise<string> {
    const body: Record<string, string> = { ProjectId: req.projectId, Scene: req.scene, Spec: req.spec };
    if (req.containerId) body.ContainerId = req.containerId;
    const name = specNodeName(req.spec);
    return this.call("CreateNode", body, (res) => requireId("CreateNode", res), {
      recover: async () => (name ? (await this.listNodesByName({ projectId: req.projectId, name }))[0]?.id : undefined),
    });
  }

  /** Reads a node; undefined when it no longer exists. */
  async getNode(req: { projectId: string; id: string }): Promise<DataWorksNodeInfo | undefined> {
    const res = await this.read("GetNode", { Id: req.id, ProjectId: req.projectId });
    const node = res?.Node as Record<string, unknown> | undefined;
    if (!node) return undefined;
    return {
      id: str(node.Id) ?? req.id,
      name: str(node.Name) ?? "",
      projectId: str(node.ProjectId) ?? req.projectId,
      spec: typeof node.Spec === "string" ? node.Spec : JSON.stringify(node.Spec ?? {}),
      ...(node.Owner !== undefined ? { owner: str(node.Owner) } : {}),
      ...(node.TaskId !== undefined && node.TaskId !== null ? { taskId: str(node.TaskId) } : {}),
    };
  }

  // Workflows (ImportWorkflowDefinition / GetJobStatus / GetWorkflowDefinition /
  // DeleteWorkflowDefinition / ListWorkflowDefinitions, 2024-05-18): one call imports a
  // CycleWorkflow FlowSpec with its inner nodes, asynchronously.

  /**
   * Imports a workflow FlowSpec (a create when it names no existing id, else an update); returns
   * the asynchronous job. After an unknown outcome of a create, a workflow of the spec's name found
   * by ListWorkflowDefinitions is the one it made (a finished job with that id as its response).
   */
  async importWorkflowDefinition(req: { projectId: string; spec: string; name: string }): Promise<AsyncJobInfo> {
    return this.call(
      "ImportWorkflowDefinition",
      { ProjectId: req.projectId, Spec: req.spec },
      (res) => asyncJob("ImportWorkflowDefinition", res.AsyncJob, res),
      {
        recover: async () => {
          const found = (await this.listWorkflowDefinitionsByName({ projectId: req.projectId, name: req.name }))[0];
          return found ? { id: "", status: "Success", completed: true, error: "", response: found } : undefined;
        },
      },
    );
  }

  /** The status of an asynchronous job (GetJobStatus `JobId`). */
  async getJobStatus(jobId: string): Promise<AsyncJobInfo> {
    return this.call("GetJobStatus", { JobId: jobId }, (res) => asyncJob("GetJobStatus", res.JobStatus, res));
  }

  /** Reads a workflow with its inner nodes' scripts; undefined when it no longer exists. */
  async getWorkflowDefinition(req: { projectId: string; id: string }): Promise<WorkflowDefinitionInfo | undefined> {
    const res = await this.read("GetWorkflowDefinition", { Id: req.id, ProjectId: req.projectId, IncludeScriptContent: "true" });
    const w = res?.WorkflowDefinition as Record<string, unknown> | undefined;
    if (!w) return undefined;
    return {
      id: str(w.Id) ?? req.id,
      name: str(w.Name) ?? "",
      projectId: str(w.ProjectId) ?? req.projectId,
      spec: typeof w.Spec === "string" ? w.Spec : JSON.stringify(w.Spec ?? {}),
      owner: str(w.Owner) ?? "",
      workflowId: str(w.WorkflowId) ?? "",
    };
  }

  /** Deletes a workflow with its inner nodes; one already gone counts as deleted. */
  async deleteWorkflowDefinition(req: { projectId: string; id: string }): Promise<void> {
    await this.remove("DeleteWorkflowDefinition", { Id: req.id, ProjectId: req.projectId });
  }

  /** Ids of the periodic workflows of a workspace named exactly `name` (ListWorkflowDefinitions `Name`, one page of 100). */
  async listWorkflowDefinitionsByName(req: { projectId: string; name: string }): Promise<string[]> {
    const res = await this.call("ListWorkflowDefinitions", { ProjectId: req.projectId, Name: req.name, Type: "CycleWorkflow", PageSize: "100" });
    return page(res, "WorkflowDefinitions")
      .filter((w) => str(w.Name) === req.name)
      .map((w) => str(w.Id) ?? "")
      .filter((id) => id !== "");
  }

  /**
   * The inner nodes of a workflow (ListNodes `ContainerId`, one page of 100) with their scheduling
   * task ids: one call for a whole layer where GetNode would take one per node.
   */
  async listWorkflowNodes(req: { projectId: string; workflowId: string }): Promise<ContainedNodeInfo[]> {
    const res = await this.call("ListNodes", { ProjectId: req.projectId, ContainerId: req.workflowId, PageSize: "100" });
    return page(res, "Nodes").map((n) => ({
      id: str(n.Id) ?? "",
      name: str(n.Name) ?? "",
      taskId: n.TaskId === undefined || n.TaskId === null ? "" : String(n.TaskId),
      owner: str(n.Owner) ?? "",
    }));
  }

  /** Updates a node in place from a FlowSpec (DataWorks applies it as an incremental update). */
  async updateNode(req: { projectId: string; id: string; spec: string }): Promise<void> {
    await this.call("UpdateNode", { Id: req.id, ProjectId: req.projectId, Spec: req.spec });
  }

  /** Deletes a node; a node already gone counts as deleted. */
  async deleteNode(req: { projectId: string; id: string }): Promise<void> {
    await this.remove("DeleteNode", { Id: req.id, ProjectId: req.projectId });
  }

  /**
   * Starts a deployment process for one node (`Online` deploys it to production scheduling,
   * `Offline` undeploys it); returns the process id. Not sent again when its outcome is unknown: a
   * second process for the same node is not wanted, and the node provider keeps the node as
   * `DeployFailed`, so the next `up` deploys it again.
   *
   * `runMode` / `autoRunUntilStage` are the model's `RunMode` ("Normal", the default, or "Auto":
   * the process drives itself up to and including the stage whose code is `AutoRunUntilStage`) and
   * `AutoRunUntilStage`; sent, like every other parameter of this action, in the form body, and only
   * when given (official SDK dataworks-public-20240518 CreatePipelineRunRequest.ts and
   * client.ts `createPipelineRunWithOptions` @06a71f93987bc01319e08965323789ddbe23f7f8).
   */
  async createPipelineRun(req: {
    projectId: string;
    type: PipelineRunType;
    objectId: string;
    description?: string;
    runMode?: PipelineRunMode;
    autoRunUntilStage?: string;
  }): Promise<string> {
    const body: Record<string, string> = {
      ProjectId: req.projectId,
      Type: req.type,
      // The official SDK sends the array as a JSON string ("json" style); the API deploys only the first entity.
      ObjectIds: JSON.stringify([req.objectId]),
    };
    if (req.description) body.Description = req.description;
    if (req.runMode !== undefined) body.RunMode = req.runMode;
    if (req.autoRunUntilStage !== undefined) body.AutoRunUntilStage = req.autoRunUntilStage;
    return this.call("CreatePipelineRun", body, (res) => requireId("CreatePipelineRun", res));
  }

  /** Reads a deployment process: its status and its stages in step order. */
  async getPipelineRun(req: { projectId: string; id: string }): Promise<PipelineRunInfo> {
    const res = await this.call("GetPipelineRun", { Id: req.id, ProjectId: req.projectId });
    const p = res.Pipeline as Record<string, unknown> | undefined;
    if (!p || typeof p !== "object") {
      throw new DataWorksApiError({
        action: "GetPipelineRun",
        code: "MalformedResponse",
        message: `answer has no Pipeline: ${JSON.stringify(res)}`,
        requestId: str(res.RequestId),
      });
    }
    const stages = (Array.isArray(p.Stages) ? (p.Stages as Record<string, unknown>[]) : [])
      .map((s, i) => ({
        code: str(s.Code) ?? "",
        step: typeof s.Step === "number" ? s.Step : Number(s.Step ?? i + 1),
        type: str(s.Type) ?? "",
        name: str(s.Name) ?? "",
        status: str(s.Status) ?? "",
        message: str(s.Message) ?? "",
      }))
      .sort((a, b) => a.step - b.step);
    return {
      id: str(p.Id) ?? req.id,
      status: str(p.Status) ?? "",
      message: str(p.Message) ?? "",
      stages,
      requestId: str(res.RequestId),
    };
  }

  /** Starts one stage of a deployment process (asynchronous: GetPipelineRun tells how it went). */
  async execPipelineRunStage(req: { projectId: string; id: string; code: string }): Promise<void> {
    await this.call("ExecPipelineRunStage", { ProjectId: req.projectId, Code: req.code, Id: req.id });
  }

  /** Reads a DI job (GetDIJob without details: the status is all the stack reads); undefined when it no longer exists. */
  async getDIJob(req: { projectId: string; id: string }): Promise<DiJobInfo | undefined> {
    const res = await this.read("GetDIJob", { Id: req.id, ProjectId: req.projectId, WithDetails: "false" });
    const j = res?.PagingInfo as Record<string, unknown> | undefined;
    if (!j) return undefined;
    return {
      id: str(j.Id) ?? str(j.DIJobId) ?? req.id,
      projectId: str(j.ProjectId) ?? req.projectId,
      name: str(j.JobName) ?? str(j.Name) ?? "",
      status: str(j.JobStatus) ?? "",
      migrationType: str(j.MigrationType) ?? "",
    };
  }

  /**
   * Starts a DI job (StartDIJob `Id`; `DIJobId` is deprecated). Without
   * `ForceToRerun` DataWorks starts only the steps not run yet, so a restart
   * never reloads a full load that already happened.
   */
  async startDIJob(req: { id: string }): Promise<void> {
    await this.call("StartDIJob", { Id: req.id });
  }

  /** Stops a DI job (StopDIJob `Id`). */
  async stopDIJob(req: { id: string }): Promise<void> {
    await this.call("StopDIJob", { Id: req.id });
  }

  /**
   * Creates a compute resource in a workspace; returns its id. After an unknown outcome, the
   * resource of that name in the workspace (names are unique there) is the one it made.
   */
  async createComputeResource(req: {
    projectId: string;
    name: string;
    type: string;
    connectionPropertiesMode: string;
    connectionProperties: string;
    description?: string;
  }): Promise<string> {
    const params: Record<string, string> = {
      ProjectId: req.projectId,
      Name: req.name,
      Type: req.type,
      ConnectionPropertiesMode: req.connectionPropertiesMode,
      ConnectionProperties: req.connectionProperties,
    };
    if (req.description) params.Description = req.description;
    return this.call("CreateComputeResource", params, (res) => requireId("CreateComputeResource", res), {
      recover: async () => (await this.listComputeResourcesByName({ projectId: req.projectId, name: req.name }))[0],
    });
  }

  /** Ids of the compute resources of a workspace named exactly `name` (ListComputeResources `Name`). */
  async listComputeResourcesByName(req: { projectId: string; name: string }): Promise<string[]> {
    const res = await this.call("ListComputeResources", { ProjectId: req.projectId, Name: req.name, PageSize: "100" });
    return page(res, "ComputeResources")
      .filter((g) => str(g.Name) === req.name)
      .flatMap((g) => (Array.isArray(g.ComputeResource) ? (g.ComputeResource as Record<string, unknown>[]) : []))
      .map((c) => str(c.Id) ?? "")
      .filter((id) => id !== "");
  }

  /** Reads a compute resource; undefined when it no longer exists. */
  async getComputeResource(req: { projectId: string; id: string }): Promise<ComputeResourceInfo | undefined> {
    const res = await this.read("GetComputeResource", { Id: req.id, ProjectId: req.projectId });
    const c = res?.ComputeResource as Record<string, unknown> | undefined;
    if (!c) return undefined;
    const props = typeof c.ConnectionProperties === "string" ? JSON.parse(c.ConnectionProperties) : (c.ConnectionProperties ?? {});
    return {
      id: str(c.Id) ?? req.id,
      projectId: str(c.ProjectId) ?? req.projectId,
      name: str(c.Name) ?? "",
      type: str(c.Type) ?? "",
      connectionPropertiesMode: str(c.ConnectionPropertiesMode) ?? "",
      connectionProperties: props as Record<string, unknown>,
      description: str(c.Description) ?? "",
    };
  }

  /** Updates a compute resource's connection and description in place. */
  async updateComputeResource(req: {
    projectId: string;
    id: string;
    connectionPropertiesMode: string;
    connectionProperties: string;
    description?: string;
  }): Promise<void> {
    await this.call("UpdateComputeResource", {
      Id: req.id,
      ProjectId: req.projectId,
      ConnectionPropertiesMode: req.connectionPropertiesMode,
      ConnectionProperties: req.connectionProperties,
      Description: req.description ?? "",
    });
  }

  /** Deletes a compute resource; one already gone counts as deleted. */
  async deleteComputeResource(req: { projectId: string; id: string }): Promise<void> {
    await this.remove("DeleteComputeResource", { Id: req.id, ProjectId: req.projectId });
  }

  /** Binds a resource group to a workspace (AssociateProjectToResourceGroup). */
  async associateProjectToResourceGroup(req: { projectId: string; resourceGroupId: string }): Promise<void> {
    await this.call("AssociateProjectToResourceGroup", { ProjectId: req.projectId, ResourceGroupId: req.resourceGroupId });
  }

  /** Unbinds a resource group from a workspace; a binding already gone counts as removed. */
  async dissociateProjectFromResourceGroup(req: { projectId: string; resourceGroupId: string }): Promise<void> {
    await this.remove("DissociateProjectFromResourceGroup", { ProjectId: req.projectId, ResourceGroupId: req.resourceGroupId });
  }

  /** The resource groups bound to a workspace (ListResourceGroups `ProjectId`, one page of 100). */
  async listProjectResourceGroups(req: { projectId: string }): Promise<ResourceGroupInfo[]> {
    const res = await this.call("ListResourceGroups", { ProjectId: req.projectId, PageSize: "100" });
    return page(res, "ResourceGroupList").map((g) => ({ id: str(g.Id) ?? "", name: str(g.Name) ?? "", status: str(g.Status) ?? "" }));
  }

  // Node alert rules (CreateAlertRule / GetAlertRule / UpdateAlertRule / DeleteAlertRule, 2024-05-18):
  // `TriggerCondition` and `Notification` are objects the official SDKs send as JSON strings in the
  // query ("shrink", json style: CreateAlertRuleRequest.java @ 0ef7d5375a524e4751ae4ac9b3253a50d9b3466f).

  /**
   * Creates a custom alert rule; returns its id. After an unknown outcome, a rule of the same name
   * and owner found by ListAlertRules is the one it made.
   */
  async createAlertRule(req: AlertRuleSpec): Promise<string> {
    return this.call("CreateAlertRule", alertRuleQuery(req), (res) => requireId("CreateAlertRule", res), {
      recover: async () => (await this.listAlertRulesByName({ name: req.name, owner: req.owner }))[0],
    });
  }

  /** Ids of the alert rules named exactly `name` (ListAlertRules `Name`, `Owner`; one page of 100). */
  async listAlertRulesByName(req: { name: string; owner?: string }): Promise<string[]> {
    const params: Record<string, string> = { Name: req.name, PageNumber: "1", PageSize: "100" };
    if (req.owner) params.Owner = req.owner;
    const res = await this.call("ListAlertRules", params);
    return page(res, "AlertRules")
      .filter((r) => str(r.Name) === req.name)
      .map((r) => str(r.Id) ?? "")
      .filter((id) => id !== "");
  }

  /** Reads an alert rule; undefined when it no longer exists. */
  async getAlertRule(id: string): Promise<(AlertRuleSpec & { id: string }) | undefined> {
    const res = await this.read("GetAlertRule", { Id: id });
    const r = res?.AlertRule as Record<string, unknown> | undefined;
    if (!r) return undefined;
    return {
      id: str(r.Id) ?? id,
      name: str(r.Name) ?? "",
      owner: str(r.Owner) ?? "",
      enabled: r.Enabled === true || r.Enabled === "true",
      triggerCondition: (r.TriggerCondition as Record<string, unknown>) ?? {},
      notification: (r.Notification as Record<string, unknown>) ?? {},
    };
  }

  /** Updates an alert rule in place (every field sent). */
  async updateAlertRule(id: string, req: AlertRuleSpec): Promise<void> {
    await this.call("UpdateAlertRule", { Id: id, ...alertRuleQuery(req) });
  }

  /** Deletes an alert rule; one already gone counts as deleted. */
  async deleteAlertRule(id: string): Promise<void> {
    await this.remove("DeleteAlertRule", { Id: id });
  }

  // Read-only lookups of `npm run verify` (providers/verify/collect.ts). Each reads one page of
  // at most 100: names are exact, so a match is on the first page. Shapes from the 2024-05-18 API
  // reference (help.aliyun.com/zh/dataworks/developer-reference/api-dataworks-public-2024-05-18-<action>):
  // ListProjects `Names` (JSON array) -> PagingInfo.Projects[].{Id, Name, Status};
  // ListDIJobs `ProjectId`, `Name` -> PagingInfo.DIJobs[].{DIJobId, JobName, JobStatus};
  // ListNodes `ProjectId`, `Name` -> PagingInfo.Nodes[].{Id, Name, CreateTime};
  // ListTaskInstances `ProjectId`, `Bizdate` (epoch ms of the business date), `TaskId`, `ProjectEnv`
  // -> PagingInfo.TaskInstances[].{Id, TaskId, Status, Bizdate, TriggerTime}.

  /** Workspaces with exactly this name (ListProjects `Names`). */
  async listProjectsByName(name: string): Promise<{ id: string; name: string; status: string }[]> {
    const res = await this.call("ListProjects", { Names: JSON.stringify([name]), PageSize: "100" });
    return page(res, "Projects")
      .map((p) => ({ id: str(p.Id) ?? "", name: str(p.Name) ?? "", status: str(p.Status) ?? "" }))
      .filter((p) => p.name === name);
  }

  /** DI jobs of a workspace named exactly `name` (ListDIJobs `Name` matches by substring). */
  async listDIJobsByName(req: { projectId: string; name: string }): Promise<DiJobInfo[]> {
    const res = await this.call("ListDIJobs", { ProjectId: req.projectId, Name: req.name, PageSize: "100" });
    return page(res, "DIJobs")
      .map((j) => ({
        id: str(j.DIJobId) ?? str(j.Id) ?? "",
        projectId: str(j.ProjectId) ?? req.projectId,
        name: str(j.JobName) ?? "",
        status: str(j.JobStatus) ?? "",
        migrationType: str(j.MigrationType) ?? "",
      }))
      .filter((j) => j.name === req.name);
  }

  /**
   * Every node of a workspace with its script path (ListNodes without `ContainerId`, pages of 100):
   * what a workflow's create looks through for the stack's own nodes from before workflows.
   */
  async listNodesWithPaths(req: { projectId: string }): Promise<{ id: string; name: string; path: string }[]> {
    const out: { id: string; name: string; path: string }[] = [];
    for (let pageNumber = 1; pageNumber <= 50; pageNumber++) {
      const res = await this.call("ListNodes", { ProjectId: req.projectId, PageNumber: String(pageNumber), PageSize: "100" });
      const nodes = page(res, "Nodes");
      out.push(
        ...nodes.map((n) => ({ id: str(n.Id) ?? "", name: str(n.Name) ?? "", path: str((n.Script as Record<string, unknown> | undefined)?.Path) ?? "" })),
      );
      if (nodes.length < 100) break;
    }
    return out;
  }

  /** Nodes of a workspace named exactly `name` (ListNodes `Name`), with their creation time (epoch ms). */
  async listNodesByName(req: { projectId: string; name: string }): Promise<{ id: string; name: string; createTime?: number; taskId: string }[]> {
    const res = await this.call("ListNodes", { ProjectId: req.projectId, Name: req.name, PageSize: "100" });
    return page(res, "Nodes")
      .map((n) => ({
        id: str(n.Id) ?? "",
        name: str(n.Name) ?? "",
        createTime: n.CreateTime === undefined ? undefined : Number(n.CreateTime),
        // The scheduling task id (after publishing), "" before: what ListTaskInstances and alert rules take, not `Id`.
        taskId: n.TaskId === undefined || n.TaskId === null ? "" : String(n.TaskId),
      }))
      .filter((n) => n.name === req.name);
  }

  /**
   * Production instances of one task for a business date (ListTaskInstances `TaskId`: the node's
   * scheduling task id, GetNode / ListNodes `TaskId`, not its 19-digit node `Id`).
   */
  async listTaskInstances(req: { projectId: string; taskId: string; bizdate: number }): Promise<{ id: string; status: string; triggerTime?: number }[]> {
    const res = await this.call("ListTaskInstances", {
      ProjectId: req.projectId,
      TaskId: req.taskId,
      Bizdate: String(req.bizdate),
      ProjectEnv: "Prod",
      PageSize: "100",
    });
    return page(res, "TaskInstances").map((i) => ({
      id: str(i.Id) ?? "",
      status: str(i.Status) ?? "",
      triggerTime: i.TriggerTime === undefined ? undefined : Number(i.TriggerTime),
    }));
  }

  /** A Get* call; undefined when DataWorks answers the object does not exist. */
  private async read(action: DataWorksAction, params: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.call(action, params);
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** A Delete or Dissociate call; an object already gone counts as removed. */
  private async remove(action: DataWorksAction, params: Record<string, string>): Promise<void> {
    try {
      await this.call(action, params);
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e)) return;
      throw e;
    }
  }

  /**
   * One action, sent as the official SDK sends it ({@link DATAWORKS_ACTIONS}: method, where the
   * parameters go), through the one retry policy: reads and writes are repeated after throttling,
   * a 5xx or no answer; a create only after throttling, or after `recover` found nothing.
   */
  private call(action: DataWorksAction, params: Record<string, string>): Promise<Record<string, unknown>>;
  private call<T>(
    action: DataWorksAction,
    params: Record<string, string>,
    read: (res: Record<string, unknown>) => T,
    o?: { recover?: () => Promise<T | undefined> },
  ): Promise<T>;
  private call<T>(
    action: DataWorksAction,
    params: Record<string, string>,
    read?: (res: Record<string, unknown>) => T,
    o: { recover?: () => Promise<T | undefined> } = {},
  ): Promise<T | Record<string, unknown>> {
    const shape: { method: "GET" | "POST"; in: "query" | "body"; query?: readonly string[]; kind: CallKind } = DATAWORKS_ACTIONS[action];
    const query: Record<string, string> = {};
    const body: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) {
      if (shape.in === "query" || shape.query?.includes(k)) query[k] = v;
      else body[k] = v;
    }
    return this.transport.call<T | Record<string, unknown>>(
      { action, method: shape.method, ...(Object.keys(query).length > 0 ? { query } : {}), ...(Object.keys(body).length > 0 ? { body } : {}) },
      { idempotent: shape.kind !== "create", ...(o.recover ? { recover: o.recover } : {}) },
      read,
    );
  }
}

/** `spec.nodes[0].name` of a FlowSpec; undefined when the text is not one. */
function specNodeName(spec: string): string | undefined {
  try {
    const name = (JSON.parse(spec) as { spec?: { nodes?: { name?: unknown }[] } }).spec?.nodes?.[0]?.name;
    return typeof name === "string" && name ? name : undefined;
  } catch {
    return undefined;
  }
}
