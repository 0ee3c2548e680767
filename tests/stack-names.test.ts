/**
 * Names unique where the cloud needs them (issue 22, item 8): two stacks (dev and prod, both
 * at stage mature, with every realtime engine) deployed into one account and region share no
 * cloud-side name whose uniqueness scope is the account, the region or the whole cloud. Names
 * scoped by a parent the stack owns (a logstore in the stack's SLS project, a node in its
 * DataWorks workspace) may repeat. Every resource type of the plans is classified here: a new
 * type fails the last test until its name inputs are listed with their scope.
 *
 * Before this, the DTS job was named after the Platform component (`analytics-realtime`) in
 * every stack; it is now `<warehouse project with _ as ->-realtime` (lib/dts/dts-job.ts).
 */
import type { Plan } from "../lib/plan/types";
import { ENGINES, planMature } from "./support/engine-plans";

/**
 * Where a name must be unique: `cloud` (all accounts), `account`, `region` (of an account), or a
 * parent resource of the stack's own (`parent`: the name repeats safely across stacks).
 */
type Scope = "cloud" | "account" | "region" | "parent";

interface NameInput {
  readonly type: string;
  /** Input path; `[]` walks a list. */
  readonly input: string;
  readonly scope: Scope;
  /** Why, and where it was read. */
  readonly why: string;
}

/** Every cloud-side name input of the plans' resource types, with its uniqueness scope. */
export const NAME_INPUTS: readonly NameInput[] = [
  // Unique beyond the stack: each must differ between dev and prod.
  { type: "alicloud:maxcompute/project:Project", input: "projectName", scope: "cloud", why: "MaxCompute project names are global (warehouse.projectName)" },
  { type: "alicloud:log/project:Project", input: "projectName", scope: "cloud", why: "SLS project names are global (tracking.projectName)" },
  {
    type: "alicloud:dataworks/project:Project",
    input: "projectName",
    scope: "region",
    why: "DataWorks workspace name, one per region of an account (dataworks.workspaceName)",
  },
  {
    type: "alicloud:ros/stack:Stack",
    input: "stackName",
    scope: "region",
    why: "ROS stack names, per region of an account; from the warehouse / SLS project names",
  },
  {
    type: "alicloud:dts/synchronizationJob:SynchronizationJob",
    input: "dtsJobName",
    scope: "region",
    why: "DTS jobs are found by name (DescribeDtsJobs Type=name: npm run verify) in a region; lib/dts/dts-job.ts dtsJobName",
  },
  {
    type: "alicloud:ram/user:User",
    input: "name",
    scope: "account",
    why: "RAM user names are unique in an account (the managed DTS writer and the realtime metrics reader, from the warehouse project)",
  },
  {
    type: "alicloud:datahub/project:Project",
    input: "name",
    scope: "region",
    why: "DataHub project, per region of an account (lib/datahub/realtime-topics.ts, from the warehouse project)",
  },
  {
    type: "alicloud:realtimecompute/vvpInstance:VvpInstance",
    input: "vvpInstanceName",
    scope: "region",
    why: "Flink workspace name, shown and found by name in a region (components/flink flinkWorkspaceName, from the workspace name)",
  },
  {
    type: "pulumi-nodejs:dynamic/dataworks:NodeAlertRule",
    input: "name",
    scope: "region",
    why: "DataWorks alert rules belong to the tenant, not a workspace (CreateAlertRule has no ProjectId); named after the workspace",
  },
  // Scoped by a parent the stack owns: may repeat between stacks.
  { type: "alicloud:log/store:Store", input: "logstoreName", scope: "parent", why: "in the stack's SLS project" },
  { type: "alicloud:log/storeIndex:StoreIndex", input: "logstore", scope: "parent", why: "a reference to a logstore of the stack's SLS project" },
  { type: "alicloud:log/dashboard:Dashboard", input: "dashboardName", scope: "parent", why: "in the stack's SLS project" },
  { type: "alicloud:sls/alert:Alert", input: "alertName", scope: "parent", why: "in the stack's SLS project" },
  { type: "alicloud:log/ingestion:Ingestion", input: "ingestionName", scope: "parent", why: "in the stack's SLS project" },
  { type: "alicloud:sls/scheduledSql:ScheduledSql", input: "scheduledSqlName", scope: "parent", why: "in the stack's SLS project" },
  {
    type: "pulumi-nodejs:dynamic/sls:MaxComputeExport",
    input: "exportName",
    scope: "parent",
    why: "in the stack's SLS project (CreateMaxComputeExport takes the project)",
  },
  { type: "alicloud:dataworks/dataSource:DataSource", input: "dataSourceName", scope: "parent", why: "in the stack's DataWorks workspace" },
  { type: "alicloud:dataworks/diJob:DiJob", input: "jobName", scope: "parent", why: "in the stack's DataWorks workspace (and carries its name)" },
  { type: "alicloud:dataworks/diAlarmRule:DiAlarmRule", input: "diAlarmRuleName", scope: "parent", why: "on one DI job of the stack" },
  { type: "pulumi-nodejs:dynamic/dataworks:ComputeResource", input: "name", scope: "parent", why: "in the stack's DataWorks workspace" },
  {
    type: "pulumi-nodejs:dynamic/dataworks:DataWorksWorkflow",
    input: "name",
    scope: "parent",
    why: "workflow names are unique in the workspace (`<workspace>_<layer>`; ImportWorkflowDefinition refuses a second one)",
  },
  { type: "alicloud:maxcompute/role:Role", input: "roleName", scope: "parent", why: "in the stack's MaxCompute project" },
  { type: "alicloud:datahub/topic:Topic", input: "name", scope: "parent", why: "in the stack's DataHub project" },
  { type: "pulumi-nodejs:dynamic/datahub:Connector", input: "topic", scope: "parent", why: "a reference to a topic of the stack's DataHub project" },
  {
    type: "alicloud:realtimecompute/deployment:Deployment",
    input: "deploymentName",
    scope: "parent",
    why: "in the stack's Flink namespace (namespace from the workspace name)",
  },
  { type: "pulumi-nodejs:dynamic/flink:MetricTables", input: "project", scope: "parent", why: "tables in the stack's MaxCompute project" },
  { type: "pulumi-nodejs:dynamic/maxcompute:TableColumns", input: "tables[].name", scope: "parent", why: "tables in the stack's MaxCompute project" },
  {
    type: "alicloud:eci/containerGroup:ContainerGroup",
    input: "containerGroupName",
    scope: "parent",
    why: "ECI identifies a container group by its id (eci-...); the name is a label, not unique (resource_alicloud_eci_container_group.go, CreateContainerGroup)",
  },
];

/** Resource types with no cloud-side name of their own (ids and references only). */
const NAMELESS_TYPES: readonly string[] = [
  "alicloud:dts/synchronizationInstance:SynchronizationInstance",
  "alicloud:dts/jobMonitorRule:JobMonitorRule",
  "alicloud:maxcompute/roleUserAttachment:RoleUserAttachment",
  "alicloud:ram/accessKey:AccessKey",
  "alicloud:realtimecompute/job:Job",
  "pulumi-nodejs:dynamic/dataworks:DiJobRun",
  "pulumi-nodejs:dynamic/dataworks:ResourceGroupAssociation",
  // Stops the Flink job before its delete: no cloud object of its own (providers/flink/job-stop.ts).
  "pulumi-nodejs:dynamic/flink:FlinkJobStop",
];

/** The string values at `path` (`a.b`, `list[].name`) of `inputs`. */
function valuesAt(inputs: unknown, path: string): string[] {
  let cur: unknown[] = [inputs];
  for (const part of path.split(".")) {
    const list = part.endsWith("[]");
    const key = list ? part.slice(0, -2) : part;
    cur = cur.flatMap((v) => {
      const next = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
      return list ? (Array.isArray(next) ? next : []) : next === undefined ? [] : [next];
    });
  }
  return cur.filter((v): v is string => typeof v === "string");
}

/** `type input` -> the names a plan gives. */
function namesOf(plan: Plan): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const n of NAME_INPUTS) {
    const key = `${n.type} ${n.input}`;
    for (const r of plan.resources.filter((x) => x.type === n.type)) {
      for (const v of valuesAt(r.inputs, n.input)) {
        if (!out.has(key)) out.set(key, new Set());
        out.get(key)!.add(v);
      }
    }
  }
  return out;
}

const plans = new Map<string, Plan>();

beforeAll(async () => {
  for (const engine of ENGINES) for (const stack of ["dev", "prod"] as const) plans.set(`${stack}/${engine}`, await planMature(stack, engine));
}, 120_000);

describe("dev and prod at mature share no cloud-side name that must be unique beyond the stack", () => {
  it.each(ENGINES)("realtime engine %s", (engine) => {
    const dev = namesOf(plans.get(`dev/${engine}`)!);
    const prod = namesOf(plans.get(`prod/${engine}`)!);
    const shared: string[] = [];
    for (const n of NAME_INPUTS.filter((x) => x.scope !== "parent")) {
      const key = `${n.type} ${n.input}`;
      for (const v of dev.get(key) ?? []) if (prod.get(key)?.has(v)) shared.push(`${key} = ${v} (${n.scope})`);
    }
    expect(shared).toEqual([]);
  });

  it("the DTS job carries the stack's warehouse project: photo-analytics-dev-realtime, photo-analytics-prod-realtime", () => {
    const job = (stack: string) =>
      plans
        .get(`${stack}/dts`)!
        .resources.filter((r) => r.type === "alicloud:dts/synchronizationJob:SynchronizationJob")
        .map((r) => r.inputs.dtsJobName);
    expect(job("dev")).toEqual(["photo-analytics-dev-realtime"]);
    expect(job("prod")).toEqual(["photo-analytics-prod-realtime"]);
  });

  it("every resource type of the plans is classified: its name inputs listed with a scope, or nameless", () => {
    const known = new Set([...NAME_INPUTS.map((n) => n.type), ...NAMELESS_TYPES]);
    const types = new Set([...plans.values()].flatMap((p) => p.resources.filter((r) => !r.component).map((r) => r.type)));
    expect([...types].filter((t) => !known.has(t)).sort()).toEqual([]);
    // And no listed input has gone missing from the plans (a renamed input would silently pass).
    const seen = new Set<string>();
    for (const p of plans.values()) for (const k of namesOf(p).keys()) seen.add(k);
    expect(NAME_INPUTS.map((n) => `${n.type} ${n.input}`).filter((k) => !seen.has(k))).toEqual([]);
  });
});
