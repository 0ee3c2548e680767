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
import OpenApiClient, { Config, OpenApiRequest, Params } from "@alicloud/openapi-client";
import type { Credentials } from "../common/credentials";
import { AlibabaApiError, isThrottling, mapOpenApiError } from "../common/errors";
import { DEFAULT_RETRY, withRetry } from "../common/retry";
import type { OpenApiCaller } from "../dataworks/client";

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
  private readonly caller: OpenApiCaller;
  /** `https://dts.<region>.aliyuncs.com`, or the override. */
  readonly endpoint: string;

  constructor(
    private readonly region: string,
    credentials: Credentials,
    env: Readonly<Record<string, string | undefined>> = process.env,
    o: { readTimeoutMs?: number; caller?: OpenApiCaller } = {},
  ) {
    const override = env[DTS_ENDPOINT_ENV];
    const m = override ? /^(https?):\/\/([^/]+)\/?$/i.exec(override) : null;
    if (override && !m) throw new Error(`${DTS_ENDPOINT_ENV}="${override}" must look like http://host:port or https://host`);
    const protocol = m ? m[1].toUpperCase() : "HTTPS";
    const host = m ? m[2] : `dts.${region}.aliyuncs.com`;
    this.endpoint = `${protocol.toLowerCase()}://${host}`;
    this.caller =
      o.caller ??
      new OpenApiClient(
        new Config({
          accessKeyId: credentials.accessKeyId,
          accessKeySecret: credentials.accessKeySecret,
          securityToken: credentials.securityToken,
          endpoint: host,
          protocol,
          regionId: region,
          connectTimeout: 10_000,
          readTimeout: o.readTimeoutMs ?? 20_000,
        }),
      );
  }

  /** Synchronization jobs named exactly `name`. */
  async describeSyncJobsByName(name: string): Promise<DtsJobInfo[]> {
    const params = new Params({
      action: "DescribeDtsJobs",
      version: DTS_API_VERSION,
      protocol: "HTTPS",
      pathname: "/",
      method: "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const query = { RegionId: this.region, Region: this.region, JobType: "SYNC", Type: "name", Params: name, PageSize: "20" };
    const body = await withRetry(
      async () => {
        try {
          return ((await this.caller.callApi(params, new OpenApiRequest({ query }), { autoretry: false, maxAttempts: 1 } as never)).body ?? {}) as Record<
            string,
            unknown
          >;
        } catch (e) {
          throw mapOpenApiError(e, { action: "DescribeDtsJobs", endpoint: this.endpoint }, (x) => new DtsApiError(x));
        }
      },
      { policy: { ...DEFAULT_RETRY, maxAttempts: 2 }, retryable: (e) => e instanceof AlibabaApiError && isThrottling(e) },
    );
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
