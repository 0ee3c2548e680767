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
import { recordPlan } from "../plan-engine/record-plan";
import { stackConfig } from "../project-files";
import type { Plan } from "../lib/plan/types";
import { dynamicProviders, isDynamic, seedCloud, SeededCloud, StateEntry, up } from "./support/dynamic-deploy";
import { ofType } from "./support/plan";
import { TYPES } from "../lib/plan/type-tokens";
import { estimate } from "../lib/cost/model";
import { readPriceFile } from "../project-files";
import { costConfigFromValues } from "../lib/cost/config";

/** The prod plan's cost estimate, as `npm run plan` computes it. */
function costOf(plan: Plan) {
  const values = stackConfig("prod", undefined, "mature").values;
  const cost = costConfigFromValues(values, readPriceFile(values["alicloud:region"]));
  return estimate(plan, cost.sizes, cost.prices, cost.options);
}

const env = useFakeDataWorks();

/** Calls one provider operation makes. */
async function calls(op: () => Promise<unknown>): Promise<number> {
  const from = env.fake.requests.length;
  await op();
  return env.fake.requests.length - from;
}

describe("per-resource call counts are what the providers make", () => {
  it("DataWorksNode: create 6, diff 0, read 1, update 6, delete 5", async () => {
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
  const workflows = count("pulumi-nodejs:dynamic/dataworks:DataWorksWorkflow");
  const diJobs = count("alicloud:dataworks/diJob:DiJob");
  expect(count("pulumi-nodejs:dynamic/dataworks:DiJobRun")).toBe(diJobs);
  expect(count("pulumi-nodejs:dynamic/dataworks:ResourceGroupAssociation")).toBe(1);
  const nodeAlertRules = count("pulumi-nodejs:dynamic/dataworks:NodeAlertRule");
  const diAlarmRules = count("alicloud:dataworks/diAlarmRule:DiAlarmRule");
  return {
    nodes,
    workflows,
    diJobs,
    nodeAlertRules,
    diAlarmRules,
    inventory: stageInventory({ nodes, workflows, diJobs, resourceGroupBound: true, nodeAlertRules, diAlarmRules }),
  };
}

describe("calls per stage (the figures the README and the cost model quote)", () => {
  it.each([
    // stage, workflows, DI jobs, layer rules, first up, refresh, re-run
    // A workflow per layer and schedule period (8 calls to create, whatever its node count; the realtime layer has three:
    // hourly views and snapshots, the daily compaction, the rt_metrics node every 5 minutes), a layer's error and deadline
    // rules (realtime: error only; 1 call each), no DI alarm rule on a batch DI job (DataWorks takes them only for
    // real-time sync jobs), one hourly DI job for the tables growth makes hourly. First up = project 2 + data sources
    // 2 x 2 + compute resource 1 + group binding 1 + DI jobs x (2 + 1 run) + workflows x 8 + layer rules x 1.
    ["initial", 1, 1, 2, 21, 10, 0],
    ["growth", 2, 2, 4, 34, 15, 0],
    ["mature", 5, 2, 5, 59, 19, 0],
  ] as const)(
    "%s: %i workflows, %i DI jobs, %i layer rules -> first up %i calls, refresh %i, re-run %i",
    async (stage, workflows, diJobs, rules, firstUp, refresh, rerun) => {
      const inv = await inventoryOf(stage as Stage);
      expect([inv.nodes, inv.workflows, inv.diJobs, inv.nodeAlertRules, inv.diAlarmRules]).toEqual([0, workflows, diJobs, rules, 0]);
      expect(stageCalls(inv.inventory)).toEqual({ firstUp, refresh, rerun });
    },
  );

  it("every stage's first up and a refresh the same day fit DataWorks Basic Edition's 100 calls a day", async () => {
    for (const stage of STAGES) {
      const { inventory } = await inventoryOf(stage);
      expect(apiCalls(inventory, "diff")).toBe(0);
      expect(requiredEdition(apiCalls(inventory, "create"))).toBe("Basic");
      // mature: 59 + 19 = 78.
      expect(requiredEdition(apiCalls(inventory, "create") + apiCalls(inventory, "read"))).toBe("Basic");
    }
  });

  it("a changed layer costs 8 calls however many of its nodes changed, a changed DI job 5 (UpdateDIJob + its read, then the restart)", () => {
    expect(CALLS_PER_CHANGED).toEqual({ layer: 8, diJob: 5 });
  });
});

describe("the whole prod plan at mature, created through the stack's providers against the fake", () => {
  let plan: Plan;
  let cloud: SeededCloud;
  const state = new Map<string, StateEntry>();
  const env2 = env;

  beforeAll(async () => {
    const full = await recordPlan({ stack: "prod", config: stackConfig("prod", undefined, "mature") });
    // The DataWorks part (the MaxCompute and SLS dynamic resources call other APIs).
    plan = { ...full, resources: full.resources.filter((r) => !isDynamic(r) || r.type.startsWith("pulumi-nodejs:dynamic/dataworks:")) };
  });

  it("counts what the plan says: first up, refresh, unchanged re-run; one workflow per layer, no per-node resource, two rules at most per workflow", async () => {
    const fake = env2.fake;
    cloud = seedCloud(plan, fake, { createTable: () => undefined } as never);
    const workflows = ofType(plan, TYPES.DataWorksWorkflow);
    expect(workflows.map((w) => w.inputs.name)).toEqual([
      "photo_analytics_prod_daily",
      "photo_analytics_prod_hourly",
      "photo_analytics_prod_realtime",
      "photo_analytics_prod_realtime_daily",
      "photo_analytics_prod_realtime_every5min",
    ]);
    expect(ofType(plan, TYPES.DataWorksNode)).toEqual([]);
    const rules = ofType(plan, TYPES.NodeAlertRule);
    for (const w of workflows) expect(rules.filter((r) => (r.dependsOn ?? []).includes(w.urn)).length).toBeLessThanOrEqual(2);
    expect(rules).toHaveLength(5);

    const first = await up(plan, cloud, state);
    expect(first.error).toBeUndefined();
    const firstUp = fake.requests.length;
    const cost = costOf(plan);
    // The fake counts the stack's own calls; the plan adds the alicloud provider's (from its source: lib/dataworks/api-budget.ts).
    expect(firstUp).toBe(cost.dataworks!.apiCallsPerUpByStack);
    const providerCalls = cost.dataworks!.apiCallsPerUp - cost.dataworks!.apiCallsPerUpByStack;
    expect([firstUp, providerCalls, cost.dataworks!.apiCallsPerUp]).toEqual([49, 10, 59]);
    expect(cost.dataworks!.neededEdition).toBe("basic");

    // Every rule watches its layer's task ids (strings of digits, not the 19-digit node ids).
    for (const r of rules) {
      const created = fake.alertRules.get(state.get(r.urn)!.id)!;
      const ids = (created.TriggerCondition as { Target: { Ids: unknown[] } }).Target.Ids.map(String);
      expect(ids.length).toBe((r.inputs.nodeNames as string[]).length);
      for (const id of ids) expect(id).toMatch(/^\d{12}$/);
    }

    // refresh: one read per resource, then an up changes nothing and calls nothing.
    const providers = dynamicProviders();
    const before = fake.requests.length;
    for (const r of plan.resources.filter(isDynamic)) {
      const s = state.get(r.urn)!;
      const read = await providers[r.type].read!(s.id, s.outs);
      state.set(r.urn, { ...s, outs: (read.props ?? s.outs) as Record<string, unknown> });
    }
    const refresh = fake.requests.length - before;
    // 14 the stack's (5 workflows, 5 rules, 2 DI job runs, the compute resource and the binding) + 5 the provider's
    // (the project, 2 data sources, 2 DI jobs).
    expect([refresh, cost.dataworks!.apiCallsPerRefresh]).toEqual([14, 19]);
    const again = await up(plan, cloud, state);
    expect(again.error).toBeUndefined();
    expect([again.created, again.updated, again.replaced]).toEqual([[], [], []]);
    expect(fake.requests.length - before - refresh).toBe(0);
  });
});
