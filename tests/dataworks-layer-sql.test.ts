import { SCHEDULE_PARAMETERS } from "../lib/dataworks/di-job-spec";
import { TableConfig } from "../lib/config/types";
import { minutesBetween } from "../lib/dataworks/flowspec";
import {
  DAILY_REPORTS,
  LOAD_CHECK_RERUN,
  loadCheckSql,
  dailyReportPlans,
  genericHourlyAggregateSql,
  hourlyAggregatePlans,
  NODE_PARAMETERS,
  layerSql,
  realtimePlans,
  realtimeViewSql,
  snapshotSql,
} from "../lib/dataworks/layer-sql";
import { mergeViewSql } from "../lib/dts/merge-sql";
import { findTable } from "../lib/config/source-schema";
import { readLayerSqlFiles, readSchemaSnapshot } from "../project-files";

const SQL_FILES = readLayerSqlFiles();

const schema = readSchemaSnapshot("sql/mysql/photo_assistant.schema.json");
const ALL = ["users", "photo_records", "guide_usage", "page_views", "feedback", "advice_views", "user_events"];
const table = (name: string, over: Partial<TableConfig> = {}): TableConfig => ({
  name,
  primaryKey: ["id"],
  incrementalColumn: findTable(schema, name)!.columns.some((c) => c.name === "updated_time") ? "updated_time" : "created_time",
  tier: "daily",
  realtime: false,
  hourlyTable: false,
  ...over,
});

describe("T+1 report nodes", () => {
  it("builds the four ADS reports one hour after the daily load, with bizdate=$bizdate", () => {
    const plans = dailyReportPlans(
      ALL.map((n) => table(n)),
      { sqlFiles: SQL_FILES, dailyCron: "00 30 00 * * ?" },
    );
    expect(plans.map((p) => p.name)).toEqual(["ads_dau_d", "ads_new_users_d", "ads_photos_d", "ads_funnel_d"]);
    for (const p of plans) {
      expect(p.cron).toBe("00 30 01 * * ?");
      expect(p.parameters).toEqual({ bizdate: "$bizdate" });
      expect(p.instanceMode).toBe("T+1");
      expect(p.folder).toBe("ads");
      expect(minutesBetween("00 30 00 * * ?", p.cron)).toBeGreaterThan(0);
      // Each report waits for the partitions it reads, then runs its SQL file, and is rerun while they are missing.
      expect(p.script).toBe(loadCheckSql("daily", p.sources) + layerSql(SQL_FILES, `ads/${p.name}.sql`));
      expect(p.rerun).toEqual(LOAD_CHECK_RERUN.daily);
      expect(p.after).toEqual([]);
    }
    expect(
      plans
        .find((p) => p.name === "ads_dau_d")!
        .script.split("\n")
        .slice(0, 2),
    ).toEqual([
      "-- load check: fails (and the node is rerun) until the daily DI load has written every partition this node reads.",
      "DESC ods_page_views_d PARTITION (ds = '${bizdate}');",
    ]);
  });

  it("leaves out a report whose source table is not synced", () => {
    const plans = dailyReportPlans(
      ALL.filter((n) => n !== "page_views").map((n) => table(n)),
      { sqlFiles: SQL_FILES, dailyCron: "00 30 00 * * ?" },
    );
    expect(plans.map((p) => p.name)).toEqual(["ads_new_users_d", "ads_photos_d"]);
  });

  it("fails when the delay would push the reports past midnight (into the next bizdate)", () => {
    expect(() => dailyReportPlans([table("users")], { sqlFiles: SQL_FILES, dailyCron: "00 30 23 * * ?" })).toThrow(/crosses midnight/);
  });

  it("fails when the delay is zero: a report never starts with the load it reads", () => {
    expect(() => dailyReportPlans([table("users")], { sqlFiles: SQL_FILES, dailyCron: "00 30 00 * * ?", delayMinutes: 0 })).toThrow(
      "daily report delayMinutes 0 must be a whole number of minutes >= 1 (a node never starts with the load it reads)",
    );
  });

  it("fails when the daily cron is hourly", () => {
    expect(() => dailyReportPlans([table("users")], { sqlFiles: SQL_FILES, dailyCron: "00 05 * * * ?" })).toThrow(
      'dataworks.dailyCron "00 05 * * * ?" must be a daily Quartz cron ("ss mm hh * * ?")',
    );
  });

  it.each(DAILY_REPORTS.map((r) => [r.name, r]))(
    "%s: creates its ADS table and overwrites the bizdate partition from its sources' daily ODS tables",
    (name, r) => {
      const sql = layerSql(SQL_FILES, r.file);
      expect(sql).toContain(`CREATE TABLE IF NOT EXISTS ${name} (`);
      expect(sql).toContain(`INSERT OVERWRITE TABLE ${name} PARTITION (ds = '\${bizdate}')`);
      const read = [...sql.matchAll(/FROM (ods_\w+)/g)].map((m) => m[1]);
      expect([...new Set(read)]).toEqual(r.sources.map((s) => `ods_${s}_d`));
      // Every source column it names exists in the source schema.
      const cols = new Set(r.sources.flatMap((s) => findTable(schema, s)!.columns.map((c) => c.name)));
      for (const c of ["user_id", "created_time", "register_time", "updated_time", "page_name", "status", "score", "source"]) {
        if (new RegExp(`\\b${c}\\b`).test(sql.replace(/--.*$/gm, "").replace(/COMMENT '[^']*'/g, ""))) {
          const definedHere = new RegExp(`^\\s+${c}\\s+\\w+ COMMENT`, "m").test(sql);
          if (!definedHere) expect(cols.has(c)).toBe(true);
        }
      }
    },
  );
});

describe("hourly aggregate nodes", () => {
  const tables = ALL.map((n) => table(n, { tier: ["photo_records", "page_views", "guide_usage"].includes(n) ? "hourly" : "daily" }));

  it("builds one aggregate per hourly table, 15 minutes after the hourly load, for the previous hour", () => {
    const plans = hourlyAggregatePlans(tables, { sqlFiles: SQL_FILES, hourlyCron: "00 05 * * * ?" });
    expect(plans.map((p) => p.name)).toEqual(["dws_photo_records_agg_h", "dws_guide_usage_agg_h", "dws_page_views_agg_h"]);
    for (const p of plans) {
      expect(p.cron).toBe("00 20 00-23/1 * * ?");
      expect(p.parameters).toEqual({ bizdate: "$[yyyymmdd-1/24]", hh: "$[hh24-1/24]" });
      // Its own table's partition only: more hourly tables never rewrite an existing aggregate.
      expect(p.script.startsWith(loadCheckSql("hourly", [p.sources[0]]))).toBe(true);
      expect(p.rerun).toEqual(LOAD_CHECK_RERUN.hourly);
      expect(p.script).toContain(`INSERT OVERWRITE TABLE ${p.name} PARTITION (ds = '\${bizdate}', hh = '\${hh}')`);
      expect(p.script).toContain(`FROM ods_${p.sources[0]}_h`);
    }
  });

  it("generates a row-count aggregate for an hourly table without a hand-written one", () => {
    const plans = hourlyAggregatePlans([table("users", { tier: "hourly" })], { sqlFiles: SQL_FILES, hourlyCron: "00 05 * * * ?" });
    expect(plans).toHaveLength(1);
    expect(plans[0].script).toBe(loadCheckSql("hourly", ["users"]) + genericHourlyAggregateSql("users", "updated_time"));
    // The partition holds every row changed since the hour began: the hour's rows are kept by the incremental column.
    expect(plans[0].script).toContain(
      "FROM ods_users_h\nWHERE ds = '${bizdate}' AND hh = '${hh}'\n  AND TO_CHAR(`updated_time`, 'yyyymmddhh') = CONCAT('${bizdate}', '${hh}');",
    );
  });

  it("builds nothing when no table is hourly", () => {
    expect(hourlyAggregatePlans([table("users")], { sqlFiles: SQL_FILES, hourlyCron: "00 05 * * * ?" })).toEqual([]);
  });

  it("fails when the delay crosses into the next hour", () => {
    expect(() => hourlyAggregatePlans(tables, { sqlFiles: SQL_FILES, hourlyCron: "00 50 * * * ?" })).toThrow(/crosses into the next hour/);
  });
});

describe("parameters agree with the DI jobs' load windows (lib/batch-jobs.ts)", () => {
  const parse = (s: string) => Object.fromEntries(s.split(" ").map((kv) => kv.split("=", 2) as [string, string]));
  it("daily: the same bizdate", () => {
    expect(parse(SCHEDULE_PARAMETERS.daily).bizdate).toBe(NODE_PARAMETERS.daily.bizdate);
  });
  it("hourly: the same bizdate and hh", () => {
    const p = parse(SCHEDULE_PARAMETERS.hourly);
    expect({ bizdate: p.bizdate, hh: p.hh }).toEqual(NODE_PARAMETERS.hourly);
  });
});

describe("realtime nodes", () => {
  const tables = ALL.map((n) => table(n, { realtime: ["users", "photo_records", "page_views"].includes(n) }));
  const realtime = tables.filter((t) => t.realtime);

  it("generates the merge views with the realtime layer's generator", () => {
    const views = realtimeViewSql(schema, tables);
    expect(Object.keys(views)).toEqual(["users", "photo_records", "page_views"]);
    expect(views.users).toBe(mergeViewSql(schema, { name: "users", primaryKey: ["id"], incrementalColumn: "updated_time" }));
    expect(views.users).toContain("CREATE OR REPLACE VIEW `users_realtime` AS");
  });

  it("per realtime table: a view node (instances right away) and a snapshot node after it", () => {
    const plans = realtimePlans(tables, {
      viewSql: realtimeViewSql(schema, tables),
      snapshotSql: Object.fromEntries(realtime.map((t) => [t.name, snapshotSql(schema, t.name)])),
    });
    expect(plans.map((p) => [p.name, p.cron, p.instanceMode, p.after])).toEqual([
      ["users_realtime", "00 10 00-23/1 * * ?", "Immediately", []],
      ["dwd_users_snapshot_h", "00 40 00-23/1 * * ?", "T+1", ["users_realtime"]],
      ["photo_records_realtime", "00 10 00-23/1 * * ?", "Immediately", []],
      ["dwd_photo_records_snapshot_h", "00 40 00-23/1 * * ?", "T+1", ["photo_records_realtime"]],
      ["page_views_realtime", "00 10 00-23/1 * * ?", "Immediately", []],
      ["dwd_page_views_snapshot_h", "00 40 00-23/1 * * ?", "T+1", ["page_views_realtime"]],
    ]);
    expect(plans[1].parameters).toEqual({ bizdate: "$[yyyymmdd]", hh: "$[hh24]" });
    expect(plans[0].parameters).toEqual({});
  });

  it("accepts view SQL given by the caller", () => {
    const plans = realtimePlans([table("users", { realtime: true })], {
      viewSql: { users: "CREATE OR REPLACE VIEW users_realtime AS SELECT 1;" },
      snapshotSql: {},
    });
    expect(plans.map((p) => [p.name, p.script])).toEqual([["users_realtime", "CREATE OR REPLACE VIEW users_realtime AS SELECT 1;"]]);
  });

  it("fails naming the table when its view SQL is missing", () => {
    expect(() => realtimePlans([table("users", { realtime: true })], { viewSql: { page_views: "x" }, snapshotSql: {} })).toThrow(
      'realtime table "users" has no merge view SQL; given: page_views',
    );
  });

  it("snapshot SQL: the source columns with ds/hh partitions, filled from the view", () => {
    const sql = snapshotSql(schema, "users");
    expect(sql).toContain("CREATE TABLE IF NOT EXISTS `dwd_users_snapshot_h` (");
    expect(sql).toContain("PARTITIONED BY (`ds` STRING");
    expect(sql).toContain("LIFECYCLE 7;");
    const cols = findTable(schema, "users")!
      .columns.map((c) => `\`${c.name}\``)
      .join(", ");
    expect(sql).toContain(
      `INSERT OVERWRITE TABLE \`dwd_users_snapshot_h\` PARTITION (ds = '\${bizdate}', hh = '\${hh}')\nSELECT ${cols}\nFROM \`users_realtime\`;`,
    );
  });

  it("fails naming the schema's tables when a realtime table is not in it", () => {
    expect(() => snapshotSql(schema, "orders")).toThrow(/realtime table "orders" is not in source schema "photo_assistant"; tables: advice_views, feedback, /);
  });
});

describe("load checks (reports wait for the loads they read)", () => {
  it("fail while a partition is missing: one DESC ... PARTITION per ODS table read, daily ds / hourly ds, hh", () => {
    expect(loadCheckSql("daily", ["users", "page_views", "users"])).toBe(
      "-- load check: fails (and the node is rerun) until the daily DI load has written every partition this node reads.\n" +
        "DESC ods_page_views_d PARTITION (ds = '${bizdate}');\n" +
        "DESC ods_users_d PARTITION (ds = '${bizdate}');\n\n",
    );
    expect(loadCheckSql("hourly", ["page_views"])).toContain("DESC ods_page_views_h PARTITION (ds = '${bizdate}', hh = '${hh}');");
  });

  it("are rerun within DataWorks' limits (0-10 reruns, 1-30 minutes apart) long enough for a late load", () => {
    for (const r of Object.values(LOAD_CHECK_RERUN)) {
      expect(r.times).toBeLessThanOrEqual(10);
      expect(r.intervalMs).toBeGreaterThanOrEqual(60_000);
      expect(r.intervalMs).toBeLessThanOrEqual(1_800_000);
    }
    expect(LOAD_CHECK_RERUN.daily.times * LOAD_CHECK_RERUN.daily.intervalMs).toBe(5 * 3_600_000);
  });

  it("a layer without reports gets no node", () => {
    expect(dailyReportPlans([{ name: "feedback" }], { sqlFiles: SQL_FILES, dailyCron: "00 30 00 * * ?" })).toEqual([]);
    expect(hourlyAggregatePlans([{ name: "users", tier: "daily" }], { sqlFiles: SQL_FILES, hourlyCron: "00 05 * * * ?" })).toEqual([]);
  });
});
