/**
 * `npm run init -- --stack <name> [--from <stack>] [--stage <stage>] [--source mysql://user@host:port/db] [--region <id>]`
 *
 * Writes Pulumi.<name>.yaml (lib/config/init-stack.ts): names derived from the stack's name,
 * every key a user must decide marked DECIDE, secrets as placeholders. The file is validated as
 * the plan validates it before anything is written; the new stack is added to the stack lists
 * of the deploy and preview workflows (lib/ci/workflow-stacks.ts). Prints the next steps.
 */
import * as fs from "fs";
import * as path from "path";
import { Option } from "commander";
import { initStackText } from "../lib/config/init-stack";
import { parseStackFile, secretSetCommand } from "../lib/config/stack-file";
import { STAGES, Stage } from "../lib/config/types";
import { parseMySqlUrl } from "../lib/source/endpoint";
import { addStackToWorkflow, STACK_MATRIX_WORKFLOWS } from "../lib/ci/workflow-stacks";
import { EXIT } from "../lib/exit-codes";
import { loadStackConfig, stackFilePath } from "../project-files";
import { CommandError, defineCommand } from "./command";

interface Options {
  stack: string;
  from?: string;
  stage?: Stage;
  source?: string;
  region?: string;
}

export const command = defineCommand<Options>({
  name: "init",
  summary: "Start a new stack: write Pulumi.<name>.yaml (names derived, decisions marked, secrets as placeholders) and add it to the workflows",
  options: (p) =>
    p
      .requiredOption("--stack <name>", "the new stack's name (a letter, then letters, digits, _ . -)")
      .option("--from <stack>", "start from this stack's file (its secrets are not copied: placeholders)")
      .addOption(new Option("--stage <stage>", "the stage to start at (default: the --from stack's, else initial)").choices([...STAGES]))
      .option("--source <url>", "the MySQL source and sync account, mysql://user@host:port/database (no password: it is a secret)")
      .option("--region <id>", "the Alibaba Cloud region id (default: the --from stack's, else cn-shanghai)"),
  exitCodes: { 0: "the stack file written (next steps printed)", 1: "bad option or value, the stack file exists already, or the --from stack cannot be read" },
  examples: ["npm run init -- --stack staging --from prod", "npm run init -- --stack dev2 --source mysql://pa_sync@10.0.3.21:3306/photo_assistant"],
  run: (opts, { io, root }) => {
    const file = stackFilePath(opts.stack, root);
    const rel = path.relative(root, file);
    if (fs.existsSync(file)) throw new CommandError(`${rel} exists already: edit it, or choose another --stack name`);
    let from: { stack: string; text: string } | undefined;
    if (opts.from !== undefined) {
      const fromFile = stackFilePath(opts.from, root);
      try {
        from = { stack: opts.from, text: fs.readFileSync(fromFile, "utf8") };
      } catch (e) {
        throw new CommandError(
          `--from ${opts.from}: cannot read ${path.relative(root, fromFile)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        );
      }
    }
    let source;
    if (opts.source !== undefined) {
      try {
        source = parseMySqlUrl(opts.source);
      } catch (e) {
        throw new CommandError(`--source: ${(e as Error).message.replace(/^--url /, "")}`);
      }
      if (source.password !== undefined)
        throw new CommandError(`--source: leave the password out of the URL; set it with "${secretSetCommand("sourcePassword", opts.stack)}"`);
    }
    let result;
    try {
      result = initStackText({ stack: opts.stack, from, stage: opts.stage, region: opts.region, source });
    } catch (e) {
      throw new CommandError((e as Error).message);
    }
    // Validated as the plan validates it: nothing is written that the plan would refuse.
    loadStackConfig(parseStackFile(result.text, rel), root);
    fs.writeFileSync(file, result.text);
    const workflows: string[] = [];
    for (const wf of STACK_MATRIX_WORKFLOWS) {
      const wfFile = path.join(root, wf);
      if (!fs.existsSync(wfFile)) continue;
      const edited = addStackToWorkflow(fs.readFileSync(wfFile, "utf8"), opts.stack);
      if (edited.changed) {
        fs.writeFileSync(wfFile, edited.text);
        workflows.push(wf);
      }
    }
    const w = Math.max(...result.decide.map((d) => d.key.length));
    io.stdout(
      [
        `wrote ${rel} (${from ? `from Pulumi.${from.stack}.yaml` : "from the built-in template"})`,
        ...(workflows.length ? [`added ${opts.stack} to the stack list of ${workflows.join(" and ")} (before the last stack, which deploys last)`] : []),
        "",
        "Decide before pulumi up (marked DECIDE in the file):",
        ...result.decide.map((d) => `  ${d.key.padEnd(w)}  ${d.value}  (${d.why})`),
        "",
        "Set the secrets (placeholders now: the plan warns, pulumi up cannot decrypt them):",
        ...result.secrets.map((k) => `  ${secretSetCommand(k, opts.stack)}`),
        "",
        "Next:",
        `  npm run plan -- --stack ${opts.stack}                  # the offline plan, cost and policies`,
        `  MYSQL_PWD=... npm run preflight -- --stack ${opts.stack}  # from a host that reaches the source`,
        `  pulumi stack init ${opts.stack}                         # then the secrets above`,
        "  open a pull request: the PR plan shows the new stack as created",
        "",
      ].join("\n"),
    );
    return EXIT.ok;
  },
});

export const main = command.main;
