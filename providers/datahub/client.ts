/**
 * A small client of the DataHub REST API for the one object the alicloud provider does not manage:
 * the DataHub -> MaxCompute connector (`sink_odps`) of a topic. No Node.js DataHub SDK is published
 * by Alibaba Cloud, so this speaks the protocol of the official Python SDK with Node's `crypto` and
 * `fetch`.
 *
 * Sources (aliyun/aliyun-datahub-sdk-python):
 * - signature: datahub/auth/aliyun_account.py @ 16db73c8ab1384d42beb95444d83f65ffc9f4607,
 *   `_build_canonical_str`: METHOD, Content-Type, Date, then `x-datahub-*` headers sorted by
 *   lower-case name as `k:v`, then the path (with its query sorted, `k=v`, `k` when empty);
 *   `Authorization: DATAHUB <AccessKeyId>:<base64(HMAC-SHA1(secret, canonical))>`; an STS token
 *   travels in `x-datahub-security-token` (datahub/rest.py Headers.SECURITY_TOKEN), signed like any
 *   `x-datahub-` header.
 * - connector: datahub/rest.py `Path.CONNECTOR = '/projects/%s/topics/%s/connectors/%s'`;
 *   datahub/implement.py `create_connector` (POST .../connectors/sink_odps), `get_connector` (GET
 *   .../connectors/<id>), `update_connector` (POST, `{"Action":"updateconfig","Config":...}`),
 *   `delete_connector` (DELETE); datahub/models/params.py `CreateConnectorParams.content`
 *   (`{"Action":"Create","ColumnFields":[...],"Config":{...},"SinkStartTime":ms}`);
 *   datahub/models/connector.py `OdpsConnectorConfig.to_json` (Project, Table, OdpsEndpoint,
 *   TunnelEndpoint, AccessId, AccessKey, PartitionMode, TimeRange, PartitionConfig).
 * - errors: a JSON body `{"ErrorCode": ..., "ErrorMessage": ...}` and `x-datahub-request-id`
 *   (datahub/rest.py CommonResponseResult); a missing connector, topic or project is `NoSuchConnector`,
 *   `NoSuchTopic`, `NoSuchProject` (providers/common/errors.ts `NOT_FOUND_CODES.DataHub`); any other code,
 *   `Unauthorized` for a wrong key included, is an error.
 * - endpoint: `https://dh-<region>.aliyuncs.com` (DataHub endpoint list; the `-int-vpc` form inside a VPC).
 */
import { createHmac } from "crypto";
import type { Credentials } from "../common/credentials";
import { AlibabaApiError, isNotFound, mapFetchError } from "../common/errors";
import { parseApiJson } from "../common/json";
import { readTimeoutFromEnv, realSleep, retryCall, retryPolicyFromEnv, RetryPolicy } from "../common/retry";

/** Points the client at another endpoint (tests: `http://127.0.0.1:PORT`); it replaces every endpoint the client is given. */
export const DATAHUB_ENDPOINT_ENV = "PHOTO_ANALYTICS_DATAHUB_ENDPOINT";

/** An error of the DataHub API (an error answer, or no answer): the project's one error type. */
export class DatahubApiError extends AlibabaApiError {
  constructor(e: { action: string; code: string; message: string; requestId?: string; statusCode?: number }) {
    super({ service: "DataHub", ...e });
    this.name = "DatahubApiError";
  }
}

/**
 * The REST operations the client sends, named as tests/support/api-models/datahub.json names them
 * (datahub/implement.py list_connector, create_connector, get_connector, update_connector,
 * delete_connector).
 */
export type DatahubAction = "ListConnector" | "CreateConnector" | "GetConnector" | "UpdateConnector" | "DeleteConnector";

/** The public DataHub endpoint of a region. */
export function datahubEndpoint(region: string): string {
  return `https://dh-${region}.aliyuncs.com`;
}

/** `OdpsConnectorConfig.to_json` as sent (the AccessKey pair only on create/update, never stored). */
export interface OdpsSinkConfig {
  readonly Project: string;
  readonly Table: string;
  readonly OdpsEndpoint: string;
  readonly TunnelEndpoint: string;
  readonly PartitionMode: "SYSTEM_TIME" | "EVENT_TIME" | "USER_DEFINE";
  /** Minutes per partition value. */
  readonly TimeRange: number;
  /** Ordered partition column -> time format. */
  readonly PartitionConfig: Record<string, string>;
  readonly AccessId?: string;
  readonly AccessKey?: string;
}

/** What GET .../connectors/<id> says (the fields the provider reads). */
export interface ConnectorInfo {
  readonly connectorId: string;
  /** `sink_odps` for the stack's connector. */
  readonly type: string;
  readonly columnFields: readonly string[];
  readonly state: string;
  readonly config: Omit<OdpsSinkConfig, "AccessId" | "AccessKey">;
}

/** The canonical string of a DataHub request (see the file comment). */
export function canonicalString(method: string, path: string, headers: Readonly<Record<string, string>>): string {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const lines = [method.toUpperCase(), lower["content-type"] ?? "", lower["date"] ?? ""];
  for (const k of Object.keys(lower)
    .filter((k) => k.startsWith("x-datahub-"))
    .sort())
    lines.push(`${k}:${lower[k]}`);
  const [p, q] = decodeURIComponent(path).split("?");
  const query = q
    ? q
        .split("&")
        .map((kv) => kv.split("="))
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([k, v]) => (v ? `${k}=${v}` : k))
        .join("&")
    : "";
  lines.push(query ? `${p}?${query}` : p);
  return lines.join("\n");
}

/** `DATAHUB <AccessKeyId>:<signature>`. */
export function authorizationHeader(accessKeyId: string, accessKeySecret: string, canonical: string): string {
  return `DATAHUB ${accessKeyId}:${createHmac("sha1", accessKeySecret).update(canonical, "utf8").digest("base64")}`;
}

export interface DatahubClientOptions {
  /** `https://dh-<region>.aliyuncs.com` (`PHOTO_ANALYTICS_DATAHUB_ENDPOINT` replaces it). */
  readonly endpoint: string;
  readonly credentials: () => Promise<Credentials>;
  /** @default providers/common/retry.ts DEFAULT_RETRY (or its PHOTO_ANALYTICS_RETRY_BASE_MS override) */
  readonly retry?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Longest wait for one answer, in milliseconds. @default 30000, or PHOTO_ANALYTICS_API_READ_TIMEOUT_MS */
  readonly readTimeoutMs?: number;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const connectors = (project: string, topic: string): string => `/projects/${encodeURIComponent(project)}/topics/${encodeURIComponent(topic)}/connectors`;
const path = (project: string, topic: string, id: string): string => `${connectors(project, topic)}/${encodeURIComponent(id)}`;

export class DatahubClient {
  private readonly endpoint: string;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly readTimeoutMs: number;

  constructor(private readonly options: DatahubClientOptions) {
    const env = options.env ?? process.env;
    this.endpoint = (env[DATAHUB_ENDPOINT_ENV] || options.endpoint).replace(/\/+$/, "");
    this.retry = options.retry ?? retryPolicyFromEnv(env);
    this.sleep = options.sleep ?? realSleep;
    this.readTimeoutMs = options.readTimeoutMs ?? readTimeoutFromEnv(env, 30_000);
  }

  /** One signed request through the one retry policy (a create only after throttling, or after `recover` found nothing). */
  private request<T = Record<string, unknown>>(
    action: DatahubAction,
    method: string,
    resource: string,
    body?: unknown,
    recover?: () => Promise<T | undefined>,
  ): Promise<T> {
    return retryCall(() => this.send(action, method, resource, body) as Promise<T>, {
      idempotent: action !== "CreateConnector",
      ...(recover ? { recover } : {}),
      policy: this.retry,
      sleep: this.sleep,
    });
  }

  private async send(action: DatahubAction, method: string, resource: string, body?: unknown): Promise<Record<string, unknown>> {
    const creds = await this.options.credentials();
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      Date: new Date().toUTCString(),
      "x-datahub-client-version": "1.1",
    };
    if (creds.securityToken) headers["x-datahub-security-token"] = creds.securityToken;
    headers.Authorization = authorizationHeader(creds.accessKeyId, creds.accessKeySecret, canonicalString(method, resource, headers));
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.endpoint}${resource}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.readTimeoutMs),
      });
      text = await res.text();
    } catch (e) {
      throw mapFetchError(e, { action, endpoint: this.endpoint }, (x) => new DatahubApiError(x));
    }
    let json: Record<string, unknown> = {};
    try {
      json = text ? (parseApiJson(text) as Record<string, unknown>) : {};
    } catch {
      if (res.ok)
        throw new DatahubApiError({ action, code: "MalformedResponse", message: `the answer is not JSON: ${text.slice(0, 200)}`, statusCode: res.status });
    }
    if (!res.ok) {
      throw new DatahubApiError({
        action,
        code: String(json.ErrorCode ?? `HTTP${res.status}`),
        message: String(json.ErrorMessage ?? (text || "no message")),
        requestId: res.headers.get("x-datahub-request-id") ?? undefined,
        statusCode: res.status,
      });
    }
    return json;
  }

  /** Ids of the topic's connectors (`?mode=id`). */
  async listConnectors(project: string, topic: string): Promise<string[]> {
    const out = await this.request("ListConnector", "GET", `${connectors(project, topic)}?mode=id`);
    return Array.isArray(out.Connectors) ? out.Connectors.map((c) => String(c)) : [];
  }

  /**
   * Creates the topic's `sink_odps` connector; returns its id. After an unknown outcome, the
   * topic's sink_odps connector, if DataHub has one now (one per topic: a second is
   * `ConnectorAlreadyExist`), is the one this call made.
   */
  async createConnector(project: string, topic: string, columnFields: readonly string[], config: OdpsSinkConfig, sinkStartTimeMs = -1): Promise<string> {
    const out = await this.request<{ ConnectorId?: unknown }>(
      "CreateConnector",
      "POST",
      path(project, topic, "sink_odps"),
      { Action: "Create", ColumnFields: columnFields, Config: config, SinkStartTime: sinkStartTimeMs },
      async () => {
        for (const id of await this.listConnectors(project, topic)) {
          if ((await this.getConnector(project, topic, id))?.type === "sink_odps") return { ConnectorId: id };
        }
        return undefined;
      },
    );
    // Older servers answer without an id: the connector is then addressed by its type.
    return String(out.ConnectorId || "sink_odps");
  }

  /** The connector, or undefined when it (or its topic) does not exist. */
  async getConnector(project: string, topic: string, id: string): Promise<ConnectorInfo | undefined> {
    let out: Record<string, unknown>;
    try {
      out = await this.request("GetConnector", "GET", path(project, topic, id));
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e, "DataHub")) return undefined;
      throw e;
    }
    const c = (out.Config ?? {}) as Record<string, unknown>;
    const pc = c.PartitionConfig;
    // The server returns PartitionConfig as a JSON text of [{key, value}] (OdpsConnectorConfig.from_dict).
    const parsed = typeof pc === "string" && pc !== "" ? (JSON.parse(pc) as { key: string; value: string }[]) : [];
    return {
      connectorId: String(out.ConnectorId ?? id),
      type: String(out.Type ?? ""),
      columnFields: Array.isArray(out.ColumnFields) ? out.ColumnFields.map((f) => String(f)) : [],
      state: String(out.State ?? ""),
      config: {
        Project: String(c.Project ?? ""),
        Table: String(c.Table ?? ""),
        OdpsEndpoint: String(c.OdpsEndpoint ?? ""),
        TunnelEndpoint: String(c.TunnelEndpoint ?? ""),
        PartitionMode: String(c.PartitionMode ?? "") as OdpsSinkConfig["PartitionMode"],
        TimeRange: Number(c.TimeRange ?? -1),
        PartitionConfig: Object.fromEntries(parsed.map((p) => [p.key, p.value])),
      },
    };
  }

  /** Replaces the connector's config (`updateconfig`). */
  async updateConnector(project: string, topic: string, id: string, config: OdpsSinkConfig): Promise<void> {
    await this.request("UpdateConnector", "POST", path(project, topic, id), { Action: "updateconfig", Config: config });
  }

  /** Deletes the connector; a connector already gone is not an error. */
  async deleteConnector(project: string, topic: string, id: string): Promise<void> {
    try {
      await this.request("DeleteConnector", "DELETE", path(project, topic, id));
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e, "DataHub")) return;
      throw e;
    }
  }
}
