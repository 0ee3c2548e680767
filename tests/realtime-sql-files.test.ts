/**
 * The committed files in sql/maxcompute/realtime/ equal the generator's output
 * for the seed's defaults. Regenerate after changing the generator or the
 * snapshot: UPDATE_REALTIME_SQL=1 npx jest tests/realtime-sql-files.test.ts
 */
import { seedRealtimeSql } from "../lib/dts/seed-sql";
import { readSchemaSnapshot, readSqlFiles, REALTIME_SQL_DIR, replaceSqlFiles } from "../project-files";

describe("sql/maxcompute/realtime", () => {
  const generated = seedRealtimeSql(readSchemaSnapshot("sql/mysql/photo_assistant.schema.json"));

  if (process.env.UPDATE_REALTIME_SQL === "1") {
    it("is rewritten from the generator (UPDATE_REALTIME_SQL=1)", () => {
      replaceSqlFiles(generated.files, REALTIME_SQL_DIR);
      expect(readSqlFiles(REALTIME_SQL_DIR)).toEqual([...generated.files].sort((a, b) => a.path.localeCompare(b.path)));
    });
    return;
  }

  it("holds exactly the generated files", () => {
    expect(readSqlFiles(REALTIME_SQL_DIR).map((f) => f.path)).toEqual(generated.files.map((f) => f.path).sort());
  });

  it.each(generated.files.map((f) => [f.path, f.content]))("%s equals the generator's output", (p, content) => {
    const file = readSqlFiles(REALTIME_SQL_DIR).find((f) => f.path === p);
    expect(file?.content).toBe(content);
  });

  it("leaves no seed metric out", () => {
    expect(generated.skippedMetrics).toEqual([]);
  });
});
