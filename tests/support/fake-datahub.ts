/**
 * A local fake of the DataHub REST API's connector calls on 127.0.0.1, for tests of
 * providers/datahub/client.ts and the Connector dynamic provider. It checks the DataHub signature
 * independently of the client (aliyun-datahub-sdk-python datahub/auth/aliyun_account.py
 * `_build_canonical_str`: METHOD, Content-Type, Date, sorted `x-datahub-*` headers, path) and models
 * connectors per topic: POST .../connectors/sink_odps {Action: Create} -> {ConnectorId};
 * GET .../connectors/<id> -> {ConnectorId, ColumnFields, State, Config (PartitionConfig as a JSON
 * text of [{key, value}], OdpsConnectorConfig.from_dict)}; POST {Action: updateconfig}; DELETE.
 * Unknown connector: 404 `NoSuchConnector`.
 */
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";

export interface FakeConnector {
  id: string;
  columnFields: string[];
  config: Record<string, unknown>;
  state: string;
}

export class FakeDatahub {
  /** `project/topic` -> connectors by id. */
  readonly connectors = new Map<string, Map<string, FakeConnector>>();
  readonly requests: { method: string; path: string; signatureValid: boolean; body: unknown }[] = [];
  private server?: http.Server;
  private seq = 0;

  constructor(
    readonly accessKeyId: string,
    readonly accessKeySecret: string,
  ) {}

  private sign(method: string, path: string, h: http.IncomingHttpHeaders): string {
    const lines = [method, String(h["content-type"] ?? ""), String(h["date"] ?? "")];
    for (const k of Object.keys(h)
      .filter((k) => k.startsWith("x-datahub-"))
      .sort())
      lines.push(`${k}:${h[k]}`);
    lines.push(decodeURIComponent(path));
    return `DATAHUB ${this.accessKeyId}:${crypto.createHmac("sha1", this.accessKeySecret).update(lines.join("\n")).digest("base64")}`;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        const path = req.url ?? "";
        const body = raw ? JSON.parse(raw) : undefined;
        const signatureValid = req.headers.authorization === this.sign(req.method ?? "", path, req.headers);
        this.requests.push({ method: req.method ?? "", path, signatureValid, body });
        const send = (status: number, json: unknown) => {
          res.writeHead(status, { "Content-Type": "application/json", "x-datahub-request-id": `req-${++this.seq}` });
          res.end(JSON.stringify(json));
        };
        if (!signatureValid) return send(403, { ErrorCode: "Unauthorized", ErrorMessage: "signature mismatch" });
        const m = /^\/projects\/([^/]+)\/topics\/([^/]+)\/connectors\/([^/?]+)$/.exec(path);
        if (!m) return send(404, { ErrorCode: "NoSuchResource", ErrorMessage: path });
        const key = `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`;
        const id = decodeURIComponent(m[3]);
        const topic = this.connectors.get(key) ?? new Map<string, FakeConnector>();
        this.connectors.set(key, topic);
        if (req.method === "POST" && body?.Action === "Create") {
          const cid = `connector-${++this.seq}`;
          topic.set(cid, { id: cid, columnFields: body.ColumnFields, config: body.Config, state: "CONNECTOR_RUNNING" });
          return send(201, { ConnectorId: cid });
        }
        const c = topic.get(id);
        if (!c) return send(404, { ErrorCode: "NoSuchConnector", ErrorMessage: `connector ${id} does not exist` });
        if (req.method === "GET") {
          const { PartitionConfig, ...rest } = c.config as { PartitionConfig?: Record<string, string> };
          const pc = JSON.stringify(Object.entries(PartitionConfig ?? {}).map(([k, v]) => ({ key: k, value: v })));
          return send(200, { ConnectorId: c.id, ColumnFields: c.columnFields, State: c.state, Config: { ...rest, PartitionConfig: pc } });
        }
        if (req.method === "POST" && body?.Action === "updateconfig") {
          c.config = body.Config;
          return send(200, {});
        }
        if (req.method === "DELETE") {
          topic.delete(id);
          return send(200, {});
        }
        return send(400, { ErrorCode: "InvalidParameter", ErrorMessage: "unsupported" });
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
