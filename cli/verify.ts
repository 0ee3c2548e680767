/**
 * `npm run verify -- --stack <name> [--json] [--config-file <f>] [--timeout-ms 10000]`
 *
 * After `pulumi up`: is data flowing? Reads the deployed pipeline read-only (the credentials
 * chain of providers/common/credentials.ts; a read-only RAM identity is enough: docs/first-hour.md)
 * and prints, per tier, healthy / pending / late / broken / cannot check, the evidence and the
 * exact next step.
 *
 * Exit codes: 0 healthy (or pending: a fresh deploy before its first run), 1 late or broken,
 * 2 cannot check (no credentials, a missing permission, a bad stack file). This command follows
 * its issue's convention, not the other commands' (cli/exit.ts explains the difference).
 */
import { Command } from "commander";
import { parseOptions } from "./common";
import { loadStackConfig, readStackFile, stackFilePath } from "../project-files";
import { ConfigError } from "../lib/config/load";
import { StackFileError } from "../lib/config/stack-file";
import { verifyTargets } from "../lib/verify/targets";
import { evaluate, formatVerifyReport, VERIFY_EXIT } from "../lib/verify/verdict";
import { collectFacts } from "../providers/verify/collect";
import { EXPORT_NAME } from "../lib/sls/sls-objects";
import type { Credentials } from "../providers/common/credentials";
import { PLATFORM_NAME } from "../lib/config/types";

/** The Platform's component name in stack.ts (the DTS job is `<platform>-realtime`). */

export interface VerifyIo {
  stdout(s: string): void;
  stderr(s: string): void;
  /** @default Date.now() */
  now?: number;
  env?: Readonly<Record<string, string | undefined>>;
  credentials?: Credentials;
}

const processIo: VerifyIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

export async function main(argv: readonly string[], io: VerifyIo = processIo): Promise<number> {
  const program = new Command("verify")
    .description("Check that the deployed pipeline meets its freshness objectives (read-only)")
    .requiredOption("--stack <name>", "the stack (Pulumi.<name>.yaml)")
    .option("--config-file <path>", "the stack settings file to read instead of Pulumi.<name>.yaml")
    .option("--json", "print the report as JSON")
    .option("--timeout-ms <ms>", "longest wait for one API call", "10000");
  const opts = parseOptions<{ stack: string; configFile?: string; json?: boolean; timeoutMs: string }>(program, argv, {
    writeOut: io.stdout,
    writeErr: io.stderr,
    usageExit: VERIFY_EXIT.cannotCheck,
  });
  if (typeof opts === "number") return opts;
  const timeout = Number(opts.timeoutMs);
  if (!Number.isInteger(timeout) || timeout < 100 || timeout > 60_000) {
    io.stderr(`verify: --timeout-ms "${opts.timeoutMs}" is not allowed; expected an integer from 100 to 60000\n`);
    return VERIFY_EXIT.cannotCheck;
  }
  let config;
  try {
    config = loadStackConfig(readStackFile(opts.configFile ?? stackFilePath(opts.stack)));
  } catch (e) {
    if (e instanceof ConfigError || e instanceof StackFileError) {
      io.stderr(`verify: ${e.message}\n`);
      return VERIFY_EXIT.cannotCheck;
    }
    io.stderr(`verify: could not read the stack ${opts.stack}: ${(e as Error).message}\n`);
    return VERIFY_EXIT.cannotCheck;
  }
  const now = io.now ?? Date.now();
  const targets = verifyTargets(config, { platform: PLATFORM_NAME, exportName: EXPORT_NAME });
  try {
    const facts = await collectFacts(targets, { now, env: io.env ?? process.env, callTimeoutMs: timeout, credentials: io.credentials });
    const report = evaluate(opts.stack, targets, facts, now);
    io.stdout(opts.json ? JSON.stringify(report, null, 2) + "\n" : formatVerifyReport(report));
    return report.exitCode;
  } catch (e) {
    // Not expected: collectFacts turns every read failure into a fact. Say so without a trace.
    io.stderr(`verify: could not check: ${(e as Error).message}\n`);
    return VERIFY_EXIT.cannotCheck;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
