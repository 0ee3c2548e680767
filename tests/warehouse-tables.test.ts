import { odsTable, rosTableBuckets, rosTablesTemplate, ROS_TEMPLATE_MAX_BYTES, renderCreateTable, odsTableName } from "../lib/maxcompute/ods-tables";
import { SourceTable } from "../lib/source/source-schema";

const table = (name: string): SourceTable => ({
  name,
  comment: "",
  columns: [
    { name: "id", type: "bigint(20)", nullable: false, comment: "key" },
    { name: "created_time", type: "datetime", nullable: false, comment: "" },
  ],
  primaryKey: ["id"],
  uniqueKeys: [],
});
const many = (n: number) => Array.from({ length: n }, (_, i) => odsTable(table(`t${i}`), "daily", 30));

describe("ODS table definitions", () => {
  it("names tables per layer and renders MaxCompute DDL with partitions and lifecycle", () => {
    expect([odsTableName("Users", "daily"), odsTableName("users", "hourly")]).toEqual(["ods_users_d", "ods_users_h"]);
    expect(renderCreateTable(odsTable(table("users"), "hourly", 7))).toBe(
      "CREATE TABLE IF NOT EXISTS `ods_users_h` (\n  `id` BIGINT COMMENT 'key',\n  `created_time` DATETIME\n)\n" +
        "COMMENT 'users (ODS, hourly load of users)'\nPARTITIONED BY (`ds` STRING COMMENT 'business date, yyyymmdd', `hh` STRING COMMENT 'hour of day, 00-23')\nLIFECYCLE 7;\n",
    );
  });
});

describe("ROS stacks of ODS tables", () => {
  it("keeps up to 100 tables in one stack, in order", () => {
    expect(rosTableBuckets(many(7)).map((b) => b.map((t) => t.name))).toEqual([
      ["ods_t0_d", "ods_t1_d", "ods_t2_d", "ods_t3_d", "ods_t4_d", "ods_t5_d", "ods_t6_d"],
    ]);
    expect(rosTableBuckets(many(100))).toHaveLength(1);
  });

  it("splits 1,000 tables into 16 stacks, each within ROS's resource and template limits", () => {
    const buckets = rosTableBuckets(many(1000));
    expect(buckets).toHaveLength(16);
    expect(buckets.flat()).toHaveLength(1000);
    for (const b of buckets) {
      expect(b.length).toBeLessThanOrEqual(200);
      expect(Buffer.byteLength(rosTablesTemplate("p", b, "d"))).toBeLessThan(ROS_TEMPLATE_MAX_BYTES);
    }
  });

  it("a table keeps its stack while the count stays, and moves to at most one new stack when it doubles", () => {
    const before = rosTableBuckets(many(150));
    const after = rosTableBuckets(many(201));
    expect([before.length, after.length]).toEqual([2, 4]);
    const where = (bs: ReturnType<typeof rosTableBuckets>) => new Map(bs.flatMap((b, k) => b.map((t) => [t.name, k] as const)));
    const b1 = where(before);
    const a1 = where(after);
    for (const [name, k] of b1) expect([k, k + 2]).toContain(a1.get(name));
    expect(where(rosTableBuckets(many(160))).get("ods_t5_d")).toBe(b1.get("ods_t5_d"));
  });
});
