/**
 * The GitHub workflows, checked and run here:
 * - valid against the GitHub Actions workflow schema (@action-validator/core, SchemaStore's
 *   schema), every expression in a known context, every action pinned to a major version;
 * - every `npm run` script, file and npm binary a `run:` step names exists;
 * - every stack file is in the deploy and preview stack lists, and nothing else is;
 * - every job step that needs no cloud credentials is run as the workflow runs it
 *   (tests/support/workflow-runner.ts): deploy.yml's check job (the README's test command,
 *   with the suite listed rather than run again inside itself), its per-stack policy config,
 *   pr-preview.yml's, and pr-plan.yml on a pull request that adds a stack with `npm run init`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateWorkflow } from "@action-validator/core";
import { workflowStackLists } from "../lib/ci/workflow-stacks";
import { copyProjectFiles, freeStackName, ROOT, sh } from "./support/project-copy";
import { expressions, JobContext, loadWorkflow, runJob, StepResult, WORKFLOW_DIR, Workflow } from "./support/workflow-runner";

const files = fs
  .readdirSync(WORKFLOW_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
const stacks = fs
  .readdirSync(ROOT)
  .flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? [])
  .sort();
const runs = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run ? [{ run: s.run, dir: s["working-directory"] ?? "." }] : [])));

/** The runner image every job uses (docs/pr-previews.md and docs/ci-credentials.md name it). */
const RUNNER_IMAGE = "ubuntu-24.04";

/** `npm run X`, `npm run --silent X`, `npm run -s X`, `npm test`. */
export function npmScripts(command: string): string[] {
  const out = [...command.matchAll(/npm run(?: -{1,2}[a-z-]+)* ([a-z][\w:-]*)/g)].map((m) => m[1]);
  if (/npm test\b/.test(command)) out.push("test");
  return out;
}

/** Files a command line runs: `./x.sh`, `node <file>`, `ts-node <file>`. */
export function runFiles(command: string): string[] {
  return [...command.matchAll(/(?:^|[\s;&|(])(\.\/[\w./-]+|(?:node|ts-node(?: --[a-z-]+)*) [\w./-]+\.[jt]s)/g)].map((m) =>
    m[1].replace(/^(node|ts-node(?: --[a-z-]+)*) /, ""),
  );
}

/** npm binaries a command line runs with npx. */
export function npxBinaries(command: string): string[] {
  return [...command.matchAll(/npx(?: --?[a-z-]+)* ([@\w./-]+)/g)].map((m) => m[1]);
}

describe("workflows, statically", () => {
  it("are the three workflows", () => {
    expect(files).toEqual(["deploy.yml", "pr-plan.yml", "pr-preview.yml"]);
  });
  it.each(files)("%s is valid against the GitHub Actions workflow schema", (f) => {
    const state = validateWorkflow(fs.readFileSync(path.join(WORKFLOW_DIR, f), "utf8"));
    expect(state.errors).toEqual([]);
  });
  it("the schema check fails on a broken workflow (the validator is live)", () => {
    expect(validateWorkflow("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz: []\n").errors.length).toBeGreaterThan(0);
  });
  it.each(files)("%s uses only known expression contexts, actions pinned to a major version, and the one runner image", (f) => {
    const text = fs.readFileSync(path.join(WORKFLOW_DIR, f), "utf8");
    const contexts = new Set(expressions(text).flatMap((e) => [...e.matchAll(/(?:^|[\s!(])([a-z]+)\./g)].map((m) => m[1])));
    for (const c of contexts) expect(["github", "env", "vars", "secrets", "matrix", "steps", "needs", "inputs", "runner", "job", "strategy"]).toContain(c);
    const w = loadWorkflow(f);
    for (const job of Object.values(w.jobs)) {
      expect(job["runs-on"]).toBe(RUNNER_IMAGE);
      for (const s of job.steps) if (s.uses) expect(s.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
    }
  });
  it.each(files)("every npm script, file and npm binary %s runs exists", (f) => {
    for (const { run, dir } of runs(loadWorkflow(f))) {
      for (const s of npmScripts(run)) expect([s, s in pkg.scripts]).toEqual([s, true]);
      // working-directory head/ and base/ are checkouts of this repository.
      for (const file of runFiles(run)) expect([file, fs.existsSync(path.join(ROOT, file))]).toEqual([file, true]);
      for (const bin of npxBinaries(run)) expect([bin, fs.existsSync(path.join(ROOT, "node_modules", ".bin", bin))]).toEqual([bin, true]);
      expect(dir).toMatch(/^(\.|head|base)$/);
    }
  });
  it("recognises the command forms", () => {
    expect(npmScripts('npm run --silent plan -- --stack "$s"; npm test && npm run -s typecheck')).toEqual(["plan", "typecheck", "test"]);
    expect(runFiles("./scripts/test.sh && node bin/cli/main.js plan; npx ts-node --swc cli/x.ts")).toEqual([
      "./scripts/test.sh",
      "bin/cli/main.js",
      "cli/x.ts",
    ]);
    expect(npxBinaries("npx jest --listTests && npx --yes tsc")).toEqual(["jest", "tsc"]);
  });
  it("deploy.yml's check job runs the README's test command, the one CI runs", () => {
    const check = loadWorkflow("deploy.yml").jobs.check;
    expect(check.steps.filter((s) => s.run).map((s) => s.run)).toEqual(["./scripts/test.sh"]);
    expect(fs.readFileSync(path.join(ROOT, "README.md"), "utf8")).toContain("./scripts/test.sh      # the whole test suite");
    expect(fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8")).toMatch(/\n\.\/scripts\/test\.sh\n$/);
  });
  it("every stack file is deployed and previewed, in the lists init keeps, and the lists name only stack files", () => {
    for (const f of ["deploy.yml", "pr-preview.yml"]) {
      const lists = workflowStackLists(fs.readFileSync(path.join(WORKFLOW_DIR, f), "utf8"));
      expect(Object.keys(lists)).toEqual([f === "deploy.yml" ? "deploy" : "preview"]);
      for (const list of Object.values(lists)) expect([f, [...list].sort()]).toEqual([f, stacks]);
    }
    const deploy = loadWorkflow("deploy.yml").jobs.deploy;
    expect(deploy.strategy).toMatchObject({ "max-parallel": 1, "fail-fast": true });
    expect(deploy.environment).toBe("${{ matrix.stack }}");
    expect((deploy.strategy!.matrix!.stack as string[]).at(-1)).toBe("prod");
  });
  it("pull-request plan needs no secrets and posts one sticky comment", () => {
    expect(fs.readFileSync(path.join(WORKFLOW_DIR, "pr-plan.yml"), "utf8")).not.toMatch(/secrets\./);
    const steps = Object.values(loadWorkflow("pr-plan.yml").jobs).flatMap((j) => j.steps);
    expect(steps.filter((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment"))).toHaveLength(1);
  });
  it.each(files)("%s stores no Alibaba Cloud AccessKey", (f) => {
    expect(fs.readFileSync(path.join(WORKFLOW_DIR, f), "utf8")).not.toMatch(
      /ALICLOUD_(ACCESS|SECRET)_KEY|ALIBABA_CLOUD_ACCESS_KEY|secrets\.[A-Z_]*(ALICLOUD|ALIBABA|ACCESS_KEY)/,
    );
  });
  it.each(["deploy.yml", "pr-preview.yml"])("%s gets short-lived credentials through GitHub's OIDC token before Pulumi runs", (f) => {
    const w = loadWorkflow(f);
    expect(w.permissions?.["id-token"]).toBe("write");
    for (const job of Object.values(w.jobs)) {
      const pulumiAt = job.steps.findIndex((s) => s.uses?.startsWith("pulumi/actions"));
      if (pulumiAt < 0) continue;
      const oidcAt = job.steps.findIndex((s) => s.uses?.startsWith("aliyun/configure-aliyun-credentials-action@"));
      expect(oidcAt).toBeGreaterThanOrEqual(0);
      expect(oidcAt).toBeLessThan(pulumiAt);
      expect(job.steps[oidcAt].with).toEqual({
        "role-to-assume": f === "deploy.yml" ? "${{ vars.ALIBABA_CLOUD_DEPLOY_ROLE_ARN }}" : "${{ vars.ALIBABA_CLOUD_PREVIEW_ROLE_ARN }}",
        "oidc-provider-arn": "${{ vars.ALIBABA_CLOUD_OIDC_PROVIDER_ARN }}",
      });
    }
  });
  it.each(["docs/pr-previews.md", "docs/ci-credentials.md"])("%s names the runner image and what each job installs", (doc) => {
    const text = fs.readFileSync(path.join(ROOT, doc), "utf8");
    expect(text).toContain(RUNNER_IMAGE);
    expect(text).toContain("./scripts/test.sh");
    expect(text).toMatch(/npm ci/);
  });
});

/** Workflow jobs run here; a shared workspace root, and the first real install linked by later ones. */
describe("workflows, run", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pa-workflows-"));
  const shared: { installed: JobContext["installed"] } = { installed: undefined };
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const workspace = (name: string) => {
    const d = path.join(root, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  const ok = (results: StepResult[]) => {
    const failed = results.find((r) => r.outcome === "failure");
    if (failed) throw new Error(`step "${failed.step}" failed:\n${failed.stdout.slice(-3000)}\n${failed.stderr.slice(-3000)}`);
    return results;
  };
  const ctx = (ws: string, values: Record<string, string>, checkout: JobContext["checkout"], env: NodeJS.ProcessEnv = {}): JobContext => ({
    workspace: ws,
    values,
    checkout,
    env,
    get installed() {
      return shared.installed;
    },
    set installed(v) {
      shared.installed = v;
    },
  });
  const thisCommit: JobContext["checkout"] = (dest, ref) => {
    if (ref !== undefined) throw new Error(`checkout of ${ref}: only the commit under test here`);
    copyProjectFiles(dest);
  };

  it("deploy.yml check: ./scripts/test.sh on a fresh checkout installs, type-checks, lints and finds the suite", async () => {
    const ws = workspace("check");
    const results = ok(await runJob(loadWorkflow("deploy.yml"), "check", ctx(ws, {}, thisCommit, { PHOTO_ANALYTICS_NESTED_TEST_RUN: "1" })));
    expect(results.map((r) => r.outcome)).toEqual(["success", "success", "success"]);
    const testFiles = fs.readdirSync(path.join(ROOT, "tests")).filter((f) => f.endsWith(".test.ts")).length;
    expect(results[2].stdout).toContain(`${testFiles} test files (nested run: listed, not run)`);
    shared.installed = { dir: ws, lock: fs.readFileSync(path.join(ws, "package-lock.json"), "utf8") };
  }, 600_000);

  it.each([
    ["deploy.yml", "deploy"],
    ["pr-preview.yml", "preview"],
  ])(
    "%s %s: for every stack of its list, every step without cloud credentials succeeds and writes the policy config",
    async (file, jobId) => {
      const wf = loadWorkflow(file);
      for (const stack of wf.jobs[jobId].strategy!.matrix!.stack as string[]) {
        const ws = workspace(`${jobId}-${stack}`);
        const values = {
          "matrix.stack": stack,
          "secrets.PULUMI_ACCESS_TOKEN": "test-token",
          "vars.ALIBABA_CLOUD_DEPLOY_ROLE_ARN": "acs:ram::1:role/d",
          "vars.ALIBABA_CLOUD_PREVIEW_ROLE_ARN": "acs:ram::1:role/p",
          "vars.ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::1:oidc-provider/github",
          "secrets.PULUMI_ACCESS_TOKEN != '' && vars.ALIBABA_CLOUD_PREVIEW_ROLE_ARN != ''": "true",
        };
        const results = ok(await runJob(wf, jobId, ctx(ws, values, thisCommit)));
        expect(results.filter((r) => r.outcome === "cloud (not run)").map((r) => r.step)).toEqual([
          "Short-lived " + (jobId === "deploy" ? "" : "read-only ") + "Alibaba Cloud credentials (OIDC)",
          jobId === "deploy" ? "pulumi/actions@v6" : "Pulumi preview with policies",
        ]);
        const config = JSON.parse(fs.readFileSync(path.join(ws, "policy-config.json"), "utf8")) as Record<string, { enforcementLevel: string }>;
        expect(Object.keys(config).length).toBeGreaterThan(5);
        expect(config["single-region"]).toMatchObject({ region: "cn-shanghai" });
      }
    },
    600_000,
  );

  it("pr-plan.yml on a pull request that adds a stack with npm run init: every stack diffed, the new one created in full, one comment", async () => {
    const ws = workspace("pr-plan");
    // The pull request: head = this commit plus `npm run init -- --stack <new> --from prod`.
    const added = freeStackName();
    const head = path.join(root, "pr-head-source");
    copyProjectFiles(head);
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(head, "node_modules"), "dir");
    const init = await sh(`npm run -s init -- --stack ${added} --from prod`, head);
    expect(init.code).toBe(0);
    fs.rmSync(path.join(head, "node_modules"));
    fs.rmSync(path.join(head, "bin"), { recursive: true, force: true });
    const checkout: JobContext["checkout"] = (dest, ref) => {
      if (ref === "BASE_SHA") copyProjectFiles(dest);
      else if (ref === undefined) fs.cpSync(head, dest, { recursive: true });
      else throw new Error(`checkout of ${ref}`);
    };
    const values = {
      "github.event.pull_request.number": "7",
      "github.event.pull_request.base.sha": "BASE_SHA",
      "github.event.pull_request.head.sha": "HEAD_SHA",
    };
    const results = ok(await runJob(loadWorkflow("pr-plan.yml"), "plan", ctx(ws, values, checkout)));
    expect(results.map((r) => [r.step, r.outcome])).toEqual([
      ["Check out head", "success"],
      ["Check out base", "success"],
      ["actions/setup-node@v4", "success"],
      ["Install (head)", "success"],
      ["Install (base)", "success"],
      ["Type-check", "success"],
      ["Plan every stack at base (JSON)", "success"],
      ["Diff every stack, head against base (Markdown), into one comment", "success"],
      ["Post or update the sticky comment", "success"],
      ["Fail on plan errors", "skipped"],
    ]);
    const comment = fs.readFileSync(path.join(ws, "plans", "comment.md"), "utf8");
    expect(comment).toMatch(/^## photo-analytics offline plan\n\nBase `BASE_SHA` → head `HEAD_SHA`\. Offline: no credentials used\./);
    for (const s of [...stacks, added]) expect(comment).toContain(`### \`${s}\``);
    const staging = fs.readFileSync(path.join(ws, "plans", `${added}.md`), "utf8");
    const full = JSON.parse((await sh(`npm run -s plan -- --stack ${added} --format json`, path.join(ws, "head"))).stdout) as { resources: unknown[] };
    expect(staging).toContain(`+${full.resources.length} to create, ~0 to update, +-0 to replace, -0 to delete, 0 unchanged`);
    expect(staging).toContain("```mermaid");
    expect(staging).toContain("photo-analytics:sourcePassword is the placeholder npm run init wrote");
    expect(fs.readFileSync(path.join(ws, "plans", "dev.md"), "utf8")).toContain("+0 to create, ~0 to update, +-0 to replace, -0 to delete");
    expect(results[7].outputs).toEqual({ status: "0" });
  }, 600_000);
});
