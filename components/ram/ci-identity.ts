/**
 * CiIdentity: what lets GitHub Actions deploy and preview the stacks without a stored
 * AccessKey. One RAM OIDC provider for GitHub's issuer; per GitHub environment a deploy
 * role that trusts only `repo:<repository>:environment:<env>` with a policy scoped to that
 * stack (lib/ram/ci-identity.ts `deployPolicy`); one preview role that trusts only the
 * repository's pull-request jobs, with reads only. Declared by the bootstrap program
 * (bootstrap/index.ts), deployed once by an account administrator.
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import {
  DEFAULT_AUDIENCE,
  deployPolicy,
  DTS_READ_ONLY_SYSTEM_POLICY,
  githubSubject,
  githubTrustPolicy,
  GITHUB_FINGERPRINTS,
  GITHUB_ISSUER,
  previewPolicy,
  StackScope,
} from "../../lib/ram/ci-identity";
import { renderPolicy } from "../../lib/ram/policy-document";
import { TYPES } from "../../lib/plan/type-tokens";

/** Arguments of {@link CiIdentity}. */
export interface CiIdentityArgs {
  /** GitHub repository, `owner/name`. */
  readonly repository: string;
  /** GitHub environment name -> the scope of the stack it deploys (e.g. `dev`, `prod`). */
  readonly environments: Readonly<Record<string, StackScope>>;
  /** RAM OIDC provider name (unique in the account). @default "github-actions" */
  readonly oidcProviderName?: string;
  /** Token audience; must equal the workflow action's `audience`. @default "github-actions" */
  readonly audience?: string;
  /** Issuer certificate fingerprints. @default GitHub's published ones */
  readonly fingerprints?: readonly string[];
  /** Prefix of the RAM role and policy names. @default "photo-analytics" */
  readonly namePrefix?: string;
  /** Session length of the STS credentials, seconds (RAM allows 3600-43200). @default 3600 */
  readonly maxSessionDurationSeconds?: number;
}

/** The OIDC provider and the deploy and preview roles. */
export class CiIdentity extends pulumi.ComponentResource {
  public static readonly TYPE = TYPES.CiIdentity;
  public readonly oidcProviderArn: pulumi.Output<string>;
  /** GitHub environment -> deploy role ARN (set as the environment's variable ALIBABA_CLOUD_DEPLOY_ROLE_ARN). */
  public readonly deployRoleArns: Record<string, pulumi.Output<string>>;
  /** The preview role ARN (repository variable ALIBABA_CLOUD_PREVIEW_ROLE_ARN). */
  public readonly previewRoleArn: pulumi.Output<string>;

  constructor(name: string, args: CiIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CiIdentity.TYPE, name, {}, opts);
    const envs = Object.keys(args.environments).sort();
    if (envs.length === 0) throw new pulumi.ResourceError(`${name}: environments is empty; name at least one GitHub environment (e.g. dev)`, this);
    const bad = envs.filter((e) => !/^[A-Za-z0-9_-]{1,60}$/.test(e));
    if (bad.length > 0) throw new pulumi.ResourceError(`${name}: environment names ${bad.join(", ")} are not allowed; letters, digits, "_" and "-" only`, this);
    const session = args.maxSessionDurationSeconds ?? 3600;
    if (!Number.isInteger(session) || session < 3600 || session > 43200) {
      throw new pulumi.ResourceError(`${name}: maxSessionDurationSeconds ${session} is not allowed; RAM accepts 3600-43200`, this);
    }
    const prefix = args.namePrefix ?? "photo-analytics";
    const audience = args.audience ?? DEFAULT_AUDIENCE;
    // Validates the repository before any resource is registered.
    const previewSubject = githubSubject(args.repository, "pull_request");

    const provider = new alicloud.ims.OidcProvider(
      `${name}-github`,
      {
        oidcProviderName: args.oidcProviderName ?? "github-actions",
        issuerUrl: GITHUB_ISSUER,
        clientIds: [audience],
        fingerprints: [...(args.fingerprints ?? GITHUB_FINGERPRINTS)],
        // Hours a token may be older than its use (1-168; provider schema IntBetween(1, 168)).
        issuanceLimitTime: 1,
        description: `GitHub Actions of ${args.repository}`,
      },
      { parent: this },
    );
    this.oidcProviderArn = provider.arn;

    const role = (id: string, roleName: string, subject: string, description: string, policy: string, systemPolicies: string[] = []) => {
      const r = new alicloud.ram.Role(
        `${name}-${id}`,
        {
          roleName,
          // Updatable in place; the provider compares documents as JSON (DiffSuppressFunc
          // compareJsonTemplateAreEquivalent), so key order never causes a diff
          // (alicloud/resource_alicloud_ram_role.go @ 168754df).
          assumeRolePolicyDocument: provider.arn.apply((arn) => JSON.stringify(githubTrustPolicy(arn, subject, audience))),
          maxSessionDuration: session,
          description,
        },
        { parent: this },
      );
      const p = new alicloud.ram.Policy(
        `${name}-${id}`,
        {
          policyName: roleName,
          policyDocument: policy,
          description,
          // A policy keeps at most 5 versions: without rotation the 6th change would fail.
          rotateStrategy: "DeleteOldestNonDefaultVersionWhenLimitExceeded",
        },
        { parent: this },
      );
      new alicloud.ram.RolePolicyAttachment(`${name}-${id}`, { roleName: r.roleName, policyName: p.policyName, policyType: "Custom" }, { parent: this });
      for (const sp of systemPolicies) {
        new alicloud.ram.RolePolicyAttachment(`${name}-${id}-${sp}`, { roleName: r.roleName, policyName: sp, policyType: "System" }, { parent: this });
      }
      return r;
    };

    this.deployRoleArns = {};
    for (const env of envs) {
      const r = role(
        `deploy-${env}`,
        `${prefix}-deploy-${env}`,
        githubSubject(args.repository, { environment: env }),
        `pulumi up of the ${env} stack from GitHub environment ${env} of ${args.repository}`,
        renderPolicy(deployPolicy(args.environments[env])),
      );
      this.deployRoleArns[env] = r.arn;
    }
    this.previewRoleArn = role(
      "preview",
      `${prefix}-preview`,
      previewSubject,
      `pulumi preview of every stack from pull requests of ${args.repository}`,
      renderPolicy(previewPolicy(envs.map((e) => args.environments[e]))),
      [DTS_READ_ONLY_SYSTEM_POLICY],
    ).arn;
    this.registerOutputs({ oidcProviderArn: this.oidcProviderArn, previewRoleArn: this.previewRoleArn });
  }
}
