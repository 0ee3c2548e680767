/**
 * A MaxCompute project role and the one member granted it, as the stack's writers and readers use
 * them (the SLS export's writer role, the managed DTS writer, the realtime metrics reader): the role
 * holds a policy (MaxCompute authorizes data access inside the project), the grant waits for it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import { maxcomputeUserOfRamUser } from "../../lib/ram/dts-writer";

/** Arguments of {@link createProjectRole}. */
export interface ProjectRoleArgs {
  readonly project: pulumi.Input<string>;
  readonly roleName: string;
  /** The role's policy document, rendered. */
  readonly policy: pulumi.Input<string>;
  /** The member's MaxCompute user name (`RAM$<account>:<user id>`, `RAM$<account>:role/<role>`). */
  readonly member: pulumi.Input<string>;
}

/** `roleResourceName` (the role) and `grantResourceName` (its member), children of `opts.parent`. */
export function createProjectRole(
  roleResourceName: string,
  grantResourceName: string,
  args: ProjectRoleArgs,
  opts: pulumi.CustomResourceOptions,
): { role: alicloud.maxcompute.Role; grant: alicloud.maxcompute.RoleUserAttachment } {
  const role = new alicloud.maxcompute.Role(
    roleResourceName,
    { projectName: args.project, roleName: args.roleName, type: "resource", policy: args.policy },
    opts,
  );
  const grant = new alicloud.maxcompute.RoleUserAttachment(grantResourceName, { projectName: args.project, roleName: role.roleName, user: args.member }, opts);
  return { role, grant };
}

/** A RAM user's MaxCompute user name, `RAM$<account id>:<user id>`, with the deploying account's id (a placeholder under mocks). */
export function maxcomputeUserOf(user: alicloud.ram.User, parent: pulumi.Resource): pulumi.Output<string> {
  return pulumi.all([alicloud.callerAccountId(parent), user.id]).apply(([account, id]) => maxcomputeUserOfRamUser(account, id));
}
