/**
 * A local fake of the DataHub REST API's connector calls on 127.0.0.1, for tests of
 * providers/datahub/client.ts and the Connector dynamic provider. It checks the DataHub signature
 * independently of the client (aliyun-datahub-sdk-python datahub/auth/aliyun_account.py
 * `_build_canonical_str`: METHOD, Content-Type, Date, sorted `x-datahub-*` headers, path), holds
 * every request and answer to the models written from the official Python SDK
 * (tests/support/api-models/datahub.json), and models connectors per topic:
 * GET .../connectors?mode=id -> {Connectors: [ids]}; POST .../connectors/sink_odps {Action: Create}
 * -> {ConnectorId} (a second on the same topic: `ConnectorAlreadyExist`); GET .../connectors/<id>
 * -> {ConnectorId, Type, State, ColumnFields, Config (PartitionConfig as a JSON text of
 * [{key, value}], OdpsConnectorConfig.from_dict), ExtraInfo, ShardContexts}; POST
 * {Action: updateconfig}; DELETE. Unknown connector: 404 `NoSuchConnector`.
 */
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { loadModels, ModelGuard } from "./api-models/check";
import { applyFault, FaultInjector } from "./faults";

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
  /** Every request and answer held to the official models (tests/support/api-models/datahub.json). */
  readonly models = new ModelGuard(loadModels("datahub"));

  /** Faults any call can meet (throttling, 5xx, timeout; before or after it takes effect). */
  readonly faults = new FaultInjector();

  /** Requests and answers that break the official models. */
  get modelViolations(): string[] {
    return this.models.violations;
  }

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
        const list = /^\/projects\/([^/]+)\/topics\/([^/]+)\/connectors\?mode=id$/.exec(path);
        const m = /^\/projects\/([^/]+)\/topics\/([^/]+)\/connectors\/([^/?]+)$/.exec(path);
        if (!m && !list) return send(404, { ErrorCode: "NoSuchResource", ErrorMessage: path });
        const action = list
          ? "ListConnector"
          : req.method === "GET"
            ? "GetConnector"
            : req.method === "DELETE"
              ? "DeleteConnector"
              : body?.Action === "Create"
                ? "CreateConnector"
                : "UpdateConnector";
        const problems = this.models.request(action, { method: req.method ?? "", json: body, query: list ? { mode: "id" } : {} });
        if (problems.length > 0) return send(400, { ErrorCode: "FakeModel.Request", ErrorMessage: problems.join("; ") });
        if (applyFault(this.faults, action, res, "rest", (st, code, msg) => send(st, { ErrorCode: code, ErrorMessage: msg }))) return;
        const ok = (status: number, json: Record<string, unknown>) => {
          const wrong = this.models.response(action, json);
          if (wrong.length > 0) return send(400, { ErrorCode: "FakeModel.Response", ErrorMessage: wrong.join("; ") });
          send(status, json);
        };
        const [, p, t] = (list ?? m)!;
        const key = `${decodeURIComponent(p)}/${decodeURIComponent(t)}`;
        const topic = this.connectors.get(key) ?? new Map<string, FakeConnector>();
        this.connectors.set(key, topic);
        if (list) return ok(200, { Connectors: [...topic.keys()] });
        const id = decodeURIComponent(m![3]);
        if (req.method === "POST" && body?.Action === "Create") {
          if (topic.size > 0) return send(400, { ErrorCode: "ConnectorAlreadyExist", ErrorMessage: `topic ${key} has a sink_odps connector` });
          const cid = `connector-${++this.seq}`;
          topic.set(cid, { id: cid, columnFields: body.ColumnFields, config: body.Config, state: "CONNECTOR_RUNNING" });
          return ok(201, { ConnectorId: cid });
        }
        const c = topic.get(id);
        if (!c) return send(404, { ErrorCode: "NoSuchConnector", ErrorMessage: `connector ${id} does not exist` });
        if (req.method === "GET") {
          const { PartitionConfig, ...rest } = c.config as { PartitionConfig?: Record<string, string> };
          const pc = JSON.stringify(Object.entries(PartitionConfig ?? {}).map(([k, v]) => ({ key: k, value: v })));
          // As GetConnectorResult.parse_content reads it: Type, State, Config and ShardContexts are read without a default.
          return ok(200, {
            ConnectorId: c.id,
            Type: "sink_odps",
            State: c.state,
            Creator: "1234567890",
            Owner: "1234567890",
            CreateTime: 1764460800,
            ColumnFields: c.columnFields,
            Config: { ...rest, PartitionConfig: pc },
            ExtraInfo: { SubscriptionId: `sub-${c.id}` },
            ShardContexts: [],
          });
        }
        if (req.method === "POST" && body?.Action === "updateconfig") {
          c.config = body.Config;
          return ok(200, {});
        }
        if (req.method === "DELETE") {
          topic.delete(id);
          return ok(200, {});
        }
        return send(400, { ErrorCode: "InvalidParameter", ErrorMessage: "unsupported" });
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.faults.release();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
