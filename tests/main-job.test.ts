/**
 * The main job as a user runs it: `./scripts/plan.sh` (the offline plan of the dev stack)
 * in a child process, through the same runner as `npm run plan` — not through jest's
 * transformer, which resolves modules differently (a .json beside a .ts of the same name once
 * broke the real command while every in-process test passed).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

describe("./scripts/plan.sh (the main job)", () => {
  it("runs the command `npm run plan` runs", () => {
    const npmPlan = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.plan;
    expect(npmPlan).toBe("node -r ./scripts/build.js bin/cli/main.js plan");
    expect(fs.readFileSync(path.join(ROOT, "scripts", "plan.sh"), "utf8")).toContain(`\nexec ${npmPlan} "$@"\n`);
  });
  it("prints the dev plan with its cost and policy verdicts and exits 0", () => {
    const r = spawnSync(path.join(ROOT, "scripts", "plan.sh"), [], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("photo-analytics: stack dev, stage initial, region cn-shanghai");
    expect(r.stdout).toMatch(/\nMonthly cost estimate: ¥[\d,.]+/);
    expect(r.stdout).toMatch(/\nPolicies \(photo-analytics pack\): \d+ pass, 0 fail/);
    expect(r.stdout).not.toMatch(/v1:[A-Za-z0-9]+:/); // no encrypted value leaks
  });
  it("exits 1 with the option named for an unknown stack", () => {
    const r = spawnSync(path.join(ROOT, "scripts", "plan.sh"), ["--stack", "nosuch"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^plan: .*Pulumi\.nosuch\.yaml: cannot read the stack settings file \(ENOENT\)\n$/);
  });
});
