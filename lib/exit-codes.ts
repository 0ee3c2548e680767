/**
 * The exit codes of every command, in one place (README "Exit codes" and the docs quote this
 * table; tests/commands.test.ts holds them to it). As `terraform plan -detailed-exitcode`:
 *
 * - `0` ok: done, nothing to change, every check passed, healthy. `--help` exits 0.
 * - `1` error: something to fix before the command can do its job: a bad option or value, bad
 *   config, a missing or malformed file, a source that cannot be reached, a refused promotion,
 *   a crash. One message on stderr names what to fix; never a stack trace for these.
 * - `2` attention: the command did its job and found something: the plan has changes, a
 *   preflight check failed, the live schema drifted, a generated file is out of date. For
 *   `verify`, "cannot check" (no credentials, no network, a missing permission).
 * - `3` late or broken: `verify` only: data is not arriving as its freshness objective says.
 *
 * In lib/ (pure) so that lib/verify reports in the same numbers; cli/ and the docs read it here.
 */
export const EXIT = { ok: 0, error: 1, changes: 2, cannotCheck: 2, lateOrBroken: 3 } as const;

/** One of the exit codes above. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The short name of each code, as `--help` and the docs print it. */
export const EXIT_CODE_NAMES: Readonly<Record<ExitCode, string>> = { 0: "ok", 1: "error", 2: "attention", 3: "late" };

/** What each code means across the commands (the README's table). */
export const EXIT_CODE_MEANINGS: Readonly<Record<ExitCode, string>> = {
  0: "done: nothing to change, every check passed, healthy; `--help`",
  1: "fix something first: a bad option or value, bad config, a missing or malformed file, a source that cannot be reached, a refused promotion; one message names it",
  2: "found something: the plan has changes, a preflight check failed, drift, a generated file out of date; `verify`: cannot check",
  3: "`verify`: late or broken",
};
