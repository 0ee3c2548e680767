import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { resolveCostConfig } from "../lib/cost/config";
import { estimate } from "../lib/cost/model";
import { budgetAmount, cny, hasRange } from "../lib/cost/render";
import { Plan, PlannedResource } from "../lib/plan/types";
import { configSchema, PhotoAnalyticsPolicyConfig } from "./config";

/** The plan form of CrossGuard's resources, for the cost model. */
export function planOfResources(resources: readonly Pick<PolicyResource, "urn" | "type" | "name" | "props" | "opts">[], stage = "", region = ""): Plan {
  const stack = resources[0]?.urn.split("::")[0]?.replace(/^urn:pulumi:/, "") ?? "";
  const planned: PlannedResource[] = resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.opts.parent ?? null,
    inputs: r.props,
    protect: r.opts.protect,
    retainOnDelete: (r.opts as { retainOnDelete?: boolean }).retainOnDelete ?? false,
    deleteBeforeReplace: r.opts.deleteBeforeReplace ?? false,
    aliases: r.opts.aliases ?? [],
    // Components are the project's own types (and the stack itself).
    component: r.type.startsWith("photo-analytics:") || r.type === "pulumi:pulumi:Stack" || r.type.startsWith("pulumi:providers:"),
  }));
  return { stack, stage, region, resources: planned, outputs: {} };
}

/** The stack's estimated monthly cost is within `monthlyBudgetCny`. */
export const monthlyBudget: StackValidationPolicy = {
  name: "monthly-budget",
  description: "The estimated monthly cost (lib/cost; the high end of its range unless cost.budgetBasis says otherwise) does not exceed budget.monthlyCny.",
  enforcementLevel: "mandatory",
  configSchema: configSchema("stage", "monthlyBudgetCny", "cost", "priceFile"),
  validateStack: (args, report) => {
    const c = args.getConfig<PhotoAnalyticsPolicyConfig>();
    if (c.monthlyBudgetCny === undefined) {
      args.notApplicable("no budget.monthlyCny configured");
      return;
    }
    const cost = resolveCostConfig(c.cost, c.priceFile);
    const est = estimate(planOfResources(args.resources, c.stage ?? ""), cost.sizes, cost.prices, cost.options);
    const amount = budgetAmount(est);
    if (amount > c.monthlyBudgetCny) {
      const top = [...est.resources].sort((a, b) => b.monthlyCny - a.monthlyCny).slice(0, 3);
      const what = hasRange(est)
        ? `estimated monthly cost ${cny(est.totalCny)} (range ${cny(est.lowCny)}-${cny(est.highCny)}; ${est.options.budgetBasis} end ${cny(amount)} compared, cost.budgetBasis)`
        : `estimated monthly cost ${cny(amount)}`;
      const open = est.notPriced.length > 0 ? `; not priced: ${est.notPriced.join(", ")}` : "";
      report(
        `${what} exceeds the budget ${cny(c.monthlyBudgetCny)} (budget.monthlyCny); largest: ${top.map((r) => `${r.name} ${cny(r.monthlyCny)}`).join(", ")}${open}`,
      );
    }
  },
};
