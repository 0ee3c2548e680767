/**
 * The DataWorksWorkflow dynamic provider against the fake DataWorks: one layer imported whole
 * (ImportWorkflowDefinition + GetJobStatus), deployed whole (one deployment process), its task ids
 * read with one ListNodes; read back with GetWorkflowDefinition as the SDK's documented Spec shows
 * it (default outputs first, ids, owners), so that a refresh followed by `up` changes nothing.
 */
import { DataWorksWorkflowProvider, DataWorksWorkflowState } from "../providers/dataworks/workflow";
import {
  buildWorkflowFlowSpec,
  groupByPeriod,
  layerDependencyProblems,
  parseWorkflowFlowSpec,
  schedulePeriod,
  validateWorkflowModel,
  workflowCron,
  WorkflowModel,
} from "../lib/dataworks/workflow-spec";
import { useFakeDataWorks } from "./support/dataworks-env";
import { ONLINE_PROCESS_CALLS } from "./support/fake-dataworks";
import { DataWorksNodeProvider } from "../providers/dataworks/node";

const env = useFakeDataWorks();

const RAW = {
  projectId: "1",
  region: "cn-hangzhou",
  layer: "realtime",
  formerFolderPaths: ["photo-analytics/realtime"],
  name: "ws_realtime",
  folderPath: "photo-analytics",
  cron: "00 10 00-23/1 * * ?",
  dependencies: ["ws_root"],
  outputName: "ws.ws_realtime",
  nodes: [
    {
      name: "users_realtime",
      script: "CREATE OR REPLACE VIEW users_realtime AS SELECT 1;",
      cron: "00 10 00-23/1 * * ?",
      outputName: "ws.users_realtime",
      instanceMode: "Immediately",
    },
    {
      name: "dwd_users_snapshot_h",
      script: "INSERT OVERWRITE TABLE t SELECT 1;",
      cron: "00 40 00-23/1 * * ?",
      outputName: "ws.dwd_users_snapshot_h",
      parameters: { bizdate: "$[yyyymmdd]", hh: "$[hh24]" },
      dependencies: ["ws.users_realtime"],
    },
  ],
};

/** GetWorkflowDefinition's Spec as the fake answers it (through the client, as the provider reads it). */
async function readAnswer(id: string): Promise<string> {
  const { DataWorksClient } = await import("../providers/dataworks/client");
  const w = await (await DataWorksClient.connect("cn-hangzhou")).getWorkflowDefinition({ projectId: "1", id });
  return w!.spec;
}

async function created() {
  const p = new DataWorksWorkflowProvider();
  const inputs = (await p.check({}, RAW)).inputs;
  const from = env.fake.requests.length;
  const c = await p.create(inputs);
  return { p, inputs, c, calls: env.fake.actions.slice(from) };
}

describe("DataWorksWorkflow", () => {
  it("creates the layer with one import, one job read, one deployment (RunMode Auto: no ExecPipelineRunStage) and one ListNodes: 8 calls", async () => {
    const { c, calls } = await created();
    expect(calls).toEqual(["ImportWorkflowDefinition", "GetJobStatus", "CreatePipelineRun", ...ONLINE_PROCESS_CALLS.auto, "ListNodes"]);
    expect(env.fake.requests.find((r) => r.action === "CreatePipelineRun")!.form).toMatchObject({ Type: "Online", RunMode: "Auto", AutoRunUntilStage: "PROD" });
    const wf = env.fake.workflows.get(c.id)!;
    expect(wf.deployed).toBe(true);
    expect(wf.doc.spec.workflows[0].nodes.map((n: any) => n.name)).toEqual(["users_realtime", "dwd_users_snapshot_h"]);
    const state = c.outs as DataWorksWorkflowState;
    expect(state.deploymentStatus).toBe("Deployed");
    // Task ids are the scheduler's, strings, one per inner node; node ids are 19-digit strings.
    expect(Object.keys(state.taskIds).sort()).toEqual(["dwd_users_snapshot_h", "users_realtime"]);
    for (const t of Object.values(state.taskIds)) expect(t).toMatch(/^\d{12}$/);
    for (const id of Object.values(state.nodeIds)) expect(id).toMatch(/^\d{19}$/);
    expect(Object.values(state.taskIds)).not.toEqual(expect.arrayContaining(Object.values(state.nodeIds)));
    expect(state.owner).toBe("1234567890");
  });

  it("sends dependencies as the workflow's `dependencies` (dataworks-spec SpecWorkflow), never spec.dependencies; the fake resolves the node by name", async () => {
    const { c } = await created();
    const imported = JSON.parse(env.fake.requests.find((r) => r.action === "ImportWorkflowDefinition")!.form.Spec);
    expect(imported.kind).toBe("CycleWorkflow");
    expect(imported.spec.dependencies).toBeUndefined();
    expect(imported.spec.workflows[0].dependencies).toEqual([{ nodeId: "dwd_users_snapshot_h", depends: [{ type: "Normal", output: "ws.users_realtime" }] }]);
    const stored = env.fake.workflows.get(c.id)!.doc.spec.workflows[0];
    const snap = stored.nodes.find((n: any) => n.name === "dwd_users_snapshot_h");
    expect(stored.dependencies).toEqual([{ nodeId: snap.id, depends: [{ type: "Normal", output: "ws.users_realtime" }] }]);
  });

  it("reads back what it sent: refresh is one call, and diff after it is no change (default outputs listed first)", async () => {
    const { p, inputs, c } = await created();
    const from = env.fake.requests.length;
    const r = await p.read(c.id, c.outs as DataWorksWorkflowState);
    expect(env.fake.actions.slice(from)).toEqual(["GetWorkflowDefinition"]);
    // What GetWorkflowDefinition answered lists DataWorks' default output first on every node.
    const answered = JSON.parse(env.fake.requests.length > 0 ? await readAnswer(c.id) : "{}");
    expect(answered.spec.workflows[0].nodes[0].outputs.nodeOutputs[0]).toMatchObject({ isDefault: true });
    expect(r.inputs).toEqual(inputs);
    const d = await p.diff(c.id, r.props as DataWorksWorkflowState, inputs);
    expect(d.changes).toBe(false);
    expect((r.props as DataWorksWorkflowState).taskIds).toEqual((c.outs as DataWorksWorkflowState).taskIds);
  });

  it("a console edit of an inner node's SQL shows after refresh, and the update imports with the ids it has (no new node)", async () => {
    const { p, inputs, c } = await created();
    env.fake.editWorkflowNodeInConsole(c.id, "users_realtime", (n) => (n.script.content = "SELECT 2;"));
    const r = await p.read(c.id, c.outs as DataWorksWorkflowState);
    expect((await p.diff(c.id, r.props as DataWorksWorkflowState, inputs)).changes).toBe(true);
    const before = { ...(c.outs as DataWorksWorkflowState).nodeIds };
    const from = env.fake.requests.length;
    const u = await p.update(c.id, r.props as DataWorksWorkflowState, inputs);
    // 8 calls, as a create.
    expect(env.fake.actions.slice(from)).toEqual(["ImportWorkflowDefinition", "GetJobStatus", "CreatePipelineRun", ...ONLINE_PROCESS_CALLS.auto, "ListNodes"]);
    const sent = JSON.parse(env.fake.requests.slice(from).find((x) => x.action === "ImportWorkflowDefinition")!.form.Spec);
    expect(sent.spec.workflows[0].id).toBe(c.id);
    expect(sent.spec.workflows[0].nodes.map((n: any) => n.id)).toEqual([before.users_realtime, before.dwd_users_snapshot_h]);
    expect((u.outs as DataWorksWorkflowState).nodeIds).toEqual(before);
    expect(env.fake.workflows.get(c.id)!.doc.spec.workflows[0].nodes[0].script.content).toBe(RAW.nodes[0].script);
  });

  it("a new inner node of the workflow's period (e.g. another hourly realtime node) is added by the same import, the others keep their ids", async () => {
    const { p, c } = await created();
    const more = (
      await p.check(
        {},
        { ...RAW, nodes: [...RAW.nodes, { name: "rt_metrics", script: "SELECT 3;", cron: "00 50 00-23/1 * * ?", outputName: "ws.rt_metrics" }] },
      )
    ).inputs;
    const u = await p.update(c.id, c.outs as DataWorksWorkflowState, more);
    const s = u.outs as DataWorksWorkflowState;
    expect(Object.keys(s.taskIds).sort()).toEqual(["dwd_users_snapshot_h", "rt_metrics", "users_realtime"]);
    expect(s.nodeIds.users_realtime).toBe((c.outs as DataWorksWorkflowState).nodeIds.users_realtime);
  });

  it("a workspace whose production stage has another code: the Auto request is refused, the deployment runs in Normal mode: 11 calls", async () => {
    env.fake.scriptNextPipeline({
      stages: [
        { code: "BUILD_PACKAGE", type: "Build", name: "Build package" },
        { code: "PROD_CHECK", type: "Check", name: "Production checks" },
        { code: "PUBLISH", type: "Deploy", name: "Deploy to production" },
      ],
      manualStages: ["PUBLISH"],
    });
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const { c, calls } = await created();
      expect(calls).toEqual([
        "ImportWorkflowDefinition",
        "GetJobStatus",
        "CreatePipelineRun", // RunMode Auto until PROD: 400 InvalidParameter.AutoRunUntilStage
        "CreatePipelineRun", // Normal
        ...ONLINE_PROCESS_CALLS.normal,
        "ListNodes",
      ]);
      expect(env.fake.workflows.get(c.id)!.deployed).toBe(true);
      expect((c.outs as DataWorksWorkflowState).deploymentStatus).toBe("Deployed");
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(
        /^DataWorks refused the Online deployment process of \d+ in RunMode Auto until stage PROD \(InvalidParameter\.AutoRunUntilStage, HTTP 400, request id FAKE-REQ-\d+\); creating it in Normal mode$/,
      );
    } finally {
      warn.mockRestore();
    }
  });

  it("waits for a slow import job; a failed job fails the create naming the job and its error", async () => {
    env.fake.importJobPendingReads = 2;
    const { calls } = await created();
    expect(calls.filter((a) => a === "GetJobStatus")).toHaveLength(3);
    env.fake.importJobErrors.push("$.spec.workflows[0].nodes[1]: invalid cron");
    const p = new DataWorksWorkflowProvider();
    const other = (await p.check({}, { ...RAW, name: "ws_other", outputName: "ws.ws_other" })).inputs;
    await expect(p.create(other)).rejects.toThrow(
      /^DataWorks ImportWorkflowDefinition failed: Job\.Fail: import job fake-job-0002 of workflow ws_other ended Fail: \$\.spec\.workflows\[0\]\.nodes\[1\]: invalid cron/,
    );
  });

  it("a create that finds the workflow an earlier, failed create made imports into it (no second workflow, same node ids)", async () => {
    const { c } = await created();
    const p = new DataWorksWorkflowProvider();
    const again = await p.create((await p.check({}, RAW)).inputs);
    expect(again.id).toBe(c.id);
    expect(env.fake.workflows.size).toBe(1);
    expect((again.outs as DataWorksWorkflowState).nodeIds).toEqual((c.outs as DataWorksWorkflowState).nodeIds);
  });

  it("migration: replaces the stack's deployed per-node resources in one up; their own delete then finds them gone", async () => {
    const nodes = new DataWorksNodeProvider();
    const old = [];
    for (const n of RAW.nodes) {
      const inputs = (await nodes.check({}, { projectId: "1", region: "cn-hangzhou", folderPath: "photo-analytics/realtime", ...n })).inputs;
      old.push(await nodes.create(inputs));
    }
    // Another team's node in another folder is not touched.
    env.fake.addDeployedNode("1", "not_ours", 1);
    const from = env.fake.requests.length;
    const { c } = await created();
    const calls = env.fake.actions.slice(from);
    expect(calls.filter((a) => a === "ImportWorkflowDefinition")).toHaveLength(2);
    expect(calls.filter((a) => a === "DeleteNode")).toHaveLength(2);
    expect([...env.fake.nodes.values()].map((n) => JSON.parse(n.spec).spec.nodes[0].name)).toEqual(["not_ours"]);
    expect((c.outs as DataWorksWorkflowState).deploymentStatus).toBe("Deployed");
    // Pulumi deletes the removed DataWorksNode resources last: each finds its node gone (2 calls: the offline attempt, DeleteNode).
    for (const o of old) {
      const before = env.fake.requests.length;
      await nodes.delete(o.id, o.outs);
      expect(env.fake.requests.length - before).toBe(2);
    }
    expect(env.fake.workflows.get(c.id)!.deployed).toBe(true);
  });

  it("never takes over a node of the same name outside the stack's former folders: the import's error stands", async () => {
    const theirs = env.fake.addDeployedNode("1", "users_realtime", 1); // script path: none under photo-analytics/realtime
    const p = new DataWorksWorkflowProvider();
    await expect(p.create((await p.check({}, RAW)).inputs)).rejects.toThrow(/Job\.Fail: .*node name users_realtime already exists in project 1/);
    expect(env.fake.nodes.has(theirs)).toBe(true);
    expect(env.fake.actions.filter((a) => a === "DeleteNode" || a === "CreatePipelineRun")).toEqual([]);
  });

  it("deletes whole: offline process (RunMode Auto), then DeleteWorkflowDefinition: 5 calls", async () => {
    const { p, c } = await created();
    const from = env.fake.requests.length;
    await p.delete(c.id, c.outs as DataWorksWorkflowState);
    expect(env.fake.actions.slice(from)).toEqual(["CreatePipelineRun", "GetPipelineRun", "GetPipelineRun", "GetPipelineRun", "DeleteWorkflowDefinition"]);
    expect(env.fake.workflows.size).toBe(0);
  });

  it("fails check, before any call, naming the node, key, value and what is allowed", async () => {
    const p = new DataWorksWorkflowProvider();
    const bad = await p.check({}, { ...RAW, nodes: [{ ...RAW.nodes[0], cron: "every minute" }, RAW.nodes[1], { ...RAW.nodes[1] }] });
    expect(bad.failures!.map((f) => f.reason)).toEqual([
      'workflow ws_realtime has 2 nodes named "dwd_users_snapshot_h"',
      expect.stringMatching(/^workflow ws_realtime, node users_realtime: cron "every minute"/),
    ]);
    expect(env.fake.requests).toHaveLength(0);
  });
});

describe("workflow FlowSpec (lib/dataworks/workflow-spec.ts)", () => {
  const model: WorkflowModel = {
    name: "w",
    folderPath: "f",
    description: "",
    cron: "00 30 01 * * ?",
    timezone: "Asia/Shanghai",
    instanceMode: "T+1",
    rerun: { mode: "Allowed", times: 3, intervalMs: 180000 },
    dependencies: ["ws_root"],
    outputName: "ws.w",
    nodes: [
      {
        name: "a",
        script: "SELECT 1;",
        cron: "00 30 01 * * ?",
        timezone: "Asia/Shanghai",
        instanceMode: "T+1",
        parameters: {},
        dependencies: ["ws.b"],
        outputName: "ws.a",
        rerun: { mode: "Allowed", times: 3, intervalMs: 180000 },
        datasourceName: "odps_first",
        resourceGroup: "",
        description: "",
      },
      {
        name: "b",
        script: "SELECT 1;",
        cron: "00 30 01 * * ?",
        timezone: "Asia/Shanghai",
        instanceMode: "T+1",
        parameters: {},
        dependencies: ["ws.a"],
        outputName: "ws.b",
        rerun: { mode: "Allowed", times: 3, intervalMs: 180000 },
        datasourceName: "odps_first",
        resourceGroup: "",
        description: "",
      },
    ],
  };

  it("names schedule periods and groups nodes by them (one workflow each); the workflow's cron is the period's earliest inner time", () => {
    expect(["00 30 01 * * ?", "00 10 00-23/1 * * ?", "00 10 * * * ?", "00 */5 * * * ?", "00 0/7 * * * ?"].map(schedulePeriod)).toEqual([
      "daily",
      "hourly",
      "hourly",
      "every5min",
      "runs216",
    ]);
    const nodes = [
      { name: "v", cron: "00 40 00-23/1 * * ?" },
      { name: "c", cron: "00 20 00 * * ?" },
      { name: "s", cron: "00 10 00-23/1 * * ?" },
    ];
    expect(groupByPeriod(nodes).map((g) => [g.period, g.nodes.map((n) => n.name)])).toEqual([
      ["hourly", ["v", "s"]],
      ["daily", ["c"]],
    ]);
    expect(workflowCron(groupByPeriod(nodes)[0].nodes)).toBe("00 10 00-23/1 * * ?");
  });

  it("fails a layer whose node waits for a node of another period, or one the layer lacks, naming both", () => {
    expect(
      layerDependencyProblems("realtime", [
        { name: "v", cron: "00 10 * * * ?", after: [] },
        { name: "c", cron: "00 20 00 * * ?", after: ["v"] },
        { name: "s", cron: "00 40 * * * ?", after: ["v", "x"] },
      ]),
    ).toEqual([
      "node c (daily) waits for v (hourly): a node waits only for nodes of its schedule period (one workflow per period)",
      "node s waits for x, which the realtime layer does not have",
    ]);
    expect(
      layerDependencyProblems("realtime", [
        { name: "v", cron: "00 10 * * * ?", after: [] },
        { name: "s", cron: "00 40 * * * ?", after: ["v"] },
      ]),
    ).toEqual([]);
  });

  it("refuses a cycle between inner nodes", () => {
    expect(validateWorkflowModel(model).map((p) => p.message)).toEqual(["workflow w: nodes depend on each other in a cycle: a -> b -> a"]);
  });

  it("reads `flow` where a workflow has no `dependencies`, and an output by value when the default one comes first", () => {
    const doc = buildWorkflowFlowSpec({ ...model, nodes: [model.nodes[0]] }, { workflowId: "9", nodeIds: { a: "8" } }) as any;
    const w = doc.spec.workflows[0];
    w.flow = w.dependencies;
    delete w.dependencies;
    w.nodes[0].outputs.nodeOutputs.unshift({ data: "8", isDefault: true });
    const read = parseWorkflowFlowSpec(doc);
    expect(read.model.nodes[0].dependencies).toEqual(["ws.b"]);
    expect(read.model.nodes[0].outputName).toBe("ws.a");
    expect(read.nodeIds).toEqual({ a: "8" });
  });
});
