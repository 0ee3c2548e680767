/**
 * A throwaway copy of the project, as a user's clone has it, for tests that run the commands as
 * processes: every file git tracks or would track (the working tree, uncommitted edits
 * included; nothing ignored: no bin/, no node_modules), in a temp directory, as a git
 * repository with one commit. Commands are spawned the way users and workflows run them.
 */
import { execFileSync, spawn, SpawnOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ROOT = path.join(__dirname, "..", "..");

export interface ProjectCopy {
  readonly dir: string;
  /** Every file's path (relative) and content hash: what "changes nothing" compares. */
  snapshot(): Map<string, string>;
  remove(): void;
}

/** The project's files, as git lists them (tracked and untracked-but-not-ignored). */
export function projectFiles(root: string = ROOT): string[] {
  return execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter((f) => f !== "" && fs.existsSync(path.join(root, f)));
}

/** Copies the project's files into `dest` (created). */
export function copyProjectFiles(dest: string, root: string = ROOT): void {
  for (const f of projectFiles(root)) {
    const to = path.join(dest, f);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(root, f), to);
    fs.chmodSync(to, fs.statSync(path.join(root, f)).mode);
  }
}

/**
 * A copy of the project in a temp directory. `nodeModules`: "link" points node_modules at the
 * project's own (a symlink: never run `npm ci` in such a copy), "none" leaves it out (a fresh clone).
 */
export function projectCopy(nodeModules: "link" | "none" = "link", prefix = "pa-copy-"): ProjectCopy {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  copyProjectFiles(dir);
  if (nodeModules === "link") fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A");
  git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", "copy");
  return {
    dir,
    snapshot: () => {
      const out = new Map<string, string>();
      const walk = (rel: string) => {
        for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
          const r = path.join(rel, e.name);
          if (["node_modules", "bin", ".git"].includes(r)) continue;
          if (e.isDirectory()) walk(r);
          else out.set(r, fs.readFileSync(path.join(dir, r), "utf8"));
        }
      };
      walk("");
      return out;
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command line with bash in `cwd` (as a user types it), with `input` on stdin. */
export function sh(command: string, cwd: string, env: NodeJS.ProcessEnv = {}, input?: string, timeoutMs = 240_000): Promise<ProcessResult> {
  const opts: SpawnOptions = {
    cwd,
    env: { ...process.env, PHOTO_ANALYTICS_DEBUG: undefined, MYSQL_PWD: undefined, ...env, npm_config_update_notifier: "false" },
    stdio: ["pipe", "pipe", "pipe"],
  };
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", command], opts);
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(input ?? "");
  });
}

/** A stack trace's frame lines ("    at f (file:1:2)"): never in a command's output for bad input. */
export const STACK_FRAME = /^\s+at .+[(:]\d+/m;

/** A stack name no Pulumi.<name>.yaml of the project uses yet (tests init it; the suite passes with any stack added). */
export function freeStackName(base = "staging", root: string = ROOT): string {
  for (let i = 0; ; i++) {
    const name = i === 0 ? base : `${base}${i + 1}`;
    if (!fs.existsSync(path.join(root, `Pulumi.${name}.yaml`))) return name;
  }
}
