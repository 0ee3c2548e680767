/**
 * Every package.json script, spawned as a user runs it (`npm run -s <script> -- ...` in a copy
 * of the project): `--help` prints the usage with the exit codes, exits 0 and changes nothing;
 * a typical bad input exits 1 with one line naming what to fix and no stack trace; a typical
 * good input prints something. A script without a case here fails the first test.
 */
import * as fs from "fs";
import * as path from "path";
import { COMMANDS } from "../cli/commands";
import { errorExit } from "../cli/command";
import { EXIT_CODE_NAMES, ExitCode } from "../lib/exit-codes";
import { freeStackName, ProjectCopy, projectCopy, ROOT, sh, STACK_FRAME } from "./support/project-copy";

const NEW_STACK = freeStackName();

const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** Scripts that run a third-party tool, not a command of cli/, and how the suite runs each. */
const TOOLS: Record<string, string> = {
  test: "jest, both projects: `--help` spawned below; scripts/test.sh runs it (tests/workflows.test.ts runs test.sh as deploy.yml's check job)",
  "test:unit": "jest's unit project, the fast loop: `--listTests` spawned below",
  typecheck: "tsc: `--help` spawned below; scripts/test.sh runs it",
  lint: "ESLint and Prettier --check: scripts/test.sh runs it (tests/workflows.test.ts)",
  format: "Prettier --write and ESLint --fix: rewrites files, so no test runs it; lint checks the same rules",
};

/** A bad input of each command and the one line it must print (stderr), exit 1. */
const BAD: Record<string, { args: string; stderr: RegExp }> = {
  init: {
    args: "--stack 1staging",
    stderr: /^init: stack name "1staging" is not allowed; expected a letter, then letters, digits, "_", "\." or "-" \(at most 100\)\n$/,
  },
  plan: { args: "--stack nosuch", stderr: /^plan: \S+Pulumi\.nosuch\.yaml: cannot read the stack settings file \(ENOENT\)\n$/ },
  promote: {
    args: "--stack dev --to later",
    stderr: /^promote: option '--to <stage>' argument 'later' is invalid\. Allowed choices are initial, growth, mature\.\n$/,
  },
  preflight: { args: "", stderr: /^preflight: give exactly one of --url mysql:\/\/user@host:port\/database or --stack <name>\n$/ },
  ddl: { args: "--stack dev --lifecycle-days 0", stderr: /^ddl: --lifecycle-days "0" is not allowed; expected an integer from 1 to 99999\n$/ },
  verify: { args: "--stack nosuch", stderr: /^verify: \S+Pulumi\.nosuch\.yaml: cannot read the stack settings file \(ENOENT\)\n$/ },
  "pr-comment": {
    args: "--title t --out c.md plans/dev.md",
    stderr: /^pr-comment: argument "plans\/dev\.md": expected <stack>=<file> \(the stack's name and its Markdown diff\), e\.g\. prod=plans\/prod\.md\n$/,
  },
  "policy-config": { args: "--stack nosuch", stderr: /^policy-config: \S+Pulumi\.nosuch\.yaml: cannot read the stack settings file \(ENOENT\)\n$/ },
  "docs:config": { args: "--chek", stderr: /^docs:config: unknown option '--chek'\n\(Did you mean --check\?\)\n$/ },
  "docs:data-flow": { args: "--chek", stderr: /^docs:data-flow: unknown option '--chek'\n\(Did you mean --check\?\)\n$/ },
  bench: { args: "--rounds 0", stderr: /^bench: --rounds "0" is not allowed; expected an integer from 1 to 50\n$/ },
  prices: {
    args: "--region cn-shanghia",
    stderr: /^prices: --region: "cn-shanghia" is not allowed; did you mean "cn-shanghai"\? allowed values: "cn-qingdao", .*\n$/,
  },
  build: { args: "--chek", stderr: /^build: unknown option '--chek' \(allowed: --verbose, --help\)\n$/ },
};

/** A typical good input of each command that needs no server, and what its output starts with. */
const GOOD: Record<string, { args: string; code: number; stdout: RegExp }> = {
  init: { args: `--stack ${NEW_STACK} --from prod`, code: 0, stdout: new RegExp(`^wrote Pulumi\\.${NEW_STACK}\\.yaml \\(from Pulumi\\.prod\\.yaml\\)\\n`) },
  plan: { args: "--stack dev", code: 0, stdout: /^photo-analytics: stack dev, stage initial, region cn-shanghai\n/ },
  "policy-config": {
    args: "--stack prod",
    code: 0,
    stdout: /^\{\n {2}"data-protected-retained": \{\n {4}"enforcementLevel": "mandatory",\n {4}"stage": "initial",/,
  },
  "docs:config": { args: "--check", code: 0, stdout: /^docs\/config-reference\.md: up to date\n$/ },
  "docs:data-flow": { args: "--check", code: 0, stdout: /^docs\/data-flow\.md: up to date\n$/ },
  "pr-comment": { args: "--title '## plan' --out comment.md dev=README.md", code: 0, stdout: /^wrote comment\.md \(1 stack, \d+ characters\)\n$/ },
  prices: {
    args: "",
    code: 0,
    stdout:
      /^prices for cn-shanghai: lib\/cost\/prices\.ts \(no prices\/cn-shanghai\.json: "npm run prices -- --refresh" writes it\)\n {2}\[P\] datahub\.read\.gb /,
  },
  build: { args: "", code: 0, stdout: /^$/ },
};

let copy: ProjectCopy;
beforeAll(async () => {
  copy = projectCopy("link");
  // Built once, so that the spawns below time the command and not a first transpile.
  const r = await sh("npm run -s build", copy.dir);
  if (r.code !== 0) throw new Error(`build failed: ${r.stderr}`);
}, 180_000);
afterAll(() => copy?.remove());

const npm = (script: string, args: string, env: NodeJS.ProcessEnv = {}) => sh(`npm run -s ${script} -- ${args}`, copy.dir, env);

describe("package.json scripts", () => {
  it("each runs a command of cli/commands.ts through the one runner, the build, or a listed tool", () => {
    const commandScripts = Object.entries(scripts).filter(([, cmd]) => cmd.includes("bin/cli/main.js"));
    for (const [name, cmd] of commandScripts) expect(cmd).toBe(`node -r ./scripts/build.js bin/cli/main.js ${name}`);
    expect(commandScripts.map(([n]) => n).sort()).toEqual(Object.keys(COMMANDS).sort());
    const rest = Object.keys(scripts).filter((n) => !(n in COMMANDS));
    expect(rest.sort()).toEqual(["build", ...Object.keys(TOOLS)].sort());
    expect(scripts.build).toBe("node scripts/build.js --verbose");
  });
  it("every command and the build have a bad-input case here", () => {
    expect(Object.keys(BAD).sort()).toEqual([...Object.keys(COMMANDS), "build"].sort());
  });
});

describe.each([...Object.keys(COMMANDS), "build"])("npm run %s", (name) => {
  it("--help prints the usage and the exit codes, exits 0 and changes nothing", async () => {
    const before = copy.snapshot();
    const r = await npm(name, "--help");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: ${name.replace(":", "\\:")} \\[options\\]`));
    expect(r.stdout).toContain("\nExit codes:\n  0  ok ");
    if (name !== "build") {
      const codes = Object.keys(COMMANDS[name]().command.spec.exitCodes).map(Number) as ExitCode[];
      for (const c of codes) expect(r.stdout).toMatch(new RegExp(`\\n  ${c}  ${EXIT_CODE_NAMES[c]} +\\S`));
    }
    expect(copy.snapshot()).toEqual(before);
  });
  it("a typical bad input exits 1 with one message naming what to fix, no stack trace", async () => {
    const before = copy.snapshot();
    const r = await npm(name, BAD[name].args);
    expect(r.stderr).toMatch(BAD[name].stderr);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(1);
    expect(copy.snapshot()).toEqual(before);
  });
  if (name in GOOD) {
    it("a typical good input exits as documented and prints what it did", async () => {
      const g = GOOD[name];
      const r = await npm(name, g.args);
      expect(r.code).toBe(g.code);
      expect(r.stdout).toMatch(g.stdout);
      expect(r.stdout + r.stderr).not.toBe("");
    });
  }
});

describe("the tools' scripts", () => {
  it("npm run test:unit -- --listTests lists the unit project only", async () => {
    const r = await npm("test:unit", "--listTests");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("/tests/config.test.ts");
    expect(r.stdout).not.toContain("/tests/journey.test.ts");
  });
  it.each([
    ["test", /Usage: jest/],
    ["typecheck", /tsc: The TypeScript Compiler/],
  ])("npm run %s -- --help prints the tool's usage and exits 0", async (script, usage) => {
    const r = await npm(script, "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(usage);
  });
});

describe("the runner", () => {
  it("names an unknown command and lists the commands (exit 1)", async () => {
    const r = await sh("node bin/cli/main.js plna", copy.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`unknown command "plna"; commands: ${Object.keys(COMMANDS).join(", ")}\n`);
  });
});

describe("errors the commands do not expect", () => {
  it("are one line naming the error, exit 1; PHOTO_ANALYTICS_DEBUG=1 adds the stack trace", () => {
    const e = new TypeError("x is not a function");
    expect(errorExit("plan", e, {})).toEqual({
      code: 1,
      message: "plan: unexpected error: x is not a function (PHOTO_ANALYTICS_DEBUG=1 prints the stack trace)\n",
    });
    const debug = errorExit("plan", e, { PHOTO_ANALYTICS_DEBUG: "1" });
    expect(debug.message).toMatch(/^plan: unexpected error: x is not a function\nTypeError: x is not a function\n\s+at /);
  });
});

describe("plan --against", () => {
  it.each([
    [
      "a missing file",
      "nosuch.json",
      /^plan: --against nosuch\.json: cannot read the file \(ENOENT\); write one with "npm run plan -- --stack <name> --format json > nosuch\.json", or \{"resources": \[\]\} for a stack that does not exist yet\n$/,
    ],
    ["a file that is not JSON", "README.md", /^plan: --against README\.md: not JSON \(Unexpected token/],
    ["JSON that is not a plan", "package.json", /^plan: --against package\.json: not a plan: expected an object with "resources": \[\.\.\.\]; /],
  ])("fails on %s with one line, exit 1", async (_what, file, message) => {
    const r = await npm("plan", `--stack dev --against ${file}`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
  });
  it("an empty base shows every resource as created, with the data-flow picture (exit 2)", async () => {
    fs.writeFileSync(path.join(copy.dir, "empty.json"), '{"resources": []}\n');
    const full = await npm("plan", "--stack prod --format json");
    const count = (JSON.parse(full.stdout) as { resources: { component: boolean }[] }).resources.length;
    const r = await npm("plan", "--stack prod --against empty.json --format markdown");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`+${count} to create, ~0 to update, +-0 to replace, -0 to delete, 0 unchanged`);
    expect(r.stdout).toContain("#### Data flow (added in green, removed in red)\n\n```mermaid\nflowchart LR");
  });
});

describe("a clone without installed packages", () => {
  it("says to install them (the README's set-up), exit 1, for a command and for the build", async () => {
    const bare = projectCopy("none");
    try {
      for (const cmd of ["npm run -s plan -- --stack dev", "npm run -s build"]) {
        const r = await sh(cmd, bare.dir);
        expect(r.code).toBe(1);
        expect(r.stderr).toBe(
          "photo-analytics: the npm packages are not installed here: run `npm ci` first (./scripts/plan.sh and ./scripts/test.sh, the README's two commands, run it for you)\n",
        );
      }
    } finally {
      bare.remove();
    }
  });
});
