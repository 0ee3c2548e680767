/**
 * Compares two plans by URN, as `pulumi preview --diff` would: created,
 * deleted, replaced (an input that forces replacement changed, per
 * `replacement-forcing-inputs.json`, read from the provider source), updated
 * (with the changed input paths), unchanged. Pure.
 */
import forcing from "./replacement-forcing-inputs.json";
import { Plan, PlannedResource, SECRET_MARKER } from "./types";

/** Replacement-forcing top-level inputs per resource type. */
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
  readonly protect: boolean;
}

export interface PlanDiff {
  readonly stack: string;
  readonly fromStage: string;
  readonly toStage: string;
  readonly created: readonly PlannedResource[];
  readonly deleted: readonly PlannedResource[];
  readonly replaced: readonly ChangedResource[];
  readonly updated: readonly ChangedResource[];
  readonly unchanged: number;
  /** What `pulumi up` would refuse or fail on (protected deletes/replacements, non-updatable ROS tables). */
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

function topKey(path: string): string {
  return path.split(/[.[<]/)[0];
}

/** Whether `path` is at or below one of the `ignoreChanges` paths. */
function ignored(path: string, ignoreChanges: readonly string[]): boolean {
  return ignoreChanges.some((ic) => path === ic || [".", "[", "<"].some((sep) => path.startsWith(ic + sep)));
}

const ROS_TABLE = "ALIYUN::MaxCompute::Table";

/**
 * ROS cannot update an `ALIYUN::MaxCompute::Table` in place (every property is "Editable: No")
 * and the warehouse forbids replacement, so a changed table definition fails the ROS update.
 */
function rosTableWarnings(before: PlannedResource, after: PlannedResource): string[] {
  const parse = (r: PlannedResource): Record<string, { Type?: string; Properties?: unknown }> => {
    try {
      return (JSON.parse(String(r.inputs.templateBody)) as { Resources?: Record<string, { Type?: string; Properties?: unknown }> }).Resources ?? {};
    } catch {
      return {};
    }
  };
  const a = parse(before);
  const b = parse(after);
  const out: string[] = [];
  for (const [id, res] of Object.entries(b)) {
    const old = a[id];
    if (res.Type !== ROS_TABLE || !old) continue;
    const paths = changedPaths(old.Properties, res.Properties);
    if (paths.length > 0) {
      out.push(
        `${after.name}: table ${id} changes ${paths.join(", ")}, which ROS cannot update (ALIYUN::MaxCompute::Table properties are not editable; replacement is disabled): the update will fail. Add columns with ALTER TABLE or let the sync engines propagate them, and keep the table definition as deployed`,
      );
    }
  }
  for (const id of Object.keys(a)) {
    if (a[id].Type === ROS_TABLE && !b[id])
      out.push(`${after.name}: table ${id} leaves the template; ROS keeps it in MaxCompute (DeletionPolicy Retain) but the stack stops managing it`);
  }
  return out;
}

/** Diff from `before` to `after`. */
export function diffPlans(before: Plan, after: Plan): PlanDiff {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const now = new Map(after.resources.map((r) => [r.urn, r]));
  const created = after.resources.filter((r) => !old.has(r.urn));
  const deleted = before.resources.filter((r) => !now.has(r.urn));
  const replaced: ChangedResource[] = [];
  const updated: ChangedResource[] = [];
  const warnings: string[] = [];
  let unchanged = 0;
  for (const r of after.resources) {
    const o = old.get(r.urn);
    if (!o) continue;
    const paths = changedPaths(o.inputs, r.inputs).filter((p) => !ignored(p, r.ignoreChanges ?? []));
    if (r.type === "alicloud:ros/stack:Stack" && paths.some((p) => topKey(p) === "templateBody")) warnings.push(...rosTableWarnings(o, r));
    if (paths.length === 0) {
      unchanged++;
      continue;
    }
    const forcingKeys = REPLACEMENT_FORCING[r.type] ?? [];
    const forcingPaths = paths.filter((p) => forcingKeys.includes(topKey(p)));
    const c: ChangedResource = { urn: r.urn, type: r.type, name: r.name, paths, forcing: forcingPaths, protect: r.protect || o.protect };
    (forcingPaths.length > 0 ? replaced : updated).push(c);
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
    unchanged,
    warnings: [...protectedWarnings, ...warnings],
  };
}

/** Whether the diff changes anything. */
export function hasChanges(d: PlanDiff): boolean {
  return d.created.length + d.deleted.length + d.replaced.length + d.updated.length > 0;
}

function line(verb: string, r: { name: string; type: string }): string {
  return `  ${verb} ${r.name} (${r.type})`;
}

/** One-line summary: `+2 created, -0 deleted, ~1 updated, ±0 replaced, 9 unchanged`. */
export function diffSummary(d: PlanDiff): string {
  return `+${d.created.length} to create, ~${d.updated.length} to update, +-${d.replaced.length} to replace, -${d.deleted.length} to delete, ${d.unchanged} unchanged`;
}

/** Text rendering of a diff. */
export function renderDiffText(d: PlanDiff, extra: readonly string[] = []): string {
  const out = [
    `photo-analytics: stack ${d.stack}: ${d.fromStage === d.toStage ? `stage ${d.toStage}` : `stage ${d.fromStage} -> ${d.toStage}`}`,
    diffSummary(d),
  ];
  for (const r of d.created) out.push(line("+", r));
  for (const r of d.updated) out.push(line("~", r), ...r.paths.map((p) => `      ${p}`));
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
  for (const w of d.warnings) out.push(`> :warning: ${w}`, "");
  if (hasChanges(d)) {
    out.push("| change | resource | type |", "|---|---|---|");
    for (const r of d.created) out.push(`| create | \`${r.name}\` | \`${r.type}\` |`);
    for (const r of d.updated) out.push(`| update | \`${r.name}\` | \`${r.type}\` |`);
    for (const r of d.replaced) out.push(`| **replace** | \`${r.name}\` | \`${r.type}\` |`);
    for (const r of d.deleted) out.push(`| **delete** | \`${r.name}\` | \`${r.type}\` |`);
    const details = [...d.updated, ...d.replaced];
    if (details.length > 0) {
      out.push("", "<details><summary>Changed inputs</summary>", "");
      for (const r of details) out.push(`- \`${r.name}\`: ${r.paths.map((p) => `\`${p}\`${r.forcing.includes(p) ? " (forces replacement)" : ""}`).join(", ")}`);
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
    summary: { created: d.created.length, updated: d.updated.length, replaced: d.replaced.length, deleted: d.deleted.length, unchanged: d.unchanged },
    created: d.created.map((r) => ({ urn: r.urn, type: r.type })),
    deleted: d.deleted.map((r) => ({ urn: r.urn, type: r.type, protect: r.protect })),
    updated: d.updated,
    replaced: d.replaced,
    warnings: d.warnings,
  };
}
