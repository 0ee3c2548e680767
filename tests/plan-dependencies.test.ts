/**
 * Dependencies in the plan: every resource lists its explicit `dependsOn` and the resources its
 * inputs reference, so the order the engine follows can be reviewed; every DI job and every
 * DiJobRun (StartDIJob) waits for the workspace's resource-group binding, as the report nodes do
 * (a serverless resource group runs a workspace's DI jobs only once bound to it).
 */
import { recordPlan } from "../plan-engine/record-plan";
import { stackConfig } from "../project-files";
import { orderedAfter } from "../lib/plan/dependencies";
import { Plan, PlannedResource } from "../lib/plan/types";
import { named, ofType, planOf } from "./support/plan";
import { FLINK_CONFIG } from "./support/flink";

const BINDING = "pulumi-nodejs:dynamic/dataworks:ResourceGroupAssociation";
const DI_JOB = "alicloud:dataworks/diJob:DiJob";
const DI_JOB_RUN = "pulumi-nodejs:dynamic/dataworks:DiJobRun";

/** DI jobs and runs that do not wait for the plan's one resource-group binding (their names). */
function notAfterBinding(plan: Plan): string[] {
  const [binding] = ofType(plan, BINDING);
  return [...ofType(plan, DI_JOB), ...ofType(plan, DI_JOB_RUN)].filter((r) => !orderedAfter(plan, r.urn).has(binding.urn)).map((r) => r.name);
}

let prod: Plan;
let flink: Plan;
beforeAll(async () => {
  prod = await recordPlan({ stack: "prod", config: stackConfig("prod", undefined, "mature") });
  flink = await planOf({ "photo-analytics:stage": "mature", "photo-analytics:realtime": FLINK_CONFIG });
}, 120_000);

describe("dependencies in the plan", () => {
  it("lists a DI job's dependsOn (data sources, warehouse, binding) and what its inputs reference (the workspace)", () => {
    const job = named(prod, "analytics-sync-daily-incremental");
    const ws = "urn:pulumi:prod::photo-analytics::photo-analytics:index:Platform$photo-analytics:dataworks:Workspace";
    expect(job.dependsOn).toEqual([
      `${ws}$alicloud:dataworks/dataSource:DataSource::analytics-dataworks-maxcompute`,
      `${ws}$alicloud:dataworks/dataSource:DataSource::analytics-dataworks-mysql`,
      `${ws}$${BINDING}::analytics-dataworks-resource-group`,
      "urn:pulumi:prod::photo-analytics::photo-analytics:index:Platform$photo-analytics:maxcompute:Warehouse::analytics-warehouse",
    ]);
    expect(job.inputDependencies).toEqual([`${ws}$alicloud:dataworks/project:Project::analytics-dataworks-project`]);
  });

  it("lists a run's job twice: named in dependsOn and referenced by diJobId", () => {
    const job = named(prod, "analytics-sync-daily-incremental");
    const run = named(prod, "analytics-sync-daily-incremental-run");
    expect(run.dependsOn).toEqual([job.urn]);
    expect(run.inputDependencies).toEqual([job.urn]);
  });

  it("keeps dependencies sorted and pointing at resources of the plan", () => {
    const urns = new Set(prod.resources.map((r) => r.urn));
    for (const r of prod.resources) {
      for (const list of [r.dependsOn ?? [], r.inputDependencies ?? []]) {
        expect([r.name, [...list].sort()]).toEqual([r.name, list]);
        expect([r.name, list.filter((u) => !urns.has(u))]).toEqual([r.name, []]);
      }
    }
  });

  it.each([
    ["prod, mature (DTS)", () => prod, 2],
    ["mature with dataworks-flink (realtime DI job)", () => flink, 3],
  ])("%s: every DI job and DiJobRun waits for the resource-group binding", (_name, plan, jobs) => {
    expect(ofType(plan(), BINDING)).toHaveLength(1);
    expect([ofType(plan(), DI_JOB).length, ofType(plan(), DI_JOB_RUN).length]).toEqual([jobs, jobs]);
    expect(notAfterBinding(plan())).toEqual([]);
  });

  it("the realtime DI job names the binding itself, and its run follows it", () => {
    const [binding] = ofType(flink, BINDING);
    expect(named(flink, "analytics-realtime-flink-di").dependsOn).toContain(binding.urn);
    expect(orderedAfter(flink, named(flink, "analytics-realtime-flink-di-run").urn).has(binding.urn)).toBe(true);
  });

  it("fails when a DI job does not wait for the binding (its dependsOn and its ancestors' without it)", () => {
    const [binding] = ofType(prod, BINDING);
    const without = (r: PlannedResource): PlannedResource => ({ ...r, dependsOn: (r.dependsOn ?? []).filter((u) => u !== binding.urn) });
    const broken: Plan = { ...prod, resources: prod.resources.map((r) => (r.name === "analytics-sync-daily-incremental" || r.component ? without(r) : r)) };
    expect(notAfterBinding(broken)).toEqual(["analytics-sync-daily-incremental", "analytics-sync-daily-incremental-run"]);
  });

  it("counts an ancestor's dependsOn: a child waits for what its component waits for", () => {
    const plan: Plan = {
      stack: "t",
      stage: "initial",
      region: "cn-shanghai",
      outputs: {},
      resources: [
        {
          urn: "a",
          type: "x:y:A",
          name: "a",
          parent: null,
          inputs: {},
          protect: false,
          retainOnDelete: false,
          deleteBeforeReplace: false,
          aliases: [],
          component: false,
        },
        {
          urn: "c",
          type: "x:y:C",
          name: "c",
          parent: null,
          inputs: {},
          protect: false,
          retainOnDelete: false,
          deleteBeforeReplace: false,
          aliases: [],
          component: true,
          dependsOn: ["a"],
        },
        {
          urn: "k",
          type: "x:y:K",
          name: "k",
          parent: "c",
          inputs: {},
          protect: false,
          retainOnDelete: false,
          deleteBeforeReplace: false,
          aliases: [],
          component: false,
        },
        {
          urn: "z",
          type: "x:y:Z",
          name: "z",
          parent: null,
          inputs: {},
          protect: false,
          retainOnDelete: false,
          deleteBeforeReplace: false,
          aliases: [],
          component: false,
          dependsOn: ["c"],
        },
      ],
    };
    expect([...orderedAfter(plan, "k")]).toEqual(["a"]);
    // A component in dependsOn stands for its resources, and for what they wait for.
    expect([...orderedAfter(plan, "z")].sort()).toEqual(["a", "k"]);
    expect(() => orderedAfter(plan, "nope")).toThrow("no resource nope in the plan of stack t");
  });
});
