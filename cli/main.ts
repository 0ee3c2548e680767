/**
 * The one process runner: `node bin/cli/main.js <command> [options]` (what every npm script
 * runs, after scripts/build.js brought bin/ up to date). Runs the command from the registry
 * (cli/commands.ts) with the process's streams and sets the exit code (lib/exit-codes.ts).
 */
import { COMMANDS } from "./commands";
import { EXIT } from "../lib/exit-codes";

async function run(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name === undefined ? undefined : COMMANDS[name];
  if (load === undefined) {
    const list = Object.keys(COMMANDS).join(", ");
    process.stderr.write(name === undefined ? `usage: main.js <command> [options]; commands: ${list}\n` : `unknown command "${name}"; commands: ${list}\n`);
    return EXIT.error;
  }
  return load().command.main(rest);
}

/**
 * Exits once stdout and stderr are flushed (a large plan written to a pipe must reach it whole),
 * without waiting for what a command may leave open (an HTTP keep-alive socket, a pool).
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

run(process.argv.slice(2)).then(exitWhenFlushed, (e: unknown) => {
  process.stderr.write(`unexpected error: ${(e as Error)?.message ?? String(e)}\n`);
  exitWhenFlushed(EXIT.error);
});
