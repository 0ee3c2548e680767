/**
 * A local fake of the Realtime Compute for Apache Flink API (ververica 2022-07-18, ROA) on
 * 127.0.0.1, for providers/flink/client.ts and the FlinkJobStop dynamic resource: GetJob,
 * StopJob and DeleteJob of jobs seeded with `addJob`.
 *
 * It checks what the official generic client sends for the SDK's shapes
 * (aliyun/alibabacloud-typescript-sdk ververica-20220718/src/client.ts
 * @bd77cd0611a6a3ed1abe2d2b8450ff01bc94d32d): `x-acs-action`, `x-acs-version` 2022-07-18, an
 * `ACS3-HMAC-SHA256` Authorization naming the AccessKey id (an unknown id is answered as the
 * OpenAPI gateway answers it, HTTP 404 `InvalidAccessKeyId.NotFound`; the signature itself is not
 * recomputed), the `workspace` header, the path (`.../jobs/{jobId}%3Astop` for StopJob) and
 * StopJob's `{stopStrategy}` (NONE | STOP_WITH_SAVEPOINT | STOP_WITH_DRAIN, required). Answers
 * `{success, httpCode, requestId, data: Job}`; errors `{success: false, httpCode, errorCode,
 * errorMessage, requestId}` with that HTTP status. A job that does not exist is `990301` (the code
 * the alicloud provider's DeleteJob accepts as gone); the HTTP status of that answer and the
 * refusal codes below are made up (not documented).
 *
 * States (models/JobStatus.ts): a running job stops in two reads: StopJob makes it CANCELLING,
 * the next GetJob answers CANCELLING and then it is CANCELLED; `stuck` keeps it CANCELLING.
 * DeleteJob refuses a job that is STARTING, RUNNING or CANCELLING, as the reference says
 * ("Deletes ... a job that is not in the running state").
 */
import * as http from "http";
import { AddressInfo } from "net";
import { loadModels, ModelGuard } from "./api-models/check";
import { applyFault, FaultInjector } from "./faults";

export interface FakeFlinkJob {
  readonly jobId: string;
  readonly workspace: string;
  readonly namespace: string;
  status: string;
  /** Stays CANCELLING after StopJob (a stop that never ends). */
  stuck?: boolean;
}

export interface FakeFlinkRequest {
  readonly action: string;
  readonly method: string;
  readonly path: string;
  readonly workspace?: string;
  readonly body: unknown;
}

export class FakeFlink {
  readonly jobs = new Map<string, FakeFlinkJob>();
  readonly requests: FakeFlinkRequest[] = [];
  private server?: http.Server;
  private seq = 0;
  /** Every request and answer held to the official models (tests/support/api-models/flink.json). */
  readonly models = new ModelGuard(loadModels("flink"));

  constructor(private readonly accessKeyId: string) {}

  /** Faults any call can meet (throttling, 5xx, timeout; before or after it takes effect). */
  readonly faults = new FaultInjector();

  /** Requests and answers that break the official models. */
  get modelViolations(): string[] {
    return this.models.violations;
  }

  /** Seeds a job (as CreateJob/StartJob would leave it); returns its id. */
  addJob(workspace: string, namespace: string, status = "RUNNING"): string {
    const jobId = `00000000-0000-4000-8000-${String(++this.seq).padStart(12, "0")}`;
    this.jobs.set(jobId, { jobId, workspace, namespace, status });
    return jobId;
  }

  get actions(): string[] {
    return this.requests.map((r) => r.action);
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, Buffer.concat(chunks).toString("utf8"), res));
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.faults.release();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const requestId = `fake-${++this.seq}`;
    const send = (status: number, body: Record<string, unknown>) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ requestId, ...body }));
    };
    const fail = (status: number, errorCode: string, errorMessage: string) => send(status, { success: false, httpCode: status, errorCode, errorMessage });
    const action = String(req.headers["x-acs-action"] ?? "");
    const workspace = req.headers.workspace === undefined ? undefined : String(req.headers.workspace);
    const path = decodeURIComponent((req.url ?? "").split("?")[0]);
    let body: unknown = undefined;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return fail(400, "InvalidParameter", "body is not JSON");
    }
    this.requests.push({ action, method: req.method ?? "", path, workspace, body });

    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),/.exec(String(req.headers.authorization ?? ""));
    if (!auth) return fail(400, "MissingAuthorization", "Authorization header is missing or not ACS3-HMAC-SHA256");
    if (auth[1] !== this.accessKeyId) {
      res.writeHead(404, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ RequestId: requestId, Code: "InvalidAccessKeyId.NotFound", Message: "Specified access key is not found." }));
    }
    if (req.headers["x-acs-version"] !== "2022-07-18") return fail(400, "InvalidVersion", `version ${String(req.headers["x-acs-version"])}`);
    if (!workspace) return fail(400, "MissingParameter", "header workspace is required");
    const modelProblems = this.models.request(action, { method: req.method ?? "", headers: req.headers, json: body });
    if (modelProblems.length > 0) return fail(400, "FakeModel.Request", `the request breaks the official model: ${modelProblems.join("; ")}`);
    if (applyFault(this.faults, action, res, "openapi", fail)) return;
    const ok = (answer: Record<string, unknown>) => {
      const problems = this.models.response(action, { requestId, ...answer });
      if (problems.length > 0) return fail(400, "FakeModel.Response", `the fake's answer breaks the official model: ${problems.join("; ")}`);
      send(200, answer);
    };

    const m = /^\/api\/v2\/namespaces\/([^/]+)\/jobs\/([^/:]+)(:stop)?$/.exec(path);
    if (!m) return fail(404, "InvalidAction.NotFound", `${req.method} ${path}`);
    const [, namespace, jobId, stop] = m;
    const job = this.jobs.get(jobId);
    if (!job || job.namespace !== namespace || job.workspace !== workspace) return fail(404, "990301", `job ${jobId} does not exist`);
    const expected = stop ? ["POST", "StopJob"] : req.method === "DELETE" ? ["DELETE", "DeleteJob"] : ["GET", "GetJob"];
    if (req.method !== expected[0] || action !== expected[1]) return fail(400, "InvalidAction", `${req.method} ${path} is not ${action}`);

    const answer = () =>
      ok({ success: true, httpCode: 200, data: { jobId, namespace, workspace, deploymentId: "d-1", status: { currentJobStatus: job.status } } });
    if (action === "GetJob") {
      answer();
      if (job.status === "CANCELLING" && !job.stuck) job.status = "CANCELLED";
      return;
    }
    if (action === "StopJob") {
      const strategy = (body as { stopStrategy?: unknown } | undefined)?.stopStrategy;
      if (!["NONE", "STOP_WITH_SAVEPOINT", "STOP_WITH_DRAIN"].includes(String(strategy))) {
        return fail(400, "InvalidParameter", `stopStrategy ${JSON.stringify(strategy)} is required: NONE, STOP_WITH_SAVEPOINT or STOP_WITH_DRAIN`);
      }
      if (job.status !== "RUNNING" && job.status !== "STARTING")
        return fail(400, "JobStatusNotAllowed", `job ${jobId} is ${job.status}; only a running job can be stopped`);
      job.status = "CANCELLING";
      return answer();
    }
    if (["STARTING", "RUNNING", "CANCELLING"].includes(job.status))
      return fail(400, "JobStatusNotAllowed", `job ${jobId} is ${job.status}; stop it before deleting it`);
    this.jobs.delete(jobId);
    return ok({ success: true, httpCode: 200 });
  }
}
