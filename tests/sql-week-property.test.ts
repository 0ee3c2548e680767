/**
 * The property of issue 29: for random generated weeks (seed, size, return rate, which day is quiet),
 * every T+1 report, hourly aggregate and realtime metric the deployed SQL computes equals its
 * TypeScript expectation (tests/support/report-expectations.ts). tests/sql-week.test.ts runs one
 * fixed week and checks the edge cases and re-runs; this runs a bounded number of random ones.
 *
 * Integration: needs MariaDB (a throwaway server, or MYSQL_TEST_URL); each run is a simulated week
 * of every node (about 20 s), hence few runs, and no shrinking (a failure names its week's options).
 */
import * as fc from "fast-check";
import { MariaDbInstance, startMariaDb } from "./support/mariadb";
import { Deployed, PipelineWeek, WEEK_SERVER, deployedSql } from "./support/pipeline-week";
import { WeekOptions, addDay, ds, generateWeek } from "./support/synthetic-week";
import { SourceState, SourceReplay } from "./support/report-expectations";
import { checkDaily, checkHourly, checkProbe, DAILY_REPORTS_READ, HOURLY_READ, probeInstants } from "./support/week-checks";

/** Random weeks per run of the suite: each costs a simulated week of every node. */
const RUNS = 5;

let server: MariaDbInstance;
let deployed: Deployed;

beforeAll(async () => {
  server = await startMariaDb(WEEK_SERVER);
  deployed = deployedSql();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

let runs = 0;

/** Runs one week through the deployed pipeline; returns every difference from the expectations. */
async function differences(options: WeekOptions): Promise<string[]> {
  const week = generateWeek(options);
  const run = await PipelineWeek.start(server, week, deployed, `prop${++runs}`, `${week.days[0]} 00:00:00`);
  try {
    await run.runUntil(`${addDay(week.days[6], 1)} 02:00:00`, probeInstants(week));
    // The source at each instant an output read it, in time order (one replay).
    const reads: { at: string; check: (s: SourceState) => Promise<string[]> | string[] }[] = [];
    for (const day of [addDay(week.days[0], -1), ...week.days]) {
      for (const [report, ods] of Object.entries(DAILY_REPORTS_READ))
        reads.push({ at: run.loadedAt(ods, `ds=${ds(day)}`), check: (s) => checkDaily(run, report, day, s) });
    }
    for (const load of run.loads.filter((l) => l.table in HOURLY_READ)) {
      const [, day, hh] = load.partition.match(/^ds=(\d{8})\/hh=(\d{2})$/)!;
      reads.push({ at: load.at, check: (s) => checkHourly(run, HOURLY_READ[load.table], day, hh, s) });
    }
    for (const p of run.probes) reads.push({ at: p.at, check: (s) => checkProbe(p, s) });
    reads.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const replay = new SourceReplay(week.events);
    const problems = run.nodeRuns.filter((r) => r.error).map((r) => `${r.node} at ${r.at}: ${r.error}`);
    for (const r of reads) problems.push(...(await r.check(replay.at(r.at))));
    return problems;
  } finally {
    await run.stop();
    const admin = await server.admin();
    await admin.query(`DROP DATABASE prop${runs}_src; DROP DATABASE prop${runs}_mc`);
    await admin.end();
  }
}

describe("random weeks through every SQL the stack deploys (MariaDB, fast-check)", () => {
  it(`every report and metric equals its expectation (${RUNS} random weeks)`, async () => {
    const weeks = fc.record({
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      usersBefore: fc.integer({ min: 13, max: 40 }),
      signupsPerDay: fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 6, max: 14 })),
      returnRate: fc.double({ min: 0.05, max: 0.5, noNaN: true }),
      quietDayIndex: fc.integer({ min: 0, max: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(weeks, async (o) => {
        expect(await differences(o)).toEqual([]);
      }),
      {
        numRuns: RUNS,
        endOnFailure: true,
        // Weeks that once failed, run first: a user deleted from the source stayed in the latest logins (rt_metrics).
        examples: [[{ seed: 1115670141, usersBefore: 39, signupsPerDay: [1, 6], returnRate: 0.09328532095412968, quietDayIndex: 0 }]],
      },
    );
  }, 600_000);
});
