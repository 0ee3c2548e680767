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
import { Credentials } from "../common/credentials";
import { AlibabaApiError, isNotFound } from "../common/errors";
import { OpenApiCaller, openApiEndpoint, OpenApiTransport, requireRegionId } from "../common/openapi";
import { RetryPolicy } from "../common/retry";

export const FLINK_API_VERSION = "2022-07-18";
/** Points the client at another endpoint (tests: `http://127.0.0.1:PORT`). */
export const FLINK_ENDPOINT_ENV = "PHOTO_ANALYTICS_FLINK_ENDPOINT";

/** `currentJobStatus` values after which a job no longer runs: DeleteJob takes it. */
export const FLINK_JOB_STOPPED_STATUSES: readonly string[] = ["CANCELLED", "FAILED", "FINISHED"];

/** The part of the official client the Flink client uses (tests pass a fake). */
export type FlinkCaller = OpenApiCaller;

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
  private readonly transport: OpenApiTransport;
  /** How the client waits (backoff, polling). */
  readonly sleep: (ms: number) => Promise<void>;
  /** The host the client talks to (for error messages). */
  readonly endpoint: string;

  constructor(o: FlinkClientOptions) {
    const env = o.env ?? process.env;
    if (!env[FLINK_ENDPOINT_ENV]) requireRegionId(o.region);
    this.transport = new OpenApiTransport({
      version: FLINK_API_VERSION,
      endpoint: openApiEndpoint(FLINK_ENDPOINT_ENV, env, `ververica.${o.region}.aliyuncs.com`),
      credentials: o.credentials,
      region: o.region,
      error: (x) => new FlinkApiError(x),
      // The API may answer a refusal with HTTP 200 and `success: false` (GetJobResponseBody / StopJobResponseBody).
      refusal: (action, res) =>
        res.success === false
          ? new FlinkApiError({
              action,
              code: str(res.errorCode) ?? "Unsuccessful",
              message: str(res.errorMessage) ?? "success: false",
              requestId: str(res.requestId),
              statusCode: typeof res.httpCode === "number" ? res.httpCode : undefined,
            })
          : undefined,
      env,
      caller: o.caller,
      retry: o.retry,
      sleep: o.sleep,
    });
    this.sleep = this.transport.sleep;
    this.endpoint = this.transport.endpoint;
  }

  /** The job, or undefined when the API answers it does not exist (`990301`, providers/common/errors.ts). */
  async getJob(req: { workspace: string; namespace: string; jobId: string }): Promise<FlinkJobInfo | undefined> {
    let body: Record<string, unknown>;
    try {
      body = await this.transport.call(
        { action: "GetJob", method: "GET", style: "ROA", pathname: jobPath(req), headers: { workspace: req.workspace } },
        { idempotent: true },
      );
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

  /**
   * Asks the job to stop (StopJob); it is `CANCELLING`, then `CANCELLED`. Sent again after an
   * unknown outcome: a repeat on a job already stopping is refused, and ./job-stop.ts reads the
   * job's status then.
   */
  async stopJob(req: { workspace: string; namespace: string; jobId: string; stopStrategy: string }): Promise<void> {
    await this.transport.call(
      {
        action: "StopJob",
        method: "POST",
        style: "ROA",
        pathname: `${jobPath(req)}%3Astop`,
        headers: { workspace: req.workspace },
        body: { stopStrategy: req.stopStrategy },
      },
      { idempotent: true },
    );
  }
}

/** `/api/v2/namespaces/{namespace}/jobs/{jobId}`, as the SDK builds it. */
function jobPath(req: { namespace: string; jobId: string }): string {
  return `/api/v2/namespaces/${encodeURIComponent(req.namespace)}/jobs/${encodeURIComponent(req.jobId)}`;
}
