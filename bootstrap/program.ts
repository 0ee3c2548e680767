/** The bootstrap program as a function (index.ts runs it; tests run it under mocks). */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { CiIdentity } from "../components/ram/ci-identity";
import { stackScope, StackScope } from "../lib/ram/ci-identity";
import { loadStackConfig, PROJECT_ROOT, readStackFile, stackFilePath } from "../project-files";

export const BOOTSTRAP_PROJECT = "photo-analytics-bootstrap";

/** The stacks (environments) to trust: `environments` config, else every Pulumi.<name>.yaml of the main project. */
export function environmentScopes(environments: readonly string[] | undefined, root: string = PROJECT_ROOT): Record<string, StackScope> {
  const names = environments ?? fs.readdirSync(root).flatMap((f) => /^Pulumi\.([A-Za-z0-9_-]+)\.yaml$/.exec(f)?.[1] ?? []);
  return Object.fromEntries(names.map((n) => [n, stackScope(loadStackConfig(readStackFile(stackFilePath(n, root)), root))]));
}

export function buildBootstrap(): {
  oidcProviderArn: pulumi.Output<string>;
  deployRoleArns: Record<string, pulumi.Output<string>>;
  previewRoleArn: pulumi.Output<string>;
} {
  const cfg = new pulumi.Config();
  const identity = new CiIdentity("ci", {
    repository: cfg.require("repository"),
    environments: environmentScopes(cfg.getObject<string[]>("environments")),
    oidcProviderName: cfg.get("oidcProviderName"),
    audience: cfg.get("audience"),
    fingerprints: cfg.getObject<string[]>("fingerprints"),
  });
  return { oidcProviderArn: identity.oidcProviderArn, deployRoleArns: identity.deployRoleArns, previewRoleArn: identity.previewRoleArn };
}
