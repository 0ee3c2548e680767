/**
 * `pulumi up` of a plan's dynamic resources, through the project's dynamic providers, against
 * the local fakes: what the engine does with each one (check, then create, or diff and update or
 * replace; a create that fails with an initialization error keeps its partial state), in
 * dependency order, stopping at the first error as `pulumi up` does. State carries over from one
 * run to the next, so a failed run followed by another is a re-run.
 *
 * The cloud objects the alicloud provider would make are put into the fakes first (`seedCloud`):
 * the DataWorks workspace and resource group, the DI jobs, and the tables the ROS stacks create.
 * The plan's inputs that only the cloud knows ("[computed]": the workspace id, a DI job's id, the
 * task ids and owner an alert rule takes from its layer's workflow) are resolved from there and
 * from earlier creates.
 */
import type * as pulumi from "@pulumi/pulumi";
import { COMPUTED_MARKER, Plan, PlannedResource } from "../../lib/plan/types";
import { NodeAlertRuleProvider } from "../../providers/dataworks/alert-rule";
import { ComputeResourceProvider } from "../../providers/dataworks/compute-resource";
import { DiJobRunProvider } from "../../providers/dataworks/di-job-run";
import { DataWorksNodeProvider } from "../../providers/dataworks/node";
import { DataWorksWorkflowProvider } from "../../providers/dataworks/workflow";
import { ResourceGroupAssociationProvider } from "../../providers/dataworks/resource-group-association";
import { TableColumnsProvider } from "../../providers/maxcompute/table-columns";
import { MaxComputeExportProvider } from "../../providers/sls/maxcompute-export";
import type { FakeDataWorks } from "./fake-dataworks";
import type { FakeMaxCompute } from "./fake-maxcompute";

/** The provider of each dynamic type the plans use (a new instance per engine: providers keep configure() credentials). */
export function dynamicProviders(): Record<string, pulumi.dynamic.ResourceProvider> {
  return {
    "pulumi-nodejs:dynamic/dataworks:DataWorksNode": new DataWorksNodeProvider(),
    "pulumi-nodejs:dynamic/dataworks:DataWorksWorkflow": new DataWorksWorkflowProvider(),
    "pulumi-nodejs:dynamic/dataworks:NodeAlertRule": new NodeAlertRuleProvider(),
    "pulumi-nodejs:dynamic/dataworks:ComputeResource": new ComputeResourceProvider(),
    "pulumi-nodejs:dynamic/dataworks:ResourceGroupAssociation": new ResourceGroupAssociationProvider(),
    "pulumi-nodejs:dynamic/dataworks:DiJobRun": new DiJobRunProvider(),
    "pulumi-nodejs:dynamic/maxcompute:TableColumns": new TableColumnsProvider(),
    "pulumi-nodejs:dynamic/sls:MaxComputeExport": new MaxComputeExportProvider(),
  };
}

export const isDynamic = (r: PlannedResource): boolean => r.type.startsWith("pulumi-nodejs:dynamic/");

/** What the alicloud provider made, as the dynamic resources need it. */
export interface SeededCloud {
  readonly projectId: string;
  /** DiJob URN -> the DiJob's Pulumi id, `<projectId>:<jobId>`. */
  readonly diJobs: ReadonlyMap<string, string>;
}

/** Puts into the fakes what the plan's alicloud resources would make (workspace, resource group, DI jobs, ROS tables). */
export function seedCloud(plan: Plan, dw: FakeDataWorks, mc: FakeMaxCompute): SeededCloud {
  const project = plan.resources.find((r) => r.type === "alicloud:dataworks/project:Project");
  const projectId = dw.addProject(String(project?.inputs.projectName ?? "workspace"));
  for (const r of plan.resources) {
    if (r.type === "pulumi-nodejs:dynamic/dataworks:ResourceGroupAssociation") dw.addResourceGroup(String(r.inputs.resourceGroupId));
  }
  const diJobs = new Map<string, string>();
  for (const r of plan.resources) {
    if (r.type !== "alicloud:dataworks/diJob:DiJob") continue;
    diJobs.set(r.urn, `${projectId}:${dw.addDiJob(projectId, String(r.inputs.jobName), "Initialized", String(r.inputs.migrationType ?? "Full"))}`);
  }
  for (const r of plan.resources) {
    if (r.type !== "alicloud:ros/stack:Stack") continue;
    const template = JSON.parse(String(r.inputs.templateBody)) as { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
    for (const res of Object.values(template.Resources)) {
      if (res.Type !== "ALIYUN::MaxCompute::Table") continue;
      const p = res.Properties;
      const cols = (list: { Name: string; Type: string }[] | undefined): [string, string][] => (list ?? []).map((c) => [c.Name, c.Type]);
      mc.createTable(String(p.Project), String(p.Name), cols(p.Schema?.Columns), cols(p.Schema?.Partitions), Number(p.Lifecycle ?? -1));
    }
  }
  return { projectId, diJobs };
}

/** One resource in the engine's state. */
export interface StateEntry {
  readonly type: string;
  readonly id: string;
  readonly outs: Record<string, unknown>;
}

/** What one run did. */
export interface RunReport {
  /** The error the run stopped at (undefined: every resource is up to date). */
  readonly error?: unknown;
  readonly created: string[];
  readonly updated: string[];
  readonly replaced: string[];
  readonly unchanged: string[];
}

/** Resources in dependency order (explicit dependsOn and the resources the inputs reference), the plan's order among equals. */
export function dependencyOrder(plan: Plan): PlannedResource[] {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const out: PlannedResource[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (r: PlannedResource): void => {
    if (state.get(r.urn) === "done") return;
    if (state.get(r.urn) === "visiting") throw new Error(`dependency cycle at ${r.urn}`);
    state.set(r.urn, "visiting");
    for (const d of [...(r.dependsOn ?? []), ...(r.inputDependencies ?? [])]) {
      const dep = byUrn.get(d);
      if (dep) visit(dep);
    }
    state.set(r.urn, "done");
    out.push(r);
  };
  for (const r of plan.resources) visit(r);
  return out;
}

/** The plan's inputs of `r` with what only the cloud knows filled in. */
function resolveInputs(r: PlannedResource, plan: Plan, cloud: SeededCloud, state: ReadonlyMap<string, StateEntry>): Record<string, unknown> {
  const inputs: Record<string, unknown> = { ...r.inputs };
  delete inputs.__provider;
  for (const [k, v] of Object.entries(inputs)) {
    if (v !== COMPUTED_MARKER) continue;
    if (k === "projectId") inputs[k] = cloud.projectId;
    else if (k === "diJobId") {
      const job = (r.inputDependencies ?? []).find((u) => cloud.diJobs.has(u));
      if (!job) throw new Error(`${r.urn}: no DI job among its dependencies`);
      inputs[k] = cloud.diJobs.get(job);
    } else if (k === "taskIds" || k === "owner") {
      // A layer rule's task ids and owner: its workflows', read after their deployment.
      const wfs = [...new Set([...(r.dependsOn ?? []), ...(r.inputDependencies ?? [])])]
        .map((u) => plan.resources.find((x) => x.urn === u))
        .filter((x) => x?.type === "pulumi-nodejs:dynamic/dataworks:DataWorksWorkflow");
      const outs = wfs.map((w) => state.get(w!.urn)?.outs);
      if (outs.length === 0 || outs.some((o) => !o)) throw new Error(`${r.urn}: its workflows have no state yet`);
      if (k === "owner") inputs[k] = outs[0]!.owner;
      else {
        const taskIds = Object.assign({}, ...outs.map((o) => o!.taskIds)) as Record<string, string>;
        inputs[k] = ((inputs.nodeNames ?? []) as string[]).map((name) => {
          if (!taskIds[name]) throw new Error(`${r.urn}: node ${name} has no task id yet`);
          return taskIds[name];
        });
      }
    } else if (k === "nodeIds") {
      const names = (inputs.nodeNames ?? []) as string[];
      inputs[k] = names.map((name) => {
        const node = plan.resources.find((n) => n.type === "pulumi-nodejs:dynamic/dataworks:DataWorksNode" && n.inputs.name === name);
        const id = node ? state.get(node.urn)?.id : undefined;
        if (!id) throw new Error(`${r.urn}: node ${name} has no id yet`);
        return id;
      });
    } else throw new Error(`${r.urn}: the engine cannot resolve the computed input ${k}`);
  }
  return inputs;
}

/**
 * One `pulumi up` of the plan's dynamic resources: each is created, updated, replaced or left as
 * it is, in dependency order; the run stops at the first error (kept in the report, and a create's
 * partial state in `state`). `state` is updated in place.
 */
export async function up(plan: Plan, cloud: SeededCloud, state: Map<string, StateEntry>, providers = dynamicProviders()): Promise<RunReport> {
  const report = { created: [] as string[], updated: [] as string[], replaced: [] as string[], unchanged: [] as string[] };
  for (const r of dependencyOrder(plan).filter(isDynamic)) {
    const provider = providers[r.type];
    if (!provider) return { ...report, error: new Error(`no provider for ${r.type}`) };
    try {
      const raw = resolveInputs(r, plan, cloud, state);
      const prior = state.get(r.urn);
      const checked = provider.check ? await provider.check(prior?.outs ?? {}, raw) : { inputs: raw, failures: [] };
      if (checked.failures && checked.failures.length > 0) throw new Error(`${r.urn}: check failed: ${JSON.stringify(checked.failures)}`);
      const inputs = checked.inputs as Record<string, unknown>;
      if (!prior) {
        const res = await provider.create(inputs);
        state.set(r.urn, { type: r.type, id: res.id, outs: (res.outs ?? {}) as Record<string, unknown> });
        report.created.push(r.urn);
        continue;
      }
      const diff = provider.diff ? await provider.diff(prior.id, prior.outs, inputs) : { changes: true, replaces: [] };
      if (diff.replaces && diff.replaces.length > 0) {
        // A replacement: create the new one (or delete first), then delete the old one.
        if (diff.deleteBeforeReplace) await provider.delete?.(prior.id, prior.outs);
        const res = await provider.create(inputs);
        if (!diff.deleteBeforeReplace) await provider.delete?.(prior.id, prior.outs);
        state.set(r.urn, { type: r.type, id: res.id, outs: (res.outs ?? {}) as Record<string, unknown> });
        report.replaced.push(r.urn);
      } else if (diff.changes) {
        const res = provider.update ? await provider.update(prior.id, prior.outs, inputs) : { outs: inputs };
        state.set(r.urn, { type: r.type, id: prior.id, outs: (res.outs ?? {}) as Record<string, unknown> });
        report.updated.push(r.urn);
      } else report.unchanged.push(r.urn);
    } catch (e) {
      // An initialization error (the resource exists but did not finish, on create or update): Pulumi keeps that state.
      const x = e as { id?: unknown; properties?: unknown };
      if (typeof x.id === "string" && x.properties && typeof x.properties === "object") {
        state.set(r.urn, { type: r.type, id: x.id, outs: x.properties as Record<string, unknown> });
      }
      return { ...report, error: e };
    }
  }
  return report;
}
