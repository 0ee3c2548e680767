/**
 * A local fake of the MaxCompute REST API (the ODPS protocol) on 127.0.0.1, for tests of
 * providers/maxcompute/client.ts and the TableColumns dynamic provider.
 *
 * It verifies the signature scheme independently of the client (pyodps odps/accounts.py
 * `_build_canonical_str`: METHOD, content-md5, content-type, date and x-odps-* headers sorted
 * by name, then the resource after `/api` with its query sorted, `k` alone when empty; HMAC-SHA1,
 * base64, `Authorization: ODPS <id>:<sig>`), and the `authorization-sts-token` header when it
 * was given a token. A bad signature gets 403 `SignatureNotMatch` (the code is made up: the real
 * one is not documented where we looked).
 *
 * It models tables (columns, partitions) and SQL instances: `POST /projects/{p}/instances` takes
 * the `<Instance><Job>` XML, answers 201 with a `Location` header; the instance is `Running` for
 * `runningPolls` status reads, then `Terminated`, and its one statement takes effect then.
 * It understands `ALTER TABLE t ADD COLUMNS (...)` and `ALTER TABLE t SET LIFECYCLE n` (MaxCompute
 * "Lifecycle management operations", https://www.alibabacloud.com/help/doc-detail/73769.htm: n a
 * positive integer); a column that exists, a missing table, a lifecycle below 1 or any other
 * statement fails the task (`FAILED`, error text in `?result`, as ODPS-0130071-style text).
 * A table's lifecycle is the Schema JSON's `lifecycle` (pyodps odps/models/table.py
 * `TableSchema.lifecycle = JSONNodeField('lifecycle', parse_callback=int)`), -1 when it has none.
 */
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { loadModels, ModelGuard } from "./api-models/check";
import { applyFault, FaultInjector } from "./faults";

export interface FakeColumn {
  name: string;
  type: string;
  comment: string;
}
export interface FakeTable {
  columns: FakeColumn[];
  partitions: FakeColumn[];
  /** Days; -1 when the table has no lifecycle (what the Schema JSON then reports). */
  lifecycle: number;
  /** Partitions present, as specs (`ds=20261129/hh=10`). */
  partitionValues?: string[];
}
export interface FakeInstance {
  id: string;
  project: string;
  sql: string;
  /** Raw XML body that submitted it. */
  body: string;
  polls: number;
  status: "Running" | "Terminated";
  taskStatus: "RUNNING" | "SUCCESS" | "FAILED";
  result: string;
}
export interface MaxComputeRequest {
  method: string;
  /** Path after `/api`, with the raw query. */
  resource: string;
  headers: http.IncomingHttpHeaders;
  signatureValid: boolean;
  stsToken?: string;
}

export class FakeMaxCompute {
  readonly requests: MaxComputeRequest[] = [];
  /** `project.table` -> table. */
  readonly tables = new Map<string, FakeTable>();
  readonly instances = new Map<string, FakeInstance>();
  /** Status reads an instance stays Running for. */
  runningPolls = 2;
  /** The next submitted statement fails with this text instead of running. */
  failNext?: string;
  private server?: http.Server;
  private seq = 0;
  /** Every request and answer held to the official models (tests/support/api-models/maxcompute.json). */
  readonly models = new ModelGuard(loadModels("maxcompute"));
  /** The action of the request being answered (for the answer's model check). */
  private action = "";

  /** Faults any call can meet (throttling, 5xx, timeout; before or after it takes effect). */
  readonly faults = new FaultInjector();

  /** Requests and answers that break the official models. */
  get modelViolations(): string[] {
    return this.models.violations;
  }

  constructor(
    readonly accessKeyId: string,
    readonly accessKeySecret: string,
    /** When set, every request must carry it in `authorization-sts-token`. */
    readonly securityToken?: string,
  ) {}

  createTable(project: string, name: string, columns: [string, string][], partitions: [string, string][] = [["ds", "string"]], lifecycle = 30): void {
    const col = ([n, t]: [string, string]) => ({ name: n, type: t.toLowerCase(), comment: "" });
    this.tables.set(`${project}.${name}`, { columns: columns.map(col), partitions: partitions.map(col), lifecycle });
  }

  /**
   * Time passes: every instance still running finishes (one submitted whose answer was lost, and
   * never polled, runs all the same on the real service).
   */
  settle(): void {
    for (const inst of this.instances.values()) if (inst.status === "Running") this.finish(inst);
  }

  /** Submitted statements, in order. */
  get statements(): string[] {
    return [...this.instances.values()].map((i) => i.sql);
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => this.handle(req, body, res));
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  async stop(): Promise<void> {
    this.faults.release();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** The canonical string, written from pyodps' description (not shared with the client). */
  static canonical(method: string, resource: string, headers: http.IncomingHttpHeaders): string {
    const [path, rawQuery] = resource.split("?", 2) as [string, string | undefined];
    const params = (rawQuery ? rawQuery.split("&") : []).map((kv) => {
      const i = kv.indexOf("=");
      return i < 0 ? ([decodeURIComponent(kv), ""] as const) : ([decodeURIComponent(kv.slice(0, i)), decodeURIComponent(kv.slice(i + 1))] as const);
    });
    params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const toSign = new Map<string, string>([
      ["content-md5", ""],
      ["content-type", ""],
    ]);
    for (const [k, v] of Object.entries(headers)) {
      if (k === "content-md5" || k === "content-type" || k === "date" || k.startsWith("x-odps")) toSign.set(k, String(v));
    }
    for (const [k, v] of params) if (k.startsWith("x-odps-")) toSign.set(k, v);
    const lines = [method];
    for (const k of [...toSign.keys()].sort()) lines.push(k.startsWith("x-odps-") ? `${k}:${toSign.get(k)}` : toSign.get(k)!);
    const q = params.map(([k, v]) => (v === "" ? k : `${k}=${v}`)).join("&");
    lines.push(decodeURIComponent(path) + (q ? `?${q}` : ""));
    return lines.join("\n");
  }

  private send(res: http.ServerResponse, status: number, xml: string, headers: Record<string, string> = {}): void {
    if (status < 300 && this.action) {
      const problems = this.models.response(this.action, xml);
      if (problems.length > 0) return this.error(res, 400, "FakeModel.Response", `the fake's answer breaks the official model: ${problems.join("; ")}`);
    }
    res.writeHead(status, { "Content-Type": "application/xml", "x-odps-request-id": `req-${++this.seq}`, ...headers });
    res.end(xml);
  }

  /** The REST operation a request is (tests/support/api-models/maxcompute.json), from its method, path and query. */
  static actionOf(method: string, path: string, query: string): string {
    if (method === "GET" && /^\/projects\/[^/]+\/tables\/[^/]+$/.test(path))
      return new URLSearchParams(query).has("partitions") ? "ListPartitions" : "GetTable";
    if (method === "POST" && /^\/projects\/[^/]+\/instances$/.test(path)) return "CreateInstance";
    if (method === "GET" && /^\/projects\/[^/]+\/instances\/[^/]+$/.test(path))
      return query === "taskstatus" ? "GetInstanceTaskStatus" : query === "result" ? "GetInstanceResult" : "GetInstance";
    return "";
  }

  private error(res: http.ServerResponse, status: number, code: string, message: string): void {
    this.send(
      res,
      status,
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message><![CDATA[${message}]]></Message><RequestId>req-err-${this.seq}</RequestId><HostId>fake</HostId></Error>`,
    );
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const url = req.url ?? "";
    const resource = url.replace(/^\/api/, "");
    const auth = String(req.headers.authorization ?? "");
    const m = /^ODPS ([^:]+):(.+)$/.exec(auth);
    const expected = crypto
      .createHmac("sha1", this.accessKeySecret)
      .update(FakeMaxCompute.canonical(req.method ?? "", resource, req.headers))
      .digest("base64");
    const stsToken = req.headers["authorization-sts-token"] as string | undefined;
    const valid =
      !!m && m[1] === this.accessKeyId && m[2] === expected && !!req.headers.date && (this.securityToken === undefined || stsToken === this.securityToken);
    this.requests.push({ method: req.method ?? "", resource, headers: req.headers, signatureValid: valid, stsToken });
    if (!valid) return this.error(res, 403, "SignatureNotMatch", "The request signature we calculated does not match the signature you provided");

    const [path, query = ""] = resource.split("?", 2);
    this.action = FakeMaxCompute.actionOf(req.method ?? "", path, query);
    if (this.action) {
      const q: Record<string, string> = {};
      new URLSearchParams(query).forEach((v, k) => (q[k] = v));
      const problems = this.models.request(this.action, { method: req.method ?? "", query: q, ...(req.method === "POST" ? { xml: body } : {}) });
      if (problems.length > 0) return this.error(res, 400, "FakeModel.Request", `the request breaks the official model: ${problems.join("; ")}`);
      if (applyFault(this.faults, this.action, res, "rest", (st, code, msg) => this.error(res, st, code, msg))) return;
    }
    let p: RegExpExecArray | null;
    if (req.method === "GET" && (p = /^\/projects\/([^/]+)\/tables\/([^/]+)$/.exec(path))) {
      const t = this.tables.get(`${p[1]}.${p[2]}`);
      if (!t) return this.error(res, 404, "NoSuchObject", `Table not found - '${p[1]}.default.${p[2]}'`);
      const params = new URLSearchParams(query);
      if (params.has("partitions")) return this.listPartitions(res, t, params);
      const schema = JSON.stringify({
        columns: t.columns.map((c) => ({ ...c, label: "" })),
        partitionKeys: t.partitions.map((c) => ({ ...c, label: "" })),
        comment: "",
        lifecycle: t.lifecycle,
      });
      return this.send(
        res,
        200,
        `<?xml version="1.0" encoding="UTF-8"?><Table><Name>${p[2]}</Name><TableId>t${this.seq}</TableId><Schema><![CDATA[${schema}]]></Schema></Table>`,
      );
    }
    if (req.method === "POST" && (p = /^\/projects\/([^/]+)\/instances$/.exec(path))) {
      if (req.headers["content-type"] !== "application/xml") return this.error(res, 400, "InvalidContentType", "expected application/xml");
      const q = /<Query><!\[CDATA\[([\s\S]*?)\]\]><\/Query>/.exec(body);
      if (!/<Instance><Job>[\s\S]*<Tasks><SQL><Name>[^<]+<\/Name>[\s\S]*<\/SQL><\/Tasks>[\s\S]*<\/Job><\/Instance>/.test(body) || !q) {
        return this.error(res, 400, "InvalidXmlRequestBody", "expected <Instance><Job>...<Tasks><SQL>...<Query>");
      }
      const id = `2026113010${String(this.instances.size).padStart(4, "0")}fake`;
      this.instances.set(id, { id, project: p[1], sql: q[1], body, polls: 0, status: "Running", taskStatus: "RUNNING", result: "" });
      const host = req.headers.host;
      return this.send(res, 201, "", { Location: `http://${host}/api/projects/${p[1]}/instances/${id}` });
    }
    if (req.method === "GET" && (p = /^\/projects\/([^/]+)\/instances\/([^/]+)$/.exec(path))) {
      const inst = this.instances.get(p[2]);
      if (!inst) return this.error(res, 404, "NoSuchObject", `instance ${p[2]} not found`);
      if (query === "") {
        if (inst.status === "Running" && ++inst.polls > this.runningPolls) this.finish(inst);
        return this.send(res, 200, `<?xml version="1.0" encoding="UTF-8"?><Instance><Status>${inst.status}</Status></Instance>`);
      }
      if (query === "taskstatus") {
        return this.send(
          res,
          200,
          `<Instance><Status>${inst.status}</Status><Tasks><Task Type="SQL"><Name>AnonymousSQLTask</Name><Status>${inst.taskStatus}</Status></Task></Tasks></Instance>`,
        );
      }
      if (query === "result") {
        const b64 = Buffer.from(inst.result).toString("base64");
        return this.send(
          res,
          200,
          `<Instance><Tasks><Task Type="SQL"><Name>AnonymousSQLTask</Name><Result Transform="Base64" Format="text">${b64}</Result></Task></Tasks></Instance>`,
        );
      }
    }
    return this.error(res, 404, "NoSuchObject", `the fake does not serve ${req.method} ${resource}`);
  }

  /** pyodps `iterate_partitions`: `?partitions&expectmarker=true[&partition=<spec prefix>][&marker=]`, 2 per page. */
  private listPartitions(res: http.ServerResponse, t: FakeTable, params: URLSearchParams): void {
    // `ds='20261129'` (a PartitionSpec's text) filters by prefix.
    const filter = (params.get("partition") ?? "").replace(/'/g, "").split(",").filter(Boolean);
    const all = (t.partitionValues ?? []).filter((v) => filter.every((f) => v.split("/").includes(f))).sort();
    const start = Number(params.get("marker") || 0);
    const page = all.slice(start, start + 2);
    const next = start + 2 < all.length ? String(start + 2) : "";
    const xml = page
      .map(
        (v) =>
          `<Partition>${v
            .split("/")
            .map((kv) => {
              const [k, val] = kv.split("=");
              return `<Column Name="${k}" Value="${val}"/>`;
            })
            .join("")}<CreationTime>1764460800</CreationTime></Partition>`,
      )
      .join("");
    this.send(res, 200, `<?xml version="1.0" encoding="UTF-8"?><Partitions>${xml}<Marker>${next}</Marker><MaxItems>2</MaxItems></Partitions>`);
  }

  /** Runs the instance's statement against the model. */
  private finish(inst: FakeInstance): void {
    inst.status = "Terminated";
    const fail = (text: string) => {
      inst.taskStatus = "FAILED";
      inst.result = text;
    };
    if (this.failNext !== undefined) {
      const text = this.failNext;
      this.failNext = undefined;
      return fail(text);
    }
    const lc = /^ALTER TABLE `?(\w+)`? SET LIFECYCLE (-?\d+);?$/i.exec(inst.sql.trim());
    if (lc) {
      const table = this.tables.get(`${inst.project}.${lc[1]}`);
      if (!table) return fail(`ODPS-0130131:[1,13] Table not found - table ${inst.project}.${lc[1]} cannot be resolved`);
      if (Number(lc[2]) < 1) return fail(`ODPS-0130071:[1,1] Semantic analysis exception - lifecycle must be a positive integer: ${lc[2]}`);
      table.lifecycle = Number(lc[2]);
      inst.taskStatus = "SUCCESS";
      inst.result = "OK";
      return;
    }
    const m = /^ALTER TABLE `?(\w+)`? ADD COLUMNS \(([\s\S]*)\);?$/i.exec(inst.sql.trim());
    if (!m) return fail(`ODPS-0130161:[1,1] Parse exception - the fake understands only ALTER TABLE ... ADD COLUMNS and SET LIFECYCLE: ${inst.sql}`);
    const table = this.tables.get(`${inst.project}.${m[1]}`);
    if (!table) return fail(`ODPS-0130131:[1,13] Table not found - table ${inst.project}.${m[1]} cannot be resolved`);
    const cols = [...m[2].matchAll(/`(\w+)`\s+([A-Za-z]+(?:\([\d, ]+\))?)(?:\s+COMMENT\s+'((?:[^'\\]|\\.)*)')?/g)].map((c) => ({
      name: c[1],
      type: c[2].toLowerCase(),
      comment: (c[3] ?? "").replace(/\\(.)/g, "$1"),
    }));
    for (const c of cols) {
      if ([...table.columns, ...table.partitions].some((e) => e.name === c.name)) {
        return fail(`ODPS-0130071:[1,1] Semantic analysis exception - column ${c.name} already exists in table ${m[1]}`);
      }
    }
    table.columns.push(...cols);
    inst.taskStatus = "SUCCESS";
    inst.result = "OK";
  }
}
