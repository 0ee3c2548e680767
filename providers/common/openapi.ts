/**
 * The one way the clients of Alibaba Cloud's OpenAPI products (DataWorks, DTS, Realtime Compute,
 * BSS) send a call: the official generic client `@alicloud/openapi-client` (`callApi`: it signs,
 * ACS3-HMAC-SHA256; nothing is signed here) with its own retries off, every error mapped to the
 * client's {@link AlibabaApiError} (./errors.ts), throttling, 5xx and no answer retried by the one
 * policy (./retry.ts `retryCall`), and an answer returned as its JSON object.
 *
 * Endpoints: `https://<product>.<region>.aliyuncs.com`, or the product's override variable
 * (`PHOTO_ANALYTICS_<PRODUCT>_ENDPOINT=http://host:port`, how tests reach a local fake).
 *
 * No Pulumi imports; the SDK is loaded when a transport is made (a plan never loads it).
 */
import type OpenApiClient from "@alicloud/openapi-client";
import type { OpenApiRequest, Params } from "@alicloud/openapi-client";
import type { Credentials } from "./credentials";
import { AlibabaApiError, mapOpenApiError } from "./errors";
import { parseApiJson } from "./json";
import { CallRetry, readTimeoutFromEnv, realSleep, retryCall, retryPolicyFromEnv, RetryPolicy } from "./retry";

const openApi = () => require("@alicloud/openapi-client") as typeof import("@alicloud/openapi-client");

/** What `callApi` resolves to. */
export interface CallApiResult {
  body?: unknown;
  statusCode?: number;
}

/** The slice of the official client a transport uses (a seam for tests). */
export interface OpenApiCaller {
  callApi(params: Params, request: OpenApiRequest, runtime: Parameters<OpenApiClient["callApi"]>[2]): Promise<CallApiResult>;
}

/** Where a product is reached. */
export interface OpenApiEndpoint {
  readonly protocol: "HTTPS" | "HTTP";
  /** `host[:port]`. */
  readonly host: string;
}

/**
 * The endpoint of a product: the override from `env[overrideEnv]` (`http(s)://host[:port]`), else
 * HTTPS to `defaultHost`. Throws naming a malformed override.
 */
export function openApiEndpoint(overrideEnv: string, env: Readonly<Record<string, string | undefined>>, defaultHost: string): OpenApiEndpoint {
  const override = env[overrideEnv];
  if (override) {
    const m = /^(https?):\/\/([^/]+)\/?$/i.exec(override);
    if (!m) throw new Error(`${overrideEnv}="${override}" must look like http://host:port or https://host`);
    return { protocol: m[1].toUpperCase() as "HTTP" | "HTTPS", host: m[2] };
  }
  return { protocol: "HTTPS", host: defaultHost };
}

/** Throws unless `region` looks like an Alibaba Cloud region id. */
export function requireRegionId(region: string): void {
  if (!/^[a-z]{2}(-[a-z0-9]+)+$/.test(region)) throw new Error(`region "${region}" is not an Alibaba Cloud region id (e.g. "cn-hangzhou")`);
}

/** The fields every mapped error carries. */
export type ApiErrorFields = { action: string; code: string; message: string; requestId?: string; statusCode?: number };

export interface OpenApiTransportOptions {
  readonly version: string;
  readonly endpoint: OpenApiEndpoint;
  readonly credentials: Credentials;
  readonly region?: string;
  /** Builds the client's error type. */
  readonly error: (x: ApiErrorFields) => AlibabaApiError;
  /**
   * An HTTP 200 answer that is a refusal (`Success: false`, `success: false`): the error to throw,
   * or undefined when the answer is a success.
   */
  readonly refusal?: (action: string, body: Record<string, unknown>) => AlibabaApiError | undefined;
  /** @default DEFAULT_RETRY, or its `PHOTO_ANALYTICS_RETRY_BASE_MS` override */
  readonly retry?: RetryPolicy;
  /** @default a real sleep */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Socket timeouts, in milliseconds. @default read: `PHOTO_ANALYTICS_API_READ_TIMEOUT_MS`, else 30000; connect: 10000, or the read timeout when shorter */
  readonly connectTimeoutMs?: number;
  readonly readTimeoutMs?: number;
  /** @default process.env (the retry and timeout overrides) */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Replaces the official client (unit tests only). */
  readonly caller?: OpenApiCaller;
}

/** One call: what the official SDK sends for the action. */
export interface OpenApiCall {
  readonly action: string;
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** @default "RPC" */
  readonly style?: "RPC" | "ROA";
  /** @default "/" */
  readonly pathname?: string;
  readonly query?: Readonly<Record<string, string>>;
  /** An RPC form body (strings), or a ROA JSON body. */
  readonly body?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
}

/** An answer's body as an object: JSON text parsed without losing digits; an object as it is; anything else empty. */
function answerObject(body: unknown): Record<string, unknown> {
  const v = typeof body === "string" ? (body.trim() === "" ? {} : parseApiJson(body)) : body;
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Sends OpenAPI calls for one client. */
export class OpenApiTransport {
  private readonly caller: OpenApiCaller;
  private readonly retry: RetryPolicy;
  /** How the client waits (backoff, polling). */
  readonly sleep: (ms: number) => Promise<void>;
  private readonly timeouts: { connectTimeout: number; readTimeout: number };
  /** `http(s)://host[:port]` (for messages). */
  readonly endpoint: string;

  constructor(private readonly o: OpenApiTransportOptions) {
    const env = o.env ?? process.env;
    this.endpoint = `${o.endpoint.protocol.toLowerCase()}://${o.endpoint.host}`;
    this.retry = o.retry ?? retryPolicyFromEnv(env);
    this.sleep = o.sleep ?? realSleep;
    const readTimeout = o.readTimeoutMs ?? readTimeoutFromEnv(env, 30_000);
    // httpx times a reused (keep-alive) socket with the connect timeout, not the read timeout: never longer than the read timeout.
    this.timeouts = { connectTimeout: o.connectTimeoutMs ?? Math.min(10_000, readTimeout), readTimeout };
    this.caller =
      o.caller ??
      new (openApi().default)(
        new (openApi().Config)({
          accessKeyId: o.credentials.accessKeyId,
          accessKeySecret: o.credentials.accessKeySecret,
          securityToken: o.credentials.securityToken,
          endpoint: o.endpoint.host,
          protocol: o.endpoint.protocol,
          ...(o.region ? { regionId: o.region } : {}),
          ...this.timeouts,
        }),
      );
  }

  /**
   * Sends `c` until it succeeds or fails for good (./retry.ts): `retry.idempotent` says whether
   * a repeat is harmless, `retry.recover` (a create) looks for what an attempt with an unknown
   * outcome made. Resolves to the answer's JSON object.
   */
  async call<T = Record<string, unknown>>(
    c: OpenApiCall,
    retry: Omit<CallRetry<T>, "policy" | "sleep">,
    read?: (body: Record<string, unknown>) => T,
  ): Promise<T> {
    const style = c.style ?? "RPC";
    const params = new (openApi().Params)({
      action: c.action,
      version: this.o.version,
      protocol: "HTTPS",
      pathname: c.pathname ?? "/",
      method: c.method,
      authType: "AK",
      style,
      reqBodyType: style === "RPC" ? "formData" : "json",
      // The text, parsed here without losing digits (./json.ts): ids beyond 2^53 stay exact.
      bodyType: "string",
    });
    const request = new (openApi().OpenApiRequest)({
      ...(c.query ? { query: { ...c.query } } : {}),
      ...(c.body ? { body: { ...c.body } } : {}),
      ...(c.headers ? { headers: { ...c.headers } } : {}),
    });
    // The official client's own retries are off: ./retry.ts retries, with backoff.
    const runtime = { autoretry: false, maxAttempts: 1, ...this.timeouts } as Parameters<OpenApiClient["callApi"]>[2];
    return retryCall<T>(
      async () => {
        let raw: unknown;
        try {
          raw = (await this.caller.callApi(params, request, runtime)).body;
        } catch (e) {
          throw mapOpenApiError(e, { action: c.action, endpoint: this.endpoint }, (x) => this.o.error(x));
        }
        let body: Record<string, unknown>;
        try {
          body = answerObject(raw);
        } catch (e) {
          throw this.o.error({ action: c.action, code: "MalformedResponse", message: `the answer is not JSON: ${(e as Error).message}` });
        }
        const refused = this.o.refusal?.(c.action, body);
        if (refused) throw refused;
        return read ? read(body) : (body as T);
      },
      { ...retry, policy: this.retry, sleep: this.sleep },
    );
  }
}
