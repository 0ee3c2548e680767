/**
 * The error shape of every Alibaba Cloud API the dynamic providers call
 * (DataWorks, SLS, MaxCompute, DTS): the action, the API's error code, the
 * request id to quote to support, the HTTP status, and the API's own message.
 * Also the mapping from what the official `@alicloud/openapi-client` throws,
 * and the two questions every provider asks of an error: "slow down?"
 * (throttling, retried by ./retry.ts) and "gone?" (a delete that is already
 * done, a read that drops the resource from state).
 *
 * No Pulumi imports; nothing at load time but this module (dynamic providers
 * are serialized with their closures).
 */

/** An error answered by an Alibaba Cloud API (or raised before reaching it), with code and request id. */
export class AlibabaApiError extends Error {
  /** The product, e.g. `DataWorks`. */
  readonly service: string;
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

  constructor(e: { service: string; action: string; code: string; message: string; requestId?: string; statusCode?: number }) {
    super(
      `${e.service} ${e.action} failed: ${e.code}` +
        (e.statusCode !== undefined ? ` (HTTP ${e.statusCode})` : "") +
        `: ${e.message}` +
        (e.requestId ? ` [request id ${e.requestId}]` : ""),
    );
    this.name = "AlibabaApiError";
    this.service = e.service;
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
export function isThrottling(e: Pick<AlibabaApiError, "code" | "statusCode">): boolean {
  return e.code.startsWith("Throttling") || THROTTLING_CODES.includes(e.code) || e.statusCode === 429;
}

/**
 * Whether an API error says the object does not exist. An unknown AccessKey
 * (`InvalidAccessKeyId.NotFound`) is not that: treating it as "gone" would drop
 * live resources from state.
 */
export function isNotFound(e: Pick<AlibabaApiError, "code" | "statusCode">, extraCodes: readonly string[] = []): boolean {
  if (/^InvalidAccessKey/i.test(e.code)) return false;
  return e.statusCode === 404 || /NotExist|NotFound/i.test(e.code) || extraCodes.includes(e.code);
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/**
 * Maps what `@alicloud/openapi-client` throws to an error built by `make`:
 * an HTTP answer keeps its code, status, message and request id; no answer
 * (connection refused, DNS, timeout, TLS) names the endpoint.
 */
export function mapOpenApiError<E extends AlibabaApiError>(
  e: unknown,
  ctx: { action: string; endpoint: string },
  make: (x: { action: string; code: string; message: string; requestId?: string; statusCode?: number }) => E,
): E | AlibabaApiError {
  if (e instanceof AlibabaApiError) return e;
  const x = (e ?? {}) as { code?: unknown; message?: unknown; statusCode?: unknown; data?: Record<string, unknown> };
  const data = x.data ?? {};
  const status = typeof x.statusCode === "number" ? x.statusCode : typeof data.statusCode === "number" ? data.statusCode : undefined;
  if (status !== undefined) {
    const code = str(data.Code) ?? str(data.code) ?? str(x.code) ?? `HTTP${status}`;
    return make({
      action: ctx.action,
      code: code === "undefined" ? `HTTP${status}` : code,
      statusCode: status,
      requestId: str(data.RequestId) ?? str(data.requestId),
      message: str(data.Message) ?? str(data.message) ?? "no message",
    });
  }
  const code = typeof x.code === "string" && x.code ? x.code : "NetworkError";
  return make({ action: ctx.action, code, message: `could not reach ${ctx.endpoint}: ${str(x.message) ?? String(e)}` });
}
