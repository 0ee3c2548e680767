/**
 * plan-engine/lean-sdk.ts: a plan process loads the Pulumi SDK without its Automation API, TypeScript and
 * npm's arborist, and the @pulumi/alicloud namespaces the program uses without the package's
 * index; it prints the plan the full SDK prints; and what uses a deferred module still gets the
 * real one; the commands that run no program do not load the SDK at all. Runs compiled
 * processes (bin/): Jest's own module loader bypasses the deferral.
 */
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const BIN = path.join(ROOT, "bin");
const { build } = require("../scripts/build.js") as { build: () => string[] };

/** Runs `script` in a fresh node process in the project (env added), returns its stdout, stderr and status. */
function node(script: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["-e", script], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, PHOTO_ANALYTICS_PLAN_FULL_SDK: "0", ...env },
  });
}

/** A plan through the compiled `plan` command; stderr gets the loaded files matching the groups below. */
const planScript = (args: string[]) => `
  const { main } = require(${JSON.stringify(path.join(BIN, "cli", "plan.js"))});
  main(${JSON.stringify(args)}).then((code) => {
    const files = Object.keys(require.cache);
    const has = (re) => files.filter((f) => re.test(f)).length;
    process.stderr.write(JSON.stringify({
      code,
      typescript: has(/node_modules\\/typescript\\//),
      arborist: has(/node_modules\\/@npmcli\\/arborist\\//),
      automation: has(/@pulumi\\/pulumi\\/automation\\//),
      execa: has(/node_modules\\/execa\\//),
      alicloudIndex: has(/@pulumi\\/alicloud\\/index\\.js$/),
      alicloudNamespaces: [...new Set(files.map((f) => (/@pulumi\\/alicloud\\/([a-z]+)\\//.exec(f) || [])[1]).filter(Boolean))].sort(),
      sdkFiles: has(/@pulumi\\/pulumi\\//),
    }));
  });
`;

beforeAll(() => {
  build();
});

describe("the offline plan's SDK load", () => {
  const args = ["--stack", "prod", "--stage", "mature", "--against-stage", "initial", "--format", "json"];

  it("leaves out the Automation API, TypeScript and arborist, and prints what the full SDK prints", () => {
    const lean = node(planScript(args));
    const full = node(planScript(args), { PHOTO_ANALYTICS_PLAN_FULL_SDK: "1" });
    const leanLoaded = JSON.parse(lean.stderr);
    const fullLoaded = JSON.parse(full.stderr);
    expect(leanLoaded).toMatchObject({ code: 2, typescript: 0, arborist: 0, automation: 0, execa: 0, alicloudIndex: 0 });
    // The namespaces components/common/alicloud.ts lists and the prod/mature plan (DTS engine) uses.
    expect(leanLoaded.alicloudNamespaces).toEqual([
      "datahub",
      "dataworks",
      "dts",
      "eci",
      "ims",
      "log",
      "maxcompute",
      "ram",
      "rds",
      "realtimecompute",
      "ros",
      "sls",
    ]);
    // The same command with the deferral off loads all of it: the difference is the deferral's.
    expect(fullLoaded).toMatchObject({ code: 2, typescript: 1, automation: expect.any(Number), alicloudIndex: 0 });
    expect(fullLoaded.arborist).toBeGreaterThan(10);
    expect(fullLoaded.automation).toBeGreaterThan(5);
    expect(fullLoaded.sdkFiles).toBeGreaterThan(leanLoaded.sdkFiles);
    expect(lean.stdout.length).toBeGreaterThan(10_000);
    expect(lean.stdout).toBe(full.stdout);
  }, 120_000);

  it("still gives the real module to what uses one: closure serialization, code paths, the Automation API", () => {
    const script = `
      require(${JSON.stringify(path.join(BIN, "plan-engine", "lean-sdk.js"))});
      const pulumi = require("@pulumi/pulumi");
      const loaded = (re) => Object.keys(require.cache).some((f) => re.test(f));
      const before = { typescript: loaded(/node_modules\\/typescript\\//), arborist: loaded(/@npmcli\\/arborist\\//) };
      const { dataWorksNodeProvider } = require(${JSON.stringify(path.join(BIN, "providers", "dataworks", "node.js"))});
      (async () => {
        const sf = await pulumi.runtime.serializeFunction(() => dataWorksNodeProvider, { allowSecrets: false });
        const paths = await pulumi.runtime.computeCodePaths();
        process.stdout.write(JSON.stringify({
          before,
          after: { typescript: loaded(/node_modules\\/typescript\\//), arborist: loaded(/@npmcli\\/arborist\\//) },
          text: sf.text,
          codePaths: [...paths.keys()].sort(),
          workspace: typeof pulumi.automation.LocalWorkspace.create,
        }));
      })();
    `;
    const lean = JSON.parse(node(script).stdout);
    const full = JSON.parse(node(script, { PHOTO_ANALYTICS_PLAN_FULL_SDK: "1" }).stdout);
    expect(lean.before).toEqual({ typescript: false, arborist: false });
    expect(full.before).toEqual({ typescript: true, arborist: true });
    expect(lean.after).toEqual({ typescript: true, arborist: true });
    expect(lean.text).toContain("exports.handler");
    expect(lean.text.length).toBeGreaterThan(1000);
    expect(lean.text).toBe(full.text);
    // The packages `pulumi up` ships with the providers' code (the credentials chain among them).
    expect(lean.codePaths).toContain("node_modules/@alicloud/credentials");
    expect(lean.codePaths).toEqual(full.codePaths);
    expect(lean.workspace).toBe("function");
  }, 120_000);

  it("defers only the SDK's own requests: the same modules required from elsewhere load at once", () => {
    const r = node(`
      require(${JSON.stringify(path.join(BIN, "plan-engine", "lean-sdk.js"))});
      const ts = require("typescript");
      const loaded = Object.keys(require.cache).some((f) => /node_modules\\/typescript\\//.test(f));
      process.stdout.write(JSON.stringify({ loaded, type: typeof ts, createSourceFile: typeof ts.createSourceFile }));
    `);
    expect(JSON.parse(r.stdout)).toEqual({ loaded: true, type: "object", createSourceFile: "function" });
  }, 60_000);

  it.each(["preflight", "ddl", "verify"])(
    "`%s` runs no program and does not load the Pulumi SDK",
    (command) => {
      const r = node(`
      require(${JSON.stringify(BIN)} + "/cli/${command}.js");
      const files = Object.keys(require.cache);
      process.stdout.write(JSON.stringify({ sdk: files.filter((f) => /@pulumi\\//.test(f)).length, ours: files.filter((f) => f.startsWith(${JSON.stringify(BIN)})).length }));
    `);
      const loaded = JSON.parse(r.stdout);
      expect(loaded.sdk).toBe(0);
      expect(loaded.ours).toBeGreaterThan(5);
    },
    60_000,
  );
});
