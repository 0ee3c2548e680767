/**
 * Compares two plans by URN, as `pulumi preview --diff` would, but with what the
 * real providers do (`provider-behaviour.json`, read from the provider source):
 * created, deleted, replaced (an input that forces replacement changed),
 * updated (with the changed input paths), dropped (changes an update would not
 * send), unchanged. Errors: a dropped change, and a replacement or deletion of
 * a data resource (`DATA_RESOURCE_TYPES`), each with its reason. Pure.
 */
import forcing from "./replacement-forcing-inputs.json";
import { isDataResource } from "./data-types";
import { PROVIDER_BEHAVIOUR, ProviderBehaviourTable, classifyPath, inputPath } from "./provider-behaviour-table";
import { Plan, PlannedResource, SECRET_MARKER } from "./types";
import { TYPES } from "./type-tokens";

/**
 * Replacement-forcing top-level inputs per resource type, as first read from the provider
 * (`replacement-forcing-inputs.json`). Kept for readers of the old file; the diff reads
 * `PROVIDER_BEHAVIOUR`, which supersedes it.
 * @deprecated use `PROVIDER_BEHAVIOUR` from `./provider-behaviour-table`
 */
export const REPLACEMENT_FORCING: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(forcing).filter(([k]) => k !== "about") as [string, string[]][],
);

export interface ChangedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Changed input paths (`tableMappings[3].transformationRules`), secrets shown as paths only. */
  readonly paths: readonly string[];
  /** The changed paths that force replacement. */
  readonly forcing: readonly string[];
  /** The changed paths an update would not send (the provider drops them). */
  readonly dropped: readonly string[];
  readonly protect: boolean;
}

/** Why a diff cannot be deployed as planned. */
export type PlanErrorKind = "dropped-update" | "data-replaced" | "data-deleted";

/** Something `pulumi up` would silently not do, or would do and lose data. */
export interface PlanError {
  readonly kind: PlanErrorKind;
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  /** The input paths concerned (empty for a deletion). */
  readonly paths: readonly string[];
  /** One line: what happens and why, with the source of the behaviour. */
  readonly message: string;
}

export interface PlanDiff {
  readonly stack: string;
  readonly fromStage: string;
  readonly toStage: string;
  readonly created: readonly PlannedResource[];
  readonly deleted: readonly PlannedResource[];
  readonly replaced: readonly ChangedResource[];
  /** Resources with at least one change an update sends (`dropped` lists any it would not). */
  readonly updated: readonly ChangedResource[];
  /** Resources whose every change the provider would drop: `pulumi up` reports an update and nothing changes. */
  readonly dropped: readonly ChangedResource[];
  readonly unchanged: number;
  /** Dropped changes and replacements or deletions of data resources: the diff is not deployable as is. */
  readonly errors: readonly PlanError[];
  /** What `pulumi up` would refuse (protected deletes/replacements) or leave behind (tables leaving a template). */
  readonly warnings: readonly string[];
}

/** Leaf paths where `a` and `b` differ. */
export function changedPaths(a: unknown, b: unknown, at = ""): string[] {
  if (a === b) return [];
  const isObj = (x: unknown) => x !== null && typeof x === "object";
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      out.push(...changedPaths(a[i], b[i], `${at}[${i}]`));
    }
    return out;
  }
  if (isObj(a) && isObj(b) && !Array.isArray(a) && !Array.isArray(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
    return keys.flatMap((k) => changedPaths(ao[k], bo[k], at ? `${at}.${k}` : k));
  }
  // JSON documents in string inputs (templateBody, dbList...): report the path inside them.
  if (typeof a === "string" && typeof b === "string" && a !== SECRET_MARKER && /^[[{]/.test(a) && /^[[{]/.test(b)) {
    try {
      const inner = changedPaths(JSON.parse(a), JSON.parse(b), "");
      if (inner.length > 0) return inner.map((p) => `${at}<${p}>`);
    } catch {
      /* not JSON: a plain change */
    }
  }
  return [at];
}

/** Whether `path` is at or below one of the `ignoreChanges` paths. */
function ignored(path: string, ignoreChanges: readonly string[]): boolean {
  return ignoreChanges.some((ic) => path === ic || [".", "[", "<"].some((sep) => path.startsWith(ic + sep)));
}

type RosResources = Record<string, { Type?: string; Properties?: Record<string, unknown> }>;

function rosResources(r: PlannedResource): RosResources {
  try {
    return (JSON.parse(String(r.inputs.templateBody)) as { Resources?: RosResources }).Resources ?? {};
  } catch {
    return {};
  }
}

/**
 * Inside a ROS stack's template: a changed property of a resource ROS cannot update
 * in place (`ALIYUN::MaxCompute::Table`: every property "Editable: No") is a
 * replacement of that resource — an error when it holds data; a resource leaving
 * the template is kept (DeletionPolicy Retain) but no longer managed (a warning).
 */
function rosTemplateFindings(before: PlannedResource, after: PlannedResource, table: ProviderBehaviourTable): { errors: PlanError[]; warnings: string[] } {
  const a = rosResources(before);
  const b = rosResources(after);
  const errors: PlanError[] = [];
  const warnings: string[] = [];
  for (const [id, res] of Object.entries(b)) {
    const old = a[id];
    const rb = res.Type ? table.rosResourceTypes.get(res.Type) : undefined;
    if (!old || !rb) continue;
    const props = changedPaths(old.Properties ?? {}, res.Properties ?? {}).filter((p) => rb.forcesReplacement.includes(p.split(/[.[<]/)[0]));
    if (props.length === 0 || !rb.data) continue;
    errors.push({
      kind: "data-replaced",
      urn: after.urn,
      name: after.name,
      type: after.type,
      paths: props.map((p) => `templateBody<Resources.${id}.Properties.${p}>`),
      message: `${after.name}: ${res.Type} ${id} changes ${props.join(", ")}, which ROS cannot update in place: UpdateStack fails with replacementOption Disabled, and with Enabled ROS drops and recreates the table (data lost). Keep the deployed definition in the template; add columns with ALTER TABLE (source: ${rb.source})`,
    });
  }
  for (const [id, res] of Object.entries(a)) {
    const rb = res.Type ? table.rosResourceTypes.get(res.Type) : undefined;
    if (rb?.data && !b[id]) {
      warnings.push(`${after.name}: ${res.Type} ${id} leaves the template; ROS keeps it (DeletionPolicy Retain) but the stack stops managing it`);
    }
  }
  return { errors, warnings };
}

/** Applies the API's normalizations to `next` where they make it equal `prev` (case, set order). */
function normalizeInputs(prev: Record<string, unknown>, next: Record<string, unknown>, type: string, table: ProviderBehaviourTable): Record<string, unknown> {
  const b = table.types.get(type);
  if (!b) return next;
  const out = { ...next };
  const canon = (v: unknown): string => JSON.stringify(v);
  for (const n of b.normalized) {
    if (n.input.includes(".")) continue;
    const [p, q] = [prev[n.input], next[n.input]];
    if (n.kind === "caseInsensitive" && typeof p === "string" && typeof q === "string" && p.toLowerCase() === q.toLowerCase()) out[n.input] = p;
    if (n.kind === "unordered" && Array.isArray(p) && Array.isArray(q) && canon(p.map(canon).sort()) === canon(q.map(canon).sort())) out[n.input] = p;
  }
  return out;
}

/** Diff from `before` to `after`, with what the real providers do (`table`). */
export function diffPlans(before: Plan, after: Plan, table: ProviderBehaviourTable = PROVIDER_BEHAVIOUR): PlanDiff {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const now = new Map(after.resources.map((r) => [r.urn, r]));
  const created = after.resources.filter((r) => !old.has(r.urn));
  const deleted = before.resources.filter((r) => !now.has(r.urn));
  const replaced: ChangedResource[] = [];
  const updated: ChangedResource[] = [];
  const dropped: ChangedResource[] = [];
  const errors: PlanError[] = [];
  const warnings: string[] = [];
  let unchanged = 0;
  for (const r of after.resources) {
    const o = old.get(r.urn);
    if (!o) continue;
    const inputs = normalizeInputs(o.inputs, r.inputs, r.type, table);
    const behaviour = table.types.get(r.type);
    const all = changedPaths(o.inputs, inputs).filter((p) => !ignored(p, r.ignoreChanges ?? []));
    const changedInputs = all.map(inputPath);
    // `replaceOnChanges` (recorded when the plan carries it) turns a change into a replacement, as Pulumi does.
    const replaceOnChanges = r.replaceOnChanges ?? [];
    const effects = all.map((p) => {
      const e = classifyPath(behaviour, p, changedInputs);
      return { path: p, ...(e.effect !== "ignored" && ignored(p, replaceOnChanges) ? { effect: "replace" as const, input: e.input } : e) };
    });
    const paths = effects.filter((e) => e.effect !== "ignored").map((e) => e.path);
    if (r.type === TYPES.rosStack && paths.some((p) => inputPath(p) === "templateBody")) {
      const f = rosTemplateFindings(o, r, table);
      errors.push(...f.errors);
      warnings.push(...f.warnings);
    }
    if (paths.length === 0) {
      unchanged++;
      continue;
    }
    const forcingPaths = effects.filter((e) => e.effect === "replace").map((e) => e.path);
    const droppedEffects = effects.filter((e) => e.effect === "dropped");
    const c: ChangedResource = {
      urn: r.urn,
      type: r.type,
      name: r.name,
      paths,
      forcing: forcingPaths,
      dropped: droppedEffects.map((e) => e.path),
      protect: r.protect || o.protect,
    };
    if (forcingPaths.length > 0) replaced.push(c);
    else if (droppedEffects.length === paths.length) dropped.push(c);
    else updated.push(c);
    if (forcingPaths.length === 0 && droppedEffects.length > 0) {
      const reasons = [...new Map(droppedEffects.map((e) => [e.input, e.effect === "dropped" ? e.reason : ""])).entries()];
      errors.push({
        kind: "dropped-update",
        urn: r.urn,
        name: r.name,
        type: r.type,
        paths: c.dropped,
        message: `${r.name} (${r.type}): the provider would drop the change to ${reasons.map(([i]) => i).join(", ")}: pulumi up reports an update and the cloud keeps the old value (${reasons.map(([i, why]) => `${i}: ${why}`).join("; ")}; source: ${behaviour?.source})`,
      });
    }
    if (forcingPaths.length > 0 && isDataResource(r.type)) {
      errors.push({
        kind: "data-replaced",
        urn: r.urn,
        name: r.name,
        type: r.type,
        paths: forcingPaths,
        message: `${r.name} (${r.type}) holds data and would be replaced (${forcingPaths.join(", ")} ${forcingPaths.length > 1 ? "force" : "forces"} replacement; source: ${behaviour?.source ?? "unknown"}): the stack never replaces data resources`,
      });
    }
  }
  for (const r of deleted.filter((x) => !x.component && isDataResource(x.type))) {
    errors.push({
      kind: "data-deleted",
      urn: r.urn,
      name: r.name,
      type: r.type,
      paths: [],
      message: `${r.name} (${r.type}) holds data and would leave the stack${r.retainOnDelete ? " (retained on delete: the cloud keeps it, unmanaged)" : " and be deleted"}: the stack never deletes data resources`,
    });
  }
  const protectedWarnings = [
    ...deleted.filter((r) => r.protect).map((r) => `${r.name} (${r.type}) is protected and would be deleted: pulumi up will refuse`),
    ...replaced
      .filter((r) => r.protect)
      .map((r) => `${r.name} (${r.type}) is protected and would be replaced (${r.forcing.join(", ")}): pulumi up will refuse`),
  ];
  return {
    stack: after.stack,
    fromStage: before.stage,
    toStage: after.stage,
    created,
    deleted,
    replaced,
    updated,
    dropped,
    unchanged,
    errors,
    warnings: [...protectedWarnings, ...warnings],
  };
}

/** Whether the diff changes anything (a dropped change is still one Pulumi would report). */
export function hasChanges(d: PlanDiff): boolean {
  return d.created.length + d.deleted.length + d.replaced.length + d.updated.length + d.dropped.length > 0;
}

/** Whether the diff holds errors (dropped changes, data replaced or deleted): not deployable as planned. */
export function hasErrors(d: PlanDiff): boolean {
  return d.errors.length > 0;
}

function line(verb: string, r: { name: string; type: string }): string {
  return `  ${verb} ${r.name} (${r.type})`;
}

/** One-line summary: `+2 to create, ~1 to update, +-0 to replace, -0 to delete, 9 unchanged` (then `; !1 dropped, 2 errors` when any). */
export function diffSummary(d: PlanDiff): string {
  const base = `+${d.created.length} to create, ~${d.updated.length} to update, +-${d.replaced.length} to replace, -${d.deleted.length} to delete, ${d.unchanged} unchanged`;
  const extra = [
    ...(d.dropped.length > 0 ? [`!${d.dropped.length} dropped`] : []),
    ...(d.errors.length > 0 ? [`${d.errors.length} error${d.errors.length > 1 ? "s" : ""}`] : []),
  ];
  return extra.length > 0 ? `${base}; ${extra.join(", ")}` : base;
}

/** Text rendering of a diff: errors first, then the changes, then warnings. */
export function renderDiffText(d: PlanDiff, extra: readonly string[] = []): string {
  const out = [
    `photo-analytics: stack ${d.stack}: ${d.fromStage === d.toStage ? `stage ${d.toStage}` : `stage ${d.fromStage} -> ${d.toStage}`}`,
    diffSummary(d),
  ];
  if (d.errors.length > 0) {
    out.push("", `${d.errors.length} ERROR${d.errors.length > 1 ? "S" : ""}: this change does not deploy as planned`);
    for (const e of d.errors) out.push(`ERROR: ${e.message}`);
    out.push("");
  }
  for (const r of d.created) out.push(line("+", r));
  for (const r of d.updated) out.push(line("~", r), ...r.paths.map((p) => `      ${p}${r.dropped.includes(p) ? " (dropped by the provider)" : ""}`));
  for (const r of d.dropped) out.push(line("!", r), ...r.paths.map((p) => `      ${p} (dropped by the provider)`));
  for (const r of d.replaced) out.push(line("+-", r), ...r.forcing.map((p) => `      ${p} (forces replacement)`));
  for (const r of d.deleted) out.push(line("-", r));
  for (const w of d.warnings) out.push(`WARNING: ${w}`);
  return [...out, ...extra].join("\n") + "\n";
}

/** Markdown rendering (one stack's section of the PR comment). */
export function renderDiffMarkdown(d: PlanDiff, extra: readonly string[] = []): string {
  const out = [
    `### \`${d.stack}\`: ${d.fromStage === d.toStage ? `stage \`${d.toStage}\`` : `stage \`${d.fromStage}\` → \`${d.toStage}\``}`,
    "",
    `**${diffSummary(d)}**`,
    "",
  ];
  for (const e of d.errors) out.push(`> :x: **error**: ${e.message}`, "");
  for (const w of d.warnings) out.push(`> :warning: ${w}`, "");
  if (hasChanges(d)) {
    out.push("| change | resource | type |", "|---|---|---|");
    for (const r of d.created) out.push(`| create | \`${r.name}\` | \`${r.type}\` |`);
    for (const r of d.updated) out.push(`| update | \`${r.name}\` | \`${r.type}\` |`);
    for (const r of d.dropped) out.push(`| **dropped** | \`${r.name}\` | \`${r.type}\` |`);
    for (const r of d.replaced) out.push(`| **replace** | \`${r.name}\` | \`${r.type}\` |`);
    for (const r of d.deleted) out.push(`| **delete** | \`${r.name}\` | \`${r.type}\` |`);
    const details = [...d.updated, ...d.dropped, ...d.replaced];
    if (details.length > 0) {
      out.push("", "<details><summary>Changed inputs</summary>", "");
      const note = (r: ChangedResource, p: string): string =>
        r.forcing.includes(p) ? " (forces replacement)" : r.dropped.includes(p) ? " (dropped by the provider)" : "";
      for (const r of details) out.push(`- \`${r.name}\`: ${r.paths.map((p) => `\`${p}\`${note(r, p)}`).join(", ")}`);
      out.push("", "</details>");
    }
  }
  out.push("", ...extra);
  return out.join("\n") + "\n";
}

/** JSON form of a diff (stable keys). */
export function diffJson(d: PlanDiff): unknown {
  return {
    stack: d.stack,
    fromStage: d.fromStage,
    toStage: d.toStage,
    summary: {
      created: d.created.length,
      updated: d.updated.length,
      replaced: d.replaced.length,
      deleted: d.deleted.length,
      dropped: d.dropped.length,
      unchanged: d.unchanged,
      errors: d.errors.length,
    },
    created: d.created.map((r) => ({ urn: r.urn, type: r.type })),
    deleted: d.deleted.map((r) => ({ urn: r.urn, type: r.type, protect: r.protect })),
    updated: d.updated,
    dropped: d.dropped,
    replaced: d.replaced,
    errors: d.errors,
    warnings: d.warnings,
  };
}
