/**
 * One DataWorks layer as one periodic workflow: the `CycleWorkflow` FlowSpec that
 * ImportWorkflowDefinition (DataWorks OpenAPI 2024-05-18) takes with its inner nodes, the model
 * the dynamic provider compares, reading GetWorkflowDefinition's Spec back, and the update-vs-replace
 * decision. Pure: no Pulumi, no I/O (`workflowVersion` hashes with node's crypto).
 *
 * Shape written (official SDK aliyun/alibabacloud-typescript-sdk dataworks-public-20240518
 * ImportWorkflowDefinitionRequest.ts `Spec` example and GetWorkflowDefinitionResponseBody.ts, both
 * @06a71f93987bc01319e08965323789ddbe23f7f8; aliyun/dataworks-spec
 * @0a8329e4355c5ded57b58cf4e096469b51349fe6 `SpecWorkflow` {script, trigger, strategy, inputs,
 * outputs, nodes, dependencies}):
 * `{version, kind: "CycleWorkflow", spec: {name, id?, type: "CycleWorkflow", workflows: [{id?, name,
 * script {path, runtime {command: "WORKFLOW"}}, trigger, strategy, inputs, outputs, nodes[],
 * dependencies [{nodeId, depends [{type: "Normal", output}]}]}]}}`. Only the first workflow of a
 * spec is imported. Inner nodes are the node FlowSpecs of ./flowspec.ts, each with its own trigger
 * (the SDK's example gives inner nodes crons of their own, unlike the workflow's).
 *
 * Ids: an id the spec names that exists makes the import an update of that object, no id (or an
 * unknown one) a create. The first import therefore sends no id; a dependency between inner nodes
 * then names its node by the node's name (dataworks-spec resolves `nodeId` as a reference inside
 * the document); later imports send the ids DataWorks gave. On read, `nodeId` is matched by id or
 * by name, and `SpecWorkflowParser` reads `flow` where `dependencies` is absent, so both are read.
 */
import { createHash } from "crypto";
import { Problem } from "../config/problem";
import { cronRunsPerDay } from "../config/cron";
import {
  buildSpecNode,
  specDocument,
  DEFAULT_RERUN,
  diffKeys,
  KeyDiff,
  sharedCanonical,
  FLOWSPEC_VERSION,
  FlowSpecDependency,
  FlowSpecNode,
  FlowSpecOutputRef,
  FlowSpecParseError,
  InstanceMode,
  NodeLocation,
  NodeModel,
  nodeOutputsOf,
  nodeVersion,
  ownOutputName,
  parseQuartzCron,
  readSpecNode,
  RerunMode,
  RerunPolicy,
  schedulerTrigger,
  specDependencies,
  validateNodeModel,
} from "./flowspec";

/** `kind` and `spec.type` of a periodic workflow. */
export const CYCLE_WORKFLOW = "CycleWorkflow";
/** `script.runtime.command` of a workflow. */
export const WORKFLOW_COMMAND = "WORKFLOW";

/** What the stack manages on one inner node: a node model without its folder (the workflow's path holds it). */
export type WorkflowNodeModel = Omit<NodeModel, "folderPath">;

/** Everything the stack manages on one workflow (a layer): what it sends, and what it reads back. */
export interface WorkflowModel {
  /** Workflow name, unique in the workspace (letters, digits, `_`). */
  readonly name: string;
  /** Folder of the workflow in the project directory, e.g. `photo-analytics`. */
  readonly folderPath: string;
  readonly description: string;
  /** The workflow's own Quartz cron (the cycle it starts in); inner nodes keep their own. */
  readonly cron: string;
  readonly timezone: string;
  readonly instanceMode: InstanceMode;
  /** The workflow's rerun policy (`strategy`); inner nodes keep their own. */
  readonly rerun: RerunPolicy;
  /** Upstream outputs the workflow waits for, e.g. `["<workspace>_root"]`. */
  readonly dependencies: readonly string[];
  /** The workflow's own output name. */
  readonly outputName: string;
  /** Inner nodes, in the order they are written. */
  readonly nodes: readonly WorkflowNodeModel[];
}

/** The FlowSpec of a workflow (the parts written and read). */
export interface WorkflowSpecDocument {
  readonly version: string;
  readonly kind: string;
  readonly spec: {
    readonly name?: string;
    readonly id?: string;
    readonly type?: string;
    readonly owner?: string;
    readonly workflows: readonly WorkflowSpecEntry[];
  };
}

/** One entry of `spec.workflows`. */
export interface WorkflowSpecEntry {
  readonly id?: string;
  readonly name: string;
  readonly description?: string;
  readonly owner?: string;
  readonly script?: { readonly path?: string; readonly runtime?: { readonly command?: string }; readonly id?: string };
  readonly trigger?: FlowSpecNode["trigger"];
  readonly strategy?: {
    readonly timeout?: number;
    readonly instanceMode?: string;
    readonly rerunMode?: string;
    readonly rerunTimes?: number;
    readonly rerunInterval?: number;
    readonly failureStrategy?: string;
  };
  readonly inputs?: { readonly nodeOutputs?: readonly FlowSpecOutputRef[] };
  readonly outputs?: { readonly nodeOutputs?: readonly FlowSpecOutputRef[] };
  readonly nodes?: readonly FlowSpecNode[];
  readonly dependencies?: readonly FlowSpecDependency[];
  readonly flow?: readonly FlowSpecDependency[];
}

/** Ids DataWorks gave a workflow and its inner nodes (by node name); empty before the first import. */
export interface WorkflowIds {
  readonly workflowId?: string;
  readonly nodeIds?: Readonly<Record<string, string>>;
}

/** Checks a workflow model: the workflow's own fields, every inner node (keys `nodes.<name>.<key>`), names unique, no cycle. */
export function validateWorkflowModel(m: WorkflowModel): Problem[] {
  const problems: Problem[] = [];
  const own = validateNodeModel({ ...m, script: "-- workflow", parameters: {}, datasourceName: "workflow", resourceGroup: "" }).filter(
    (p) => !["script", "datasourceName"].includes(p.key),
  );
  problems.push(...own.map((p) => ({ ...p, message: `workflow ${m.name}: ${p.message}` })));
  if (m.nodes.length === 0) {
    problems.push({ key: "nodes", value: [], allowed: "at least one inner node", message: `workflow ${m.name} has no inner node` });
  }
  const seen = new Map<string, number>();
  for (const n of m.nodes) seen.set(n.name, (seen.get(n.name) ?? 0) + 1);
  for (const [name, count] of seen) {
    if (count > 1)
      problems.push({
        key: `nodes.${name}`,
        value: name,
        allowed: "node names unique in the workflow",
        message: `workflow ${m.name} has ${count} nodes named "${name}"`,
      });
  }
  const outputs = new Map(m.nodes.map((n) => [n.outputName, n.name]));
  for (const n of m.nodes) {
    for (const p of validateNodeModel({ ...n, folderPath: m.folderPath })) {
      problems.push({ ...p, key: `nodes.${n.name}.${p.key}`, message: `workflow ${m.name}, node ${n.name}: ${p.message}` });
    }
    if (n.outputName === m.outputName) {
      problems.push({
        key: `nodes.${n.name}.outputName`,
        value: n.outputName,
        allowed: "an output other than the workflow's",
        message: `workflow ${m.name}, node ${n.name}: output "${n.outputName}" is the workflow's own`,
      });
    }
  }
  // A cycle among inner nodes would never start.
  const state = new Map<string, "visiting" | "done">();
  const byName = new Map(m.nodes.map((n) => [n.name, n]));
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      problems.push({
        key: `nodes.${name}.dependencies`,
        value: [...path, name],
        allowed: "no cycle",
        message: `workflow ${m.name}: nodes depend on each other in a cycle: ${[...path, name].join(" -> ")}`,
      });
      return;
    }
    state.set(name, "visiting");
    for (const d of byName.get(name)?.dependencies ?? []) {
      const up = outputs.get(d);
      if (up !== undefined) visit(up, [...path, name]);
    }
    state.set(name, "done");
  };
  for (const n of m.nodes) visit(n.name, []);
  return problems;
}

/**
 * The CycleWorkflow FlowSpec of a workflow. `ids` names the workflow and the inner nodes DataWorks
 * already has (an update); nodes without an id are created. Keys in a fixed order: the document is
 * stable byte for byte.
 */
export function buildWorkflowFlowSpec(m: WorkflowModel, ids: WorkflowIds = {}): WorkflowSpecDocument {
  const nodeId = (name: string): string | undefined => ids.nodeIds?.[name];
  const nodes = m.nodes.map((n) => buildSpecNode({ ...n, folderPath: `${m.folderPath}/${m.name}` }, nodeId(n.name)));
  const dependencies = m.nodes.flatMap((n) => specDependencies(nodeId(n.name) ?? n.name, n.dependencies));
  const workflow: WorkflowSpecEntry = {
    ...(ids.workflowId !== undefined ? { id: ids.workflowId } : {}),
    name: m.name,
    ...(m.description ? { description: m.description } : {}),
    script: { path: `${m.folderPath}/${m.name}`, runtime: { command: WORKFLOW_COMMAND } },
    trigger: schedulerTrigger(m.cron, m.timezone),
    strategy: {
      timeout: 0,
      instanceMode: m.instanceMode,
      rerunMode: m.rerun.mode,
      rerunTimes: m.rerun.times,
      rerunInterval: m.rerun.intervalMs,
      failureStrategy: "Break",
    },
    ...nodeOutputsOf(m),
    nodes,
    dependencies,
  };
  return {
    version: FLOWSPEC_VERSION,
    kind: CYCLE_WORKFLOW,
    spec: { name: m.name, ...(ids.workflowId !== undefined ? { id: ids.workflowId } : {}), type: CYCLE_WORKFLOW, workflows: [workflow] },
  };
}

/** A workflow as read back: the model, and the ids DataWorks gave it and its inner nodes. */
export interface ReadWorkflow {
  readonly model: WorkflowModel;
  readonly workflowId: string;
  /** Inner node ids by node name. */
  readonly nodeIds: Readonly<Record<string, string>>;
  /** The workflow's owner as the Spec says (`spec.owner` or the workflow's), "" when absent. */
  readonly owner: string;
}

/**
 * Reads a CycleWorkflow FlowSpec (GetWorkflowDefinition `Spec`, with `IncludeScriptContent`) back
 * into a workflow model. Fields DataWorks adds (ids, metadata, owners, default outputs) are ignored.
 */
export function parseWorkflowFlowSpec(spec: string | WorkflowSpecDocument): ReadWorkflow {
  const doc = specDocument(spec, "workflow");
  const w = doc?.spec?.workflows?.[0];
  if (!w || typeof w.name !== "string") {
    throw new FlowSpecParseError(`workflow Spec has no spec.workflows[0].name (kind "${doc?.kind}")`);
  }
  const flow = w.dependencies && w.dependencies.length > 0 ? w.dependencies : (w.flow ?? []);
  const path = w.script?.path ?? w.name;
  const slash = path.lastIndexOf("/");
  const nodeIds: Record<string, string> = {};
  const nodes = (w.nodes ?? []).map((n) => {
    if (n.id !== undefined) nodeIds[n.name] = String(n.id);
    const { folderPath: _folder, ...rest } = readSpecNode(n, flow);
    return rest;
  });
  const workflowId = String(w.id ?? doc.spec.id ?? "");
  return {
    model: {
      name: w.name,
      folderPath: slash >= 0 ? path.slice(0, slash) : "",
      description: w.description ?? "",
      cron: w.trigger?.cron ?? "",
      timezone: w.trigger?.timezone ?? "Asia/Shanghai",
      instanceMode: (w.strategy?.instanceMode ?? "T+1") as InstanceMode,
      rerun: {
        mode: (w.strategy?.rerunMode ?? DEFAULT_RERUN.mode) as RerunMode,
        times: w.strategy?.rerunTimes ?? 0,
        intervalMs: w.strategy?.rerunInterval ?? DEFAULT_RERUN.intervalMs,
      },
      dependencies: [...new Set((w.inputs?.nodeOutputs ?? []).map((o) => o.data))].sort(),
      outputName: ownOutputName(w.outputs?.nodeOutputs, workflowId || undefined),
      nodes,
    },
    workflowId,
    nodeIds,
    owner: String(doc.spec.owner ?? w.owner ?? ""),
  };
}

/** Keys of a workflow whose change needs a new workflow (delete + create). */
export const WORKFLOW_REPLACE_KEYS = ["projectId", "region", "name", "folderPath", "outputName"] as const;
/** Keys changed in place by a new import. */
export const WORKFLOW_UPDATE_KEYS = ["description", "cron", "timezone", "instanceMode", "rerun", "dependencies", "nodes"] as const;
export type WorkflowKey = (typeof WORKFLOW_REPLACE_KEYS)[number] | (typeof WORKFLOW_UPDATE_KEYS)[number];

/** The decision for one change of a workflow. */
export type WorkflowDiff = KeyDiff<WorkflowKey>;

/** Canonical text of one key: node order, dependency order, parameter order and trailing blanks do not count. */
function canonical(key: WorkflowKey, v: unknown): string {
  if (key === "nodes") {
    const nodes = ((v as WorkflowNodeModel[] | undefined) ?? []).map((n) => [n.name, nodeVersion({ ...n, folderPath: "" })] as const);
    return JSON.stringify(nodes.sort((a, b) => a[0].localeCompare(b[0])));
  }
  return sharedCanonical(key, v) ?? JSON.stringify(v ?? "");
}

/** Compares two workflow states and decides update vs replace. */
export function diffWorkflow(olds: Partial<WorkflowModel & NodeLocation>, news: Partial<WorkflowModel & NodeLocation>): WorkflowDiff {
  return diffKeys<WorkflowKey, Partial<WorkflowModel & NodeLocation>>(olds, news, WORKFLOW_REPLACE_KEYS, WORKFLOW_UPDATE_KEYS, canonical);
}

/** A short, stable fingerprint of a workflow's content (`w1-` + 16 hex digits), compared as `diffWorkflow` compares. */
export function workflowVersion(m: Partial<WorkflowModel>): string {
  const keys = [...WORKFLOW_REPLACE_KEYS.filter((k) => k !== "projectId" && k !== "region"), ...WORKFLOW_UPDATE_KEYS];
  const canon = keys.map((k) => [k, canonical(k, (m as Record<string, unknown>)[k])]);
  return `w1-${createHash("sha256").update(JSON.stringify(canon)).digest("hex").slice(0, 16)}`;
}

/** Successful scheduling instances a day of a workflow's inner nodes (one per run of each node's cron). */
export function workflowInstancesPerDay(nodes: readonly { readonly cron: string }[]): number {
  return nodes.reduce((sum, n) => sum + (cronRunsPerDay(n.cron) ?? 1), 0);
}

/**
 * A schedule period's name: `daily` (1 run a day), `hourly` (24), `every<M>min` when the runs
 * divide the day into whole minutes (288: `every5min`), else `runs<N>`. Inner nodes of one periodic
 * workflow share the workflow's period (Data Studio: inner nodes take no cycle of their own, only
 * a time after the workflow's; help.aliyun.com/zh/dataworks/user-guide/workflow).
 */
export function schedulePeriod(cron: string): string {
  const runs = cronRunsPerDay(cron) ?? 1;
  if (runs === 1) return "daily";
  if (runs === 24) return "hourly";
  return 1440 % runs === 0 ? `every${1440 / runs}min` : `runs${runs}`;
}

/** Groups nodes by schedule period, in the order each period first appears (one workflow per group). */
export function groupByPeriod<T extends { readonly cron: string }>(nodes: readonly T[]): { period: string; nodes: T[] }[] {
  const groups: { period: string; nodes: T[] }[] = [];
  for (const n of nodes) {
    const period = schedulePeriod(n.cron);
    const g = groups.find((x) => x.period === period);
    if (g) g.nodes.push(n);
    else groups.push({ period, nodes: [n] });
  }
  return groups;
}

/**
 * Dependencies a layer's workflows cannot hold: a node waiting for a node the layer does not have,
 * or for one of another schedule period (inner dependencies stay inside a workflow). One message
 * per node, naming both; empty when every dependency is inside its period's workflow.
 */
export function layerDependencyProblems(
  layer: string,
  nodes: readonly { readonly name: string; readonly cron: string; readonly after: readonly string[] }[],
): string[] {
  const period = new Map(nodes.map((n) => [n.name, schedulePeriod(n.cron)]));
  const out: string[] = [];
  for (const n of nodes) {
    const unknown = n.after.filter((a) => !period.has(a));
    if (unknown.length > 0) out.push(`node ${n.name} waits for ${unknown.join(", ")}, which the ${layer} layer does not have`);
    const across = n.after.filter((a) => period.has(a) && period.get(a) !== period.get(n.name));
    if (across.length > 0) {
      out.push(
        `node ${n.name} (${period.get(n.name)}) waits for ${across.map((a) => `${a} (${period.get(a)})`).join(", ")}: a node waits only for nodes of its schedule period (one workflow per period)`,
      );
    }
  }
  return out;
}

/**
 * The workflow's own cron: the earliest inner time in the (shared) period, so that every inner
 * node runs at or after the workflow's time; the first node's cron when the times cannot be read.
 */
export function workflowCron(nodes: readonly { readonly cron: string }[]): string {
  const minuteOfCycle = (c: string): number | undefined => {
    const p = parseQuartzCron(c);
    if (p === undefined) return undefined;
    // A minute-level period starts at minute 0 of every step (00/<n>): its nodes share the one cycle.
    return p.kind === "daily" ? p.hour * 60 + p.minute : p.kind === "hourly" ? p.minute : 0;
  };
  let best: { cron: string; at: number } | undefined;
  for (const n of nodes) {
    const at = minuteOfCycle(n.cron);
    if (at === undefined) return nodes[0]?.cron ?? "";
    if (!best || at < best.at) best = { cron: n.cron, at };
  }
  return best?.cron ?? "";
}
