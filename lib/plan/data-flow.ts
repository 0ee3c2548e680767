/**
 * The data flow a plan sets up, as a graph: each source table -> the loads that carry it
 * (DataWorks DI daily and hourly, DTS, the SLS web tracking and export, the SLS engine) -> the
 * MaxCompute tables they write (ODS, DTS base/log, realtime views, compaction, snapshots, DWS,
 * ADS, the realtime metrics feed) -> what reads them (reports, the SLS import of the metrics,
 * dashboards, alerts). Built from the planned resources only
 * (a node's reads are the tables its script names), so it shows the stack as planned. Rendered
 * as Mermaid (Markdown plans, PR comments, docs/data-flow.md) and as compact text; a diff of
 * two graphs marks what a change adds and removes. Pure.
 */
import { Plan, PlannedResource } from "./types";
import { odsTableName } from "../maxcompute/ods-tables";
import { dtsTableNames } from "../dts/merge-sql";
import { TYPES } from "./type-tokens";
import { METRICS_NODE_NAME } from "../dataworks/layer-sql";
import { RT_FEED_TABLE } from "../metrics/rt-metrics";

/** What a node of the picture is. */
export type FlowNodeKind = "source" | "load" | "table" | "report";

/** One node: a source table, a load, a table (MaxCompute or SLS logstore) or a reader. */
export interface FlowNode {
  /** Stable id (kind prefix and name), unique in a graph. */
  readonly id: string;
  readonly label: string;
  readonly kind: FlowNodeKind;
}

/** Data moves from `from` to `to`. */
export interface FlowEdge {
  readonly from: string;
  readonly to: string;
}

/** The graph: nodes and edges sorted by id. */
export interface DataFlow {
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
}

/** In a diff: in both graphs, only in the new one, or only in the old one. */
export type FlowChange = "same" | "added" | "removed";

/** Two graphs merged, each node and edge marked. */
export interface DataFlowDiff {
  readonly nodes: readonly (FlowNode & { readonly change: FlowChange })[];
  readonly edges: readonly (FlowEdge & { readonly change: FlowChange })[];
}

const DI_JOB = TYPES.dataworksDiJob;
const DTS_JOB = TYPES.dtsSynchronizationJob;
const LOGSTORE = TYPES.logStore;
const SCHEDULED_SQL = TYPES.slsScheduledSql;
const DASHBOARD = TYPES.logDashboard;
const ALERT = TYPES.slsAlert;
const EXPORT = TYPES.MaxComputeExport;
const NODE = TYPES.DataWorksNode;
const INGESTION = TYPES.logIngestion;
const WORKFLOW = TYPES.DataWorksWorkflow;

const LOADS = {
  daily: { id: "load:di-daily", label: "DataWorks DI daily (T+1)" },
  hourly: { id: "load:di-hourly", label: "DataWorks DI hourly" },
  dts: { id: "load:dts", label: "DTS binlog (seconds)" },
  tracking: { id: "load:web-tracking", label: "SLS web tracking" },
  export: { id: "load:sls-export", label: "SLS export to MaxCompute (T+1)" },
  slsEngine: { id: "load:sls-engine", label: "SLS engine: per-minute Scheduled SQL" },
  rtImport: { id: "load:sls-import", label: "SLS import from MaxCompute" },
} as const;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" && !v.startsWith("[") ? v : undefined);

/** The source tables a DI job loads: its tableMappings' `Table` selections (lib/dataworks/di-job-spec.ts). */
function loadedTables(job: PlannedResource): string[] {
  type Mapping = { sourceObjectSelectionRules?: { objectType?: unknown; expression?: unknown }[] };
  const mappings = Array.isArray(job.inputs.tableMappings) ? (job.inputs.tableMappings as Mapping[]) : [];
  return mappings.flatMap((m) => (m.sourceObjectSelectionRules ?? []).filter((r) => r.objectType === "Table").map((r) => String(r.expression)));
}

/** The stack's tables as the plan's `tables` output lists them. */
function plannedTables(plan: Plan): { name: string; tier: string; realtime: boolean }[] {
  const t = plan.outputs.tables;
  return Array.isArray(t) ? (t as { name: string; tier: string; realtime: boolean }[]) : [];
}

/** The graph of a plan. */
export function dataFlow(plan: Plan): DataFlow {
  const nodes = new Map<string, FlowNode>();
  const edges = new Map<string, FlowEdge>();
  const node = (id: string, label: string, kind: FlowNodeKind) => {
    if (!nodes.has(id)) nodes.set(id, { id, label, kind });
    return id;
  };
  const edge = (from: string, to: string) => edges.set(`${from}\u0000${to}`, { from, to });
  const table = (name: string) => node(`mc:${name}`, name, name.startsWith("ads_") ? "report" : "table");
  const of = (type: string) => plan.resources.filter((r) => r.type === type);
  const tables = plannedTables(plan);
  const diJobs = of(DI_JOB);

  if (diJobs.some((j) => j.name.includes("-sync-daily"))) {
    node(LOADS.daily.id, LOADS.daily.label, "load");
    for (const t of tables) {
      edge(node(`src:${t.name}`, t.name, "source"), LOADS.daily.id);
      edge(LOADS.daily.id, table(odsTableName(t.name, "daily")));
    }
  }
  const hourlyLoaded = new Set(diJobs.filter((j) => j.name.includes("-sync-hourly")).flatMap(loadedTables));
  for (const t of tables) {
    if (!hourlyLoaded.has(t.name)) continue;
    node(LOADS.hourly.id, LOADS.hourly.label, "load");
    edge(node(`src:${t.name}`, t.name, "source"), LOADS.hourly.id);
    edge(LOADS.hourly.id, table(odsTableName(t.name, "hourly")));
  }
  if (of(DTS_JOB).length > 0) {
    for (const t of tables.filter((x) => x.realtime)) {
      node(LOADS.dts.id, LOADS.dts.label, "load");
      edge(node(`src:${t.name}`, t.name, "source"), LOADS.dts.id);
      const names = dtsTableNames(t.name);
      edge(LOADS.dts.id, table(names.base));
      edge(LOADS.dts.id, table(names.log));
    }
  }
  // Front-end events: the browser SDK writes the tracking logstore; an export copies it to MaxCompute.
  const logstores = new Map<string, string>();
  for (const s of of(LOGSTORE)) {
    const name = str(s.inputs.logstoreName) ?? str(s.inputs.name) ?? s.name;
    logstores.set(name, node(`sls:${name}`, `SLS logstore ${name}`, "table"));
  }
  const tracking = of(LOGSTORE).find((s) => s.name.endsWith("-logstore"));
  if (tracking) {
    const id = logstores.get(str(tracking.inputs.logstoreName) ?? str(tracking.inputs.name) ?? tracking.name) as string;
    edge(node("src:web", "web / mini-program events", "source"), node(LOADS.tracking.id, LOADS.tracking.label, "load"));
    edge(LOADS.tracking.id, id);
  }
  const anyLogstore = (r: PlannedResource) => logstores.get(str(r.inputs.logstore) ?? "") ?? (tracking ? `sls:${[...logstores.keys()][0]}` : undefined);
  for (const x of of(EXPORT)) {
    const from = anyLogstore(x);
    const to = str(x.inputs.odpsTable);
    if (!from || !to) continue;
    edge(from, node(LOADS.export.id, LOADS.export.label, "load"));
    edge(LOADS.export.id, table(to));
  }
  for (const q of of(SCHEDULED_SQL)) {
    const from = anyLogstore(q);
    if (!from) continue;
    edge(from, node(LOADS.slsEngine.id, LOADS.slsEngine.label, "load"));
    const dest = str((q.inputs.scheduleSqlConfiguration as Record<string, unknown> | undefined)?.destLogstore);
    edge(LOADS.slsEngine.id, dest ? (logstores.get(dest) ?? node(`sls:${dest}`, `SLS logstore ${dest}`, "table")) : node(`sls:${q.name}`, q.name, "table"));
  }
  for (const r of [...of(DASHBOARD), ...of(ALERT)]) {
    // The logstores a dashboard's charts or an alert's queries read; else the first logstore.
    const read = r.type === DASHBOARD ? chartLogstores(r) : alertLogstores(r);
    const froms = read.map((l) => logstores.get(l)).filter((x): x is string => x !== undefined);
    const fallback = anyLogstore(r);
    const label = r.type === DASHBOARD ? `SLS dashboard ${str(r.inputs.displayName) ?? r.name}` : `SLS alert ${str(r.inputs.displayName) ?? r.name}`;
    for (const from of froms.length > 0 ? froms : fallback ? [fallback] : []) edge(from, node(`report:${r.name}`, label, "report"));
  }
  // The realtime metrics: the rt_metrics node writes rt_metrics_feed, which the SLS import copies into a logstore.
  for (const x of of(INGESTION)) {
    const to = logstores.get(str(x.inputs.logstore) ?? "");
    if (!to) continue;
    const every = str(x.inputs.interval);
    edge(table(RT_FEED_TABLE), node(LOADS.rtImport.id, every ? `${LOADS.rtImport.label} (every ${every})` : LOADS.rtImport.label, "load"));
    edge(LOADS.rtImport.id, to);
  }
  // DataWorks nodes (a layer workflow's inner nodes): each writes the table named after it (the metrics node: the feed)
  // and reads every table its script names.
  const script = (v: unknown) => (typeof v === "string" ? v : "");
  const writes = (name: string) => (name === METRICS_NODE_NAME ? RT_FEED_TABLE : name);
  const dwNodes = [
    ...of(NODE).map((r) => ({ name: writes(str(r.inputs.name) ?? r.name), script: script(r.inputs.script) })),
    ...of(WORKFLOW).flatMap((r) =>
      (Array.isArray(r.inputs.nodes) ? (r.inputs.nodes as Record<string, unknown>[]) : []).map((n) => ({
        name: writes(str(n.name) ?? ""),
        script: script(n.script),
      })),
    ),
  ];
  for (const n of dwNodes) table(n.name);
  const known = [...nodes.values()].filter((n) => n.id.startsWith("mc:")).map((n) => n.label);
  for (const n of dwNodes) {
    const words = new Set(n.script.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
    for (const t of known) if (t !== n.name && words.has(t)) edge(`mc:${t}`, `mc:${n.name}`);
  }
  return {
    nodes: [...nodes.values()].sort((a, b) => cmp(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to)),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The logstores a dashboard's charts read (`charList[].search.logstore`). */
function chartLogstores(r: PlannedResource): string[] {
  try {
    const charts = JSON.parse(String(r.inputs.charList ?? "[]")) as { search?: { logstore?: unknown } }[];
    return [...new Set(charts.map((c) => str(c.search?.logstore)).filter((x): x is string => x !== undefined))];
  } catch {
    return [];
  }
}

/** The logstores an alert's queries read (`configuration.queryLists[].store`). */
function alertLogstores(r: PlannedResource): string[] {
  const lists = (r.inputs.configuration as { queryLists?: { store?: unknown }[] } | undefined)?.queryLists ?? [];
  return [...new Set(lists.map((q) => str(q.store)).filter((x): x is string => x !== undefined))];
}

/** `before` and `after` merged: what the change adds and removes. */
export function diffDataFlow(before: DataFlow, after: DataFlow): DataFlowDiff {
  const key = (e: FlowEdge) => `${e.from}\u0000${e.to}`;
  const bn = new Map(before.nodes.map((n) => [n.id, n]));
  const an = new Map(after.nodes.map((n) => [n.id, n]));
  const be = new Set(before.edges.map(key));
  const ae = new Set(after.edges.map(key));
  const nodes = [
    ...after.nodes.map((n) => ({ ...n, change: (bn.has(n.id) ? "same" : "added") as FlowChange })),
    ...before.nodes.filter((n) => !an.has(n.id)).map((n) => ({ ...n, change: "removed" as FlowChange })),
  ];
  const edges = [
    ...after.edges.map((e) => ({ ...e, change: (be.has(key(e)) ? "same" : "added") as FlowChange })),
    ...before.edges.filter((e) => !ae.has(key(e))).map((e) => ({ ...e, change: "removed" as FlowChange })),
  ];
  return { nodes: nodes.sort((a, b) => cmp(a.id, b.id)), edges: edges.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to)) };
}

/** Whether a diff adds or removes anything. */
export function flowChanged(d: DataFlowDiff): boolean {
  return d.nodes.some((n) => n.change !== "same") || d.edges.some((e) => e.change !== "same");
}

const asDiff = (g: DataFlow | DataFlowDiff): DataFlowDiff =>
  ({ nodes: g.nodes.map((n) => ({ change: "same", ...n })), edges: g.edges.map((e) => ({ change: "same", ...e })) }) as DataFlowDiff;

const SHAPES: Record<FlowNodeKind, [string, string]> = { source: ["[(", ")]"], load: ["{{", "}}"], table: ["[", "]"], report: ["([", "])"] };

/** The graph (or a diff: added green, removed red and dashed) as a Mermaid flowchart. */
export function dataFlowMermaid(g: DataFlow | DataFlowDiff): string {
  const d = asDiff(g);
  const ids = new Map(d.nodes.map((n, i) => [n.id, `n${i}`]));
  const out = ["flowchart LR"];
  for (const n of d.nodes) {
    const [open, close] = SHAPES[n.kind];
    out.push(`  ${ids.get(n.id)}${open}"${n.label.replace(/"/g, "'")}"${close}`);
  }
  d.edges.forEach((e) => out.push(`  ${ids.get(e.from)} ${e.change === "removed" ? "-.->" : "-->"} ${ids.get(e.to)}`));
  const marked = (c: FlowChange) => d.nodes.filter((n) => n.change === c).map((n) => ids.get(n.id));
  if (marked("added").length + marked("removed").length > 0 || d.edges.some((e) => e.change !== "same")) {
    out.push("  classDef added fill:#d4f7d4,stroke:#2da44e,stroke-width:2px", "  classDef removed fill:#ffd7d5,stroke:#cf222e,stroke-dasharray:4 3");
    if (marked("added").length) out.push(`  class ${marked("added").join(",")} added`);
    if (marked("removed").length) out.push(`  class ${marked("removed").join(",")} removed`);
    const style = (c: FlowChange, s: string) => {
      const idx = d.edges.flatMap((e, i) => (e.change === c ? [i] : []));
      if (idx.length) out.push(`  linkStyle ${idx.join(",")} ${s}`);
    };
    style("added", "stroke:#2da44e,stroke-width:2px");
    style("removed", "stroke:#cf222e");
  }
  return out.join("\n");
}

/**
 * The graph as compact text: one line a node with outgoing data, `from -> to, to`, sources
 * first; in a diff, `+` / `-` before what the change adds or removes.
 */
export function dataFlowText(g: DataFlow | DataFlowDiff): string[] {
  const d = asDiff(g);
  const byId = new Map(d.nodes.map((n) => [n.id, n]));
  const mark = (c: FlowChange) => (c === "added" ? "+" : c === "removed" ? "-" : "");
  const order: FlowNodeKind[] = ["source", "load", "table", "report"];
  const changed = d.nodes.some((n) => n.change !== "same") || d.edges.some((e) => e.change !== "same");
  const froms = [...new Set(d.edges.map((e) => e.from))].sort((a, b) => order.indexOf(byId.get(a)!.kind) - order.indexOf(byId.get(b)!.kind) || cmp(a, b));
  return froms.map((f) => {
    const n = byId.get(f)!;
    const tos = d.edges.filter((e) => e.from === f).map((e) => `${mark(e.change)}${byId.get(e.to)!.label}`);
    return `  ${changed ? mark(n.change) || " " : ""}${n.label} -> ${tos.join(", ")}`;
  });
}
