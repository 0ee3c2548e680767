/**
 * The `--policy-pack-config` file for `pulumi preview|up --policy-pack policy`: the same
 * per-stack policy config the offline plan uses, keyed by policy name. Written by
 * `npm run --silent policy-config -- --stack <name>` (cli/policy-config.ts).
 */
import { stackConfig } from "../cli/common";
import { loadStackConfig } from "../project-files";
import { Stage } from "../lib/config/types";
import { policyConfigForStack } from "./evaluate";
import { ALL_POLICIES } from "./policies";

export function packConfig(stack: string, stage?: Stage, root?: string): Record<string, object> {
  const input = stackConfig(stack, undefined, stage, root);
  const config = loadStackConfig(input, root);
  const shared = policyConfigForStack(config, input.values);
  return Object.fromEntries(ALL_POLICIES.map((p) => [p.name, { enforcementLevel: p.enforcementLevel ?? "advisory", ...shared }]));
}
