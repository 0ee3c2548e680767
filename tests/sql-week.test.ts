/**
 * Every SQL the stack deploys gives the right numbers (issue 29), on a synthetic photo_assistant week
 * (tests/support/synthetic-week.ts) run through the deployed pipeline in DataWorks' order
 * (tests/support/pipeline-week.ts: the prod example's plan at the mature stage with DTS; the DI
 * loads, hourly aggregates, realtime views, snapshots and compaction, the T+1 reports and the
 * realtime metrics, on MariaDB through tests/support/maxcompute-on-mariadb.ts). Every output is
 * held to the value computed in plain TypeScript from the source as it was when the output's data
 * was read (tests/support/report-expectations.ts).
 *
 * Integration: needs MariaDB (a throwaway server, or MYSQL_TEST_URL).
 */
import { MariaDbInstance, startMariaDb } from "./support/mariadb";
import { RT_METRICS_NODE } from "../lib/metrics/rt-metrics";
import { Deployed, PipelineWeek, WEEK_SERVER, deployedSql } from "./support/pipeline-week";
import { EDGE_CASES, RENAMED_GUIDE, SourceEvent, Week, addDay, ds, generateWeek, secondsOf, wallClock } from "./support/synthetic-week";
import {
  SourceState,
  expectedDau,
  expectedDauToday,
  expectedNewUsers,
  expectedOnlineUsers,
  expectedPageViewsHour,
  expectedPhotos,
  expectedPhotosHour,
  stateAt,
} from "./support/report-expectations";
import { checkDaily, checkHourly, checkProbe, checkSnapshot, DAILY_REPORTS_READ, HOURLY_READ, probeInstants } from "./support/week-checks";

let server: MariaDbInstance;
let deployed: Deployed;
let week: Week;
let run: PipelineWeek;
const started = Date.now();

/** The week's first instant (the stack deployed, DTS started) and the end of the simulation (after the last day's reports). */
const simulated = (w: Week): { from: string; until: string } => ({ from: `${w.days[0]} 00:00:00`, until: `${addDay(w.days[6], 1)} 02:00:00` });

beforeAll(async () => {
  server = await startMariaDb(WEEK_SERVER);
  deployed = deployedSql();
  week = generateWeek({ seed: 29 });
  const { from, until } = simulated(week);
  run = await PipelineWeek.start(server, week, deployed, "week29", from);
  await run.runUntil(until, probeInstants(week));
}, 600_000);

afterAll(async () => {
  await run?.stop();
  await server?.stop();
  const inserts: Record<string, number> = {};
  for (const e of week?.events ?? []) if (e.op === "insert") inserts[e.table] = (inserts[e.table] ?? 0) + 1;
  console.log(
    `sql-week: seed ${week?.seed}, ${week?.events.length} commits (rows inserted: ${JSON.stringify(inserts)}), ${run?.loads.length} loads, ` +
      `${run?.nodeRuns.length} node runs, ${run?.probes.length} metric probes; ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
});

/** The source at an instant (memoised: many outputs read the same load). */
const states = new Map<string, SourceState>();
const sourceAt = (instant: string): SourceState => {
  if (!states.has(instant)) states.set(instant, stateAt(week.events, instant));
  return states.get(instant)!;
};

/** Every day with a daily load: the day before the week (the first, full load) and the week's days. */
const reportDays = (): string[] => [addDay(week.days[0], -1), ...week.days];

describe("a synthetic week through every SQL the stack deploys (MariaDB)", () => {
  it("generates a week with every edge case", () => {
    const edges = new Set(week.events.map((e) => e.edge).filter(Boolean));
    expect([...edges].sort()).toEqual(Object.keys(EDGE_CASES).sort());
    expect(week.events.filter((e) => e.at.startsWith(week.quietDay))).toEqual([]);
    expect(week.events.length).toBeGreaterThan(2000);
  });

  it("runs every node of the plan on schedule without an error", () => {
    expect(run.nodeRuns.filter((r) => r.error)).toEqual([]);
    const names = new Set(run.nodeRuns.map((r) => r.node));
    expect([...names].sort()).toEqual(deployed.nodes.map((n) => n.name).sort());
  });

  it("checks every node of the plan: a new node needs its expectation here", () => {
    const checked = (name: string): boolean =>
      name in DAILY_REPORTS_READ ||
      Object.values(HOURLY_READ).includes(name) ||
      /^dwd_\w+_snapshot_h$/.test(name) || // checkSnapshot
      /^\w+_realtime$/.test(name) || // read by the snapshots and the metrics
      /^\w+_compacted$/.test(name) || // read by the views from the next day on
      name === RT_METRICS_NODE; // checkProbe: its feed at every probe (it runs at the probes only)
    expect(deployed.nodes.map((n) => n.name).filter((n) => !checked(n))).toEqual([]);
    expect(Object.keys(deployed.metrics).sort()).toEqual(["dau_today", "funnel_today", "online_users_now", "photos_last_hour", "recent_logins"]);
  });

  it("every T+1 report equals its expectation on every day", async () => {
    const problems: string[] = [];
    for (const day of reportDays()) {
      for (const report of Object.keys(DAILY_REPORTS_READ)) {
        const readAt = run.loadedAt(DAILY_REPORTS_READ[report], `ds=${ds(day)}`);
        problems.push(...(await checkDaily(run, report, day, sourceAt(readAt))));
      }
    }
    expect(problems).toEqual([]);
  });

  it("every hourly aggregate equals its expectation in every hour", async () => {
    const problems: string[] = [];
    for (const load of run.loads.filter((l) => l.table in HOURLY_READ)) {
      const [, day, hh] = load.partition.match(/^ds=(\d{8})\/hh=(\d{2})$/)!;
      problems.push(...(await checkHourly(run, HOURLY_READ[load.table], day, hh, sourceAt(run.loadedAt(load.table, load.partition)))));
    }
    expect(problems).toEqual([]);
  });

  it("every realtime metric equals its expectation at every probe", () => {
    const problems = run.probes.flatMap((p) => checkProbe(p, sourceAt(p.at)));
    expect(problems).toEqual([]);
  });

  it("every hourly snapshot holds the source as it was when it ran", async () => {
    const problems: string[] = [];
    for (const r of run.nodeRuns.filter((x) => /^dwd_.*_snapshot_h$/.test(x.node))) problems.push(...(await checkSnapshot(run, r, sourceAt(r.at))));
    expect(problems).toEqual([]);
  });
});

/** The value of one output in a test (the first row's column, or the sum of a column over its rows). */
async function outputValue(table: string, where: Record<string, string>, column: string): Promise<number> {
  const keys = Object.keys(where);
  const rows = await run.rows(
    `SELECT SUM(\`${column}\`) AS v FROM \`${table}\` WHERE ${keys.map((k) => `${k} = ?`).join(" AND ")}`,
    keys.map((k) => where[k]),
  );
  return Number(rows[0].v ?? 0);
}

const probeValue = (metric: string, at: string, column: string): number => Number(run.probes.find((p) => p.metric === metric && p.at === at)!.rows[0][column]);
/** The source at an instant without the events of one edge case. */
const without = (edge: string, instant: string): SourceState =>
  stateAt(
    week.events.filter((e: SourceEvent) => e.edge !== edge),
    instant,
  );
const sum = (rows: { pv: number }[]): number => rows.reduce((a, r) => a + r.pv, 0);

/**
 * Each edge case decides between two readings of a definition: the output follows the documented one
 * (docs/dataworks-nodes.md "What the numbers mean", docs/realtime.md), and the other reading would
 * give a different number, so the case is really tested. `documented` and `other` are computed from
 * the events; `actual` is the SQL's.
 */
describe("the edge cases land where the definitions say", () => {
  const d = (i: number): string => week.days[i];
  const dailyLoad = (table: string, day: string): string => run.loadedAt(table, `ds=${ds(day)}`);
  const hourlyLoad = (table: string, day: string, hh: string): string => run.loadedAt(table, `ds=${ds(day)}/hh=${hh}`);
  const cases: [string, string, () => Promise<{ actual: number; documented: number; other: number }>][] = [
    [
      "midnight",
      "a page view at 23:59:59 is that day's (ads_dau_d)",
      async () => {
        const at = dailyLoad("ods_page_views_d", d(0));
        return {
          actual: await outputValue("ads_dau_d", { ds: ds(d(0)) }, "page_views"),
          documented: expectedDau(sourceAt(at), d(0)).page_views,
          other: expectedDau(without("midnight", at), d(0)).page_views,
        };
      },
    ],
    [
      "midnight",
      "a page view at 00:00:00 is the new day's (ads_dau_d)",
      async () => {
        const at = dailyLoad("ods_page_views_d", d(1));
        return {
          actual: await outputValue("ads_dau_d", { ds: ds(d(1)) }, "page_views"),
          documented: expectedDau(sourceAt(at), d(1)).page_views,
          other: expectedDau(without("midnight", at), d(1)).page_views,
        };
      },
    ],
    [
      "next-day-update",
      "a user signing up at 23:59:59 and logging in after midnight is a new user of the sign-up day",
      async () => {
        const at = dailyLoad("ods_users_d", d(1));
        const all = (s: SourceState): number => expectedNewUsers(s, d(1)).find((r) => r.source === "all")!.new_users;
        return {
          actual: await outputValue("ads_new_users_d", { ds: ds(d(1)), source: "all" }, "new_users"),
          documented: all(sourceAt(at)),
          other: all(without("next-day-update", at)),
        };
      },
    ],
    [
      "photo-across-midnight",
      "a photo uploaded at 23:59:58 and analysed after midnight is the upload day's, analysed",
      async () => {
        const at = dailyLoad("ods_photo_records_d", d(2));
        return {
          actual: await outputValue("ads_photos_d", { ds: ds(d(2)) }, "photos"),
          documented: expectedPhotos(sourceAt(at), d(2)).photos,
          other: expectedPhotos(without("photo-across-midnight", at), d(2)).photos,
        };
      },
    ],
    [
      "photo-across-hour",
      "a photo uploaded at 10:59:58 and analysed at 11:00:02 is hour 10's",
      async () => {
        const at = hourlyLoad("ods_photo_records_h", d(1), "10");
        return {
          actual: await outputValue("dws_photo_records_agg_h", { ds: ds(d(1)), hh: "10" }, "photos"),
          documented: expectedPhotosHour(sourceAt(at), `${d(1)} 10`).photos,
          other: expectedPhotosHour(without("photo-across-hour", at), `${d(1)} 10`).photos,
        };
      },
    ],
    [
      "late-row-day",
      "a page view committed after the daily load of its day is not in that day's T+1 report (it is a late row)",
      async () => {
        const at = dailyLoad("ods_page_views_d", d(2));
        return {
          actual: await outputValue("ads_dau_d", { ds: ds(d(2)) }, "page_views"),
          documented: expectedDau(sourceAt(at), d(2)).page_views,
          other: expectedDau(sourceAt(run.now), d(2)).page_views,
        };
      },
    ],
    [
      "late-row-hour",
      "a page view of 14:59:30 committed at 15:03, before the hourly load, is hour 14's",
      async () => {
        const at = hourlyLoad("ods_page_views_h", d(2), "14");
        return {
          actual: await outputValue("dws_page_views_agg_h", { ds: ds(d(2)), hh: "14" }, "pv"),
          documented: sum(expectedPageViewsHour(sourceAt(at), `${d(2)} 14`)),
          other: sum(expectedPageViewsHour(without("late-row-hour", at), `${d(2)} 14`)),
        };
      },
    ],
    [
      "late-row-after-hour",
      "a page view of 16:58 committed at 17:10, after the hourly load, is not in hour 16's aggregate",
      async () => {
        const at = hourlyLoad("ods_page_views_h", d(2), "16");
        return {
          actual: await outputValue("dws_page_views_agg_h", { ds: ds(d(2)), hh: "16" }, "pv"),
          documented: sum(expectedPageViewsHour(sourceAt(at), `${d(2)} 16`)),
          other: sum(expectedPageViewsHour(sourceAt(run.now), `${d(2)} 16`)),
        };
      },
    ],
    [
      "late-row-after-hour",
      "... but it is in its day's T+1 report, whose load came later",
      async () => {
        const at = dailyLoad("ods_page_views_d", d(2));
        return {
          actual: await outputValue("ads_dau_d", { ds: ds(d(2)) }, "page_views"),
          documented: expectedDau(sourceAt(at), d(2)).page_views,
          other: expectedDau(without("late-row-after-hour", at), d(2)).page_views,
        };
      },
    ],
    [
      "clock-ahead",
      "a page view stamped tomorrow by a client clock is not today's DAU (the seed's: created_time on today's date)",
      async () => {
        const at = `${d(6)} 23:59:59`;
        const sinceMidnight = new Set(
          [...sourceAt(at).get("page_views")!.values()].filter((r) => String(r.created_time) >= `${d(6)} 00:00:00`).map((r) => r.user_id),
        ).size;
        return { actual: probeValue("dau_today", at, "realtime_dau"), documented: expectedDauToday(sourceAt(at), at).realtime_dau, other: sinceMidnight };
      },
    ],
    [
      "clock-ahead",
      "... but its user is online now",
      async () => {
        const at = `${d(6)} 23:59:50`;
        return {
          actual: probeValue("online_users_now", at, "online_users"),
          documented: expectedOnlineUsers(sourceAt(at), at).online_users,
          other: expectedOnlineUsers(without("clock-ahead", at), at).online_users,
        };
      },
    ],
    [
      "delete-before-load",
      "a photo deleted before the daily load is not in the T+1 report",
      async () => {
        const at = dailyLoad("ods_photo_records_d", d(0));
        const uploaded = week.events.filter((e) => e.table === "photo_records" && e.op === "insert" && String(e.row.created_time).startsWith(d(0))).length;
        return {
          actual: await outputValue("ads_photos_d", { ds: ds(d(0)) }, "photos"),
          documented: expectedPhotos(sourceAt(at), d(0)).photos,
          other: uploaded,
        };
      },
    ],
    [
      "delete-before-load",
      "... but it is in the aggregate of its hour, whose load came before the delete",
      async () => {
        const at = hourlyLoad("ods_photo_records_h", d(0), "09");
        return {
          actual: await outputValue("dws_photo_records_agg_h", { ds: ds(d(0)), hh: "09" }, "photos"),
          documented: expectedPhotosHour(sourceAt(at), `${d(0)} 09`).photos,
          other: expectedPhotosHour(without("delete-before-load", at), `${d(0)} 09`).photos,
        };
      },
    ],
    [
      "delete-after-load",
      "a photo deleted after its day's load stays in that day's T+1 report (batch loads see no deletes)",
      async () => {
        const at = dailyLoad("ods_photo_records_d", d(1));
        return {
          actual: await outputValue("ads_photos_d", { ds: ds(d(1)) }, "photos"),
          documented: expectedPhotos(sourceAt(at), d(1)).photos,
          other: expectedPhotos(sourceAt(run.now), d(1)).photos,
        };
      },
    ],
  ];

  it.each(cases)("%s: %s", async (_edge, _what, measure) => {
    const { actual, documented, other } = await measure();
    expect(documented).not.toBe(other);
    expect(actual).toBe(documented);
  });

  it("guide-renamed: an hour's guide title is the latest one used in the hour, not the greatest", async () => {
    const rows = await run.rows("SELECT guide_name FROM dws_guide_usage_agg_h WHERE ds = ? AND hh = '10' AND guide_id = ?", [ds(d(3)), RENAMED_GUIDE.id]);
    expect(rows).toEqual([{ guide_name: RENAMED_GUIDE.name }]);
  });

  it("user-deleted: the hourly snapshots hold the user until the delete and not after", async () => {
    const id = week.events.find((e) => e.edge === "user-deleted")!.row.id;
    const held = async (hh: string): Promise<number> =>
      (await run.rows("SELECT id FROM dwd_users_snapshot_h WHERE ds = ? AND hh = ? AND id = ?", [ds(d(5)), hh, id])).length;
    expect([await held("17"), await held("18")]).toEqual([1, 0]);
  });
});

/** Every row of one partition, in a stable order, as text (what a rerun must leave unchanged). */
async function partitionRows(table: string, where: Record<string, string>): Promise<string[]> {
  const keys = Object.keys(where);
  const rows = await run.rows(
    `SELECT * FROM \`${table}\` WHERE ${keys.map((k) => `${k} = ?`).join(" AND ")}`,
    keys.map((k) => where[k]),
  );
  return rows.map((r) => JSON.stringify(r)).sort();
}

describe("the quiet day: zeros or an empty partition, never another day's numbers", () => {
  const quiet = (): string => ds(week.quietDay);

  it("T+1 reports: DAU 0 and no page view, no funnel row, new users 'all' 0, photos 0 with no mean score", async () => {
    expect(await run.rows("SELECT dau, page_views FROM ads_dau_d WHERE ds = ?", [quiet()])).toEqual([{ dau: 0, page_views: 0 }]);
    expect(await run.rows("SELECT * FROM ads_funnel_d WHERE ds = ?", [quiet()])).toEqual([]);
    expect(await run.rows("SELECT source, new_users FROM ads_new_users_d WHERE ds = ?", [quiet()])).toEqual([{ source: "all", new_users: 0 }]);
    expect(await run.rows("SELECT photos, uploaders, analysed, failed, avg_score FROM ads_photos_d WHERE ds = ?", [quiet()])).toEqual([
      { photos: 0, uploaders: 0, analysed: 0, failed: 0, avg_score: null },
    ]);
    // Each report wrote its partition (an empty one for the funnel): the load check passed and the node ran.
    const written = await run.rows("SELECT tbl FROM mc_partitions WHERE part = ? AND tbl LIKE 'ads\\_%' ORDER BY tbl", [`ds=${quiet()}`]);
    expect(written.map((r) => r.tbl)).toEqual(["ads_dau_d", "ads_funnel_d", "ads_new_users_d", "ads_photos_d"]);
  });

  it("hourly aggregates: every hour's partition written, photos 0, no page or guide row", async () => {
    const hours = await run.rows("SELECT tbl, COUNT(*) AS n FROM mc_partitions WHERE part LIKE ? AND tbl LIKE 'dws\\_%' GROUP BY tbl ORDER BY tbl", [
      `ds=${quiet()}/%`,
    ]);
    expect(hours).toEqual(["dws_guide_usage_agg_h", "dws_page_views_agg_h", "dws_photo_records_agg_h"].map((tbl) => ({ tbl, n: 24 })));
    expect(await run.rows("SELECT DISTINCT photos, uploaders, analysed, failed FROM dws_photo_records_agg_h WHERE ds = ?", [quiet()])).toEqual([
      { photos: 0, uploaders: 0, analysed: 0, failed: 0 },
    ]);
    expect(await run.rows("SELECT * FROM dws_page_views_agg_h WHERE ds = ?", [quiet()])).toEqual([]);
    expect(await run.rows("SELECT * FROM dws_guide_usage_agg_h WHERE ds = ?", [quiet()])).toEqual([]);
  });

  it("realtime at noon: nobody online, DAU 0, no funnel row, no new photo; the latest logins are still the latest", () => {
    const at = `${week.quietDay} 12:00:00`;
    const rows = (metric: string): Record<string, unknown>[] => run.probes.find((p) => p.metric === metric && p.at === at)!.rows;
    expect([rows("online_users_now"), rows("dau_today"), rows("funnel_today"), rows("photos_last_hour")]).toEqual([
      [{ online_users: 0 }],
      [{ realtime_dau: 0 }],
      [],
      [{ last_hour_photos: 0 }],
    ]);
    expect(rows("recent_logins")).toHaveLength(10);
  });
});

describe("re-runs and backfills (INSERT OVERWRITE)", () => {
  const dailyNodes = (): string[] => Object.keys(DAILY_REPORTS_READ);

  it("every T+1 report re-run after the whole week (a backfill of a past day), twice, gives the on-schedule numbers", async () => {
    const changed: string[] = [];
    for (const day of reportDays()) {
      for (const name of dailyNodes()) {
        const before = await partitionRows(name, { ds: ds(day) });
        for (let i = 0; i < 2; i++) {
          const r = await run.runNode(run.node(name), run.now, `${addDay(day, 1)} 01:30:00`);
          expect(r.error).toBeUndefined();
          if (JSON.stringify(await partitionRows(name, { ds: ds(day) })) !== JSON.stringify(before)) changed.push(`${name} ds=${ds(day)} run ${i + 1}`);
        }
      }
    }
    expect(changed).toEqual([]);
  });

  it("every hourly aggregate of two days re-run after the week gives the on-schedule numbers", async () => {
    const changed: string[] = [];
    for (const day of [week.days[1], week.days[2]]) {
      for (let h = 0; h < 24; h++) {
        const hh = String(h).padStart(2, "0");
        for (const name of Object.values(HOURLY_READ)) {
          const before = await partitionRows(name, { ds: ds(day), hh });
          // The instance of hh+1:20 aggregates hour hh.
          const r = await run.runNode(run.node(name), run.now, wallClock(secondsOf(`${day} ${hh}:20:00`) + 3600));
          expect(r.error).toBeUndefined();
          if (JSON.stringify(await partitionRows(name, { ds: ds(day), hh })) !== JSON.stringify(before)) changed.push(`${name} ds=${ds(day)}/hh=${hh}`);
        }
      }
    }
    expect(changed).toEqual([]);
  });

  it("a backfill of a past day's load and reports after later days gives the reports of the source at the backfill", async () => {
    const day = week.days[1];
    const job = run.jobWriting("ods_users_d");
    await run.runDiJob(job, run.now, `${addDay(day, 1)} 00:30:00`);
    const problems: string[] = [];
    for (const name of dailyNodes()) {
      const r = await run.runNode(run.node(name), run.now, `${addDay(day, 1)} 01:30:00`);
      expect(r.error).toBeUndefined();
      expect(run.loadedAt(DAILY_REPORTS_READ[name], `ds=${ds(day)}`)).toBe(run.now);
      problems.push(...(await checkDaily(run, name, day, sourceAt(run.now))));
    }
    expect(problems).toEqual([]);
    // Every user who signed up that day and still exists is a new user of that day: none was lost to a later change.
    const signedUp = [...sourceAt(run.now).get("users")!.values()].filter((u) => String(u.register_time).startsWith(day)).length;
    expect(await outputValue("ads_new_users_d", { ds: ds(day), source: "all" }, "new_users")).toBe(signedUp);
  });

  it("a backfill of a past hour's load and aggregate after later hours gives the aggregate of the source at the backfill", async () => {
    const [day, hh] = [week.days[1], "10"];
    const problems: string[] = [];
    for (const [ods, name] of Object.entries(HOURLY_READ)) {
      await run.runDiJob(run.jobWriting(ods), run.now, `${day} 11:05:00`);
      expect(run.loadedAt(ods, `ds=${ds(day)}/hh=${hh}`)).toBe(run.now);
      const r = await run.runNode(run.node(name), run.now, `${day} 11:20:00`);
      expect(r.error).toBeUndefined();
      problems.push(...(await checkHourly(run, name, ds(day), hh, sourceAt(run.now))));
    }
    expect(problems).toEqual([]);
  });
});
