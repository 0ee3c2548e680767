/**
 * The identity DTS writes MaxCompute as (`realtime.dts.writer: managed`): a RAM user of its own,
 * a MaxCompute project role with only what DTS needs on the tables it writes, the user's
 * membership in that role, and the user's AccessKey, whose secret reaches the DTS job as a Pulumi
 * secret and nowhere else. The grants and their sources: lib/ram/dts-writer.ts.
 *
 * Provider facts (aliyun/terraform-provider-alicloud):
 * - `alicloud.ram.User` (resource_alicloud_ram_user.go @ 0612d7569dc6c40e76b6758f08452274361dc863):
 *   the id is the RAM UserId; `name` is updated in place (UpdateUser); `force: true` lets Delete
 *   remove the user's AccessKeys, policies and login profile first. No RAM policy is attached:
 *   MaxCompute authorizes the user inside the project.
 * - `alicloud.ram.AccessKey` (resource_alicloud_ram_access_key.go @ 915751ca4fc07a1c89b97adc164f2312dc2a7fdb):
 *   the id is the AccessKeyId; without `pgp_key` Create stores the secret in the computed, Sensitive
 *   attribute `secret` (`d.Set("secret", ...)`); `user_name`, `secret_file` and `pgp_key` are
 *   ForceNew. No `secretFile` (it would write the pair to the deploying machine's disk) and no
 *   `pgpKey` (DTS needs the plain secret): the SDK marks `secret` an additional secret output, so
 *   it stays encrypted in state and is `[secret]` in every plan and preview.
 * - `alicloud.maxcompute.Role` (resource_alicloud_max_compute_role.go @ 47511266efe5cf0282a1ecd6349de53bc78c2383):
 *   `type` admin|resource (sent by Create only), `policy` JSON updated in place (a changed table set
 *   updates the grant, no replacement).
 * - `alicloud.maxcompute.RoleUserAttachment` (resource_alicloud_max_compute_role_user_attachment.go @
 *   2a0ec277b0ff4846f24e35300d62edc0708520aa): UpdateUsersToRole `{"add": [user]}`, every input ForceNew.
 *
 * Keys and rotation: one `${name}-key-<generation>` per kept generation (lib/ram/dts-writer.ts
 * `writerKeyGenerations`): raising `writerKeyGeneration` creates the new key and keeps the previous
 * one; `retiredWriterKeyGeneration` deletes it once the running job has switched (docs/realtime-dts.md).
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import { renderPolicy } from "../../lib/ram/policy-document";
import { DTS_WRITER_ROLE, DtsWriterSummary, dtsWriterPolicy, dtsWriterUserName, writerKeyGenerations } from "../../lib/ram/dts-writer";
import { TYPES } from "../../lib/plan/type-tokens";
import { createProjectRole, maxcomputeUserOf } from "../maxcompute/project-role";

export interface DtsWriterArgs {
  /** MaxCompute project DTS writes into (the warehouse's output). Names the RAM user; changing it replaces the user, role and grant. */
  readonly maxcomputeProject: pulumi.Input<string>;
  /** The realtime source tables; the role holds `<t>_base` and `<t>_log` of these only. At least one. */
  readonly tables: readonly string[];
  /** Generation of the AccessKey new DTS jobs get (>= 1). @default 1 */
  readonly keyGeneration?: number;
  /** Keys up to this generation are deleted (0 to keyGeneration - 1). @default 0 */
  readonly retiredKeyGeneration?: number;
}

/** Logical child names, derived from the component name (public contract). */
export function dtsWriterChildNames(name: string): { user: string; role: string; grant: string; key: (generation: number) => string } {
  return { user: `${name}-user`, role: `${name}-role`, grant: `${name}-grant`, key: (g) => `${name}-key-${g}` };
}

export class DtsWriter extends pulumi.ComponentResource {
  /** Type token (lib/plan/type-tokens.ts). */
  public static readonly TYPE = TYPES.DtsWriter;
  readonly user: alicloud.ram.User;
  readonly role: alicloud.maxcompute.Role;
  /** The user as a member of {@link role}: the job waits for it. */
  readonly grant: alicloud.maxcompute.RoleUserAttachment;
  /** Every kept key, by generation (ascending): the active one and, until retired, the previous one. */
  readonly keys: ReadonlyMap<number, alicloud.ram.AccessKey>;
  /** The AccessKey id new DTS jobs get (a secret Output, as the config's pair is). */
  readonly accessKeyId: pulumi.Output<string>;
  /** Its secret (a secret Output). */
  readonly accessKeySecret: pulumi.Output<string>;
  /** What the `dtsWriter` stack output says. */
  readonly summary: pulumi.Output<DtsWriterSummary>;

  constructor(name: string, args: DtsWriterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DtsWriter.TYPE, name, {}, opts);
    const generation = args.keyGeneration ?? 1;
    const retired = args.retiredKeyGeneration ?? 0;
    let generations: number[];
    try {
      generations = writerKeyGenerations(generation, retired);
    } catch (e) {
      throw new pulumi.ResourceError(`DtsWriter ${name}: args.keyGeneration / args.retiredKeyGeneration: ${(e as Error).message}`, this);
    }
    if (args.tables.length === 0) {
      throw new pulumi.ResourceError(
        `DtsWriter ${name}: args.tables is empty; the writer is granted the _base/_log tables of at least one realtime table`,
        this,
      );
    }
    const names = dtsWriterChildNames(name);
    const child = { parent: this };
    const project = pulumi.output(args.maxcomputeProject);
    const userName = project.apply(dtsWriterUserName);

    this.user = new alicloud.ram.User(
      names.user,
      {
        name: userName,
        displayName: "photo-analytics DTS writer",
        comments: project.apply((p) => `DTS writes MaxCompute project ${p} as this user (realtime.dts.writer managed); no RAM policy, no console login`),
        // Delete removes the user's AccessKeys first (realtime switched off removes the writer).
        force: true,
      },
      child,
    );
    ({ role: this.role, grant: this.grant } = createProjectRole(
      names.role,
      names.grant,
      {
        project,
        roleName: DTS_WRITER_ROLE,
        policy: project.apply((p) => renderPolicy(dtsWriterPolicy(p, args.tables))),
        member: maxcomputeUserOf(this.user, this),
      },
      child,
    ));
    const keys = new Map<number, alicloud.ram.AccessKey>();
    for (const g of generations) {
      // No pgpKey / secretFile: the secret stays in the provider's Sensitive `secret`, which the SDK
      // registers as an additional secret output (@pulumi/alicloud ram/accessKey.js).
      keys.set(g, new alicloud.ram.AccessKey(names.key(g), { userName: this.user.name }, child));
    }
    this.keys = keys;
    const active = keys.get(generation) as alicloud.ram.AccessKey;
    this.accessKeyId = pulumi.secret(active.id);
    this.accessKeySecret = pulumi.secret(active.secret);
    this.summary = userName.apply((ramUser) => ({
      mode: "managed" as const,
      ramUser,
      maxcomputeRole: DTS_WRITER_ROLE,
      keyGeneration: generation,
      keptKeyGenerations: generations,
    }));
    this.registerOutputs({ userName, roleName: DTS_WRITER_ROLE, keyGeneration: generation, keptKeyGenerations: generations });
  }
}
