/**
 * The preflight against accounts set up as Alibaba's DTS guide says, on a real MariaDB ready
 * for DTS. The guide, "Prepare the database accounts for data synchronization"
 * (https://help.aliyun.com/document_detail/213152.htm; English:
 * https://help.aliyun.com/en/dts/user-guide/prepare-the-database-accounts-for-data-synchronization),
 * lists for a self-managed MySQL source: SELECT on the synced objects; REPLICATION CLIENT,
 * REPLICATION SLAVE and SHOW VIEW; and the permission to create databases and tables so that DTS
 * can create the database `test` (older versions: `dts`). No INSERT/UPDATE/DELETE.
 */
import * as mysql from "mysql2/promise";
import type { Connection } from "mysql2/promise";
import { parseMySqlUrl } from "../lib/source/endpoint";
import { CheckReport } from "../lib/source/checks";
import { PreflightReport } from "../lib/source/preflight";
import { runPreflight } from "../providers/source/run-preflight";
import { syncAccountProvider, SyncAccountOutputs } from "../providers/source/sync-account";
import { MariaDbInstance, startMariaDb } from "./support/mariadb";
import { loadPhotoAssistant } from "./support/load-schema";

const PASSWORD = "Guide-Secret-1";
/** The server must be DTS-ready with known flags (a harness server), and the accounts are created and dropped freely. */
const external = !!process.env.MYSQL_TEST_URL;
const describeReal = external ? describe.skip : describe;
let db: MariaDbInstance;
let admin: Connection;

beforeAll(async () => {
  if (external) return;
  db = await startMariaDb({ serverId: 2 });
  admin = await db.admin();
  await loadPhotoAssistant(admin);
  // Exactly the guide's list: SELECT on the synced objects, the three named privileges, CREATE on *.*.
  await admin.query(`
    CREATE USER 'dts_guide'@'%' IDENTIFIED BY '${PASSWORD}';
    GRANT SELECT ON \`photo_assistant\`.* TO 'dts_guide'@'%';
    GRANT REPLICATION CLIENT, REPLICATION SLAVE, SHOW VIEW ON *.* TO 'dts_guide'@'%';
    GRANT CREATE ON *.* TO 'dts_guide'@'%';
    CREATE USER 'dts_narrow'@'%' IDENTIFIED BY '${PASSWORD}';
    GRANT SELECT, SHOW VIEW ON \`photo_assistant\`.* TO 'dts_narrow'@'%';
    GRANT REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO 'dts_narrow'@'%';
    GRANT CREATE, INSERT, UPDATE, DELETE ON \`dts\`.* TO 'dts_narrow'@'%';
    GRANT CREATE, INSERT, UPDATE, DELETE ON \`test\`.* TO 'dts_narrow'@'%';
    CREATE USER 'dts_no_slave'@'%' IDENTIFIED BY '${PASSWORD}';
    GRANT SELECT ON \`photo_assistant\`.* TO 'dts_no_slave'@'%';
    GRANT REPLICATION CLIENT, SHOW VIEW ON *.* TO 'dts_no_slave'@'%';
    GRANT CREATE ON *.* TO 'dts_no_slave'@'%';`);
}, 120_000);

afterAll(async () => {
  await admin?.end();
  await db?.stop();
});

function preflight(user: string, password = PASSWORD): Promise<PreflightReport> {
  return runPreflight({ endpoint: { ...parseMySqlUrl(db.url("photo_assistant", user)), password }, stage: "mature" });
}

function byId(r: PreflightReport): Record<string, CheckReport> {
  return Object.fromEntries(r.checks.map((c) => [c.id, c]));
}

function outcome(c: CheckReport): Pick<CheckReport, "result" | "evidence" | "fix"> {
  return c.fix === undefined ? { result: c.result, evidence: c.evidence } : { result: c.result, evidence: c.evidence, fix: c.fix };
}

/** Runs statements as `user` (what DTS would do with the account). */
async function asUser(user: string, sql: string): Promise<void> {
  const c = await mysql.createConnection({ host: db.host, port: db.port, user, password: PASSWORD, multipleStatements: true });
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** MariaDB prints the global privileges of dts_guide on one line, in its own order. */
const GUIDE_GLOBAL = "GRANT CREATE, REPLICATION SLAVE, BINLOG MONITOR, SHOW VIEW ON *.* TO `dts_guide`@`%`";

describeReal("an account set up exactly as DTS's guide says", () => {
  let report: PreflightReport;
  beforeAll(async () => {
    report = await preflight("dts_guide");
  });

  it("passes at stage mature with DTS: no check fails", () => {
    expect(Object.fromEntries(report.checks.map((c) => [c.id, c.result]))).toEqual({
      reachability: "pass",
      "server-version": "pass",
      "log-bin": "pass",
      "binlog-format": "pass",
      "binlog-row-image": "pass",
      "binlog-row-value-options": "not-applicable",
      "server-id": "pass",
      // The guide's account cannot read MariaDB's replication status (SLAVE MONITOR is MariaDB's own).
      "log-slave-updates": "warn",
      "binlog-retention": "pass",
      "grants-select": "pass",
      "grants-cdc": "pass",
      "grants-least-privilege": "warn",
      "table-exists": "pass",
      "table-primary-key": "pass",
      "column-types": "pass",
      charset: "pass",
      "table-count": "pass",
    });
    expect(report.summary).toEqual({ pass: 14, fail: 0, warn: 2, "not-applicable": 1 });
    expect(report.exitCode).toBe(0);
  });

  it("grants-cdc passes on CREATE on *.* (no INSERT/UPDATE/DELETE on `dts`.* asked)", () => {
    expect(outcome(byId(report)["grants-cdc"])).toEqual({
      result: "pass",
      evidence: [
        `REPLICATION CLIENT on *.* from: ${GUIDE_GLOBAL}`,
        `REPLICATION SLAVE on *.* from: ${GUIDE_GLOBAL}`,
        `SHOW VIEW on \`photo_assistant\`.* from: ${GUIDE_GLOBAL}`,
        `CREATE on *.* from: ${GUIDE_GLOBAL}`,
      ].join("; "),
    });
  });

  it("grants-least-privilege suggests the narrower set as a warning, GRANTs before the REVOKE", () => {
    expect(outcome(byId(report)["grants-least-privilege"])).toEqual({
      result: "warn",
      evidence:
        "CREATE, SHOW VIEW on *.* (CREATE on *.* is what DTS's guide grants so that DTS can create its `dts` / `test` database; CREATE, INSERT, UPDATE, DELETE on those databases does the same job)",
      fix: [
        "GRANT SHOW VIEW ON `photo_assistant`.* TO 'dts_guide'@'%';",
        "GRANT CREATE, INSERT, UPDATE, DELETE ON `dts`.* TO 'dts_guide'@'%';",
        "GRANT CREATE, INSERT, UPDATE, DELETE ON `test`.* TO 'dts_guide'@'%';",
        "REVOKE CREATE, SHOW VIEW ON *.* FROM 'dts_guide'@'%';",
      ].join("\n"),
    });
  });

  it("warns that MariaDB hides the replication status from it, with the grant that shows it", () => {
    expect(outcome(byId(report)["log-slave-updates"])).toEqual({
      result: "warn",
      evidence:
        "log_slave_updates = OFF; whether the server is a replica is unknown (ER_SPECIFIC_ACCESS_DENIED_ERROR: Access denied; you need (at least one of) the SUPER, SLAVE MONITOR privilege(s) for this operation)",
      fix: "If this server replicates from another, set:\nmy.cnf:\n[mysqld]\nlog_slave_updates = ON\n(then restart the server: this variable cannot be changed at runtime)\nOr let the preflight see the replication status: GRANT SLAVE MONITOR ON *.* TO 'dts_guide'@'%';",
    });
  });

  it("can do what the guide says DTS does with it: create the database `test` and a table in it", async () => {
    await expect(
      asUser("dts_guide", "CREATE DATABASE IF NOT EXISTS test; CREATE TABLE IF NOT EXISTS test.dts_probe (id INT PRIMARY KEY)"),
    ).resolves.toBeUndefined();
    await admin.query("DROP DATABASE test");
  });

  it("after the suggested statements (run verbatim), passes both grant checks with the narrower set", async () => {
    await admin.query(byId(report)["grants-least-privilege"].fix!);
    const after = byId(await preflight("dts_guide"));
    expect(after["grants-cdc"].result).toBe("pass");
    expect(outcome(after["grants-least-privilege"])).toEqual({
      result: "pass",
      evidence: "dts_guide@%: no SELECT or SHOW VIEW on *.*, no write privilege beyond CREATE, INSERT, UPDATE, DELETE on `dts`.* and `test`.*",
    });
  });
});

describeReal("the narrower account (CREATE, INSERT, UPDATE, DELETE only on `dts` and `test`)", () => {
  it("passes grants-cdc and grants-least-privilege", async () => {
    const c = byId(await preflight("dts_narrow"));
    expect(outcome(c["grants-cdc"])).toEqual({
      result: "pass",
      evidence: [
        "REPLICATION CLIENT on *.* from: GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `dts_narrow`@`%`",
        "REPLICATION SLAVE on *.* from: GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `dts_narrow`@`%`",
        "SHOW VIEW on `photo_assistant`.* from: GRANT SELECT, SHOW VIEW ON `photo_assistant`.* TO `dts_narrow`@`%`",
        "CREATE on `dts`.* from: GRANT INSERT, UPDATE, DELETE, CREATE ON `dts`.* TO `dts_narrow`@`%`",
        "CREATE on `test`.* from: GRANT INSERT, UPDATE, DELETE, CREATE ON `test`.* TO `dts_narrow`@`%`",
      ].join("; "),
    });
    expect(c["grants-least-privilege"].result).toBe("pass");
  });

  it("can create DTS's database and write a heartbeat row in it, and nothing else", async () => {
    await asUser(
      "dts_narrow",
      "CREATE DATABASE dts; CREATE TABLE dts.heartbeat (id INT PRIMARY KEY, ts DATETIME); INSERT INTO dts.heartbeat VALUES (1, NOW()); UPDATE dts.heartbeat SET ts = NOW(); DELETE FROM dts.heartbeat",
    );
    await expect(asUser("dts_narrow", "CREATE DATABASE other")).rejects.toThrow("Access denied for user 'dts_narrow'@'%' to database 'other'");
    await admin.query("DROP DATABASE dts");
  });
});

describeReal("an account missing REPLICATION SLAVE", () => {
  it("fails grants-cdc with the one GRANT that fixes it", async () => {
    const r = await preflight("dts_no_slave");
    expect(outcome(byId(r)["grants-cdc"])).toEqual({
      result: "fail",
      evidence: "dts_no_slave@% lacks REPLICATION SLAVE on *.*",
      fix: "GRANT REPLICATION SLAVE ON *.* TO 'dts_no_slave'@'%';",
    });
    expect(r.summary.fail).toBe(1);
  });
});

describeReal("the managed sync account (SyncAccount)", () => {
  it("holds what DTS's guide lists, so grants-cdc passes; the narrower set is only a suggestion", async () => {
    const { id, outs } = await syncAccountProvider.create({
      host: db.host,
      port: db.port,
      adminUser: db.adminUser,
      adminPassword: db.adminPassword,
      user: "pa_managed",
      password: PASSWORD,
      database: "photo_assistant",
    });
    try {
      const c = byId(await preflight("pa_managed"));
      const global = "GRANT CREATE, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `pa_managed`@`%`";
      expect(outcome(c["grants-cdc"])).toEqual({
        result: "pass",
        evidence: [
          `REPLICATION CLIENT on *.* from: ${global}`,
          `REPLICATION SLAVE on *.* from: ${global}`,
          "SHOW VIEW on `photo_assistant`.* from: GRANT SELECT, SHOW VIEW ON `photo\\_assistant`.* TO `pa_managed`@`%`",
          `CREATE on *.* from: ${global}`,
        ].join("; "),
      });
      expect(c["grants-select"].result).toBe("pass");
      expect(c["grants-least-privilege"]).toMatchObject({
        result: "warn",
        fix: [
          "GRANT CREATE, INSERT, UPDATE, DELETE ON `dts`.* TO 'pa_managed'@'%';",
          "GRANT CREATE, INSERT, UPDATE, DELETE ON `test`.* TO 'pa_managed'@'%';",
          "REVOKE CREATE ON *.* FROM 'pa_managed'@'%';",
        ].join("\n"),
      });
    } finally {
      await syncAccountProvider.delete(id, outs as SyncAccountOutputs);
    }
  });
});
