/**
 * The preflight against real MariaDB servers started by the harness: one with the settings
 * DTS needs and a least-privilege account, one with deliberately bad settings.
 */
import { main } from "../cli/preflight";
import { parseMySqlUrl } from "../lib/source/endpoint";
import { CheckReport } from "../lib/source/checks";
import { PreflightReport } from "../lib/source/preflight";
import { runPreflight } from "../providers/source/run-preflight";
import { CommandIo } from "../cli/command";
import { MariaDbInstance, startMariaDb } from "./support/mariadb";
import { createManyTables, loadFixture, loadPhotoAssistant } from "./support/load-schema";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Connection } from "mysql2/promise";

const external = !!process.env.MYSQL_TEST_URL;
let good: MariaDbInstance;
let bad: MariaDbInstance;
let goodAdmin: Connection;
let badAdmin: Connection;

const SYNC = { user: "pa_sync", password: "S3cret-pw" };

beforeAll(async () => {
  [good, bad] = await Promise.all([
    startMariaDb({ serverId: 2 }),
    startMariaDb({ serverId: 1, binlogFormat: "STATEMENT", binlogRowImage: "MINIMAL", binlogExpireLogsSeconds: 86400 }),
  ]);
  goodAdmin = await good.admin();
  badAdmin = await bad.admin();
  await loadPhotoAssistant(goodAdmin);
  await loadPhotoAssistant(badAdmin);
  await loadFixture(badAdmin, "flinkcdc_mysql_inventory_wo_pk");
  await goodAdmin.query(`CREATE USER '${SYNC.user}'@'%' IDENTIFIED BY '${SYNC.password}';
    GRANT SELECT, SHOW VIEW ON \`photo_assistant\`.* TO '${SYNC.user}'@'%';
    GRANT REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO '${SYNC.user}'@'%';
    GRANT CREATE, INSERT, UPDATE, DELETE ON \`dts\`.* TO '${SYNC.user}'@'%';
    GRANT CREATE, INSERT, UPDATE, DELETE ON \`test\`.* TO '${SYNC.user}'@'%';
    GRANT SLAVE MONITOR ON *.* TO '${SYNC.user}'@'%';`);
  // The bad server's account: SELECT only, via a role that is not its default; plus a stray write privilege.
  await badAdmin.query(`CREATE USER '${SYNC.user}'@'%' IDENTIFIED BY '${SYNC.password}';
    CREATE ROLE pa_reader; GRANT SELECT ON \`photo\\_%\`.* TO pa_reader; GRANT pa_reader TO '${SYNC.user}'@'%';
    GRANT SELECT ON \`flinkcdc_mysql_inventory_wo_pk\`.* TO '${SYNC.user}'@'%';
    GRANT INSERT ON *.* TO '${SYNC.user}'@'%';
    GRANT SLAVE MONITOR ON *.* TO '${SYNC.user}'@'%';
    CHANGE MASTER TO MASTER_HOST='192.0.2.10', MASTER_PORT=3306, MASTER_USER='repl';`);
}, 120_000);

afterAll(async () => {
  await goodAdmin?.end();
  await badAdmin?.end();
  await Promise.all([good?.stop(), bad?.stop()]);
});

function byId(r: PreflightReport): Record<string, CheckReport> {
  return Object.fromEntries(r.checks.map((c) => [c.id, c]));
}

const endpoint = (db: MariaDbInstance, database = "photo_assistant") => ({ ...parseMySqlUrl(db.url(database, SYNC.user)), password: SYNC.password });

describe("on a server prepared for DTS", () => {
  let report: PreflightReport;
  beforeAll(async () => {
    report = await runPreflight({ endpoint: endpoint(good), stage: "mature" });
  });

  it("passes every check that applies and exits 0", () => {
    const results = Object.fromEntries(report.checks.map((c) => [c.id, c.result]));
    expect(results).toEqual({
      reachability: "pass",
      "server-version": "pass",
      "log-bin": "pass",
      "binlog-format": "pass",
      "binlog-row-image": "pass",
      "binlog-row-value-options": "not-applicable",
      "server-id": "pass",
      "log-slave-updates": "not-applicable",
      "binlog-retention": "pass",
      "grants-select": "pass",
      "grants-cdc": "pass",
      "grants-least-privilege": "pass",
      "table-exists": "pass",
      "table-primary-key": "pass",
      "column-types": "pass",
      charset: "pass",
      "table-count": "pass",
    });
    expect(report.exitCode).toBe(0);
    // Report order, written out (not read from the code under test).
    expect(report.checks.map((c) => c.id)).toEqual([
      "reachability",
      "server-version",
      "log-bin",
      "binlog-format",
      "binlog-row-image",
      "binlog-row-value-options",
      "server-id",
      "log-slave-updates",
      "binlog-retention",
      "grants-select",
      "grants-cdc",
      "grants-least-privilege",
      "table-exists",
      "table-primary-key",
      "column-types",
      "charset",
      "table-count",
    ]);
  });

  it("shows the values it saw as evidence", () => {
    const c = byId(report);
    expect(c["server-version"].evidence).toMatch(/^MariaDB 10\.\d+\.\d+ \(VERSION\(\) = 10\./);
    expect(c["binlog-format"].evidence).toBe("binlog_format = ROW");
    expect(c["binlog-retention"].evidence).toBe("binlog_expire_logs_seconds = 604800, expire_logs_days = 7.000000 (7 days)");
    expect(c["log-bin"].evidence).toMatch(/^log_bin = ON, current binlog binlog\.\d{6} at \d+$/);
    expect(c["binlog-row-value-options"].evidence).toBe("binlog_row_value_options does not exist on MariaDB");
    expect(c["grants-select"].evidence).toBe("SELECT on `photo_assistant`.* from: GRANT SELECT, SHOW VIEW ON `photo_assistant`.* TO `pa_sync`@`%`");
    expect(c["column-types"].evidence).toBe("49 columns mapped: 48 exact, 1 widened, 0 lossy");
    expect(c["table-count"].evidence).toBe("7 tables in the DTS task (limit 1000)");
  });

  it("marks the CDC checks not applicable for a batch stage", async () => {
    const r = await runPreflight({ endpoint: endpoint(good), stage: "growth" });
    const c = byId(r);
    for (const id of ["log-bin", "binlog-format", "binlog-row-image", "server-id", "binlog-retention", "grants-cdc", "table-primary-key", "table-count"]) {
      expect(c[id]).toMatchObject({ result: "not-applicable", evidence: "stage growth has no realtime layer (batch loads need SELECT only)" });
    }
    expect(c["grants-select"].result).toBe("pass");
  });

  it("sends the same number of statements for 7 tables and for 300", async () => {
    await createManyTables(goodAdmin, "many", 300);
    await goodAdmin.query(`GRANT SELECT ON \`many\`.* TO '${SYNC.user}'@'%'`);
    const small = await runPreflight({ endpoint: endpoint(good), stage: "mature" });
    const large = await runPreflight({ endpoint: endpoint(good, "many"), stage: "mature" });
    expect(byId(large)["table-exists"].evidence).toBe("300 synced tables found in many");
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(15);
  });
});

(external ? describe.skip : describe)("on a server with deliberately bad settings", () => {
  let report: PreflightReport;
  beforeAll(async () => {
    report = await runPreflight({ endpoint: endpoint(bad), stage: "mature" });
  });

  it("fails binlog_format, binlog_row_image and retention with the exact fix", () => {
    const c = byId(report);
    expect(c["binlog-format"]).toEqual({
      id: "binlog-format",
      title: "binlog_format = ROW",
      result: "fail",
      evidence: "binlog_format = STATEMENT",
      fix: "SET GLOBAL binlog_format = 'ROW';\nmy.cnf:\n[mysqld]\nbinlog_format = ROW\n(SET GLOBAL applies to new connections; my.cnf keeps it after a restart)",
    });
    expect(c["binlog-row-image"]).toMatchObject({ result: "fail", evidence: "binlog_row_image = MINIMAL" });
    expect(c["binlog-row-image"].fix).toMatch(/^SET GLOBAL binlog_row_image = 'FULL';/);
    expect(c["binlog-retention"]).toMatchObject({
      result: "fail",
      evidence: "binlog_expire_logs_seconds = 86400, expire_logs_days = 1.000000 (1 day; DTS needs >= 7 days for full + incremental sync)",
    });
    expect(c["binlog-retention"].fix).toMatch(/^SET GLOBAL binlog_expire_logs_seconds = 604800;/);
    expect(c["server-id"]).toMatchObject({ result: "warn", fix: "my.cnf:\n[mysqld]\nserver_id = 2" });
    expect(report.exitCode).toBe(1);
  });

  it("fails log_slave_updates on a replica", () => {
    expect(byId(report)["log-slave-updates"]).toMatchObject({
      result: "fail",
      evidence: "replica with 1 channel(s); log_slave_updates = OFF",
      fix: "my.cnf:\n[mysqld]\nlog_slave_updates = ON\n(then restart the server: this variable cannot be changed at runtime)",
    });
  });

  it("sees SELECT only through an inactive role, and says how to fix it", () => {
    const c = byId(report)["grants-select"];
    expect(c.result).toBe("fail");
    expect(c.evidence).toBe(
      "no SELECT for pa_sync@% on 7 of 7 synced tables: advice_views, feedback, guide_usage, page_views, photo_records, user_events, users; roles granted but not active at login: pa_reader",
    );
    expect(c.fix).toBe(
      "GRANT SELECT ON `photo_assistant`.* TO 'pa_sync'@'%';\n-- or, if that role holds SELECT on the database, make it active at login: SET DEFAULT ROLE `pa_reader` FOR 'pa_sync'@'%';",
    );
  });

  it("passes SELECT through the role once it is the default role (wildcard database grant)", async () => {
    await badAdmin.query(`SET DEFAULT ROLE pa_reader FOR '${SYNC.user}'@'%'`);
    try {
      const r = await runPreflight({ endpoint: endpoint(bad), stage: "initial" });
      expect(byId(r)["grants-select"]).toMatchObject({
        result: "pass",
        evidence: "SELECT on `photo_assistant`.* from: GRANT SELECT ON `photo\\_%`.* TO `pa_reader` (via role pa_reader)",
      });
    } finally {
      await badAdmin.query(`SET DEFAULT ROLE NONE FOR '${SYNC.user}'@'%'`);
    }
  });

  it("lists the missing CDC privileges as GRANT statements and the stray write privilege as REVOKE", () => {
    const c = byId(report);
    expect(c["grants-cdc"]).toMatchObject({
      result: "fail",
      fix: [
        "GRANT REPLICATION CLIENT, REPLICATION SLAVE, CREATE ON *.* TO 'pa_sync'@'%';",
        "GRANT SHOW VIEW ON `photo_assistant`.* TO 'pa_sync'@'%';",
        "-- or, instead of CREATE on *.*, only on the databases DTS creates (narrower than DTS's guide):",
        "-- GRANT CREATE, INSERT, UPDATE, DELETE ON `dts`.* TO 'pa_sync'@'%';",
        "-- GRANT CREATE, INSERT, UPDATE, DELETE ON `test`.* TO 'pa_sync'@'%';",
      ].join("\n"),
    });
    expect(c["grants-least-privilege"]).toMatchObject({ result: "warn", evidence: "INSERT on *.*", fix: "REVOKE INSERT ON *.* FROM 'pa_sync'@'%';" });
  });

  it("fails tables without a key, with the ALTER TABLE that adds one (flink-cdc fixture)", async () => {
    const r = await runPreflight({ endpoint: endpoint(bad, "flinkcdc_mysql_inventory_wo_pk"), stage: "mature" });
    const pk = byId(r)["table-primary-key"];
    expect(pk.result).toBe("fail");
    expect(pk.evidence).toMatch(/products: no primary key, no unique key/);
    expect(pk.fix).toMatch(/ALTER TABLE `flinkcdc_mysql_inventory_wo_pk`\.`products` ADD COLUMN `\w+` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY;/);
  });

  it("fails a synced table that does not exist", async () => {
    const r = await runPreflight({ endpoint: endpoint(bad), stage: "initial", tables: ["users", "orders"] });
    expect(byId(r)["table-exists"]).toMatchObject({ result: "fail", evidence: "not found in photo_assistant: orders" });
  });
});

function io(stdin = "", env: NodeJS.ProcessEnv = {}): CommandIo & { out: string; err: string } {
  const o = { out: "", err: "" };
  return Object.assign(o, {
    stdout: (t: string) => void (o.out += t),
    stderr: (t: string) => void (o.err += t),
    readStdin: async () => stdin,
    env,
  });
}

describe("cli/preflight", () => {
  it("exits 0 with a text report on the good server (password from MYSQL_PWD)", async () => {
    const x = io("", { MYSQL_PWD: SYNC.password });
    expect(await main(["--url", good.url("photo_assistant", SYNC.user)], x)).toBe(0);
    expect(x.out).toMatch(/^Preflight of pa_sync@127\.0\.0\.1:\d+\/photo_assistant for stage mature \(MariaDB 10\./);
    expect(x.out).toMatch(/^PASS {2}binlog-format {14}binlog_format = ROW$/m);
    expect(x.out).not.toContain(SYNC.password);
  });

  (external ? it.skip : it)("exits 2 (a check failed) with JSON on the bad server (password from stdin)", async () => {
    const x = io(`${SYNC.password}\n`);
    expect(await main(["--url", bad.url("photo_assistant", SYNC.user), "--json", "--password-stdin"], x)).toBe(2);
    const r = JSON.parse(x.out) as PreflightReport;
    expect(r.exitCode).toBe(2);
    expect(r.checks.find((c) => c.id === "binlog-format")?.result).toBe("fail");
  });

  it("exits 1 (error) when nothing listens, within the connect timeout", async () => {
    const x = io();
    const t = Date.now();
    expect(await main(["--url", "mysql://u@127.0.0.1:1/db", "--connect-timeout-ms", "1000"], x)).toBe(1);
    expect(Date.now() - t).toBeLessThan(5000);
    expect(x.out).toMatch(/^FAIL {2}reachability {15}ECONNREFUSED/m);
  });

  it.each([
    [["--stage", "mature"], "give exactly one of --url mysql://user@host:port/database or --stack <name>"],
    [["--url", "mysql://u@h/db", "--stage", "prod"], '--stage "prod" is not a stage; allowed: initial, growth, mature'],
    [["--url", "http://u@h/db"], '--url protocol "http:" is not allowed; expected mysql://user@host:3306/database'],
  ])("exits 1 on bad arguments %j", async (argv, message) => {
    const x = io();
    expect(await main(argv, x)).toBe(1);
    expect(x.err).toBe(`preflight: ${message}\n`);
  });

  it("reads the source from a stack file with --stack", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pa-stack-"));
    try {
      fs.mkdirSync(path.join(root, "sql", "mysql"), { recursive: true });
      fs.copyFileSync(
        path.join(__dirname, "..", "sql", "mysql", "photo_assistant.schema.json"),
        path.join(root, "sql", "mysql", "photo_assistant.schema.json"),
      );
      const dev = fs.readFileSync(path.join(__dirname, "..", "Pulumi.dev.yaml"), "utf8");
      fs.writeFileSync(
        path.join(root, "Pulumi.t.yaml"),
        dev
          .replace(/host: .*/, "host: 127.0.0.1")
          .replace(/port: 3306/, `port: ${good.port}`)
          .replace(/user: .*/, `user: ${SYNC.user}`),
      );
      const x = io("", { MYSQL_PWD: SYNC.password });
      expect(await main(["--stack", "t", "--json"], x, root)).toBe(0);
      const r = JSON.parse(x.out) as PreflightReport;
      expect(r.stage).toBe("initial");
      expect(r.target).toBe(`pa_sync@127.0.0.1:${good.port}/photo_assistant`);
      expect(r.checks.find((c) => c.id === "table-exists")?.evidence).toBe("7 synced tables found in photo_assistant");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
