/**
 * The program (stack.ts) refuses ODS schema changes MaxCompute cannot apply in place, and
 * tables or columns missing from the committed table ledger, before registering anything:
 * one RunError listing every problem with the runbook (docs/maxcompute-schema-changes.md).
 * The source schema snapshot is the committed one with one change per case, written to a
 * temporary file; the ledger is the committed sql/maxcompute/ods/photo_assistant.ledger.json.
 */
import { setTestMocks } from "./support/mocks";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

let registered = 0;
setTestMocks(
  {
    newResource: (args) => {
      registered++;
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  { preview: true },
);

import { buildStack } from "../stack";
import { input } from "./support/config";

type Snapshot = { database: string; tables: { name: string; columns: { name: string; type: string; nullable: boolean; comment: string }[] }[] };
const ROOT = path.join(__dirname, "..");
const committed = (): Snapshot => JSON.parse(fs.readFileSync(path.join(ROOT, "sql", "mysql", "photo_assistant.schema.json"), "utf8"));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-schema-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function usersOf(s: Snapshot) {
  return s.tables.find((t) => t.name === "users")!.columns;
}

/** Runs the program with the committed snapshot changed by `edit`; returns the error, if any. */
async function run(edit: (s: Snapshot) => void): Promise<Error | undefined> {
  const s = committed();
  edit(s);
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.schema.json`);
  fs.writeFileSync(file, JSON.stringify(s));
  const i = input({ "photo-analytics:source": { host: "10.0.0.5", port: 3306, database: "photo_assistant", user: "pa_sync", schemaFile: file } });
  pulumi.runtime.setAllConfig({ ...i.values }, [...i.secretKeys]);
  registered = 0;
  try {
    buildStack();
  } catch (e) {
    return e as Error;
  } finally {
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

describe("the program refuses schema changes before registering anything", () => {
  it.each([
    [
      "a type change",
      (s: Snapshot) => (usersOf(s).find((c) => c.name === "total_quota")!.type = "bigint(20)"),
      "[column-type-changed] ods_users_d: column `total_quota` changes type from INT to BIGINT",
    ],
    [
      "a dropped column",
      (s: Snapshot) =>
        usersOf(s).splice(
          usersOf(s).findIndex((c) => c.name === "nickname"),
          1,
        ),
      "[column-dropped] ods_users_d: column `nickname` STRING is gone from the source (dropped)",
    ],
    [
      "a renamed column",
      (s: Snapshot) => (usersOf(s).find((c) => c.name === "nickname")!.name = "display_name"),
      "[column-renamed] ods_users_d: column `nickname` STRING is gone and `display_name` of the same type is new: a rename",
    ],
    ["reordered columns", (s: Snapshot) => usersOf(s).reverse(), "[column-reordered] ods_users_d: the created columns change order"],
    [
      "a new column not yet in the ledger",
      (s: Snapshot) => usersOf(s).push({ name: "phone", type: "varchar(20)", nullable: true, comment: "mobile" }),
      "[column-not-in-ledger] ods_users_d: new column `phone` is not in the table ledger sql/maxcompute/ods/photo_assistant.ledger.json; append",
    ],
  ])("fails on %s", async (_name, edit, message) => {
    const e = await run(edit);
    expect(e).toBeInstanceOf(pulumi.RunError);
    expect(e!.message).toContain(message);
    expect(e!.message).toMatch(/^the MaxCompute ODS tables cannot follow the source schema/);
    expect(registered).toBe(0);
  });

  it("checks only the tables the stack deploys (users has no hourly table in the initial stage)", async () => {
    const e = await run((s) => (usersOf(s).find((c) => c.name === "total_quota")!.type = "bigint(20)"));
    expect(e!.message.match(/\[column-type-changed\]/g)).toHaveLength(1);
  });

  it("accepts the committed snapshot", async () => {
    expect(await run(() => undefined)).toBeUndefined();
    expect(registered).toBeGreaterThan(0);
  });
});
