/**
 * `npm run promote -- --stack prod --to growth [--force] [--dry-run]`
 *
 * Moves a stack to another stage: validates the target config, shows the plan
 * diff, runs the source preflight when the target starts change-data-capture
 * (DTS), then writes `photo-analytics:stage` into Pulumi.<stack>.yaml keeping
 * every comment and other value. The result is the same as
 * `pulumi config set photo-analytics:stage <stage>`.
 * Exit codes: 0 promoted (or nothing to do), 1 refused or error.
 */
import * as fs from "fs";
import { Command, Option } from "commander";
import { stackFilePath } from "../project-files";
import { setStackConfigValue } from "../lib/config/stack-file-edit";
import { BINLOG_ENGINES, PROJECT, REALTIME_ENGINE_LABELS, STAGES, Stage, StackConfig } from "../lib/config/types";
import { stageIndex } from "../lib/config/stage-catalog";
import { diffPlans, hasErrors, renderDiffText } from "../lib/plan/diff";
import { EXIT, parseOptions, reportError } from "./common";
import { main as preflight } from "./preflight";
import { planStack, reviewLines } from "./plan";

interface Options {
  stack: string;
  to: Stage;
  force?: boolean;
  dryRun?: boolean;
  configFile?: string;
}

/** A stack whose realtime engine reads the binlog: the preflight checks the source for it. */
const usesCdc = (c: StackConfig) => c.realtime.enabled && BINLOG_ENGINES.includes(c.realtime.engine);

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const program = new Command()
    .name("promote")
    .description("Move a stack to another stage (writes photo-analytics:stage into its stack file)")
    .requiredOption("--stack <name>", "stack name (Pulumi.<name>.yaml)")
    .addOption(new Option("--to <stage>", "target stage").choices([...STAGES]).makeOptionMandatory())
    .option("--force", "write the stage even when the source preflight fails")
    .option("--dry-run", "show the diff and checks, write nothing")
    .option("--config-file <path>", "stack settings file instead of Pulumi.<stack>.yaml");
  const opts = parseOptions<Options>(program, argv);
  if (typeof opts === "number") return opts;
  const file = opts.configFile ?? stackFilePath(opts.stack);
  try {
    const currentPlan = await planStack(opts.stack, opts.configFile);
    const current = currentPlan.config;
    if (current.stage === opts.to) {
      out(`${opts.stack} is already at stage ${opts.to}; nothing to do\n`);
      return EXIT.ok;
    }
    const after = await planStack(opts.stack, opts.configFile, opts.to);
    const target = after.config;
    const direction = stageIndex(opts.to) > stageIndex(current.stage) ? "promote" : "demote";
    const before = currentPlan.plan;
    const diff = diffPlans(before, after.plan);
    out(renderDiffText(diff, (await reviewLines(before, after, false)).lines));
    if (hasErrors(diff)) {
      process.stderr.write(`error: the change would not deploy as planned (${diff.errors.map((e) => e.message).join("; ")}); refusing\n`);
      return EXIT.error;
    }
    if (diff.replaced.length > 0 || (direction === "promote" && (diff.deleted.length > 0 || diff.updated.length > 0))) {
      process.stderr.write(
        `error: ${direction === "promote" ? "promotion must only create resources" : "the change replaces resources"}; refusing (see the diff above)\n`,
      );
      return EXIT.error;
    }
    if (usesCdc(target) && (!usesCdc(current) || current.realtime.engine !== target.realtime.engine)) {
      out(`\nThe ${opts.to} stage starts change-data-capture (${REALTIME_ENGINE_LABELS[target.realtime.engine]}): checking the source first.\n`);
      const code = await preflight(["--stack", opts.stack, "--stage", opts.to, ...(opts.configFile ? ["--config-file", opts.configFile] : [])]);
      // The one exit-code convention (cli/exit.ts): 1 could not connect (or bad usage), 2 failed checks.
      if (code === EXIT.error) {
        out(
          `Source not reachable from here (or MYSQL_PWD not set): preflight skipped. Run "npm run preflight -- --stack ${opts.stack} --stage ${opts.to}" where the source is reachable before "pulumi up".\n`,
        );
      } else if (code !== 0 && !opts.force) {
        process.stderr.write(`error: the source preflight failed; fix what it reports (or pass --force to write the stage anyway)\n`);
        return EXIT.error;
      }
    }
    if (opts.dryRun) {
      out(`\n--dry-run: ${file} not changed\n`);
      return EXIT.ok;
    }
    fs.writeFileSync(file, setStackConfigValue(fs.readFileSync(file, "utf8"), `${PROJECT}:stage`, opts.to));
    out(
      `\n${direction === "promote" ? "Promoted" : "Demoted"} ${opts.stack}: ${current.stage} -> ${opts.to} (${file}). Next: open a pull request; after merge, pulumi up -s ${opts.stack}.\n`,
    );
    return EXIT.ok;
  } catch (e) {
    return reportError(e);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    // exitCode, not exit(): a large plan written to a pipe must be flushed first.
    process.exitCode = code;
  });
}
