/**
 * ODS tables: definitions, ROS stacks and buckets (pure), and the Warehouse component under
 * Pulumi mocks: each ROS stack carries its template's digest in `parameters` (the provider
 * sends templateBody in UpdateStack only when parameters or four other fields change:
 * aliyun/terraform-provider-alicloud alicloud/resource_alicloud_ros_stack.go, commit
 * 30c7bd7eae4ac373ab282861a3efe97bdadd9d0a), a table's ROS definition never changes once
 * recorded in the ledger, and added columns go to the layer's TableColumns resource.
 */
import { setTestMocks } from "./support/mocks";

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, any>;
}
const created: Recorded[] = [];
setTestMocks({
  newResource: (args) => {
    created.push({ type: args.type, name: args.name, inputs: args.inputs });
    return { id: `${args.name}-id`, state: args.inputs };
  },
  call: (args) => args.inputs,
});

import { createHash } from "crypto";
import { Warehouse, WarehouseArgs } from "../components/maxcompute/warehouse";
import { appendToLedger, TableLedger } from "../lib/maxcompute/table-ledger";
import {
  MaxComputeTable,
  odsTable,
  rosTableBuckets,
  rosTablesTemplate,
  ROS_TEMPLATE_MAX_BYTES,
  renderCreateTable,
  odsTableName,
} from "../lib/maxcompute/ods-tables";
import { SourceTable } from "../lib/config/source-schema";

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

describe("Warehouse under mocks: ROS stacks, the table ledger and TableColumns", () => {
  const ROS = "alicloud:ros/stack:Stack";
  const COLUMNS = "pulumi-nodejs:dynamic/maxcompute:TableColumns";
  const withColumns = (name: string, extra: [string, string][]): MaxComputeTable => {
    const base = table(name);
    return odsTable({ ...base, columns: [...base.columns, ...extra.map(([n, type]) => ({ name: n, type, nullable: true, comment: n }))] }, "daily", 30);
  };

  async function build(
    tables: MaxComputeTable[],
    ledger: TableLedger,
    hourly: MaxComputeTable[] = [],
    lifecycle: Pick<WarehouseArgs, "lifecycleDays" | "tablesCreatedWithLifecycleDays"> = { lifecycleDays: 30 },
  ): Promise<Recorded[]> {
    created.length = 0;
    const args: WarehouseArgs = {
      projectName: "pa_test",
      ...lifecycle,
      region: "cn-shanghai",
      dailyTables: tables,
      hourlyTables: hourly,
      tableLedger: { ledger, file: "sql/maxcompute/ods/db.ledger.json" },
    };
    const w = new Warehouse("wh", args);
    await new Promise<void>((resolve) => w.projectName.apply(() => resolve()));
    await new Promise((r) => setTimeout(r, 200));
    return [...created];
  }
  const of = (res: Recorded[], type: string) => res.filter((r) => r.type === type);
  const template = (r: Recorded) => JSON.parse(r.inputs.templateBody);

  it("each stack passes TemplateDigest = sha256(templateBody), the one parameter its template declares (and outputs)", async () => {
    const tables = [table("users"), table("feedback")].map((t) => odsTable(t, "daily", 30));
    const res = await build(tables, appendToLedger({ database: "db", tables: {} }, tables));
    const [stack] = of(res, ROS);
    expect(of(res, ROS)).toHaveLength(1);
    const body = stack.inputs.templateBody as string;
    expect(stack.inputs.parameters).toEqual([{ parameterKey: "TemplateDigest", parameterValue: createHash("sha256").update(body).digest("hex") }]);
    expect(Object.keys(template(stack).Parameters)).toEqual(["TemplateDigest"]);
    expect(template(stack).Parameters.TemplateDigest.Type).toBe("String");
    expect(template(stack).Outputs).toEqual({ TemplateDigest: { Value: { Ref: "TemplateDigest" } } });
    expect(stack.inputs).toMatchObject({ deletionProtection: "Enabled", replacementOption: "Disabled", retainAllResources: true, timeoutInMinutes: 30 });
  });

  it("a new column: the table's ROS definition and the template stay byte for byte; TableColumns lists the column", async () => {
    const before = [odsTable(table("users"), "daily", 30)];
    const ledger = appendToLedger({ database: "db", tables: {} }, before);
    const r1 = await build(before, ledger);
    const after = [withColumns("users", [["phone", "varchar(20)"]])];
    const r2 = await build(after, appendToLedger(ledger, after));
    expect(of(r2, ROS)[0].inputs.templateBody).toBe(of(r1, ROS)[0].inputs.templateBody);
    expect(of(r2, ROS)[0].inputs.parameters).toEqual(of(r1, ROS)[0].inputs.parameters);
    const [cols] = of(r2, COLUMNS);
    expect(cols.name).toBe("wh-ods-daily-columns");
    expect(cols.inputs).toMatchObject({ region: "cn-shanghai", endpoint: "https://service.cn-shanghai.maxcompute.aliyun.com/api", project: "pa_test" });
    expect(cols.inputs.tables).toEqual([
      {
        name: "ods_users_d",
        columns: [
          { name: "id", type: "BIGINT", comment: "key" },
          { name: "created_time", type: "DATETIME", comment: "" },
          { name: "phone", type: "STRING", comment: "phone" },
        ],
      },
    ]);
  });

  it("a new table: added to the template, existing resources unchanged, digest (parameters) changes so UpdateStack runs", async () => {
    const one = [odsTable(table("users"), "daily", 30)];
    const ledger = appendToLedger({ database: "db", tables: {} }, one);
    const r1 = await build(one, ledger);
    const two = [...one, odsTable(table("feedback"), "daily", 30)];
    const r2 = await build(two, appendToLedger(ledger, two));
    const [t1, t2] = [template(of(r1, ROS)[0]), template(of(r2, ROS)[0])];
    expect(Object.keys(t2.Resources)).toEqual(["OdsUsersD", "OdsFeedbackD"]);
    expect(t2.Resources.OdsUsersD).toEqual(t1.Resources.OdsUsersD);
    expect(of(r2, ROS)[0].inputs.parameters[0].parameterValue).not.toBe(of(r1, ROS)[0].inputs.parameters[0].parameterValue);
  });

  it("lifecycle changed: every ROS template stays byte for byte (creation lifecycle); each layer's TableColumns carries the new lifecycleDays", async () => {
    const daily = [odsTable(table("users"), "daily", 90), odsTable(table("feedback"), "daily", 90)];
    const hourly = [odsTable(table("users"), "hourly", 90)];
    const ledger = appendToLedger({ database: "db", tables: {} }, [...daily, ...hourly]);
    const r1 = await build(daily, ledger, hourly, { lifecycleDays: 90 });
    // What the docs say to do: pin the creation lifecycle, then change lifecycleDays (and the tables' desired lifecycle with it).
    const relabel = (ts: MaxComputeTable[]) => ts.map((t) => ({ ...t, lifecycleDays: 730 }));
    const r2 = await build(relabel(daily), ledger, relabel(hourly), { lifecycleDays: 730, tablesCreatedWithLifecycleDays: 90 });
    expect(of(r2, ROS).map((r) => r.inputs.templateBody)).toEqual(of(r1, ROS).map((r) => r.inputs.templateBody));
    expect(of(r2, ROS).map((r) => r.inputs.parameters)).toEqual(of(r1, ROS).map((r) => r.inputs.parameters));
    expect(Object.values(template(of(r2, ROS)[0]).Resources).map((r: any) => r.Properties.Lifecycle)).toEqual([90, 90]);
    expect(of(r1, COLUMNS).map((r) => [r.name, r.inputs.lifecycleDays])).toEqual([
      ["wh-ods-daily-columns", 90],
      ["wh-ods-hourly-columns", 90],
    ]);
    expect(of(r2, COLUMNS).map((r) => [r.name, r.inputs.lifecycleDays])).toEqual([
      ["wh-ods-daily-columns", 730],
      ["wh-ods-hourly-columns", 730],
    ]);
    expect(of(r2, COLUMNS).map((r) => r.inputs.tables)).toEqual(of(r1, COLUMNS).map((r) => r.inputs.tables));
  });

  it("tablesCreatedWithLifecycleDays defaults to lifecycleDays: a stack that never set it keeps today's templates", async () => {
    const daily = [odsTable(table("users"), "daily", 365)];
    const ledger = appendToLedger({ database: "db", tables: {} }, daily);
    const res = await build(daily, ledger, [], { lifecycleDays: 365 });
    expect(of(res, ROS)[0].inputs.templateBody).toBe(rosTablesTemplate("pa_test", daily, "photo-analytics ODS tables, daily layer"));
    expect(template(of(res, ROS)[0]).Resources.OdsUsersD.Properties.Lifecycle).toBe(365);
  });

  it("one TableColumns per layer, after the layer's stacks", async () => {
    const daily = [odsTable(table("users"), "daily", 30)];
    const hourly = [odsTable(table("users"), "hourly", 30)];
    const res = await build(daily, appendToLedger({ database: "db", tables: {} }, [...daily, ...hourly]), hourly);
    expect(of(res, COLUMNS).map((r) => r.name)).toEqual(["wh-ods-daily-columns", "wh-ods-hourly-columns"]);
    expect(of(res, ROS).map((r) => r.name)).toEqual(["wh-ods-daily", "wh-ods-hourly"]);
  });

  it("fails when a change cannot be applied in place, naming the table, the column and the runbook", () => {
    const ledger = appendToLedger({ database: "db", tables: {} }, [odsTable(table("users"), "daily", 30)]);
    const retyped = odsTable(
      { ...table("users"), columns: [{ name: "id", type: "int(11)", nullable: false, comment: "key" }, table("users").columns[1]] },
      "daily",
      30,
    );
    expect(
      () =>
        new Warehouse("bad", {
          projectName: "pa_test",
          lifecycleDays: 30,
          region: "cn-shanghai",
          dailyTables: [retyped],
          tableLedger: { ledger, file: "l.json" },
        }),
    ).toThrow(/\[column-type-changed\] ods_users_d: column `id` changes type from BIGINT to INT.*docs\/maxcompute-schema-changes\.md/);
  });
});
