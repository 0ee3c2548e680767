/**
 * A thin client for the DataWorks OpenAPI 2024-05-18 node operations
 * (CreateNode, GetNode, UpdateNode, DeleteNode) and deployment processes
 * (CreatePipelineRun, GetPipelineRun, ExecPipelineRunStage) over Alibaba
 * Cloud's official generic client `@alicloud/openapi-client` (`callApi`: it
 * signs the request, ACS3-HMAC-SHA256 in the `Authorization` header; nothing
 * is signed here).
 *
 * Requests are shaped like the official `dataworks-public20240518` SDK's:
 * RPC style, pathname `/`, POST with a form body for Create/Update/Delete,
 * CreatePipelineRun (`ObjectIds` as a JSON array string) and
 * ExecPipelineRunStage (`ProjectId` in the query, `Id` and `Code` in the body),
 * GET with query parameters for GetNode and GetPipelineRun, JSON answers.
 *
 * Deploying (`runPipeline`): CreatePipelineRun, then GetPipelineRun every
 * poll interval until the process ends, calling ExecPipelineRunStage for the
 * next stage whenever the process waits on one (stages run in order, none
 * skipped or repeated). A process that ends `Fail`, `Termination` or `Cancel`,
 * or that is still going at the deadline, is an error naming the process, the
 * stage and the last request id.
 *
 * Errors carry the API's error code and request id. Throttling answers are
 * retried with bounded exponential backoff; nothing else is retried (a
 * CreateNode that failed for another reason may have half-happened).
 *
 * No Pulumi imports: the dynamic provider calls this inside its methods.
 */
import OpenApiClient, { Config, OpenApiRequest, Params } from "@alicloud/openapi-client";

/** The API version every call uses. */
export const DATAWORKS_API_VERSION = "2024-05-18";

/** Environment variable that points the client at another endpoint (tests: `http://127.0.0.1:PORT`). */
export const ENDPOINT_ENV = "PHOTO_ANALYTICS_DATAWORKS_ENDPOINT";

/** An AccessKey pair (with an STS token when temporary). Never logged, never stored in state. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

/**
 * Reads credentials the way the alicloud provider and the Alibaba Cloud SDKs
 * do: `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
 * (`ALIBABA_CLOUD_SECURITY_TOKEN`), then the provider's `ALICLOUD_ACCESS_KEY` /
 * `ALICLOUD_SECRET_KEY` (`ALICLOUD_SECURITY_TOKEN`), then `fallback` (the
 * stack's `alicloud:accessKey` / `alicloud:secretKey` config).
 */
export function resolveCredentials(env: Readonly<Record<string, string | undefined>>, fallback?: Partial<Credentials>): Credentials {
  const pairs: [string | undefined, string | undefined, string | undefined][] = [
    [env.ALIBABA_CLOUD_ACCESS_KEY_ID, env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, env.ALIBABA_CLOUD_SECURITY_TOKEN],
    [env.ALICLOUD_ACCESS_KEY, env.ALICLOUD_SECRET_KEY, env.ALICLOUD_SECURITY_TOKEN],
    [fallback?.accessKeyId, fallback?.accessKeySecret, fallback?.securityToken],
  ];
  for (const [id, secret, token] of pairs) {
    if (id && secret) return { accessKeyId: id, accessKeySecret: secret, ...(token ? { securityToken: token } : {}) };
  }
  throw new DataWorksApiError({
    action: "Credentials",
    code: "MissingCredentials",
    message:
      "no Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET " +
      "(or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY, or the alicloud:accessKey / alicloud:secretKey config)",
  });
}

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
export class DataWorksApiError extends Error {
  /** The API action, e.g. `CreateNode`. */
  readonly action: string;
  /** The API's error code, e.g. `Throttling.User`, `Invalid.Node.NotExists`. */
  readonly code: string;
  /** The request id the API answered with (quote it to Alibaba Cloud support). */
  readonly requestId?: string;
  /** HTTP status, when the API answered. */
  readonly statusCode?: number;
  /** The API's message, without decoration. */
  readonly apiMessage: string;

  constructor(e: { action: string; code: string; message: string; requestId?: string; statusCode?: number }) {
    super(
      `DataWorks ${e.action} failed: ${e.code}` +
        (e.statusCode !== undefined ? ` (HTTP ${e.statusCode})` : "") +
        `: ${e.message}` +
        (e.requestId ? ` [request id ${e.requestId}]` : ""),
    );
    this.name = "DataWorksApiError";
    this.action = e.action;
    this.code = e.code;
    this.requestId = e.requestId;
    this.statusCode = e.statusCode;
    this.apiMessage = e.message;
  }
}

/** Error codes (and prefixes) that mean "slow down": retried with backoff. */
export const THROTTLING_CODES = ["Throttling", "Throttling.User", "Throttling.Api", "Throttling.Concurrency", "ServiceUnavailable"];

/** Whether an API error is throttling (safe to retry: the request was refused before it ran). */
export function isThrottling(e: DataWorksApiError): boolean {
  return e.code.startsWith("Throttling") || THROTTLING_CODES.includes(e.code) || e.statusCode === 429;
}

/** Whether an API error says the node (or process) does not exist; an unknown AccessKey (`InvalidAccessKeyId.NotFound`) is not that. */
export function isNotFound(e: DataWorksApiError): boolean {
  if (/^InvalidAccessKey/i.test(e.code)) return false;
  return e.statusCode === 404 || /NotExist|NotFound/i.test(e.code);
}

/** Retry policy for throttling. */
export interface RetryPolicy {
  /** Attempts in all, first included. @default 5 */
  readonly maxAttempts: number;
  /** First backoff, in milliseconds; doubles each retry. @default 500 */
  readonly baseDelayMs: number;
  /** Longest single backoff, in milliseconds. @default 8000 */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8000 };

/** Backoff before retry number `retry` (1-based): base * 2^(retry-1), capped, with up to 20% jitter below. */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(raw * (1 - 0.2 * random()));
}

/** A DataWorks error that is not an API answer but the outcome of a deployment process (failed, stopped, timed out). */
export class DataWorksPipelineError extends DataWorksApiError {
  /** The deployment process (pipeline run) id. */
  readonly pipelineRunId: string;
  /** The process's last status (`Fail`, `Termination`, `Cancel`, or a running status when it timed out). */
  readonly pipelineStatus: string;
  /** The code of the stage the process stopped at, when known. */
  readonly stageCode?: string;

  constructor(e: { action: string; code: string; message: string; requestId?: string; pipelineRunId: string; pipelineStatus: string; stageCode?: string }) {
    super(e);
    this.name = "DataWorksPipelineError";
    this.pipelineRunId = e.pipelineRunId;
    this.pipelineStatus = e.pipelineStatus;
    this.stageCode = e.stageCode;
  }
}

/** Whether a deployment process is `Online` (deploy to production scheduling) or `Offline` (undeploy). */
export type PipelineRunType = "Online" | "Offline";

/** Statuses of a deployment process and of its stages (GetPipelineRun). */
export const PIPELINE_STATUSES = ["Init", "Running", "Success", "Fail", "Termination", "Cancel"] as const;
/** Statuses after which a process or a stage does not change any more, other than `Success`. */
export const PIPELINE_FAILED_STATUSES: readonly string[] = ["Fail", "Termination", "Cancel"];

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

/** How long to wait for a deployment process. */
export interface PipelinePolling {
  /** Pause between two GetPipelineRun calls, in milliseconds. */
  readonly intervalMs: number;
  /** Longest wait for the process to end, in milliseconds, counted from CreatePipelineRun. */
  readonly timeoutMs: number;
  /** Name of the setting that sets the timeout, quoted in the timeout error. */
  readonly timeoutSetting?: string;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The outcome of a deployment process that ended in `Success`. */
export interface PipelineRunResult {
  readonly pipelineRunId: string;
  readonly type: PipelineRunType;
  /** Stage codes this client advanced with ExecPipelineRunStage, in order. */
  readonly advancedStages: readonly string[];
}

/**
 * The stage a waiting process needs started: the first stage not yet
 * `Success`, when it is still `Init` and no stage is running. Undefined when
 * the process is busy or has nothing left.
 */
export function stageToAdvance(run: Pick<PipelineRunInfo, "stages">): PipelineStage | undefined {
  if (run.stages.some((s) => s.status === "Running")) return undefined;
  const next = run.stages.find((s) => s.status !== "Success");
  return next && next.status === "Init" ? next : undefined;
}

function describeStage(s: PipelineStage | undefined): string {
  if (!s) return "";
  return ` at stage ${s.code} (${s.type}${s.name ? ` "${s.name}"` : ""}, ${s.status})`;
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
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/** The DataWorks node API. */
/** The `Id` a Create* answer carries; a MalformedResponse error (with the request id) when it has none. */
function requireId(action: string, res: Record<string, unknown>): string {
  const id = str(res.Id)?.trim();
  if (!id) {
    throw new DataWorksApiError({ action, code: "MalformedResponse", message: `answer has no Id: ${JSON.stringify(res)}`, requestId: str(res.RequestId) });
  }
  return id;
}

export class DataWorksClient {
  private readonly caller: OpenApiCaller;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly timeouts: { connectTimeout: number; readTimeout: number };
  /** The host the client talks to (for error messages). */
  readonly endpoint: string;

  constructor(o: DataWorksClientOptions) {
    const { protocol, endpoint } = resolveEndpoint(o.region, o.env ?? process.env);
    this.endpoint = `${protocol.toLowerCase()}://${endpoint}`;
    this.retry = o.retry ?? DEFAULT_RETRY;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.timeouts = { connectTimeout: o.connectTimeoutMs ?? 10_000, readTimeout: o.readTimeoutMs ?? 30_000 };
    this.caller =
      o.caller ??
      new OpenApiClient(
        new Config({
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
      if (e instanceof DataWorksApiError && isNotFound(e)) return undefined;
      throw e;
    }
    const node = res.Node as Record<string, unknown> | undefined;
    if (!node) return undefined;
    return {
      id: str(node.Id) ?? req.id,
      name: str(node.Name) ?? "",
      projectId: str(node.ProjectId) ?? req.projectId,
      spec: typeof node.Spec === "string" ? node.Spec : JSON.stringify(node.Spec ?? {}),
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
      if (e instanceof DataWorksApiError && isNotFound(e)) return;
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

  /**
   * Runs a deployment process for one node to its end: CreatePipelineRun, then
   * GetPipelineRun every `polling.intervalMs`, starting each stage the process
   * waits on with ExecPipelineRunStage. Resolves when the process ends in
   * `Success`; throws a DataWorksPipelineError when it ends otherwise or is
   * still going after `polling.timeoutMs`.
   */
  async runPipeline(
    req: { projectId: string; type: PipelineRunType; objectId: string; description?: string },
    polling: PipelinePolling,
  ): Promise<PipelineRunResult> {
    const now = polling.now ?? Date.now;
    const started = now();
    const action = req.type === "Online" ? "Deploy" : "Undeploy";
    const what = `${req.type} deployment process`;
    const pipelineRunId = await this.createPipelineRun(req);
    const advanced: string[] = [];
    /** The stage last started here, and the error starting it when it failed (retried once the process is read again). */
    let execError: { code: string; error: DataWorksApiError } | undefined;
    for (;;) {
      const run = await this.getPipelineRun({ projectId: req.projectId, id: pipelineRunId });
      const failedStage = run.stages.find((s) => PIPELINE_FAILED_STATUSES.includes(s.status));
      if (run.status === "Success") return { pipelineRunId, type: req.type, advancedStages: advanced };
      if (PIPELINE_FAILED_STATUSES.includes(run.status) || failedStage) {
        const stage = failedStage ?? run.stages.find((s) => s.status !== "Success");
        const detail = [stage?.message, run.message].filter((m) => m && m.length > 0);
        throw new DataWorksPipelineError({
          action,
          code: `PipelineRun.${failedStage && !PIPELINE_FAILED_STATUSES.includes(run.status) ? failedStage.status : run.status}`,
          message:
            `${what} ${pipelineRunId} for node ${req.objectId} ended ${run.status}${describeStage(stage)}` +
            (detail.length > 0 ? `: ${[...new Set(detail)].join("; ")}` : ""),
          requestId: run.requestId,
          pipelineRunId,
          pipelineStatus: run.status,
          stageCode: stage?.code,
        });
      }
      const next = stageToAdvance(run);
      if (next) {
        if (execError && execError.code === next.code) throw execError.error;
        try {
          await this.execPipelineRunStage({ projectId: req.projectId, id: pipelineRunId, code: next.code });
          advanced.push(next.code);
          execError = undefined;
        } catch (e) {
          if (!(e instanceof DataWorksApiError)) throw e;
          // The stage may have started on its own meanwhile: read the process again before giving up.
          execError = { code: next.code, error: e };
        }
      }
      const elapsed = now() - started;
      if (elapsed >= polling.timeoutMs) {
        const current = run.stages.find((s) => s.status !== "Success");
        throw new DataWorksPipelineError({
          action,
          code: "PipelineRun.Timeout",
          message:
            `${what} ${pipelineRunId} for node ${req.objectId} is still ${run.status || "pending"}${describeStage(current)} ` +
            `after ${Math.round(elapsed / 1000)} s (limit ${polling.timeoutMs} ms` +
            (polling.timeoutSetting ? `, set by ${polling.timeoutSetting}` : "") +
            `); follow it in Data Studio (Deploy) and run the update again once it has finished`,
          requestId: run.requestId,
          pipelineRunId,
          pipelineStatus: run.status,
          stageCode: current?.code,
        });
      }
      await this.sleep(Math.min(polling.intervalMs, Math.max(0, polling.timeoutMs - elapsed)));
    }
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
    const params = new Params({
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
    const request = new OpenApiRequest({ ...(req.query ? { query: req.query } : {}), ...(req.body ? { body: req.body } : {}) });
    // The official client's own retries are off: throttling is retried here, with backoff.
    const runtime = { autoretry: false, maxAttempts: 1, ...this.timeouts } as Parameters<OpenApiClient["callApi"]>[2];
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.caller.callApi(params, request, runtime);
        return (res.body ?? {}) as Record<string, unknown>;
      } catch (e) {
        const err = this.mapError(action, e);
        if (isThrottling(err) && attempt < this.retry.maxAttempts) {
          await this.sleep(backoffMs(attempt, this.retry));
          continue;
        }
        if (isThrottling(err)) {
          throw new DataWorksApiError({
            action,
            code: err.code,
            statusCode: err.statusCode,
            requestId: err.requestId,
            message: `${err.apiMessage} (still throttled after ${attempt} attempts)`,
          });
        }
        throw err;
      }
    }
  }

  /** Maps what the official client throws to a DataWorksApiError. */
  private mapError(action: string, e: unknown): DataWorksApiError {
    if (e instanceof DataWorksApiError) return e;
    const x = (e ?? {}) as {
      code?: unknown;
      message?: unknown;
      statusCode?: unknown;
      data?: Record<string, unknown>;
    };
    const data = x.data ?? {};
    const status = typeof x.statusCode === "number" ? x.statusCode : typeof data.statusCode === "number" ? data.statusCode : undefined;
    if (status !== undefined) {
      const code = str(data.Code) ?? str(data.code) ?? str(x.code) ?? `HTTP${status}`;
      return new DataWorksApiError({
        action,
        code: code === "undefined" ? `HTTP${status}` : code,
        statusCode: status,
        requestId: str(data.RequestId) ?? str(data.requestId),
        message: str(data.Message) ?? str(data.message) ?? "no message",
      });
    }
    // No HTTP answer: connection refused, DNS, timeout, TLS.
    const code = typeof x.code === "string" && x.code ? x.code : "NetworkError";
    return new DataWorksApiError({
      action,
      code,
      message: `could not reach ${this.endpoint}: ${str(x.message) ?? String(e)}`,
    });
  }
}
