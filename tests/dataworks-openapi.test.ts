/**
 * providers/dataworks/client.ts and pipeline.ts against the local fake DataWorks endpoint: what the
 * official client sends, how answers and errors come back.
 */
import { backoffMs, DataWorksApiError, DataWorksClient, DEFAULT_RETRY, isNotFound, PipelineStage, resolveEndpoint } from "../providers/dataworks/client";
import { DataWorksPipelineError, isAutoRunRefusal, PRODUCTION_STAGE_CODE, runPipeline, stageToAdvance } from "../providers/dataworks/pipeline";
import { pollDelayMs, pollSchedule } from "../providers/common/polling";
import { FakeDataWorks, ONLINE_PROCESS_CALLS } from "./support/fake-dataworks";

const AK = { accessKeyId: "LTAI-test-id", accessKeySecret: "test-secret-value" };
const SPEC = JSON.stringify({
  version: "1.1.0",
  kind: "Node",
  spec: {
    nodes: [
      {
        name: "ads_dau_d",
        script: { runtime: { command: "ODPS_SQL" }, content: "SELECT '${bizdate}' AS ds, COUNT(*) FROM t WHERE a <> 'x&y=z' /* ! * ( ) */;" },
        trigger: { type: "Scheduler", cron: "00 30 01 * * ?" },
      },
    ],
  },
});

let fake: FakeDataWorks;
let sleeps: number[];
let client: DataWorksClient;

beforeEach(async () => {
  fake = new FakeDataWorks(AK.accessKeyId, AK.accessKeySecret);
  const url = await fake.start();
  sleeps = [];
  client = new DataWorksClient({
    region: "cn-hangzhou",
    credentials: AK,
    env: { PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: url },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
});

afterEach(async () => {
  await fake.stop();
  expect(fake.modelViolations).toEqual([]); // held to the official SDK models
});

describe("requests sent by the official client", () => {
  it("CreateNode: POST / with action, version 2024-05-18, a valid ACS3 signature and the form body", async () => {
    const id = await client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" });
    expect(id).toMatch(/^\d+$/);
    expect(fake.requests).toHaveLength(1);
    const r = fake.requests[0];
    expect(r).toMatchObject({ method: "POST", path: "/", action: "CreateNode", version: "2024-05-18", signatureValid: true });
    expect(r.auth).toMatchObject({ algorithm: "ACS3-HMAC-SHA256", accessKeyId: AK.accessKeyId });
    expect(r.headers.authorization).not.toContain(AK.accessKeySecret);
    expect(r.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(r.form).toEqual({ ProjectId: "123456", Scene: "DATAWORKS_PROJECT", Spec: SPEC });
    expect(JSON.parse(r.form.Spec)).toEqual(JSON.parse(SPEC));
  });

  it("GetNode: GET with Id and ProjectId as query parameters, answered with the stored Spec", async () => {
    const id = await client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" });
    const node = await client.getNode({ projectId: "123456", id });
    const r = fake.requests[1];
    expect(r).toMatchObject({ method: "GET", action: "GetNode", version: "2024-05-18", signatureValid: true, query: { Id: id, ProjectId: "123456" } });
    expect(node).toMatchObject({ id, name: "ads_dau_d", projectId: "123456" });
    expect(JSON.parse(node!.spec).spec.nodes[0].script.content).toBe(JSON.parse(SPEC).spec.nodes[0].script.content);
  });

  it("UpdateNode and DeleteNode: POST with Id, ProjectId (and Spec)", async () => {
    const id = await client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" });
    await client.updateNode({ projectId: "123456", id, spec: SPEC });
    await client.deleteNode({ projectId: "123456", id });
    expect(fake.actions).toEqual(["CreateNode", "UpdateNode", "DeleteNode"]);
    expect(fake.requests[1].form).toEqual({ Id: id, ProjectId: "123456", Spec: SPEC });
    expect(fake.requests[2].form).toEqual({ Id: id, ProjectId: "123456" });
    expect(fake.requests.every((r) => r.signatureValid)).toBe(true);
    expect(fake.nodes.size).toBe(0);
  });
});

describe("deployment processes", () => {
  /** A clock that the fake sleep moves forward, so timeouts need no real waiting. */
  let clock: number;
  let timed: DataWorksClient;
  const POLLING = { intervalMs: 2_000, factor: 1, timeoutMs: 60_000, now: () => clock };

  beforeEach(() => {
    clock = 0;
    timed = new DataWorksClient({
      region: "cn-hangzhou",
      credentials: AK,
      env: { PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: fake.url },
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });
  });

  async function node(): Promise<string> {
    return client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" });
  }

  it("CreatePipelineRun: POST with ProjectId, Type and ObjectIds as a JSON array string, answered with the process id", async () => {
    const id = await node();
    const runId = await client.createPipelineRun({ projectId: "123456", type: "Online", objectId: id, description: "deploy ads_dau_d" });
    const r = fake.requests[1];
    expect(r).toMatchObject({ method: "POST", path: "/", action: "CreatePipelineRun", version: "2024-05-18", signatureValid: true });
    expect(r.form).toEqual({ ProjectId: "123456", Type: "Online", ObjectIds: `["${id}"]`, Description: "deploy ads_dau_d" });
    expect(runId).toBe("fake-pipeline-0001");
    expect(fake.pipelines.get(runId)).toMatchObject({ runMode: "Normal", autoRunUntilStage: "" });
  });

  it("CreatePipelineRun: RunMode and AutoRunUntilStage in the form body, as the official SDK sends them, only when given", async () => {
    const id = await node();
    const runId = await client.createPipelineRun({ projectId: "123456", type: "Online", objectId: id, runMode: "Auto", autoRunUntilStage: "PROD" });
    expect(fake.requests[1]).toMatchObject({ method: "POST", action: "CreatePipelineRun", signatureValid: true, query: {} });
    expect(fake.requests[1].form).toEqual({ ProjectId: "123456", Type: "Online", ObjectIds: `["${id}"]`, RunMode: "Auto", AutoRunUntilStage: "PROD" });
    expect(fake.pipelines.get(runId)).toMatchObject({ runMode: "Auto", autoRunUntilStage: "PROD" });
    await client.createPipelineRun({ projectId: "123456", type: "Online", objectId: id, runMode: "Normal" });
    expect(fake.requests[2].form).toEqual({ ProjectId: "123456", Type: "Online", ObjectIds: `["${id}"]`, RunMode: "Normal" });
  });

  it("the fake refuses a RunMode other than Normal or Auto, Auto without AutoRunUntilStage, and a stage code the process lacks (400, naming the value)", async () => {
    const id = await node();
    const create = (extra: Record<string, string>) => client.createPipelineRun({ projectId: "123456", type: "Online", objectId: id, ...extra });
    await expect(create({ runMode: "Fast" })).rejects.toThrow(
      /^DataWorks CreatePipelineRun failed: InvalidParameter\.RunMode \(HTTP 400\): RunMode "Fast" is not one of Normal, Auto \[request id FAKE-REQ-\d+\]$/,
    );
    await expect(create({ runMode: "Auto" })).rejects.toThrow(
      /InvalidParameter\.AutoRunUntilStage \(HTTP 400\): AutoRunUntilStage is required when RunMode is Auto/,
    );
    fake.scriptNextPipeline({ stages: [{ code: "DEPLOY_PROD", type: "Deploy", name: "Deploy" }] });
    await expect(create({ runMode: "Auto", autoRunUntilStage: "PROD" })).rejects.toThrow(
      /InvalidParameter\.AutoRunUntilStage \(HTTP 400\): AutoRunUntilStage "PROD" is not a stage of this Online process \(stages: DEPLOY_PROD\)/,
    );
    expect(fake.pipelines.size).toBe(0);
    // A refused request leaves the script to the process that is created next.
    const runId = await create({ runMode: "Auto", autoRunUntilStage: "DEPLOY_PROD" });
    expect(fake.pipelines.get(runId)!.stages.map((st) => st.code)).toEqual(["DEPLOY_PROD"]);
  });

  it("GetPipelineRun: GET with Id and ProjectId; ExecPipelineRunStage: ProjectId in the query, Id and Code in the form body", async () => {
    const id = await node();
    const runId = await client.createPipelineRun({ projectId: "123456", type: "Online", objectId: id });
    const run = await client.getPipelineRun({ projectId: "123456", id: runId });
    expect(fake.requests[2]).toMatchObject({ method: "GET", action: "GetPipelineRun", signatureValid: true, query: { Id: runId, ProjectId: "123456" } });
    expect(run).toMatchObject({ id: runId, status: "Running", requestId: "FAKE-REQ-0003" });
    expect(run.stages.map((st) => [st.step, st.code, st.type, st.status])).toEqual([
      [1, "BUILD_PACKAGE", "Build", "Running"],
      [2, "PROD_CHECK", "Check", "Init"],
      [3, "PROD", "Deploy", "Init"],
    ]);
    await client.getPipelineRun({ projectId: "123456", id: runId }); // build finishes
    await client.execPipelineRunStage({ projectId: "123456", id: runId, code: "PROD_CHECK" });
    const exec = fake.requests[4];
    expect(exec).toMatchObject({ method: "POST", action: "ExecPipelineRunStage", signatureValid: true, query: { ProjectId: "123456" } });
    expect(exec.form).toEqual({ Code: "PROD_CHECK", Id: runId });
    expect(fake.pipelines.get(runId)!.execs).toEqual(["PROD_CHECK"]);
  });

  it("ExecPipelineRunStage refuses to skip a stage, naming the code and request id", async () => {
    const id = await node();
    const runId = await client.createPipelineRun({ projectId: "123456", type: "Online", objectId: id });
    await expect(client.execPipelineRunStage({ projectId: "123456", id: runId, code: "PROD" })).rejects.toThrow(
      /^DataWorks ExecPipelineRunStage failed: Invalid\.PipelineRun\.StageOrder \(HTTP 400\): .* \[request id FAKE-REQ-0003\]$/,
    );
  });

  it("runPipeline deploys in RunMode Auto until the production stage: CreatePipelineRun + 4 GetPipelineRun, no ExecPipelineRunStage", async () => {
    const id = await node();
    const from = fake.requests.length;
    const res = await runPipeline(timed, { projectId: "123456", type: "Online", objectId: id }, POLLING);
    expect(res).toEqual({ pipelineRunId: "fake-pipeline-0001", type: "Online", runMode: "Auto", advancedStages: [] });
    expect(PRODUCTION_STAGE_CODE).toBe("PROD");
    expect(fake.actions.slice(from)).toEqual(["CreatePipelineRun", "GetPipelineRun", "GetPipelineRun", "GetPipelineRun", "GetPipelineRun"]);
    expect(fake.requests[from].form).toEqual({ ProjectId: "123456", Type: "Online", ObjectIds: `["${id}"]`, RunMode: "Auto", AutoRunUntilStage: "PROD" });
    expect(fake.pipelines.get(res.pipelineRunId)).toMatchObject({ status: "Success", runMode: "Auto", execs: [] });
    expect(fake.nodes.get(id)!.deployedSpec).toBe(fake.nodes.get(id)!.spec);
    expect(sleeps).toEqual([2_000, 2_000, 2_000]);
  });

  it("runPipeline in Normal mode (asked for, or after a refused Auto request) starts the stages the process waits on: + 2 ExecPipelineRunStage", async () => {
    const id = await node();
    const from = fake.requests.length;
    const res = await runPipeline(timed, { projectId: "123456", type: "Online", objectId: id, runMode: "Normal" }, POLLING);
    expect(res).toEqual({ pipelineRunId: "fake-pipeline-0001", type: "Online", runMode: "Normal", advancedStages: ["PROD_CHECK", "PROD"] });
    expect(fake.actions.slice(from)).toEqual([
      "CreatePipelineRun",
      "GetPipelineRun",
      "GetPipelineRun",
      "ExecPipelineRunStage",
      "GetPipelineRun",
      "ExecPipelineRunStage",
      "GetPipelineRun",
    ]);
    expect(fake.requests[from].form).toEqual({ ProjectId: "123456", Type: "Online", ObjectIds: `["${id}"]` });
    expect(fake.pipelines.get(res.pipelineRunId)).toMatchObject({ status: "Success", runMode: "Normal", execs: ["PROD_CHECK", "PROD"] });
    expect(fake.nodes.get(id)!.deployedSpec).toBe(fake.nodes.get(id)!.spec);
    expect(sleeps.every((ms) => ms === 2_000)).toBe(true);
    expect(fake.actions.filter((a) => a === "GetPipelineRun")).toHaveLength(sleeps.length + 1);
  });

  it("a live process without a PROD stage refuses the Auto request; runPipeline creates it once more in Normal mode and deploys it", async () => {
    const id = await node();
    const warnings: string[] = [];
    fake.scriptNextPipeline({
      stages: [
        { code: "BUILD_PACKAGE", type: "Build", name: "Build package" },
        { code: "PROD_CHECK", type: "Check", name: "Production checks" },
        { code: "DEPLOY_PROD", type: "Deploy", name: "Deploy to production" },
      ],
      manualStages: ["DEPLOY_PROD"],
    });
    const from = fake.requests.length;
    const res = await runPipeline(timed, { projectId: "123456", type: "Online", objectId: id }, POLLING, timed.sleep, (m) => warnings.push(m));
    expect(res).toEqual({ pipelineRunId: "fake-pipeline-0001", type: "Online", runMode: "Normal", advancedStages: ["PROD_CHECK", "DEPLOY_PROD"] });
    expect(fake.actions.slice(from)).toEqual([
      "CreatePipelineRun", // Auto until PROD: 400 InvalidParameter.AutoRunUntilStage
      "CreatePipelineRun", // Normal
      ...ONLINE_PROCESS_CALLS.normal,
    ]);
    const [auto, normal] = fake.requests.slice(from, from + 2);
    expect(auto.form).toMatchObject({ RunMode: "Auto", AutoRunUntilStage: "PROD" });
    expect(normal.form).toEqual({ ProjectId: "123456", Type: "Online", ObjectIds: `["${id}"]` });
    expect(fake.nodes.get(id)!.deployedSpec).toBe(fake.nodes.get(id)!.spec);
    expect(warnings).toEqual([
      `DataWorks refused the Online deployment process of ${id} in RunMode Auto until stage PROD ` +
        `(InvalidParameter.AutoRunUntilStage, HTTP 400, request id ${auto.requestId}); creating it in Normal mode`,
    ]);
    expect(warnings.join("")).not.toContain(AK.accessKeySecret);
  });

  it("Auto accepted but the live process still waits on its stages (worst case): each is started once two reads find it waiting", async () => {
    const id = await node();
    fake.scriptNextPipeline({ manualStages: ["PROD_CHECK", "PROD"] });
    const from = fake.requests.length;
    const res = await runPipeline(timed, { projectId: "123456", type: "Online", objectId: id }, POLLING);
    expect(res).toEqual({ pipelineRunId: "fake-pipeline-0001", type: "Online", runMode: "Auto", advancedStages: ["PROD_CHECK", "PROD"] });
    // A Normal process's calls plus one read per stage Auto should have started (a read may fall
    // between one stage ending and Auto starting the next: no start is sent on the first sight).
    expect(fake.actions.slice(from)).toEqual([
      "CreatePipelineRun",
      "GetPipelineRun",
      "GetPipelineRun",
      "GetPipelineRun",
      "ExecPipelineRunStage",
      "GetPipelineRun",
      "GetPipelineRun",
      "ExecPipelineRunStage",
      "GetPipelineRun",
    ]);
  });

  it("Auto: a stage found waiting once and running on the next read is never started here", async () => {
    const id = await node();
    // PROD_CHECK waits one read (the gap between BUILD_PACKAGE ending and Auto starting it), then runs on its own.
    fake.scriptNextPipeline({ manualStages: ["PROD_CHECK"] });
    const from = fake.requests.length;
    let reads = 0;
    const client = Object.create(timed) as typeof timed;
    client.getPipelineRun = async (req) => {
      const run = await timed.getPipelineRun(req);
      reads++;
      const waiting = run.stages.find((st) => st.code === "PROD_CHECK" && st.status === "Init");
      // After the read that first finds it waiting, Auto starts it (as a live Auto process would).
      if (waiting && run.stages[0].status === "Success" && reads >= 2) (fake.pipelines.get(run.id)!.stages[1] as { manual: boolean }).manual = false;
      return run;
    };
    const res = await runPipeline(client, { projectId: "123456", type: "Online", objectId: id }, POLLING);
    expect(res.advancedStages).toEqual([]);
    expect(fake.actions.slice(from).filter((a) => a === "ExecPipelineRunStage")).toEqual([]);
  });

  it("a stage after AutoRunUntilStage waits, and runPipeline starts it", async () => {
    const id = await node();
    fake.scriptNextPipeline({
      stages: [
        { code: "BUILD_PACKAGE", type: "Build", name: "Build package" },
        { code: "PROD_CHECK", type: "Check", name: "Production checks" },
        { code: "PROD", type: "Deploy", name: "Deploy to production" },
        { code: "PROD_VERIFY", type: "Check", name: "Verify production" },
      ],
    });
    const from = fake.requests.length;
    const res = await runPipeline(timed, { projectId: "123456", type: "Online", objectId: id }, POLLING);
    expect(res).toMatchObject({ runMode: "Auto", advancedStages: ["PROD_VERIFY"] });
    expect(fake.actions.slice(from)).toEqual([
      "CreatePipelineRun",
      "GetPipelineRun",
      "GetPipelineRun",
      "GetPipelineRun",
      "GetPipelineRun",
      "ExecPipelineRunStage",
      "GetPipelineRun",
    ]);
  });

  it("no Normal retry after any other refusal of the Auto request (a missing object, a 5xx whose outcome is unknown)", async () => {
    const id = await node();
    const warnings: string[] = [];
    const run = () => runPipeline(timed, { projectId: "123456", type: "Online", objectId: id }, POLLING, timed.sleep, (m) => warnings.push(m));
    fake.failNext("CreatePipelineRun", { status: 400, code: "Invalid.Node.NotExists", message: `object ${id} does not exist` });
    await expect(run()).rejects.toThrow(/^DataWorks CreatePipelineRun failed: Invalid\.Node\.NotExists \(HTTP 400\)/);
    fake.failNext("CreatePipelineRun", { status: 503, code: "InvalidParameter.RunMode", message: "RunMode: backend unavailable" });
    await expect(run()).rejects.toThrow(/^DataWorks CreatePipelineRun failed: InvalidParameter\.RunMode \(HTTP 503\)/);
    expect(fake.actions.slice(1)).toEqual(["CreatePipelineRun", "CreatePipelineRun"]);
    expect(warnings).toEqual([]);
  });

  it("runPipeline waits without advancing while a stage runs on its own", async () => {
    const id = await node();
    fake.scriptNextPipeline({ manualStages: [] });
    const res = await runPipeline(timed, { projectId: "123456", type: "Online", objectId: id, runMode: "Normal" }, POLLING);
    // The client starts a stage it finds waiting; a stage the process starts itself is only polled.
    expect(fake.pipelines.get(res.pipelineRunId)!.status).toBe("Success");
    expect(res.advancedStages).toEqual(fake.pipelines.get(res.pipelineRunId)!.execs);
  });

  it("runPipeline fails naming the process, the failed stage, its message and the request id", async () => {
    const id = await node();
    fake.scriptNextPipeline({ failAt: { code: "PROD_CHECK", message: "table ods_page_views_d does not exist in production" } });
    const err = await runPipeline(timed, { projectId: "123456", type: "Online", objectId: id }, POLLING).catch((e) => e);
    // Auto: the check stage ran on its own and failed; no stage was started by the client.
    expect(fake.actions.slice(1)).toEqual(["CreatePipelineRun", "GetPipelineRun", "GetPipelineRun", "GetPipelineRun"]);
    expect(fake.pipelines.get("fake-pipeline-0001")!.runMode).toBe("Auto");
    expect(err).toBeInstanceOf(DataWorksPipelineError);
    expect(err).toMatchObject({
      action: "Deploy",
      code: "PipelineRun.Fail",
      pipelineRunId: "fake-pipeline-0001",
      pipelineStatus: "Fail",
      stageCode: "PROD_CHECK",
    });
    const lastGet = fake.requests.filter((r) => r.action === "GetPipelineRun").at(-1)!;
    expect(err.message).toBe(
      `DataWorks Deploy failed: PipelineRun.Fail: Online deployment process fake-pipeline-0001 for node ${id} ended Fail ` +
        `at stage PROD_CHECK (Check "Production checks", Fail): table ods_page_views_d does not exist in production; stage PROD_CHECK failed ` +
        `[request id ${lastGet.requestId}]`,
    );
    expect(fake.nodes.get(id)!.deployedSpec).toBeUndefined();
  });

  it("runPipeline gives up at the timeout, naming the stage still running and the setting", async () => {
    const id = await node();
    fake.scriptNextPipeline({ hang: true });
    const err = await runPipeline(
      timed,
      { projectId: "123456", type: "Online", objectId: id },
      { ...POLLING, timeoutMs: 10_000, timeoutSetting: "SOME_ENV" },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(DataWorksPipelineError);
    expect(err).toMatchObject({ action: "Deploy", code: "PipelineRun.Timeout", pipelineStatus: "Running", stageCode: "BUILD_PACKAGE" });
    expect(err.message).toMatch(
      /^DataWorks Deploy failed: PipelineRun\.Timeout: Online deployment process fake-pipeline-0001 for node \d+ is still Running at stage BUILD_PACKAGE \(Build "Build package", Running\) after 10 s \(limit 10000 ms, set by SOME_ENV\); .* \[request id FAKE-REQ-\d+\]$/,
    );
    expect(sleeps).toEqual([2_000, 2_000, 2_000, 2_000, 2_000]);
    expect(fake.actions.slice(1)).toEqual(["CreatePipelineRun", ...Array(6).fill("GetPipelineRun")]);
    expect(fake.pipelines.get("fake-pipeline-0001")!.runMode).toBe("Auto");
  });

  it("runPipeline reads the process again when starting a stage fails, and fails if the stage still waits", async () => {
    const id = await node();
    fake.scriptNextPipeline({ manualStages: ["PROD_CHECK", "PROD"] }); // waiting even in Auto mode
    fake.failNext("ExecPipelineRunStage", { status: 400, code: "Forbidden.NoPermission", message: "no deploy permission" }, 10);
    const err = await runPipeline(timed, { projectId: "123456", type: "Online", objectId: id }, POLLING).catch((e) => e);
    expect(err.message).toMatch(
      /^DataWorks ExecPipelineRunStage failed: Forbidden\.NoPermission \(HTTP 400\): no deploy permission \[request id FAKE-REQ-\d+\]$/,
    );
    // Tried once, read again: PROD_CHECK still waited, so the error is raised (no second try, no skipping).
    expect(fake.actions.filter((a) => a === "ExecPipelineRunStage")).toHaveLength(1);
    expect(fake.actions.at(-1)).toBe("GetPipelineRun");
  });

  it("runPipeline carries on when the stage it failed to start has started on its own", async () => {
    const id = await node();
    fake.scriptNextPipeline({ manualStages: ["PROD"] });
    fake.failNext("ExecPipelineRunStage", { status: 400, code: "Invalid.PipelineRun.StageOrder", message: "stage already running" }, 1);
    const res = await runPipeline(timed, { projectId: "123456", type: "Online", objectId: id, runMode: "Normal" }, POLLING);
    // PROD_CHECK (not manual) was refused once, then ran by itself; PROD was started by the client.
    expect(res.advancedStages).toEqual(["PROD"]);
    expect(fake.pipelines.get(res.pipelineRunId)!.status).toBe("Success");
  });

  it("an Offline process undeploys the node", async () => {
    const id = await node();
    fake.deployInConsole(id);
    const from = fake.requests.length;
    const res = await runPipeline(timed, { projectId: "123456", type: "Offline", objectId: id }, POLLING);
    // Auto until the production (undeploy) stage: CreatePipelineRun + 3 GetPipelineRun (Normal: + 1 ExecPipelineRunStage).
    expect(fake.actions.slice(from)).toEqual(["CreatePipelineRun", "GetPipelineRun", "GetPipelineRun", "GetPipelineRun"]);
    expect(fake.requests[from].form).toMatchObject({ Type: "Offline", ObjectIds: `["${id}"]`, RunMode: "Auto", AutoRunUntilStage: "PROD" });
    expect(res).toMatchObject({ type: "Offline", runMode: "Auto", advancedStages: [] });
    expect(fake.nodes.get(id)!.deployedSpec).toBeUndefined();
    await expect(client.deleteNode({ projectId: "123456", id })).resolves.toBeUndefined();
  });
});

describe("isAutoRunRefusal: when a refused Auto request is asked for again in Normal mode", () => {
  const err = (statusCode: number | undefined, code: string, message: string) =>
    new DataWorksApiError({ action: "CreatePipelineRun", code, message, statusCode, requestId: "R" });
  it.each([
    [true, 400, "InvalidParameter.AutoRunUntilStage", 'AutoRunUntilStage "PROD" is not a stage of this Online process'],
    [true, 400, "InvalidParameter.RunMode", 'RunMode "Auto" is not supported'],
    [true, 400, "InvalidParameter", "the parameter runmode is invalid"],
    [true, 404, "Invalid.PipelineRun.StageNotExists", "no such stage"],
    [true, 400, "Invalid.Param", "unknown stage code PROD"],
    [false, 400, "InvalidParameter.ObjectIds", "ObjectIds must be a non-empty JSON array"],
    [false, 400, "Invalid.Node.NotExists", "object 7000000000000000001 does not exist"],
    [false, 400, "MissingParameter", "AutoRunUntilStage is mandatory"],
    [false, 403, "Forbidden.NoPermission", "no permission for RunMode Auto"],
    [false, 500, "InvalidParameter.RunMode", "RunMode"],
    [false, 429, "Throttling.User", "stage"],
    [false, undefined, "InvalidParameter.RunMode", "RunMode (Success=false answer, no HTTP status)"],
  ] as const)("%s for HTTP %s %s: %s", (expected, status, code, message) => {
    expect(isAutoRunRefusal(err(status, code, message))).toBe(expected);
  });
  it("false for anything but a DataWorks API error", () => {
    expect(isAutoRunRefusal(new Error("InvalidParameter.RunMode"))).toBe(false);
  });
});

describe("stageToAdvance", () => {
  const st = (code: string, status: string, step: number): PipelineStage => ({ code, status, step, type: "Check", name: "", message: "" });
  it.each([
    ["the first stage when nothing started", [st("A", "Init", 1), st("B", "Init", 2)], "A"],
    ["the next stage after the successful ones", [st("A", "Success", 1), st("B", "Init", 2)], "B"],
    ["nothing while a stage runs", [st("A", "Success", 1), st("B", "Running", 2), st("C", "Init", 3)], undefined],
    ["nothing after a failure", [st("A", "Fail", 1), st("B", "Init", 2)], undefined],
    ["nothing when all succeeded", [st("A", "Success", 1)], undefined],
  ])("%s", (_name, stages, expected) => {
    expect(stageToAdvance({ stages })?.code).toBe(expected);
  });
});

describe("answers", () => {
  it("an unknown AccessKey is not a node that is gone", () => {
    const e = (code: string, statusCode?: number) => new DataWorksApiError({ action: "DeleteNode", code, message: "", statusCode });
    expect(isNotFound(e("InvalidAccessKeyId.NotFound", 404))).toBe(false);
    expect(isNotFound(e("Invalid.Node.NotExists", 400))).toBe(true);
  });

  it("GetNode of a node that is gone is undefined, not an error", async () => {
    await expect(client.getNode({ projectId: "123456", id: "42" })).resolves.toBeUndefined();
  });

  it("DeleteNode of a node that is gone succeeds", async () => {
    await expect(client.deleteNode({ projectId: "123456", id: "42" })).resolves.toBeUndefined();
  });

  it("fails with the API's error code, HTTP status, message and request id", async () => {
    await client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" });
    const err = await client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" }).catch((e) => e);
    expect(err).toBeInstanceOf(DataWorksApiError);
    expect(err).toMatchObject({ action: "CreateNode", code: "Invalid.Node.NameDuplicate", statusCode: 400, requestId: "FAKE-REQ-0002" });
    expect(err.message).toBe(
      "DataWorks CreateNode failed: Invalid.Node.NameDuplicate (HTTP 400): a node named ads_dau_d already exists in project 123456 [request id FAKE-REQ-0002]",
    );
  });

  it("fails with SignatureDoesNotMatch when signed with the wrong secret", async () => {
    const bad = new DataWorksClient({
      region: "cn-hangzhou",
      credentials: { ...AK, accessKeySecret: "wrong" },
      env: { PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: fake.url },
    });
    await expect(bad.createNode({ projectId: "1", spec: SPEC, scene: "DATAWORKS_PROJECT" })).rejects.toThrow(
      /^DataWorks CreateNode failed: SignatureDoesNotMatch \(HTTP 400\): .* \[request id FAKE-REQ-0001\]$/,
    );
    expect(fake.nodes.size).toBe(0);
  });

  it("retries throttling with growing, bounded backoff, then succeeds", async () => {
    fake.failNext("CreateNode", { status: 400, code: "Throttling.User", message: "Request was denied due to user flow control." }, 3);
    const id = await client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" });
    expect(id).toMatch(/^\d+$/);
    expect(fake.actions).toEqual(["CreateNode", "CreateNode", "CreateNode", "CreateNode"]);
    expect(sleeps).toHaveLength(3);
    expect(sleeps[0]).toBeGreaterThanOrEqual(400);
    expect(sleeps[0]).toBeLessThanOrEqual(500);
    expect(sleeps[1]).toBeGreaterThanOrEqual(800);
    expect(sleeps[2]).toBeGreaterThanOrEqual(1600);
    expect(fake.nodes.size).toBe(1);
  });

  it("gives up after maxAttempts throttled answers, naming the code, attempts and last request id", async () => {
    fake.failNext("UpdateNode", { status: 503, code: "ServiceUnavailable", message: "The request has failed due to a temporary failure of the server." }, 10);
    const err = await client.updateNode({ projectId: "1", id: "2", spec: SPEC }).catch((e) => e);
    expect(fake.actions).toEqual(Array(DEFAULT_RETRY.maxAttempts).fill("UpdateNode"));
    expect(err.message).toBe(
      "DataWorks UpdateNode failed: ServiceUnavailable (HTTP 503): The request has failed due to a temporary failure of the server. " +
        "(still throttled after 5 attempts) [request id FAKE-REQ-0005]",
    );
  });

  it("does not retry other errors", async () => {
    fake.failNext("CreateNode", { status: 400, code: "InvalidParameter.Spec", message: "bad spec" });
    await expect(client.createNode({ projectId: "1", spec: SPEC, scene: "DATAWORKS_PROJECT" })).rejects.toThrow(
      "DataWorks CreateNode failed: InvalidParameter.Spec (HTTP 400): bad spec [request id FAKE-REQ-0001]",
    );
    expect(fake.actions).toEqual(["CreateNode"]);
    expect(sleeps).toEqual([]);
  });

  it("fails naming the endpoint when nothing answers", async () => {
    const url = fake.url;
    await fake.stop();
    const err = await client.getNode({ projectId: "1", id: "2" }).catch((e) => e);
    expect(err).toBeInstanceOf(DataWorksApiError);
    expect(err.message).toContain(`DataWorks GetNode failed:`);
    expect(err.message).toContain(`could not reach ${url}`);
  });
});

describe("backoffMs", () => {
  it("doubles from the base and stops at the cap", () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, DEFAULT_RETRY, none))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(backoffMs(1, DEFAULT_RETRY, () => 1)).toBe(400);
  });
});

describe("polling (providers/common/polling.ts)", () => {
  it("doubles the pause between reads up to the cap, so a long deployment costs few reads", () => {
    const p = { intervalMs: 5_000, factor: 2, maxIntervalMs: 60_000, timeoutMs: 600_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => pollDelayMs(n, p))).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
    // 10 minutes of waiting: 13 pauses, so at most 14 GetPipelineRun calls (a fixed 5 s poll: 121).
    expect(pollSchedule(p)).toHaveLength(13);
    expect(pollSchedule({ ...p, factor: 1, maxIntervalMs: 5_000 })).toHaveLength(120);
  });

  it("runPipeline sleeps the growing pauses between reads", async () => {
    const id = await client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" });
    await runPipeline(
      client,
      { projectId: "123456", type: "Online", objectId: id },
      { intervalMs: 1_000, factor: 2, maxIntervalMs: 4_000, timeoutMs: 600_000 },
    );
    expect(sleeps.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 4_000].slice(0, Math.min(4, sleeps.length)));
  });
});

describe("resolveEndpoint", () => {
  it("uses dataworks.<region>.aliyuncs.com over HTTPS", () => {
    expect(resolveEndpoint("cn-shanghai", {})).toEqual({ protocol: "HTTPS", endpoint: "dataworks.cn-shanghai.aliyuncs.com" });
  });
  it("takes the override from PHOTO_ANALYTICS_DATAWORKS_ENDPOINT", () => {
    expect(resolveEndpoint("cn-shanghai", { PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: "http://127.0.0.1:8123" })).toEqual({
      protocol: "HTTP",
      endpoint: "127.0.0.1:8123",
    });
  });
  it("fails on a malformed override or region", () => {
    expect(() => resolveEndpoint("cn-shanghai", { PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: "127.0.0.1:8123" })).toThrow(/must look like http:\/\/host:port/);
    expect(() => resolveEndpoint("Hangzhou", {})).toThrow(/region "Hangzhou" is not an Alibaba Cloud region id/);
  });
});
