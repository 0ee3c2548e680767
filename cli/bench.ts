/**
 * `npm run bench [-- --rounds 7]`: speed and memory of the offline plan and of the source toolkit.
 *
 * Each plan case runs in a fresh process (bench/plan-case.ts), as `npm run plan`
 * does: wall time is what a user waits for (module loading, SDK, program, mocks),
 * "plan ms" the in-process part alone, peak RSS the process's own. Cases run in rounds,
 * medians reported. Targets ("the plan in under a second"), as ratios to the floor: plain Node
 * loading both Pulumi SDKs (in full) and running one mocked resource: prod at mature <= 1.3x,
 * the --against-stage diff (two programs, one process) <= 1.5x; 1,000 tables under 3 s and
 * 400 MB. "bare-lean" is the floor loaded as the plan loads the SDKs (plan-engine/lean-sdk.ts).
 *
 * The cases live in bench/ (plan-case.ts, run in fresh processes; source.ts, loaded by path):
 * bench/ imports the commands, never the other way.
 */
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { PROJECT_ROOT } from "../project-files";
import { EXIT } from "../lib/exit-codes";
import { defineCommand, UsageError } from "./command";

export interface BenchRow {
  name: string;
  medianMs: number;
  /** Undefined when not measured (the unit tests' workers). */
  peakRssMb?: number;
  extra?: Record<string, number | string>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const round = (n: number) => Math.round(n * 10) / 10;

interface CaseRun {
  wallMs: number;
  planMs: number;
  peakRssMb: number;
  resources: number;
}

/** One run of a plan case in a fresh process. */
function runCase(name: string): CaseRun {
  const t = process.hrtime.bigint();
  // The compiled case, as the npm scripts run the commands (scripts/build.js brought bin/ up to date).
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "bin", "bench", "plan-case.js"), name], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    // The floor loads both SDKs as plain Node does (plan-engine/lean-sdk.ts is off for it).
    env: { ...process.env, PHOTO_ANALYTICS_PLAN_FULL_SDK: name === "bare" ? "1" : "0" },
  });
  const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`bench case ${name} failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split("\n").pop() as string) as { planMs: number; peakRssMb: number; resources: number };
  return { wallMs, ...out };
}

/**
 * Runs the cases in rounds (each round runs every case once, in turn), so that a drift of the
 * machine's speed reaches every case alike; a case's ratio to the floor is the median of its
 * per-round ratios.
 */
function planCases(names: readonly string[], rounds: number): BenchRow[] {
  const runs = new Map<string, CaseRun[]>(names.map((n) => [n, []]));
  for (let i = 0; i < rounds; i++) for (const n of names) runs.get(n)?.push(runCase(n));
  const floor = runs.get("bare") as CaseRun[];
  return names.map((n) => {
    const rs = runs.get(n) as CaseRun[];
    const extra: Record<string, number | string> = { "plan ms": round(median(rs.map((r) => r.planMs))), resources: rs[0].resources };
    if (n !== "bare") extra["x bare (wall)"] = Math.round(median(rs.map((r, i) => r.wallMs / floor[i].wallMs)) * 100) / 100;
    return { name: `plan: ${n}`, medianMs: round(median(rs.map((r) => r.wallMs))), peakRssMb: Math.max(...rs.map((r) => r.peakRssMb)), extra };
  });
}

/** The children's CPU seconds so far (Linux: /proc/self/stat cutime + cstime), or undefined elsewhere. */
function childrenCpuSeconds(): number | undefined {
  try {
    const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    // After ") ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

/** The unit test project (`npm run test:unit`: two workers), run once: its target is under 60 s on 2 cores. */
export function unitTestsRow(): BenchRow {
  const cpu0 = childrenCpuSeconds();
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [require.resolve("jest/bin/jest"), "--selectProjects", "unit", "--maxWorkers=2", "--silent"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`the unit tests failed (exit ${r.status}): ${(r.stderr || "").trim().split("\n").slice(-5).join(" | ")}`);
  const cpu1 = childrenCpuSeconds();
  const extra: Record<string, number | string> = { "target s": 60, workers: 2 };
  if (cpu0 !== undefined && cpu1 !== undefined) extra["cpu s"] = round(cpu1 - cpu0);
  return { name: "unit tests (npm run test:unit)", medianMs: round(wallMs), extra };
}

/** Runs every case (`rounds` rounds of the plan cases) and prints the table through `out`. */
export async function runBench(out: (line: string) => void, rounds = 7, unitTests = false): Promise<void> {
  const rows: BenchRow[] = [];
  if (unitTests) rows.push(unitTestsRow());
  rows.push(...planCases(["bare", "bare-lean", "dev", "prod", "prod-mature", "prod-against-stage"], rounds));
  rows.push(...planCases(["bare", "tables-1000"], Math.max(1, Math.ceil(rounds / 2))).slice(1));

  // The source toolkit's figures are in-process, and it shares tests/support (fixtures beside it): run from source.
  const sourceBench = path.join(PROJECT_ROOT, "bench", "source.ts");
  if (fs.existsSync(sourceBench)) {
    require(path.join(PROJECT_ROOT, "scripts", "ts-register.js"));
    const mod = require(sourceBench) as { benchSource?: () => Promise<BenchRow[]> };
    if (mod.benchSource) rows.push(...(await mod.benchSource()));
  }
  const w = Math.max(...rows.map((r) => r.name.length));
  out(`${"case".padEnd(w)}  median ms  peak RSS MB  notes`);
  for (const r of rows) {
    const notes = Object.entries(r.extra ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    out(`${r.name.padEnd(w)}  ${String(r.medianMs).padStart(9)}  ${String(r.peakRssMb ?? "-").padStart(11)}  ${notes}`);
  }
}

export const command = defineCommand<{ rounds: string; unitTests?: boolean }>({
  name: "bench",
  summary: "Time the offline plan (fresh processes, medians and ratios to the bare SDK) and the source toolkit; about 40 s",
  options: (p) =>
    p
      .option("--rounds <n>", "rounds of the plan cases (1-50); the 1,000-table case runs half as many", "7")
      .option("--unit-tests", "also run the unit test project once and time it (target: under 60 s on 2 cores)"),
  exitCodes: { 0: "the table printed", 1: "bad option, or a case failed" },
  examples: ["npm run bench", "npm run bench -- --rounds 3", "npm run bench -- --rounds 1 --unit-tests"],
  run: async (opts, { io }) => {
    const rounds = Number(opts.rounds);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50)
      throw new UsageError(`--rounds "${opts.rounds}" is not allowed; expected an integer from 1 to 50`);
    await runBench((line) => io.stdout(line + "\n"), rounds, opts.unitTests === true);
    return EXIT.ok;
  },
});

export const main = command.main;
