/**
 * The `--policy-pack-config` file for `pulumi preview|up --policy-pack policy`: the same
 * per-stack policy config the offline plan uses, keyed by policy name. Written by
 * `npm run --silent policy-config -- --stack <name>` (cli/policy-config.ts).
 */
import { stackConfig } from "../project-files";
import { loadStackConfig, readPriceFile } from "../project-files";
import { Stage } from "../lib/config/types";
import { policyConfigForStack } from "./evaluate";
import { ALL_POLICIES } from "./policies";

export function packConfig(stack: string, stage?: Stage, root?: string): Record<string, object> {
  const input = stackConfig(stack, undefined, stage, root);
  const config = loadStackConfig(input, root);
  const shared = policyConfigForStack(config, input.values);
  // The region's price file goes only to the policies that read it (the budget): it is the biggest value here.
  const priceFile = readPriceFile(config.region, root);
  return Object.fromEntries(
    ALL_POLICIES.map((p) => {
      const wantsPrices = priceFile !== undefined && p.configSchema?.properties !== undefined && "priceFile" in p.configSchema.properties;
      return [p.name, { enforcementLevel: p.enforcementLevel ?? "advisory", ...shared, ...(wantsPrices ? { priceFile } : {}) }];
    }),
  );
}
