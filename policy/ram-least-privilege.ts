import type { StackValidationPolicy } from "@pulumi/policy";
import { configSchema, PhotoAnalyticsPolicyConfig } from "./config";
import { PolicyDocument, policyProblems } from "../lib/ram/policy-document";
import { scopePrefixes } from "../lib/ram/ci-identity";
import { maxcomputeRoleProblems } from "../lib/ram/maxcompute-role-policy";
import { TYPES } from "../lib/plan/type-tokens";

/**
 * Every RAM policy the stack creates is least-privilege (lib/ram/policy-document.ts): no
 * wildcard action on every resource, statements scoped to the stack's own MaxCompute
 * project, SLS projects, and DTS/ROS in its region; operation-level products with listed
 * actions. The scope comes from the stack's own resources. The same for every MaxCompute
 * project role the stack grants to a machine identity (the DTS writer, the SLS export's writer;
 * lib/ram/maxcompute-role-policy.ts): type `resource`, listed `odps:` actions, objects named
 * inside the role's own project.
 */
/** A policy document as the provider holds it (JSON text), with single actions and resources as lists; undefined when not JSON. */
function parsePolicy(text: string): PolicyDocument | undefined {
  let doc: PolicyDocument;
  try {
    doc = JSON.parse(text) as PolicyDocument;
  } catch {
    return undefined;
  }
  return { Version: "1", Statement: (doc.Statement ?? []).map((s) => ({ ...s, Action: [s.Action].flat(), Resource: [s.Resource].flat() })) };
}

export const ramLeastPrivilege: StackValidationPolicy = {
  name: "ram-least-privilege",
  description:
    "RAM policies and MaxCompute project roles grant only what the stack's own resources need (no * on *, listed actions, scoped to its project, logstores, region).",
  enforcementLevel: "mandatory",
  configSchema: configSchema("region"),
  validateStack: (args, report) => {
    const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
    for (const r of args.resources.filter((x) => x.type === TYPES.maxcomputeRole)) {
      const project = str(r.props.projectName);
      const text = str(r.props.policy);
      if (project === undefined || text === undefined) continue; // unknown until deployment: checked by `pulumi preview`
      const normalized = parsePolicy(text);
      if (normalized === undefined) {
        report(`${r.name}: policy is not JSON`, r.urn);
        continue;
      }
      for (const problem of maxcomputeRoleProblems({ type: str(r.props.type) ?? "", policy: normalized }, project)) {
        report(`${r.name}: ${problem.statement < 0 ? "" : `statement ${problem.statement}: `}${problem.message}`, r.urn);
      }
    }
    const policies = args.resources.filter((r) => r.type === TYPES.ramPolicy);
    if (policies.length === 0) return;
    const projects = args.resources.filter((r) => r.type === TYPES.maxcomputeProject).flatMap((r) => str(r.props.projectName) ?? []);
    const logProjects = args.resources.filter((r) => r.type === TYPES.logProject).flatMap((r) => str(r.props.projectName) ?? str(r.props.name) ?? []);
    const region = args.getConfig<PhotoAnalyticsPolicyConfig>().region ?? "*";
    const prefixes = [
      ...projects.flatMap((p) => scopePrefixes({ region, maxcomputeProject: p }).resourcePrefixes),
      ...logProjects.flatMap((p) => scopePrefixes({ region, maxcomputeProject: "", slsProject: p }).resourcePrefixes.filter((x) => x.startsWith("acs:log:"))),
    ];
    for (const p of policies) {
      const text = str(p.props.policyDocument);
      if (text === undefined) continue; // unknown until deployment (computed): checked by `pulumi preview`
      const normalized = parsePolicy(text);
      if (normalized === undefined) {
        report(`${p.name}: policyDocument is not JSON`, p.urn);
        continue;
      }
      for (const problem of policyProblems(normalized, { resourcePrefixes: [...new Set(prefixes)] })) {
        report(`${p.name}: statement ${problem.statement}: ${problem.message}`, p.urn);
      }
    }
  },
};
