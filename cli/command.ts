/**
 * The one way a command is defined: its name, options (commander), `--help` with its exit-code
 * table, the mapping of errors to exit codes, and the in-process entry (`main`). Every command
 * is run as a process by cli/main.ts, the one process runner, from the registry in
 * cli/commands.ts: a command module has no runner of its own and cannot be forgotten by one.
 *
 *   export const command = defineCommand({ name: "plan", summary, options: (p) => p.option(...),
 *     exitCodes: { 0: "...", 1: "...", 2: "..." }, run: async (opts, ctx) => EXIT.ok });
 *   export const main = command.main; // for in-process tests
 */
import { Command, CommanderError } from "commander";
import { EXIT, EXIT_CODE_NAMES, ExitCode } from "../lib/exit-codes";

/** Where a command writes and what it reads from its process (replaced in tests). */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads all of stdin (for --password-stdin). */
  readonly readStdin: () => Promise<string>;
  readonly env: NodeJS.ProcessEnv;
}

/** The process's own streams and environment. */
export const processIo: CommandIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
  env: process.env,
};

/**
 * An error the user can fix (a bad option value, a missing file, a refused change): the command
 * prints `<command>: <message>` on one line, no stack trace, and exits with `code`.
 */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly code: ExitCode = EXIT.error,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

/** A bad command line: exit 1 with the message (kept as its own name for the source tools). */
export class UsageError extends CommandError {
  constructor(message: string) {
    super(message, EXIT.error);
    this.name = "UsageError";
  }
}

/** Error classes whose message is written for the user (no stack trace): config, stack file, program. */
const userErrorNames = new Set([
  "ConfigError",
  "StackFileError",
  "ProgramError",
  "CommandError",
  "UsageError",
  "LedgerError",
  "SchemaChangeError",
  "PriceFileError",
]);

/** What `run` gets besides its options. */
export interface RunContext<Io extends CommandIo> {
  readonly io: Io;
  /** Positional arguments (commander's `program.args`). */
  readonly args: readonly string[];
  /** The project root (tests point it at a copy). */
  readonly root: string;
}

export interface CommandSpec<O, Io extends CommandIo> {
  /** The npm script name (`npm run <name>`). */
  readonly name: string;
  /** One line: what the command does. */
  readonly summary: string;
  /** Adds the command's options and arguments to `program`. */
  readonly options?: (program: Command) => Command;
  /** Every exit code the command uses and what it means for this command (0 and 1 at least). */
  readonly exitCodes: Readonly<Partial<Record<ExitCode, string>>> & { readonly 0: string; readonly 1: string };
  /** Usage examples printed under `--help`. */
  readonly examples?: readonly string[];
  readonly run: (opts: O, ctx: RunContext<Io>) => Promise<number> | number;
}

export interface DefinedCommand<O, Io extends CommandIo> {
  readonly spec: CommandSpec<O, Io>;
  /** Runs the command in-process: parses `argv`, runs, maps errors to exit codes. Never throws. */
  readonly main: (argv: readonly string[], io?: Partial<Io>, root?: string) => Promise<number>;
  /** The `--help` text. */
  readonly help: () => string;
}

/** The project root of the source tree, or of the compiled copy's parent (bin/). */
function defaultRoot(): string {
  // project-files.ts knows; loaded lazily so that `--help` loads nothing else.
  return (require("../project-files") as typeof import("../project-files")).PROJECT_ROOT;
}

/** `Exit codes:` block of `--help`, from the command's table. */
export function exitCodeHelp(codes: Readonly<Partial<Record<number, string>>>): string {
  const lines = Object.entries(codes).map(([c, meaning]) => `  ${c}  ${EXIT_CODE_NAMES[Number(c) as ExitCode].padEnd(9)} ${meaning}`);
  return `\nExit codes:\n${lines.join("\n")}\n`;
}

/** The one-line message of an error, and its exit code. */
export function errorExit(commandName: string, e: unknown, env: NodeJS.ProcessEnv): { message: string; code: ExitCode } {
  const err = e as Error & { code?: unknown };
  if (e instanceof CommandError) return { message: `${commandName}: ${e.message}\n`, code: e.code };
  if (err && typeof err === "object" && userErrorNames.has(err.name ?? err.constructor?.name)) {
    return { message: `${commandName}: ${err.message}\n`, code: EXIT.error };
  }
  const detail = env.PHOTO_ANALYTICS_DEBUG === "1" && err?.stack ? `\n${err.stack}` : " (PHOTO_ANALYTICS_DEBUG=1 prints the stack trace)";
  return { message: `${commandName}: unexpected error: ${err?.message ?? String(e)}${detail}\n`, code: EXIT.error };
}

/** Defines a command (see the file comment). */
export function defineCommand<O extends object, Io extends CommandIo = CommandIo>(spec: CommandSpec<O, Io>): DefinedCommand<O, Io> {
  for (const c of Object.keys(spec.exitCodes)) {
    if (!(Number(c) in EXIT_CODE_NAMES)) throw new Error(`command ${spec.name}: exit code ${c} is not in cli/exit.ts`);
  }
  const build = (io?: Pick<CommandIo, "stdout" | "stderr">) => {
    let program = new Command(spec.name).description(spec.summary).helpOption("-h, --help", "print this help and exit 0");
    if (spec.options) program = spec.options(program);
    const examples = spec.examples?.length ? `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join("\n")}\n` : "";
    program.addHelpText("after", exitCodeHelp(spec.exitCodes) + examples);
    program.exitOverride().configureOutput({
      writeOut: io ? (s) => io.stdout(s) : () => undefined,
      writeErr: io ? (s) => io.stderr(`${spec.name}: ${s.replace(/^error: /, "")}`) : () => undefined,
      outputError: io ? (s, write) => write(s) : () => undefined,
    });
    return program;
  };
  const main = async (argv: readonly string[], given?: Partial<Io>, root?: string): Promise<number> => {
    const io = { ...processIo, ...given } as Io;
    const program = build(io);
    let opts: O;
    try {
      opts = program.parse([...argv], { from: "user" }).opts<O>();
    } catch (e) {
      if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.error;
      const { message, code } = errorExit(spec.name, e, io.env);
      io.stderr(message);
      return code;
    }
    try {
      return await spec.run(opts, { io, args: program.args, root: root ?? defaultRoot() });
    } catch (e) {
      const { message, code } = errorExit(spec.name, e, io.env);
      io.stderr(message);
      return code;
    }
  };
  const help = () => build().helpInformation() + exitCodeHelp(spec.exitCodes);
  return { spec, main, help };
}
