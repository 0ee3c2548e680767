/**
 * `npm run verify -- --stack <name> [--json] [--config-file <f>] [--timeout-ms 10000]`
 *
 * After `pulumi up`: is data flowing? Reads the deployed pipeline read-only (the credentials
 * chain of providers/common/credentials.ts; a read-only RAM identity is enough: docs/first-hour.md)
 * and prints, per tier, healthy / pending / late / broken / cannot check, the evidence and the
 * exact next step.
 *
 * Exit codes: the table below (lib/exit-codes.ts): 0 healthy or pending, 1 bad input, 2 cannot check,
 * 3 late or broken.
 */
import { loadStackConfig, readStackFile, stackFilePath } from "../project-files";
import { CommandError, CommandIo, defineCommand, UsageError } from "./command";
import { verifyTargets } from "../lib/verify/targets";
import { evaluate, formatVerifyReport } from "../lib/verify/verdict";
import { EXIT } from "../lib/exit-codes";
import { collectFacts, verifyCredentials } from "../providers/verify/collect";
import { EXPORT_NAME } from "../lib/sls/sls-objects";
import { MissingCredentialsError, type Credentials } from "../providers/common/credentials";
import { PLATFORM_NAME } from "../lib/config/types";

export interface VerifyIo extends CommandIo {
  /** @default Date.now() */
  readonly now?: number;
  readonly credentials?: Credentials;
}

interface Options {
  stack: string;
  configFile?: string;
  json?: boolean;
  timeoutMs: string;
}

export const command = defineCommand<Options, VerifyIo>({
  name: "verify",
  summary: "After pulumi up: is data flowing? Checks every tier against its freshness objective (read-only)",
  options: (p) =>
    p
      .requiredOption("--stack <name>", "the stack (Pulumi.<name>.yaml)")
      .option("--config-file <path>", "the stack settings file to read instead of Pulumi.<name>.yaml")
      .option("--json", "print the report as JSON")
      .option("--timeout-ms <ms>", "longest wait for one API call", "10000"),
  exitCodes: {
    0: "healthy (or pending: a fresh deploy before its first run)",
    1: "bad option or stack file",
    2: "cannot check: no credentials, no network, a missing RAM permission",
    3: "late or broken",
  },
  examples: ["npm run verify -- --stack prod", "npm run verify -- --stack prod --json"],
  run: async (opts, { io, root }) => {
    const timeout = Number(opts.timeoutMs);
    if (!Number.isInteger(timeout) || timeout < 100 || timeout > 60_000) {
      throw new UsageError(`--timeout-ms "${opts.timeoutMs}" is not allowed; expected an integer from 100 to 60000`);
    }
    const config = loadStackConfig(readStackFile(opts.configFile ?? stackFilePath(opts.stack, root)), root);
    const now = io.now ?? Date.now();
    const targets = verifyTargets(config, { platform: PLATFORM_NAME, exportName: EXPORT_NAME });
    let credentials = io.credentials;
    try {
      // No credentials at all: one message, not one per object (each read would fail alike).
      credentials ??= await verifyCredentials(io.env, timeout);
    } catch (e) {
      if (e instanceof MissingCredentialsError) throw new CommandError(`cannot check: ${e.summary}`, EXIT.cannotCheck);
      throw e;
    }
    try {
      const facts = await collectFacts(targets, { now, env: io.env, callTimeoutMs: timeout, credentials });
      const report = evaluate(opts.stack, targets, facts, now);
      io.stdout(opts.json ? JSON.stringify(report, null, 2) + "\n" : formatVerifyReport(report));
      return report.exitCode;
    } catch (e) {
      // Not expected: collectFacts turns every read failure into a fact. Say so without a trace.
      io.stderr(`verify: could not check: ${(e as Error).message}\n`);
      return EXIT.cannotCheck;
    }
  },
});

export const main = command.main;
