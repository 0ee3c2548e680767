/** `npm run ddl` against every fixture schema and photo_assistant, on one real MariaDB. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../cli/ddl";
import { readSchemaSnapshot } from "../project-files";
import { CommandIo } from "../cli/command";
import { generateDdlFiles } from "../lib/source/ddl";
import { readLiveSchema } from "../providers/source/live-schema";
import { parseMySqlUrl } from "../lib/source/endpoint";
import { mapMySqlType } from "../lib/maxcompute/type-mapping";
import { MariaDbInstance, startMariaDb } from "./support/mariadb";
import { FIXTURE_DATABASES, loadFixture, loadPhotoAssistant } from "./support/load-schema";
import type { Connection } from "mysql2/promise";

let db: MariaDbInstance;
let admin: Connection;
let out: string;

beforeAll(async () => {
  db = await startMariaDb();
  admin = await db.admin();
  for (const f of FIXTURE_DATABASES) await loadFixture(admin, f.database);
  await loadPhotoAssistant(admin);
  out = fs.mkdtempSync(path.join(os.tmpdir(), "pa-ddl-"));
}, 120_000);

afterAll(async () => {
  await admin?.end();
  await db?.stop();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

function io(): CommandIo & { out: string; err: string } {
  const o = { out: "", err: "" };
  return Object.assign(o, { stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t), readStdin: async () => "", env: {} });
}

describe("every fixture schema", () => {
  it.each(FIXTURE_DATABASES.map((f) => f.database))("%s: generates DDL with a mapping or reasoned fallback for every column", async (database) => {
    const { schema } = await readLiveSchema(parseMySqlUrl(db.url(database)));
    expect(schema.tables.length).toBeGreaterThan(0);
    const files = generateDdlFiles(schema);
    const daily = files.find((f) => f.path.endsWith(".daily.sql"))!.content;
    for (const t of schema.tables) {
      expect(daily).toContain(`CREATE TABLE IF NOT EXISTS \`ods_${t.name.toLowerCase()}_d\` (`);
      for (const c of t.columns) {
        const m = mapMySqlType(c.type);
        expect(m.maxComputeType).toMatch(/^(BOOLEAN|TINYINT|SMALLINT|INT|BIGINT|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\)|STRING|DATE|DATETIME|TIMESTAMP|BINARY)$/);
        expect(m.reason).not.toBe("");
      }
    }
  });

  it("thirtybees: all 247 tables, BIGINT UNSIGNED as DECIMAL(20,0), comments kept", async () => {
    const { schema } = await readLiveSchema(parseMySqlUrl(db.url("thirtybees")));
    expect(schema.tables).toHaveLength(247);
    const types = new Set(schema.tables.flatMap((t) => t.columns.map((c) => c.type)));
    expect([...types].some((t) => /^bigint\(20\) unsigned$/.test(t))).toBe(true);
    expect(mapMySqlType("bigint(20) unsigned").maxComputeType).toBe("DECIMAL(20,0)");
  });

  it("flink-cdc column_type_test: the lossy columns are listed in the mapping report with their fallback", async () => {
    const { schema } = await readLiveSchema(parseMySqlUrl(db.url("flinkcdc_column_type_test")));
    const report = generateDdlFiles(schema).find((f) => f.path.endsWith(".mapping.md"))!.content;
    expect(report).toMatch(/\| full_types \| big_decimal_c \| `decimal\(65,1\)` \| STRING \| lossy \| decimal-too-wide \|/);
    expect(report).toMatch(/\| full_types \| json_c \| `json` \| STRING \| widened \| json \|/);
  });

  it("debezium table_column_comment_test: column comments reach the DDL", async () => {
    const { schema } = await readLiveSchema(parseMySqlUrl(db.url("debezium_table_column_comment_test")));
    const daily = generateDdlFiles(schema).find((f) => f.path.endsWith(".daily.sql"))!.content;
    const commented = schema.tables.flatMap((t) => t.columns).filter((c) => c.comment);
    expect(commented.length).toBeGreaterThan(0);
    for (const c of commented) expect(daily).toContain(`COMMENT '${c.comment.replace(/'/g, "\\'")}'`);
  });
});

describe("photo_assistant", () => {
  it("produces the same snapshot as sql/mysql/photo_assistant.schema.json (table order aside)", async () => {
    const { schema } = await readLiveSchema(parseMySqlUrl(db.url("photo_assistant")));
    const recorded = readSchemaSnapshot(path.join(__dirname, "..", "sql", "mysql", "photo_assistant.schema.json"));
    const byName = (s: typeof schema) => Object.fromEntries(s.tables.map((t) => [t.name, t]));
    expect(byName(schema)).toEqual(byName(recorded));
  });

  it("writes files with --out and the committed sql/maxcompute/ods files match them", async () => {
    const x = io();
    expect(await main(["--url", db.url("photo_assistant"), "--out", out], x)).toBe(0);
    expect(x.out).toMatch(/\(7 tables, 49 columns\)\n$/);
    for (const f of ["photo_assistant.daily.sql", "photo_assistant.hourly.sql", "photo_assistant.mapping.md", "photo_assistant.ledger.json"]) {
      expect(fs.readFileSync(path.join(out, "maxcompute", "ods", f), "utf8")).toBe(
        fs.readFileSync(path.join(__dirname, "..", "sql", "maxcompute", "ods", f), "utf8"),
      );
    }
    const hourly = fs.readFileSync(path.join(out, "maxcompute", "ods", "photo_assistant.hourly.sql"), "utf8");
    expect(hourly).toContain("CREATE TABLE IF NOT EXISTS `ods_users_h` (");
    expect(hourly).toContain("PARTITIONED BY (`ds` STRING COMMENT 'business date, yyyymmdd', `hh` STRING COMMENT 'hour of day, 00-23')");
  });

  it("--check exits 0 without drift and 2 with a column-level diff after ALTER TABLE", async () => {
    const clean = io();
    expect(await main(["--url", db.url("photo_assistant"), "--out", out, "--check"], clean)).toBe(0);
    expect(clean.out).toBe("photo_assistant: no drift\n");

    await admin.query(
      "ALTER TABLE photo_assistant.users ADD COLUMN phone VARCHAR(32) NULL COMMENT 'mobile', MODIFY total_quota BIGINT NOT NULL DEFAULT 0 COMMENT 'photo analyses allowed', DROP COLUMN used_quota",
    );
    try {
      const drift = io();
      expect(await main(["--url", db.url("photo_assistant"), "--out", out, "--check"], drift)).toBe(2);
      expect(drift.out.split("\n").slice(0, 4)).toEqual([
        "photo_assistant: 3 changes between sql/ and the live source",
        "  column-removed users.used_quota: column removed (was int(11) NOT NULL COMMENT 'photo analyses used' (MaxCompute INT))",
        "  column-added   users.phone: column added: varchar(32) NULL COMMENT 'mobile' (MaxCompute STRING)",
        "  column-changed users.total_quota: type int(11) -> bigint(20) (MaxCompute INT -> BIGINT)",
      ]);
      expect(drift.out).toContain("generated files out of date:");
    } finally {
      await admin.query(
        "ALTER TABLE photo_assistant.users DROP COLUMN phone, MODIFY total_quota INT NOT NULL DEFAULT 0 COMMENT 'photo analyses allowed', ADD COLUMN used_quota INT NOT NULL DEFAULT 0 COMMENT 'photo analyses used' AFTER total_quota",
      );
    }
  });

  it("appends a new column to the table ledger (both layers), and refuses a dropped column, writing nothing", async () => {
    const ledgerFile = path.join(out, "maxcompute", "ods", "photo_assistant.ledger.json");
    expect(await main(["--url", db.url("photo_assistant"), "--out", out], io())).toBe(0);
    const before = JSON.parse(fs.readFileSync(ledgerFile, "utf8"));
    await admin.query("ALTER TABLE photo_assistant.users ADD COLUMN phone VARCHAR(32) NULL COMMENT 'mobile'");
    try {
      expect(await main(["--url", db.url("photo_assistant"), "--out", out], io())).toBe(0);
      const after = JSON.parse(fs.readFileSync(ledgerFile, "utf8"));
      for (const t of ["ods_users_d", "ods_users_h"]) {
        // The creation-time definition is untouched; the new column is recorded as added.
        expect(after.tables[t].columns).toEqual(before.tables[t].columns);
        expect(after.tables[t].added).toEqual([{ name: "phone", type: "STRING", comment: "mobile" }]);
      }
      await admin.query("ALTER TABLE photo_assistant.users DROP COLUMN used_quota");
      const refused = io();
      expect(await main(["--url", db.url("photo_assistant"), "--out", out], refused)).toBe(2);
      expect(refused.err).toMatch(/^ddl: nothing written: .*used_quota/s);
      expect(refused.err).toContain("docs/maxcompute-schema-changes.md");
      expect(JSON.parse(fs.readFileSync(ledgerFile, "utf8"))).toEqual(after);
    } finally {
      await admin.query("ALTER TABLE photo_assistant.users DROP COLUMN IF EXISTS phone");
      await admin.query(
        "ALTER TABLE photo_assistant.users ADD COLUMN IF NOT EXISTS used_quota INT NOT NULL DEFAULT 0 COMMENT 'photo analyses used' AFTER total_quota",
      );
    }
    // Back to the committed state for the other tests: the source as before, the ledger as committed.
    fs.writeFileSync(ledgerFile, fs.readFileSync(path.join(__dirname, "..", "sql", "maxcompute", "ods", "photo_assistant.ledger.json"), "utf8"));
    expect(await main(["--url", db.url("photo_assistant"), "--out", out], io())).toBe(0);
    expect(JSON.parse(fs.readFileSync(ledgerFile, "utf8"))).toEqual(before);
  });

  it("exits 1 (error) when it cannot connect or a table is unknown", async () => {
    const a = io();
    expect(await main(["--url", "mysql://u@127.0.0.1:1/photo_assistant", "--out", out], a)).toBe(1);
    expect(a.err).toMatch(/^ddl: cannot read the schema of u@127\.0\.0\.1:1\/photo_assistant: ECONNREFUSED/);
    const b = io();
    expect(await main(["--url", db.url("photo_assistant"), "--tables", "users,nope", "--out", out], b)).toBe(1);
    expect(b.err).toContain("--tables: not base tables of photo_assistant: nope");
  });
});
