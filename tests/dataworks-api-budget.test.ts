/**
 * DataWorks OpenAPI call budget (lib/dataworks/api-budget.ts): the per-resource
 * figures are what the providers really call (measured against the fake, which
 * counts every request), and what a stage's first `up`, `refresh` and re-run
 * cost against Basic Edition's 100 calls a day
 * (https://help.aliyun.com/zh/dataworks/developer-reference/api).
 */
import { apiCalls, CALLS, CALLS_PER_CHANGED, requiredEdition, stageCalls, stageInventory } from "../lib/dataworks/api-budget";
import { Stage, STAGES } from "../lib/config/types";
import { planOf } from "./support/plan";
import { DataWorksNodeProvider } from "../providers/dataworks/node";
import { DiJobRunProvider } from "../providers/dataworks/di-job-run";
import { ComputeResourceProvider } from "../providers/dataworks/compute-resource";
import { ResourceGroupAssociationProvider } from "../providers/dataworks/resource-group-association";
import { useFakeDataWorks } from "./support/dataworks-env";

const env = useFakeDataWorks();

/** Calls one provider operation makes. */
async function calls(op: () => Promise<unknown>): Promise<number> {
  const from = env.fake.requests.length;
  await op();
  return env.fake.requests.length - from;
}

describe("per-resource call counts are what the providers make", () => {
  it("DataWorksNode: create 8, diff 0, read 1, update 8, delete 6", async () => {
    const p = new DataWorksNodeProvider();
    const raw = {
      projectId: "1",
      region: "cn-hangzhou",
      name: "ads_dau_d",
      folderPath: "photo-analytics/ads",
      script: "SELECT 1;",
      cron: "00 30 01 * * ?",
      outputName: "ws.ads_dau_d",
    };
    const inputs = (await p.check({}, raw)).inputs;
    let created: any;
    expect(await calls(async () => (created = await p.create(inputs)))).toBe(CALLS.DataWorksNode.create);
    expect(await calls(() => p.diff(created.id, created.outs, inputs))).toBe(CALLS.DataWorksNode.diff);
    expect(await calls(() => p.read(created.id, created.outs))).toBe(CALLS.DataWorksNode.read);
    const changed = (await p.check({}, { ...raw, script: "SELECT 2;" })).inputs;
    let updated: any;
    expect(await calls(async () => (updated = await p.update(created.id, created.outs, changed)))).toBe(CALLS.DataWorksNode.update);
    expect(await calls(() => p.delete(created.id, updated.outs))).toBe(CALLS.DataWorksNode.delete);
  });

  it("DiJobRun: create 1, diff 0, read 1, update of a changed running job 3, delete 2", async () => {
    const p = new DiJobRunProvider();
    const diJobId = `1:${env.fake.addDiJob("1", "job")}`;
    const inputs = (await p.check({}, { diJobId, region: "cn-hangzhou", jobVersion: "v1" })).inputs;
    let created: any;
    expect(await calls(async () => (created = await p.create(inputs)))).toBe(CALLS.DiJobRun.create);
    expect(await calls(() => p.diff(diJobId, created.outs, inputs))).toBe(CALLS.DiJobRun.diff);
    expect(await calls(() => p.read(diJobId, created.outs))).toBe(CALLS.DiJobRun.read);
    const news = { ...inputs, jobVersion: "v2" };
    let updated: any;
    expect(await calls(async () => (updated = await p.update(diJobId, created.outs, news)))).toBe(CALLS.DiJobRun.update);
    expect(await calls(() => p.delete(diJobId, updated.outs))).toBe(CALLS.DiJobRun.delete);
  });

  it("ComputeResource and ResourceGroupAssociation: one call per create, read, update and delete", async () => {
    const c = new ComputeResourceProvider();
    const inputs = (
      await c.check(
        {},
        { projectId: "1", region: "cn-hangzhou", name: "cr", connectionProperties: { project: "p", envType: "Prod", authType: "PrimaryAccount" } },
      )
    ).inputs;
    let created: any;
    expect(await calls(async () => (created = await c.create(inputs)))).toBe(CALLS.ComputeResource.create);
    expect(await calls(() => c.read(created.id, created.outs))).toBe(CALLS.ComputeResource.read);
    expect(await calls(() => c.update(created.id, created.outs, { ...inputs, description: "x" }))).toBe(CALLS.ComputeResource.update);
    expect(await calls(() => c.delete(created.id, created.outs))).toBe(CALLS.ComputeResource.delete);

    const a = new ResourceGroupAssociationProvider();
    env.fake.addResourceGroup("rg");
    const ain = (await a.check({}, { projectId: "1", region: "cn-hangzhou", resourceGroupId: "rg" })).inputs;
    let bound: any;
    expect(await calls(async () => (bound = await a.create(ain)))).toBe(CALLS.ResourceGroupAssociation.create);
    expect(await calls(() => a.read(bound.id, bound.outs))).toBe(CALLS.ResourceGroupAssociation.read);
    expect(await calls(() => a.delete(bound.id, bound.outs))).toBe(CALLS.ResourceGroupAssociation.delete);
  });
});

/** The DataWorks inventory of a stage with the default tables: counted in the plan the real program records. */
async function inventoryOf(stage: Stage) {
  const plan = await planOf({ "photo-analytics:stage": stage });
  const count = (type: string) => plan.resources.filter((r) => r.type === type).length;
  const nodes = count("pulumi-nodejs:dynamic/dataworks:DataWorksNode");
  const diJobs = count("alicloud:dataworks/diJob:DiJob");
  expect(count("pulumi-nodejs:dynamic/dataworks:DiJobRun")).toBe(diJobs);
  expect(count("pulumi-nodejs:dynamic/dataworks:ResourceGroupAssociation")).toBe(1);
  const nodeAlertRules = count("pulumi-nodejs:dynamic/dataworks:NodeAlertRule");
  const diAlarmRules = count("alicloud:dataworks/diAlarmRule:DiAlarmRule");
  return { nodes, diJobs, nodeAlertRules, diAlarmRules, inventory: stageInventory({ nodes, diJobs, resourceGroupBound: true, nodeAlertRules, diAlarmRules }) };
}

describe("calls per stage (the figures the README and the cost model quote)", () => {
  it.each([
    // stage, nodes, DI jobs, first up, refresh, re-run
    // initial: 4 reports; growth: + 3 hourly aggregates; mature: + a view, a snapshot and a compaction per realtime table (3)
    // and the rt_metrics node. Alerts: 2 node alert rules per batch node (4, then 7), 1 per realtime node (10) and 2 DI alarm
    // rules per DI job.
    // First up = project 2 + data sources 2 x 2 + compute resource 1 + group binding 1 + DI jobs x (2 + 1 run + 2 x 2 alarms)
    //   + nodes x 8 + node alert rules x 2.
    ["initial", 4, 1, 63, 21, 0],
    ["growth", 7, 4, 120, 42, 0],
    ["mature", 17, 4, 220, 62, 0],
  ] as const)("%s: %i nodes, %i DI jobs -> first up %i calls, refresh %i, re-run %i", async (stage, nodes, diJobs, firstUp, refresh, rerun) => {
    const inv = await inventoryOf(stage as Stage);
    expect([inv.nodes, inv.diJobs, inv.nodeAlertRules, inv.diAlarmRules]).toEqual([nodes, diJobs, { initial: 8, growth: 14, mature: 24 }[stage], 2 * diJobs]);
    expect(stageCalls(inv.inventory)).toEqual({ firstUp, refresh, rerun });
  });

  it("a re-run with nothing changed costs no call; a refresh fits Basic Edition's 100 a day at every stage", async () => {
    for (const stage of STAGES) {
      const { inventory } = await inventoryOf(stage);
      expect(apiCalls(inventory, "diff")).toBe(0);
      expect(requiredEdition(apiCalls(inventory, "read"))).toBe("Basic");
    }
  });

  it("a growth or mature stage's first up needs more than Basic's daily cap (Standard, or the creation spread over two days); initial fits", async () => {
    expect(requiredEdition(stageCalls((await inventoryOf("mature")).inventory).firstUp)).toBe("Standard");
    expect(requiredEdition(stageCalls((await inventoryOf("growth")).inventory).firstUp)).toBe("Standard");
    expect(requiredEdition(stageCalls((await inventoryOf("initial")).inventory).firstUp)).toBe("Basic");
  });

  it("a changed node costs 8 calls, a changed DI job 5 (UpdateDIJob + its read, then the restart)", () => {
    expect(CALLS_PER_CHANGED).toEqual({ node: 8, diJob: 5 });
  });
});
