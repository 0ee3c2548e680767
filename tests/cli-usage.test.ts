/**
 * Every command parses its options the one way (cli/common.ts parseOptions): `--help` prints the
 * usage and exits 0; an unknown option or a missing required one is named on stderr and exits with
 * the command's usage code (1; verify's "cannot check" 2), before anything is read or connected.
 */
import { main as ddl } from "../cli/ddl";
import { main as plan } from "../cli/plan";
import { main as preflight } from "../cli/preflight";
import { main as promote } from "../cli/promote";
import { main as verify } from "../cli/verify";

type Main = (argv: string[], out: { stdout: (s: string) => void; stderr: (s: string) => void }) => Promise<number>;

/** Runs a command's main with its output captured; plan and promote write to the process streams. */
async function run(main: Main, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io = {
    stdout: (s: string) => void (out += s),
    stderr: (s: string) => void (err += s),
    readStdin: async () => "",
    env: {},
  };
  const writes = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv, io), out, err };
  } finally {
    [process.stdout.write, process.stderr.write] = writes;
  }
}

/** name, main, usage exit code, the required options it needs besides the unknown one. */
const COMMANDS: [string, Main, number, string[]][] = [
  ["plan", (argv) => plan(argv), 1, ["--stack", "dev"]],
  ["promote", (argv, io) => promote(argv, io.stdout), 1, ["--stack", "dev", "--to", "growth"]],
  ["preflight", (argv, io) => preflight(argv, io as never), 1, ["--stack", "dev"]],
  ["ddl", (argv, io) => ddl(argv, io as never), 1, ["--stack", "dev"]],
  ["verify", (argv, io) => verify(argv, io), 2, ["--stack", "dev"]],
];

describe.each(COMMANDS)("%s", (name, main, usageExit, required) => {
  it("--help prints the usage and exits 0", async () => {
    const r = await run(main, ["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^Usage: ${name} \\[options\\]`));
    expect(r.err).toBe("");
  });
  it(`an unknown option is named and exits ${usageExit}`, async () => {
    const r = await run(main, [...required, "--no-such-option"]);
    expect(r.code).toBe(usageExit);
    expect(r.err).toBe("error: unknown option '--no-such-option'\n");
    expect(r.out).toBe("");
  });
});

describe("a missing required option", () => {
  it.each([
    ["plan", COMMANDS[0][1], "error: required option '--stack <name>' not specified\n", 1],
    ["verify", COMMANDS[4][1], "error: required option '--stack <name>' not specified\n", 2],
  ] as const)("%s names it", async (_name, main, message, code) => {
    const r = await run(main, []);
    expect(r).toEqual({ code, out: "", err: message });
  });
});
