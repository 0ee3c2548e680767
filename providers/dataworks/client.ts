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
import type OpenApiClient from "@alicloud/openapi-client";
import type { Params, OpenApiRequest } from "@alicloud/openapi-client";

/** The OpenAPI SDK, loaded when a client is made: a plan (which never calls the API) does not load it. */
const openApi = () => require("@alicloud/openapi-client") as typeof import("@alicloud/openapi-client");
import { Credentials, resolveCredentials } from "../common/credentials";
import { AlibabaApiError, isNotFound as isNotFoundError, isThrottling, mapOpenApiError } from "../common/errors";
import { DEFAULT_RETRY, realSleep, RetryPolicy, withRetry } from "../common/retry";

export type { Credentials } from "../common/credentials";
export { isThrottling } from "../common/errors";
export { backoffMs, DEFAULT_RETRY } from "../common/retry";
export type { RetryPolicy } from "../common/retry";

/** The API version every call uses. */
export const DATAWORKS_API_VERSION = "2024-05-18";

/** Environment variable that points the client at another endpoint (tests: `http://127.0.0.1:PORT`). */
export const ENDPOINT_ENV = "PHOTO_ANALYTICS_DATAWORKS_ENDPOINT";

/** The DataWorks endpoint of a region, or the override from `PHOTO_ANALYTICS_DATAWORKS_ENDPOINT`. */
export function resolveEndpoint(region: string, env: Readonly<Record<string, string | undefined>>): { protocol: "HTTPS" | "HTTP"; endpoint: string } {
  const override = env[ENDPOINT_ENV];
  if (override) {
    const m = /^(https?):\/\/([^/]+)\/?$/i.exec(override);
    if (!m) {
      throw new Error(`${ENDPOINT_ENV}="${override}" must look like http://host:port or https://host`);
    }
    return { protocol: m[1].toUpperCase() as "HTTP" | "HTTPS", endpoint: m[2] };
  }
  if (!/^[a-z]{2}(-[a-z0-9]+)+$/.test(region)) {
    throw new Error(`region "${region}" is not an Alibaba Cloud region id (e.g. "cn-hangzhou")`);
  }
  return { protocol: "HTTPS", endpoint: `dataworks.${region}.aliyuncs.com` };
}

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

/** What `callApi` resolves to. */
interface CallApiResult {
  body?: unknown;
  statusCode?: number;
}

/** The slice of the official client this module uses (a seam for tests). */
export interface OpenApiCaller {
  callApi(params: Params, request: OpenApiRequest, runtime: Parameters<OpenApiClient["callApi"]>[2]): Promise<CallApiResult>;
}

/** Options of a DataWorks client. */
export interface DataWorksClientOptions {
  readonly region: string;
  /** Resolved credentials (providers/common/credentials.ts `resolveCredentials`). */
  readonly credentials: Credentials;
  /** @default process.env (for the endpoint override) */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly retry?: RetryPolicy;
  /** @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Socket timeouts, in milliseconds. @default 10000 connect, 30000 read */
  readonly connectTimeoutMs?: number;
  readonly readTimeoutMs?: number;
  /** Replaces the official client (unit tests only). */
  readonly caller?: OpenApiCaller;
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
    TriggerCondition: JSON.stringify(r.triggerCondition),
    Notification: JSON.stringify(r.notification),
  };
}

/** The DataWorks OpenAPI, one method per action the stack uses. */
export class DataWorksClient {
  private readonly caller: OpenApiCaller;
  private readonly retry: RetryPolicy;
  /** How the client waits (backoff, polling). */
  readonly sleep: (ms: number) => Promise<void>;
  private readonly timeouts: { connectTimeout: number; readTimeout: number };
  /** The host the client talks to (for error messages). */
  readonly endpoint: string;

  constructor(o: DataWorksClientOptions) {
    const { protocol, endpoint } = resolveEndpoint(o.region, o.env ?? process.env);
    this.endpoint = `${protocol.toLowerCase()}://${endpoint}`;
    this.retry = o.retry ?? DEFAULT_RETRY;
    this.sleep = o.sleep ?? realSleep;
    this.timeouts = { connectTimeout: o.connectTimeoutMs ?? 10_000, readTimeout: o.readTimeoutMs ?? 30_000 };
    this.caller =
      o.caller ??
      new (openApi().default)(
        new (openApi().Config)({
          accessKeyId: o.credentials.accessKeyId,
          accessKeySecret: o.credentials.accessKeySecret,
          securityToken: o.credentials.securityToken,
          endpoint,
          protocol,
          regionId: o.region,
          ...this.timeouts,
        }),
      );
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

  /** Creates a node from a FlowSpec; returns its id. */
  async createNode(req: { projectId: string; spec: string; scene: string; containerId?: string }): Promise<string> {
    const body: Record<string, string> = { ProjectId: req.projectId, Scene: req.scene, Spec: req.spec };
    if (req.containerId) body.ContainerId = req.containerId;
    return requireId("CreateNode", await this.call("CreateNode", "POST", { body }));
  }

  /** Reads a node; undefined when it no longer exists. */
  async getNode(req: { projectId: string; id: string }): Promise<DataWorksNodeInfo | undefined> {
    let res: Record<string, unknown>;
    try {
      res = await this.call("GetNode", "GET", { query: { Id: req.id, ProjectId: req.projectId } });
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e)) return undefined;
      throw e;
    }
    const node = res.Node as Record<string, unknown> | undefined;
    if (!node) return undefined;
    return {
      id: str(node.Id) ?? req.id,
      name: str(node.Name) ?? "",
      projectId: str(node.ProjectId) ?? req.projectId,
      spec: typeof node.Spec === "string" ? node.Spec : JSON.stringify(node.Spec ?? {}),
      ...(node.Owner !== undefined ? { owner: str(node.Owner) } : {}),
    };
  }

  /** Updates a node in place from a FlowSpec (DataWorks applies it as an incremental update). */
  async updateNode(req: { projectId: string; id: string; spec: string }): Promise<void> {
    const res = await this.call("UpdateNode", "POST", { body: { Id: req.id, ProjectId: req.projectId, Spec: req.spec } });
    this.requireSuccess("UpdateNode", res);
  }

  /** Deletes a node; a node already gone counts as deleted. */
  async deleteNode(req: { projectId: string; id: string }): Promise<void> {
    try {
      const res = await this.call("DeleteNode", "POST", { body: { Id: req.id, ProjectId: req.projectId } });
      this.requireSuccess("DeleteNode", res);
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e)) return;
      throw e;
    }
  }

  /** Starts a deployment process for one node (`Online` deploys it to production scheduling, `Offline` undeploys it); returns the process id. */
  async createPipelineRun(req: { projectId: string; type: PipelineRunType; objectId: string; description?: string }): Promise<string> {
    const body: Record<string, string> = {
      ProjectId: req.projectId,
      Type: req.type,
      // The official SDK sends the array as a JSON string ("json" style); the API deploys only the first entity.
      ObjectIds: JSON.stringify([req.objectId]),
    };
    if (req.description) body.Description = req.description;
    return requireId("CreatePipelineRun", await this.call("CreatePipelineRun", "POST", { body }));
  }

  /** Reads a deployment process: its status and its stages in step order. */
  async getPipelineRun(req: { projectId: string; id: string }): Promise<PipelineRunInfo> {
    const res = await this.call("GetPipelineRun", "GET", { query: { Id: req.id, ProjectId: req.projectId } });
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
    const res = await this.call("ExecPipelineRunStage", "POST", {
      query: { ProjectId: req.projectId },
      body: { Code: req.code, Id: req.id },
    });
    this.requireSuccess("ExecPipelineRunStage", res);
  }

  /** Reads a DI job (GetDIJob without details: the status is all the stack reads); undefined when it no longer exists. */
  async getDIJob(req: { projectId: string; id: string }): Promise<DiJobInfo | undefined> {
    let res: Record<string, unknown>;
    try {
      res = await this.call("GetDIJob", "GET", { query: { Id: req.id, ProjectId: req.projectId, WithDetails: "false" } });
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e)) return undefined;
      throw e;
    }
    const j = res.PagingInfo as Record<string, unknown> | undefined;
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
    this.requireSuccess("StartDIJob", await this.call("StartDIJob", "POST", { body: { Id: req.id } }));
  }

  /** Stops a DI job (StopDIJob `Id`). */
  async stopDIJob(req: { id: string }): Promise<void> {
    this.requireSuccess("StopDIJob", await this.call("StopDIJob", "POST", { body: { Id: req.id } }));
  }

  /** Creates a compute resource in a workspace; returns its id. */
  async createComputeResource(req: {
    projectId: string;
    name: string;
    type: string;
    connectionPropertiesMode: string;
    connectionProperties: string;
    description?: string;
  }): Promise<string> {
    const body: Record<string, string> = {
      ProjectId: req.projectId,
      Name: req.name,
      Type: req.type,
      ConnectionPropertiesMode: req.connectionPropertiesMode,
      ConnectionProperties: req.connectionProperties,
    };
    if (req.description) body.Description = req.description;
    return requireId("CreateComputeResource", await this.call("CreateComputeResource", "POST", { body }));
  }

  /** Reads a compute resource; undefined when it no longer exists. */
  async getComputeResource(req: { projectId: string; id: string }): Promise<ComputeResourceInfo | undefined> {
    let res: Record<string, unknown>;
    try {
      res = await this.call("GetComputeResource", "GET", { query: { Id: req.id, ProjectId: req.projectId } });
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e)) return undefined;
      throw e;
    }
    const c = res.ComputeResource as Record<string, unknown> | undefined;
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
    const body: Record<string, string> = {
      Id: req.id,
      ProjectId: req.projectId,
      ConnectionPropertiesMode: req.connectionPropertiesMode,
      ConnectionProperties: req.connectionProperties,
      Description: req.description ?? "",
    };
    this.requireSuccess("UpdateComputeResource", await this.call("UpdateComputeResource", "POST", { body }));
  }

  /** Deletes a compute resource; one already gone counts as deleted. */
  async deleteComputeResource(req: { projectId: string; id: string }): Promise<void> {
    try {
      this.requireSuccess("DeleteComputeResource", await this.call("DeleteComputeResource", "POST", { body: { Id: req.id, ProjectId: req.projectId } }));
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e)) return;
      throw e;
    }
  }

  /** Binds a resource group to a workspace (AssociateProjectToResourceGroup). */
  async associateProjectToResourceGroup(req: { projectId: string; resourceGroupId: string }): Promise<void> {
    const body = { ProjectId: req.projectId, ResourceGroupId: req.resourceGroupId };
    this.requireSuccess("AssociateProjectToResourceGroup", await this.call("AssociateProjectToResourceGroup", "POST", { body }));
  }

  /** Unbinds a resource group from a workspace; a binding already gone counts as removed. */
  async dissociateProjectFromResourceGroup(req: { projectId: string; resourceGroupId: string }): Promise<void> {
    const body = { ProjectId: req.projectId, ResourceGroupId: req.resourceGroupId };
    try {
      this.requireSuccess("DissociateProjectFromResourceGroup", await this.call("DissociateProjectFromResourceGroup", "POST", { body }));
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e)) return;
      throw e;
    }
  }

  /** The resource groups bound to a workspace (ListResourceGroups `ProjectId`, one page of 100). */
  async listProjectResourceGroups(req: { projectId: string }): Promise<ResourceGroupInfo[]> {
    const res = await this.call("ListResourceGroups", "GET", { query: { ProjectId: req.projectId, PageSize: "100" } });
    const page = (res.PagingInfo as Record<string, unknown> | undefined) ?? {};
    const list = Array.isArray(page.ResourceGroupList) ? (page.ResourceGroupList as Record<string, unknown>[]) : [];
    return list.map((g) => ({ id: str(g.Id) ?? "", name: str(g.Name) ?? "", status: str(g.Status) ?? "" }));
  }

  // Node alert rules (CreateAlertRule / GetAlertRule / UpdateAlertRule / DeleteAlertRule, 2024-05-18):
  // `TriggerCondition` and `Notification` are objects the official SDKs send as JSON strings in the
  // query ("shrink", json style: CreateAlertRuleRequest.java @ 0ef7d5375a524e4751ae4ac9b3253a50d9b3466f).

  /** Creates a custom alert rule; returns its id. */
  async createAlertRule(req: AlertRuleSpec): Promise<string> {
    return requireId("CreateAlertRule", await this.call("CreateAlertRule", "POST", { query: alertRuleQuery(req) }));
  }

  /** Reads an alert rule; undefined when it no longer exists. */
  async getAlertRule(id: string): Promise<(AlertRuleSpec & { id: string }) | undefined> {
    let res: Record<string, unknown>;
    try {
      res = await this.call("GetAlertRule", "GET", { query: { Id: id } });
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e)) return undefined;
      throw e;
    }
    const r = res.AlertRule as Record<string, unknown> | undefined;
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
    this.requireSuccess("UpdateAlertRule", await this.call("UpdateAlertRule", "POST", { query: { Id: id, ...alertRuleQuery(req) } }));
  }

  /** Deletes an alert rule; one already gone counts as deleted. */
  async deleteAlertRule(id: string): Promise<void> {
    try {
      this.requireSuccess("DeleteAlertRule", await this.call("DeleteAlertRule", "POST", { query: { Id: id } }));
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e)) return;
      throw e;
    }
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
    const res = await this.call("ListProjects", "GET", { query: { Names: JSON.stringify([name]), PageSize: "100" } });
    const page = (res.PagingInfo as Record<string, unknown> | undefined) ?? {};
    const list = Array.isArray(page.Projects) ? (page.Projects as Record<string, unknown>[]) : [];
    return list.map((p) => ({ id: str(p.Id) ?? "", name: str(p.Name) ?? "", status: str(p.Status) ?? "" })).filter((p) => p.name === name);
  }

  /** DI jobs of a workspace named exactly `name` (ListDIJobs `Name` matches by substring). */
  async listDIJobsByName(req: { projectId: string; name: string }): Promise<DiJobInfo[]> {
    const res = await this.call("ListDIJobs", "GET", { query: { ProjectId: req.projectId, Name: req.name, PageSize: "100" } });
    const page = (res.PagingInfo as Record<string, unknown> | undefined) ?? {};
    const list = Array.isArray(page.DIJobs) ? (page.DIJobs as Record<string, unknown>[]) : [];
    return list
      .map((j) => ({
        id: str(j.DIJobId) ?? str(j.Id) ?? "",
        projectId: str(j.ProjectId) ?? req.projectId,
        name: str(j.JobName) ?? "",
        status: str(j.JobStatus) ?? "",
        migrationType: str(j.MigrationType) ?? "",
      }))
      .filter((j) => j.name === req.name);
  }

  /** Nodes of a workspace named exactly `name` (ListNodes `Name`), with their creation time (epoch ms). */
  async listNodesByName(req: { projectId: string; name: string }): Promise<{ id: string; name: string; createTime?: number }[]> {
    const res = await this.call("ListNodes", "GET", { query: { ProjectId: req.projectId, Name: req.name, PageSize: "100" } });
    const page = (res.PagingInfo as Record<string, unknown> | undefined) ?? {};
    const list = Array.isArray(page.Nodes) ? (page.Nodes as Record<string, unknown>[]) : [];
    return list
      .map((n) => ({ id: str(n.Id) ?? "", name: str(n.Name) ?? "", createTime: n.CreateTime === undefined ? undefined : Number(n.CreateTime) }))
      .filter((n) => n.name === req.name);
  }

  /**
   * Production instances of one task for a business date (ListTaskInstances). A deployed node
   * is scheduled as the task of the same id (the id CreatePipelineRun deploys).
   */
  async listTaskInstances(req: { projectId: string; taskId: string; bizdate: number }): Promise<{ id: string; status: string; triggerTime?: number }[]> {
    const res = await this.call("ListTaskInstances", "GET", {
      query: { ProjectId: req.projectId, TaskId: req.taskId, Bizdate: String(req.bizdate), ProjectEnv: "Prod", PageSize: "100" },
    });
    const page = (res.PagingInfo as Record<string, unknown> | undefined) ?? {};
    const list = Array.isArray(page.TaskInstances) ? (page.TaskInstances as Record<string, unknown>[]) : [];
    return list.map((i) => ({
      id: str(i.Id) ?? "",
      status: str(i.Status) ?? "",
      triggerTime: i.TriggerTime === undefined ? undefined : Number(i.TriggerTime),
    }));
  }

  private requireSuccess(action: string, res: Record<string, unknown>): void {
    if (res.Success === false || res.Success === "false") {
      throw new DataWorksApiError({
        action,
        code: str(res.Code) ?? "Unsuccessful",
        message: str(res.Message) ?? "the API answered Success=false",
        requestId: str(res.RequestId),
      });
    }
  }

  /** One API call with throttling retries; errors mapped to DataWorksApiError. */
  private async call(
    action: string,
    method: "GET" | "POST",
    req: { query?: Record<string, string>; body?: Record<string, string> },
  ): Promise<Record<string, unknown>> {
    const params = new (openApi().Params)({
      action,
      version: DATAWORKS_API_VERSION,
      protocol: "HTTPS",
      pathname: "/",
      method,
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const request = new (openApi().OpenApiRequest)({ ...(req.query ? { query: req.query } : {}), ...(req.body ? { body: req.body } : {}) });
    // The official client's own retries are off: throttling is retried here, with backoff.
    const runtime = { autoretry: false, maxAttempts: 1, ...this.timeouts } as Parameters<OpenApiClient["callApi"]>[2];
    return withRetry(
      async () => {
        try {
          const res = await this.caller.callApi(params, request, runtime);
          return (res.body ?? {}) as Record<string, unknown>;
        } catch (e) {
          throw mapOpenApiError(e, { action, endpoint: this.endpoint }, (x) => new DataWorksApiError(x));
        }
      },
      {
        policy: this.retry,
        sleep: this.sleep,
        retryable: (e) => e instanceof AlibabaApiError && isThrottling(e),
        onGiveUp: (e, attempts) => {
          const err = e as AlibabaApiError;
          return new DataWorksApiError({
            action,
            code: err.code,
            statusCode: err.statusCode,
            requestId: err.requestId,
            message: `${err.apiMessage} (still throttled after ${attempts} attempts)`,
          });
        },
      },
    );
  }
}
