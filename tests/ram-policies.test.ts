/** RAM policies as data: trust policies for GitHub OIDC, stack-scoped deploy/preview policies, the least-privilege check. */
import { readStackFile, loadStackConfig, stackFilePath } from "../project-files";
import { DATAWORKS_DEPLOY_ACTIONS, deployPolicy, githubSubject, githubTrustPolicy, previewPolicy, scopePrefixes, stackScope } from "../lib/ram/ci-identity";
import { PolicyDocument, policyProblems, renderPolicy } from "../lib/ram/policy-document";
import { PRODUCT_AUTH } from "../lib/ram/products";

const prod = stackScope(loadStackConfig(readStackFile(stackFilePath("prod"))));
const dev = stackScope(loadStackConfig(readStackFile(stackFilePath("dev"))));

describe("GitHub OIDC trust", () => {
  it("trusts one environment of one repository, through one provider, for one audience", () => {
    expect(githubTrustPolicy("acs:ram::123:oidc-provider/github-actions", githubSubject("acme/photo-analytics", { environment: "prod" }))).toEqual({
      Version: "1",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRoleWithOIDC",
          Principal: { Federated: ["acs:ram::123:oidc-provider/github-actions"] },
          Condition: {
            StringEquals: {
              "oidc:iss": "https://token.actions.githubusercontent.com",
              "oidc:aud": "github-actions",
              "oidc:sub": "repo:acme/photo-analytics:environment:prod",
            },
          },
        },
      ],
    });
  });
  it("gives pull-request jobs their own subject", () => {
    expect(githubSubject("acme/photo-analytics", "pull_request")).toBe("repo:acme/photo-analytics:pull_request");
  });
  it.each(["acme", "acme/", "/x", "acme/photo analytics", "a/b/c"])("fails when the repository is %j, naming the expected form", (repo) => {
    expect(() => githubSubject(repo, "pull_request")).toThrow(`repository ${JSON.stringify(repo)} is not "owner/name" (e.g. "acme/photo-analytics")`);
  });
});

describe("stack scope", () => {
  it("is the stack's MaxCompute project, SLS project and region", () => {
    expect(prod).toEqual({ region: "cn-shanghai", maxcomputeProject: "photo_analytics_prod", slsProject: "photo-analytics-prod-tracking" });
    expect(dev).toEqual({ region: "cn-shanghai", maxcomputeProject: "photo_analytics_dev", slsProject: "photo-analytics-dev-tracking" });
  });
});

describe("deploy and preview policies", () => {
  it("deploy policy names the stack's project and logstore, DTS and ROS of its region, and DataWorks operations one by one", () => {
    const doc = deployPolicy(prod);
    expect(doc.Statement.map((s) => [s.Action.length === 1 ? s.Action[0] : `${s.Action.length} actions`, s.Resource])).toEqual([
      ["odps:*", ["acs:odps:cn-shanghai:*:projects/photo_analytics_prod", "acs:odps:cn-shanghai:*:projects/photo_analytics_prod/*"]],
      ["log:*", ["acs:log:cn-shanghai:*:project/photo-analytics-prod-tracking", "acs:log:cn-shanghai:*:project/photo-analytics-prod-tracking/*"]],
      ["dts:*", ["acs:dts:cn-shanghai:*:instance/*"]],
      ["ros:*", ["acs:ros:cn-shanghai:*:stack/*"]],
      [`${DATAWORKS_DEPLOY_ACTIONS.length} actions`, ["*"]],
    ]);
    expect(DATAWORKS_DEPLOY_ACTIONS).toContain("dataworks:StartDIJob");
    expect(DATAWORKS_DEPLOY_ACTIONS.every((a) => /^dataworks:[A-Z][A-Za-z]+$/.test(a))).toBe(true);
  });
  it.each([
    ["deploy prod", deployPolicy(prod), [prod]],
    ["deploy dev", deployPolicy(dev), [dev]],
    ["preview", previewPolicy([dev, prod]), [dev, prod]],
  ] as const)("%s is least-privilege", (_n, doc, scopes) => {
    expect(policyProblems(doc, { resourcePrefixes: scopes.flatMap((s) => scopePrefixes(s).resourcePrefixes) })).toEqual([]);
  });
  it("the prod deploy policy is not valid for the dev stack", () => {
    expect(policyProblems(deployPolicy(prod), scopePrefixes(dev)).map((p) => p.message)).toEqual([
      'Resource "acs:odps:cn-shanghai:*:projects/photo_analytics_prod" is outside the stack\'s scope; allowed: acs:odps:cn-shanghai:*:projects/photo_analytics_dev, acs:log:cn-shanghai:*:project/photo-analytics-dev-tracking, acs:dts:cn-shanghai:*:instance/*, acs:ros:cn-shanghai:*:stack/* (and what lies below them)',
      'Resource "acs:odps:cn-shanghai:*:projects/photo_analytics_prod/*" is outside the stack\'s scope; allowed: acs:odps:cn-shanghai:*:projects/photo_analytics_dev, acs:log:cn-shanghai:*:project/photo-analytics-dev-tracking, acs:dts:cn-shanghai:*:instance/*, acs:ros:cn-shanghai:*:stack/* (and what lies below them)',
      'Resource "acs:log:cn-shanghai:*:project/photo-analytics-prod-tracking" is outside the stack\'s scope; allowed: acs:odps:cn-shanghai:*:projects/photo_analytics_dev, acs:log:cn-shanghai:*:project/photo-analytics-dev-tracking, acs:dts:cn-shanghai:*:instance/*, acs:ros:cn-shanghai:*:stack/* (and what lies below them)',
      'Resource "acs:log:cn-shanghai:*:project/photo-analytics-prod-tracking/*" is outside the stack\'s scope; allowed: acs:odps:cn-shanghai:*:projects/photo_analytics_dev, acs:log:cn-shanghai:*:project/photo-analytics-dev-tracking, acs:dts:cn-shanghai:*:instance/*, acs:ros:cn-shanghai:*:stack/* (and what lies below them)',
    ]);
  });
  it("renders the JSON RAM takes, keys in RAM's order", () => {
    expect(
      renderPolicy({ Version: "1", Statement: [{ Effect: "Allow", Action: ["log:GetLogStore"], Resource: ["acs:log:cn-shanghai:*:project/p/logstore/l"] }] }),
    ).toBe('{"Version":"1","Statement":[{"Effect":"Allow","Action":["log:GetLogStore"],"Resource":["acs:log:cn-shanghai:*:project/p/logstore/l"]}]}');
  });
});

describe("least-privilege check", () => {
  const scope = scopePrefixes(prod);
  const one = (Action: string[], Resource: string[]): PolicyDocument => ({ Version: "1", Statement: [{ Effect: "Allow", Action, Resource }] });
  it("fails a wildcard action on every resource", () => {
    expect(policyProblems(one(["*"], ["*"]), scope).map((p) => p.message)).toEqual([
      'Action "*" on Resource "*": a wildcard action on every resource is never allowed; list the actions and scope the resources',
      `Action "*": service "*" has no row in lib/ram/products.ts (its RAM authorization page); allowed services: ${Object.keys(PRODUCT_AUTH).join(", ")}`,
    ]);
    expect(policyProblems(one(["log:*"], ["*"]), scope).map((p) => p.message)).toEqual([
      'Action "log:*" on Resource "*": a wildcard action on every resource is never allowed; list the actions and scope the resources',
      'Resource "*" is outside the stack\'s scope; allowed: acs:odps:cn-shanghai:*:projects/photo_analytics_prod, acs:log:cn-shanghai:*:project/photo-analytics-prod-tracking, acs:dts:cn-shanghai:*:instance/*, acs:ros:cn-shanghai:*:stack/* (and what lies below them)',
    ]);
  });
  it("fails a wildcard on a product RAM authorizes per operation only", () => {
    expect(policyProblems(one(["dataworks:Get*"], ["*"]), scope).map((p) => p.message)).toEqual([
      'Action "dataworks:Get*" on Resource "*": a wildcard action on every resource is never allowed; list the actions and scope the resources',
      'Action "dataworks:Get*": DataWorks authorizes per operation only (Resource must be "*"), so its actions must be listed one by one',
    ]);
  });
  it("fails another project's logstore and passes its own", () => {
    expect(policyProblems(one(["log:PostLogStoreLogs"], ["acs:log:cn-shanghai:*:project/other/logstore/x"]), scope)).toHaveLength(1);
    expect(policyProblems(one(["log:PostLogStoreLogs"], ["acs:log:cn-shanghai:*:project/photo-analytics-prod-tracking/logstore/user_events"]), scope)).toEqual(
      [],
    );
  });
  it("does not take a longer project name for the stack's own", () => {
    expect(policyProblems(one(["odps:Get*"], ["acs:odps:cn-shanghai:*:projects/photo_analytics_prod2"]), scope)).toHaveLength(1);
  });
});
