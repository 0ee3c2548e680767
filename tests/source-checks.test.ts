/**
 * One passing and one failing fixture for every preflight check (cdk-nag's shape), each
 * asserting the exact result, evidence and fix. Where a server can show the fact, the fixture
 * is a real MariaDB started with good or deliberately bad settings; where it cannot (a server
 * older than MariaDB 10.11, MySQL-only variables, server_id 0, which MariaDB turns into 1),
 * the fixture is the collected facts written out by hand, since every check is a pure function
 * of those facts.
 */
import { parseMySqlUrl } from "../lib/source/endpoint";
import { CHECK_IDS, CheckOutcome, CheckReport, CHECKS, ConnectedFacts, PreflightContext } from "../lib/source/checks";
import { PreflightReport } from "../lib/source/preflight";
import { runPreflight } from "../providers/source/run-preflight";
import { MariaDbInstance, startMariaDb } from "./support/mariadb";
import { createManyTables, loadPhotoAssistant } from "./support/load-schema";
import type { Connection } from "mysql2/promise";

/** The real-server fixtures need servers started with chosen flags: not possible against MYSQL_TEST_URL. */
const external = !!process.env.MYSQL_TEST_URL;
const itReal = external ? it.skip : it;
const SYNC = { user: "pa_sync", password: "S3cret-pw" };

/** Every check id, written out: a check added without fixtures fails the first test below. */
const FIXTURED = [
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
];

let good: MariaDbInstance;
let bad: MariaDbInstance;
let goodAdmin: Connection;
let badAdmin: Connection;

/** The DTS-ready server is a replica itself (DTS reads a replica's binlog: log_slave_updates must be ON). */
const REPLICA_OF = "CHANGE MASTER TO MASTER_HOST='192.0.2.10', MASTER_PORT=3306, MASTER_USER='repl'";

beforeAll(async () => {
  if (external) return;
  [good, bad] = await Promise.all([
    startMariaDb({ serverId: 2, logSlaveUpdates: true }),
    startMariaDb({ serverId: 1, logBin: false, binlogFormat: "STATEMENT", binlogRowImage: "MINIMAL", binlogExpireLogsSeconds: 86400 }),
  ]);
  goodAdmin = await good.admin();
  badAdmin = await bad.admin();
  await loadPhotoAssistant(goodAdmin);
  await loadPhotoAssistant(badAdmin);
  await createManyTables(goodAdmin, "many", 1001);
  await goodAdmin.query(`
    CREATE DATABASE lossy;
    CREATE TABLE lossy.ledger (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, amount DECIMAL(65,30) NOT NULL, flags BIT(8) NULL);
    CREATE DATABASE latin DEFAULT CHARACTER SET utf8mb4;
    CREATE TABLE latin.legacy_users (id INT NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, city VARCHAR(64) NULL) DEFAULT CHARSET=latin1;
    CREATE TABLE latin.notes (id INT NOT NULL PRIMARY KEY, body TEXT NOT NULL) DEFAULT CHARSET=utf8mb4;
    CREATE USER '${SYNC.user}'@'%' IDENTIFIED BY '${SYNC.password}';
    GRANT SELECT, SHOW VIEW ON \`photo_assistant\`.* TO '${SYNC.user}'@'%';
    GRANT SELECT, SHOW VIEW ON \`many\`.* TO '${SYNC.user}'@'%';
    GRANT SELECT, SHOW VIEW ON \`lossy\`.* TO '${SYNC.user}'@'%';
    GRANT SELECT, SHOW VIEW ON \`latin\`.* TO '${SYNC.user}'@'%';
    GRANT REPLICATION CLIENT, REPLICATION SLAVE, SLAVE MONITOR ON *.* TO '${SYNC.user}'@'%';
    GRANT CREATE, INSERT, UPDATE, DELETE ON \`dts\`.* TO '${SYNC.user}'@'%';
    GRANT CREATE, INSERT, UPDATE, DELETE ON \`test\`.* TO '${SYNC.user}'@'%';
    ${REPLICA_OF};`);
  // The bad server's account: no SELECT on photo_assistant, no CDC privileges, a stray write privilege.
  await badAdmin.query(`
    CREATE DATABASE nokey DEFAULT CHARACTER SET utf8mb4;
    CREATE TABLE nokey.audit_log (message TEXT NOT NULL, logged_at DATETIME NOT NULL);
    CREATE TABLE nokey.sessions (token VARCHAR(64) NULL, user_id BIGINT NOT NULL, UNIQUE KEY uk_token (token));
    CREATE USER '${SYNC.user}'@'%' IDENTIFIED BY '${SYNC.password}';
    GRANT SELECT ON \`nokey\`.* TO '${SYNC.user}'@'%';
    GRANT INSERT, SLAVE MONITOR ON *.* TO '${SYNC.user}'@'%';
    ${REPLICA_OF};`);
}, 180_000);

afterAll(async () => {
  await goodAdmin?.end();
  await badAdmin?.end();
  await Promise.all([good?.stop(), bad?.stop()]);
});

const endpoint = (db: MariaDbInstance, database: string, password = SYNC.password) => ({
  ...parseMySqlUrl(db.url(database, SYNC.user)),
  password,
});

/** Runs the preflight once per (server, database, stage, tables) and returns one check's report. */
const runs = new Map<string, Promise<PreflightReport>>();
async function check(
  id: string,
  db: () => MariaDbInstance,
  database = "photo_assistant",
  over: { stage?: "initial" | "mature"; tables?: string[]; password?: string; realtimeEngine?: string } = {},
): Promise<CheckReport> {
  const key = JSON.stringify([db().port, database, over]);
  if (!runs.has(key)) {
    runs.set(
      key,
      runPreflight({
        endpoint: endpoint(db(), database, over.password),
        stage: over.stage ?? "mature",
        tables: over.tables,
        realtimeEngine: over.realtimeEngine,
      }),
    );
  }
  const r = await runs.get(key)!;
  return r.checks.find((c) => c.id === id)!;
}

const goodServer = () => good;
const badServer = () => bad;

/** Only result, evidence and fix: the title is the check's, not the fixture's. */
function outcome(c: CheckReport): CheckOutcome {
  return c.fix === undefined ? { result: c.result, evidence: c.evidence } : { result: c.result, evidence: c.evidence, fix: c.fix };
}

// ---- Pure fact fixtures: facts a MariaDB 10.11 cannot show. --------------------------------------

const CTX: PreflightContext = {
  database: "photo_assistant",
  stage: "mature",
  tables: ["users"],
  realtimeTables: ["users"],
  heartbeatDatabase: "dts",
};

/** A MySQL server that is otherwise ready for DTS; `server` overrides its facts. */
function mysqlFacts(server: Partial<ConnectedFacts["server"]>): ConnectedFacts {
  return {
    connection: { ok: true, connectMs: 3 },
    server: {
      version: { flavor: "mysql", major: 8, minor: 0, patch: 36, text: "8.0.36" },
      account: "dts_sync@%",
      variables: { log_bin: "ON", binlog_format: "ROW", binlog_row_image: "FULL", binlog_row_value_options: "", server_id: "2" },
      grants: { error: "not used by these checks" },
      replicaChannels: 0,
      binlog: { file: "binlog.000003", position: 157 },
      ...server,
    },
    database: { name: "photo_assistant", exists: true, defaultCharset: "utf8mb4", tables: [] },
  };
}

function runCheck(id: string, facts: ConnectedFacts, ctx: PreflightContext = CTX): CheckOutcome {
  const c = CHECKS.find((x) => x.id === id)!;
  return c.run(facts, ctx);
}

// ---- The fixtures. ---------------------------------------------------------------------------------

it("has a passing and a failing fixture for every check, and no other checks exist", () => {
  expect(CHECK_IDS).toEqual(FIXTURED);
});

describe("reachability", () => {
  itReal("passes when the account logs in", async () => {
    const c = await check("reachability", goodServer);
    expect(c.result).toBe("pass");
    expect(c.evidence).toMatch(/^connected as pa_sync@% in \d+ ms$/);
    expect(c.fix).toBeUndefined();
  });

  itReal("fails when the password is wrong, with the account statements for the configured user and database", async () => {
    expect(outcome(await check("reachability", goodServer, "photo_assistant", { password: "wrong" }))).toEqual({
      result: "fail",
      evidence: "ER_ACCESS_DENIED_ERROR: Access denied for user 'pa_sync'@'localhost' (using password: YES)",
      fix: "Check the user and password (MYSQL_PWD or --password-stdin); create the account or grant it the database:\nCREATE USER 'pa_sync'@'%' IDENTIFIED BY '<password>';\nGRANT SELECT ON `photo_assistant`.* TO 'pa_sync'@'%';",
    });
  });
});

describe("server-version", () => {
  itReal("passes on MariaDB 10.11 (real server)", async () => {
    const c = await check("server-version", goodServer);
    expect(c.result).toBe("pass");
    expect(c.evidence).toMatch(/^MariaDB 10\.11\.\d+ \(VERSION\(\) = 10\.11\.\d+-MariaDB[^)]*\)$/);
  });

  it("passes on MySQL 5.6.0, the oldest DTS supports (facts)", () => {
    expect(runCheck("server-version", mysqlFacts({ version: { flavor: "mysql", major: 5, minor: 6, patch: 0, text: "5.6.0-log" } }))).toEqual({
      result: "pass",
      evidence: "MySQL 5.6.0 (VERSION() = 5.6.0-log)",
    });
  });

  it("fails on MySQL 5.5 (facts: no test server that old)", () => {
    expect(runCheck("server-version", mysqlFacts({ version: { flavor: "mysql", major: 5, minor: 5, patch: 62, text: "5.5.62-log" } }))).toEqual({
      result: "fail",
      evidence: "MySQL 5.5.62 (VERSION() = 5.5.62-log)",
      fix: "Upgrade the server to MySQL 5.7 or 8.0 (or MariaDB 10.6+): DTS and DataWorks do not support older sources.",
    });
  });

  it("fails on MariaDB 5.5 (facts)", () => {
    expect(runCheck("server-version", mysqlFacts({ version: { flavor: "mariadb", major: 5, minor: 5, patch: 68, text: "5.5.68-MariaDB" } }))).toMatchObject({
      result: "fail",
      evidence: "MariaDB 5.5.68 (VERSION() = 5.5.68-MariaDB)",
    });
  });
});

describe("log-bin", () => {
  itReal("passes when the server writes a binlog, showing the current position", async () => {
    const c = await check("log-bin", goodServer);
    expect(c.result).toBe("pass");
    expect(c.evidence).toMatch(/^log_bin = ON, current binlog binlog\.\d{6} at \d+$/);
    expect(c.fix).toBeUndefined();
  });

  itReal("fails when the server runs with --skip-log-bin", async () => {
    expect(outcome(await check("log-bin", badServer))).toEqual({
      result: "fail",
      evidence: "log_bin = OFF",
      fix: "my.cnf:\n[mysqld]\nlog_bin = mysql-bin\nserver_id = 2\n(then restart the server: this variable cannot be changed at runtime)",
    });
  });
});

describe("binlog-format", () => {
  itReal("passes with --binlog-format=ROW", async () => {
    expect(outcome(await check("binlog-format", goodServer))).toEqual({ result: "pass", evidence: "binlog_format = ROW" });
  });

  itReal("fails with --binlog-format=STATEMENT", async () => {
    expect(outcome(await check("binlog-format", badServer))).toEqual({
      result: "fail",
      evidence: "binlog_format = STATEMENT",
      fix: "SET GLOBAL binlog_format = 'ROW';\nmy.cnf:\n[mysqld]\nbinlog_format = ROW\n(SET GLOBAL applies to new connections; my.cnf keeps it after a restart)",
    });
  });
});

describe("binlog-row-image", () => {
  itReal("passes with --binlog-row-image=FULL", async () => {
    expect(outcome(await check("binlog-row-image", goodServer))).toEqual({ result: "pass", evidence: "binlog_row_image = FULL" });
  });

  itReal("fails with --binlog-row-image=MINIMAL", async () => {
    expect(outcome(await check("binlog-row-image", badServer))).toEqual({
      result: "fail",
      evidence: "binlog_row_image = MINIMAL",
      fix: "SET GLOBAL binlog_row_image = 'FULL';\nmy.cnf:\n[mysqld]\nbinlog_row_image = FULL\n(SET GLOBAL applies to new connections; my.cnf keeps it after a restart)",
    });
  });
});

describe("binlog-row-value-options", () => {
  itReal("is not applicable on MariaDB, which has no such variable (real server)", async () => {
    expect(outcome(await check("binlog-row-value-options", goodServer))).toEqual({
      result: "not-applicable",
      evidence: "binlog_row_value_options does not exist on MariaDB",
    });
  });

  it("passes on MySQL 8 with the variable empty (facts)", () => {
    expect(runCheck("binlog-row-value-options", mysqlFacts({}))).toEqual({ result: "pass", evidence: "binlog_row_value_options = ''" });
  });

  it("fails on MySQL 8 with PARTIAL_JSON, with SET PERSIST (facts)", () => {
    const f = mysqlFacts({});
    expect(runCheck("binlog-row-value-options", mysqlFacts({ variables: { ...f.server.variables, binlog_row_value_options: "PARTIAL_JSON" } }))).toEqual({
      result: "fail",
      evidence: "binlog_row_value_options = PARTIAL_JSON",
      fix: "SET PERSIST binlog_row_value_options = '';",
    });
  });
});

describe("server-id", () => {
  itReal("passes with --server-id=2", async () => {
    expect(outcome(await check("server-id", goodServer))).toEqual({ result: "pass", evidence: "server_id = 2" });
  });

  itReal("warns with --server-id=1, the default", async () => {
    expect(outcome(await check("server-id", badServer))).toEqual({
      result: "warn",
      evidence: "server_id = 1 (the default: replicas and CDC clients often assume the source is not 1)",
      fix: "my.cnf:\n[mysqld]\nserver_id = 2",
    });
  });

  it("fails with server_id 0 (facts: MariaDB turns 0 into 1; MySQL 5.7 without a binlog keeps it)", () => {
    expect(
      runCheck(
        "server-id",
        mysqlFacts({ version: { flavor: "mysql", major: 5, minor: 7, patch: 44, text: "5.7.44" }, variables: { log_bin: "OFF", server_id: "0" } }),
      ),
    ).toEqual({
      result: "fail",
      evidence: "server_id = 0",
      fix: "SET GLOBAL server_id = 2;\nmy.cnf:\n[mysqld]\nserver_id = 2\n(SET GLOBAL applies to new connections; my.cnf keeps it after a restart)",
    });
  });
});

describe("log-slave-updates", () => {
  itReal("passes on a replica started with --log-slave-updates=ON", async () => {
    expect(outcome(await check("log-slave-updates", goodServer))).toEqual({ result: "pass", evidence: "replica with 1 channel(s); log_slave_updates = ON" });
  });

  itReal("fails on a replica started with --log-slave-updates=OFF", async () => {
    expect(outcome(await check("log-slave-updates", badServer))).toEqual({
      result: "fail",
      evidence: "replica with 1 channel(s); log_slave_updates = OFF",
      fix: "my.cnf:\n[mysqld]\nlog_slave_updates = ON\n(then restart the server: this variable cannot be changed at runtime)",
    });
  });
});

describe("binlog-retention", () => {
  itReal("passes with --binlog-expire-logs-seconds=604800 (7 days)", async () => {
    expect(outcome(await check("binlog-retention", goodServer))).toEqual({
      result: "pass",
      evidence: "binlog_expire_logs_seconds = 604800, expire_logs_days = 7.000000 (7 days)",
    });
  });

  itReal("fails with --binlog-expire-logs-seconds=86400 (1 day)", async () => {
    expect(outcome(await check("binlog-retention", badServer))).toEqual({
      result: "fail",
      evidence: "binlog_expire_logs_seconds = 86400, expire_logs_days = 1.000000 (1 day; DTS needs >= 7 days for full + incremental sync)",
      fix: "SET GLOBAL binlog_expire_logs_seconds = 604800;\nmy.cnf:\n[mysqld]\nbinlog_expire_logs_seconds = 604800\n(SET GLOBAL applies to new connections; my.cnf keeps it after a restart)",
    });
  });

  it("fails on MySQL 8 with 3 days, fixed with SET PERSIST (facts)", () => {
    const f = mysqlFacts({});
    expect(
      runCheck("binlog-retention", mysqlFacts({ variables: { ...f.server.variables, binlog_expire_logs_seconds: "259200", expire_logs_days: "0" } })),
    ).toEqual({
      result: "fail",
      evidence: "binlog_expire_logs_seconds = 259200, expire_logs_days = 0 (3 days; DTS needs >= 7 days for full + incremental sync)",
      fix: "SET PERSIST binlog_expire_logs_seconds = 604800;",
    });
  });
});

describe("grants-select", () => {
  itReal("passes with SELECT on the database", async () => {
    expect(outcome(await check("grants-select", goodServer))).toEqual({
      result: "pass",
      evidence: "SELECT on `photo_assistant`.* from: GRANT SELECT, SHOW VIEW ON `photo_assistant`.* TO `pa_sync`@`%`",
    });
  });

  itReal("fails without SELECT on the synced tables (they are visible through a global INSERT)", async () => {
    expect(outcome(await check("grants-select", badServer))).toEqual({
      result: "fail",
      evidence: "no SELECT for pa_sync@% on 7 of 7 synced tables: advice_views, feedback, guide_usage, page_views, photo_records, user_events, users",
      fix: "GRANT SELECT ON `photo_assistant`.* TO 'pa_sync'@'%';",
    });
  });
});

describe("grants-cdc", () => {
  itReal("passes with REPLICATION CLIENT, REPLICATION SLAVE, SHOW VIEW and CREATE on the databases DTS creates", async () => {
    expect(outcome(await check("grants-cdc", goodServer))).toEqual({
      result: "pass",
      evidence: [
        "REPLICATION CLIENT on *.* from: GRANT REPLICATION SLAVE, BINLOG MONITOR, SLAVE MONITOR ON *.* TO `pa_sync`@`%`",
        "REPLICATION SLAVE on *.* from: GRANT REPLICATION SLAVE, BINLOG MONITOR, SLAVE MONITOR ON *.* TO `pa_sync`@`%`",
        "SHOW VIEW on `photo_assistant`.* from: GRANT SELECT, SHOW VIEW ON `photo_assistant`.* TO `pa_sync`@`%`",
        "CREATE on `dts`.* from: GRANT INSERT, UPDATE, DELETE, CREATE ON `dts`.* TO `pa_sync`@`%`",
        "CREATE on `test`.* from: GRANT INSERT, UPDATE, DELETE, CREATE ON `test`.* TO `pa_sync`@`%`",
      ].join("; "),
    });
  });

  itReal("fails without any of them, with DTS's documented GRANTs and the narrower alternative", async () => {
    expect(outcome(await check("grants-cdc", badServer))).toEqual({
      result: "fail",
      evidence:
        "pa_sync@% lacks REPLICATION CLIENT on *.*, REPLICATION SLAVE on *.*, SHOW VIEW on `photo_assistant`.*, CREATE on *.* (or on `dts`.* and `test`.*)",
      fix: [
        "GRANT REPLICATION CLIENT, REPLICATION SLAVE, CREATE ON *.* TO 'pa_sync'@'%';",
        "GRANT SHOW VIEW ON `photo_assistant`.* TO 'pa_sync'@'%';",
        "-- or, instead of CREATE on *.*, only on the databases DTS creates (narrower than DTS's guide):",
        "-- GRANT CREATE, INSERT, UPDATE, DELETE ON `dts`.* TO 'pa_sync'@'%';",
        "-- GRANT CREATE, INSERT, UPDATE, DELETE ON `test`.* TO 'pa_sync'@'%';",
      ].join("\n"),
    });
  });
});

describe("grants-cdc with engine canal-datahub (Canal's QuickStart: SELECT, REPLICATION SLAVE, REPLICATION CLIENT)", () => {
  itReal("passes with REPLICATION CLIENT and REPLICATION SLAVE; asks for no CREATE or SHOW VIEW", async () => {
    expect(outcome(await check("grants-cdc", goodServer, "photo_assistant", { realtimeEngine: "canal-datahub" }))).toEqual({
      result: "pass",
      evidence: [
        "REPLICATION CLIENT on *.* from: GRANT REPLICATION SLAVE, BINLOG MONITOR, SLAVE MONITOR ON *.* TO `pa_sync`@`%`",
        "REPLICATION SLAVE on *.* from: GRANT REPLICATION SLAVE, BINLOG MONITOR, SLAVE MONITOR ON *.* TO `pa_sync`@`%`",
      ].join("; "),
    });
  });

  itReal("fails without them, with Canal's GRANT only (no DTS CREATE)", async () => {
    expect(outcome(await check("grants-cdc", badServer, "photo_assistant", { realtimeEngine: "canal-datahub" }))).toEqual({
      result: "fail",
      evidence:
        "pa_sync@% lacks REPLICATION CLIENT on *.*, REPLICATION SLAVE on *.* (Canal reads the binlog as a replica: https://github.com/alibaba/canal/wiki/QuickStart)",
      fix: "GRANT REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO 'pa_sync'@'%';",
    });
  });
});

describe("grants-least-privilege", () => {
  itReal("passes with reads, replication and writes only on the databases DTS creates", async () => {
    expect(outcome(await check("grants-least-privilege", goodServer))).toEqual({
      result: "pass",
      evidence: "pa_sync@%: no SELECT or SHOW VIEW on *.*, no write privilege beyond CREATE, INSERT, UPDATE, DELETE on `dts`.* and `test`.*",
    });
  });

  itReal("warns about a stray INSERT on *.*, with the REVOKE", async () => {
    expect(outcome(await check("grants-least-privilege", badServer))).toEqual({
      result: "warn",
      evidence: "INSERT on *.*",
      fix: "REVOKE INSERT ON *.* FROM 'pa_sync'@'%';",
    });
  });
});

describe("table-exists", () => {
  itReal("passes when every synced table is a base table", async () => {
    expect(outcome(await check("table-exists", goodServer))).toEqual({ result: "pass", evidence: "7 synced tables found in photo_assistant" });
  });

  itReal("fails when a synced table is absent", async () => {
    expect(outcome(await check("table-exists", badServer, "nokey", { tables: ["audit_log", "sessions", "orders"] }))).toEqual({
      result: "fail",
      evidence: "not found in nokey: orders",
      fix: "Remove orders from photo-analytics:tables (or --tables), create them, or if they exist: GRANT SELECT ON `nokey`.* TO 'pa_sync'@'%';",
    });
  });
});

describe("table-primary-key", () => {
  itReal("passes when every realtime table has a primary key", async () => {
    expect(outcome(await check("table-primary-key", goodServer))).toEqual({
      result: "pass",
      evidence: "7 realtime tables have a primary key or NOT NULL unique key",
    });
  });

  itReal("fails for a table without keys and one whose only unique key is nullable", async () => {
    expect(outcome(await check("table-primary-key", badServer, "nokey", { tables: ["audit_log", "sessions", "orders"] }))).toEqual({
      result: "fail",
      evidence: "audit_log: no primary key, no unique key; sessions: no primary key; unique key uk_token (token) has nullable column(s) token",
      fix: "ALTER TABLE `nokey`.`audit_log` ADD COLUMN `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY;\nALTER TABLE `nokey`.`sessions` ADD PRIMARY KEY (`token`);",
    });
  });
});

describe("column-types", () => {
  itReal("passes when every column maps exactly or widened", async () => {
    expect(outcome(await check("column-types", goodServer))).toEqual({ result: "pass", evidence: "49 columns mapped: 48 exact, 1 widened, 0 lossy" });
  });

  itReal("warns about DECIMAL(65,30) (lossy), not BIGINT UNSIGNED (exact as DECIMAL(20,0)) or BIT(8) (widened to BINARY)", async () => {
    expect(outcome(await check("column-types", goodServer, "lossy", { stage: "initial" }))).toEqual({
      result: "warn",
      evidence: "3 columns mapped: 1 exact, 1 widened, 1 lossy: ledger.amount decimal(65,30) -> STRING (decimal-too-wide)",
      fix: "ALTER TABLE `lossy`.`ledger` MODIFY `amount` DECIMAL(38,18) NOT NULL; -- only if every stored value fits; otherwise accept STRING",
    });
  });
});

describe("charset", () => {
  itReal("passes when every text column is utf8mb4", async () => {
    expect(outcome(await check("charset", goodServer))).toEqual({
      result: "pass",
      evidence: "21 text columns, all UTF-8 (database default utf8mb4, character_set_server latin1)",
    });
  });

  itReal("warns about a latin1 table, with the conversion", async () => {
    expect(outcome(await check("charset", goodServer, "latin", { stage: "initial" }))).toEqual({
      result: "warn",
      evidence: "2 text columns in 1 table are not UTF-8: legacy_users (name latin1, city latin1)",
      fix: "ALTER TABLE `latin`.`legacy_users` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;",
    });
  });
});

describe("table-count", () => {
  itReal("passes with 7 realtime tables", async () => {
    expect(outcome(await check("table-count", goodServer))).toEqual({ result: "pass", evidence: "7 tables in the DTS task (limit 1000)" });
  });

  itReal("fails with 1,001 realtime tables in one database", async () => {
    expect(outcome(await check("table-count", goodServer, "many"))).toEqual({
      result: "fail",
      evidence: "1001 tables in the DTS task (limit 1000 when table names are mapped)",
      fix: 'Split the realtime tables into 2 DTS tasks of <= 1000 tables, or sync the whole database (dbList {"many": {"all": true}}) without renaming tables.',
    });
  });
});
