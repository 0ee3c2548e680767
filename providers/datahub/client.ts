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
import { AlibabaApiError, isNotFound } from "../common/errors";

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
  readonly endpoint: string;
  readonly credentials: () => Promise<Credentials>;
}

const path = (project: string, topic: string, id: string): string =>
  `/projects/${encodeURIComponent(project)}/topics/${encodeURIComponent(topic)}/connectors/${encodeURIComponent(id)}`;

export class DatahubClient {
  constructor(private readonly options: DatahubClientOptions) {}

  private async request(action: string, method: string, resource: string, body?: unknown): Promise<Record<string, unknown>> {
    const creds = await this.options.credentials();
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      Date: new Date().toUTCString(),
      "x-datahub-client-version": "1.1",
    };
    if (creds.securityToken) headers["x-datahub-security-token"] = creds.securityToken;
    headers.Authorization = authorizationHeader(creds.accessKeyId, creds.accessKeySecret, canonicalString(method, resource, headers));
    let res: Response;
    try {
      res = await fetch(`${this.options.endpoint}${resource}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new AlibabaApiError({ service: "DataHub", action, code: "ConnectionFailed", message: `${this.options.endpoint}: ${(e as Error).message}` });
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!res.ok) {
      throw new AlibabaApiError({
        service: "DataHub",
        action,
        code: String(json.ErrorCode ?? `HTTP${res.status}`),
        message: String(json.ErrorMessage ?? text),
        requestId: res.headers.get("x-datahub-request-id") ?? undefined,
        statusCode: res.status,
      });
    }
    return json;
  }

  /** Creates the topic's `sink_odps` connector; returns its id. */
  async createConnector(project: string, topic: string, columnFields: readonly string[], config: OdpsSinkConfig, sinkStartTimeMs = -1): Promise<string> {
    const out = await this.request("CreateConnector", "POST", path(project, topic, "sink_odps"), {
      Action: "Create",
      ColumnFields: columnFields,
      Config: config,
      SinkStartTime: sinkStartTimeMs,
    });
    // Older servers answer without an id: the connector is then addressed by its type.
    return String(out.ConnectorId ?? "sink_odps");
  }

  /** The connector, or undefined when it (or its topic) does not exist. */
  async getConnector(project: string, topic: string, id: string): Promise<ConnectorInfo | undefined> {
    try {
      const out = await this.request("GetConnector", "GET", path(project, topic, id));
      const c = (out.Config ?? {}) as Record<string, unknown>;
      const pc = c.PartitionConfig;
      // The server returns PartitionConfig as a JSON text of [{key, value}] (OdpsConnectorConfig.from_dict).
      const parsed = typeof pc === "string" ? (JSON.parse(pc) as { key: string; value: string }[]) : [];
      return {
        connectorId: String(out.ConnectorId ?? id),
        columnFields: (out.ColumnFields ?? []) as string[],
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
    } catch (e) {
      if (e instanceof AlibabaApiError && isNotFound(e, "DataHub")) return undefined;
      throw e;
    }
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
