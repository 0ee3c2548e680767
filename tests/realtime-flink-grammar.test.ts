/**
 * The dataworks-flink engine's SQL (lib/flink/flink-sql.ts) passes dt-sql-parser's FlinkSQL grammar
 * (ANTLR): integration, as loading and running the grammar takes seconds.
 */
import { FlinkSQL } from "dt-sql-parser";
import { flinkMetricsSql } from "../lib/flink/flink-sql";
import { readSchemaSnapshot } from "../project-files";
import { STAGE_CATALOG } from "../lib/config/stage-catalog";

const sql = flinkMetricsSql(readSchemaSnapshot("sql/mysql/photo_assistant.schema.json"), [...STAGE_CATALOG.mature.realtimeTables]);

describe("the Flink SQL", () => {
  it("passes the FlinkSQL grammar (dt-sql-parser)", () => {
    expect(new FlinkSQL().validate(sql)).toEqual([]);
  });

  it("the grammar check is real: a broken statement fails it", () => {
    expect(new FlinkSQL().validate(sql.replace("BEGIN STATEMENT SET;", "BEGIN STATEMNT SET;")).length).toBeGreaterThan(0);
  });
});
