/**
 * A read-only client of the DTS OpenAPI (2020-01-01) over the official generic client
 * `@alicloud/openapi-client` (RPC style, ACS3-HMAC-SHA256 signed by the client): the one call
 * `npm run verify` makes, DescribeDtsJobs, to find the realtime job by name and read its status
 * and delay. No product SDK is needed.
 *
 * DescribeDtsJobs (https://help.aliyun.com/zh/dts/developer-reference/api-describedtsjobs):
 * `JobType` MIGRATION | SYNC | SUBSCRIBE, `Type` name | instance | srcRds | rds with the value in
 * `Params` ("name: query by DTS instance name, fuzzy"), `Region` (required), `PageSize`; answers
 * `DtsJobList[].{DtsJobId, DtsJobName, Status, Delay}` (Delay: incremental latency, milliseconds).
 */
import type { Credentials } from "../common/credentials";
import { AlibabaApiError } from "../common/errors";
import { OpenApiCaller, openApiEndpoint, OpenApiTransport } from "../common/openapi";
import type { RetryPolicy } from "../common/retry";

export const DTS_API_VERSION = "2020-01-01";

/** Points the client at another endpoint (tests: `http://127.0.0.1:PORT`). */
export const DTS_ENDPOINT_ENV = "PHOTO_ANALYTICS_DTS_ENDPOINT";

/** A DTS job as DescribeDtsJobs lists it (the parts verify reads). */
export interface DtsJobInfo {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  /** Incremental delay, milliseconds. */
  readonly delayMs?: number;
}

export class DtsApiError extends AlibabaApiError {
  constructor(e: { action: string; code: string; message: string; requestId?: string; statusCode?: number }) {
    super({ service: "DTS", ...e });
    this.name = "DtsApiError";
  }
}

export class DtsClient {
  private readonly transport: OpenApiTransport;
  /** `https://dts.<region>.aliyuncs.com`, or the override. */
  readonly endpoint: string;

  constructor(
    private readonly region: string,
    credentials: Credentials,
    env: Readonly<Record<string, string | undefined>> = process.env,
    o: { readTimeoutMs?: number; caller?: OpenApiCaller; retry?: RetryPolicy; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    this.transport = new OpenApiTransport({
      version: DTS_API_VERSION,
      endpoint: openApiEndpoint(DTS_ENDPOINT_ENV, env, `dts.${region}.aliyuncs.com`),
      credentials,
      region,
      error: (x) => new DtsApiError(x),
      // DescribeDtsJobs answers some refusals with HTTP 200 and `Success: false` (ErrCode/ErrMessage).
      refusal: (action, res) =>
        res.Success === false || res.Success === "false"
          ? new DtsApiError({
              action,
              code: String(res.ErrCode ?? res.Code ?? "Unsuccessful"),
              message: String(res.ErrMessage ?? res.Message ?? "Success: false"),
              requestId: res.RequestId === undefined ? undefined : String(res.RequestId),
            })
          : undefined,
      readTimeoutMs: o.readTimeoutMs,
      env,
      caller: o.caller,
      retry: o.retry,
      sleep: o.sleep,
    });
    this.endpoint = this.transport.endpoint;
  }

  /** Synchronization jobs named exactly `name`. */
  async describeSyncJobsByName(name: string): Promise<DtsJobInfo[]> {
    // As the official SDK sends it (dts-20200101 src/client.ts @06a71f93): POST, every parameter in the query.
    const query = { RegionId: this.region, Region: this.region, JobType: "SYNC", Type: "name", Params: name, PageSize: "20" };
    const body = await this.transport.call({ action: "DescribeDtsJobs", method: "POST", query }, { idempotent: true });
    const list = Array.isArray(body.DtsJobList) ? (body.DtsJobList as Record<string, unknown>[]) : [];
    return list
      .map((j) => ({
        id: String(j.DtsJobId ?? ""),
        name: String(j.DtsJobName ?? ""),
        status: String(j.Status ?? ""),
        ...(j.Delay === undefined || j.Delay === null ? {} : { delayMs: Number(j.Delay) }),
      }))
      .filter((j) => j.name === name);
  }
}
