import {
  buildNodeFlowSpec,
  cronAfter,
  DEFAULT_RERUN,
  diffNode,
  minutesBetween,
  NodeLocation,
  NodeModel,
  parseNodeFlowSpec,
  parseQuartzCron,
  validateNodeModel,
} from "../lib/dataworks/flowspec";

const model: NodeModel & NodeLocation = {
  projectId: "123456",
  region: "cn-hangzhou",
  name: "ads_dau_d",
  folderPath: "photo-analytics/ads",
  script: "INSERT OVERWRITE TABLE ads_dau_d PARTITION (ds='${bizdate}') SELECT 1;",
  cron: "00 30 01 * * ?",
  timezone: "Asia/Shanghai",
  instanceMode: "T+1",
  parameters: { bizdate: "$bizdate", env: "prod" },
  dependencies: ["pa_ws_root"],
  outputName: "pa_ws.ads_dau_d",
  rerun: DEFAULT_RERUN,
  datasourceName: "odps_first",
  resourceGroup: "Serverless_res_group_1",
  description: "DAU per day",
};

describe("buildNodeFlowSpec", () => {
  it("writes a Node FlowSpec with the script, schedule, parameters, dependencies and rerun policy", () => {
    const doc = buildNodeFlowSpec(model);
    expect(doc.version).toBe("1.1.0");
    expect(doc.kind).toBe("Node");
    expect(doc.spec.nodes).toHaveLength(1);
    const n = doc.spec.nodes[0];
    expect(n.id).toBeUndefined();
    expect(n).toMatchObject({
      name: "ads_dau_d",
      instanceMode: "T+1",
      rerunMode: "Allowed",
      rerunTimes: 3,
      rerunInterval: 180000,
      datasource: { name: "odps_first", type: "odps" },
      script: {
        path: "photo-analytics/ads/ads_dau_d",
        runtime: { command: "ODPS_SQL" },
        content: model.script,
      },
      trigger: { type: "Scheduler", cron: "00 30 01 * * ?", timezone: "Asia/Shanghai" },
      runtimeResource: { resourceGroup: "Serverless_res_group_1" },
      inputs: { nodeOutputs: [{ data: "pa_ws_root", artifactType: "NodeOutput" }] },
      outputs: { nodeOutputs: [{ data: "pa_ws.ads_dau_d", artifactType: "NodeOutput" }] },
    });
    expect(n.script!.parameters).toEqual([
      { name: "bizdate", artifactType: "Variable", scope: "NodeParameter", type: "System", value: "$bizdate" },
      { name: "env", artifactType: "Variable", scope: "NodeParameter", type: "Constant", value: "prod" },
    ]);
  });

  it("sets the node id for UpdateNode", () => {
    expect(buildNodeFlowSpec(model, "86043887").spec.nodes[0].id).toBe("86043887");
  });

  it("leaves runtimeResource out when no resource group is given", () => {
    expect(buildNodeFlowSpec({ ...model, resourceGroup: "" }).spec.nodes[0].runtimeResource).toBeUndefined();
  });

  it("is stable: same model, same bytes, whatever the order of dependencies and parameters", () => {
    const a = JSON.stringify(buildNodeFlowSpec({ ...model, dependencies: ["b", "a"], parameters: { x: "1", bizdate: "$bizdate" } }));
    const b = JSON.stringify(buildNodeFlowSpec({ ...model, dependencies: ["a", "b", "a"], parameters: { bizdate: "$bizdate", x: "1" } }));
    expect(a).toBe(b);
  });
});

describe("parseNodeFlowSpec", () => {
  it("reads back exactly the model that was written", () => {
    const { projectId: _p, region: _r, ...m } = model;
    expect(parseNodeFlowSpec(JSON.stringify(buildNodeFlowSpec(model, "1")))).toEqual(m);
  });

  it("reads GetNode's documented Spec: dependencies from `flow`, the own output by value with DataWorks' default output first", () => {
    // The shape of GetNodeResponseBody.ts's example (official SDK @06a71f93): ids, owner, metadata; inputs empty here so
    // that the dependency is found in `flow` alone.
    const doc = buildNodeFlowSpec(model, "8604388726201130001") as any;
    const node = doc.spec.nodes[0];
    node.inputs = {};
    node.owner = "1107550004253538";
    node.outputs.nodeOutputs.unshift({ data: "8604388726201130001", artifactType: "NodeOutput", refTableName: "ads_dau_d", isDefault: true });
    expect(doc.spec.flow).toEqual([{ nodeId: "8604388726201130001", depends: [{ type: "Normal", output: "pa_ws_root" }] }]);
    expect(doc.spec.dependencies).toBeUndefined();
    const read = parseNodeFlowSpec(JSON.stringify({ ...doc, metadata: { uuid: "8604388726201130001" } }));
    expect([read.outputName, read.dependencies]).toEqual(["pa_ws.ads_dau_d", ["pa_ws_root"]]);
  });

  it("fails when the Spec is not JSON, naming the problem", () => {
    expect(() => parseNodeFlowSpec("{nope")).toThrow(/node Spec is not JSON/);
  });

  it("fails when the Spec has no node", () => {
    expect(() => parseNodeFlowSpec(JSON.stringify({ kind: "Node", spec: { nodes: [] } }))).toThrow(/spec.nodes\[0\].name/);
  });
});

describe("validateNodeModel", () => {
  it("accepts a valid model", () => {
    expect(validateNodeModel(model)).toEqual([]);
  });

  it.each([
    ["name", { name: "1bad-name" }, /name "1bad-name" must start with a letter/],
    ["folderPath", { folderPath: "/abs/" }, /folderPath "\/abs\/" must be a relative path/],
    ["script", { script: "  " }, /script of node "ads_dau_d" is empty/],
    ["cron", { cron: "0 30 1 * *" }, /cron "0 30 1 \* \*" must be a daily/],
    ["timezone", { timezone: "Mars/Olympus" }, /timezone "Mars\/Olympus" is not an IANA time zone/],
    ["instanceMode", { instanceMode: "Later" }, /instanceMode "Later" is not one of T\+1, Immediately/],
    ["rerun.mode", { rerun: { ...DEFAULT_RERUN, mode: "Sometimes" } }, /rerun.mode "Sometimes"/],
    ["rerun.times", { rerun: { ...DEFAULT_RERUN, times: 11 } }, /rerun.times 11 must be an integer from 0 to 10/],
    ["rerun.intervalMs", { rerun: { ...DEFAULT_RERUN, intervalMs: 1000 } }, /rerun.intervalMs 1000 must be from 60000/],
    ["dependencies", { dependencies: ["pa_ws.ads_dau_d"] }, /cannot depend on its own output/],
  ])("fails when %s is invalid", (key, patch, message) => {
    const problems = validateNodeModel({ ...model, ...(patch as object) } as NodeModel);
    expect(problems.map((p) => p.key)).toEqual([key]);
    expect(problems[0].message).toMatch(message);
  });
});

describe("diffNode", () => {
  it("sees no change for the same model (dependency order and trailing blanks ignored)", () => {
    const d = diffNode(model, { ...model, dependencies: [...model.dependencies].reverse(), script: model.script + "  \n" });
    expect(d).toEqual({ changed: [], replaces: [], deleteBeforeReplace: false });
  });

  it.each([
    ["script", { script: "SELECT 2;" }],
    ["cron", { cron: "00 45 01 * * ?" }],
    ["timezone", { timezone: "UTC" }],
    ["instanceMode", { instanceMode: "Immediately" }],
    ["parameters", { parameters: { bizdate: "$[yyyymmdd-1]" } }],
    ["dependencies", { dependencies: ["pa_ws.other"] }],
    ["rerun", { rerun: { ...DEFAULT_RERUN, times: 0 } }],
    ["datasourceName", { datasourceName: "odps_prod" }],
    ["resourceGroup", { resourceGroup: "" }],
    ["description", { description: "changed" }],
  ])("updates in place when %s changes", (key, patch) => {
    expect(diffNode(model, { ...model, ...(patch as object) })).toEqual({ changed: [key], replaces: [], deleteBeforeReplace: false });
  });

  it.each([
    ["name", { name: "ads_dau_v2", outputName: "pa_ws.ads_dau_v2" }, ["name", "outputName"], false],
    ["folderPath", { folderPath: "photo-analytics/reports" }, ["folderPath"], true],
    ["outputName", { outputName: "pa_ws.dau" }, ["outputName"], true],
    ["projectId", { projectId: "999" }, ["projectId"], false],
    ["region", { region: "cn-shanghai" }, ["region"], false],
  ])("replaces the node when %s changes", (_key, patch, replaces, deleteFirst) => {
    const d = diffNode(model, { ...model, ...(patch as object) });
    expect(d.replaces).toEqual(replaces);
    // Same workspace and same name/output: DataWorks refuses a twin, so the old node goes first.
    expect(d.deleteBeforeReplace).toBe(deleteFirst);
  });

  it("compares a numeric project id from old state with a string one", () => {
    expect(diffNode({ ...model, projectId: 123456 as unknown as string }, model).changed).toEqual([]);
  });
});

describe("Quartz cron helpers", () => {
  it.each([
    ["00 30 00 * * ?", { kind: "daily", second: 0, minute: 30, hour: 0 }],
    ["00 05 * * * ?", { kind: "hourly", second: 0, minute: 5 }],
    ["0 0 0 1 * ?", undefined],
    ["00 61 * * * ?", undefined],
    ["00 30 00 * *", undefined],
  ])("parses %s", (cron, expected) => {
    expect(parseQuartzCron(cron)).toEqual(expected);
  });

  it.each([
    ["00 30 00 * * ?", 60, "00 30 01 * * ?"],
    ["00 30 00 * * ?", 0, "00 30 00 * * ?"],
    ["00 50 22 * * ?", 65, "00 55 23 * * ?"],
    ["00 05 * * * ?", 15, "00 20 00-23/1 * * ?"],
    ["00 05 00-23/1 * * ?", 15, "00 20 00-23/1 * * ?"],
  ])("cronAfter(%s, %i) = %s", (cron, delay, expected) => {
    expect(cronAfter(cron, delay)).toBe(expected);
  });

  it("fails when a daily delay would cross midnight (bizdate would change)", () => {
    expect(() => cronAfter("00 30 23 * * ?", 45)).toThrow(/crosses midnight/);
  });

  it("fails when an hourly delay would cross into the next hour", () => {
    expect(() => cronAfter("00 50 * * * ?", 15)).toThrow(/crosses into the next hour \(minute 65\)/);
  });

  it("measures minutes between schedules of the same kind", () => {
    expect(minutesBetween("00 30 00 * * ?", "00 30 01 * * ?")).toBe(60);
    expect(minutesBetween("00 05 * * * ?", "00 00 * * * ?")).toBe(-5);
    expect(() => minutesBetween("00 05 * * * ?", "00 30 01 * * ?")).toThrow(/cannot order a hourly schedule/);
  });
});
