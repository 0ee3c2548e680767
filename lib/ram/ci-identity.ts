/**
 * The identities CI uses, as data: GitHub's OIDC token is exchanged for short-lived STS
 * credentials of a RAM role that trusts only this repository (and, for deploys, only one
 * GitHub environment). No AccessKey is stored anywhere. Pure: `components/ram/ci-identity.ts`
 * declares the resources, `bootstrap/` is the program that deploys them once.
 *
 * Sources:
 * - trust policy and condition keys (`sts:AssumeRoleWithOIDC`, `oidc:iss`, `oidc:aud`,
 *   `oidc:sub`): https://help.aliyun.com/zh/ram/user-guide/overview-of-oidc-based-sso and
 *   https://help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-assumerolewithoidc
 * - GitHub's subject claims (`repo:OWNER/REPO:environment:NAME`, `repo:OWNER/REPO:pull_request`):
 *   https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
 * - the exchange in the workflow: aliyun/configure-aliyun-credentials-action (inputs
 *   `role-to-assume`, `oidc-provider-arn`, `audience` defaulting to "github-actions"; it exports
 *   ALIBABA_CLOUD_* and ALICLOUD_* variables that the alicloud provider and this project read).
 */
import type { StackConfig } from "../config/types";
import { engineOn } from "../config/realtime";
import { PolicyDocument, PolicyScope } from "./policy-document";

/** GitHub Actions' OIDC issuer. */
export const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
/** The audience aliyun/configure-aliyun-credentials-action requests by default. */
export const DEFAULT_AUDIENCE = "github-actions";
/**
 * SHA-1 fingerprints of token.actions.githubusercontent.com's certificate chain, as GitHub
 * published them (https://github.blog/changelog/2023-06-27-github-actions-update-on-oidc-integration-with-aws/).
 * RAM's OIDC provider requires at least one (CreateOIDCProvider `Fingerprints`); override in
 * the bootstrap config when GitHub rotates them.
 */
export const GITHUB_FINGERPRINTS = ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"] as const;

/** `owner/name` of a GitHub repository. */
export const REPOSITORY_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** The subject claim of a job in a GitHub environment (deploys) or of a pull-request job (previews). */
export function githubSubject(repository: string, who: { environment: string } | "pull_request"): string {
  if (!REPOSITORY_PATTERN.test(repository)) {
    throw new Error(`repository ${JSON.stringify(repository)} is not "owner/name" (e.g. "acme/photo-analytics")`);
  }
  return who === "pull_request" ? `repo:${repository}:pull_request` : `repo:${repository}:environment:${who.environment}`;
}

/** A RAM role's trust policy (AssumeRolePolicyDocument) that trusts one OIDC subject. */
export interface TrustPolicy {
  readonly Version: "1";
  readonly Statement: readonly {
    readonly Effect: "Allow";
    readonly Action: "sts:AssumeRoleWithOIDC";
    readonly Principal: { readonly Federated: readonly string[] };
    readonly Condition: { readonly StringEquals: Readonly<Record<"oidc:iss" | "oidc:aud" | "oidc:sub", string>> };
  }[];
}

/** Trust only `subject`, with tokens from GitHub for `audience`, through `oidcProviderArn`. */
export function githubTrustPolicy(oidcProviderArn: string, subject: string, audience: string = DEFAULT_AUDIENCE): TrustPolicy {
  return {
    Version: "1",
    Statement: [
      {
        Effect: "Allow",
        Action: "sts:AssumeRoleWithOIDC",
        Principal: { Federated: [oidcProviderArn] },
        Condition: { StringEquals: { "oidc:iss": GITHUB_ISSUER, "oidc:aud": audience, "oidc:sub": subject } },
      },
    ],
  };
}

/** What one stack owns, as RAM sees it. */
export interface StackScope {
  readonly region: string;
  readonly maxcomputeProject: string;
  /** The tracking SLS project, when tracking is on. */
  readonly slsProject?: string;
}

/** The scope of a validated stack config. */
export function stackScope(c: Pick<StackConfig, "region" | "warehouse" | "tracking" | "realtime">): StackScope {
  const sls = c.tracking.enabled || engineOn(c, "sls");
  return { region: c.region, maxcomputeProject: c.warehouse.projectName, slsProject: sls ? c.tracking.projectName : undefined };
}

/** ARN prefixes of a scope (what `policyProblems` accepts). */
export function scopePrefixes(s: StackScope): PolicyScope {
  return {
    resourcePrefixes: [
      `acs:odps:${s.region}:*:projects/${s.maxcomputeProject}`,
      ...(s.slsProject ? [`acs:log:${s.region}:*:project/${s.slsProject}`] : []),
      `acs:dts:${s.region}:*:instance/*`,
      `acs:ros:${s.region}:*:stack/*`,
    ],
  };
}

/**
 * The DataWorks OpenAPI actions a deploy makes: the provider's Project, DataSource, DiJob and
 * DiAlarmRule resources, and this project's clients (nodes and their deployment, DI job
 * start/stop, compute resource, resource-group association). DataWorks authorizes per
 * operation (lib/ram/products.ts), so they are listed one by one.
 */
export const DATAWORKS_DEPLOY_ACTIONS = [
  "CreateProject", "GetProject", "UpdateProject", "DeleteProject",
  "CreateDataSource", "GetDataSource", "UpdateDataSource", "DeleteDataSource",
  "CreateDIJob", "GetDIJob", "UpdateDIJob", "DeleteDIJob", "StartDIJob", "StopDIJob",
  "CreateDIAlarmRule", "GetDIAlarmRule", "UpdateDIAlarmRule", "DeleteDIAlarmRule",
  "CreateNode", "GetNode", "UpdateNode", "DeleteNode",
  "CreatePipelineRun", "GetPipelineRun", "ExecPipelineRunStage",
  "CreateComputeResource", "GetComputeResource", "UpdateComputeResource", "DeleteComputeResource",
  "AssociateProjectToResourceGroup", "DissociateProjectFromResourceGroup", "GetResourceGroup",
].map((a) => `dataworks:${a}`); // prettier-ignore

/** The read-only DataWorks actions a preview (and `npm run verify`) makes. */
export const DATAWORKS_READ_ACTIONS = [
  "GetProject",
  "GetDataSource",
  "GetDIJob",
  "GetDIAlarmRule",
  "GetNode",
  "GetPipelineRun",
  "GetComputeResource",
  "GetResourceGroup",
  "ListDIJobs",
  "ListNodes",
].map((a) => `dataworks:${a}`);

function scopedResources(s: StackScope): { odps: string[]; log: string[]; dts: string[]; ros: string[] } {
  return {
    odps: [`acs:odps:${s.region}:*:projects/${s.maxcomputeProject}`, `acs:odps:${s.region}:*:projects/${s.maxcomputeProject}/*`],
    log: s.slsProject ? [`acs:log:${s.region}:*:project/${s.slsProject}`, `acs:log:${s.region}:*:project/${s.slsProject}/*`] : [],
    // DTS has no action-level authorization ("Only resource-level authorization is supported"): the
    // instance is the unit; its id is not known before creation, so: the region's instances.
    dts: [`acs:dts:${s.region}:*:instance/*`],
    ros: [`acs:ros:${s.region}:*:stack/*`],
  };
}

/** What `pulumi up` of one stack needs: its MaxCompute project, SLS project, DTS and ROS in its region, the DataWorks operations. */
export function deployPolicy(s: StackScope): PolicyDocument {
  const r = scopedResources(s);
  return {
    Version: "1",
    Statement: [
      { Effect: "Allow", Action: ["odps:*"], Resource: r.odps },
      ...(r.log.length > 0 ? [{ Effect: "Allow" as const, Action: ["log:*"], Resource: r.log }] : []),
      { Effect: "Allow", Action: ["dts:*"], Resource: r.dts },
      { Effect: "Allow", Action: ["ros:*"], Resource: r.ros },
      { Effect: "Allow", Action: DATAWORKS_DEPLOY_ACTIONS, Resource: ["*"] },
    ],
  };
}

/** What `pulumi preview` of the stacks needs: reads only. DTS reads come from the system policy AliyunDTSReadOnlyAccess (DTS cannot be limited per action). */
export function previewPolicy(scopes: readonly StackScope[]): PolicyDocument {
  const rs = scopes.map(scopedResources);
  const odps = rs.flatMap((r) => r.odps);
  const log = rs.flatMap((r) => r.log);
  const ros = [...new Set(rs.flatMap((r) => r.ros))];
  return {
    Version: "1",
    Statement: [
      { Effect: "Allow", Action: ["odps:Get*", "odps:List*"], Resource: odps },
      ...(log.length > 0 ? [{ Effect: "Allow" as const, Action: ["log:Get*", "log:List*"], Resource: log }] : []),
      { Effect: "Allow", Action: ["ros:GetStack", "ros:ListStacks", "ros:ListStackResources", "ros:GetTemplate"], Resource: ros },
      { Effect: "Allow", Action: DATAWORKS_READ_ACTIONS, Resource: ["*"] },
    ],
  };
}

/** The system policy previews attach for DTS reads (https://help.aliyun.com/en/dts/user-guide/authorize-a-ram-user-to-use-the-dts-sdk). */
export const DTS_READ_ONLY_SYSTEM_POLICY = "AliyunDTSReadOnlyAccess";
