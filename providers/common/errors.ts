/**
 * The error shape of every Alibaba Cloud API the dynamic providers call
 * (DataWorks, SLS, MaxCompute, DataHub, DTS, Flink): the action, the API's error code, the
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
    super(apiErrorMessage(e));
    this.name = "AlibabaApiError";
    this.service = e.service;
    this.action = e.action;
    this.code = e.code;
    this.requestId = e.requestId;
    this.statusCode = e.statusCode;
    this.apiMessage = e.message;
  }
}

function apiErrorMessage(e: { service: string; action: string; code: string; message: string; requestId?: string; statusCode?: number }): string {
  return (
    `${e.service} ${e.action} failed: ${e.code}` +
    (e.statusCode !== undefined ? ` (HTTP ${e.statusCode})` : "") +
    `: ${e.message}` +
    (e.requestId ? ` [request id ${e.requestId}]` : "")
  );
}

/**
 * The same error (same class, same fields) with `note` after the API's message, e.g.
 * `still throttled after 5 attempts`.
 */
export function withNote<E extends AlibabaApiError>(e: E, note: string): E {
  const copy = Object.create(Object.getPrototypeOf(e)) as E;
  Object.assign(copy, e);
  const apiMessage = `${e.apiMessage} (${note})`;
  Object.defineProperty(copy, "apiMessage", { value: apiMessage, enumerable: true });
  Object.defineProperty(copy, "message", { value: apiErrorMessage({ ...e, message: apiMessage }), enumerable: false, writable: true, configurable: true });
  copy.stack = `${copy.name}: ${copy.message}\n${(e.stack ?? "").split("\n").slice(1).join("\n")}`;
  return copy;
}

/**
 * Error codes (and prefixes) that mean "slow down": retried with backoff. `LimitExceeded` is
 * DataHub's (aliyun/aliyun-datahub-sdk-python datahub/exceptions.py
 * @888ed4300b322048f56193e00ce9c5b10e5c0354: LimitExceededException); SLS and MaxCompute answer
 * HTTP 429 or the OpenAPI `Throttling*` codes.
 */
export const THROTTLING_CODES = ["Throttling", "Throttling.User", "Throttling.Api", "Throttling.Concurrency", "ServiceUnavailable", "LimitExceeded"];

/** Whether an API error is throttling (safe to retry: the request was refused before it ran). */
export function isThrottling(e: Pick<AlibabaApiError, "code" | "statusCode">): boolean {
  return e.code.startsWith("Throttling") || THROTTLING_CODES.includes(e.code) || e.statusCode === 429;
}

/** Whether the API answered with a server error (HTTP 5xx): the call may or may not have taken effect. */
export function isServerError(e: Pick<AlibabaApiError, "statusCode">): boolean {
  return e.statusCode !== undefined && e.statusCode >= 500;
}

/**
 * Whether a call's outcome is unknown: a server error (5xx, throttling excepted) or no answer at
 * all (DNS, refused, reset, timeout). A read or an idempotent write is simply sent again; a
 * create first looks for what it may have made (providers/common/retry.ts `retryCall`).
 */
export function isOutcomeUnknown(e: unknown): boolean {
  if (e instanceof AlibabaApiError && isThrottling(e)) return false;
  if (e instanceof AlibabaApiError && isServerError(e)) return true;
  const t = transportFailure(e);
  // A name that does not resolve or a certificate refused: nothing was sent, and a repeat fails alike.
  return t !== undefined && !["ENOTFOUND", "EAI_FAIL", "EPROTO"].includes(t.code) && !/^ERR_(SSL|TLS)_|CERT|^UNABLE_TO_(GET|VERIFY)/.test(t.code);
}

/** The APIs the project calls, by the `service` name their errors carry. */
export type ApiService = "DataWorks" | "SLS" | "MaxCompute" | "DataHub" | "DTS" | "Flink" | "BSS";

/**
 * Each API's exact codes for "the object you named does not exist": the one classification of
 * "gone" for every client. Only these codes are "gone"; everything else, an unknown AccessKey
 * (`InvalidAccessKeyId.NotFound`, HTTP 404 at the OpenAPI gateway), a bad signature, a bare 404,
 * no answer at all, is an error, so a `read` never drops a live resource from state because a
 * key or an endpoint is wrong.
 */
export const NOT_FOUND_CODES: Readonly<Record<ApiService, readonly string[]>> = {
  // `500130`: GetDIJob and ListDIAlarmRules (terraform-provider-alicloud
  // alicloud/service_alicloud_data_works_v2.go @0d2359975dd2ddac8f4f5e26713ec3523a437955,
  // DescribeDataWorksDiJob / DescribeDataWorksDiAlarmRule: `IsExpectedErrors(err, []string{"500130"})`).
  // The 2024-05-18 reference lists no per-action codes for nodes, deployment processes, compute
  // resources, alert rules and resource-group bindings ("Service error codes"); these are the
  // `Invalid.<Object>.NotExists` family the 2020-05-18 GetNode reference shows
  // (`Invalid.Tenant.ConnectionNotExists`), one per object the stack reads or deletes, as the fake
  // (tests/support/fake-dataworks.ts) answers them. A real code outside this list is an error, not "gone".
  DataWorks: [
    "500130",
    "Invalid.Node.NotExists",
    "Invalid.Workflow.NotExists",
    "Invalid.PipelineRun.NotExists",
    "Invalid.ComputeResource.NotExists",
    "Invalid.AlertRule.NotExists",
    "Invalid.ResourceGroup.AssociationNotExists",
  ],
  // GetMaxComputeExport / DeleteMaxComputeExport: the job, or its project, is gone. Codes as the
  // provider reads SLS jobs (terraform-provider-alicloud alicloud/service_alicloud_sls_v2.go
  // @09832846eab75944bd8f2480d7ab523612612911: DescribeSlsAlert, DescribeSlsScheduledSQL,
  // DescribeSlsOssExportSink `JobNotExist`; alicloud/service_alicloud_log.go
  // @e1ad534186fb30c2309661a6db97307f33d1ad52: DescribeLogAlert `ProjectNotExist`, `JobNotExist`).
  SLS: ["JobNotExist", "ProjectNotExist"],
  // The ODPS REST API's server codes (aliyun/aliyun-odps-python-sdk odps/errors.py
  // @066e6bc787dd9676f2d1a180e2a1cbb0a0d2d6b9: `NoSuchObject` and its `NoSuchTable` subclass;
  // `parse_response` also reads a 404 with no parseable body as NoSuchObject, which
  // providers/maxcompute/client.ts does the same way).
  MaxCompute: ["NoSuchObject", "NoSuchTable"],
  // aliyun/aliyun-datahub-sdk-python datahub/exceptions.py @206a0236ce42317571a9d07ad8ba19b058027037,
  // ExceptionHandler: NoSuchProject / NoSuchTopic / NoSuchShard / NoSuchConnector -> ResourceNotFoundException.
  DataHub: ["NoSuchProject", "NoSuchTopic", "NoSuchConnector"],
  // The DTS client only lists jobs (DescribeDtsJobs): nothing is ever "gone".
  DTS: [],
  // Realtime Compute (ververica 2022-07-18) job: the provider's DeleteJob accepts `990301` as gone
  // (alicloud/resource_alicloud_realtime_compute_job.go @579f232f09154a8d6de2c61b623b59b328d240b2).
  Flink: ["990301"],
  // The price look-ups read no object of the account: nothing is ever "gone".
  BSS: [],
};

/**
 * Whether an API answered that the object does not exist: the error's code is one of `service`'s
 * {@link NOT_FOUND_CODES} (the service is read from an {@link AlibabaApiError} when not given;
 * without either, any API's). Reads what each client throws: an `AlibabaApiError`, a Tea SDK
 * error (`code`, `data.statusCode`), a MaxCompute error (`code`, `status`). Anything else is an
 * error to report, never "gone".
 */
export function isNotFound(e: unknown, service?: ApiService): boolean {
  const x = (e ?? {}) as { code?: unknown; service?: unknown };
  if (typeof x.code !== "string" || x.code === "") return false;
  // No answer at all (DNS `ENOTFOUND` and the like): nothing is known about the object.
  if (transportFailure(e)) return false;
  const named = service ?? (typeof x.service === "string" && x.service in NOT_FOUND_CODES ? (x.service as ApiService) : undefined);
  const codes = named ? NOT_FOUND_CODES[named] : Object.values(NOT_FOUND_CODES).flat();
  return codes.includes(x.code);
}

/**
 * Codes Node (`net`, `dns`, `tls`) and its fetch (undici) give when no HTTP answer came back:
 * the name did not resolve, the connection was refused, reset or timed out, or TLS failed.
 */
const TRANSPORT_CODES: Readonly<Record<string, string>> = {
  ENOTFOUND: "the host name does not resolve (DNS)",
  EAI_AGAIN: "DNS lookup failed (temporary failure in name resolution)",
  EAI_FAIL: "DNS lookup failed",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ECONNABORTED: "connection aborted",
  EPIPE: "connection closed while sending",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENETDOWN: "network down",
  ETIMEDOUT: "no answer (timed out)",
  ESOCKETTIMEDOUT: "no answer (timed out)",
  UND_ERR_CONNECT_TIMEOUT: "no answer (connect timed out)",
  UND_ERR_HEADERS_TIMEOUT: "no answer (timed out)",
  UND_ERR_BODY_TIMEOUT: "no answer (timed out)",
  UND_ERR_SOCKET: "connection closed",
  UND_ERR_CLOSED: "connection closed",
  EPROTO: "TLS handshake failed",
};

/** Whether `code` is one a request gets when no answer came back (DNS, connect, reset, timeout, TLS). */
export function isTransportCode(code: string | undefined): boolean {
  if (!code) return false;
  return code in TRANSPORT_CODES || /^ERR_(SSL|TLS)_|CERT|^UNABLE_TO_(GET|VERIFY)/.test(code);
}

/** Why a request got no answer: the Node error code and the reason in words. */
export interface TransportFailure {
  /** e.g. `ENOTFOUND`, `ECONNREFUSED`, `ETIMEDOUT`, `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  readonly code: string;
  /** e.g. `the host name does not resolve (DNS)`. */
  readonly reason: string;
}

/**
 * The transport failure behind `e`, or undefined when an API answered (an HTTP status) or the
 * error is another kind. Reads what each client throws: Node's own errors (`code`), fetch's
 * `TypeError: fetch failed` (`cause.code`), the Tea/httpx timeouts (`RequestTimeoutError`,
 * `ReadTimeout`/`ConnectTimeout` in the message) and {@link mapOpenApiError}'s no-answer errors.
 */
export function transportFailure(e: unknown): TransportFailure | undefined {
  const x = (e ?? {}) as { code?: unknown; name?: unknown; message?: unknown; statusCode?: unknown; cause?: unknown; data?: { statusCode?: unknown } };
  if (typeof x.statusCode === "number" || typeof x.data?.statusCode === "number") return undefined;
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur && typeof cur === "object"; depth++) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === "string" && isTransportCode(c)) {
      const tls = /^ERR_(SSL|TLS)_|CERT|^UNABLE_TO_(GET|VERIFY)/.test(c);
      return { code: c, reason: TRANSPORT_CODES[c] ?? (tls ? "TLS certificate not accepted" : "no answer") };
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  const message = typeof x.message === "string" ? x.message : "";
  // fetch (undici) rejects with this TypeError only when no response came (WHATWG "network error").
  if (e instanceof TypeError && message === "fetch failed") {
    const cause = x.cause as { message?: unknown } | undefined;
    return { code: "EFETCH", reason: `no answer (${typeof cause?.message === "string" && cause.message ? cause.message : "fetch failed"})` };
  }
  if (x.name === "RequestTimeoutError" || /\b(ReadTimeout|ConnectTimeout)\b/.test(message)) return { code: "ETIMEDOUT", reason: "no answer (timed out)" };
  if (e instanceof AlibabaApiError && e.statusCode === undefined && e.code === "NetworkError") return { code: "NetworkError", reason: "no answer" };
  return undefined;
}

/**
 * httpx (under the Tea SDKs) appends `GET <url> failed.` to a network error's message with no
 * separator (`getaddrinfo ENOTFOUND hostGET http://host/?... failed.`): the cause alone.
 */
export function withoutRequestTail(message: string): string {
  return message.replace(/\.?\s*(GET|POST|PUT|DELETE|HEAD|PATCH) \S+ failed\.$/, "").trim();
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/**
 * Maps what the official OpenAPI clients throw (`@alicloud/openapi-client`, and the product SDKs
 * built on `@alicloud/openapi-core`, e.g. `@alicloud/sls20201230`) to an error built by `make`:
 * an HTTP answer keeps its code, status, message and request id, whichever spelling the API uses
 * (`Code`/`Message`/`RequestId` of RPC APIs, `errorCode`/`errorMessage`/`requestId` of SLS and
 * Realtime Compute); no answer (connection refused, DNS, timeout, TLS) names the endpoint, with
 * the transport's own code (`ECONNREFUSED`, `ETIMEDOUT`...) as the error code.
 */
export function mapOpenApiError<E extends AlibabaApiError>(
  e: unknown,
  ctx: { action: string; endpoint: string },
  make: (x: { action: string; code: string; message: string; requestId?: string; statusCode?: number }) => E,
): E | AlibabaApiError {
  if (e instanceof AlibabaApiError) return e;
  const x = (e ?? {}) as { code?: unknown; message?: unknown; statusCode?: unknown; data?: Record<string, unknown> };
  const data = x.data ?? {};
  const status =
    typeof x.statusCode === "number"
      ? x.statusCode
      : typeof data.statusCode === "number"
        ? data.statusCode
        : typeof data.httpCode === "number"
          ? data.httpCode
          : undefined;
  if (status !== undefined) {
    const code = str(data.Code) ?? str(data.code) ?? str(data.errorCode) ?? str(x.code) ?? `HTTP${status}`;
    const own = str(x.message);
    // The Tea SDKs glue `<code>: ` (and a request tail) before the API's message.
    const fromError = own === undefined ? undefined : withoutRequestTail(own.startsWith(`${code}: `) ? own.slice(code.length + 2) : own);
    return make({
      action: ctx.action,
      code: code === "undefined" ? `HTTP${status}` : code,
      statusCode: status,
      requestId: str(data.RequestId) ?? str(data.requestId),
      message: str(data.Message) ?? str(data.message) ?? str(data.errorMessage) ?? fromError ?? "no message",
    });
  }
  const transport = transportFailure(e);
  const code = transport?.code ?? (typeof x.code === "string" && x.code ? x.code : "NetworkError");
  return make({ action: ctx.action, code, message: `could not reach ${ctx.endpoint}: ${withoutRequestTail(str(x.message) ?? String(e))}` });
}

/**
 * Maps what a `fetch` of the hand-signed REST clients (MaxCompute, DataHub) throws when no answer
 * came: the transport code (`ECONNREFUSED`, `ETIMEDOUT` for an aborted read...) and the endpoint.
 */
export function mapFetchError<E extends AlibabaApiError>(
  e: unknown,
  ctx: { action: string; endpoint: string },
  make: (x: { action: string; code: string; message: string }) => E,
): E | AlibabaApiError {
  if (e instanceof AlibabaApiError) return e;
  const name = (e as { name?: unknown } | undefined)?.name;
  // AbortSignal.timeout() aborts with a DOMException named TimeoutError.
  const timedOut = name === "TimeoutError" || name === "AbortError";
  const transport = timedOut ? { code: "ETIMEDOUT", reason: "no answer (timed out)" } : transportFailure(e);
  const cause = (e as { cause?: { message?: unknown } } | undefined)?.cause?.message;
  const detail = transport?.reason ?? (typeof cause === "string" && cause ? cause : String((e as Error)?.message ?? e));
  return make({ action: ctx.action, code: transport?.code ?? "NetworkError", message: `could not reach ${ctx.endpoint}: ${detail}` });
}
