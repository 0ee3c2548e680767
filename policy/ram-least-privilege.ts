import type { StackValidationPolicy } from "@pulumi/policy";
import { configSchema, PhotoAnalyticsPolicyConfig } from "./config";
import { PolicyDocument, policyProblems } from "../lib/ram/policy-document";
import { scopePrefixes } from "../lib/ram/ci-identity";

/**
 * Every RAM policy the stack creates is least-privilege (lib/ram/policy-document.ts): no
 * wildcard action on every resource, statements scoped to the stack's own MaxCompute
 * project, SLS projects, and DTS/ROS in its region; operation-level products with listed
 * actions. The scope comes from the stack's own resources.
 */
export const ramLeastPrivilege: StackValidationPolicy = {
  name: "ram-least-privilege",
  description: "RAM policies grant only what the stack's own resources need (no * on *, scoped to its project, logstores, region).",
  enforcementLevel: "mandatory",
  configSchema: configSchema("region"),
  validateStack: (args, report) => {
    const policies = args.resources.filter((r) => r.type === "alicloud:ram/policy:Policy");
    if (policies.length === 0) return;
    const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
    const projects = args.resources.filter((r) => r.type === "alicloud:maxcompute/project:Project").flatMap((r) => str(r.props.projectName) ?? []);
    const logProjects = args.resources
      .filter((r) => r.type === "alicloud:log/project:Project")
      .flatMap((r) => str(r.props.projectName) ?? str(r.props.name) ?? []);
    const region = args.getConfig<PhotoAnalyticsPolicyConfig>().region ?? "*";
    const prefixes = [
      ...projects.flatMap((p) => scopePrefixes({ region, maxcomputeProject: p }).resourcePrefixes),
      ...logProjects.flatMap((p) => scopePrefixes({ region, maxcomputeProject: "", slsProject: p }).resourcePrefixes.filter((x) => x.startsWith("acs:log:"))),
    ];
    for (const p of policies) {
      const text = str(p.props.policyDocument);
      if (text === undefined) continue; // unknown until deployment (computed): checked by `pulumi preview`
      let doc: PolicyDocument;
      try {
        doc = JSON.parse(text) as PolicyDocument;
      } catch {
        report(`${p.name}: policyDocument is not JSON`, p.urn);
        continue;
      }
      const normalized: PolicyDocument = {
        Version: "1",
        Statement: doc.Statement.map((s) => ({ ...s, Action: [s.Action].flat(), Resource: [s.Resource].flat() })),
      };
      for (const problem of policyProblems(normalized, { resourcePrefixes: [...new Set(prefixes)] })) {
        report(`${p.name}: statement ${problem.statement}: ${problem.message}`, p.urn);
      }
    }
  },
};
