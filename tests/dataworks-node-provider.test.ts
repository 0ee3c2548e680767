/**
 * The DataWorksNode dynamic provider's check/create/read/update/delete against
 * the local fake DataWorks endpoint, with credentials from the environment:
 * every create and update is deployed to production (CreatePipelineRun
 * Online), every delete undeploys first (Offline).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  DataWorksNodeProvider,
  DataWorksNodeState,
  DEPLOY_POLL_ENV,
  DEPLOY_POLL_INTERVAL_MS,
  DEPLOY_TIMEOUT_ENV,
  DEPLOY_TIMEOUT_MS,
  deployPolling,
  withDefaults,
} from "../providers/dataworks/node";
import { NodeLocation, NodeModel, nodeVersion } from "../lib/dataworks/flowspec";
import { FakeDataWorks } from "./support/fake-dataworks";
import { hostProcess, loadSerialized } from "./support/serialized";

const AK_ID = "LTAI-provider-test";
const AK_SECRET = "provider-test-secret-never-in-state";
const ENV_KEYS = [
  "PHOTO_ANALYTICS_DATAWORKS_ENDPOINT",
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "ALICLOUD_ACCESS_KEY",
  "ALICLOUD_SECRET_KEY",
  "PHOTO_ANALYTICS_DATAWORKS_DEPLOY_POLL_MS",
  "PHOTO_ANALYTICS_DATAWORKS_DEPLOY_TIMEOUT_MS",
  "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
  "ALIBABA_CLOUD_CONFIG_FILE",
  "ALIBABA_CLOUD_CREDENTIALS_FILE",
];
const savedEnv: Record<string, string | undefined> = {};

let fake: FakeDataWorks;
let provider: DataWorksNodeProvider;

const raw = {
  projectId: "123456",
  region: "cn-hangzhou",
  name: "ads_dau_d",
  folderPath: "photo-analytics/ads",
  script: "INSERT OVERWRITE TABLE ads_dau_d PARTITION (ds='${bizdate}') SELECT COUNT(DISTINCT user_id) FROM ods_page_views_d WHERE ds='${bizdate}';",
  cron: "00 30 01 * * ?",
  parameters: { bizdate: "$bizdate" },
  dependencies: ["pa_ws_root"],
  outputName: "pa_ws.ads_dau_d",
};

/** The calls made, without the polling: CreatePipelineRun shown with its Type. */
function flow(from = 0): string[] {
  return fake.requests
    .slice(from)
    .filter((r) => r.action !== "GetPipelineRun" && r.action !== "ExecPipelineRunStage")
    .map((r) => (r.action === "CreatePipelineRun" ? `CreatePipelineRun ${r.form.Type}` : r.action));
}

/** The Spec production runs for a node (the fake's deployed copy), parsed. */
function deployed(id: string): Record<string, any> | undefined {
  const d = fake.nodes.get(id)?.deployedSpec;
  return d === undefined ? undefined : JSON.parse(d).spec.nodes[0];
}

async function checked(inputs: Record<string, unknown>): Promise<NodeModel & NodeLocation> {
  const res = await provider.check({}, inputs);
  expect(res.failures).toEqual([]);
  return res.inputs as NodeModel & NodeLocation;
}

beforeEach(async () => {
  for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
  for (const k of ENV_KEYS) delete process.env[k];
  fake = new FakeDataWorks(AK_ID, AK_SECRET);
  process.env.PHOTO_ANALYTICS_DATAWORKS_ENDPOINT = await fake.start();
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = AK_ID;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = AK_SECRET;
  process.env.PHOTO_ANALYTICS_DATAWORKS_DEPLOY_POLL_MS = "2";
  process.env.PHOTO_ANALYTICS_DATAWORKS_DEPLOY_TIMEOUT_MS = "10000";
  provider = new DataWorksNodeProvider();
});

afterEach(async () => {
  await fake.stop();
  expect(fake.modelViolations).toEqual([]); // held to the official SDK models
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

describe("check", () => {
  it("fills defaults: time zone, T+1, rerun policy, data source, output name", async () => {
    const { outputName: _o, ...rest } = raw;
    const inputs = await checked(rest);
    expect(inputs).toMatchObject({
      timezone: "Asia/Shanghai",
      instanceMode: "T+1",
      rerun: { mode: "Allowed", times: 3, intervalMs: 180000 },
      datasourceName: "odps_first",
      resourceGroup: "",
      outputName: "123456.ads_dau_d",
    });
  });

  it("fails naming each bad property, the value and what is allowed", async () => {
    const res = await provider.check({}, { ...raw, projectId: undefined, cron: "every day", rerun: { times: 99 } });
    expect(res.failures).toEqual([
      { property: "projectId", reason: "projectId (the DataWorks workspace id) is required" },
      {
        property: "cron",
        reason:
          'cron "every day" must be a daily ("ss mm hh * * ?"), hourly ("ss mm 00-23/1 * * ?" or "ss mm * * * ?") or minute ("ss 00/n * * * ?") Quartz cron',
      },
      { property: "rerun", reason: "rerun.times 99 must be an integer from 0 to 10" },
    ]);
  });

  it("does not fail on values unknown during preview", async () => {
    const res = await provider.check({}, { ...raw, script: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
    expect(res.failures).toEqual([]);
  });
});

describe("create / read / update / delete", () => {
  it("creates the node with one CreateNode whose Spec is the node's FlowSpec, and keeps no secret in state", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    expect(flow()).toEqual(["CreateNode", "CreatePipelineRun Online"]);
    const r = fake.requests[0];
    expect(r.signatureValid).toBe(true);
    expect(r.form.ProjectId).toBe("123456");
    expect(r.form.Scene).toBe("DATAWORKS_PROJECT");
    const node = JSON.parse(r.form.Spec).spec.nodes[0];
    expect(node).toMatchObject({
      name: "ads_dau_d",
      script: { path: "photo-analytics/ads/ads_dau_d", runtime: { command: "ODPS_SQL" }, content: raw.script },
      trigger: { type: "Scheduler", cron: "00 30 01 * * ?", timezone: "Asia/Shanghai" },
      inputs: { nodeOutputs: [{ data: "pa_ws_root", artifactType: "NodeOutput" }] },
      outputs: { nodeOutputs: [{ data: "pa_ws.ads_dau_d", artifactType: "NodeOutput" }] },
    });
    expect(node.id).toBeUndefined();
    expect(outs.nodeId).toBe(id);
    expect(fake.nodes.has(id)).toBe(true);
    const state = JSON.stringify(outs);
    expect(state).not.toContain(AK_SECRET);
    expect(state).not.toContain(AK_ID);
  });

  it("reads the node back unchanged when nobody touched it (refresh shows no drift)", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    const mark = fake.requests.length;
    const read = await provider.read(id, outs as DataWorksNodeState);
    expect(flow(mark)).toEqual(["GetNode"]);
    expect(read.id).toBe(id);
    expect(read.props).toEqual(outs);
    const d = await provider.diff(id, read.props as DataWorksNodeState, inputs);
    expect(d.changes).toBe(false);
  });

  it("shows a console edit as drift, and the next update puts the code back with UpdateNode", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    fake.editInConsole(id, (n) => {
      n.script.content = "SELECT 'edited by hand';";
      n.trigger.cron = "00 00 03 * * ?";
    });
    const mark = fake.requests.length;
    const read = await provider.read(id, outs as DataWorksNodeState);
    const props = read.props as DataWorksNodeState;
    expect(props).toMatchObject({ script: "SELECT 'edited by hand';", cron: "00 00 03 * * ?", nodeId: id });
    // Data Studio now holds another version than production, which still runs the stack's.
    expect(props.devVersion).not.toBe(props.deployedVersion);
    expect(props.deployedVersion).toBe(nodeVersion(inputs));
    expect(deployed(id)!.script.content).toBe(raw.script);
    const d = await provider.diff(id, props, inputs);
    expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

    await provider.update(id, props, inputs);
    expect(flow(mark)).toEqual(["GetNode", "UpdateNode", "CreatePipelineRun Online"]);
    const update = fake.requests.find((r) => r.action === "UpdateNode")!;
    const sent = JSON.parse(update.form.Spec).spec.nodes[0];
    expect(update.form.Id).toBe(id);
    expect(sent.id).toBe(id);
    const stored = JSON.parse(fake.nodes.get(id)!.spec).spec.nodes[0];
    expect(stored.script.content).toBe(raw.script);
    expect(stored.trigger.cron).toBe("00 30 01 * * ?");
    expect(deployed(id)!.trigger.cron).toBe("00 30 01 * * ?");
  });

  it("updates in place when the SQL or schedule changes, and replaces when the folder changes", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    const newSql = await checked({ ...raw, script: "SELECT 2;", cron: "00 45 01 * * ?" });
    expect(await provider.diff(id, outs as DataWorksNodeState, newSql)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const moved = await checked({ ...raw, folderPath: "photo-analytics/reports" });
    expect(await provider.diff(id, outs as DataWorksNodeState, moved)).toEqual({
      changes: true,
      replaces: ["folderPath"],
      deleteBeforeReplace: true,
    });
    const otherWorkspace = await checked({ ...raw, projectId: "777" });
    expect(await provider.diff(id, outs as DataWorksNodeState, otherWorkspace)).toMatchObject({ replaces: ["projectId"], deleteBeforeReplace: false });
  });

  it("treats a node deleted in the console as gone on refresh", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    fake.nodes.delete(id);
    expect(await provider.read(id, outs as DataWorksNodeState)).toEqual({});
  });

  it("takes the node offline (CreatePipelineRun Offline), then deletes it with DeleteNode", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    const mark = fake.requests.length;
    await provider.delete(id, outs as DataWorksNodeState);
    expect(flow(mark)).toEqual(["CreatePipelineRun Offline", "DeleteNode"]);
    // 5 calls (6 in Normal mode: + 1 ExecPipelineRunStage).
    expect(fake.actions.slice(mark)).toEqual(["CreatePipelineRun", "GetPipelineRun", "GetPipelineRun", "GetPipelineRun", "DeleteNode"]);
    const offline = fake.requests.slice(mark).find((r) => r.action === "CreatePipelineRun")!;
    expect(offline.form).toMatchObject({ ProjectId: "123456", Type: "Offline", ObjectIds: `["${id}"]`, RunMode: "Auto", AutoRunUntilStage: "PROD" });
    expect(fake.pipelines.get("fake-pipeline-0002")).toMatchObject({ type: "Offline", status: "Success" });
    expect(fake.requests.at(-1)!.form).toEqual({ Id: id, ProjectId: "123456" });
    expect(fake.nodes.size).toBe(0);
  });

  it("deletes a node that was never deployed: the offline process fails, DeleteNode succeeds", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    fake.nodes.get(id)!.deployedSpec = undefined; // e.g. undeployed in the console
    const mark = fake.requests.length;
    await provider.delete(id, outs as DataWorksNodeState);
    expect(flow(mark)).toEqual(["CreatePipelineRun Offline", "DeleteNode"]);
    expect(fake.pipelines.get("fake-pipeline-0002")!.status).toBe("Fail");
    expect(fake.nodes.size).toBe(0);
  });

  it("fails to delete a deployed node it cannot take offline, with the offline process's error, and keeps it", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    fake.scriptNextPipeline({ failAt: { code: "PROD", message: "node has downstream nodes in production: ads_report_d" } });
    const err = await provider.delete(id, outs as DataWorksNodeState).catch((e) => e);
    expect(err.message).toMatch(
      new RegExp(
        `^DataWorks Undeploy failed: PipelineRun\\.Fail: Offline deployment process fake-pipeline-0002 for node ${id} ended Fail at stage PROD ` +
          `\\(Offline "Undeploy from production", Fail\\): node has downstream nodes in production: ads_report_d; stage PROD failed \\[request id FAKE-REQ-\\d+\\]$`,
      ),
    );
    expect(fake.actions.at(-1)).toBe("DeleteNode"); // tried, refused: the node is still deployed
    expect(fake.nodes.has(id)).toBe(true);
  });

  it("surfaces API errors with code and request id", async () => {
    const inputs = await checked(raw);
    fake.failNext("CreateNode", { status: 403, code: "Forbidden.Access", message: "You are not authorized to operate on the specified project." });
    await expect(provider.create(inputs)).rejects.toThrow(
      "DataWorks CreateNode failed: Forbidden.Access (HTTP 403): You are not authorized to operate on the specified project. [request id FAKE-REQ-0001]",
    );
  });

  it("retries a throttled UpdateNode and succeeds", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    fake.failNext("UpdateNode", { status: 400, code: "Throttling.User", message: "Request was denied due to user flow control." }, 1);
    const mark = fake.requests.length;
    await provider.update(id, outs as DataWorksNodeState, await checked({ ...raw, script: "SELECT 3;" }));
    expect(flow(mark)).toEqual(["UpdateNode", "UpdateNode", "CreatePipelineRun Online"]);
    expect(JSON.parse(fake.nodes.get(id)!.spec).spec.nodes[0].script.content).toBe("SELECT 3;");
  });

  it("resolves credentials through providers/common/credentials.ts: the alicloud config when the environment has none", async () => {
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
    // No profile, no OIDC, no ECS metadata: the chain ends with the error naming every source.
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
    process.env.ALIBABA_CLOUD_CONFIG_FILE = "/nonexistent/photo-analytics/config.json";
    process.env.ALIBABA_CLOUD_CREDENTIALS_FILE = "/nonexistent/photo-analytics/credentials";
    await expect(provider.create(await checked(raw))).rejects.toThrow(/^no Alibaba Cloud credentials: set the stack's alicloud:accessKey/);
    expect(fake.requests).toHaveLength(0);

    await provider.configure({
      config: {
        get: (k: string) => ({ "alicloud:accessKey": AK_ID, "alicloud:secretKey": AK_SECRET })[k],
        require: (k: string) => k,
      },
    });
    await provider.create(await checked(raw));
    expect(fake.requests[0]).toMatchObject({ action: "CreateNode", signatureValid: true });
  });
});

describe("deployment to production", () => {
  it("deploys a new node: waits for the process, starts the stage it waits on, records the deployed version", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    const run = fake.pipelines.get("fake-pipeline-0001")!;
    expect(run).toMatchObject({ type: "Online", objectIds: [id], status: "Success" });
    // RunMode Auto until the production stage: the process runs its stages itself, none is started here.
    expect(run).toMatchObject({ runMode: "Auto", autoRunUntilStage: "PROD", execs: [] });
    // 6 calls (8 in Normal mode: + 2 ExecPipelineRunStage).
    expect(fake.actions).toEqual(["CreateNode", "CreatePipelineRun", "GetPipelineRun", "GetPipelineRun", "GetPipelineRun", "GetPipelineRun"]);
    expect(fake.requests.filter((r) => r.action.includes("PipelineRun")).every((r) => r.signatureValid)).toBe(true);
    expect(deployed(id)).toEqual(JSON.parse(fake.nodes.get(id)!.spec).spec.nodes[0]);
    expect(outs).toMatchObject({
      nodeId: id,
      devVersion: nodeVersion(inputs),
      deployedVersion: nodeVersion(inputs),
      deploymentStatus: "Deployed",
      pipelineRunId: "fake-pipeline-0001",
    });
  });

  it("deploys an update: production runs the new SQL, the deployed version follows", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    const changed = await checked({ ...raw, script: "SELECT 2;", cron: "00 45 01 * * ?" });
    const mark = fake.requests.length;
    const { outs: after } = await provider.update(id, outs as DataWorksNodeState, changed);
    expect(flow(mark)).toEqual(["UpdateNode", "CreatePipelineRun Online"]);
    // 6 calls (8 in Normal mode: + 2 ExecPipelineRunStage).
    expect(fake.actions.slice(mark)).toEqual(["UpdateNode", "CreatePipelineRun", "GetPipelineRun", "GetPipelineRun", "GetPipelineRun", "GetPipelineRun"]);
    expect(deployed(id)).toMatchObject({ script: { content: "SELECT 2;" }, trigger: { cron: "00 45 01 * * ?" } });
    expect(after).toMatchObject({ deployedVersion: nodeVersion(changed), deploymentStatus: "Deployed", pipelineRunId: "fake-pipeline-0002" });
    expect(after.deployedVersion).not.toBe(outs!.deployedVersion);
    expect((await provider.diff(id, after as DataWorksNodeState, changed)).changes).toBe(false);
  });

  it("a failed deployment on create surfaces code, stage and request id, and keeps the node in state (initialization error)", async () => {
    const inputs = await checked(raw);
    fake.scriptNextPipeline({ failAt: { code: "PROD_CHECK", message: "upstream output pa_ws_root is not deployed" } });
    const err = await provider.create({ ...inputs, __provider: "<serialized provider>" } as NodeModel & NodeLocation).catch((e) => e);
    const [id] = [...fake.nodes.keys()];
    expect(err.message).toMatch(
      new RegExp(
        `^DataWorks Deploy failed: PipelineRun\\.Fail: Online deployment process fake-pipeline-0001 for node ${id} ended Fail at stage PROD_CHECK ` +
          `\\(Check "Production checks", Fail\\): upstream output pa_ws_root is not deployed; stage PROD_CHECK failed \\[request id FAKE-REQ-\\d+\\]$`,
      ),
    );
    // The dynamic-provider host turns an error with `id` into ErrorResourceInitFailed: the node stays in state.
    expect(err.id).toBe(id);
    expect(err.reasons).toEqual([err.message]);
    expect(err.properties).toMatchObject({
      nodeId: id,
      devVersion: nodeVersion(inputs),
      deployedVersion: "",
      deploymentStatus: "DeployFailed",
      pipelineRunId: "fake-pipeline-0001",
      __provider: "<serialized provider>",
    });
    expect(deployed(id)).toBeUndefined();

    // Next `up`: the diff asks for an update (production lags), the update deploys.
    expect(await provider.diff(id, err.properties, inputs)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs } = await provider.update(id, err.properties, inputs);
    expect(outs).toMatchObject({ deploymentStatus: "Deployed", deployedVersion: nodeVersion(inputs) });
    expect(deployed(id)!.script.content).toBe(raw.script);
  });

  it("a failed deployment on update keeps the version production still runs", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    fake.scriptNextPipeline({ failAt: { code: "PROD", message: "deploy rejected" } });
    const changed = await checked({ ...raw, script: "SELECT 2;" });
    const err = await provider.update(id, outs as DataWorksNodeState, changed).catch((e) => e);
    expect(err.message).toMatch(
      /^DataWorks Deploy failed: PipelineRun\.Fail: .* at stage PROD \(Deploy "Deploy to production", Fail\): deploy rejected; .*\[request id FAKE-REQ-\d+\]$/,
    );
    expect(err.id).toBe(id);
    expect(err.properties).toMatchObject({
      script: "SELECT 2;",
      devVersion: nodeVersion(changed),
      deployedVersion: nodeVersion(inputs),
      deploymentStatus: "DeployFailed",
      pipelineRunId: "fake-pipeline-0002",
    });
    expect(deployed(id)!.script.content).toBe(raw.script);
    expect((await provider.diff(id, err.properties, changed)).changes).toBe(true);
  });

  it("gives up on a deployment that does not finish within the timeout", async () => {
    process.env.PHOTO_ANALYTICS_DATAWORKS_DEPLOY_TIMEOUT_MS = "60";
    const inputs = await checked(raw);
    fake.scriptNextPipeline({ hang: true });
    const started = Date.now();
    const err = await provider.create(inputs).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err.message).toMatch(
      /^DataWorks Deploy failed: PipelineRun\.Timeout: Online deployment process fake-pipeline-0001 for node \d+ is still Running at stage BUILD_PACKAGE .*\(limit 60 ms, set by PHOTO_ANALYTICS_DATAWORKS_DEPLOY_TIMEOUT_MS\).* \[request id FAKE-REQ-\d+\]$/,
    );
    expect(err.properties).toMatchObject({ deploymentStatus: "DeployFailed", deployedVersion: "", pipelineRunId: "fake-pipeline-0001" });
  });

  it("shows drift when production does not run the wanted version (state from before automatic deployment)", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    const { devVersion: _d, deployedVersion: _v, deploymentStatus: _s, pipelineRunId: _p, ...legacy } = outs as DataWorksNodeState;
    expect(await provider.diff(id, legacy as DataWorksNodeState, inputs)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const mark = fake.requests.length;
    const read = await provider.read(id, legacy as DataWorksNodeState);
    expect(read.props).toMatchObject({ devVersion: nodeVersion(inputs), deployedVersion: "", deploymentStatus: "Unknown" });
    await provider.update(id, read.props as DataWorksNodeState, inputs);
    expect(flow(mark)).toEqual(["GetNode", "UpdateNode", "CreatePipelineRun Online"]);
  });

  it("polls every 5 s for at most 10 minutes unless the environment says otherwise, and rejects bad values", () => {
    expect([DEPLOY_POLL_INTERVAL_MS, DEPLOY_TIMEOUT_MS]).toEqual([5_000, 600_000]);
    expect(deployPolling({})).toMatchObject({ intervalMs: 5_000, timeoutMs: 600_000, timeoutSetting: DEPLOY_TIMEOUT_ENV });
    expect(deployPolling({ [DEPLOY_POLL_ENV]: "250", [DEPLOY_TIMEOUT_ENV]: "30000" })).toMatchObject({ intervalMs: 250, timeoutMs: 30_000 });
    expect(() => deployPolling({ [DEPLOY_TIMEOUT_ENV]: "10m" })).toThrow(
      'PHOTO_ANALYTICS_DATAWORKS_DEPLOY_TIMEOUT_MS="10m" must be a whole number of milliseconds greater than 0 (default 600000)',
    );
    expect(() => deployPolling({ [DEPLOY_POLL_ENV]: "0" })).toThrow(/PHOTO_ANALYTICS_DATAWORKS_DEPLOY_POLL_MS="0" must be/);
  });

  it("fails on a bad override before creating anything", async () => {
    process.env.PHOTO_ANALYTICS_DATAWORKS_DEPLOY_POLL_MS = "fast";
    await expect(provider.create(await checked(raw))).rejects.toThrow(/PHOTO_ANALYTICS_DATAWORKS_DEPLOY_POLL_MS="fast" must be/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("nodeVersion", () => {
  it("changes with the content, not with dependency order or trailing blanks", async () => {
    const a = withDefaults(raw);
    expect(nodeVersion(a)).toMatch(/^v1-[0-9a-f]{16}$/);
    expect(nodeVersion({ ...a, dependencies: ["x", "pa_ws_root"] })).toBe(nodeVersion({ ...a, dependencies: ["pa_ws_root", "x"] }));
    expect(nodeVersion({ ...a, script: a.script + "  \n" })).toBe(nodeVersion(a));
    expect(nodeVersion({ ...a, script: "SELECT 1;" })).not.toBe(nodeVersion(a));
    expect(nodeVersion({ ...a, cron: "00 31 01 * * ?" })).not.toBe(nodeVersion(a));
  });
});

describe("serialization", () => {
  it("serializes the provider without credentials, and the serialized provider creates a node", async () => {
    const { dataWorksNodeProvider } = await import("../providers/dataworks/node");
    const sf = await pulumi.runtime.serializeFunction(() => dataWorksNodeProvider, { allowSecrets: false });
    expect(sf.text).not.toContain(AK_SECRET);
    expect(sf.text).toMatch(/require\("@alicloud\/openapi-client[^"]*"\)/);
    // Load it the way the dynamic-provider host does: compiled from text, modules resolved from the project.
    const loaded = loadSerialized<DataWorksNodeProvider>(sf);
    // Jest gives tests their own `process`; the loaded code sees the real one, as the provider host would.
    const realEnv = hostProcess().env as Record<string, string | undefined>;
    const saved = ENV_KEYS.map((k) => [k, realEnv[k]] as const);
    for (const k of ENV_KEYS) realEnv[k] = process.env[k];
    try {
      const inputs = (await loaded.check!({}, raw)).inputs as NodeModel & NodeLocation;
      const { id, outs } = await loaded.create(inputs);
      expect(fake.nodes.has(id)).toBe(true);
      expect(fake.requests[0]).toMatchObject({ action: "CreateNode", signatureValid: true });
      expect(outs).toMatchObject({ deploymentStatus: "Deployed" });
    } finally {
      for (const [k, v] of saved) {
        if (v === undefined) delete realEnv[k];
        else realEnv[k] = v;
      }
    }
  });
});

describe("withDefaults", () => {
  it("keeps a numeric project id as a string", () => {
    expect(withDefaults({ ...raw, projectId: 123456 }).projectId).toBe("123456");
  });
});
