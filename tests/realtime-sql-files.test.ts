/**
 * The committed files in sql/maxcompute/realtime/ equal the generator's output
 * for the seed's defaults. Regenerate after changing the generator or the
 * snapshot: UPDATE_REALTIME_SQL=1 npx jest tests/realtime-sql-files.test.ts
 */
import { readSqlFiles, seedRealtimeSql, writeSqlFiles } from "../lib/realtime/files";

describe("sql/maxcompute/realtime", () => {
  const generated = seedRealtimeSql();

  if (process.env.UPDATE_REALTIME_SQL === "1") {
    it("is rewritten from the generator (UPDATE_REALTIME_SQL=1)", () => {
      writeSqlFiles(generated.files);
      expect(readSqlFiles()).toEqual([...generated.files].sort((a, b) => a.path.localeCompare(b.path)));
    });
    return;
  }

  it("holds exactly the generated files", () => {
    expect(readSqlFiles().map((f) => f.path)).toEqual(generated.files.map((f) => f.path).sort());
  });

  it.each(generated.files.map((f) => [f.path, f.content]))("%s equals the generator's output", (p, content) => {
    const file = readSqlFiles().find((f) => f.path === p);
    expect(file?.content).toBe(content);
  });

  it("leaves no seed metric out", () => {
    expect(generated.skippedMetrics).toEqual([]);
  });
});
