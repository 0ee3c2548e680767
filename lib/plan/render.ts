/**
 * Renders a plan as a text tree, stable JSON, or Markdown (for PR comments,
 * with a Mermaid data-flow diagram). Pure.
 */
import { Plan, PlannedResource } from "./types";
import { dataFlow, dataFlowMermaid, dataFlowText } from "./data-flow";

/** JSON with object keys sorted at every level (stable for diffs and machines). */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + "\n";
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** The plan as printed by `--format json`. */
export function renderJson(plan: Plan): string {
  return stableJson(plan);
}

function flags(r: PlannedResource): string {
  const f: string[] = [];
  if (r.protect) f.push("protected");
  if (r.retainOnDelete) f.push("retained on delete");
  if (r.deleteBeforeReplace) f.push("delete before replace");
  if (r.aliases.length > 0) f.push(`${r.aliases.length} alias${r.aliases.length > 1 ? "es" : ""}`);
  return f.length ? ` [${f.join(", ")}]` : "";
}

/** Children of each parent URN (null = top level), in URN order. */
function childrenIndex(plan: Plan): Map<string | null, PlannedResource[]> {
  const idx = new Map<string | null, PlannedResource[]>();
  const known = new Set(plan.resources.map((r) => r.urn));
  for (const r of plan.resources) {
    const p = r.parent !== null && known.has(r.parent) ? r.parent : null;
    if (!idx.has(p)) idx.set(p, []);
    idx.get(p)!.push(r);
  }
  return idx;
}

/** Counts shown in every format's summary line. */
export function summarize(plan: Plan): { total: number; components: number; cloud: number; protectedCount: number } {
  const components = plan.resources.filter((r) => r.component).length;
  return {
    total: plan.resources.length,
    components,
    cloud: plan.resources.length - components,
    protectedCount: plan.resources.filter((r) => r.protect).length,
  };
}

function summaryLine(plan: Plan): string {
  const s = summarize(plan);
  return `${s.cloud} cloud resources in ${s.components} components; ${s.protectedCount} protected (data)`;
}

/** The plan as a tree: one line a resource, `name (type) [flags]`. */
export function renderText(plan: Plan, extra: readonly string[] = []): string {
  const idx = childrenIndex(plan);
  const lines: string[] = [`photo-analytics: stack ${plan.stack}, stage ${plan.stage}, region ${plan.region}`, summaryLine(plan), ""];
  const walk = (parent: string | null, prefix: string) => {
    const kids = idx.get(parent) ?? [];
    kids.forEach((r, i) => {
      const last = i === kids.length - 1;
      lines.push(`${prefix}${parent === null ? "" : last ? "└─ " : "├─ "}${r.name} (${r.type})${flags(r)}`);
      walk(r.urn, parent === null ? "" : prefix + (last ? "   " : "│  "));
    });
  };
  walk(null, "");
  const flow = dataFlowText(dataFlow(plan));
  if (flow.length > 0) lines.push("", "Data flow:", ...flow);
  return [...lines, ...extra].join("\n") + "\n";
}

/** A Mermaid flowchart of the data flows the plan sets up, table by table (lib/plan/data-flow.ts). */
export function mermaidDataFlow(plan: Plan): string {
  return dataFlowMermaid(dataFlow(plan));
}

/** The plan as Markdown: summary, resources per component, data-flow diagram. */
export function renderMarkdown(plan: Plan, extra: readonly string[] = []): string {
  const out: string[] = [];
  out.push(`### photo-analytics \`${plan.stack}\`: stage \`${plan.stage}\` (${plan.region})`, "", summaryLine(plan), "");
  out.push("```mermaid", mermaidDataFlow(plan), "```", "");
  out.push("| resource | type | protected |", "|---|---|---|");
  for (const r of plan.resources.filter((x) => !x.component)) {
    out.push(`| \`${r.name}\` | \`${r.type}\` | ${r.protect ? "yes" : ""} |`);
  }
  out.push("", ...extra);
  return out.join("\n") + "\n";
}
