/** Shared pieces of the command-line tools: stack settings, exit codes, error printing. */
import { Command, CommanderError } from "commander";
import { ConfigInput, ConfigError } from "../lib/config/load";
import { StackFileError } from "../lib/config/stack-file";
import { PROJECT, Stage } from "../lib/config/types";
import { readStackFile, stackFilePath } from "../project-files";
import { ProgramError } from "./program-error";
import { EXIT } from "./exit";

/** Where a command's help and usage errors go, and its exit code for a usage error. */
export interface ParseIo {
  readonly writeOut?: (s: string) => void;
  readonly writeErr?: (s: string) => void;
  /** @default EXIT.error (verify says "cannot check", 2) */
  readonly usageExit?: number;
}

/**
 * Parses `argv` with `program` (commander): the options, or the exit code to return when
 * commander printed help (0) or a usage error naming the option (`usageExit`, 1 by default).
 */
export function parseOptions<T extends object>(program: Command, argv: readonly string[], io: ParseIo = {}): T | number {
  program.exitOverride().configureOutput({
    writeOut: io.writeOut ?? ((s) => process.stdout.write(s)),
    writeErr: io.writeErr ?? ((s) => process.stderr.write(s)),
  });
  try {
    return program.parse([...argv], { from: "user" }).opts<T>();
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    return e.exitCode === 0 ? EXIT.ok : (io.usageExit ?? EXIT.error);
  }
}

/** The exit codes (0 ok, 1 error, 2 changes or failed checks): documented in `./exit`. */
export { EXIT } from "./exit";

/** Reads the stack's settings (or `configFile`), with the stage replaced when `stage` is given. */
export function stackConfig(stack: string, configFile?: string, stage?: Stage): ConfigInput {
  const input = readStackFile(configFile ?? stackFilePath(stack));
  if (stage === undefined) return input;
  return { ...input, values: { ...input.values, [`${PROJECT}:stage`]: stage } };
}

/** Prints an expected error (bad config, missing file) without a stack trace and returns the exit code. */
export function reportError(e: unknown): number {
  if (e instanceof ConfigError || e instanceof StackFileError || e instanceof ProgramError) {
    process.stderr.write(`error: ${e.message}\n`);
    return EXIT.error;
  }
  process.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
  return EXIT.error;
}
