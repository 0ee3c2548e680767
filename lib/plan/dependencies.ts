/**
 * What a planned resource waits for, read from the plan's dependency lists (`dependsOn`,
 * `inputDependencies`), so that ordering can be reviewed and tested. Pure.
 *
 * The Node SDK registers a resource only after its parent's registration returned, and a
 * component registers only once every resource of its `dependsOn` exists (the SDK awaits their
 * URNs, which the engine answers after the create): a resource therefore also waits for what its
 * ancestors' `dependsOn` names. A component named in a dependency stands for all its resources.
 */
import { Plan, PlannedResource } from "./types";

/** The resources below `urn` in the parent tree (not `urn` itself). */
function descendants(children: ReadonlyMap<string, readonly PlannedResource[]>, urn: string): string[] {
  const out: string[] = [];
  for (const c of children.get(urn) ?? []) out.push(c.urn, ...descendants(children, c.urn));
  return out;
}

/**
 * The URNs of every cloud resource (not component) that exists before the resource `urn` is
 * created: its own dependencies, its ancestors' `dependsOn`, and theirs in turn. Throws naming the
 * URN when the plan does not hold it.
 */
export function orderedAfter(plan: Plan, urn: string): Set<string> {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  if (!byUrn.has(urn)) throw new Error(`no resource ${urn} in the plan of stack ${plan.stack}`);
  const children = new Map<string, PlannedResource[]>();
  for (const r of plan.resources) if (r.parent !== null) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  /** What one resource names directly: its dependencies and every ancestor's dependsOn. */
  const direct = (r: PlannedResource): string[] => {
    const out = [...(r.dependsOn ?? []), ...(r.inputDependencies ?? [])];
    for (let p = r.parent === null ? undefined : byUrn.get(r.parent); p; p = p.parent === null ? undefined : byUrn.get(p.parent)) {
      out.push(...(p.dependsOn ?? []));
    }
    return out;
  };
  const seen = new Set<string>();
  const queue = direct(byUrn.get(urn) as PlannedResource);
  while (queue.length > 0) {
    const next = queue.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    const r = byUrn.get(next);
    if (!r) continue;
    queue.push(...direct(r));
    if (r.component) queue.push(...descendants(children, r.urn));
  }
  return new Set([...seen].filter((u) => byUrn.get(u)?.component === false));
}
