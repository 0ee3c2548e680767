/**
 * A client of the Realtime Compute for Apache Flink API (ververica 2022-07-18, ROA) for the two
 * calls the alicloud provider does not make before it deletes a job: GetJob and StopJob. The
 * official generic client `@alicloud/openapi-client` signs and sends them (no product SDK needed),
 * with the shapes of the official SDK (aliyun/alibabacloud-typescript-sdk ververica-20220718/src
 * @bd77cd0611a6a3ed1abe2d2b8450ff01bc94d32d, client.ts `getJobWithOptions`, `stopJobWithOptions`):
 * - GetJob: `GET /api/v2/namespaces/{namespace}/jobs/{jobId}`, header `workspace`;
 * - StopJob: `POST /api/v2/namespaces/{namespace}/jobs/{jobId}%3Astop` (the colon percent-encoded
 *   as the SDK sends it), header `workspace`, JSON body `{stopStrategy}` (StopJobRequestBody:
 *   `NONE`, `STOP_WITH_SAVEPOINT`, `STOP_WITH_DRAIN`; required);
 * - answers `{success, httpCode, requestId, errorCode, errorMessage, data: Job}`
 *   (GetJobResponseBody / StopJobResponseBody), `data.status.currentJobStatus` one of STARTING,
 *   RUNNING, CANCELLING, FAILED, CANCELLED, FINISHED (models/JobStatus.ts).
 * Endpoint `ververica.<region>.aliyuncs.com` (the SDK's endpoint map). Errors map to one
 * `AlibabaApiError` (service `Flink`); throttling is retried with backoff (providers/common/retry.ts).
 *
 * No Pulumi imports: the dynamic provider calls this inside its methods.
 */
import type { Params, OpenApiRequest } from "@alicloud/openapi-client";
import { Credentials } from "../common/credentials";
import { AlibabaApiError, isNotFound, isThrottling, mapOpenApiError } from "../common/errors";
import { DEFAULT_RETRY, realSleep, RetryPolicy, withRetry } from "../common/retry";

// Loaded when a client is built, not when this module is (serialized dynamic providers).
const openApi = () => require("@alicloud/openapi-client") as typeof import("@alicloud/openapi-client");

export const FLINK_API_VERSION = "2022-07-18";
/** Points the client at another endpoint (tests: `http://127.0.0.1:PORT`). */
export const FLINK_ENDPOINT_ENV = "PHOTO_ANALYTICS_FLINK_ENDPOINT";

/** `currentJobStatus` values after which a job no longer runs: DeleteJob takes it. */
export const FLINK_JOB_STOPPED_STATUSES: readonly string[] = ["CANCELLED", "FAILED", "FINISHED"];

/** The part of the official client the Flink client uses (tests pass a fake). */
export interface FlinkCaller {
  callApi(params: Params, request: OpenApiRequest, runtime: never): Promise<{ body?: unknown }>;
}

/** An error answered by the Flink API (or raised before reaching it). */
export class FlinkApiError extends AlibabaApiError {
  constructor(e: { action: string; code: string; message: string; requestId?: string; statusCode?: number }) {
    super({ service: "Flink", ...e });
    this.name = "FlinkApiError";
  }
}

/** A job as GetJob answers it (the parts the stack reads). */
export interface FlinkJobInfo {
  readonly jobId: string;
  readonly namespace: string;
  readonly workspace: string;
  /** `status.currentJobStatus`. */
  readonly status: string;
}

export interface FlinkClientOptions {
  readonly region: string;
  readonly credentials: Credentials;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly caller?: FlinkCaller;
  readonly retry?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

export class FlinkClient {
  private readonly caller: FlinkCaller;
  private readonly retry: RetryPolicy;
  /** How the client waits (backoff, polling). */
  readonly sleep: (ms: number) => Promise<void>;
  /** The host the client talks to (for error messages). */
  readonly endpoint: string;

  constructor(o: FlinkClientOptions) {
    const env = o.env ?? process.env;
    const override = env[FLINK_ENDPOINT_ENV];
    const m = override ? /^(https?):\/\/([^/]+)\/?$/i.exec(override) : null;
    if (override && !m) throw new Error(`${FLINK_ENDPOINT_ENV}="${override}" must look like http://host:port or https://host`);
    if (!m && !/^[a-z]{2}(-[a-z0-9]+)+$/.test(o.region)) throw new Error(`region "${o.region}" is not an Alibaba Cloud region id (e.g. "cn-hangzhou")`);
    const protocol = m ? m[1].toUpperCase() : "HTTPS";
    const host = m ? m[2] : `ververica.${o.region}.aliyuncs.com`;
    this.endpoint = `${protocol.toLowerCase()}://${host}`;
    this.retry = o.retry ?? DEFAULT_RETRY;
    this.sleep = o.sleep ?? realSleep;
    this.caller =
      o.caller ??
      (new (openApi().default)(
        new (openApi().Config)({
          accessKeyId: o.credentials.accessKeyId,
          accessKeySecret: o.credentials.accessKeySecret,
          securityToken: o.credentials.securityToken,
          endpoint: host,
          protocol,
          regionId: o.region,
          connectTimeout: 10_000,
          readTimeout: 30_000,
        }),
      ) as unknown as FlinkCaller);
  }

  /** The job, or undefined when the API answers it does not exist (`990301`, providers/common/errors.ts). */
  async getJob(req: { workspace: string; namespace: string; jobId: string }): Promise<FlinkJobInfo | undefined> {
    let body: Record<string, unknown>;
    try {
      body = await this.call("GetJob", "GET", req, `/api/v2/namespaces/${encodeURIComponent(req.namespace)}/jobs/${encodeURIComponent(req.jobId)}`);
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e, "Flink")) return undefined;
      throw e;
    }
    const data = (body.data ?? {}) as Record<string, unknown>;
    const status = (data.status ?? {}) as Record<string, unknown>;
    return {
      jobId: str(data.jobId) ?? req.jobId,
      namespace: str(data.namespace) ?? req.namespace,
      workspace: str(data.workspace) ?? req.workspace,
      status: str(status.currentJobStatus) ?? "",
    };
  }

  /** Asks the job to stop (StopJob); it is `CANCELLING`, then `CANCELLED`. */
  async stopJob(req: { workspace: string; namespace: string; jobId: string; stopStrategy: string }): Promise<void> {
    await this.call("StopJob", "POST", req, `/api/v2/namespaces/${encodeURIComponent(req.namespace)}/jobs/${encodeURIComponent(req.jobId)}%3Astop`, {
      stopStrategy: req.stopStrategy,
    });
  }

  private async call(
    action: string,
    method: "GET" | "POST",
    req: { workspace: string },
    pathname: string,
    body?: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const params = new (openApi().Params)({
      action,
      version: FLINK_API_VERSION,
      protocol: "HTTPS",
      pathname,
      method,
      authType: "AK",
      style: "ROA",
      reqBodyType: "json",
      bodyType: "json",
    });
    const request = new (openApi().OpenApiRequest)({ headers: { workspace: req.workspace }, ...(body ? { body } : {}) });
    const runtime = { autoretry: false, maxAttempts: 1 } as never;
    return withRetry(
      async () => {
        let res: Record<string, unknown>;
        try {
          res = ((await this.caller.callApi(params, request, runtime)).body ?? {}) as Record<string, unknown>;
        } catch (e) {
          // The API answers its own fields (errorCode, errorMessage, requestId), which the generic client leaves in `data`.
          const data = ((e ?? {}) as { data?: Record<string, unknown> }).data;
          if (data && data.errorCode !== undefined) {
            throw new FlinkApiError({
              action,
              code: String(data.errorCode),
              message: str(data.errorMessage) ?? "no message",
              requestId: str(data.requestId),
              statusCode: typeof data.statusCode === "number" ? data.statusCode : typeof data.httpCode === "number" ? data.httpCode : undefined,
            });
          }
          throw mapOpenApiError(e, { action, endpoint: this.endpoint }, (x) => new FlinkApiError(x));
        }
        if (res.success === false) {
          throw new FlinkApiError({
            action,
            code: str(res.errorCode) ?? "Unsuccessful",
            message: str(res.errorMessage) ?? "success: false",
            requestId: str(res.requestId),
            statusCode: typeof res.httpCode === "number" ? res.httpCode : undefined,
          });
        }
        return res;
      },
      { policy: this.retry, sleep: this.sleep, retryable: (e) => e instanceof AlibabaApiError && isThrottling(e) },
    );
  }
}
