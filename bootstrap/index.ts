/**
 * The bootstrap program: run once per Alibaba Cloud account by an administrator, in this
 * folder (`cd bootstrap && pulumi stack init ci && pulumi config set repository owner/name &&
 * pulumi up`). It reads the main project's stack files (Pulumi.<env>.yaml, one per GitHub
 * environment) to scope each deploy role to that stack, and exports the ARNs to set as
 * GitHub variables (docs/ci-credentials.md).
 */
import { buildBootstrap } from "./program";

const out = buildBootstrap();
export const oidcProviderArn = out.oidcProviderArn;
export const deployRoleArns = out.deployRoleArns;
export const previewRoleArn = out.previewRoleArn;
