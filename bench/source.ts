/**
 * Source database benchmarks (`npm run bench`, cli/bench.ts): preflight against a
 * database of 2,000 tables (target < 2 s, <= 15 statements) and DDL generation for
 * thirtybees (247 tables, target < 1 s). Starts its own MariaDB (or uses MYSQL_TEST_URL).
 */
import { generateDdlFiles } from "../lib/source/ddl";
import { parseMySqlUrl } from "../lib/source/endpoint";
import { readLiveSchema } from "../providers/source/live-schema";
import { runPreflight } from "../providers/source/run-preflight";
import { startMariaDb } from "../tests/support/mariadb";
import { createManyTables, loadFixture } from "../tests/support/load-schema";

export interface BenchRow {
  name: string;
  medianMs: number;
  peakRssMb: number;
  extra?: Record<string, number | string>;
}

const RUNS = 5;

async function measure<T>(f: () => Promise<T>): Promise<{ medianMs: number; peakRssMb: number; last: T }> {
  const times: number[] = [];
  let peak = process.memoryUsage().rss;
  let last: T | undefined;
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    last = await f();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  times.sort((a, b) => a - b);
  return { medianMs: Math.round(times[Math.floor(RUNS / 2)] * 10) / 10, peakRssMb: Math.round(peak / 1048576), last: last as T };
}

export async function benchSource(): Promise<BenchRow[]> {
  const db = await startMariaDb();
  const admin = await db.admin();
  try {
    await createManyTables(admin, "bench_2000", 2000);
    await loadFixture(admin, "thirtybees");
    const pf = await measure(() => runPreflight({ endpoint: parseMySqlUrl(db.url("bench_2000")), stage: "mature" }));
    const ddl = await measure(async () => {
      const { schema, statements } = await readLiveSchema(parseMySqlUrl(db.url("thirtybees")));
      return { files: generateDdlFiles(schema), statements, tables: schema.tables.length };
    });
    return [
      {
        name: "source: preflight, 2,000 tables (target < 2000 ms, <= 15 statements)",
        medianMs: pf.medianMs,
        peakRssMb: pf.peakRssMb,
        extra: { statements: pf.last.statements, tables: 2000, fails: pf.last.summary.fail, targetMs: 2000 },
      },
      {
        name: "source: ddl generation, thirtybees (target < 1000 ms)",
        medianMs: ddl.medianMs,
        peakRssMb: ddl.peakRssMb,
        extra: { tables: ddl.last.tables, statements: ddl.last.statements, files: ddl.last.files.length, targetMs: 1000 },
      },
    ];
  } finally {
    await admin.end();
    await db.stop();
  }
}

if (require.main === module) {
  benchSource().then((rows) => console.log(JSON.stringify(rows, null, 2)));
}
