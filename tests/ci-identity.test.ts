/**
 * The bootstrap program (bootstrap/): GitHub OIDC provider, one deploy role per environment
 * trusting only that environment, one preview role trusting only pull requests; every
 * custom policy passes the least-privilege check. Recorded under mocks like the main plan.
 */
import { recordPlan } from "../plan-engine/record-plan";
import { buildBootstrap } from "../bootstrap/program";
import { Plan } from "../lib/plan/types";
import { policyProblems, PolicyDocument } from "../lib/ram/policy-document";
import { scopePrefixes, stackScope } from "../lib/ram/ci-identity";
import { loadStackConfig, readStackFile, stackFilePath } from "../project-files";
import { environmentScopes } from "../bootstrap/program";

/** The project's stacks (every Pulumi.<name>.yaml): the bootstrap trusts one environment per stack. */
const STACKS = Object.keys(environmentScopes(undefined)).sort();
import { behaviourOf, classifyPath } from "../lib/plan/provider-behaviour-table";

async function bootstrapPlan(values: Record<string, string>): Promise<Plan> {
  return recordPlan({ stack: "ci", config: { values, secretKeys: new Set() }, program: buildBootstrap });
}

const byType = (p: Plan, t: string) => p.resources.filter((r) => r.type === t);

describe("bootstrap program", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await bootstrapPlan({ "photo-analytics:repository": "acme/photo-analytics" });
  });

  it("declares the provider, a deploy role per stack, one preview role, their policies and attachments", () => {
    expect(STACKS).toEqual(expect.arrayContaining(["dev", "prod"]));
    const counts: Record<string, number> = {};
    for (const r of plan.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    expect(counts).toEqual({
      "photo-analytics:ram:CiIdentity": 1,
      "alicloud:ims/oidcProvider:OidcProvider": 1,
      "alicloud:ram/role:Role": STACKS.length + 1,
      "alicloud:ram/policy:Policy": STACKS.length + 1,
      "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment": STACKS.length + 2,
    });
  });

  it("the OIDC provider is GitHub's issuer for the action's audience", () => {
    const [p] = byType(plan, "alicloud:ims/oidcProvider:OidcProvider");
    expect(p.inputs).toMatchObject({
      oidcProviderName: "github-actions",
      issuerUrl: "https://token.actions.githubusercontent.com",
      clientIds: ["github-actions"],
      fingerprints: ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"],
    });
  });

  it("each role trusts exactly one subject", () => {
    const roles = byType(plan, "alicloud:ram/role:Role").map((r) => [r.inputs.roleName, r.inputs.maxSessionDuration]);
    expect(roles).toEqual([...STACKS.map((s) => [`photo-analytics-deploy-${s}`, 3600]), ["photo-analytics-preview", 3600]]);
    // The trust policy depends on the provider's ARN: unknown before it exists, as in a first preview.
    for (const r of byType(plan, "alicloud:ram/role:Role")) expect(r.inputs.assumeRolePolicyDocument).toBe("[computed]");
  });

  it("every custom policy is least-privilege for the stacks it deploys, with version rotation", () => {
    const prefixes = Object.fromEntries(
      STACKS.map((s) => [s, [...scopePrefixes(stackScope(loadStackConfig(readStackFile(stackFilePath(s))))).resourcePrefixes]]),
    );
    const scopes: Record<string, string[]> = {
      ...Object.fromEntries(STACKS.map((s) => [`photo-analytics-deploy-${s}`, prefixes[s]])),
      "photo-analytics-preview": STACKS.flatMap((s) => prefixes[s]),
    };
    for (const p of byType(plan, "alicloud:ram/policy:Policy")) {
      expect(p.inputs.rotateStrategy).toBe("DeleteOldestNonDefaultVersionWhenLimitExceeded");
      const doc = JSON.parse(p.inputs.policyDocument as string) as PolicyDocument;
      expect(policyProblems(doc, { resourcePrefixes: scopes[p.inputs.policyName as string] })).toEqual([]);
    }
  });

  it("previews also get DTS's read-only system policy, deploys do not", () => {
    const att = byType(plan, "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment").map((a) => [a.name, a.inputs.policyType, a.inputs.policyName]);
    expect(att.filter((a) => a[1] === "System")).toEqual([["ci-preview-AliyunDTSReadOnlyAccess", "System", "AliyunDTSReadOnlyAccess"]]);
  });

  it("fails before registering anything when the repository is not owner/name", async () => {
    await expect(bootstrapPlan({ "photo-analytics:repository": "photo-analytics" })).rejects.toThrow(
      'repository "photo-analytics" is not "owner/name" (e.g. "acme/photo-analytics")',
    );
  });

  it("trusts only the environments named in config", async () => {
    const only = await bootstrapPlan({ "photo-analytics:repository": "acme/photo-analytics", "photo-analytics:environments": '["prod"]' });
    expect(byType(only, "alicloud:ram/role:Role").map((r) => r.inputs.roleName)).toEqual(["photo-analytics-deploy-prod", "photo-analytics-preview"]);
  });

  it("every type it registers has a provider-behaviour row read from the Go source, and every input it sets is classified", () => {
    const cloud = plan.resources.filter((r) => !r.component);
    for (const t of new Set(cloud.map((r) => r.type))) expect([t, behaviourOf(t)?.source]).toEqual([t, expect.stringMatching(/\.go @[0-9a-f]{40}/)]);
    const unknown = cloud.flatMap((r) =>
      Object.keys(r.inputs)
        .filter((k) => classifyPath(behaviourOf(r.type), k, [k]).effect === "unknown")
        .map((k) => `${r.type} ${k}`),
    );
    expect(unknown).toEqual([]);
  });

  it("a changed policy description is an update (UpdatePolicyDescription; its ForceNew was removed before v1.289.0), a changed document too", () => {
    const b = behaviourOf("alicloud:ram/policy:Policy");
    expect(classifyPath(b, "description", ["description"]).effect).toBe("update");
    expect(classifyPath(b, "policyName", ["policyName"]).effect).toBe("replace");
    expect(classifyPath(b, "policyDocument", ["policyDocument"]).effect).toBe("update");
    expect(classifyPath(b, "rotateStrategy", ["rotateStrategy"]).effect).toBe("dropped");
    expect(classifyPath(behaviourOf("alicloud:ims/oidcProvider:OidcProvider"), "fingerprints[0]", ["fingerprints"]).effect).toBe("update");
  });
});
