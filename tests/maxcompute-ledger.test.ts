/**
 * The ODS table ledger (lib/maxcompute/table-ledger.ts): the ROS template keeps each table's
 * creation-time definition, added columns go to ALTER TABLE ADD COLUMNS, and every change
 * MaxCompute cannot apply in place is refused before anything is registered.
 *
 * Why: ALIYUN::MaxCompute::Table has no editable property (https://www.alibabacloud.com/help/doc-detail/260286.htm)
 * and the stacks disable replacement, so a changed table resource would fail UpdateStack.
 */
import * as path from "path";
import { readSchemaSnapshot, readTableLedger } from "../project-files";
import { MaxComputeTable, odsTable, rosTablesTemplate } from "../lib/maxcompute/ods-tables";
import { ledgerPath } from "../lib/config/source-schema";
import {
  appendToLedger,
  LedgerError,
  ledgerEntry,
  parseTableLedger,
  resolveOdsTable,
  resolveOdsTables,
  SchemaChangeError,
  TableLedger,
} from "../lib/maxcompute/table-ledger";
import { SourceTable } from "../lib/config/source-schema";

const FILE = "sql/maxcompute/ods/db.ledger.json";
const source = (columns: [string, string][], name = "users"): SourceTable => ({
  name,
  comment: "users",
  columns: columns.map(([n, type]) => ({ name: n, type, nullable: true, comment: `${n} comment` })),
  primaryKey: ["id"],
  uniqueKeys: [],
});
const BASE: [string, string][] = [
  ["id", "bigint(20)"],
  ["nickname", "varchar(64)"],
  ["total_quota", "int(11)"],
];
const table = (cols: [string, string][], layer: "daily" | "hourly" = "daily"): MaxComputeTable => odsTable(source(cols), layer, 30);
const ledgerOf = (...tables: MaxComputeTable[]): TableLedger => appendToLedger({ database: "db", tables: {} }, tables);
const kinds = (desired: MaxComputeTable, ledger: TableLedger) => resolveOdsTable(desired, ledger.tables[desired.name], FILE).problems.map((p) => p.kind);

describe("a table in the ledger", () => {
  it("unchanged: ROS keeps the creation definition, nothing is added", () => {
    const t = table(BASE);
    const r = resolveOdsTable(t, ledgerOf(t).tables.ods_users_d, FILE);
    expect(r.problems).toEqual([]);
    expect(r.resolved!.ros).toEqual(t);
    expect(r.resolved!.added).toEqual([]);
  });

  it("a column added at the end or in the middle: ROS keeps the creation columns, ALTER adds it at the end", () => {
    const created = table(BASE);
    const now = table([BASE[0], ["phone", "varchar(20)"], BASE[1], BASE[2]]);
    const ledger = appendToLedger(ledgerOf(created), [now]);
    expect(ledger.tables.ods_users_d.added).toEqual([{ name: "phone", type: "STRING", comment: "phone comment" }]);
    expect(ledger.tables.ods_users_d.columns).toEqual(created.columns.map((c) => ({ name: c.name, type: c.type, comment: c.comment })));
    const r = resolveOdsTable(now, ledger.tables.ods_users_d, FILE);
    expect(r.problems).toEqual([]);
    expect(r.resolved!.ros.columns.map((c) => c.name)).toEqual(["id", "nickname", "total_quota"]);
    expect(r.resolved!.columns.map((c) => c.name)).toEqual(["id", "nickname", "total_quota", "phone"]);
    expect(r.resolved!.added.map((c) => c.name)).toEqual(["phone"]);
  });

  it("appendToLedger never edits an existing entry (append only)", () => {
    const created = table(BASE);
    const ledger = ledgerOf(created);
    const retyped = table([BASE[0], BASE[1], ["total_quota", "bigint(20)"]]);
    expect(appendToLedger(ledger, [retyped])).toEqual(ledger);
  });
});

describe("refused changes (each names the table, the column and the runbook)", () => {
  const created = table(BASE);
  const ledger = ledgerOf(created);

  it.each([
    ["column-type-changed (widening INT -> BIGINT is not proven safe)", [BASE[0], BASE[1], ["total_quota", "int(10) unsigned"]], ["column-type-changed"]],
    ["column-type-changed (narrowing BIGINT -> INT)", [["id", "int(11)"], BASE[1], BASE[2]], ["column-type-changed"]],
    ["column-dropped", [BASE[0], BASE[2]], ["column-dropped"]],
    ["column-renamed", [BASE[0], ["nick", "varchar(64)"], BASE[2]], ["column-renamed", "column-not-in-ledger"]],
    ["column-reordered", [BASE[0], BASE[2], BASE[1]], ["column-reordered"]],
  ] as [string, [string, string][], string[]][])("fails on %s", (_name, cols, expected) => {
    expect(kinds(table(cols), ledger)).toEqual(expected);
  });

  it("fails on a partition change (a daily table recorded with hourly partitions)", () => {
    const hourlyShape = { ...ledger.tables.ods_users_d, partitions: table(BASE, "hourly").partitions };
    expect(kinds(created, { database: "db", tables: { ods_users_d: hourlyShape } })).toEqual(["partition-changed"]);
  });

  it("fails when an added column is reordered, dropped or retyped later", () => {
    const withAdded = appendToLedger(ledger, [table([...BASE, ["a", "int(11)"], ["b", "int(11)"]])]);
    expect(kinds(table([...BASE, ["b", "int(11)"], ["a", "int(11)"]]), withAdded)).toEqual(["column-reordered"]);
    expect(kinds(table([...BASE, ["b", "int(11)"]]), withAdded)).toEqual(["column-dropped"]);
    expect(kinds(table([...BASE, ["a", "bigint(20)"], ["b", "int(11)"]]), withAdded)).toEqual(["column-type-changed"]);
  });

  it("the message says what changed, that MaxCompute cannot apply it in place, and where the manual path is", () => {
    const r = resolveOdsTable(table([BASE[0], BASE[1], ["total_quota", "bigint(20)"]]), ledger.tables.ods_users_d, FILE);
    expect(r.problems[0].message).toBe(
      "ods_users_d: column `total_quota` changes type from INT to BIGINT; the stack changes no column type (unsupported conversions fail with ODPS-0130071, and a narrowing loses data); MaxCompute cannot apply this in place: see docs/maxcompute-schema-changes.md",
    );
  });
});

describe("re-basing an entry after a change applied by hand (generation)", () => {
  it("the entry rewritten to the new shape with generation 2: accepted, and the ROS resource gets a new logical id", () => {
    const retyped = table([BASE[0], BASE[1], ["total_quota", "bigint(20)"]]);
    const rebased: TableLedger = { database: "db", tables: { ods_users_d: { ...ledgerEntry(retyped), generation: 2 } } };
    const r = resolveOdsTable(retyped, rebased.tables.ods_users_d, FILE);
    expect(r.problems).toEqual([]);
    expect(r.resolved!.ros.rosGeneration).toBe(2);
    const body = JSON.parse(rosTablesTemplate("p", [r.resolved!.ros], "d"));
    expect(Object.keys(body.Resources)).toEqual(["OdsUsersDG2"]);
    expect(body.Resources.OdsUsersDG2.Properties).toMatchObject({ Name: "ods_users_d", IfNotExists: true });
    expect(body.Resources.OdsUsersDG2.DeletionPolicy).toBe("Retain");
  });

  it("generation 1 (or none) keeps the original logical id", () => {
    const t = table(BASE);
    const r = resolveOdsTable(t, { ...ledgerEntry(t), generation: 1 }, FILE);
    expect(Object.keys(JSON.parse(rosTablesTemplate("p", [r.resolved!.ros], "d")).Resources)).toEqual(["OdsUsersD"]);
  });

  it("fails on a generation that is not an integer >= 1", () => {
    expect(() => parseTableLedger('{"database":"db","tables":{"t":{"columns":[],"generation":0}}}', FILE)).toThrow(
      "tables.t.generation must be an integer >= 1; got 0",
    );
  });
});

describe("the ledger must record what the stack deploys", () => {
  it("fails on a new table, printing the entry to add", () => {
    const t = table(BASE);
    const r = resolveOdsTable(t, undefined, FILE);
    expect(r.problems.map((p) => p.kind)).toEqual(["table-not-in-ledger"]);
    expect(r.problems[0].message).toContain(JSON.stringify(ledgerEntry(t)));
  });

  it("fails on a new column not yet appended, printing the line to append", () => {
    const r = resolveOdsTable(table([...BASE, ["phone", "varchar(20)"]]), ledgerOf(table(BASE)).tables.ods_users_d, FILE);
    expect(r.problems.map((p) => p.message)).toEqual([
      'ods_users_d: new column `phone` is not in the table ledger sql/maxcompute/ods/db.ledger.json; append {"name":"phone","type":"STRING","comment":"phone comment"} to tables.ods_users_d.added (the stack adds it with ALTER TABLE ADD COLUMNS, at the end of the table)',
    ]);
  });

  it("resolveOdsTables reports every problem of every table at once", () => {
    const other = odsTable(source(BASE, "feedback"), "daily", 30);
    let err: unknown;
    try {
      resolveOdsTables([table([BASE[0]]), other], ledgerOf(table(BASE)), FILE);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SchemaChangeError);
    expect((err as SchemaChangeError).problems.map((p) => `${p.table}:${p.kind}`)).toEqual([
      "ods_users_d:column-dropped",
      "ods_users_d:column-dropped",
      "ods_feedback_d:table-not-in-ledger",
    ]);
    expect((err as Error).message).toMatch(
      /^the MaxCompute ODS tables cannot follow the source schema \(3 problems\); nothing was deployed:\n {2}- \[column-dropped\]/,
    );
  });
});

describe("parseTableLedger", () => {
  it.each([
    ["not JSON", "{", "sql/maxcompute/ods/db.ledger.json: not JSON"],
    ["no tables", '{"database":"db"}', 'expected {"database": "<mysql database>", "tables": {"<table>": {...}}}'],
    [
      "a column without a type",
      '{"database":"db","tables":{"t":{"columns":[{"name":"id"}]}}}',
      'tables.t.columns[0] must be {name: string, type: string, comment?: string}; got {"name":"id"}',
    ],
  ])("fails when %s, naming the file and key", (_n, text, message) => {
    expect(() => parseTableLedger(text, FILE)).toThrow(LedgerError);
    expect(() => parseTableLedger(text, FILE)).toThrow(message);
  });
});

describe("the committed ledger", () => {
  const root = path.join(__dirname, "..");
  const schema = readSchemaSnapshot(path.join(root, "sql", "mysql", "photo_assistant.schema.json"));
  const { ledger, file } = readTableLedger(ledgerPath("photo_assistant"), "photo_assistant", root);

  it("records every table of the snapshot in both layers, and accepts the snapshot as it is", () => {
    const desired = schema.tables.flatMap((t) => [odsTable(t, "daily", 30), odsTable(t, "hourly", 30)]);
    expect(() => resolveOdsTables(desired, ledger, file)).not.toThrow();
    expect(Object.keys(ledger.tables).sort()).toEqual(desired.map((t) => t.name).sort());
  });

  it("is what appendToLedger writes (append only: nothing to add)", () => {
    const desired = schema.tables.flatMap((t) => [odsTable(t, "daily", 30), odsTable(t, "hourly", 30)]);
    expect(appendToLedger(ledger, desired)).toEqual(ledger);
  });

  it("a missing ledger file is an empty ledger", () => {
    expect(readTableLedger(ledgerPath("no_such_db"), "no_such_db", root)).toEqual({
      ledger: { database: "no_such_db", tables: {} },
      file: "sql/maxcompute/ods/no_such_db.ledger.json",
    });
  });
});
