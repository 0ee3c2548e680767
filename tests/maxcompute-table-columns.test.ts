/**
 * The TableColumns dynamic provider (providers/maxcompute/table-columns.ts) against the local
 * fake MaxCompute: columns added after a table's creation reach MaxCompute with ALTER TABLE
 * ADD COLUMNS, and `lifecycleDays` with ALTER TABLE ... SET LIFECYCLE, idempotently; read reports
 * the server's columns and lifecycle (drift); delete drops nothing; a type conflict or a missing
 * table fails before any ALTER. Credentials come from the one chain
 * (providers/common/credentials.ts) and never reach the state.
 */
import { TableColumnsInputs, TableColumnsProvider, TableColumnsState, sqlPolling, SQL_POLL_ENV, SQL_TIMEOUT_ENV } from "../providers/maxcompute/table-columns";
import { addColumnsSql, columnChanges, columnsCovered, lifecycleChange, lifecycleCovered, setLifecycleSql } from "../lib/maxcompute/column-changes";
import { FakeMaxCompute } from "./support/fake-maxcompute";

const ENV_KEYS = [
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "ALIBABA_CLOUD_SECURITY_TOKEN",
  "ALICLOUD_ACCESS_KEY",
  "ALICLOUD_SECRET_KEY",
  SQL_POLL_ENV,
  SQL_TIMEOUT_ENV,
];
const saved: Record<string, string | undefined> = {};
let fake: FakeMaxCompute;
let provider: TableColumnsProvider;
let inputs: TableColumnsInputs;

const col = (name: string, type: string, comment = "") => ({ name, type, comment });
const USERS = [col("id", "BIGINT", "key"), col("nickname", "STRING", "name")];

beforeEach(async () => {
  for (const k of ENV_KEYS) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  fake = new FakeMaxCompute("AK-columns", "columns-secret-never-in-state");
  const endpoint = await fake.start();
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "AK-columns";
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "columns-secret-never-in-state";
  process.env[SQL_POLL_ENV] = "2";
  fake.createTable("pa", "ods_users_d", [
    ["id", "bigint"],
    ["nickname", "string"],
  ]);
  fake.createTable("pa", "ods_feedback_d", [["id", "bigint"]]);
  inputs = {
    region: "cn-shanghai",
    endpoint,
    project: "pa",
    tables: [
      { name: "ods_users_d", columns: [...USERS, col("phone", "STRING", "mobile, it's E.164")] },
      { name: "ods_feedback_d", columns: [col("id", "BIGINT")] },
    ],
  };
  provider = new TableColumnsProvider();
});
afterEach(async () => {
  await fake.stop();
  expect(fake.modelViolations).toEqual([]); // held to the MaxCompute models (pyodps)
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe("create / update", () => {
  it("adds only the missing columns, one ALTER per table that lacks some, and keeps no secret in state", async () => {
    const res = await provider.create(inputs);
    expect(fake.statements).toEqual(["ALTER TABLE `ods_users_d` ADD COLUMNS (`phone` STRING COMMENT 'mobile, it\\'s E.164');"]);
    expect(fake.tables.get("pa.ods_users_d")!.columns).toEqual([
      { name: "id", type: "bigint", comment: "" },
      { name: "nickname", type: "string", comment: "" },
      { name: "phone", type: "string", comment: "mobile, it's E.164" },
    ]);
    expect(res.id).toBe("pa");
    expect(res.outs.altered).toEqual([expect.stringMatching(/^\d+fake: ALTER TABLE `ods_users_d` ADD COLUMNS \(`phone` STRING/)]);
    expect(JSON.stringify(res.outs)).not.toContain("columns-secret-never-in-state");
    expect(fake.requests.every((r) => r.signatureValid)).toBe(true);
  });

  it("is idempotent: a second run (or a column a sync engine already added) submits nothing", async () => {
    await provider.create(inputs);
    const again = await provider.update("pa", { ...inputs, altered: [] }, inputs);
    expect(again.outs.altered).toEqual([]);
    expect(fake.statements).toHaveLength(1);
  });

  it("never drops: a column MaxCompute has and the stack does not list stays", async () => {
    fake.createTable("pa", "ods_users_d", [
      ["id", "bigint"],
      ["nickname", "string"],
      ["phone", "string"],
      ["by_hand", "string"],
    ]);
    await provider.create(inputs);
    expect(fake.statements).toEqual([]);
    expect(fake.tables.get("pa.ods_users_d")!.columns.map((c) => c.name)).toContain("by_hand");
  });

  it("fails on a type conflict or a missing table before altering anything", async () => {
    fake.createTable("pa", "ods_users_d", [
      ["id", "int"],
      ["nickname", "string"],
    ]);
    fake.tables.delete("pa.ods_feedback_d");
    await expect(provider.create(inputs)).rejects.toThrow(
      "MaxCompute columns of pa: nothing was altered:\n" +
        "  - ods_users_d.id is INT in MaxCompute but BIGINT in the stack; see docs/maxcompute-schema-changes.md\n" +
        "  - pa.ods_feedback_d does not exist in MaxCompute (its ROS stack creates it; check the stack's events)",
    );
    expect(fake.statements).toEqual([]);
  });

  it("fails with MaxCompute's error text when the ALTER fails", async () => {
    fake.failNext = "ODPS-0130071:[1,1] Semantic analysis exception - schema evolution is not enabled";
    await expect(provider.create(inputs)).rejects.toThrow(
      /failed \(AnonymousSQLTask FAILED: ODPS-0130071:\[1,1\] Semantic analysis exception - schema evolution is not enabled\)/,
    );
  });
});

// MaxCompute "Lifecycle management operations" (https://www.alibabacloud.com/help/doc-detail/73769.htm):
// `ALTER TABLE table_name SET lifecycle days;`, days a positive integer. The server's lifecycle is the
// table Schema JSON's `lifecycle` (pyodps odps/models/table.py @00d6b57, TableSchema.lifecycle), -1 for none.
describe("lifecycle (ALTER TABLE ... SET LIFECYCLE)", () => {
  const lifecycle = (t: string) => fake.tables.get(`pa.${t}`)!.lifecycle;

  it("sets lifecycleDays on every table whose lifecycle differs, after its ADD COLUMNS; state keeps each table's lifecycle", async () => {
    fake.createTable("pa", "ods_feedback_d", [["id", "bigint"]], [["ds", "string"]], 730);
    const res = await provider.create({ ...inputs, lifecycleDays: 730 });
    expect(fake.statements).toEqual([
      "ALTER TABLE `ods_users_d` ADD COLUMNS (`phone` STRING COMMENT 'mobile, it\\'s E.164');",
      "ALTER TABLE `ods_users_d` SET LIFECYCLE 730;",
    ]);
    expect([lifecycle("ods_users_d"), lifecycle("ods_feedback_d")]).toEqual([730, 730]);
    expect((res.outs as TableColumnsState).tables.map((t) => [t.name, t.lifecycleDays])).toEqual([
      ["ods_users_d", 730],
      ["ods_feedback_d", 730],
    ]);
  });

  it("is idempotent: a second run with the same lifecycle submits nothing", async () => {
    const created = await provider.create({ ...inputs, lifecycleDays: 90 });
    const n = fake.statements.length;
    const again = await provider.update("pa", created.outs as TableColumnsState, { ...inputs, lifecycleDays: 90 });
    expect(again.outs.altered).toEqual([]);
    expect(fake.statements).toHaveLength(n);
  });

  it("sets it on a table that has none (Schema JSON lifecycle -1)", async () => {
    fake.createTable("pa", "ods_feedback_d", [["id", "bigint"]], [["ds", "string"]], -1);
    await provider.create({ ...inputs, tables: [inputs.tables[1]], lifecycleDays: 365 });
    expect(fake.statements).toEqual(["ALTER TABLE `ods_feedback_d` SET LIFECYCLE 365;"]);
    expect(lifecycle("ods_feedback_d")).toBe(365);
  });

  it("without lifecycleDays leaves every lifecycle as it is and records the server's", async () => {
    const res = await provider.create({ ...inputs, tables: [inputs.tables[1]] });
    expect(fake.statements).toEqual([]);
    expect((res.outs as TableColumnsState).tables).toEqual([{ name: "ods_feedback_d", columns: [col("id", "BIGINT")], lifecycleDays: 30 }]);
  });

  it("diff: an update when a table's known lifecycle is not lifecycleDays (or not known: state from before the input); never a replacement", async () => {
    const created = (await provider.create({ ...inputs, lifecycleDays: 90 })).outs as TableColumnsState;
    expect(await provider.diff("pa", created, { ...inputs, lifecycleDays: 90 })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await provider.diff("pa", created, { ...inputs, lifecycleDays: 730 })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const legacy: TableColumnsState = { ...inputs, altered: [] };
    expect((await provider.diff("pa", legacy, { ...inputs, lifecycleDays: 90 })).changes).toBe(true);
    // That one update submits nothing when MaxCompute already has the lifecycle.
    const n = fake.statements.length;
    expect((await provider.update("pa", legacy, { ...inputs, lifecycleDays: 90 })).outs.altered).toEqual([]);
    expect(fake.statements).toHaveLength(n);
  });

  it("read reports the server's lifecycle: a lifecycle changed by hand is drift, and the next update sets it back", async () => {
    const created = (await provider.create({ ...inputs, lifecycleDays: 90 })).outs as TableColumnsState;
    expect((await provider.diff("pa", (await provider.read("pa", created)).props as TableColumnsState, { ...inputs, lifecycleDays: 90 })).changes).toBe(false);
    fake.tables.get("pa.ods_feedback_d")!.lifecycle = 7;
    const drifted = (await provider.read("pa", created)).props as TableColumnsState;
    expect(drifted.tables.map((t) => t.lifecycleDays)).toEqual([90, 7]);
    expect((await provider.diff("pa", drifted, { ...inputs, lifecycleDays: 90 })).changes).toBe(true);
    const fixed = await provider.update("pa", drifted, { ...inputs, lifecycleDays: 90 });
    expect(fixed.outs.altered).toEqual([expect.stringMatching(/^\d+fake: ALTER TABLE `ods_feedback_d` SET LIFECYCLE 90;$/)]);
    expect(lifecycle("ods_feedback_d")).toBe(90);
  });

  it("check names a lifecycle outside 1-37231", async () => {
    const res = await provider.check({}, { ...inputs, lifecycleDays: 0 });
    expect(res.failures).toEqual([{ property: "lifecycleDays", reason: "lifecycleDays: lifecycleDays is 0; allowed: an integer 1-37231 (days)" }]);
  });

  it("pure: the statement, when it is needed, and coverage of a known state", () => {
    expect(setLifecycleSql("ods_users_d", 730)).toBe("ALTER TABLE `ods_users_d` SET LIFECYCLE 730;");
    expect(() => setLifecycleSql("t", 0)).toThrow("lifecycle of t is 0; allowed: an integer >= 1 (days)");
    expect(lifecycleChange("t", 90, 90)).toBeUndefined();
    expect(lifecycleChange("t", 90, undefined)).toBe("ALTER TABLE `t` SET LIFECYCLE 90;");
    expect(lifecycleCovered([{ name: "t", columns: [], lifecycleDays: 90 }], 90)).toBe(true);
    expect(lifecycleCovered([{ name: "t", columns: [] }], 90)).toBe(false);
  });
});

describe("diff, read, delete", () => {
  it("diff: an update when a desired column is not known with its type; never a replacement", async () => {
    const olds: TableColumnsState = { ...inputs, altered: [] };
    expect(await provider.diff("pa", olds, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const more = { ...inputs, tables: [{ name: "ods_users_d", columns: [...USERS, col("email", "STRING")] }] };
    expect(await provider.diff("pa", olds, more)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    // A comment-only change is not applied, so it is not a change.
    const comment = { ...inputs, tables: [{ name: "ods_users_d", columns: [col("id", "BIGINT", "new comment")] }] };
    expect((await provider.diff("pa", olds, comment)).changes).toBe(false);
  });

  it("read reports the columns MaxCompute has: create -> read -> diff is no change; a column dropped by hand is drift", async () => {
    const created = await provider.create(inputs);
    const read = await provider.read("pa", created.outs as TableColumnsState);
    expect((await provider.diff("pa", read.props as TableColumnsState, inputs)).changes).toBe(false);
    fake.tables.get("pa.ods_users_d")!.columns.pop();
    const drifted = await provider.read("pa", created.outs as TableColumnsState);
    expect((drifted.props as TableColumnsState).tables[0].columns.map((c) => c.name)).toEqual(["id", "nickname"]);
    expect((await provider.diff("pa", drifted.props as TableColumnsState, inputs)).changes).toBe(true);
  });

  it("delete drops nothing and calls nothing", async () => {
    await provider.delete();
    expect(fake.requests).toEqual([]);
  });

  it("check names each bad property", async () => {
    const res = await provider.check({}, { ...inputs, project: "", tables: [{ name: "bad-name", columns: [col("c", "BIGINT; DROP")] }] });
    expect(res.failures).toEqual([
      { property: "project", reason: "project is required" },
      { property: "tables", reason: 'tables[0].name: table name "bad-name" must be letters, digits and _ (at most 128)' },
      { property: "tables", reason: 'tables[0].columns[0].type: column type "BIGINT; DROP" of bad-name.c is not a MaxCompute type' },
    ]);
  });

  it("uses the stack's alicloud config before the environment", async () => {
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
    delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
    const config = new Map([
      ["alicloud:accessKey", "AK-columns"],
      ["alicloud:secretKey", "columns-secret-never-in-state"],
    ]);
    await provider.configure({ config: { get: (k: string) => config.get(k) } } as never);
    await provider.create(inputs);
    expect(fake.requests.every((r) => r.signatureValid)).toBe(true);
  });
});

describe("pure column changes (lib/maxcompute/column-changes.ts)", () => {
  it("compares types case- and space-insensitively", () => {
    expect(columnChanges({ name: "t", columns: [col("s", "DECIMAL(5,2)")] }, [col("s", "decimal(5, 2)")])).toEqual({ add: [], conflicts: [] });
    expect(columnsCovered([{ name: "t", columns: [col("s", "decimal(5,2)")] }], [{ name: "t", columns: [col("s", "DECIMAL(5,2)")] }])).toBe(true);
  });

  it("renders ADD COLUMNS with escaped comments", () => {
    expect(addColumnsSql("t", [col("a", "INT"), col("b", "STRING", "x\\y 'z'")])).toBe(
      "ALTER TABLE `t` ADD COLUMNS (`a` INT, `b` STRING COMMENT 'x\\\\y \\'z\\'');",
    );
  });

  it("polling overrides: defaults, a value, and a bad value named", () => {
    expect(sqlPolling({})).toMatchObject({ intervalMs: 1000, factor: 2, maxIntervalMs: 10000, timeoutMs: 600000 });
    expect(sqlPolling({ [SQL_POLL_ENV]: "5" })).toMatchObject({ intervalMs: 5, maxIntervalMs: 40, timeoutMs: 600000 });
    expect(() => sqlPolling({ [SQL_TIMEOUT_ENV]: "soon" })).toThrow(
      'PHOTO_ANALYTICS_MAXCOMPUTE_TIMEOUT_MS="soon" must be a whole number of milliseconds greater than 0 (default 600000)',
    );
  });
});
