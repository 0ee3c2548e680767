/** Records plans of test configs with the real program under mocks. */
import { recordPlan } from "../../plan-engine/record-plan";
import { Plan, PlannedResource } from "../../lib/plan/types";
import { input } from "./config";

export async function planOf(overrides: Record<string, unknown> = {}, stack = "test"): Promise<Plan> {
  return recordPlan({ stack, config: input(overrides) });
}

/** Cloud (non-component) resources of a type. */
export function ofType(plan: Plan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** The one resource with this logical name. */
export function named(plan: Plan, name: string): PlannedResource {
  const found = plan.resources.filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}: ${plan.resources.map((r) => r.name).join(", ")}`);
  return found[0];
}

/** `type` -> count, for cloud resources only. */
export function typeCounts(plan: Plan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of plan.resources) if (!r.component) out[r.type] = (out[r.type] ?? 0) + 1;
  return out;
}
