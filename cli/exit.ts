/**
 * The exit codes of every command (plan, promote, preflight, ddl), as
 * `terraform plan -detailed-exitcode`:
 *
 * - `0` ok: nothing to change, every check passed, no drift.
 * - `1` error: bad usage (a bad option, `--url` and `--stack` both or neither),
 *   bad config, a missing file, could not connect, or a crash.
 * - `2` changes or failed checks: the plan has changes, a preflight check
 *   failed, the live source drifted from `sql/` (`ddl --check`).
 *
 * `verify` (cli/verify.ts) is the exception, as its issue asks: `0` healthy, `1` late or broken
 * (the finding is the data, like a failed check here), `2` cannot check (no credentials, a
 * missing RAM permission, a bad stack file: what is `1` here). Its codes are `VERIFY_EXIT` in
 * lib/verify/verdict.ts.
 *
 * Help (`--help`) exits 0. Kept apart from `common.ts` so the source tools
 * do not load the Pulumi program to learn a number.
 */
export const EXIT = { ok: 0, error: 1, changes: 2 } as const;

/** One of the exit codes above. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
