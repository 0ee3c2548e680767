/**
 * A local fake of the SLS endpoints the stack and the browser example talk to,
 * on 127.0.0.1:
 *
 * - the MaxCompute export API (2020-12-30, ROA style, as `@alicloud/sls20201230`
 *   sends it): checks the project host, `x-log-apiversion`, the signature
 *   method, and recomputes the `LOG <id>:<signature>` HMAC-SHA256 signature
 *   with the test secret; answers like SLS (JSON error bodies with errorCode),
 *   and `GetMaxComputeExport` returns the job as SLS does: server defaults
 *   filled in, `bufferInterval` a string, plus createTime, lastModifiedTime,
 *   scheduleId and status (see `serverForm`);
 * - web tracking (`POST /logstores/<logstore>/track?APIVersion=0.6.0`):
 *   records every request, checks it against the event schema and the
 *   4,096 logs / 3 MB limits, and answers with CORS headers like SLS.
 *
 * The SDK addresses `<project>.<endpoint>`; `routeHostsToLocalhost` makes
 * names under a test domain resolve to 127.0.0.1 for this process.
 */
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { loadModels, ModelGuard } from "./api-models/check";
import { applyFault, FaultInjector } from "./faults";
import { validateWebTrackingBody } from "../../lib/sls/event-schema";
import { exportColumns, maxcomputeEndpoints } from "../../lib/sls/sls-objects";
import type { MaxComputeExportInputs } from "../../providers/sls/maxcompute-export";

/** The AccessKey pair tests hand the SDK; the fake checks signatures with it. */
export const TEST_ACCESS_KEY_ID = "LTAItestkeyid000";
export const TEST_ACCESS_KEY_SECRET = "test-secret-not-real";

/** One recorded request. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly host: string;
  /** The project, taken from the host's first label. */
  readonly project: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** Problems the fake found (empty when the request is well-formed). */
  readonly problems: string[];
}

export interface FakeSls {
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Export jobs, keyed `<project>/<name>`. */
  readonly exports: Map<string, Record<string, unknown>>;
  /** Log counts GetHistograms answers, keyed `<project>/<logstore>?<query>`, else `<project>/<logstore>` (absent: 0). */
  readonly histogramCounts: Map<string, number>;
  /** Web-tracking requests only. */
  trackRequests(): RecordedRequest[];
  /** Every OpenAPI request and answer held to the official models (tests/support/api-models/sls.json). */
  readonly models: ModelGuard;
  /** Requests and answers that break the official models. */
  readonly modelViolations: string[];
  /** Faults any OpenAPI call can meet (throttling, 5xx, timeout; before or after it takes effect). */
  readonly faults: FaultInjector;
  close(): Promise<void>;
}

/** The signature the SLS gateway computes (v1, HMAC-SHA256), from the request as received. */
export function expectedSignature(method: string, path: string, query: Record<string, string>, headers: http.IncomingHttpHeaders, secret: string): string {
  const h = (k: string) => (headers[k] as string | undefined) ?? "";
  let canonical = `${h("content-md5")}\n${h("content-type")}\n${h("date")}\n`;
  for (const k of Object.keys(headers).sort()) {
    if (k.startsWith("x-log-") || k.startsWith("x-acs-")) canonical += `${k}:${headers[k]}\n`;
  }
  let resource = path;
  const keys = Object.keys(query).sort();
  keys.forEach((k, i) => {
    resource += `${i === 0 ? "?" : "&"}${k}${query[k] !== "" ? `=${query[k]}` : ""}`;
  });
  return crypto.createHmac("sha256", secret).update(`${method}\n${canonical}${resource}`).digest("base64");
}

function send(res: http.ServerResponse, status: number, body?: unknown, extra: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "x-log-requestid": crypto.randomBytes(8).toString("hex"),
    ...extra,
  });
  res.end(text);
}

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "POST, GET, OPTIONS",
  "access-control-allow-headers": "*",
};

function checkExportBody(body: any, problems: string[], withName: boolean): void {
  const need = (cond: boolean, what: string) => {
    if (!cond) problems.push(what);
  };
  if (withName) need(typeof body?.name === "string" && /^[a-z0-9][a-z0-9_-]{0,62}[a-z0-9]$/.test(body.name), "body.name");
  need(typeof body?.displayName === "string" && body.displayName.length > 0, "body.displayName");
  const c = body?.configuration;
  need(typeof c?.logstore === "string", "configuration.logstore");
  need(typeof c?.roleArn === "string" && c.roleArn.startsWith("acs:ram::"), "configuration.roleArn");
  need(typeof c?.fromTime === "number" && typeof c?.toTime === "number", "configuration.fromTime/toTime");
  const s = c?.sink;
  for (const k of ["odpsEndpoint", "odpsProject", "odpsTable", "odpsRolearn", "partitionTimeFormat", "timeZone"]) {
    need(typeof s?.[k] === "string" && s[k].length > 0, `configuration.sink.${k}`);
  }
  need(Array.isArray(s?.fields) && s.fields.length > 0, "configuration.sink.fields");
  need(Array.isArray(s?.partitionColumn) && s.partitionColumn.length > 0, "configuration.sink.partitionColumn");
  need(s?.odpsAccessKeyId === undefined && s?.odpsAccessSecret === undefined, "no AccessKey in the sink (deprecated; use odpsRolearn)");
}

/**
 * A job as `GetMaxComputeExport` returns it (the MaxComputeExport struct): what was sent,
 * with the server's defaults filled in (`description` "", sink `timeFormatType`
 * "StrfTimeFormat", `filterInvalid` true, `bufferInterval` "1800", the deprecated AccessKey
 * fields empty), and `bufferInterval` as a string whatever the client sent.
 * https://help.aliyun.com/zh/sls/developer-reference/api-sls-2020-12-30-getmaxcomputeexport,
 * https://help.aliyun.com/zh/sls/developer-reference/api-sls-2020-12-30-struct-maxcomputeexportconfigurationsink
 */
export function serverForm(sent: any): Record<string, unknown> {
  const sink = sent?.configuration?.sink ?? {};
  return {
    name: sent?.name,
    displayName: sent?.displayName,
    description: sent?.description ?? "",
    configuration: {
      ...sent?.configuration,
      sink: {
        odpsAccessKeyId: "",
        odpsAccessSecret: "",
        timeFormatType: "StrfTimeFormat",
        filterInvalid: true,
        ...sink,
        bufferInterval: String(sink.bufferInterval ?? "1800"),
      },
    },
  };
}

/** Starts the fake. `endpointSuffix` is the SLS endpoint the clients use (`<project>.<suffix>`). */
export async function startFakeSls(): Promise<FakeSls> {
  const requests: RecordedRequest[] = [];
  const jobs = new Map<string, Record<string, unknown>>();
  const histogramCounts = new Map<string, number>();
  const models = new ModelGuard(loadModels("sls"));
  const faults = new FaultInjector();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        handle();
      } catch (e) {
        send(res, 500, { errorCode: "InternalServerError", errorMessage: `fake SLS: ${(e as Error).stack}` });
      }
    });
    const handle = (): void => {
      const url = new URL(req.url ?? "/", "http://local");
      const query: Record<string, string> = {};
      url.searchParams.forEach((v, k) => (query[k] = v));
      const host = req.headers.host ?? "";
      const project = host.split(".")[0];
      const body = Buffer.concat(chunks);
      const problems: string[] = [];
      const rec: RecordedRequest = { method: req.method ?? "", path: url.pathname, query, host, project, headers: req.headers, body, problems };
      requests.push(rec);

      const track = /^\/logstores\/([^/]+)\/track$/.exec(url.pathname);
      if (track) {
        if (req.method === "OPTIONS") return send(res, 200, undefined, CORS);
        if (req.method !== "POST") problems.push(`method ${req.method}; web tracking batches are POST`);
        if (query.APIVersion !== "0.6.0") problems.push(`APIVersion is ${JSON.stringify(query.APIVersion)}; expected "0.6.0"`);
        const v = validateWebTrackingBody(body);
        problems.push(...v.errors);
        if (problems.length > 0) {
          return send(res, 400, { errorCode: "PostBodyInvalid", errorMessage: problems.join("; ") }, CORS);
        }
        return send(res, 200, undefined, CORS);
      }

      // OpenAPI (signed) requests.
      if (req.headers["x-log-apiversion"] !== "0.6.0") problems.push("x-log-apiversion is not 0.6.0");
      if (req.headers["x-log-signaturemethod"] !== "hmac-sha256") problems.push("x-log-signaturemethod is not hmac-sha256");
      if (!req.headers.date) problems.push("no date header");
      const auth = /^LOG ([^:]+):(.+)$/.exec(String(req.headers.authorization ?? ""));
      if (!auth) problems.push("no `LOG <id>:<signature>` authorization header");
      else {
        if (auth[1] !== TEST_ACCESS_KEY_ID) problems.push(`access key id ${auth[1]}`);
        const want = expectedSignature(req.method ?? "", url.pathname, query, req.headers, TEST_ACCESS_KEY_SECRET);
        if (auth[2] !== want) problems.push("signature mismatch");
      }
      if (body.length > 0) {
        const md5 = crypto.createHash("md5").update(body).digest("hex").toUpperCase();
        if (req.headers["content-md5"] !== md5) problems.push("content-md5 mismatch");
        if (req.headers["content-type"] !== "application/json") problems.push("content-type is not application/json");
      }
      if (problems.length > 0) {
        return send(res, 401, { errorCode: "SignatureNotMatch", errorMessage: problems.join("; ") });
      }

      const action =
        url.pathname === "/maxcomputeexports" && req.method === "POST"
          ? "CreateMaxComputeExport"
          : /^\/maxcomputeexports\/[^/]+$/.test(url.pathname)
            ? ({ GET: "GetMaxComputeExport", PUT: "UpdateMaxComputeExport", DELETE: "DeleteMaxComputeExport" } as Record<string, string>)[req.method ?? ""]
            : /^\/logstores\/[^/]+\/index$/.test(url.pathname) && query.type === "histogram"
              ? "GetHistograms"
              : undefined;
      if (action) {
        let json: unknown;
        try {
          json = body.length ? JSON.parse(body.toString()) : undefined;
        } catch {
          json = undefined;
        }
        // `type=histogram` is part of the SDK's pathname for GetHistograms, not a parameter.
        const { type: _fixed, ...params } = query;
        const wrong = models.request(action, { method: req.method ?? "", query: action === "GetHistograms" ? params : query, json });
        if (wrong.length > 0) return send(res, 400, { errorCode: "FakeModel.Request", errorMessage: wrong.join("; ") });
        if (applyFault(faults, action, res, "rest", (st, code, msg) => send(res, st, { errorCode: code, errorMessage: msg }))) return;
      }
      /** A successful answer, held to the response model first. */
      const ok = (payload?: unknown, extra: Record<string, string> = {}): void => {
        const wrong = action && payload !== undefined ? models.response(action, payload) : [];
        if (wrong.length > 0) return send(res, 400, { errorCode: "FakeModel.Response", errorMessage: wrong.join("; ") });
        send(res, 200, payload, extra);
      };

      // GetHistograms (GET /logstores/<logstore>/index?type=histogram&from&to&query): one bucket per
      // call here, the array SLS answers (`[{from, to, count, progress}]`).
      const hist = /^\/logstores\/([^/]+)\/index$/.exec(url.pathname);
      if (hist && req.method === "GET" && query.type === "histogram") {
        if (!query.from || !query.to) return send(res, 400, { errorCode: "ParameterInvalid", errorMessage: "from and to are required" });
        // A count set for the query (`<project>/<logstore>?<query>`) first, else for the logstore.
        const count = histogramCounts.get(`${project}/${hist[1]}?${query.query ?? ""}`) ?? histogramCounts.get(`${project}/${hist[1]}`) ?? 0;
        return ok([{ from: Number(query.from), to: Number(query.to), count, progress: "Complete" }], {
          "x-log-progress": "Complete",
          "x-log-count": String(count),
        });
      }
      const one = /^\/maxcomputeexports\/([^/]+)$/.exec(url.pathname);
      let parsed: any;
      try {
        parsed = body.length ? JSON.parse(body.toString()) : undefined;
      } catch {
        return send(res, 400, { errorCode: "PostBodyInvalid", errorMessage: "body is not JSON" });
      }
      if (url.pathname === "/maxcomputeexports" && req.method === "POST") {
        checkExportBody(parsed, problems, true);
        if (problems.length > 0) return send(res, 400, { errorCode: "ParameterInvalid", errorMessage: problems.join("; ") });
        const key = `${project}/${parsed.name}`;
        if (jobs.has(key)) return send(res, 400, { errorCode: "JobAlreadyExist", errorMessage: `job ${parsed.name} already exists` });
        const now = Math.floor(Date.now() / 1000);
        jobs.set(key, {
          ...serverForm(parsed),
          createTime: now,
          lastModifiedTime: now,
          scheduleId: crypto.createHash("md5").update(key).digest("hex"),
          status: "RUNNING",
        });
        return ok();
      }
      if (one) {
        const key = `${project}/${one[1]}`;
        const job = jobs.get(key);
        if (!job) return send(res, 404, { errorCode: "JobNotExist", errorMessage: `job ${one[1]} does not exist` });
        if (req.method === "GET") return ok(job);
        if (req.method === "DELETE") {
          jobs.delete(key);
          return ok();
        }
        if (req.method === "PUT") {
          checkExportBody(parsed, problems, false);
          if (problems.length > 0) return send(res, 400, { errorCode: "ParameterInvalid", errorMessage: problems.join("; ") });
          jobs.set(key, { ...job, ...serverForm({ ...parsed, name: job.name }), lastModifiedTime: Math.floor(Date.now() / 1000) });
          return ok();
        }
      }
      return send(res, 404, { errorCode: "NotFound", errorMessage: `${req.method} ${url.pathname}` });
    };
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    exports: jobs,
    histogramCounts,
    trackRequests: () => requests.filter((r) => /\/track$/.test(r.path) && r.method === "POST"),
    models,
    modelViolations: models.violations,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        faults.release();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * Makes every host name ending in `.${domain}` resolve to 127.0.0.1 in this
 * process (the SDK connects to `<project>.<endpoint>`). Returns the undo.
 */
export function routeHostsToLocalhost(domain: string): () => void {
  // The module object itself (an `import * as` namespace is read-only).

  const dns = require("dns") as { lookup: (...args: any[]) => void };
  const original = dns.lookup;
  const patched = function (hostname: string, options: any, callback?: any): void {
    const cb = typeof options === "function" ? options : callback;
    const opts = typeof options === "function" ? {} : typeof options === "number" ? { family: options } : (options ?? {});
    if (hostname === domain || hostname.endsWith(`.${domain}`)) {
      if (opts.all) return cb(null, [{ address: "127.0.0.1", family: 4 }]);
      return cb(null, "127.0.0.1", 4);
    }
    return (original as any).call(dns, hostname, options, callback);
  };
  dns.lookup = patched;
  return () => {
    dns.lookup = original;
  };
}

/** The export inputs the tests use, against the fake on `port` (host names under `sls.test`). */
export function exampleExportInputs(port: number, over: Partial<MaxComputeExportInputs> = {}): MaxComputeExportInputs {
  return {
    region: "cn-shanghai",
    endpoint: `http://sls.test:${port}`,
    project: "photo-tracking",
    exportName: "user-events-to-maxcompute",
    displayName: "user_events to MaxCompute ods_user_events_sls",
    description: "test",
    logstore: "user_events",
    roleArn: "acs:ram::1234567890:role/aliyunlogdefaultrole",
    odpsRoleArn: "acs:ram::1234567890:role/aliyunlogdefaultrole",
    odpsProject: "photo_dw",
    odpsTable: "ods_user_events_sls",
    ...maxcomputeEndpoints("cn-shanghai"),
    fields: exportColumns().map((c) => c.logField),
    partitionColumn: ["__partition_time__"],
    partitionTimeFormat: "%Y%m%d",
    timeZone: "+0800",
    bufferIntervalSeconds: 1800,
    fromTime: 1,
    ...over,
  };
}
