/**
 * Runs a GitHub Actions job of .github/workflows/ here, step by step, as the runner would:
 * each `run:` step with GitHub's default shell (`bash --noprofile --norc -eo pipefail`), in its
 * `working-directory`, with the job's and step's `env`, `GITHUB_OUTPUT` / `GITHUB_WORKSPACE`, and
 * every `${{ }}` expression replaced by a test value (an expression without one is an error).
 *
 * `uses:` steps are stood in for: `actions/checkout` copies a checkout the test supplies,
 * `actions/setup-node` checks the Node major version, the sticky-comment action checks that the
 * file it would post exists; the steps that need cloud credentials (the OIDC credentials
 * action, `pulumi/actions`) are recorded as skipped. Any other action is an error.
 *
 * `npm ci` runs for real the first time; a later `npm ci` of the same package-lock.json links
 * that install's node_modules instead (the same packages; minutes saved), and says so.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { sh } from "./project-copy";

export interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly "working-directory"?: string;
}
export interface Job {
  readonly "runs-on": string;
  readonly steps: readonly Step[];
  readonly env?: Record<string, string>;
  readonly needs?: string | string[];
  readonly environment?: string;
  readonly strategy?: { matrix?: Record<string, unknown[]>; "max-parallel"?: number; "fail-fast"?: boolean };
}
export interface Workflow {
  readonly name: string;
  readonly on: unknown;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

export const WORKFLOW_DIR = path.join(__dirname, "..", "..", ".github", "workflows");

export function loadWorkflow(file: string, dir: string = WORKFLOW_DIR): Workflow {
  return YAML.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Workflow;
}

/** Every `${{ expr }}` in a text, trimmed. */
export function expressions(text: string): string[] {
  return [...text.matchAll(/\$\{\{\s*(.+?)\s*\}\}/g)].map((m) => m[1]);
}

/** `text` with each `${{ expr }}` replaced by `values[expr]`; throws naming an expression without a value. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_m, expr: string) => {
    if (!(expr in values)) throw new Error(`no test value for \${{ ${expr} }}`);
    return values[expr];
  });
}

export interface StepResult {
  readonly step: string;
  readonly outcome: "success" | "failure" | "skipped" | "cloud (not run)";
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Readonly<Record<string, string>>;
}

export interface JobContext {
  /** The job's working directory (GITHUB_WORKSPACE), created by the caller. */
  readonly workspace: string;
  /** Values of the `${{ }}` expressions, e.g. `{"matrix.stack": "dev"}`. */
  readonly values: Readonly<Record<string, string>>;
  /** Fills `dest` with the repository at `ref` (undefined: the commit under test). */
  readonly checkout: (dest: string, ref: string | undefined) => void;
  /** Extra environment for every step. */
  readonly env?: NodeJS.ProcessEnv;
  /** Set by the first real `npm ci`: the directory whose node_modules later installs link. */
  installed?: { dir: string; lock: string };
}

/** Evaluates the `if:` forms the workflows use: `<ref> == '<text>'` and `<ref> != '<text>'`. */
function condition(expr: string, lookup: (ref: string) => string | undefined): boolean {
  const m = /^\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*$/.exec(expr.replace(/^\$\{\{\s*|\s*\}\}$/g, ""));
  if (!m) throw new Error(`if: ${expr}: not a form the test runner evaluates`);
  const value = lookup(m[1]) ?? "";
  return m[2] === "==" ? value === m[3] : value !== m[3];
}

const CLOUD_ACTIONS = ["aliyun/configure-aliyun-credentials-action@", "pulumi/actions@"];

/** Runs `jobId` of `wf` (see the file comment). Stops at the first failing step. */
export async function runJob(wf: Workflow, jobId: string, ctx: JobContext): Promise<StepResult[]> {
  const job = wf.jobs[jobId];
  const results: StepResult[] = [];
  const stepOutputs: Record<string, Record<string, string>> = {};
  const jobEnv = Object.fromEntries(Object.entries({ ...wf.env, ...job.env }).map(([k, v]) => [k, substitute(String(v), ctx.values)]));
  const lookup = (ref: string): string | undefined => {
    const env = /^env\.(\w+)$/.exec(ref);
    if (env) return jobEnv[env[1]];
    const out = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(ref);
    if (out) return stepOutputs[out[1]]?.[out[2]];
    throw new Error(`if: cannot evaluate ${ref}`);
  };
  for (const [i, step] of job.steps.entries()) {
    const label = step.name ?? step.uses ?? step.run?.split("\n")[0] ?? `step ${i}`;
    const record = (r: Omit<StepResult, "step">) => {
      results.push({ step: label, ...r });
      if (step.id) stepOutputs[step.id] = { ...r.outputs };
    };
    if (step.if !== undefined && !condition(step.if, lookup)) {
      record({ outcome: "skipped", stdout: "", stderr: "", outputs: {} });
      continue;
    }
    if (step.uses !== undefined) {
      const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), ctx.values)]));
      if (CLOUD_ACTIONS.some((a) => step.uses!.startsWith(a))) {
        record({ outcome: "cloud (not run)", stdout: "", stderr: "", outputs: {} });
      } else if (step.uses.startsWith("actions/checkout@")) {
        const dest = path.join(ctx.workspace, w.path ?? ".");
        ctx.checkout(dest, w.ref);
        record({ outcome: "success", stdout: `checked out ${w.ref ?? "the commit under test"} into ${w.path ?? "."}`, stderr: "", outputs: {} });
      } else if (step.uses.startsWith("actions/setup-node@")) {
        const major = process.versions.node.split(".")[0];
        if (w["node-version"] !== major) throw new Error(`setup-node asks for Node ${w["node-version"]}; the test runs Node ${major}`);
        if (w["cache-dependency-path"] && !fs.existsSync(path.join(ctx.workspace, w["cache-dependency-path"]))) {
          throw new Error(`setup-node: cache-dependency-path ${w["cache-dependency-path"]} does not exist`);
        }
        record({ outcome: "success", stdout: `node ${process.versions.node}`, stderr: "", outputs: {} });
      } else if (step.uses.startsWith("marocchino/sticky-pull-request-comment@")) {
        const file = path.join(ctx.workspace, w.path);
        if (!fs.existsSync(file)) throw new Error(`sticky comment: ${w.path} does not exist`);
        record({ outcome: "success", stdout: fs.readFileSync(file, "utf8"), stderr: "", outputs: {} });
      } else {
        throw new Error(`uses: ${step.uses}: the test runner has no stand-in for this action`);
      }
      continue;
    }
    const cwd = path.join(ctx.workspace, step["working-directory"] ?? ".");
    const script = substitute(step.run ?? "", ctx.values);
    const lock = path.join(cwd, "package-lock.json");
    if (script.trim() === "npm ci" && ctx.installed && fs.existsSync(lock) && fs.readFileSync(lock, "utf8") === ctx.installed.lock) {
      fs.rmSync(path.join(cwd, "node_modules"), { recursive: true, force: true });
      fs.symlinkSync(path.join(ctx.installed.dir, "node_modules"), path.join(cwd, "node_modules"), "dir");
      record({ outcome: "success", stdout: `npm ci: linked the install of ${ctx.installed.dir} (same package-lock.json)`, stderr: "", outputs: {} });
      continue;
    }
    const outputFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pa-out-")), "output");
    fs.writeFileSync(outputFile, "");
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), ctx.values)]));
    const env = {
      ...process.env,
      npm_config_update_notifier: "false",
      ...ctx.env,
      ...jobEnv,
      ...stepEnv,
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: ctx.workspace,
      GITHUB_OUTPUT: outputFile,
    };
    // As GitHub runs a step (bash --noprofile --norc -eo pipefail), long enough for the nested check job.
    const r = await sh(script, cwd, env, undefined, 900_000);
    const outputs = Object.fromEntries(
      fs
        .readFileSync(outputFile, "utf8")
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    fs.rmSync(path.dirname(outputFile), { recursive: true, force: true });
    record({ outcome: r.code === 0 ? "success" : "failure", stdout: r.stdout, stderr: r.stderr, outputs });
    if (r.code !== 0) break;
    if (script.trim() === "npm ci" && !ctx.installed && fs.existsSync(lock)) ctx.installed = { dir: cwd, lock: fs.readFileSync(lock, "utf8") };
  }
  return results;
}
