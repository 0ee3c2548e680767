/**
 * `npm run preflight -- --stack <name>` | `--url mysql://user@host:port/db [--stage mature] [--tables a,b]`
 * [--json] [--password-stdin] [--connect-timeout-ms 5000]
 *
 * Checks the MySQL source against what DTS and Data Integration need. Exit codes (./exit):
 * 0 all pass (warnings allowed), 2 a check failed, 1 could not connect or bad arguments.
 * Password: MYSQL_PWD or --password-stdin.
 */
import { Command } from "commander";
import { parseOptions } from "./common";
import { CommandIo, processIo, resolveSource, UsageError } from "./source-options";
import { formatReport, PreflightReport } from "../lib/source/preflight";
import { EXIT, ExitCode } from "./exit";
import { runPreflight } from "../providers/source/run-preflight";

export async function main(argv: readonly string[], io: CommandIo = processIo, root?: string): Promise<number> {
  const program = new Command("preflight")
    .description("Check a MySQL source before enabling sync (DTS / DataWorks)")
    .option("--stack <name>", "read the source from Pulumi.<name>.yaml (photo-analytics:source)")
    .option("--config-file <path>", "with --stack: the stack settings file to read instead of Pulumi.<name>.yaml")
    .option("--url <url>", "mysql://user@host:port/database")
    .option("--stage <stage>", "initial | growth | mature (default: the stack's stage, or mature with --url)")
    .option("--tables <list>", "comma-separated tables (default: the stack's tables, or every base table)")
    .option("--json", "print the report as JSON")
    .option("--password-stdin", "read the password from the first line of stdin (else MYSQL_PWD)")
    .option("--connect-timeout-ms <ms>", "connect timeout in milliseconds", "5000");
  const opts = parseOptions<{
    stack?: string;
    url?: string;
    stage?: string;
    tables?: string;
    json?: boolean;
    passwordStdin?: boolean;
    configFile?: string;
    connectTimeoutMs: string;
  }>(program, argv, { writeOut: io.stdout, writeErr: io.stderr });
  if (typeof opts === "number") return opts;
  try {
    const timeout = Number(opts.connectTimeoutMs);
    if (!Number.isInteger(timeout) || timeout < 100 || timeout > 120_000) {
      throw new UsageError(`--connect-timeout-ms "${opts.connectTimeoutMs}" is not allowed; expected an integer from 100 to 120000`);
    }
    const src = await resolveSource(opts, io, root);
    const report = await runPreflight({ ...src, connectTimeoutMs: timeout });
    const code = exitCodeOf(report);
    // The JSON report carries the code the command exits with.
    io.stdout(opts.json ? JSON.stringify({ ...report, exitCode: code }, null, 2) + "\n" : formatReport(report));
    return code;
  } catch (e) {
    io.stderr(`preflight: ${e instanceof UsageError ? e.message : (e as Error).message}\n`);
    return EXIT.error;
  }
}

/**
 * The command's exit code for a report. The report's own `exitCode` (lib/source/preflight.ts:
 * 0 pass, 1 a check failed, 2 could not connect) predates the convention; mapped here.
 */
export function exitCodeOf(report: Pick<PreflightReport, "exitCode">): ExitCode {
  return ({ 0: EXIT.ok, 1: EXIT.changes, 2: EXIT.error } as const)[report.exitCode];
}
