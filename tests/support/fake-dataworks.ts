/**
 * A local fake of the DataWorks OpenAPI 2024-05-18 node operations and
 * deployment processes, on 127.0.0.1, for tests of lib/dataworks/openapi.ts
 * and the DataWorksNode dynamic provider.
 *
 * It checks what the official client (`@alicloud/openapi-client` `callApi`)
 * sends: the `x-acs-action` / `x-acs-version` headers, an ACS3-HMAC-SHA256
 * `Authorization` header whose signature it recomputes with the secret it was
 * given, the body hash in `x-acs-content-sha256`, and the form parameters of
 * each action (ProjectId, Scene, Spec as a FlowSpec of kind Node...). It
 * answers like the API: `{RequestId, ...}` on success, and
 * `{RequestId, HostId, Code, Message}` with an HTTP error status otherwise.
 * Errors and throttling can be injected per action.
 *
 * Deployment processes (CreatePipelineRun / GetPipelineRun /
 * ExecPipelineRunStage) move one step per GetPipelineRun: the first stage not
 * yet `Success` goes `Init` -> `Running` -> `Success`, except that a manual
 * stage stays `Init` until ExecPipelineRunStage starts it (the API allows only
 * the next stage: no skipping, no repeating). CreatePipelineRun `RunMode`
 * (`Normal`, the default, or `Auto`; anything else is a 400) and
 * `AutoRunUntilStage` (a stage code of the process, else a 400; required with
 * Auto, which the model says "is used together with" it; honoured only with
 * Auto) work as the official model documents them
 * (CreatePipelineRunRequest.ts @06a71f93): in Auto mode the stages up to and
 * including that stage run on their own, each starting in the step its
 * predecessor succeeds (no ExecPipelineRunStage, no read that finds it
 * waiting), and the stages after it wait as manual ones do. The refusal codes
 * (`InvalidParameter.RunMode`, `InvalidParameter.AutoRunUntilStage`) are made
 * up; how fast a live Auto process moves is not documented. When every stage
 * succeeded the process is `Success` and takes effect: `Online` copies the
 * node's Spec to its production copy (`deployedSpec`), `Offline` removes it. A
 * script per process (`scriptNextPipeline`) makes a stage fail or the process
 * hang, or gives it other stage codes. As
 * the real API documents, DeleteNode refuses a node that is deployed; the
 * error code it answers with here is made up (the real one is not documented).
 *
 * Data Integration jobs (GetDIJob / StartDIJob / StopDIJob; jobs are seeded
 * with `addDiJob`, as the alicloud provider's CreateDIJob would leave them:
 * `Initialized`) follow the JobStatus state machine of the 2024-05-18 API
 * (Initialized, Running, Stopping, Stopped, Finished, Failed): StartDIJob runs
 * a job that is not running, StopDIJob stops a running one (`Stopping`, then
 * stopped at the next read), and each refuses the other states, as
 * `deleteDiJob` refuses a job that still runs (refusal codes made up; unknown
 * jobs answer the provider's documented not-found code `500130`). A stopped job
 * is answered as each reference spells it: GetDIJob `Stop`, ListDIJobs `Stopped`
 * (official SDK models GetDijobResponseBody.ts / ListDijobsResponseBody.ts
 * @7765f7a7d1ae55f20ed04dc0048bf69c56ada042); `getDiJobStopped` switches GetDIJob
 * to `Stopped`, so that readers are tested with both.
 *
 * Compute resources (Create/Get/Update/DeleteComputeResource) are read back
 * the way GetComputeResource documents them: `ConnectionProperties` as an
 * object with lowerCamel keys, `envType` in DataWorks' spelling, plus keys the
 * server fills in itself. Resource groups (seeded with `addResourceGroup`) are
 * bound with AssociateProjectToResourceGroup / DissociateProjectFromResourceGroup
 * and listed per workspace by ListResourceGroups `ProjectId`.
 */
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { loadModels, ModelGuard, parseJson, stringifyJson } from "./api-models/check";
import { applyFault, FaultInjector } from "./faults";

/**
 * CreateAlertRule `TriggerCondition.Type` values as far as the reference lists them (it names more
 * after InstanceErrorCount: add one here before the stack sends it).
 */
const ALERT_TRIGGER_TYPES = [
  "Finished",
  "UnFinished",
  "Error",
  "CycleUnfinished",
  "Timeout",
  "InstanceTransferComplete",
  "InstanceTransferFluctuate",
  "ExhaustedError",
  "InstanceKeyword",
  "InstanceErrorCount",
];

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly action: string;
  readonly version: string;
  readonly query: Record<string, string>;
  /** Form body parameters (POST). */
  readonly form: Record<string, string>;
  readonly headers: http.IncomingHttpHeaders;
  /** The Authorization header's algorithm, access key id and signed headers. */
  readonly auth?: { algorithm: string; accessKeyId: string; signedHeaders: string[] };
  readonly signatureValid: boolean;
  readonly requestId: string;
}

export interface StoredNode {
  id: string;
  projectId: string;
  /** FlowSpec JSON as stored (what GetNode returns). */
  spec: string;
  createTime: number;
  modifyTime: number;
  /** The Spec deployed to production scheduling (undefined when not deployed). */
  deployedSpec?: string;
}

/** A periodic workflow as ImportWorkflowDefinition left it (ids filled in), what GetWorkflowDefinition answers. */
export interface StoredWorkflow {
  readonly id: string;
  readonly projectId: string;
  /** The imported CycleWorkflow FlowSpec, ids assigned: `spec.workflows[0]` with its `nodes` and `dependencies`. */
  doc: any;
  createTime: number;
  modifyTime: number;
  /** Deployed to production scheduling (the last Online process succeeded, no Offline since). */
  deployed: boolean;
  /** Scheduling task id per inner node id, given at the first deployment of the node. */
  readonly taskIds: Map<string, string>;
}

/** An asynchronous job (ImportWorkflowDefinition), answered by GetJobStatus. */
export interface FakeJob {
  readonly id: string;
  readonly status: "Success" | "Fail";
  readonly error: string;
  readonly response: string;
  /** GetJobStatus reads still answering `Running` before the outcome. */
  pendingReads: number;
}

/** How one deployment process behaves. */
export interface PipelineScript {
  /**
   * Stage codes that wait in `Init` until ExecPipelineRunStage. @default ["PROD"] in Normal mode,
   * none in Auto mode (where the stages after AutoRunUntilStage wait too). Named in an Auto
   * process, a stage waits even up to AutoRunUntilStage: the stand-in for a live process whose
   * Auto mode does not drive that stage (not what the model documents).
   */
  readonly manualStages?: readonly string[];
  /** The process's stages in step order, instead of the standard ones (`STAGES`): a workspace whose codes differ. */
  readonly stages?: readonly { readonly code: string; readonly type: string; readonly name: string }[];
  /** This stage fails (`Fail`) once it has run, with this message. */
  readonly failAt?: { readonly code: string; readonly message: string };
  /** The process never ends: the first stage stays `Running`. */
  readonly hang?: boolean;
}

export interface FakeStage {
  readonly code: string;
  readonly step: number;
  readonly type: string;
  readonly name: string;
  /** Waits in `Init` until ExecPipelineRunStage starts it. */
  readonly manual: boolean;
  /** Auto mode: starts in the step the stage before it succeeds (up to and including AutoRunUntilStage). */
  readonly auto: boolean;
  status: string;
  message: string;
}

export interface FakePipelineRun {
  readonly id: string;
  readonly projectId: string;
  readonly type: "Online" | "Offline";
  readonly objectIds: string[];
  readonly description: string;
  /** CreatePipelineRun `RunMode` (`Normal` when not sent). */
  readonly runMode: "Normal" | "Auto";
  /** CreatePipelineRun `AutoRunUntilStage` ("" when not sent). */
  readonly autoRunUntilStage: string;
  status: string;
  message: string;
  readonly stages: FakeStage[];
  readonly script: PipelineScript;
  /** Stage codes started with ExecPipelineRunStage, in order. */
  readonly execs: string[];
  modifyTime: number;
}

/** Stages of a process, as DataWorks names them for a standard-mode workspace. */
const STAGES: Record<"Online" | "Offline", { code: string; type: string; name: string }[]> = {
  Online: [
    { code: "BUILD_PACKAGE", type: "Build", name: "Build package" },
    { code: "PROD_CHECK", type: "Check", name: "Production checks" },
    { code: "PROD", type: "Deploy", name: "Deploy to production" },
  ],
  Offline: [
    { code: "BUILD_PACKAGE", type: "Build", name: "Build package" },
    { code: "PROD", type: "Offline", name: "Undeploy from production" },
  ],
};

export interface InjectedError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** Percent-encoding of the ACS3 canonical query (RFC 3986, as the Alibaba Cloud signers do). */
function acsEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** A DI job as the fake keeps it. */
export interface FakeDiJob {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  status: string;
  readonly migrationType: string;
  /** Times StartDIJob started it. */
  starts: number;
}

/** A compute resource as the fake keeps it (properties as sent). */
export interface FakeComputeResource {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly type: string;
  connectionPropertiesMode: string;
  connectionProperties: Record<string, unknown>;
  description: string;
}

/** A task instance of the production scheduler (ListTaskInstances). */
export interface FakeTaskInstance {
  readonly id: string;
  readonly projectId: string;
  readonly taskId: string;
  /** Business date, epoch ms of its 00:00 in the workspace's zone. */
  readonly bizdate: number;
  /** `NotRun`, `WaitTime`, `WaitResource`, `Running`, `Success`, `Failure`... */
  status: string;
  readonly triggerTime: number;
}

/** A DTS job as DescribeDtsJobs lists it. */
export interface FakeDtsJob {
  readonly id: string;
  readonly name: string;
  status: string;
  /** Incremental delay, milliseconds. */
  delayMs: number;
}

/** Read-only actions: what `npm run verify` may call. */
export const READ_ACTION = /^(Get|List|Describe)/;

/**
 * The requests of one of the fake's online deployment processes after its CreatePipelineRun (each
 * GetPipelineRun moves it one step; stages BUILD_PACKAGE, PROD_CHECK, PROD): RunMode Auto runs
 * them by itself; a Normal process has PROD_CHECK and PROD started by ExecPipelineRunStage.
 */
export const ONLINE_PROCESS_CALLS = {
  auto: ["GetPipelineRun", "GetPipelineRun", "GetPipelineRun", "GetPipelineRun"],
  normal: ["GetPipelineRun", "GetPipelineRun", "ExecPipelineRunStage", "GetPipelineRun", "ExecPipelineRunStage", "GetPipelineRun"],
} as const;

export class FakeDataWorks {
  readonly requests: RecordedRequest[] = [];
  /** Kept as `Stopped` when stopped; `status` below is how each action spells it. */
  readonly diJobs = new Map<string, FakeDiJob>();
  /** GetDIJob's `JobStatus` for a stopped job: `Stop` as its reference documents it, or ListDIJobs' `Stopped`. */
  getDiJobStopped: "Stop" | "Stopped" = "Stop";
  readonly computeResources = new Map<string, FakeComputeResource>();
  /** Resource group id -> workspaces (project ids) bound to it. */
  readonly resourceGroups = new Map<string, Set<string>>();
  readonly nodes = new Map<string, StoredNode>();
  /** Periodic workflows (ImportWorkflowDefinition), by id. */
  readonly workflows = new Map<string, StoredWorkflow>();
  readonly jobs = new Map<string, FakeJob>();
  /** GetJobStatus reads that answer `Running` before a new import job ends (the tests' asynchrony). */
  importJobPendingReads = 0;
  /** The next import jobs fail with these errors, in order (as DataWorks reports a spec it refuses). */
  readonly importJobErrors: string[] = [];
  /** Task ids of deployed standalone nodes (GetNode `TaskId`). */
  readonly nodeTaskIds = new Map<string, string>();
  private nextTaskId = 700_006_680_527;
  readonly pipelines = new Map<string, FakePipelineRun>();
  /** Workspaces (ListProjects), id -> name. */
  readonly projects = new Map<string, string>();
  /** Production task instances (ListTaskInstances), as the scheduler would have made them. */
  readonly taskInstances: FakeTaskInstance[] = [];
  /** Custom alert rules (CreateAlertRule...), as GetAlertRule answers them. */
  readonly alertRules = new Map<string, Record<string, unknown>>();
  /** DTS synchronization jobs (DescribeDtsJobs, API 2020-01-01 on this endpoint). */
  readonly dtsJobs: FakeDtsJob[] = [];
  private readonly scripts: PipelineScript[] = [];
  private server?: http.Server;
  private seq = 0;
  /** Node ids: 19 digits, as DataWorks gives them (strings in the API; beyond 2^53, so never a JSON number). */
  private nextId = 7_000_000_000_000_000_000n;
  /** Ids the API answers as JSON numbers (DI jobs, compute resources, alert rules, workspaces, task instances): safe integers. */
  private nextSmallId = 100_001;
  private readonly injected = new Map<string, InjectedError[]>();
  /** Every request and answer held to the official models (tests/support/api-models/dataworks.json, dts.json). */
  readonly models = { dataworks: new ModelGuard(loadModels("dataworks")), dts: new ModelGuard(loadModels("dts")) };

  /** Faults any call can meet (throttling, 5xx, timeout; before or after it takes effect). */
  readonly faults = new FaultInjector();

  /** Requests and answers that break the official models (none, when product and fake agree with the SDK). */
  get modelViolations(): string[] {
    return [...this.models.dataworks.violations, ...this.models.dts.violations];
  }

  /** @param accessKeyId @param accessKeySecret the pair the client under test signs with */
  constructor(
    readonly accessKeyId: string,
    private readonly accessKeySecret: string,
  ) {}

  /** Starts listening on 127.0.0.1 (random port); returns the endpoint URL. */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this.url;
  }

  get url(): string {
    const a = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${a.port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.faults.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next `times` calls of `action` fail with this error (e.g. throttling). */
  failNext(action: string, error: InjectedError, times = 1): void {
    const list = this.injected.get(action) ?? [];
    for (let i = 0; i < times; i++) list.push(error);
    this.injected.set(action, list);
  }

  /** The next CreatePipelineRun (one per call, in order) behaves as `script` says. */
  scriptNextPipeline(script: PipelineScript): void {
    this.scripts.push(script);
  }

  /** Marks a node as deployed (as if someone clicked Deploy in Data Studio). */
  deployInConsole(id: string): void {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    n.deployedSpec = n.spec;
  }

  /** Simulates an edit in the DataWorks console: changes the stored FlowSpec's first node. */
  editInConsole(id: string, mutate: (node: Record<string, any>) => void): void {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    const doc = JSON.parse(n.spec);
    mutate(doc.spec.nodes[0]);
    n.spec = JSON.stringify(doc);
    n.modifyTime++;
  }

  /** Actions called, in order. */
  get actions(): string[] {
    return this.requests.map((r) => r.action);
  }

  /** Calls made per action (what the OpenAPI allowance counts). */
  callCounts(from = 0): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.requests.slice(from)) out[r.action] = (out[r.action] ?? 0) + 1;
    return out;
  }

  /** A DI job as the alicloud provider's CreateDIJob leaves it (`Initialized`); returns its id. */
  addDiJob(projectId: string, name: string, status = "Initialized", migrationType = "FullAndOfflineIncremental"): string {
    const id = String(this.nextSmallId++);
    this.diJobs.set(id, { id, projectId, name, status, migrationType, starts: 0 });
    return id;
  }

  /** DeleteDIJob as the provider calls it: refused while the job runs. */
  deleteDiJob(id: string): void {
    const j = this.diJobs.get(id);
    if (!j) throw new Error(`500130: DI job ${id} does not exist`);
    if (j.status === "Running" || j.status === "Stopping") throw new Error(`DI job ${id} is ${j.status}; stop it before deleting it`);
    this.diJobs.delete(id);
  }

  /** A workspace; returns its id. */
  addProject(name: string): string {
    const id = String(this.nextSmallId++);
    this.projects.set(id, name);
    return id;
  }

  /** A node deployed to production, created at `createdAt` (epoch ms); returns its id. */
  addDeployedNode(projectId: string, name: string, createdAt: number): string {
    const id = String(this.nextId++);
    const spec = JSON.stringify({ version: "1.1.0", kind: "Node", spec: { nodes: [{ id, name, script: { runtime: { command: "ODPS_SQL" } } }] } });
    this.nodes.set(id, { id, projectId, spec, createTime: createdAt, modifyTime: createdAt, deployedSpec: spec });
    this.nodeTaskIds.set(id, String(this.nextTaskId++));
    return id;
  }

  /** The scheduling task id of a deployed node (standalone or inside a workflow); throws when it has none. */
  taskIdOf(nodeId: string): string {
    const t = this.nodeTaskIds.get(nodeId) ?? this.innerNode(nodeId)?.wf.taskIds.get(nodeId);
    if (!t) throw new Error(`node ${nodeId} has no task id (not deployed)`);
    return t;
  }

  addTaskInstance(i: Omit<FakeTaskInstance, "id">): void {
    this.taskInstances.push({ id: String(this.nextSmallId++), ...i });
  }

  addDtsJob(name: string, status: string, delayMs: number): void {
    this.dtsJobs.push({ id: `dtsjob${this.dtsJobs.length + 1}`, name, status, delayMs });
  }

  /** A serverless resource group of the account (bound to no workspace). */
  addResourceGroup(id: string): void {
    this.resourceGroups.set(id, new Set());
  }

  private handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const requestId = `FAKE-REQ-${String(++this.seq).padStart(4, "0")}`;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => (query[k] = v));
    const form: Record<string, string> = {};
    if (String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      new URLSearchParams(body.toString("utf8")).forEach((v, k) => (form[k] = v));
    }
    const action = String(req.headers["x-acs-action"] ?? "");
    const version = String(req.headers["x-acs-version"] ?? "");
    const { auth, valid } = this.verifySignature(req, url.pathname, query, body);
    this.requests.push({
      method: req.method ?? "",
      path: url.pathname,
      action,
      version,
      query,
      form,
      headers: req.headers,
      auth,
      signatureValid: valid,
      requestId,
    });

    const fail = (status: number, code: string, message: string): void => {
      res.writeHead(status, { "content-type": "application/json;charset=utf-8" });
      res.end(JSON.stringify({ RequestId: requestId, HostId: "dataworks.fake.aliyuncs.com", Code: code, Message: message }));
    };
    const guard = action === "DescribeDtsJobs" ? this.models.dts : this.models.dataworks;
    const ok = (payload: Record<string, unknown>): void => {
      const answer = { RequestId: requestId, ...payload };
      const problems = guard.response(action, answer);
      if (problems.length > 0) return fail(400, "FakeModel.Response", `the fake's answer breaks the official model: ${problems.join("; ")}`);
      res.writeHead(200, { "content-type": "application/json;charset=utf-8" });
      res.end(stringifyJson(answer));
    };

    if (!auth) return fail(400, "MissingAuthorization", "Authorization header is missing or not ACS3-HMAC-SHA256");
    if (auth.accessKeyId !== this.accessKeyId) return fail(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    if (!valid) return fail(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
    const dtsRead = action === "DescribeDtsJobs" && version === "2020-01-01";
    if (version !== "2024-05-18" && !dtsRead) return fail(400, "InvalidVersion", `Specified parameter Version "${version}" is not valid.`);

    const modelProblems = guard.request(action, { method: req.method ?? "", query, form });
    if (modelProblems.length > 0) return fail(400, "FakeModel.Request", `the request breaks the official model: ${modelProblems.join("; ")}`);

    if (applyFault(this.faults, action, res, "openapi", fail)) return;
    const injected = this.injected.get(action);
    if (injected && injected.length > 0) {
      const e = injected.shift()!;
      return fail(e.status, e.code, e.message);
    }

    // Where each parameter travels (and the method) is the model check's business above.
    const p = { ...query, ...form };
    const missing = (names: string[]): string | undefined => names.find((n) => !p[n]);
    switch (action) {
      case "CreateNode": {
        const m = missing(["ProjectId", "Scene", "Spec"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const err = this.checkSpec(p.Spec);
        if (err) return fail(400, "InvalidParameter.Spec", err);
        const doc = JSON.parse(p.Spec);
        const name = doc.spec.nodes[0].name;
        for (const n of this.nodes.values()) {
          if (n.projectId === p.ProjectId && JSON.parse(n.spec).spec.nodes[0].name === name) {
            return fail(400, "Invalid.Node.NameDuplicate", `a node named ${name} already exists in project ${p.ProjectId}`);
          }
        }
        const id = String(this.nextId++);
        doc.spec.nodes[0].id = id;
        this.nodes.set(id, { id, projectId: p.ProjectId, spec: JSON.stringify(doc), createTime: 1, modifyTime: 1 });
        return ok({ Id: id });
      }
      case "GetNode": {
        const m = missing(["Id"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const n = this.nodes.get(p.Id);
        const inner = n ? undefined : this.innerNode(p.Id);
        if (inner && (!p.ProjectId || inner.wf.projectId === p.ProjectId)) {
          const taskId = inner.wf.taskIds.get(p.Id);
          const spec = JSON.stringify({ version: "1.1.0", kind: "Node", spec: { nodes: [inner.node] } });
          return ok({
            Node: {
              Id: p.Id,
              Name: inner.node.name,
              ProjectId: Number(inner.wf.projectId),
              Owner: "1234567890",
              CreateTime: inner.wf.createTime,
              ModifyTime: inner.wf.modifyTime,
              Spec: spec,
              ...(taskId !== undefined ? { TaskId: Number(taskId) } : {}),
            },
          });
        }
        if (!n || (p.ProjectId && n.projectId !== p.ProjectId)) return fail(400, "Invalid.Node.NotExists", `node ${p.Id} does not exist`);
        const name = JSON.parse(n.spec).spec.nodes[0].name;
        const taskId = n.deployedSpec !== undefined ? this.nodeTaskIds.get(n.id) : undefined;
        return ok({
          Node: {
            Id: n.id,
            Name: name,
            ProjectId: Number(n.projectId),
            Owner: "1234567890",
            CreateTime: n.createTime,
            ModifyTime: n.modifyTime,
            Spec: n.spec,
            ...(taskId !== undefined ? { TaskId: Number(taskId) } : {}),
          },
        });
      }
      case "UpdateNode": {
        const m = missing(["ProjectId", "Id", "Spec"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const n = this.nodes.get(p.Id);
        if (!n || n.projectId !== p.ProjectId) return fail(400, "Invalid.Node.NotExists", `node ${p.Id} does not exist`);
        const err = this.checkSpec(p.Spec);
        if (err) return fail(400, "InvalidParameter.Spec", err);
        const doc = JSON.parse(p.Spec);
        const node = doc.spec.nodes[0];
        if (node.id !== undefined && node.id !== p.Id) return fail(400, "InvalidParameter.Spec", `spec.nodes[0].id ${node.id} is not node ${p.Id}`);
        // Incremental update: fields given replace the stored ones.
        const stored = JSON.parse(n.spec);
        stored.spec.nodes[0] = { ...stored.spec.nodes[0], ...node, id: p.Id };
        n.spec = JSON.stringify(stored);
        n.modifyTime++;
        return ok({ Success: true });
      }
      case "DeleteNode": {
        const m = missing(["ProjectId", "Id"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const n = this.nodes.get(p.Id);
        if (!n || n.projectId !== p.ProjectId) return fail(400, "Invalid.Node.NotExists", `node ${p.Id} does not exist`);
        if (n.deployedSpec !== undefined) {
          return fail(400, "Forbidden.Node.Deployed", `node ${p.Id} is deployed to production; undeploy it before deleting it`);
        }
        this.nodes.delete(p.Id);
        return ok({ Success: true });
      }
      case "CreatePipelineRun": {
        const m = missing(["ProjectId", "Type", "ObjectIds"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        if (p.Type !== "Online" && p.Type !== "Offline") return fail(400, "InvalidParameter.Type", `Type "${p.Type}" is not one of Online, Offline`);
        let objectIds: unknown;
        try {
          objectIds = JSON.parse(p.ObjectIds);
        } catch {
          return fail(400, "InvalidParameter.ObjectIds", `ObjectIds is not a JSON array: ${p.ObjectIds}`);
        }
        if (!Array.isArray(objectIds) || objectIds.length === 0 || !objectIds.every((o) => typeof o === "string")) {
          return fail(400, "InvalidParameter.ObjectIds", `ObjectIds must be a non-empty JSON array of id strings: ${p.ObjectIds}`);
        }
        const n = this.nodes.get(objectIds[0]);
        const wf = this.workflows.get(objectIds[0]);
        if (this.innerNode(objectIds[0])) {
          return fail(400, "Invalid.PipelineRun.ObjectNotSupported", `node ${objectIds[0]} is inside a workflow: a workflow is deployed as a whole`);
        }
        if (wf ? wf.projectId !== p.ProjectId : !n || n.projectId !== p.ProjectId) {
          return fail(400, wf ? "Invalid.Workflow.NotExists" : "Invalid.Node.NotExists", `object ${objectIds[0]} does not exist`);
        }
        const type = p.Type as "Online" | "Offline";
        if (p.RunMode !== undefined && p.RunMode !== "Normal" && p.RunMode !== "Auto") {
          return fail(400, "InvalidParameter.RunMode", `RunMode "${p.RunMode}" is not one of Normal, Auto`);
        }
        const runMode = (p.RunMode ?? "Normal") as "Normal" | "Auto";
        // The script is taken only by a process that is created (a refused request leaves it to the next).
        const stageList = (this.scripts[0] ?? {}).stages ?? STAGES[type];
        const until = p.AutoRunUntilStage;
        if (runMode === "Auto" && until === undefined) {
          return fail(400, "InvalidParameter.AutoRunUntilStage", `AutoRunUntilStage is required when RunMode is Auto`);
        }
        if (until !== undefined && !stageList.some((st) => st.code === until)) {
          return fail(
            400,
            "InvalidParameter.AutoRunUntilStage",
            `AutoRunUntilStage "${until}" is not a stage of this ${type} process (stages: ${stageList.map((st) => st.code).join(", ")})`,
          );
        }
        let script = this.scripts.shift() ?? {};
        const deployed = wf ? wf.deployed : n!.deployedSpec !== undefined;
        if (type === "Offline" && !deployed && !script.failAt) {
          script = { ...script, failAt: { code: "PROD", message: `${objectIds[0]} is not deployed to production` } };
        }
        const untilStep = runMode === "Auto" ? stageList.findIndex((st) => st.code === until) : -1;
        const manual = script.manualStages ?? (runMode === "Auto" ? [] : ["PROD"]);
        const id = `fake-pipeline-${String(this.pipelines.size + 1).padStart(4, "0")}`;
        this.pipelines.set(id, {
          id,
          projectId: p.ProjectId,
          type,
          objectIds: objectIds as string[],
          description: p.Description ?? "",
          runMode,
          autoRunUntilStage: until ?? "",
          status: "Init",
          message: "",
          stages: stageList.map((st, i) => ({
            ...st,
            step: i + 1,
            status: "Init",
            message: "",
            manual: manual.includes(st.code) || (runMode === "Auto" && i > untilStep),
            auto: runMode === "Auto" && i <= untilStep && !manual.includes(st.code),
          })),
          script: { ...script, manualStages: manual },
          execs: [],
          modifyTime: 1,
        });
        return ok({ Id: id });
      }
      case "GetPipelineRun": {
        const m = missing(["ProjectId", "Id"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const run = this.pipelines.get(p.Id);
        if (!run || run.projectId !== p.ProjectId) return fail(400, "Invalid.PipelineRun.NotExists", `pipeline run ${p.Id} does not exist`);
        this.tick(run);
        return ok({
          Pipeline: {
            Id: run.id,
            ProjectId: Number(run.projectId),
            CreateTime: 1724984066000,
            ModifyTime: 1724984066000 + run.modifyTime,
            Creator: "1234567890",
            Status: run.status,
            Message: run.message,
            Stages: run.stages.map((st) => ({
              Code: st.code,
              Step: st.step,
              Type: st.type,
              Name: st.name,
              Status: st.status,
              Message: st.message,
              Description: st.name,
              Detail: {},
            })),
          },
        });
      }
      case "ExecPipelineRunStage": {
        if (!query.ProjectId)
          return fail(400, "MissingParameter", `The input parameter "ProjectId" that is mandatory for processing this request is not supplied.`);
        const m = ["Id", "Code"].find((n) => !form[n]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const run = this.pipelines.get(form.Id);
        if (!run || run.projectId !== query.ProjectId) return fail(400, "Invalid.PipelineRun.NotExists", `pipeline run ${form.Id} does not exist`);
        const stage = run.stages.find((st) => st.code === form.Code);
        if (!stage) return fail(400, "Invalid.PipelineRun.StageNotExists", `pipeline run ${run.id} has no stage ${form.Code}`);
        const next = run.stages.find((st) => st.status !== "Success");
        if (stage !== next || stage.status !== "Init" || (run.status !== "Init" && run.status !== "Running")) {
          return fail(
            400,
            "Invalid.PipelineRun.StageOrder",
            `stage ${form.Code} of pipeline run ${run.id} cannot run now (${stage.status}): stages run in order, none skipped or repeated`,
          );
        }
        stage.status = "Running";
        run.status = "Running";
        run.execs.push(stage.code);
        run.modifyTime++;
        return ok({ Success: true });
      }
      case "GetDIJob": {
        const m = missing(["Id"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const j = this.diJobs.get(p.Id);
        if (!j || (p.ProjectId && j.projectId !== p.ProjectId)) return fail(400, "500130", `DI job ${p.Id} does not exist`);
        if (j.status === "Stopping") j.status = "Stopped"; // a stop takes one read to finish
        return ok({
          PagingInfo: {
            Id: Number(j.id),
            DIJobId: j.id,
            ProjectId: Number(j.projectId),
            JobName: j.name,
            JobStatus: j.status === "Stopped" ? this.getDiJobStopped : j.status,
            JobType: "DatabaseOfflineMigration",
            MigrationType: j.migrationType,
            SourceDataSourceType: "MySQL",
            DestinationDataSourceType: "MaxCompute",
          },
        });
      }
      case "StartDIJob":
      case "StopDIJob": {
        if (p.DIJobId && !p.Id) return fail(400, "MissingParameter", `DIJobId is deprecated: the input parameter "Id" is not supplied.`);
        const m = missing(["Id"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const j = this.diJobs.get(p.Id);
        if (!j) return fail(400, "500130", `DI job ${p.Id} does not exist`);
        if (action === "StartDIJob") {
          if (j.status === "Running" || j.status === "Stopping")
            return fail(400, "Invalid.DIJob.Status", `DI job ${j.id} is ${j.status}; it cannot be started`);
          j.status = "Running";
          j.starts++;
        } else {
          if (j.status !== "Running") return fail(400, "Invalid.DIJob.Status", `DI job ${j.id} is ${j.status}; only a running job can be stopped`);
          j.status = "Stopping";
        }
        return ok({ Success: true });
      }
      case "CreateComputeResource": {
        const m = missing(["ProjectId", "Name", "Type", "ConnectionPropertiesMode", "ConnectionProperties"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        if (!/^[A-Za-z][A-Za-z0-9_]{0,254}$/.test(p.Name)) return fail(400, "InvalidParameter.Name", `Name "${p.Name}" is not valid`);
        let props: Record<string, unknown>;
        try {
          props = JSON.parse(p.ConnectionProperties);
        } catch {
          return fail(400, "InvalidParameter.ConnectionProperties", "ConnectionProperties is not JSON");
        }
        const envType = String(props.envType ?? props.EnvType ?? "").toLowerCase();
        if (envType !== "dev" && envType !== "prod")
          return fail(400, "InvalidParameter.ConnectionProperties", "ConnectionProperties.envType must be Dev or Prod");
        for (const c of this.computeResources.values()) {
          if (c.projectId === p.ProjectId && c.name === p.Name) return fail(400, "Invalid.ComputeResource.NameDuplicate", `compute resource ${p.Name} exists`);
        }
        const id = String(this.nextSmallId++);
        this.computeResources.set(id, {
          id,
          projectId: p.ProjectId,
          name: p.Name,
          type: p.Type,
          connectionPropertiesMode: p.ConnectionPropertiesMode,
          connectionProperties: props,
          description: p.Description ?? "",
        });
        return ok({ Id: Number(id) });
      }
      case "GetComputeResource": {
        const m = missing(["Id", "ProjectId"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const c = this.computeResources.get(p.Id);
        if (!c || c.projectId !== p.ProjectId) return fail(400, "Invalid.ComputeResource.NotExists", `compute resource ${p.Id} does not exist`);
        // The documented answer: lowerCamel keys, DataWorks' spelling of envType, server-filled keys.
        const props: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(c.connectionProperties)) props[k.charAt(0).toLowerCase() + k.slice(1)] = v;
        props.envType = String(props.envType).toLowerCase() === "prod" ? "Prod" : "Dev";
        props.endpoint = props.endpoint ?? `http://service.${props.regionId ?? "cn-hangzhou"}.maxcompute.aliyun-inc.com/api`;
        return ok({
          ComputeResource: {
            Id: Number(c.id),
            ProjectId: Number(c.projectId),
            Name: c.name,
            Type: c.type,
            ConnectionPropertiesMode: c.connectionPropertiesMode,
            ConnectionProperties: props,
            Description: c.description,
            CreateUser: "1234567890",
            CreateTime: 1724984066000,
          },
        });
      }
      case "ListComputeResources": {
        const m = missing(["ProjectId"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        // Grouped by name, as the reference answers them: {Name, Type, ComputeResource: [...]}.
        const groups = new Map<string, FakeComputeResource[]>();
        for (const c of this.computeResources.values()) {
          if (c.projectId !== p.ProjectId || (p.Name && !c.name.includes(p.Name))) continue;
          groups.set(c.name, [...(groups.get(c.name) ?? []), c]);
        }
        const list = [...groups.entries()].map(([name, cs]) => ({
          Name: name,
          Type: cs[0].type,
          ComputeResource: cs.map((c) => ({
            Id: Number(c.id),
            ConnectionPropertiesMode: c.connectionPropertiesMode,
            Description: c.description,
            CreateUser: "1234567890",
          })),
        }));
        return ok({ PagingInfo: { ComputeResources: list, PageNumber: 1, PageSize: Number(p.PageSize ?? 10), TotalCount: list.length } });
      }
      case "UpdateComputeResource": {
        const m = missing(["Id", "ProjectId", "ConnectionProperties"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const c = this.computeResources.get(p.Id);
        if (!c || c.projectId !== p.ProjectId) return fail(400, "Invalid.ComputeResource.NotExists", `compute resource ${p.Id} does not exist`);
        c.connectionProperties = JSON.parse(p.ConnectionProperties);
        if (p.ConnectionPropertiesMode) c.connectionPropertiesMode = p.ConnectionPropertiesMode;
        if (p.Description !== undefined) c.description = p.Description;
        return ok({ Success: true });
      }
      case "DeleteComputeResource": {
        const c = this.computeResources.get(p.Id);
        if (!c || c.projectId !== p.ProjectId) return fail(400, "Invalid.ComputeResource.NotExists", `compute resource ${p.Id} does not exist`);
        this.computeResources.delete(p.Id);
        return ok({ Success: true });
      }
      case "AssociateProjectToResourceGroup":
      case "DissociateProjectFromResourceGroup": {
        const m = missing(["ProjectId", "ResourceGroupId"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const bound = this.resourceGroups.get(p.ResourceGroupId);
        if (!bound) return fail(400, "Invalid.ResourceGroup.NotExists", `resource group ${p.ResourceGroupId} does not exist`);
        if (action === "AssociateProjectToResourceGroup") {
          if (bound.has(p.ProjectId)) return fail(400, "Invalid.ResourceGroup.AlreadyAssociated", `workspace ${p.ProjectId} is bound already`);
          bound.add(p.ProjectId);
        } else {
          if (!bound.has(p.ProjectId)) return fail(400, "Invalid.ResourceGroup.AssociationNotExists", `workspace ${p.ProjectId} is not bound`);
          bound.delete(p.ProjectId);
        }
        return ok({ Success: true });
      }
      case "ListResourceGroups": {
        const list = [...this.resourceGroups.entries()]
          .filter(([, projects]) => !p.ProjectId || projects.has(p.ProjectId))
          .map(([id]) => ({ Id: id, Name: id, Status: "Normal", ResourceGroupType: "CommonV2" }));
        return ok({ PagingInfo: { ResourceGroupList: list, PageNumber: 1, PageSize: Number(p.PageSize ?? 10), TotalCount: list.length } });
      }
      // Custom alert rules: TriggerCondition and Notification arrive as JSON text in the query (the
      // SDKs' "shrink"); GetAlertRule answers them as objects, with the server's defaults.
      case "CreateAlertRule":
      case "UpdateAlertRule": {
        const m = missing(action === "CreateAlertRule" ? ["Name", "Owner", "Enabled", "TriggerCondition"] : ["Id"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        let trigger: any, notification: any;
        try {
          // Without losing digits: Target.Ids are node ids (19 digits) written as JSON numbers.
          trigger = parseJson(p.TriggerCondition ?? "{}");
          notification = parseJson(p.Notification ?? "{}");
        } catch {
          return fail(400, "InvalidParameter", "TriggerCondition and Notification must be JSON");
        }
        if (!Array.isArray(trigger.Target?.Ids) || trigger.Target.Ids.length === 0)
          return fail(400, "InvalidParameter.TriggerCondition", "Target.Ids is required");
        // TriggerCondition.Type and the Notification ranges as CreateAlertRule / GetAlertRule document them
        // (help.aliyun.com api-dataworks-public-2024-05-18-createalertrule, -getalertrule).
        if (trigger.Type !== undefined && !ALERT_TRIGGER_TYPES.includes(trigger.Type))
          return fail(400, "InvalidParameter.TriggerCondition", `Type ${trigger.Type} is not one of ${ALERT_TRIGGER_TYPES.join(", ")}`);
        const n = notification.IntervalInMinutes;
        if (n !== undefined && (n < 5 || n > 10000)) return fail(400, "InvalidParameter.Notification", "IntervalInMinutes must be 5-10000");
        const max = notification.Maximum;
        if (max !== undefined && (max < 1 || max > 10000)) return fail(400, "InvalidParameter.Notification", "Maximum must be 1-10000");
        const id = action === "CreateAlertRule" ? String(this.nextSmallId++) : p.Id;
        if (action === "UpdateAlertRule" && !this.alertRules.has(id)) return fail(400, "Invalid.AlertRule.NotExists", `alert rule ${id} does not exist`);
        this.alertRules.set(id, {
          Id: Number(id),
          Name: p.Name,
          Owner: p.Owner,
          Enabled: p.Enabled === "true",
          TriggerCondition: trigger,
          Notification: { SilenceStartTime: "00:00:00", SilenceEndTime: "00:00:00", ...notification },
        });
        return action === "CreateAlertRule" ? ok({ Id: Number(id) }) : ok({ Success: true });
      }
      case "ListAlertRules": {
        // Name: an exact filter here (the reference says "fuzzy"; the client filters exactly again).
        const m = missing(["PageNumber", "PageSize"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const list = [...this.alertRules.values()]
          .filter((r) => (!p.Name || String(r.Name).includes(p.Name)) && (!p.Owner || r.Owner === p.Owner))
          .map((r) => ({ Id: r.Id, Name: r.Name, Owner: r.Owner, Enabled: r.Enabled, TriggerCondition: r.TriggerCondition }));
        return ok({ PagingInfo: { AlertRules: list, PageNumber: Number(p.PageNumber), PageSize: Number(p.PageSize), TotalCount: list.length } });
      }
      case "GetAlertRule": {
        const r = this.alertRules.get(p.Id ?? "");
        if (!r) return fail(400, "Invalid.AlertRule.NotExists", `alert rule ${p.Id} does not exist`);
        return ok({ AlertRule: r });
      }
      case "DeleteAlertRule": {
        if (!this.alertRules.delete(p.Id ?? "")) return fail(400, "Invalid.AlertRule.NotExists", `alert rule ${p.Id} does not exist`);
        return ok({ Success: true });
      }
      // The read APIs `npm run verify` uses (2024-05-18 reference pages, `PagingInfo` answers).
      case "ListProjects": {
        let names: string[] | undefined;
        if (p.Names) {
          try {
            names = JSON.parse(p.Names);
          } catch {
            return fail(400, "InvalidParameter.Names", `Names is not a JSON array: ${p.Names}`);
          }
        }
        const list = [...this.projects.entries()]
          .filter(([, n]) => !names || names.includes(n))
          .map(([id, n]) => ({ Id: Number(id), Name: n, DisplayName: n, Status: "Available", PaiTaskEnabled: false }));
        return ok({ PagingInfo: { Projects: list, PageNumber: 1, PageSize: Number(p.PageSize ?? 10), TotalCount: list.length } });
      }
      case "ListDIJobs": {
        const m = missing(["ProjectId"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        // Name is a fuzzy (substring) filter.
        const list = [...this.diJobs.values()]
          .filter((j) => j.projectId === p.ProjectId && (!p.Name || j.name.includes(p.Name)))
          .map((j) => ({
            DIJobId: Number(j.id),
            ProjectId: Number(j.projectId),
            JobName: j.name,
            JobStatus: j.status,
            MigrationType: j.migrationType,
            SourceDataSourceType: "MySQL",
            DestinationDataSourceType: "MaxCompute",
          }));
        return ok({ PagingInfo: { DIJobs: list, PageNumber: 1, PageSize: Number(p.PageSize ?? 10), TotalCount: list.length } });
      }
      case "ListNodes": {
        const m = missing(["ProjectId"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const standalone = p.ContainerId
          ? []
          : [...this.nodes.values()]
              .filter((n) => n.projectId === p.ProjectId)
              .map((n) => ({
                id: n.id,
                name: JSON.parse(n.spec).spec.nodes[0].name as string,
                path: JSON.parse(n.spec).spec.nodes[0].script?.path as string | undefined,
                createTime: n.createTime,
                modifyTime: n.modifyTime,
                taskId: n.deployedSpec !== undefined ? this.nodeTaskIds.get(n.id) : undefined,
              }));
        const inner = [...this.workflows.values()]
          .filter((wf) => wf.projectId === p.ProjectId && (!p.ContainerId || wf.id === p.ContainerId))
          .flatMap((wf) =>
            (wf.doc.spec.workflows[0].nodes ?? []).map((node: any) => ({
              id: node.id as string,
              name: node.name as string,
              path: node.script?.path as string | undefined,
              createTime: wf.createTime,
              modifyTime: wf.modifyTime,
              taskId: wf.deployed ? wf.taskIds.get(node.id) : undefined,
            })),
          );
        const list = [...standalone, ...inner]
          .filter(({ name }) => !p.Name || name.includes(p.Name))
          .map((n) => ({
            Id: n.id,
            Name: n.name,
            ProjectId: Number(p.ProjectId),
            CreateTime: n.createTime,
            ModifyTime: n.modifyTime,
            Owner: "1234567890",
            ...(n.path !== undefined ? { Script: { Path: n.path, Runtime: { Command: "ODPS_SQL" } } } : {}),
            // TaskId is a number in the model; the fake's task ids are safe integers.
            ...(n.taskId !== undefined ? { TaskId: Number(n.taskId) } : {}),
          }));
        // ListNodes' paging fields are strings in its model (the other List* answer numbers).
        return ok({ PagingInfo: { Nodes: list, PageNumber: "1", PageSize: String(p.PageSize ?? 10), TotalCount: String(list.length) } });
      }
      case "ImportWorkflowDefinition": {
        const m = missing(["ProjectId", "Spec"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const err = this.checkWorkflowSpec(p.Spec);
        if (err) return fail(400, "InvalidParameter.Spec", err);
        const job = this.importWorkflow(p.ProjectId, JSON.parse(p.Spec));
        return ok({
          AsyncJob: { Id: job.id, Status: "Running", Completed: false, Progress: 0, Response: job.response, CreateTime: 1706581425000, Type: "Create" },
        });
      }
      case "GetJobStatus": {
        const m = missing(["JobId"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const job = this.jobs.get(p.JobId);
        if (!job) return fail(400, "Invalid.Job.NotExists", `job ${p.JobId} does not exist`);
        const running = job.pendingReads > 0;
        if (running) job.pendingReads--;
        return ok({
          JobStatus: {
            JobId: job.id,
            JobType: "ImportWorkflowDefinition",
            Status: running ? "Running" : job.status,
            Completed: running ? "False" : "True",
            Error: running ? "" : job.error,
            CreateTime: "1729063449802",
          },
        });
      }
      case "GetWorkflowDefinition": {
        const m = missing(["Id"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const wf = this.workflows.get(p.Id);
        if (!wf || (p.ProjectId && wf.projectId !== p.ProjectId)) return fail(400, "Invalid.Workflow.NotExists", `workflow ${p.Id} does not exist`);
        return ok({
          WorkflowDefinition: {
            Id: wf.id,
            Name: wf.doc.spec.workflows[0].name,
            ProjectId: Number(wf.projectId),
            Owner: "1107550004253538",
            CreateTime: 1708481905000,
            ModifyTime: 1708481905000 + wf.modifyTime,
            Spec: this.workflowSpecAnswer(wf, p.IncludeScriptContent === "true"),
            ...(wf.deployed ? { WorkflowId: 700006657495 } : {}),
          },
        });
      }
      case "DeleteWorkflowDefinition": {
        const m = missing(["ProjectId", "Id"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const wf = this.workflows.get(p.Id);
        if (!wf || wf.projectId !== p.ProjectId) return fail(400, "Invalid.Workflow.NotExists", `workflow ${p.Id} does not exist`);
        if (wf.deployed) return fail(400, "Forbidden.Workflow.Deployed", `workflow ${p.Id} is deployed to production; undeploy it before deleting it`);
        this.workflows.delete(p.Id);
        return ok({ Success: true });
      }
      case "ListWorkflowDefinitions": {
        const m = missing(["ProjectId"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const list = [...this.workflows.values()]
          .filter((wf) => wf.projectId === p.ProjectId && (!p.Name || wf.doc.spec.workflows[0].name.includes(p.Name)))
          .map((wf) => ({
            Id: wf.id,
            Name: wf.doc.spec.workflows[0].name,
            ProjectId: Number(wf.projectId),
            Owner: "1107550004253538",
            Type: "CycleWorkflow",
            CreateTime: 1708481905000,
            ModifyTime: 1708481905000 + wf.modifyTime,
          }));
        return ok({ PagingInfo: { WorkflowDefinitions: list, PageNumber: 1, PageSize: Number(p.PageSize ?? 10), TotalCount: list.length } });
      }
      case "ListTaskInstances": {
        const m = missing(["ProjectId", "Bizdate"]);
        if (m) return fail(400, "MissingParameter", `The input parameter "${m}" that is mandatory for processing this request is not supplied.`);
        const list = this.taskInstances
          .filter((i) => i.projectId === p.ProjectId && i.bizdate === Number(p.Bizdate) && (!p.TaskId || i.taskId === p.TaskId))
          .map((i) => ({
            Id: Number(i.id),
            TaskId: BigInt(i.taskId),
            ProjectId: Number(i.projectId),
            Bizdate: i.bizdate,
            Status: i.status,
            TriggerTime: i.triggerTime,
            ProjectEnv: "Prod",
          }));
        return ok({ PagingInfo: { TaskInstances: list, PageNumber: 1, PageSize: Number(p.PageSize ?? 10), TotalCount: list.length } });
      }
      case "DescribeDtsJobs": {
        // DTS 2020-01-01: Type=name with the name in Params (fuzzy), JobType, Region required.
        if (!p.Region) return fail(400, "MissingParameter", `The input parameter "Region" that is mandatory for processing this request is not supplied.`);
        const list = this.dtsJobs
          .filter((j) => p.Type !== "name" || !p.Params || j.name.includes(p.Params))
          .map((j) => ({
            DtsJobId: j.id,
            DtsInstanceID: `dts${j.id}`,
            DtsJobName: j.name,
            Status: j.status,
            Delay: j.delayMs,
            DtsJobClass: "micro",
            DtsJobDirection: "Forward",
          }));
        return ok({ DtsJobList: list, PageNumber: 1, PageRecordCount: list.length, TotalRecordCount: list.length, Success: true, HttpStatusCode: 200 });
      }
      default:
        return fail(404, "InvalidAction.NotFound", `Specified api "${action}" is not found, please check your url and method.`);
    }
  }

  /** The workflow holding an inner node, and the node's spec; undefined when `id` is no inner node. */
  innerNode(id: string): { wf: StoredWorkflow; node: any } | undefined {
    for (const wf of this.workflows.values()) {
      const node = (wf.doc.spec.workflows[0].nodes ?? []).find((n: any) => n.id === id);
      if (node) return { wf, node };
    }
    return undefined;
  }

  /** Simulates an edit in the DataWorks console of an inner node of a workflow. */
  editWorkflowNodeInConsole(workflowId: string, nodeName: string, mutate: (node: Record<string, any>) => void): void {
    const wf = this.workflows.get(workflowId);
    const node = wf?.doc.spec.workflows[0].nodes.find((n: any) => n.name === nodeName);
    if (!wf || !node) throw new Error(`no node ${nodeName} in workflow ${workflowId}`);
    mutate(node);
    wf.modifyTime++;
  }

  /**
   * ImportWorkflowDefinition: the first workflow of the spec, created (no id, or one unknown) or
   * updated (its id exists); inner nodes likewise by id, inner nodes the spec no longer lists
   * removed; a dependency naming its node by name resolved to the node's id. Returns the job.
   */
  private importWorkflow(projectId: string, doc: any): FakeJob {
    const jobId = `fake-job-${String(this.jobs.size + 1).padStart(4, "0")}`;
    const failJob = (error: string): FakeJob => {
      const job: FakeJob = { id: jobId, status: "Fail", error, response: "", pendingReads: this.importJobPendingReads };
      this.jobs.set(jobId, job);
      return job;
    };
    const scripted = this.importJobErrors.shift();
    if (scripted !== undefined) return failJob(scripted);
    const w = doc.spec.workflows[0];
    const existing = w.id !== undefined ? this.workflows.get(String(w.id)) : undefined;
    if (existing && existing.projectId !== projectId) return failJob(`workflow ${w.id} is not in project ${projectId}`);
    for (const other of this.workflows.values()) {
      if (other !== existing && other.projectId === projectId && other.doc.spec.workflows[0].name === w.name) {
        return failJob(`target folder already exists: a workflow named ${w.name} exists in project ${projectId}`);
      }
    }
    // Node names (and outputs) are unique in a workspace: a node outside this workflow with the name of an inner node is refused.
    for (const n of w.nodes ?? []) {
      for (const other of this.nodes.values()) {
        if (other.projectId === projectId && JSON.parse(other.spec).spec.nodes[0].name === n.name) {
          return failJob(`node name ${n.name} already exists in project ${projectId} (node ${other.id})`);
        }
      }
    }
    const id = existing?.id ?? String(this.nextId++);
    const known = new Set<string>((existing?.doc.spec.workflows[0].nodes ?? []).map((n: any) => n.id));
    const nodes = (w.nodes ?? []).map((n: any) => ({ ...n, id: n.id !== undefined && known.has(String(n.id)) ? String(n.id) : String(this.nextId++) }));
    const byName = new Map<string, string>(nodes.map((n: any) => [n.name, n.id]));
    const dependencies = (w.dependencies ?? w.flow ?? []).map((d: any) => ({ ...d, nodeId: byName.get(d.nodeId) ?? d.nodeId }));
    const { flow: _flow, ...rest } = w;
    const stored = { ...doc, spec: { ...doc.spec, id, workflows: [{ ...rest, id, nodes, dependencies }] } };
    if (existing) {
      existing.doc = stored;
      existing.modifyTime++;
    } else {
      this.workflows.set(id, { id, projectId, doc: stored, createTime: 1, modifyTime: 1, deployed: false, taskIds: new Map() });
    }
    const job: FakeJob = { id: jobId, status: "Success", error: "", response: id, pendingReads: this.importJobPendingReads };
    this.jobs.set(jobId, job);
    return job;
  }

  /**
   * A workflow's Spec as GetWorkflowDefinition documents it (GetWorkflowDefinitionResponseBody.ts
   * example @06a71f93): metadata and owners added, ids on script and trigger, DataWorks' default
   * output (`{data: <id>, isDefault: true}`) listed first on the workflow and on every inner node.
   */
  private workflowSpecAnswer(wf: StoredWorkflow, includeScript: boolean): string {
    const owner = "1107550004253538";
    const withDefault = (id: string, name: string, outputs: any) => ({
      nodeOutputs: [{ data: id, artifactType: "NodeOutput", refTableName: name, isDefault: true }, ...(outputs?.nodeOutputs ?? [])],
    });
    const w = wf.doc.spec.workflows[0];
    const nodes = (w.nodes ?? []).map((n: any) => {
      const { content, ...script } = n.script ?? {};
      return {
        ...n,
        owner,
        metadata: { owner, projectId: wf.projectId },
        script: { ...script, ...(includeScript && content !== undefined ? { content } : {}), id: `${n.id}1` },
        trigger: { ...n.trigger, id: `${n.id}2` },
        outputs: withDefault(n.id, n.name, n.outputs),
      };
    });
    const doc = {
      metadata: { tenantId: "524257424564736", projectId: wf.projectId, uuid: wf.id },
      ...wf.doc,
      spec: {
        ...wf.doc.spec,
        owner,
        workflows: [
          {
            ...w,
            owner,
            metadata: { owner, projectId: wf.projectId },
            script: { ...w.script, id: `${wf.id}1` },
            trigger: { ...w.trigger, id: `${wf.id}2` },
            outputs: withDefault(wf.id, w.name, w.outputs),
            nodes,
          },
        ],
      },
    };
    return JSON.stringify(doc);
  }

  /** Problems with a workflow FlowSpec the API would reject; undefined when acceptable. */
  private checkWorkflowSpec(spec: string): string | undefined {
    let doc: any;
    try {
      doc = JSON.parse(spec);
    } catch {
      return "Spec is not valid JSON";
    }
    if (doc.kind !== "CycleWorkflow") return `Spec kind must be CycleWorkflow, got ${doc.kind}`;
    const w = doc.spec?.workflows?.[0];
    if (!w?.name) return "Spec has no spec.workflows[0].name";
    if (w.script?.runtime?.command !== "WORKFLOW") return "spec.workflows[0].script.runtime.command must be WORKFLOW";
    if (doc.spec?.dependencies !== undefined) return "spec.dependencies is not a FlowSpec field (a workflow's are spec.workflows[0].dependencies)";
    for (const [i, n] of (w.nodes ?? []).entries()) {
      if (!n?.name) return `$.spec.workflows[0].nodes[${i}] has no name`;
      if (!n.script?.runtime?.command) return `$.spec.workflows[0].nodes[${i}] has no script.runtime.command`;
      if (n.trigger?.type === "Scheduler" && !n.trigger.cron) return `$.spec.workflows[0].nodes[${i}]: Scheduler trigger without cron`;
    }
    const names = new Set((w.nodes ?? []).map((n: any) => n.name));
    const ids = new Set((w.nodes ?? []).map((n: any) => n.id).filter((x: unknown) => x !== undefined));
    for (const d of w.dependencies ?? w.flow ?? []) {
      if (!names.has(d.nodeId) && !ids.has(d.nodeId)) return `$.spec.workflows[0].dependencies: nodeId ${d.nodeId} is no node of the workflow`;
      if (!Array.isArray(d.depends) || d.depends.some((x: any) => typeof x.output !== "string"))
        return `dependencies of ${d.nodeId}: depends[].output must be output names`;
    }
    return undefined;
  }

  /** One step of a deployment process (called on each GetPipelineRun). */
  private tick(run: FakePipelineRun): void {
    if (run.status !== "Init" && run.status !== "Running") return;
    const stage = run.stages.find((st) => st.status !== "Success");
    if (stage?.status === "Running") {
      if (run.script.hang) return;
      if (run.script.failAt?.code === stage.code) {
        stage.status = "Fail";
        stage.message = run.script.failAt.message;
        run.status = "Fail";
        run.message = `stage ${stage.code} failed`;
      } else {
        stage.status = "Success";
        // Auto mode: the process starts its next stage itself, in the same step.
        const next = run.stages.find((st) => st.status !== "Success");
        if (next?.status === "Init" && next.auto) next.status = "Running";
      }
    } else if (stage?.status === "Init" && !stage.manual) {
      stage.status = "Running";
    }
    run.modifyTime++;
    if (run.status === "Fail") return;
    if (run.stages.every((st) => st.status === "Success")) {
      run.status = "Success";
      for (const id of run.objectIds.slice(0, 1)) {
        const n = this.nodes.get(id);
        if (n) {
          n.deployedSpec = run.type === "Online" ? n.spec : undefined;
          if (run.type === "Online" && !this.nodeTaskIds.has(id)) this.nodeTaskIds.set(id, String(this.nextTaskId++));
        }
        const wf = this.workflows.get(id);
        if (wf) {
          wf.deployed = run.type === "Online";
          // A workflow is deployed whole: every inner node gets its scheduling task.
          if (wf.deployed)
            for (const node of wf.doc.spec.workflows[0].nodes ?? []) if (!wf.taskIds.has(node.id)) wf.taskIds.set(node.id, String(this.nextTaskId++));
        }
      }
    } else if (run.stages.some((st) => st.status !== "Init")) {
      run.status = "Running";
    }
  }

  /** Problems with a FlowSpec the API would reject; undefined when acceptable. */
  private checkSpec(spec: string): string | undefined {
    let doc: any;
    try {
      doc = JSON.parse(spec);
    } catch {
      return "Spec is not valid JSON";
    }
    if (doc.kind !== "Node") return `Spec kind must be Node, got ${doc.kind}`;
    const node = doc.spec?.nodes?.[0];
    if (!node?.name) return "Spec has no spec.nodes[0].name";
    if (!node.script?.runtime?.command) return "Spec has no spec.nodes[0].script.runtime.command";
    if (node.trigger?.type === "Scheduler" && !node.trigger.cron) return "Scheduler trigger without cron";
    return undefined;
  }

  /** Recomputes the ACS3-HMAC-SHA256 signature of a request. */
  private verifySignature(
    req: http.IncomingMessage,
    pathname: string,
    query: Record<string, string>,
    body: Buffer,
  ): { auth?: RecordedRequest["auth"]; valid: boolean } {
    const header = String(req.headers.authorization ?? "");
    const m = /^(ACS3-HMAC-SHA256) Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(header);
    if (!m) return { valid: false };
    const [, algorithm, accessKeyId, signed, signature] = m;
    const signedHeaders = signed.split(";");
    const auth = { algorithm, accessKeyId, signedHeaders };
    const payloadHash = crypto.createHash("sha256").update(body).digest("hex");
    if (req.headers["x-acs-content-sha256"] !== payloadHash) return { auth, valid: false };
    for (const required of ["host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"]) {
      if (!signedHeaders.includes(required)) return { auth, valid: false };
    }
    const canonicalQuery = Object.keys(query)
      .sort()
      .map((k) => `${k}=${acsEncode(query[k])}`)
      .join("&");
    const canonicalHeaders = signedHeaders.map((h) => `${h}:${String(req.headers[h] ?? "").trim()}\n`).join("");
    const canonicalRequest = [req.method, pathname, canonicalQuery, canonicalHeaders, signedHeaders.join(";"), payloadHash].join("\n");
    const stringToSign = `${algorithm}\n${crypto.createHash("sha256").update(canonicalRequest).digest("hex")}`;
    const expected = crypto.createHmac("sha256", this.accessKeySecret).update(stringToSign).digest("hex");
    return { auth, valid: expected === signature };
  }
}
