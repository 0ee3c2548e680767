/**
 * `npx ts-node --transpile-only policy/stack-config.ts --stack <name> [--stage <stage>]`
 *
 * Prints the `--policy-pack-config` file for `pulumi preview --policy-pack policy`:
 * the same per-stack policy config the offline plan uses, keyed by policy name.
 */
import { stackConfig } from "../cli/common";
import { loadStackConfig } from "../project-files";
import { Stage } from "../lib/config/types";
import { policyConfigForStack } from "./evaluate";
import { ALL_POLICIES } from "./policies";

export function packConfig(stack: string, stage?: Stage): Record<string, object> {
  const input = stackConfig(stack, undefined, stage);
  const config = loadStackConfig(input);
  const shared = policyConfigForStack(config, input.values);
  return Object.fromEntries(ALL_POLICIES.map((p) => [p.name, { enforcementLevel: p.enforcementLevel ?? "advisory", ...shared }]));
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const arg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const stack = arg("--stack");
  if (!stack) {
    process.stderr.write("usage: policy/stack-config.ts --stack <name> [--stage initial|growth|mature]\n");
    process.exit(1);
  }
  process.stdout.write(JSON.stringify(packConfig(stack, arg("--stage") as Stage | undefined), null, 2) + "\n");
}
