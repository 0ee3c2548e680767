/**
 * `npm run bench`: speed and memory of the offline plan (and, when present, of
 * the source toolkit). Prints one row per case: median of several runs, peak RSS.
 * Targets (issue #2): a 7-table plan within 1.5x of a bare one-resource program
 * run the same way; 1,000 tables under 5 s and 500 MB.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as alicloud from "@pulumi/alicloud";
import { recordPlan } from "../lib/plan/record";
import { readStackFile } from "../lib/config/stack-file";
import { ConfigInput } from "../lib/config/load";
import { SourceSchema, formatSchemaSnapshot } from "../lib/source-schema";

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

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function time(name: string, runs: number, f: () => Promise<unknown>, extra?: Record<string, number | string>): Promise<BenchRow> {
  await f(); // warm-up: module loading and JIT are not what is measured
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await f();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { name, medianMs: Math.round(median(ms) * 10) / 10, peakRssMb: peakRssMb(), extra };
}

/** A config of `n` generated tables (and the schema snapshot it points at). */
function generatedConfig(n: number, dir: string): ConfigInput {
  const tables = Array.from({ length: n }, (_, i) => ({
    name: `t${String(i).padStart(4, "0")}`,
    comment: "",
    columns: [
      { name: "id", type: "bigint(20)", nullable: false, comment: "" },
      { name: "user_id", type: "varchar(64)", nullable: false, comment: "" },
      { name: "amount", type: "decimal(10,2)", nullable: true, comment: "" },
      { name: "created_time", type: "datetime", nullable: false, comment: "" },
    ],
    primaryKey: ["id"],
    uniqueKeys: [],
  }));
  const schema: SourceSchema = { database: "bench", tables };
  const file = path.join(dir, "bench.schema.json");
  fs.writeFileSync(file, formatSchemaSnapshot(schema));
  const base = readStackFile(path.join(__dirname, "..", "Pulumi.dev.yaml"));
  return {
    ...base,
    values: {
      ...base.values,
      "photo-analytics:source": JSON.stringify({ host: "10.0.0.1", user: "u", database: "bench", schemaFile: file }),
      "photo-analytics:tables": JSON.stringify(tables.map((t, i) => ({ name: t.name, incrementalColumn: "created_time", tier: i % 10 === 0 ? "hourly" : "daily" }))),
    },
  };
}

async function main(): Promise<void> {
  const root = path.join(__dirname, "..");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-bench-"));
  const rows: BenchRow[] = [];
  const dev = readStackFile(path.join(root, "Pulumi.dev.yaml"));
  const prod = readStackFile(path.join(root, "Pulumi.prod.yaml"));
  rows.push(
    await time("plan: bare one-resource program (baseline)", 9, () =>
      recordPlan({
        stack: "bench",
        config: dev,
        program: () => {
          new alicloud.maxcompute.Project("bare", { projectName: "bare_project" });
          return {};
        },
      }),
    ),
  );
  rows.push(await time("plan: dev (initial, 7 tables)", 9, () => recordPlan({ stack: "dev", config: dev })));
  rows.push(await time("plan: prod (initial, 7 tables)", 9, () => recordPlan({ stack: "prod", config: prod })));
  const mature = { ...prod, values: { ...prod.values, "photo-analytics:stage": "mature" } };
  rows.push(await time("plan: prod at mature (all layers)", 5, () => recordPlan({ stack: "prod", config: mature })));
  const big = generatedConfig(1000, dir);
  let bigCount = 0;
  rows.push(
    await time("plan: 1,000 generated tables", 3, async () => {
      bigCount = (await recordPlan({ stack: "big", config: big })).resources.length;
    }),
  );
  rows[rows.length - 1].extra = { resources: bigCount };
  const ratio = rows[1].medianMs / rows[0].medianMs;
  rows[1].extra = { ...rows[1].extra, "x baseline": Math.round(ratio * 100) / 100 };

  const sourceBench = path.join(__dirname, "source.ts");
  if (fs.existsSync(sourceBench)) {
    const mod = (await import(sourceBench)) as { benchSource?: () => Promise<BenchRow[]> };
    if (mod.benchSource) rows.push(...(await mod.benchSource()));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${"case".padEnd(w)}  median ms  peak RSS MB  notes`);
  for (const r of rows) {
    const notes = Object.entries(r.extra ?? {}).map(([k, v]) => `${k}=${v}`).join(" ");
    console.log(`${r.name.padEnd(w)}  ${String(r.medianMs).padStart(9)}  ${String(r.peakRssMb).padStart(11)}  ${notes}`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
