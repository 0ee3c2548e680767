/**
 * `npm run bench`: speed and memory of the offline plan and of the source toolkit.
 *
 * Each plan case runs in a fresh process (bench/plan-case.ts), as `npm run plan`
 * does: wall time is what a user waits for (module loading, SDK, program, mocks),
 * "plan ms" the in-process part alone, peak RSS the process's own. Median of
 * several runs. Targets ("the plan in under a second"), as ratios to the bare one-resource
 * program run the same way: prod at mature <= 1.3x, the --against-stage diff (two programs,
 * one process) <= 1.5x; 1,000 tables under 3 s and 400 MB.
 */
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { PROJECT_ROOT } from "../project-files";

export interface BenchRow {
  name: string;
  medianMs: number;
  peakRssMb: number;
  extra?: Record<string, number | string>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const round = (n: number) => Math.round(n * 10) / 10;

function planCase(name: string, runs: number): BenchRow & { planMs: number } {
  const walls: number[] = [];
  const plans: number[] = [];
  const rss: number[] = [];
  let resources = 0;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    // The compiled case, as the npm scripts run the commands (scripts/build.js brought bin/ up to date).
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "bin", "bench", "plan-case.js"), name], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
    });
    walls.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0) throw new Error(`bench case ${name} failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split("\n").pop() as string) as { planMs: number; peakRssMb: number; resources: number };
    plans.push(out.planMs);
    rss.push(out.peakRssMb);
    resources = out.resources;
  }
  return {
    name: `plan: ${name}`,
    medianMs: round(median(walls)),
    peakRssMb: Math.max(...rss),
    planMs: round(median(plans)),
    extra: { "plan ms": round(median(plans)), resources },
  };
}

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  const bare = planCase("bare", 5);
  rows.push(bare);
  for (const c of ["dev", "prod", "prod-mature", "prod-against-stage"]) {
    const row = planCase(c, 5);
    row.extra = { ...row.extra, "x bare (wall)": Math.round((row.medianMs / bare.medianMs) * 100) / 100 };
    rows.push(row);
  }
  rows.push(planCase("tables-1000", 3));

  // The source toolkit's figures are in-process, and it shares tests/support (fixtures beside it): run from source.
  const sourceBench = path.join(PROJECT_ROOT, "bench", "source.ts");
  if (fs.existsSync(sourceBench)) {
    require(path.join(PROJECT_ROOT, "scripts", "ts-register.js"));
    const mod = require(sourceBench) as { benchSource?: () => Promise<BenchRow[]> };
    if (mod.benchSource) rows.push(...(await mod.benchSource()));
  }
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${"case".padEnd(w)}  median ms  peak RSS MB  notes`);
  for (const r of rows) {
    const notes = Object.entries(r.extra ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    console.log(`${r.name.padEnd(w)}  ${String(r.medianMs).padStart(9)}  ${String(r.peakRssMb).padStart(11)}  ${notes}`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
