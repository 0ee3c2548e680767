import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");
const files = fs
  .readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: unknown;
  jobs: Record<string, { steps: Step[]; environment?: string }>;
}
const load = (f: string) => parse(fs.readFileSync(path.join(DIR, f), "utf8")) as Workflow;
const runs = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ""));

/** `npm run X`, `npm run --silent X`, `npm test`. */
export function npmScripts(command: string): string[] {
  const out = [...command.matchAll(/npm run(?: --?[a-z-]+)* ([a-z][\w:-]*)/g)].map((m) => m[1]);
  if (/npm test\b/.test(command)) out.push("test");
  return out;
}

describe("workflows", () => {
  it("has the three workflows", () => {
    expect(files).toEqual(["deploy.yml", "pr-plan.yml", "pr-preview.yml"]);
  });
  it.each(files)("%s parses as YAML with jobs and steps", (f) => {
    const w = load(f);
    expect(Object.keys(w.jobs).length).toBeGreaterThan(0);
    for (const j of Object.values(w.jobs)) expect(j.steps.length).toBeGreaterThan(0);
  });
  it.each(files)("every npm script %s runs exists in package.json", (f) => {
    const used = runs(load(f)).flatMap(npmScripts);
    const known = new Set(scripts);
    expect(used.filter((s) => !known.has(s))).toEqual([]);
  });
  it.each(files)("every file %s runs with ts-node exists", (f) => {
    const used = runs(load(f)).flatMap((r) => [...r.matchAll(/ts-node(?: --[a-z-]+)* ([\w./-]+\.ts)/g)].map((m) => m[1]));
    for (const file of used) expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
  });
  it("recognises npm run forms", () => {
    expect(npmScripts('npm run --silent plan -- --stack "$s"; npm test && npm run typecheck')).toEqual(["plan", "typecheck", "test"]);
  });
  it("pull-request plan needs no secrets and posts one sticky comment", () => {
    const text = fs.readFileSync(path.join(DIR, "pr-plan.yml"), "utf8");
    expect(text).not.toMatch(/secrets\./);
    const steps = Object.values(load("pr-plan.yml").jobs).flatMap((j) => j.steps);
    const sticky = steps.filter((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment"));
    expect(sticky).toHaveLength(1);
    expect(steps.some((s) => /--against/.test(s.run ?? ""))).toBe(true);
    // Every stack's diff, picture, cost delta and verdicts go through the size-limited comment builder.
    const build = steps.find((s) => /bin\/cli\/pr-comment\.js/.test(s.run ?? ""));
    expect(build?.run).toMatch(/--format markdown --against/);
    expect(build?.run).toMatch(/--out \.\.\/plans\/comment\.md/);
    expect(fs.existsSync(path.join(ROOT, "cli", "pr-comment.ts"))).toBe(true);
    expect(sticky[0].with?.path).toBe("plans/comment.md");
  });
  it("preview runs pulumi/actions with comment-on-pr, diff and the policy pack", () => {
    const steps = Object.values(load("pr-preview.yml").jobs).flatMap((j) => j.steps);
    const preview = steps.find((s) => s.uses?.startsWith("pulumi/actions"));
    expect(preview?.with).toMatchObject({ command: "preview", "comment-on-pr": true, diff: true, policyPacks: "policy" });
  });
  it("deploys dev, then prod behind the protected environment", () => {
    const w = load("deploy.yml");
    expect(w.jobs.prod.environment).toBe("prod");
    expect((w.jobs.prod as { needs?: string }).needs).toBe("dev");
    const up = w.jobs.prod.steps.find((s) => s.uses?.startsWith("pulumi/actions"));
    expect(up?.with).toMatchObject({ command: "up", "stack-name": "prod" });
  });
  it.each(files)("%s stores no Alibaba Cloud AccessKey", (f) => {
    const text = fs.readFileSync(path.join(DIR, f), "utf8");
    expect(text).not.toMatch(/ALICLOUD_(ACCESS|SECRET)_KEY|ALIBABA_CLOUD_ACCESS_KEY|secrets\.[A-Z_]*(ALICLOUD|ALIBABA|ACCESS_KEY)/);
  });
  it.each(["deploy.yml", "pr-preview.yml"])("%s gets short-lived credentials through GitHub's OIDC token before Pulumi runs", (f) => {
    const w = load(f) as Workflow & { permissions?: Record<string, string> };
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
});
