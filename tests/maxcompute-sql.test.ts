/** MaxCompute rules the generated SQL must respect (review findings turned into tests). */
import * as fs from "fs";
import * as path from "path";
import { readSchemaSnapshot } from "../project-files";
import { metricSql, REALTIME_METRICS, mergeViewSql } from "../lib/dts/merge-sql";
import { snapshotSql } from "../lib/dataworks/layer-sql";
import { columnLine, MaxComputeColumn, mcIdent } from "../lib/maxcompute/ods-tables";
import { incrementalWhere } from "../lib/dataworks/di-job-spec";

const schema = readSchemaSnapshot(path.join(__dirname, "..", "sql", "mysql", "photo_assistant.schema.json"));
const FULL_SCAN = "SET odps.sql.allow.fullscan=true;";

describe("queries over the DTS _log tables allow the full scan MaxCompute otherwise rejects", () => {
  it.each(REALTIME_METRICS.map((m) => [m.id, m] as const))("metric %s sets odps.sql.allow.fullscan before its SELECT", (_id, m) => {
    const sql = metricSql(schema, m);
    expect(sql.indexOf(FULL_SCAN)).toBeGreaterThan(-1);
    expect(sql.indexOf(FULL_SCAN)).toBeLessThan(sql.indexOf("SELECT"));
  });

  it.each(["users", "photo_records", "page_views"])("the %s snapshot node sets it before INSERT OVERWRITE", (t) => {
    const sql = snapshotSql(schema, t);
    expect(sql.indexOf(FULL_SCAN)).toBeGreaterThan(-1);
    expect(sql.indexOf(FULL_SCAN)).toBeLessThan(sql.indexOf("INSERT OVERWRITE"));
  });

  it("a view definition does not need it (it scans nothing)", () => {
    expect(mergeViewSql(schema, { name: "users", primaryKey: ["id"], incrementalColumn: "updated_time" })).not.toContain(FULL_SCAN);
  });
});

describe("hourly aggregates read only their hour", () => {
  it.each([
    ["dws_page_views_agg_h.sql", "created_time"],
    ["dws_guide_usage_agg_h.sql", "created_time"],
    ["dws_photo_records_agg_h.sql", "created_time"],
  ])("%s filters %s to ${bizdate}${hh} (the first, full load lands in one partition)", (file, col) => {
    const sql = fs.readFileSync(path.join(__dirname, "..", "sql", "maxcompute", "hourly-agg", file), "utf8");
    expect(sql).toContain("WHERE ds = '${bizdate}' AND hh = '${hh}'");
    expect(sql).toContain(`AND TO_CHAR(${col}, 'yyyymmddhh') = CONCAT('\${bizdate}', '\${hh}')`);
  });
});

describe("identifiers in the generated SQL", () => {
  it("MaxCompute names are back-quoted, and a name holding a back quote is refused (MaxCompute has no escape for it)", () => {
    expect(mcIdent("ods_users_d")).toBe("`ods_users_d`");
    expect(() => columnLine({ name: "nick`name", type: "STRING", comment: "" } as MaxComputeColumn)).toThrow(
      'MaxCompute identifier "nick`name" contains a back quote (`), which MaxCompute SQL cannot quote',
    );
  });
  it("the MySQL side (the DI jobs' incremental window) escapes a back quote by doubling it", () => {
    // Every row changed since the period began, up to the load (no upper bound: tests/sql-week.test.ts).
    expect(incrementalWhere("daily", "updated_time")).toBe("`updated_time` >= STR_TO_DATE('${bizdate}', '%Y%m%d')");
    expect(incrementalWhere("hourly", "odd`col")).toBe("`odd``col` >= STR_TO_DATE('${start}', '%Y%m%d%H')");
  });
});
