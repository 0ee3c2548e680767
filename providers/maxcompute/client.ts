/**
 * A small client of the MaxCompute REST API (the ODPS protocol): read a table's schema, run one
 * SQL statement. There is no Node.js MaxCompute SDK (npm has no `odps` / `@alicloud/maxcompute*`
 * package with it), and the MaxCompute OpenAPI 2022-01-04 has no SQL operation, so this speaks
 * the protocol the official SDKs speak, with Node's `crypto` and `fetch`.
 *
 * Sources (aliyun/aliyun-odps-python-sdk, "pyodps"):
 * - signature: odps/accounts.py, `BaseAccount._build_canonical_str` and `AliyunAccount.sign_request`
 *   (commit 15ec52961701720bd8d38ac425d5d6c4a51f2c9d): `Authorization: ODPS <AccessKeyId>:<base64(HMAC-SHA1(secret, canonical))>`,
 *   canonical = METHOD, then `content-md5`, `content-type`, `date` values and `x-odps-*:<value>` headers and
 *   query parameters, sorted by lower-case name, then the resource (the path after the endpoint,
 *   unquoted, with its query sorted by key, `k=v` or `k` when empty); STS: `StsAccount.sign_request`
 *   adds the `authorization-sts-token` header after signing (odps/accounts.py, newer stored version).
 * - SQL: odps/models/instances.py (commit 066e6bc787dd9676f2d1a180e2a1cbb0a0d2d6b9): `POST /projects/{p}/instances`
 *   with an `<Instance><Job>` XML body; the `Location` header ends in the instance id.
 *   odps/models/instance.py: `GET .../instances/{id}` -> `<Instance><Status>Running|Suspended|Terminated`;
 *   `?taskstatus` -> `<Tasks><Task><Name/><Status>WAITING|RUNNING|SUCCESS|FAILED|SUSPENDED|CANCELLED`;
 *   `?result` -> `<Tasks><Task><Result [Transform="Base64"]>` (the error text of a failed task).
 * - table: odps/models/table.py (commit 00d6b57393403bb5897475d7eb348a451cffc71c): `GET /projects/{p}/tables/{t}` ->
 *   `<Table><Name/><Schema>` whose text is JSON `{columns: [{name, type, comment}], partitionKeys: [...], lifecycle}`
 *   (`TableSchema.lifecycle = JSONNodeField('lifecycle', parse_callback=int)`: the table's lifecycle in days). A table
 *   without one reports `"lifecycle": -1` (the getTable doc comment of an ODPS PHP SDK,
 *   daidong123654/aliyun-odps-php-sdk src/ODPS/Services/TableService.php @ e3e955f0cea293fa8836fa1c133ce4de85fad51a).
 * - endpoints: https://help.aliyun.com/document_detail/34951.htm (`https://service.<region>.maxcompute.aliyun.com/api`).
 */
import { createHmac } from "crypto";
import type { Credentials } from "../common/credentials";
import { AlibabaApiError, isNotFound, mapFetchError } from "../common/errors";
import { pollUntil, PollingPolicy } from "../common/polling";
import { readTimeoutFromEnv, realSleep, retryCall, retryPolicyFromEnv, RetryPolicy } from "../common/retry";

/** Points the client at another endpoint (tests: `http://127.0.0.1:PORT/api`); it replaces every endpoint the client is given. */
export const MAXCOMPUTE_ENDPOINT_ENV = "PHOTO_ANALYTICS_MAXCOMPUTE_ENDPOINT";

/** A column as MaxCompute reports it (type upper-cased, e.g. `DECIMAL(5,2)`). */
export interface OdpsColumn {
  readonly name: string;
  readonly type: string;
  readonly comment: string;
}

/** What `GET /projects/{p}/tables/{t}` says about a table. */
export interface OdpsTableSchema {
  readonly name: string;
  readonly columns: readonly OdpsColumn[];
  readonly partitions: readonly OdpsColumn[];
  /** The table's lifecycle in days (the Schema JSON's `lifecycle`); undefined when it has none (absent or below 1). */
  readonly lifecycleDays?: number;
}

/** 1 s, doubling to 10 s, for at most 10 minutes: an ALTER TABLE takes seconds. */
export const DEFAULT_SQL_POLLING: PollingPolicy = { intervalMs: 1_000, factor: 2, maxIntervalMs: 10_000, timeoutMs: 10 * 60_000 };

/** The public MaxCompute endpoint of a region. */
export function maxComputeEndpoint(region: string): string {
  return `https://service.${region}.maxcompute.aliyun.com/api`;
}

/**
 * An error of the MaxCompute API: an error answer (`<Error><Code/><Message/><RequestId/>`), or no
 * answer at all (the transport's code). The project's one error type (providers/common/errors.ts).
 */
export class MaxComputeApiError extends AlibabaApiError {
  constructor(e: { action: string; code: string; message: string; requestId?: string; statusCode?: number }) {
    super({ service: "MaxCompute", ...e });
    this.name = "MaxComputeApiError";
  }

  /** The HTTP status of the answer (0 when none came). */
  get status(): number {
    return this.statusCode ?? 0;
  }
}

/** A SQL instance that failed or did not finish in time (code `Instance.Failed`, `Instance.Timeout`). */
export class MaxComputeSqlError extends MaxComputeApiError {
  constructor(
    readonly instanceId: string,
    code: "Instance.Failed" | "Instance.Timeout" | "Instance.NoLocation",
    message: string,
  ) {
    super({ action: "SQL instance", code, message });
    this.name = "MaxComputeSqlError";
  }
}

/**
 * The REST operations the client sends, named as the model file names them
 * (tests/support/api-models/maxcompute.json): a read is retried after throttling, a 5xx or no
 * answer; CreateInstance (a SQL statement) is not repeated when its outcome is unknown.
 */
export type MaxComputeAction = "GetTable" | "ListPartitions" | "CreateInstance" | "GetInstance" | "GetInstanceTaskStatus" | "GetInstanceResult";

/** Query string as signed: sorted by key, `k=v`, or `k` when the value is empty. */
export function canonicalQuery(query: Readonly<Record<string, string>>): string {
  return Object.keys(query)
    .sort()
    .map((k) => (query[k] === "" ? k : `${k}=${query[k]}`))
    .join("&");
}

/**
 * The string an ODPS request signs (pyodps `_build_canonical_str`): `resource` is the path after
 * the endpoint (e.g. `/projects/p/instances/ID`), `query` its parameters, `headers` the request's.
 */
export function canonicalString(method: string, resource: string, query: Readonly<Record<string, string>>, headers: Readonly<Record<string, string>>): string {
  const signed: Record<string, string> = { "content-md5": "", "content-type": "" };
  for (const [k, v] of Object.entries(headers)) {
    const key = k.toLowerCase();
    if (key === "content-md5" || key === "content-type" || key === "date" || key.startsWith("x-odps")) signed[key] = v;
  }
  for (const [k, v] of Object.entries(query)) if (k.startsWith("x-odps-")) signed[k] = v;
  const lines = [method.toUpperCase()];
  for (const k of Object.keys(signed).sort()) lines.push(k.startsWith("x-odps-") ? `${k}:${signed[k]}` : signed[k]);
  const q = canonicalQuery(query);
  lines.push(decodeURIComponent(resource) + (q ? `?${q}` : ""));
  return lines.join("\n");
}

/** `ODPS <AccessKeyId>:<signature>`. */
export function authorizationHeader(accessKeyId: string, accessKeySecret: string, canonical: string): string {
  return `ODPS ${accessKeyId}:${createHmac("sha1", accessKeySecret).update(canonical, "utf8").digest("base64")}`;
}

function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e] as string);
}

/** Inner text of every `<tag ...>` element (CDATA unwrapped, entities decoded), with its attributes. */
export function xmlElements(xml: string, tag: string): { text: string; attrs: Record<string, string> }[] {
  const out: { text: string; attrs: Record<string, string> }[] = [];
  const re = new RegExp(`<${tag}(\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "g");
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? "").matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]] = decodeEntities(a[2]);
    // CDATA sections verbatim (a `]]>` in the text is split over two sections), the rest decoded.
    const text = m[2].includes("<![CDATA[") ? [...m[2].matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)].map((c) => c[1]).join("") : decodeEntities(m[2]);
    out.push({ text, attrs });
  }
  return out;
}

const first = (xml: string, tag: string): string => xmlElements(xml, tag)[0]?.text ?? "";

function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
}

/** The `<Instance>` body of a one-statement SQL job (pyodps odps/models/job.py field order). */
export function sqlJobXml(sql: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    "<Instance><Job><Priority>9</Priority><Tasks><SQL><Name>AnonymousSQLTask</Name>" +
    // Type system 2 (TINYINT, SMALLINT, DATETIME... in ADD COLUMNS), as the project itself sets.
    '<Config><Property><Name>settings</Name><Value>{"odps.sql.type.system.odps2":"true"}</Value></Property></Config>' +
    `<Query>${cdata(sql)}</Query></SQL></Tasks><DAG><RunMode>Sequence</RunMode></DAG></Job></Instance>`
  );
}

/** Options of {@link MaxComputeClient}. */
export interface MaxComputeClientOptions {
  /** API base, e.g. `https://service.cn-shanghai.maxcompute.aliyun.com/api` (`PHOTO_ANALYTICS_MAXCOMPUTE_ENDPOINT` replaces it). */
  readonly endpoint: string;
  /** Resolved once per request (so an STS token refreshed by the chain is used). */
  readonly credentials: () => Promise<Credentials>;
  /** @default DEFAULT_SQL_POLLING */
  readonly polling?: PollingPolicy;
  /** @default providers/common/retry.ts DEFAULT_RETRY (or its PHOTO_ANALYTICS_RETRY_BASE_MS override) */
  readonly retry?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Longest wait for one answer, in milliseconds. @default 30000, or PHOTO_ANALYTICS_API_READ_TIMEOUT_MS */
  readonly readTimeoutMs?: number;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export class MaxComputeClient {
  private readonly endpoint: string;
  private readonly polling: PollingPolicy;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly readTimeoutMs: number;

  constructor(private readonly options: MaxComputeClientOptions) {
    const env = options.env ?? process.env;
    this.endpoint = (env[MAXCOMPUTE_ENDPOINT_ENV] || options.endpoint).replace(/\/+$/, "");
    this.polling = options.polling ?? DEFAULT_SQL_POLLING;
    this.retry = options.retry ?? retryPolicyFromEnv(env);
    this.sleep = options.sleep ?? realSleep;
    this.readTimeoutMs = options.readTimeoutMs ?? readTimeoutFromEnv(env, 30_000);
  }

  /**
   * One signed request through the one retry policy (reads repeated after throttling, a 5xx or no
   * answer; CreateInstance only after throttling); throws `MaxComputeApiError` on an error status
   * or when no answer came.
   */
  async request(
    action: MaxComputeAction,
    method: "GET" | "POST" | "PUT",
    resource: string,
    opts: { query?: Record<string, string>; body?: string; contentType?: string } = {},
  ): Promise<{ status: number; headers: Headers; text: string }> {
    return retryCall(() => this.send(action, method, resource, opts), { idempotent: action !== "CreateInstance", policy: this.retry, sleep: this.sleep });
  }

  private async send(
    action: MaxComputeAction,
    method: "GET" | "POST" | "PUT",
    resource: string,
    opts: { query?: Record<string, string>; body?: string; contentType?: string },
  ): Promise<{ status: number; headers: Headers; text: string }> {
    const creds = await this.options.credentials();
    const query = opts.query ?? {};
    const headers: Record<string, string> = { Date: new Date().toUTCString() };
    if (opts.contentType) headers["Content-Type"] = opts.contentType;
    headers.Authorization = authorizationHeader(creds.accessKeyId, creds.accessKeySecret, canonicalString(method, resource, query, headers));
    if (creds.securityToken) headers["authorization-sts-token"] = creds.securityToken;
    const q = canonicalQuery(query);
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.endpoint}${resource}${q ? `?${q}` : ""}`, {
        method,
        headers,
        body: opts.body,
        signal: AbortSignal.timeout(this.readTimeoutMs),
      });
      text = await res.text();
    } catch (e) {
      throw mapFetchError(e, { action, endpoint: this.endpoint }, (x) => new MaxComputeApiError(x));
    }
    if (res.status >= 400) {
      throw new MaxComputeApiError({
        action,
        // pyodps parse_response (odps/errors.py @066e6bc): a 404 whose body names no code is NoSuchObject.
        code: first(text, "Code") || (res.status === 404 ? "NoSuchObject" : `HTTP${res.status}`),
        message: first(text, "Message") || text.slice(0, 300) || "no message",
        requestId: first(text, "RequestId") || res.headers.get("x-odps-request-id") || undefined,
        statusCode: res.status,
      });
    }
    return { status: res.status, headers: res.headers, text };
  }

  /** The table's schema; undefined when the table does not exist (`NoSuchObject` / `NoSuchTable`; any other error throws). */
  async getTable(project: string, table: string): Promise<OdpsTableSchema | undefined> {
    let text: string;
    try {
      text = (await this.request("GetTable", "GET", `/projects/${project}/tables/${table}`)).text;
    } catch (e) {
      if (e instanceof MaxComputeApiError && isNotFound(e, "MaxCompute")) return undefined;
      throw e;
    }
    const schema = JSON.parse(first(text, "Schema") || "{}") as { columns?: OdpsColumn[]; partitionKeys?: OdpsColumn[]; lifecycle?: number | string };
    const cols = (cs: OdpsColumn[] | undefined) =>
      (cs ?? []).map((c) => ({ name: c.name, type: c.type.replace(/\s+/g, "").toUpperCase(), comment: c.comment ?? "" }));
    // pyodps parses it with int(): accept a number or its text; -1 (or nothing) means no lifecycle.
    const lifecycle = Number(schema.lifecycle);
    return {
      name: first(text, "Name") || table,
      columns: cols(schema.columns),
      partitions: cols(schema.partitionKeys),
      ...(Number.isInteger(lifecycle) && lifecycle >= 1 ? { lifecycleDays: lifecycle } : {}),
    };
  }

  /**
   * Partition specs of a table (`ds=20261129/hh=10`), optionally only those under `prefix`
   * (e.g. `ds='20261129'`); undefined when the table does not exist. pyodps
   * odps/models/partitions.py `iterate_partitions` (commit 00d6b57393403bb5897475d7eb348a451cffc71c):
   * `GET /projects/{p}/tables/{t}?partitions&expectmarker=true[&partition=<spec>][&marker=...]`, an XML
   * `<Partitions><Partition><Column Name=".." Value=".."/>...</Partition>...<Marker/>` page.
   */
  async listPartitions(project: string, table: string, prefix?: string): Promise<string[] | undefined> {
    const out: string[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 100; page++) {
      const query: Record<string, string> = { partitions: "", expectmarker: "true" };
      if (prefix) query.partition = prefix;
      if (marker) query.marker = marker;
      let text: string;
      try {
        text = (await this.request("ListPartitions", "GET", `/projects/${project}/tables/${table}`, { query })).text;
      } catch (e) {
        if (e instanceof MaxComputeApiError && isNotFound(e, "MaxCompute")) return undefined;
        throw e;
      }
      for (const p of text.match(/<Partition>[\s\S]*?<\/Partition>/g) ?? []) {
        const cols = [...p.matchAll(/<Column\s+Name="([^"]*)"\s+Value="([^"]*)"\s*\/?>/g)].map((m) => `${m[1]}=${m[2]}`);
        if (cols.length > 0) out.push(cols.join("/"));
      }
      marker = first(text, "Marker") || undefined;
      if (!marker) break;
    }
    return out;
  }

  /**
   * Runs one SQL statement: submits an instance, polls its status with backoff until it is
   * Terminated, then checks every task succeeded. Returns the instance id and the task result
   * text; throws `MaxComputeSqlError` with the instance id and the error text otherwise.
   */
  async runSql(project: string, sql: string): Promise<{ instanceId: string; result: string }> {
    const submitted = await this.request("CreateInstance", "POST", `/projects/${project}/instances`, { body: sqlJobXml(sql), contentType: "application/xml" });
    const location = submitted.headers.get("location") ?? "";
    const instanceId = location.split("/").pop() ?? "";
    if (!instanceId)
      throw new MaxComputeSqlError("", "Instance.NoLocation", `MaxCompute accepted the SQL instance but sent no Location header (status ${submitted.status})`);
    const resource = `/projects/${project}/instances/${instanceId}`;
    await pollUntil(
      async () => {
        const status = first((await this.request("GetInstance", "GET", resource)).text, "Status");
        return status === "Terminated" ? { done: true, value: status } : { done: false, status };
      },
      this.polling,
      {
        sleep: this.sleep,
        onTimeout: (status) =>
          new MaxComputeSqlError(
            instanceId,
            "Instance.Timeout",
            `MaxCompute instance ${instanceId} is still ${status || "running"} after ${this.polling.timeoutMs} ms: ${sql}`,
          ),
      },
    );
    const tasks = xmlElements((await this.request("GetInstanceTaskStatus", "GET", resource, { query: { taskstatus: "" } })).text, "Task").map((t) => ({
      name: first(t.text, "Name"),
      status: first(t.text, "Status").toUpperCase(),
    }));
    const results = xmlElements((await this.request("GetInstanceResult", "GET", resource, { query: { result: "" } })).text, "Task").map((t) => {
      const r = xmlElements(t.text, "Result")[0];
      const text = r?.attrs.Transform === "Base64" ? Buffer.from(r.text, "base64").toString("utf8") : (r?.text ?? "");
      return { name: first(t.text, "Name"), text };
    });
    const failed = tasks.filter((t) => t.status !== "SUCCESS");
    if (tasks.length === 0 || failed.length > 0) {
      const detail = failed.map((t) => `${t.name} ${t.status}: ${results.find((r) => r.name === t.name)?.text.trim() ?? ""}`).join("; ");
      throw new MaxComputeSqlError(instanceId, "Instance.Failed", `MaxCompute instance ${instanceId} failed (${detail || "no task reported"}): ${sql}`);
    }
    return { instanceId, result: results.map((r) => r.text).join("\n") };
  }
}
