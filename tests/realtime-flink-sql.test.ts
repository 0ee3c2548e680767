/**
 * The dataworks-flink engine's SQL (lib/flink/flink-sql.ts): sql/flink/ equals the generator's
 * output for the seed's realtime tables (its FlinkSQL grammar: tests/realtime-flink-grammar.test.ts);
 * every source table and column it reads is in the schema snapshot; the Flink source types follow
 * the DESIGN.md type map. Regenerate: UPDATE_FLINK_SQL=1 npx jest tests/realtime-flink-sql.test.ts
 */
import * as path from "path";
import { FLINK_METRICS, flinkMetricsSql, flinkType, generateFlinkSqlFiles, metricTablesDdl } from "../lib/flink/flink-sql";
import { findTable } from "../lib/config/source-schema";
import { PROJECT_ROOT, readSchemaSnapshot, readSqlFiles, replaceSqlFiles } from "../project-files";
import { STAGE_CATALOG } from "../lib/config/stage-catalog";

const FLINK_SQL_DIR = path.join(PROJECT_ROOT, "sql", "flink");
const schema = readSchemaSnapshot("sql/mysql/photo_assistant.schema.json");
const realtime = [...STAGE_CATALOG.mature.realtimeTables];
const generated = Object.entries(generateFlinkSqlFiles(schema, realtime))
  .map(([p, content]) => ({ path: p, content }))
  .sort((a, b) => a.path.localeCompare(b.path));

describe("sql/flink", () => {
  if (process.env.UPDATE_FLINK_SQL === "1") {
    it("is rewritten from the generator (UPDATE_FLINK_SQL=1)", () => {
      replaceSqlFiles(generated, FLINK_SQL_DIR);
      expect(readSqlFiles(FLINK_SQL_DIR)).toEqual(generated);
    });
    return;
  }
  it("holds exactly the generated files", () => {
    expect(readSqlFiles(FLINK_SQL_DIR).map((f) => f.path)).toEqual(generated.map((f) => f.path));
  });
  it.each(generated.map((f) => [f.path, f.content]))("%s equals the generator's output", (p, content) => {
    expect(readSqlFiles(FLINK_SQL_DIR).find((f) => f.path === p)?.content).toBe(content);
  });
});

describe("the Flink SQL", () => {
  const sql = flinkMetricsSql(schema, realtime);

  it("computes every seed metric from the seed's realtime tables", () => {
    expect(FLINK_METRICS.map((m) => m.id)).toEqual(["online_users_now", "dau_today", "photos_last_hour", "funnel_today", "recent_logins"]);
    for (const m of FLINK_METRICS) expect(sql).toContain(`-- ${m.id}\nINSERT INTO \`${m.sinkTable}\``);
  });

  it.each(FLINK_METRICS.flatMap((m) => Object.entries(m.reads).flatMap(([t, cols]) => cols.map((c) => [m.id, t, c]))))(
    "%s reads %s.%s, which the schema snapshot has",
    (_id, t, c) => {
      expect(findTable(schema, t)?.columns.map((x) => x.name)).toContain(c);
    },
  );

  it("declares every source column with the snapshot's type mapped (and nothing the snapshot lacks)", () => {
    const declared = [...sql.matchAll(/CREATE TEMPORARY TABLE `src_(\w+)` \(\n([\s\S]*?)\n\) WITH/g)];
    expect(declared.map((d) => d[1])).toEqual(["page_views", "photo_records", "users"]);
    for (const [, t, body] of declared) {
      const table = findTable(schema, t)!;
      for (const [, col, type] of body.matchAll(/^ {2}`(\w+)` (.+?),?$/gm)) {
        expect([t, col, type]).toEqual([t, col, flinkType(table.columns.find((c) => c.name === col)!.type)]);
      }
    }
  });

  it("reads the CDC stream with the documented MySQL connector options and no secret in the text", () => {
    expect(sql).toContain("'connector' = 'mysql'");
    expect(sql).toContain("'scan.startup.mode' = 'initial'");
    expect(sql).toContain("'password' = '${secret_values.photo_analytics_mysql_password}'");
    expect(sql).not.toMatch(/'password' = '[^$]/);
  });

  it("creates each sink as a PK Delta table (transactional + PRIMARY KEY) if absent", () => {
    expect(metricTablesDdl(schema, realtime)).toEqual([
      'CREATE TABLE IF NOT EXISTS rt_online_users (user_id STRING NOT NULL, last_seen DATETIME, PRIMARY KEY (user_id)) TBLPROPERTIES ("transactional"="true");',
      'CREATE TABLE IF NOT EXISTS rt_dau_daily (ds STRING NOT NULL, dau BIGINT, PRIMARY KEY (ds)) TBLPROPERTIES ("transactional"="true");',
      'CREATE TABLE IF NOT EXISTS rt_photos_per_minute (minute STRING NOT NULL, photos BIGINT, PRIMARY KEY (minute)) TBLPROPERTIES ("transactional"="true");',
      'CREATE TABLE IF NOT EXISTS rt_funnel_daily (ds STRING NOT NULL, page_name STRING NOT NULL, users BIGINT, PRIMARY KEY (ds, page_name)) TBLPROPERTIES ("transactional"="true");',
      'CREATE TABLE IF NOT EXISTS rt_recent_logins (rn BIGINT NOT NULL, user_id STRING, nickname STRING, last_login_time DATETIME, PRIMARY KEY (rn)) TBLPROPERTIES ("transactional"="true");',
    ]);
  });

  it("leaves out a metric whose table is not in the realtime set, and fails when none is left", () => {
    expect(flinkMetricsSql(schema, ["users"])).toContain("-- recent_logins");
    expect(flinkMetricsSql(schema, ["users"])).not.toContain("page_views");
    expect(() => flinkMetricsSql(schema, ["feedback"])).toThrow(/no realtime metric can be computed/);
  });
});

describe("flinkType (DESIGN.md MySQL type map)", () => {
  it.each([
    ["tinyint(1)", "BOOLEAN"],
    ["tinyint(4)", "TINYINT"],
    ["tinyint(3) unsigned", "SMALLINT"],
    ["smallint(5) unsigned", "INT"],
    ["mediumint(9)", "INT"],
    ["int(10) unsigned", "BIGINT"],
    ["bigint(20)", "BIGINT"],
    ["bigint(20) unsigned", "DECIMAL(20, 0)"],
    ["decimal(5,2)", "DECIMAL(5, 2)"],
    ["decimal(65,2)", "STRING"],
    ["datetime", "TIMESTAMP(0)"],
    ["datetime(3)", "TIMESTAMP(3)"],
    ["timestamp", "TIMESTAMP_LTZ(0)"],
    ["year(4)", "INT"],
    ["varchar(64)", "STRING"],
    ["json", "STRING"],
    ["blob", "BYTES"],
    ["bit(1)", "BOOLEAN"],
    ["bit(8)", "BYTES"],
    // ZEROFILL implies UNSIGNED; an unsigned TINYINT(1) is a number, not MySQL's boolean (as the MaxCompute mapping reads them).
    ["int(10) zerofill", "BIGINT"],
    ["bigint(20) unsigned zerofill", "DECIMAL(20, 0)"],
    ["tinyint(1) unsigned", "SMALLINT"],
    ["double precision", "DOUBLE"],
  ])("%s -> %s", (mysql, flink) => expect(flinkType(mysql)).toBe(flink));
});
