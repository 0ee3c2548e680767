/** The ram-least-privilege stack policy on plans with RAM policies. */
import { ramLeastPrivilege } from "../policy/ram-least-privilege";
import { stackArgs } from "../policy/evaluate";
import { PlannedResource } from "../lib/plan/types";
import { mcProject, plan, res } from "./cost-fixtures";
import { renderPolicy } from "../lib/ram/policy-document";
import { dtsWriterPolicy } from "../lib/ram/dts-writer";
import { exportWriterPolicy } from "../lib/sls/sls-objects";

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

describe("ram-least-privilege on MaxCompute project roles", () => {
  const project = String(mcProject.inputs.projectName);
  const role = (name: string, type: string, doc: unknown) =>
    res("alicloud:maxcompute/role:Role", name, { projectName: project, roleName: name, type, policy: JSON.stringify(doc) });

  it("passes the DTS writer's role as the stack builds it (lib/ram/dts-writer.ts)", async () => {
    const doc = JSON.parse(renderPolicy(dtsWriterPolicy(project, ["users", "page_views"])));
    expect(await problems([mcProject, role("dts_writer", "resource", doc)])).toEqual([]);
  });
  it("passes the SLS export's role (Describe, Alter, Update on its one table)", async () => {
    expect(await problems([mcProject, role("sls_export_writer", "resource", JSON.parse(exportWriterPolicy(project, "ods_user_events_sls")))])).toEqual([]);
  });
  it("fails an admin role, a wildcard action, a wildcard table and another project, naming each", async () => {
    const doc = {
      Version: "1",
      Statement: [
        { Effect: "Allow", Action: ["odps:*"], Resource: [`acs:odps:*:projects/${project}/tables/*`] },
        { Effect: "Allow", Action: ["odps:Update"], Resource: ["acs:odps:*:projects/someone_else/tables/t"] },
      ],
    };
    expect(await problems([mcProject, role("too-broad", "admin", doc)])).toEqual([
      'too-broad: type is "admin"; allowed: "resource" (an "admin" role manages the project\'s users and grants)',
      'too-broad: statement 0: Action "odps:*": list the MaxCompute actions one by one (odps:CreateTable, odps:Update, ...)',
      `too-broad: statement 0: Resource "acs:odps:*:projects/${project}/tables/*": allowed: acs:odps:*:projects/${project} or one object named below it (acs:odps:*:projects/${project}/tables/<table>), no wildcard`,
      `too-broad: statement 1: Resource "acs:odps:*:projects/someone_else/tables/t": allowed: acs:odps:*:projects/${project} or one object named below it (acs:odps:*:projects/${project}/tables/<table>), no wildcard`,
    ]);
  });
});
