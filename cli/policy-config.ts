/**
 * `npm run --silent policy-config -- --stack <name> [--stage <stage>] > policy-config.json`: the
 * policy pack's config for a stack (policy/stack-config.ts), as deploy.yml and pr-preview.yml
 * pass it to `pulumi up|preview --policy-pack policy --policy-pack-config`.
 */
import { Option } from "commander";
import { STAGES, Stage } from "../lib/config/types";
import { EXIT } from "../lib/exit-codes";
import { packConfig } from "../policy/stack-config";
import { defineCommand } from "./command";

export const command = defineCommand<{ stack: string; stage?: Stage }>({
  name: "policy-config",
  summary: "Print the policy pack's config for a stack (JSON for pulumi --policy-pack-config)",
  options: (p) =>
    p
      .requiredOption("--stack <name>", "stack name; reads Pulumi.<name>.yaml")
      .addOption(new Option("--stage <stage>", "as if the stack were at this stage").choices([...STAGES])),
  exitCodes: { 0: "the config printed", 1: "bad option or stack file" },
  examples: ["npm run --silent policy-config -- --stack prod > policy-config.json"],
  run: (opts, { io, root }) => {
    io.stdout(JSON.stringify(packConfig(opts.stack, opts.stage, root), null, 2) + "\n");
    return EXIT.ok;
  },
});

export const main = command.main;
