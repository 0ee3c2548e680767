/**
 * FlowSpec documents for DataWorks Data Studio nodes (OpenAPI 2024-05-18
 * `CreateNode` / `UpdateNode` / `GetNode`), the node model the dynamic
 * provider compares, and the update-vs-replace decision.
 *
 * Pure: no Pulumi imports, no I/O (`nodeVersion` hashes with node's crypto). The provider (components/dataworks/node-provider.ts)
 * and its tests build on these functions.
 *
 * FlowSpec shape used here (DataWorks CreateNode / UpdateNode docs, FlowSpec 1.1.0):
 * `{version, kind: "Node", spec: {nodes: [{name, id?, recurrence, instanceMode, rerunMode,
 * rerunTimes, rerunInterval, timeout, datasource, script {path, language, runtime {command},
 * content, parameters[]}, trigger {type: Scheduler, cron, timezone, ...}, runtimeResource,
 * inputs {nodeOutputs[]}, outputs {nodeOutputs[]}}]}}`. CreateNode only reads the first node.
 */

import { createHash } from "crypto";
import { Problem, Rule, runRules } from "../config/problem";
import { cronProblem, formatQuartzCron, parseQuartzCron, QUARTZ_CRON_ALLOWED } from "../config/cron";

// The cron helpers moved to ./cron (the one Quartz cron parser); re-exported for existing callers.
export { cronAfter, dataWorksCron, formatQuartzCron, minutesBetween, parseQuartzCron } from "../config/cron";
export type { SimpleCron } from "../config/cron";

/** FlowSpec document version written by this module. */
export const FLOWSPEC_VERSION = "1.1.0";
/** `runtime.command` of a MaxCompute (ODPS) SQL node. */
export const ODPS_SQL_COMMAND = "ODPS_SQL";
/** Where CreateNode puts the node: the workspace's project directory (not a manual workflow). */
export const NODE_SCENE = "DATAWORKS_PROJECT";

/** Rerun policies DataWorks accepts (`rerunMode`). */
export const RERUN_MODES = ["Allowed", "Denied", "FailureAllowed"] as const;
export type RerunMode = (typeof RERUN_MODES)[number];

/** When a changed node starts producing instances (`instanceMode`). */
export const INSTANCE_MODES = ["T+1", "Immediately"] as const;
export type InstanceMode = (typeof INSTANCE_MODES)[number];

/** Rerun policy of a node. */
export interface RerunPolicy {
  /** @default "Allowed" */
  readonly mode: RerunMode;
  /** Automatic retries after a failure, 0-10. @default 3 */
  readonly times: number;
  /** Pause between retries, in milliseconds (DataWorks allows 1-30 minutes). @default 180000 */
  readonly intervalMs: number;
}

/** The default rerun policy: DataWorks' own default (rerun allowed, 3 retries, 3 minutes apart). */
export const DEFAULT_RERUN: RerunPolicy = { mode: "Allowed", times: 3, intervalMs: 180_000 };

/**
 * Everything this stack manages on one ODPS SQL node: the desired state the
 * provider turns into a FlowSpec, and what it reads back from `GetNode` to
 * detect drift.
 */
export interface NodeModel {
  /** Node name, unique in the workspace (letters, digits, `_`). */
  readonly name: string;
  /** Folder under the workspace's project directory, e.g. `photo-analytics/ads`. */
  readonly folderPath: string;
  /** The ODPS SQL script (`script.content`). */
  readonly script: string;
  /** Quartz cron, 6 fields (`ss mm hh dd MM ?`), e.g. `00 30 01 * * ?`. */
  readonly cron: string;
  /** Time zone of the cron. @default "Asia/Shanghai" */
  readonly timezone: string;
  /** @default "T+1" */
  readonly instanceMode: InstanceMode;
  /** Scheduling parameters, name -> expression, e.g. `{bizdate: "$bizdate"}`. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Upstream node outputs this node depends on, e.g. `["myws_root"]`. Order does not matter. */
  readonly dependencies: readonly string[];
  /** This node's own output name, which downstream nodes depend on. Unique in the workspace. */
  readonly outputName: string;
  readonly rerun: RerunPolicy;
  /** Compute engine data source the SQL runs on (`datasource.name`), e.g. `odps_first`. */
  readonly datasourceName: string;
  /** Scheduling resource group identifier; empty for the workspace default. */
  readonly resourceGroup: string;
  /** Node description. */
  readonly description: string;
}

/** The FlowSpec document (only the parts this module writes and reads). */
export interface FlowSpecDocument {
  readonly version: string;
  readonly kind: string;
  readonly spec: { readonly nodes: readonly FlowSpecNode[]; readonly flow?: readonly FlowSpecDependency[] };
}

/**
 * A node's same-cycle dependencies: FlowSpec `spec.flow` of a `Node` document (aliyun/dataworks-spec
 * @0a8329e4355c5ded57b58cf4e096469b51349fe6 `DataWorksWorkflowSpec.flow`, README "Flow"; GetNode's
 * documented Spec, official SDK dataworks-public-20240518 GetNodeResponseBody.ts @06a71f93), and
 * `dependencies` of a workflow (`SpecWorkflow.dependencies`, which SpecWorkflowParser also reads
 * from `flow`): `{nodeId, depends: [{type: "Normal", output}]}`, `nodeId` being the node itself and
 * `output` an upstream's `outputs.nodeOutputs[].data`.
 */
export interface FlowSpecDependency {
  readonly nodeId: string;
  readonly depends: readonly { readonly type: string; readonly output: string }[];
}

/** One FlowSpec node, as written and read. Extra fields DataWorks adds on read are tolerated. */
export interface FlowSpecNode {
  readonly id?: string;
  readonly name: string;
  readonly description?: string;
  readonly recurrence?: string;
  readonly timeout?: number;
  readonly instanceMode?: string;
  readonly rerunMode?: string;
  readonly rerunTimes?: number;
  readonly rerunInterval?: number;
  readonly datasource?: { readonly name?: string; readonly type?: string };
  readonly script?: {
    readonly path?: string;
    readonly language?: string;
    readonly runtime?: { readonly command?: string };
    readonly content?: string;
    readonly parameters?: readonly FlowSpecParameter[];
  };
  readonly trigger?: {
    readonly type?: string;
    readonly cron?: string;
    readonly startTime?: string;
    readonly endTime?: string;
    readonly timezone?: string;
    readonly delaySeconds?: number;
  };
  readonly runtimeResource?: { readonly resourceGroup?: string };
  readonly inputs?: { readonly nodeOutputs?: readonly FlowSpecOutputRef[] };
  readonly outputs?: { readonly nodeOutputs?: readonly FlowSpecOutputRef[] };
}

export interface FlowSpecParameter {
  readonly name: string;
  readonly artifactType?: string;
  readonly scope?: string;
  readonly type?: string;
  readonly value: string;
}

export interface FlowSpecOutputRef {
  readonly data: string;
  readonly artifactType?: string;
  readonly refTableName?: string;
  /** DataWorks' own output of a node (`data` = the node id), listed on read: never the stack's. */
  readonly isDefault?: boolean;
}

/**
 * The stack's output name of a node or workflow as read back: the first output that is not
 * DataWorks' default one (`{data: <id>, isDefault: true}`, which GetNode's and
 * GetWorkflowDefinition's documented Specs list), found by value, not by position.
 */
export function ownOutputName(outputs: readonly FlowSpecOutputRef[] | undefined, id?: string): string {
  const list = outputs ?? [];
  const own = list.find((o) => o.isDefault !== true && (id === undefined || o.data !== id));
  return own?.data ?? "";
}

/** A validation finding: the one problem shape (key, value seen, what is allowed, message). */
export type NodeModelProblem = Problem;

const NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
const PARAM_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A rule over one field of a node model: fails when `ok` is false. */
function field<K extends string>(
  key: K,
  value: (m: NodeModel) => unknown,
  allowed: string,
  ok: (m: NodeModel) => boolean,
  message: (m: NodeModel) => string,
): Rule<NodeModel> {
  return { id: key, check: (m) => (ok(m) ? [] : [{ key, value: value(m), allowed, message: message(m) }]) };
}

/** The node model rules, as data: one per key, in the order problems are reported. */
export const NODE_MODEL_RULES: readonly Rule<NodeModel>[] = [
  field(
    "name",
    (m) => m.name,
    "a letter, then letters, digits and _ (at most 128 chars)",
    (m) => NAME_RE.test(m.name),
    (m) => `name "${m.name}" must start with a letter and hold only letters, digits and _ (at most 128 chars)`,
  ),
  field(
    "folderPath",
    (m) => m.folderPath,
    'a relative path like "photo-analytics/ads"',
    (m) => m.folderPath.length > 0 && !m.folderPath.startsWith("/") && !m.folderPath.endsWith("/") && !m.folderPath.includes("//"),
    (m) => `folderPath "${m.folderPath}" must be a relative path like "photo-analytics/ads" (no leading or trailing /)`,
  ),
  field(
    "script",
    (m) => m.script,
    "non-empty SQL",
    (m) => m.script.trim().length > 0,
    (m) => `script of node "${m.name}" is empty`,
  ),
  field(
    "cron",
    (m) => m.cron,
    QUARTZ_CRON_ALLOWED,
    (m) => parseQuartzCron(m.cron) !== undefined,
    (m) => cronProblem(m.cron),
  ),
  field(
    "timezone",
    (m) => m.timezone,
    'an IANA time zone (e.g. "Asia/Shanghai")',
    (m) => isTimeZone(m.timezone),
    (m) => `timezone "${m.timezone}" is not an IANA time zone (e.g. "Asia/Shanghai")`,
  ),
  field(
    "instanceMode",
    (m) => m.instanceMode,
    INSTANCE_MODES.join(", "),
    (m) => (INSTANCE_MODES as readonly string[]).includes(m.instanceMode),
    (m) => `instanceMode "${m.instanceMode}" is not one of ${INSTANCE_MODES.join(", ")}`,
  ),
  field(
    "rerun.mode",
    (m) => m.rerun.mode,
    RERUN_MODES.join(", "),
    (m) => (RERUN_MODES as readonly string[]).includes(m.rerun.mode),
    (m) => `rerun.mode "${m.rerun.mode}" is not one of ${RERUN_MODES.join(", ")}`,
  ),
  field(
    "rerun.times",
    (m) => m.rerun.times,
    "an integer from 0 to 10",
    (m) => Number.isInteger(m.rerun.times) && m.rerun.times >= 0 && m.rerun.times <= 10,
    (m) => `rerun.times ${m.rerun.times} must be an integer from 0 to 10`,
  ),
  field(
    "rerun.intervalMs",
    (m) => m.rerun.intervalMs,
    "60000 (1 minute) to 1800000 (30 minutes)",
    (m) => Number.isInteger(m.rerun.intervalMs) && m.rerun.intervalMs >= 60_000 && m.rerun.intervalMs <= 1_800_000,
    (m) => `rerun.intervalMs ${m.rerun.intervalMs} must be from 60000 (1 minute) to 1800000 (30 minutes)`,
  ),
  field(
    "outputName",
    (m) => m.outputName,
    "a non-empty output name",
    (m) => m.outputName.length > 0,
    (m) => `outputName of node "${m.name}" is empty`,
  ),
  field(
    "datasourceName",
    (m) => m.datasourceName,
    "a non-empty data source name",
    (m) => m.datasourceName.length > 0,
    (m) => `datasourceName of node "${m.name}" is empty`,
  ),
  {
    id: "parameters",
    check: (m) =>
      Object.keys(m.parameters)
        .filter((p) => !PARAM_NAME_RE.test(p))
        .map((p) => ({
          key: `parameters.${p}`,
          value: p,
          allowed: "letters, digits and _, not starting with a digit",
          message: `parameter name "${p}" must be letters, digits and _ (not starting with a digit)`,
        })),
  },
  {
    id: "dependencies",
    check: (m) =>
      m.dependencies
        .filter((d) => d === m.outputName)
        .map((d) => ({
          key: "dependencies",
          value: d,
          allowed: "outputs of other nodes",
          message: `node "${m.name}" cannot depend on its own output "${d}"`,
        })),
  },
];

/** Checks a node model; returns every problem found (empty when valid). */
export function validateNodeModel(m: NodeModel): NodeModelProblem[] {
  return runRules(NODE_MODEL_RULES, m);
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

/**
 * The FlowSpec of a node. `nodeId` is set for UpdateNode (the node to change)
 * and left out for CreateNode. Keys are written in a fixed order so the
 * document is stable byte for byte.
 */
export function buildNodeFlowSpec(m: NodeModel, nodeId?: string): FlowSpecDocument {
  const node = buildSpecNode(m, nodeId);
  const flow = specDependencies(nodeId ?? m.name, m.dependencies);
  return { version: FLOWSPEC_VERSION, kind: "Node", spec: { nodes: [node], ...(flow.length > 0 ? { flow } : {}) } };
}

/**
 * A node's dependencies as FlowSpec writes them (`flow` of a Node, `dependencies` of a workflow):
 * one entry for the node, every upstream output a `Normal` dependency, sorted; none when it has none.
 */
export function specDependencies(nodeId: string, dependencies: readonly string[]): FlowSpecDependency[] {
  const deps = [...new Set(dependencies)].sort();
  return deps.length > 0 ? [{ nodeId, depends: deps.map((output) => ({ type: "Normal", output })) }] : [];
}

/** One FlowSpec node of a node model (`spec.nodes[0]` of a Node, or an inner node of a workflow). */
export function buildSpecNode(m: NodeModel, nodeId?: string): FlowSpecNode {
  const parameters: FlowSpecParameter[] = Object.keys(m.parameters)
    .sort()
    .map((name) => {
      const value = m.parameters[name];
      return {
        name,
        artifactType: "Variable",
        scope: "NodeParameter",
        // `$bizdate`, `$[yyyymmdd-1]`, `${yyyymmdd}` are scheduler expressions; anything else is a constant.
        type: value.startsWith("$") ? "System" : "Constant",
        value,
      };
    });
  return {
    ...(nodeId !== undefined ? { id: nodeId } : {}),
    name: m.name,
    ...(m.description ? { description: m.description } : {}),
    recurrence: "Normal",
    timeout: 0,
    instanceMode: m.instanceMode,
    rerunMode: m.rerun.mode,
    rerunTimes: m.rerun.times,
    rerunInterval: m.rerun.intervalMs,
    datasource: { name: m.datasourceName, type: "odps" },
    script: {
      path: `${m.folderPath}/${m.name}`,
      language: "odps-sql",
      runtime: { command: ODPS_SQL_COMMAND },
      content: m.script,
      parameters,
    },
    trigger: schedulerTrigger(m.cron, m.timezone),
    ...(m.resourceGroup ? { runtimeResource: { resourceGroup: m.resourceGroup } } : {}),
    ...nodeOutputsOf(m),
  };
  // Dependencies are written twice: as the node's inputs (FlowSpec 1.1.0) and in `flow`
  // (`dependencies` in a workflow), the two places GetNode's documented Spec shows them.
}

/** The `trigger` of a scheduled node or workflow: its cron, in its time zone, with no start/end window. */
export function schedulerTrigger(cron: string, timezone: string) {
  return { type: "Scheduler", cron, startTime: "1970-01-01 00:00:00", endTime: "9999-01-01 00:00:00", timezone, delaySeconds: 0 };
}

/** The `inputs` (upstream outputs, each once, sorted) and `outputs` (its own) of a node or workflow. */
export function nodeOutputsOf(m: { readonly dependencies: readonly string[]; readonly outputName: string; readonly name: string }) {
  return {
    inputs: { nodeOutputs: [...new Set(m.dependencies)].sort().map((data) => ({ data, artifactType: "NodeOutput" })) },
    outputs: { nodeOutputs: [{ data: m.outputName, artifactType: "NodeOutput", refTableName: m.name }] },
  };
}

/** Error for a FlowSpec that cannot be read back into a node model. */
export class FlowSpecParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlowSpecParseError";
  }
}

/** A FlowSpec document from its text (or the document itself); a `FlowSpecParseError` naming `what` when it is not JSON. */
export function specDocument<T>(spec: string | T, what: "node" | "workflow"): T {
  if (typeof spec !== "string") return spec;
  try {
    return JSON.parse(spec) as T;
  } catch (e) {
    throw new FlowSpecParseError(`${what} Spec is not JSON: ${(e as Error).message}`);
  }
}

/**
 * Reads a FlowSpec (as `GetNode` returns it in `Node.Spec`) back into a node
 * model. Fields DataWorks fills in that this stack does not manage are ignored;
 * missing fields take DataWorks' defaults.
 */
export function parseNodeFlowSpec(spec: string | FlowSpecDocument): NodeModel {
  const doc = specDocument(spec, "node");
  const node = doc?.spec?.nodes?.[0];
  if (!node || typeof node.name !== "string") {
    throw new FlowSpecParseError(`node Spec has no spec.nodes[0].name (kind "${doc?.kind}")`);
  }
  const flow = doc.spec.flow ?? (doc.spec as { dependencies?: readonly FlowSpecDependency[] }).dependencies ?? [];
  return readSpecNode(node, flow);
}

/**
 * A FlowSpec node read back into a node model; `flow` holds the document's dependency entries
 * (those of other nodes are ignored).
 */
export function readSpecNode(node: FlowSpecNode, flow: readonly FlowSpecDependency[]): NodeModel {
  const path = node.script?.path ?? node.name;
  const slash = path.lastIndexOf("/");
  const folderPath = slash >= 0 ? path.slice(0, slash) : "";
  const parameters: Record<string, string> = {};
  for (const p of node.script?.parameters ?? []) parameters[p.name] = p.value;
  return {
    name: node.name,
    folderPath,
    script: node.script?.content ?? "",
    cron: node.trigger?.cron ?? "",
    timezone: node.trigger?.timezone ?? "Asia/Shanghai",
    instanceMode: (node.instanceMode ?? "T+1") as InstanceMode,
    parameters,
    dependencies: [
      ...new Set([
        ...(node.inputs?.nodeOutputs ?? []).map((o) => o.data),
        ...flow.filter((d) => d.nodeId === node.id || d.nodeId === node.name).flatMap((d) => (d.depends ?? []).map((x) => x.output)),
      ]),
    ].sort(),
    outputName: ownOutputName(node.outputs?.nodeOutputs, node.id),
    rerun: {
      mode: (node.rerunMode ?? DEFAULT_RERUN.mode) as RerunMode,
      times: node.rerunTimes ?? 0,
      intervalMs: node.rerunInterval ?? DEFAULT_RERUN.intervalMs,
    },
    datasourceName: node.datasource?.name ?? "",
    resourceGroup: node.runtimeResource?.resourceGroup ?? "",
    description: node.description ?? "",
  };
}

/** Where a node lives: changing any of these is a different node. */
export interface NodeLocation {
  /** DataWorks workspace id (`ProjectId`). */
  readonly projectId: string;
  /** Region of the DataWorks endpoint, e.g. `cn-hangzhou`. */
  readonly region: string;
}

/** Keys of a node whose change needs a new node (delete + create). */
export const REPLACE_KEYS = ["projectId", "region", "name", "folderPath", "outputName"] as const;
/** Keys of a node changed in place by UpdateNode. */
export const UPDATE_KEYS = [
  "script",
  "cron",
  "timezone",
  "instanceMode",
  "parameters",
  "dependencies",
  "rerun",
  "datasourceName",
  "resourceGroup",
  "description",
] as const;

export type NodeKey = (typeof REPLACE_KEYS)[number] | (typeof UPDATE_KEYS)[number];

/** The decision for one change of a node or a workflow. */
export interface KeyDiff<K extends string> {
  /** Keys that differ. */
  readonly changed: K[];
  /** Keys that force a new one; empty for an in-place update. */
  readonly replaces: K[];
  /**
   * Delete the old one before creating the new one: needed when the new one keeps the old
   * one's name or output in the same workspace, because DataWorks refuses a second node or
   * workflow with the same name or output name.
   */
  readonly deleteBeforeReplace: boolean;
}

/** The decision for one change of a node. */
export type NodeDiff = KeyDiff<NodeKey>;

/**
 * Canonical text of a key nodes and workflows share (sorted dependency list, rerun policy, the
 * schedule as DataWorks writes it, the workspace id); undefined for any other key.
 */
export function sharedCanonical(key: string, v: unknown): string | undefined {
  if (key === "dependencies") return JSON.stringify([...new Set((v as string[] | undefined) ?? [])].sort());
  if (key === "rerun") {
    const r = (v as RerunPolicy | undefined) ?? DEFAULT_RERUN;
    return JSON.stringify([r.mode, r.times, r.intervalMs]);
  }
  if (key === "projectId") return String(v ?? "");
  if (key === "cron") {
    // `00 05 * * * ?` and DataWorks' `00 05 00-23/1 * * ?` are the same schedule.
    const c = parseQuartzCron(String(v ?? ""));
    return JSON.stringify(c ? formatQuartzCron(c) : (v ?? ""));
  }
  return undefined;
}

/** Canonical form of a value for comparison: sorted keys, sorted dependency list, trimmed script line ends. */
function canonical(key: NodeKey, v: unknown): string {
  const shared = sharedCanonical(key, v);
  if (shared !== undefined) return shared;
  if (key === "parameters") {
    const o = (v as Record<string, string> | undefined) ?? {};
    return JSON.stringify(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]]),
    );
  }
  if (key === "script")
    return String(v ?? "")
      .replace(/\r\n/g, "\n")
      .replace(/[ \t]+$/gm, "")
      .trimEnd();
  return JSON.stringify(v ?? "");
}

/** Where a node or workflow lives and what DataWorks keeps unique in a workspace. */
interface Placed {
  readonly projectId?: unknown;
  readonly region?: string;
  readonly name?: string;
  readonly outputName?: string;
}

/** Compares two states key by key (`canon`) and decides update vs replace, for a node or a workflow. */
export function diffKeys<K extends string, T extends Placed & Partial<Record<K, unknown>>>(
  olds: T,
  news: T,
  replaceKeys: readonly K[],
  updateKeys: readonly K[],
  canon: (key: K, v: unknown) => string,
): KeyDiff<K> {
  const changed = [...replaceKeys, ...updateKeys].filter((k) => canon(k, olds[k]) !== canon(k, news[k]));
  const replaces = changed.filter((k) => replaceKeys.includes(k));
  const sameWorkspace = String(olds.projectId ?? "") === String(news.projectId ?? "") && olds.region === news.region;
  const collides = sameWorkspace && (olds.name === news.name || olds.outputName === news.outputName);
  return { changed, replaces, deleteBeforeReplace: replaces.length > 0 && collides };
}

/** Compares two node states (`NodeModel & NodeLocation`) and decides update vs replace. */
export function diffNode(olds: Partial<NodeModel & NodeLocation>, news: Partial<NodeModel & NodeLocation>): NodeDiff {
  return diffKeys<NodeKey, Partial<NodeModel & NodeLocation>>(olds, news, REPLACE_KEYS, UPDATE_KEYS, canonical);
}

/** Keys of the node model that make up a node's version (everything but where it lives). */
const VERSION_KEYS = [...REPLACE_KEYS.filter((k) => k !== "projectId" && k !== "region"), ...UPDATE_KEYS] as const;

/**
 * A short, stable fingerprint of a node's content (`v1-` + 16 hex digits of a
 * SHA-256), compared the same way `diffNode` compares: key order, dependency
 * order and trailing blanks in the script do not change it. The provider
 * records the version it deployed to production and the version in Data
 * Studio, so a node whose deployed version is not the wanted one shows as a
 * change.
 */
export function nodeVersion(m: Partial<NodeModel>): string {
  const canon = VERSION_KEYS.map((k) => [k, canonical(k, m[k])]);
  return `v1-${createHash("sha256").update(JSON.stringify(canon)).digest("hex").slice(0, 16)}`;
}
