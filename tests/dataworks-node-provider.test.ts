/**
 * The DataWorksNode dynamic provider's check/create/read/update/delete against
 * the local fake DataWorks endpoint, with credentials from the environment.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DataWorksNodeProvider, DataWorksNodeState, withDefaults } from "../components/dataworks/node-provider";
import { NodeLocation, NodeModel } from "../lib/dataworks/flowspec";
import { FakeDataWorks } from "./support/fake-dataworks";

const AK_ID = "LTAI-provider-test";
const AK_SECRET = "provider-test-secret-never-in-state";
const ENV_KEYS = [
  "PHOTO_ANALYTICS_DATAWORKS_ENDPOINT",
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "ALICLOUD_ACCESS_KEY",
  "ALICLOUD_SECRET_KEY",
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
  provider = new DataWorksNodeProvider();
});

afterEach(async () => {
  await fake.stop();
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
      { property: "cron", reason: 'cron "every day" must be a daily ("ss mm hh * * ?") or hourly ("ss mm * * * ?") Quartz cron' },
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
    expect(fake.actions).toEqual(["CreateNode"]);
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
    const read = await provider.read(id, outs as DataWorksNodeState);
    expect(fake.actions).toEqual(["CreateNode", "GetNode"]);
    expect(read.id).toBe(id);
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
    const read = await provider.read(id, outs as DataWorksNodeState);
    expect(read.props).toMatchObject({ script: "SELECT 'edited by hand';", cron: "00 00 03 * * ?", nodeId: id });
    const d = await provider.diff(id, read.props as DataWorksNodeState, inputs);
    expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

    await provider.update(id, read.props as DataWorksNodeState, inputs);
    expect(fake.actions).toEqual(["CreateNode", "GetNode", "UpdateNode"]);
    const sent = JSON.parse(fake.requests[2].form.Spec).spec.nodes[0];
    expect(fake.requests[2].form.Id).toBe(id);
    expect(sent.id).toBe(id);
    const stored = JSON.parse(fake.nodes.get(id)!.spec).spec.nodes[0];
    expect(stored.script.content).toBe(raw.script);
    expect(stored.trigger.cron).toBe("00 30 01 * * ?");
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

  it("deletes the node with DeleteNode", async () => {
    const inputs = await checked(raw);
    const { id, outs } = await provider.create(inputs);
    await provider.delete(id, outs as DataWorksNodeState);
    expect(fake.actions).toEqual(["CreateNode", "DeleteNode"]);
    expect(fake.requests[1].form).toEqual({ Id: id, ProjectId: "123456" });
    expect(fake.nodes.size).toBe(0);
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
    await provider.update(id, outs as DataWorksNodeState, await checked({ ...raw, script: "SELECT 3;" }));
    expect(fake.actions).toEqual(["CreateNode", "UpdateNode", "UpdateNode"]);
    expect(JSON.parse(fake.nodes.get(id)!.spec).spec.nodes[0].script.content).toBe("SELECT 3;");
  });

  it("uses the provider's ALICLOUD_* variables, or the alicloud config, when ALIBABA_CLOUD_* are not set", async () => {
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
    await expect(provider.create(await checked(raw))).rejects.toThrow(/MissingCredentials/);
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

describe("serialization", () => {
  it("serializes the provider without credentials, and the serialized provider creates a node", async () => {
    const { dataWorksNodeProvider } = await import("../components/dataworks/node-provider");
    const sf = await pulumi.runtime.serializeFunction(() => dataWorksNodeProvider, { allowSecrets: false });
    expect(sf.text).not.toContain(AK_SECRET);
    expect(sf.text).toMatch(/require\("@alicloud\/openapi-client[^"]*"\)/);
    // Load it the way the dynamic-provider host does: compiled from text, modules resolved from the project.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Module = require("module");
    const filename = path.join(process.cwd(), "__serialized_provider__.js");
    const m = new Module(filename);
    m.filename = filename;
    m.paths = Module._nodeModulePaths(process.cwd());
    m._compile(sf.text, filename);
    const loaded = m.exports[sf.exportName]() as DataWorksNodeProvider;
    // Jest gives tests their own `process`; the loaded code sees the real one, as the provider host would.
    const real = new Module(filename);
    real._compile("module.exports = process;", filename);
    const realEnv = real.exports.env as Record<string, string | undefined>;
    const saved = ENV_KEYS.map((k) => [k, realEnv[k]] as const);
    for (const k of ENV_KEYS) realEnv[k] = process.env[k];
    try {
      const inputs = (await loaded.check!({}, raw)).inputs as NodeModel & NodeLocation;
      const { id } = await loaded.create(inputs);
      expect(fake.nodes.has(id)).toBe(true);
      expect(fake.requests[0]).toMatchObject({ action: "CreateNode", signatureValid: true });
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
