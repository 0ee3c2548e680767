/**
 * Least privilege for the MaxCompute project roles the stack grants to machine identities
 * (`alicloud.maxcompute.Role`: the DTS writer, the SLS export's writer). Their policies are
 * MaxCompute policy documents (`odps:<Action>` on `acs:odps:*:projects/<p>[/tables/<t>]`,
 * https://help.aliyun.com/en/maxcompute/use-cases/authorization-practices), evaluated by
 * MaxCompute inside the project rather than by RAM. Pure.
 *
 * A role is least-privilege when (`maxcomputeRoleProblems`):
 * - its type is `resource` (an `admin` role manages the project's users and grants);
 * - every Allow lists its actions (no `*` in an action: `odps:*`, `odps:Create*`);
 * - every resource is the stack's own project or an object named inside it (no `*` in a resource).
 */
import { maxcomputeProjectResource, PolicyDocument, PolicyProblem } from "./policy-document";

/** The role's inputs as the plan and the policy pack see them. */
export interface MaxComputeRoleFacts {
  readonly type: string;
  readonly policy: PolicyDocument;
}

/** Every problem of a MaxCompute project role against its project (empty when compliant). */
export function maxcomputeRoleProblems(role: MaxComputeRoleFacts, project: string): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  if (role.type !== "resource") {
    out.push({ statement: -1, message: `type is ${JSON.stringify(role.type)}; allowed: "resource" (an "admin" role manages the project's users and grants)` });
  }
  const projectArn = maxcomputeProjectResource(project);
  role.policy.Statement.forEach((s, i) => {
    if (s.Effect !== "Allow") return;
    for (const a of s.Action) {
      if (a.includes("*")) out.push({ statement: i, message: `Action "${a}": list the MaxCompute actions one by one (odps:CreateTable, odps:Update, ...)` });
      else if (!a.startsWith("odps:")) out.push({ statement: i, message: `Action "${a}": a MaxCompute role policy holds odps:<Action> only` });
    }
    for (const r of s.Resource) {
      if (r.includes("*", "acs:odps:*".length) || !(r === projectArn || r.startsWith(`${projectArn}/`))) {
        out.push({ statement: i, message: `Resource "${r}": allowed: ${projectArn} or one object named below it (${projectArn}/tables/<table>), no wildcard` });
      }
    }
  });
  return out;
}
