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
  readonly spec: { readonly nodes: readonly FlowSpecNode[] };
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
}

/** A validation finding, written as data (key, value seen, what is allowed). */
export interface NodeModelProblem {
  readonly key: string;
  readonly message: string;
}

const NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
const PARAM_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks a node model; returns every problem found (empty when valid). */
export function validateNodeModel(m: NodeModel): NodeModelProblem[] {
  const rules: { key: string; ok: boolean; message: string }[] = [
    {
      key: "name",
      ok: NAME_RE.test(m.name),
      message: `name "${m.name}" must start with a letter and hold only letters, digits and _ (at most 128 chars)`,
    },
    {
      key: "folderPath",
      ok: m.folderPath.length > 0 && !m.folderPath.startsWith("/") && !m.folderPath.endsWith("/") && !m.folderPath.includes("//"),
      message: `folderPath "${m.folderPath}" must be a relative path like "photo-analytics/ads" (no leading or trailing /)`,
    },
    { key: "script", ok: m.script.trim().length > 0, message: `script of node "${m.name}" is empty` },
    { key: "cron", ok: parseQuartzCron(m.cron) !== undefined, message: cronProblem(m.cron) },
    { key: "timezone", ok: isTimeZone(m.timezone), message: `timezone "${m.timezone}" is not an IANA time zone (e.g. "Asia/Shanghai")` },
    {
      key: "instanceMode",
      ok: (INSTANCE_MODES as readonly string[]).includes(m.instanceMode),
      message: `instanceMode "${m.instanceMode}" is not one of ${INSTANCE_MODES.join(", ")}`,
    },
    {
      key: "rerun.mode",
      ok: (RERUN_MODES as readonly string[]).includes(m.rerun.mode),
      message: `rerun.mode "${m.rerun.mode}" is not one of ${RERUN_MODES.join(", ")}`,
    },
    {
      key: "rerun.times",
      ok: Number.isInteger(m.rerun.times) && m.rerun.times >= 0 && m.rerun.times <= 10,
      message: `rerun.times ${m.rerun.times} must be an integer from 0 to 10`,
    },
    {
      key: "rerun.intervalMs",
      ok: Number.isInteger(m.rerun.intervalMs) && m.rerun.intervalMs >= 60_000 && m.rerun.intervalMs <= 1_800_000,
      message: `rerun.intervalMs ${m.rerun.intervalMs} must be from 60000 (1 minute) to 1800000 (30 minutes)`,
    },
    { key: "outputName", ok: m.outputName.length > 0, message: `outputName of node "${m.name}" is empty` },
    { key: "datasourceName", ok: m.datasourceName.length > 0, message: `datasourceName of node "${m.name}" is empty` },
  ];
  const problems = rules.filter((r) => !r.ok).map(({ key, message }) => ({ key, message }));
  for (const p of Object.keys(m.parameters)) {
    if (!PARAM_NAME_RE.test(p)) {
      problems.push({ key: `parameters.${p}`, message: `parameter name "${p}" must be letters, digits and _ (not starting with a digit)` });
    }
  }
  for (const d of m.dependencies) {
    if (d === m.outputName) problems.push({ key: "dependencies", message: `node "${m.name}" cannot depend on its own output "${d}"` });
  }
  return problems;
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
  const node: FlowSpecNode = {
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
    trigger: {
      type: "Scheduler",
      cron: m.cron,
      startTime: "1970-01-01 00:00:00",
      endTime: "9999-01-01 00:00:00",
      timezone: m.timezone,
      delaySeconds: 0,
    },
    ...(m.resourceGroup ? { runtimeResource: { resourceGroup: m.resourceGroup } } : {}),
    inputs: { nodeOutputs: [...new Set(m.dependencies)].sort().map((data) => ({ data, artifactType: "NodeOutput" })) },
    outputs: { nodeOutputs: [{ data: m.outputName, artifactType: "NodeOutput" }] },
  };
  return { version: FLOWSPEC_VERSION, kind: "Node", spec: { nodes: [node] } };
}

/** Error for a FlowSpec that cannot be read back into a node model. */
export class FlowSpecParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlowSpecParseError";
  }
}

/**
 * Reads a FlowSpec (as `GetNode` returns it in `Node.Spec`) back into a node
 * model. Fields DataWorks fills in that this stack does not manage are ignored;
 * missing fields take DataWorks' defaults.
 */
export function parseNodeFlowSpec(spec: string | FlowSpecDocument): NodeModel {
  let doc: FlowSpecDocument;
  try {
    doc = typeof spec === "string" ? (JSON.parse(spec) as FlowSpecDocument) : spec;
  } catch (e) {
    throw new FlowSpecParseError(`node Spec is not JSON: ${(e as Error).message}`);
  }
  const node = doc?.spec?.nodes?.[0];
  if (!node || typeof node.name !== "string") {
    throw new FlowSpecParseError(`node Spec has no spec.nodes[0].name (kind "${doc?.kind}")`);
  }
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
    dependencies: [...new Set((node.inputs?.nodeOutputs ?? []).map((o) => o.data))].sort(),
    outputName: node.outputs?.nodeOutputs?.[0]?.data ?? "",
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

/** The decision for one change of a node. */
export interface NodeDiff {
  /** Keys that differ. */
  readonly changed: NodeKey[];
  /** Keys that force a new node; empty for an in-place update. */
  readonly replaces: NodeKey[];
  /**
   * Delete the old node before creating the new one: needed when the new node
   * keeps the old one's name or output in the same workspace, because DataWorks
   * refuses a second node with the same name or output name.
   */
  readonly deleteBeforeReplace: boolean;
}

/** Canonical form of a value for comparison: sorted keys, sorted dependency list, trimmed script line ends. */
function canonical(key: NodeKey, v: unknown): string {
  if (key === "dependencies") return JSON.stringify([...new Set((v as string[] | undefined) ?? [])].sort());
  if (key === "parameters") {
    const o = (v as Record<string, string> | undefined) ?? {};
    return JSON.stringify(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]]),
    );
  }
  if (key === "rerun") {
    const r = (v as RerunPolicy | undefined) ?? DEFAULT_RERUN;
    return JSON.stringify([r.mode, r.times, r.intervalMs]);
  }
  if (key === "script")
    return String(v ?? "")
      .replace(/\r\n/g, "\n")
      .replace(/[ \t]+$/gm, "")
      .trimEnd();
  if (key === "projectId") return String(v ?? "");
  return JSON.stringify(v ?? "");
}

/** Compares two node states (`NodeModel & NodeLocation`) and decides update vs replace. */
export function diffNode(olds: Partial<NodeModel & NodeLocation>, news: Partial<NodeModel & NodeLocation>): NodeDiff {
  const changed: NodeKey[] = [];
  for (const k of [...REPLACE_KEYS, ...UPDATE_KEYS]) {
    if (canonical(k, olds[k]) !== canonical(k, news[k])) changed.push(k);
  }
  const replaces = changed.filter((k): k is NodeKey => (REPLACE_KEYS as readonly string[]).includes(k));
  const sameWorkspace = canonical("projectId", olds.projectId) === canonical("projectId", news.projectId) && olds.region === news.region;
  const collides = sameWorkspace && (olds.name === news.name || olds.outputName === news.outputName);
  return { changed, replaces, deleteBeforeReplace: replaces.length > 0 && collides };
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

// ---------------------------------------------------------------------------
// Quartz cron (the 6-field form DataWorks uses): only the daily and hourly
// shapes the layers schedule are understood, which is what ordering needs.
// ---------------------------------------------------------------------------

/** A daily (`ss mm hh * * ?`) or hourly (`ss mm * * * ?`) schedule. */
export type SimpleCron =
  | { readonly kind: "daily"; readonly second: number; readonly minute: number; readonly hour: number }
  | { readonly kind: "hourly"; readonly second: number; readonly minute: number };

/** Parses a daily or hourly Quartz cron; undefined for any other shape. */
export function parseQuartzCron(cron: string): SimpleCron | undefined {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 6 || f[3] !== "*" || f[4] !== "*" || f[5] !== "?") return undefined;
  const num = (s: string, max: number): number | undefined => (/^\d{1,2}$/.test(s) && Number(s) <= max ? Number(s) : undefined);
  const second = num(f[0], 59);
  const minute = num(f[1], 59);
  if (second === undefined || minute === undefined) return undefined;
  if (f[2] === "*") return { kind: "hourly", second, minute };
  const hour = num(f[2], 23);
  return hour === undefined ? undefined : { kind: "daily", second, minute, hour };
}

function cronProblem(cron: string): string {
  return `cron "${cron}" must be a daily ("ss mm hh * * ?") or hourly ("ss mm * * * ?") Quartz cron`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** Renders a simple cron in DataWorks' zero-padded form. */
export function formatQuartzCron(c: SimpleCron): string {
  return c.kind === "daily" ? `${pad2(c.second)} ${pad2(c.minute)} ${pad2(c.hour)} * * ?` : `${pad2(c.second)} ${pad2(c.minute)} * * * ?`;
}

/**
 * The schedule `delayMinutes` after `cron`, in the same cycle: a daily
 * schedule stays on the same day (so `bizdate` is the same day's), an hourly
 * one in the same hour. Throws when the delay would cross into the next cycle.
 */
export function cronAfter(cron: string, delayMinutes: number): string {
  const c = parseQuartzCron(cron);
  if (!c) throw new Error(cronProblem(cron));
  if (!Number.isInteger(delayMinutes) || delayMinutes < 0) {
    throw new Error(`delayMinutes ${delayMinutes} must be a whole number of minutes >= 0`);
  }
  if (c.kind === "hourly") {
    const minute = c.minute + delayMinutes;
    if (minute > 59) {
      throw new Error(`hourly cron "${cron}" + ${delayMinutes} min crosses into the next hour (minute ${minute}); allowed: minute + delay <= 59`);
    }
    return formatQuartzCron({ ...c, minute });
  }
  const total = c.hour * 60 + c.minute + delayMinutes;
  if (total > 23 * 60 + 59) {
    throw new Error(`daily cron "${cron}" + ${delayMinutes} min crosses midnight; allowed: the run stays on the same day (<= 23:59)`);
  }
  return formatQuartzCron({ ...c, hour: Math.floor(total / 60), minute: total % 60 });
}

/**
 * Minutes between an upstream schedule and a downstream one in the same cycle
 * (negative when the downstream runs first). Both must be the same kind.
 */
export function minutesBetween(upstreamCron: string, downstreamCron: string): number {
  const u = parseQuartzCron(upstreamCron);
  const d = parseQuartzCron(downstreamCron);
  if (!u) throw new Error(cronProblem(upstreamCron));
  if (!d) throw new Error(cronProblem(downstreamCron));
  if (u.kind !== d.kind) {
    throw new Error(`cannot order a ${u.kind} schedule ("${upstreamCron}") against a ${d.kind} one ("${downstreamCron}")`);
  }
  const at = (c: SimpleCron): number => (c.kind === "daily" ? c.hour * 3600 : 0) + c.minute * 60 + c.second;
  return (at(d) - at(u)) / 60;
}
