/** The ram-least-privilege stack policy on plans with RAM policies. */
import { ramLeastPrivilege } from "../policy/ram-least-privilege";
import { stackArgs } from "../policy/evaluate";
import { PlannedResource } from "../lib/plan/types";
import { mcProject, plan, res } from "./cost-fixtures";

async function problems(resources: PlannedResource[]): Promise<string[]> {
  const out: string[] = [];
  await ramLeastPrivilege.validateStack(stackArgs(plan(resources), { region: "cn-shanghai" }), (m) => out.push(m));
  return out;
}
const policy = (name: string, doc: unknown) => res("alicloud:ram/policy:Policy", name, { policyName: name, policyDocument: JSON.stringify(doc) });

describe("ram-least-privilege", () => {
  it("is not applicable without RAM policies (no violation)", async () => {
    expect(await problems([mcProject])).toEqual([]);
  });
  it("passes a writer scoped to the stack's MaxCompute project", async () => {
    const doc = {
      Version: "1",
      Statement: [{ Effect: "Allow", Action: "odps:*", Resource: `acs:odps:cn-shanghai:*:projects/${mcProject.inputs.projectName}/tables/*` }],
    };
    expect(await problems([mcProject, policy("writer", doc)])).toEqual([]);
  });
  it("fails * on * and another project, naming the policy and statement", async () => {
    const doc = {
      Version: "1",
      Statement: [
        { Effect: "Allow", Action: "*", Resource: "*" },
        { Effect: "Allow", Action: ["odps:Get*"], Resource: ["acs:odps:cn-shanghai:*:projects/someone_else"] },
      ],
    };
    const out = await problems([mcProject, policy("too-broad", doc)]);
    expect(out[0]).toBe(
      'too-broad: statement 0: Action "*" on Resource "*": a wildcard action on every resource is never allowed; list the actions and scope the resources',
    );
    expect(out).toContain(
      `too-broad: statement 1: Resource "acs:odps:cn-shanghai:*:projects/someone_else" is outside the stack's scope; allowed: acs:odps:cn-shanghai:*:projects/${mcProject.inputs.projectName}, acs:dts:cn-shanghai:*:instance/*, acs:ros:cn-shanghai:*:stack/* (and what lies below them)`,
    );
  });
});
