/**
 * `npm run preflight -- --stack <name>` | `--url mysql://user@host:port/db [--stage mature] [--tables a,b]`
 * [--json] [--password-stdin] [--connect-timeout-ms 5000]
 *
 * Checks the MySQL source against what DTS and Data Integration need (exit codes: the table
 * below). Password: MYSQL_PWD or --password-stdin.
 */
import { CommandError, defineCommand, UsageError } from "./command";
import { resolveSource } from "./source-options";
import { formatReport, PreflightReport } from "../lib/source/preflight";
import { EXIT, ExitCode } from "../lib/exit-codes";
import { runPreflight } from "../providers/source/run-preflight";

interface Options {
  stack?: string;
  url?: string;
  stage?: string;
  tables?: string;
  json?: boolean;
  passwordStdin?: boolean;
  configFile?: string;
  connectTimeoutMs: string;
}

export const command = defineCommand<Options>({
  name: "preflight",
  summary: "Check a MySQL source before enabling sync (DTS / DataWorks): every check with its evidence and the exact fix",
  options: (p) =>
    p
      .option("--stack <name>", "read the source from Pulumi.<name>.yaml (photo-analytics:source)")
      .option("--config-file <path>", "with --stack: the stack settings file to read instead of Pulumi.<name>.yaml")
      .option("--url <url>", "mysql://user@host:port/database")
      .option("--stage <stage>", "initial | growth | mature (default: the stack's stage, or mature with --url)")
      .option("--tables <list>", "comma-separated tables (default: the stack's tables, or every base table)")
      .option("--json", "print the report as JSON")
      .option("--password-stdin", "read the password from the first line of stdin (else MYSQL_PWD)")
      .option("--connect-timeout-ms <ms>", "connect timeout in milliseconds", "5000"),
  exitCodes: {
    0: "every check passed (warnings allowed)",
    1: "bad option or stack file, or the source could not be reached or refused the login",
    2: "a check failed (each failure printed with its fix)",
  },
  examples: [
    "MYSQL_PWD=... npm run preflight -- --stack prod --stage mature",
    "npm run preflight -- --url mysql://pa_sync@10.0.3.21:3306/photo_assistant --password-stdin",
  ],
  run: async (opts, { io, root }) => {
    const timeout = Number(opts.connectTimeoutMs);
    if (!Number.isInteger(timeout) || timeout < 100 || timeout > 120_000) {
      throw new UsageError(`--connect-timeout-ms "${opts.connectTimeoutMs}" is not allowed; expected an integer from 100 to 120000`);
    }
    const src = await resolveSource(opts, io, root);
    const report = await runPreflight({ ...src, connectTimeoutMs: timeout });
    const code = exitCodeOf(report);
    // The JSON report carries the code the command exits with.
    io.stdout(opts.json ? JSON.stringify({ ...report, exitCode: code }, null, 2) + "\n" : formatReport(report));
    if (code === EXIT.error && !opts.json)
      throw new CommandError(`could not check ${src.endpoint.user}@${src.endpoint.host}:${src.endpoint.port}: see the connection check above`);
    return code;
  },
});

export const main = command.main;

/**
 * The command's exit code for a report. The report's own `exitCode` (lib/source/preflight.ts:
 * 0 pass, 1 a check failed, 2 could not connect) predates the convention; mapped here.
 */
export function exitCodeOf(report: Pick<PreflightReport, "exitCode">): ExitCode {
  return ({ 0: EXIT.ok, 1: EXIT.changes, 2: EXIT.error } as const)[report.exitCode];
}
