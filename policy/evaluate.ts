/**
 * Runs the `photo-analytics` policy pack (policy/) against an offline plan:
 * the same policy objects `pulumi preview --policy-pack policy` runs, called
 * with the plan's resources in CrossGuard's argument shape. No Pulumi engine.
 */
import type { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ALL_POLICIES } from "./policies";
import { PhotoAnalyticsPolicyConfig } from "./config";
import { CostConfigInput } from "../lib/cost/config";
import type { PriceFile } from "../lib/cost/price-file";
import { PROJECT, StackConfig } from "../lib/config/types";
import { Plan, PlannedResource } from "../lib/plan/types";

export type PolicyStatus = "pass" | "fail" | "not-applicable";

export interface PolicyVerdict {
  readonly policy: string;
  readonly description: string;
  readonly enforcementLevel: string;
  readonly status: PolicyStatus;
  /** Why the policy does not apply (status `not-applicable`). */
  readonly reason?: string;
  readonly violations: readonly { readonly urn?: string; readonly message: string }[];
}

/** The policy config of a stack, from its validated settings (and the raw `photo-analytics:cost`, and its region's price file). */
export function policyConfigFor(config: StackConfig, cost?: CostConfigInput, priceFile?: PriceFile): PhotoAnalyticsPolicyConfig {
  return {
    stage: config.stage,
    region: config.region,
    realtimeEnabled: config.realtime.enabled,
    realtimeEngine: config.realtime.engine,
    trackingLogstore: config.tracking.logstore,
    ...(config.budget.monthlyCny !== undefined ? { monthlyBudgetCny: config.budget.monthlyCny } : {}),
    ...(cost !== undefined ? { cost } : {}),
    ...(priceFile !== undefined ? { priceFile } : {}),
  };
}

/** {@link policyConfigFor} with the cost settings the stack's `photo-analytics:cost` value holds. */
export function policyConfigForStack(config: StackConfig, values: Readonly<Record<string, string>>, priceFile?: PriceFile): PhotoAnalyticsPolicyConfig {
  const raw = values[`${PROJECT}:cost`];
  return policyConfigFor(config, raw ? (JSON.parse(raw) as CostConfigInput) : undefined, priceFile);
}

class NotApplicable extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function opts(r: PlannedResource, parent: string | null) {
  return {
    protect: r.protect,
    retainOnDelete: r.retainOnDelete,
    ignoreChanges: [],
    deleteBeforeReplace: r.deleteBeforeReplace,
    aliases: [...r.aliases],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(parent !== null ? { parent } : {}),
  };
}

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason ?? "not applicable");
};
const noTypeChecks = { isType: () => false, asType: () => undefined };

/** CrossGuard's `ResourceValidationArgs` for a planned resource. */
export function resourceArgs(r: PlannedResource, config: PhotoAnalyticsPolicyConfig): ResourceValidationArgs {
  return {
    type: r.type,
    props: r.inputs as Record<string, unknown>,
    urn: r.urn,
    name: r.name,
    opts: opts(r, r.parent),
    stackTags: new Map(),
    getConfig: <T extends object>() => config as unknown as T,
    notApplicable,
    ...noTypeChecks,
  } as unknown as ResourceValidationArgs;
}

/** CrossGuard's `StackValidationArgs` for a plan (cloud resources and components). */
export function stackArgs(plan: Plan, config: PhotoAnalyticsPolicyConfig): StackValidationArgs {
  const resources: PolicyResource[] = plan.resources.map(
    (r) =>
      ({
        type: r.type,
        props: r.inputs,
        urn: r.urn,
        name: r.name,
        opts: opts(r, r.parent),
        dependencies: [],
        propertyDependencies: {},
        ...noTypeChecks,
      }) as unknown as PolicyResource,
  );
  return { resources, stackTags: new Map(), getConfig: <T extends object>() => config as unknown as T, notApplicable } as StackValidationArgs;
}

/** Every policy's verdict on `plan`, in pack order. */
export async function evaluatePlan(plan: Plan, config: PhotoAnalyticsPolicyConfig): Promise<PolicyVerdict[]> {
  const verdicts: PolicyVerdict[] = [];
  for (const policy of ALL_POLICIES) {
    const violations: { urn?: string; message: string }[] = [];
    let reason: string | undefined;
    try {
      if ("validateResource" in policy && policy.validateResource !== undefined) {
        const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
        for (const r of plan.resources.filter((x) => !x.component)) {
          const report: ReportViolation = (message) => violations.push({ urn: r.urn, message });
          try {
            for (const v of validations) await v(resourceArgs(r, config), report);
          } catch (e) {
            if (!(e instanceof NotApplicable)) throw e;
          }
        }
      } else {
        const report: ReportViolation = (message, urn) => violations.push({ ...(urn ? { urn } : {}), message });
        await (policy as StackValidationPolicy).validateStack(stackArgs(plan, config), report);
      }
    } catch (e) {
      if (!(e instanceof NotApplicable)) throw e;
      reason = e.reason;
    }
    verdicts.push({
      policy: policy.name,
      description: policy.description,
      enforcementLevel: policy.enforcementLevel ?? "advisory",
      status: reason !== undefined ? "not-applicable" : violations.length > 0 ? "fail" : "pass",
      ...(reason !== undefined ? { reason } : {}),
      violations,
    });
  }
  return verdicts;
}

/** Whether a mandatory policy failed (the plan CLI can exit 1 on it). */
export function hasMandatoryFailure(verdicts: readonly PolicyVerdict[]): boolean {
  return verdicts.some((v) => v.status === "fail" && v.enforcementLevel === "mandatory");
}
