/**
 * `npm run promote -- --stack prod --to growth [--dry-run] [--password-stdin] [--skip-preflight]`
 *
 * Moves a stack to another stage: validates the target config, shows the plan diff with every
 * warning the plan shows, runs the source preflight when the target starts reading the binlog
 * (DTS, DataWorks realtime sync, Canal), then writes `photo-analytics:stage` into
 * Pulumi.<stack>.yaml keeping every comment and other value (the same result as
 * `pulumi config set photo-analytics:stage <stage>`).
 *
 * The preflight gate is closed by default: when the preflight cannot run (source unreachable,
 * login refused, password unset) or a check fails, nothing is written. `--skip-preflight`
 * writes the stage without it, and the summary says so.
 */
import * as fs from "fs";
import { Option } from "commander";
import { stackFilePath } from "../project-files";
import { setStackConfigValue } from "../lib/config/stack-file-edit";
import { PROJECT, REALTIME_ENGINE_RECORDS, STAGES, Stage, StackConfig } from "../lib/config/types";
import { readsBinlogNow } from "../lib/config/realtime";
import { stageIndex } from "../lib/config/stage-catalog";
import { diffPlans, hasErrors, renderDiffText } from "../lib/plan/diff";
import { EXIT } from "../lib/exit-codes";
import { CommandError, CommandIo, defineCommand } from "./command";
import { main as preflight } from "./preflight";
import { planStack, reviewLines } from "./plan";

interface Options {
  stack: string;
  to: Stage;
  dryRun?: boolean;
  configFile?: string;
  passwordStdin?: boolean;
  skipPreflight?: boolean;
}

/**
 * Runs the source preflight for the target stage; throws (exit 1, nothing written) when it
 * cannot run or a check fails. Returns the line the summary prints.
 */
async function sourceGate(opts: Options, target: StackConfig, io: CommandIo, root: string): Promise<string> {
  const s = target.source;
  const where = `${s.user}@${s.host}:${s.port}/${s.database}`;
  const rerun = `npm run preflight -- --stack ${opts.stack} --stage ${opts.to}`;
  const skip = `or pass --skip-preflight to write the stage without it (then run "${rerun}" before pulumi up)`;
  if (!opts.passwordStdin && io.env.MYSQL_PWD === undefined) {
    throw new CommandError(
      `the source preflight needs the password of ${where}: set MYSQL_PWD (or pass --password-stdin) and run promote where the source is reachable, ${skip}; ${opts.stack} not changed`,
    );
  }
  io.stdout(`\nThe ${opts.to} stage reads the binlog (${REALTIME_ENGINE_RECORDS[target.realtime.engine].label}): checking the source ${where} first.\n`);
  const args = [
    "--stack",
    opts.stack,
    "--stage",
    opts.to,
    ...(opts.configFile ? ["--config-file", opts.configFile] : []),
    ...(opts.passwordStdin ? ["--password-stdin"] : []),
  ];
  // Its report goes to stdout; its own one-line error (could not connect) is replaced by promote's.
  const code = await preflight(args, { ...io, stderr: () => undefined }, root);
  if (code === EXIT.error) {
    throw new CommandError(
      `the source preflight could not run against ${where} (see the connection check above): run promote from inside the source's network (a host that reaches it, with MYSQL_PWD set), ${skip}; ${opts.stack} not changed`,
    );
  }
  if (code !== EXIT.ok) {
    throw new CommandError(`the source preflight failed: fix what it reports above and run promote again; ${opts.stack} not changed`);
  }
  return `source preflight passed (${where})`;
}

export const command = defineCommand<Options>({
  name: "promote",
  summary: "Move a stack to another stage: diff, warnings, source preflight, then write photo-analytics:stage into its stack file",
  options: (p) =>
    p
      .requiredOption("--stack <name>", "stack name (Pulumi.<name>.yaml)")
      .addOption(new Option("--to <stage>", "target stage").choices([...STAGES]).makeOptionMandatory())
      .option("--dry-run", "show the diff and checks, write nothing")
      .option("--config-file <path>", "stack settings file instead of Pulumi.<stack>.yaml")
      .option("--password-stdin", "the source password for the preflight from stdin (else MYSQL_PWD)")
      .option("--skip-preflight", "write the stage without the source preflight (the summary says so)"),
  exitCodes: {
    0: "promoted or demoted (or already at the stage; --dry-run: would be)",
    1: "refused: bad option or config, a change that is not only additions, or the source preflight could not run or failed (the stack file is untouched)",
  },
  examples: ["MYSQL_PWD=... npm run promote -- --stack prod --to mature", "npm run promote -- --stack prod --to growth --dry-run"],
  run: async (opts, { io, root }) => {
    const file = opts.configFile ?? stackFilePath(opts.stack, root);
    const currentPlan = await planStack(opts.stack, file);
    const current = currentPlan.config;
    if (current.stage === opts.to) {
      io.stdout(`${opts.stack} is already at stage ${opts.to}; nothing to do\n`);
      return EXIT.ok;
    }
    const after = await planStack(opts.stack, file, opts.to);
    const target = after.config;
    const direction = stageIndex(opts.to) > stageIndex(current.stage) ? "promote" : "demote";
    const before = currentPlan.plan;
    const diff = diffPlans(before, after.plan);
    io.stdout(renderDiffText(diff, (await reviewLines(before, after, false)).lines));
    if (hasErrors(diff)) throw new CommandError(`the change would not deploy as planned (${diff.errors.map((e) => e.message).join("; ")}); refusing`);
    if (diff.replaced.length > 0 || (direction === "promote" && (diff.deleted.length > 0 || diff.updated.length > 0))) {
      throw new CommandError(
        `${direction === "promote" ? "promotion must only create resources" : "the change replaces resources"}; refusing (see the diff above)`,
      );
    }
    const summary: string[] = [];
    if (readsBinlogNow(target) && (!readsBinlogNow(current) || current.realtime.engine !== target.realtime.engine)) {
      if (opts.skipPreflight) {
        summary.push(
          `source preflight SKIPPED (--skip-preflight): run "npm run preflight -- --stack ${opts.stack} --stage ${opts.to}" where the source is reachable before pulumi up`,
        );
      } else {
        summary.push(await sourceGate(opts, target, io, root));
      }
    }
    if (opts.dryRun) {
      io.stdout(`\n${[...summary, `--dry-run: ${file} not changed`].join("\n")}\n`);
      return EXIT.ok;
    }
    fs.writeFileSync(file, setStackConfigValue(fs.readFileSync(file, "utf8"), `${PROJECT}:stage`, opts.to));
    summary.push(
      `${direction === "promote" ? "Promoted" : "Demoted"} ${opts.stack}: ${current.stage} -> ${opts.to} (${file}). Next: open a pull request; after merge, pulumi up -s ${opts.stack}.`,
    );
    io.stdout(`\n${summary.join("\n")}\n`);
    return EXIT.ok;
  },
});

export const main = command.main;
