import { databasePatternToRegExp, effectiveGrants, holds, parseGrantLine, redactGrantLine } from "../lib/source/grants";
import { ConnectedFacts, PreflightContext } from "../lib/source/checks";
import { grantsCdc } from "../lib/source/checks/grants-cdc";
import { grantsLeastPrivilege } from "../lib/source/checks/grants-least-privilege";
import { binlogRetention } from "../lib/source/checks/binlog-retention";
import { parseServerVersion, binlogStatusStatement, replicaStatusStatement } from "../lib/source/server";
import { parseMySqlUrl, redactUrl } from "../lib/source/endpoint";
import { grantItems, grantDrift, desiredGrants } from "../lib/source/account";

describe("parseGrantLine", () => {
  it.each([
    ["GRANT SELECT, SHOW VIEW ON `pa`.* TO `dts`@`%`", { kind: "privileges", level: { kind: "database", database: "pa" }, grantee: "dts@%" }],
    [
      "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `dts`@`%` IDENTIFIED BY PASSWORD '*D8'",
      { kind: "privileges", level: { kind: "global" }, grantee: "dts@%" },
    ],
    ["GRANT SELECT ON 'pa'.'t' TO 'u'@'localhost'", { kind: "privileges", level: { kind: "table", database: "pa", table: "t" }, grantee: "u@localhost" }],
    ["GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION", { kind: "privileges", withGrantOption: true }],
    ["GRANT `r1` TO `dts`@`%`", { kind: "roles", roles: ["r1"], grantee: "dts@%" }],
    ["GRANT `r1`@`%`,`r2`@`%` TO `u`@`%`", { kind: "roles", roles: ["r1@%", "r2@%"], grantee: "u@%" }],
    ["SET DEFAULT ROLE `r1` FOR `dts`@`%`", { kind: "default-roles", roles: ["r1"], grantee: "dts@%" }],
    ["REVOKE INSERT ON `mysql`.* FROM `u`@`%`", { kind: "privileges", revoke: true, level: { kind: "database", database: "mysql" } }],
    ["GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION", { kind: "other" }],
    ["GRANT EXECUTE ON PROCEDURE `db`.`p` TO `u`@`%`", { kind: "privileges", level: { kind: "routine", database: "db", name: "p" } }],
  ])("parses %s", (line, expected) => {
    expect(parseGrantLine(line)).toMatchObject(expected);
  });

  it("keeps column-level grants as columns", () => {
    const s = parseGrantLine("GRANT SELECT (`id`, `name`), INSERT (`id`) ON `pa`.`t` TO `r1`");
    expect(s).toMatchObject({
      kind: "privileges",
      privileges: [
        { name: "SELECT", columns: ["id", "name"] },
        { name: "INSERT", columns: ["id"] },
      ],
      grantee: "r1",
    });
  });
});

describe("holds", () => {
  const g = (lines: string[], roles: string[] = []) => effectiveGrants("dts@%", roles, lines);

  it("finds SELECT through a LIKE-wildcard database grant and not through an escaped underscore", () => {
    expect(databasePatternToRegExp("photo\\_%").test("photo_assistant")).toBe(true);
    expect(databasePatternToRegExp("photo\\_%").test("photoXassistant")).toBe(false);
    expect(holds(g(["GRANT SELECT ON `photo\\_%`.* TO `dts`@`%`"]), "SELECT", { kind: "database", database: "photo_assistant" })).toHaveLength(1);
    expect(holds(g(["GRANT SELECT ON `photo\\_x`.* TO `dts`@`%`"]), "SELECT", { kind: "database", database: "photo_assistant" })).toHaveLength(0);
  });

  it("counts a role's grants only when the role is active at login", () => {
    const lines = ["GRANT `r1` TO `dts`@`%`", "GRANT SELECT ON `pa`.* TO `r1`"];
    expect(holds(g(lines), "SELECT", { kind: "database", database: "pa" })).toEqual([]);
    expect(holds(g(lines, ["r1"]), "SELECT", { kind: "database", database: "pa" })).toEqual([{ statement: "GRANT SELECT ON `pa`.* TO `r1`", via: "r1" }]);
  });

  it("treats MariaDB's BINLOG MONITOR as REPLICATION CLIENT and ALL as everything", () => {
    expect(holds(g(["GRANT BINLOG MONITOR ON *.* TO `dts`@`%`"]), "REPLICATION CLIENT", { kind: "global" })).toHaveLength(1);
    expect(holds(g(["GRANT ALL PRIVILEGES ON `pa`.* TO `dts`@`%`"]), "SHOW VIEW", { kind: "database", database: "pa" })).toHaveLength(1);
  });

  it("does not let column grants or other accounts' grants count", () => {
    expect(holds(g(["GRANT SELECT (`id`) ON `pa`.`t` TO `dts`@`%`"]), "SELECT", { kind: "table", database: "pa", table: "t" })).toEqual([]);
    expect(holds(g(["GRANT SELECT ON *.* TO `other`@`%`"]), "SELECT", { kind: "global" })).toEqual([]);
  });

  it("honours MySQL 8 partial revokes", () => {
    const lines = ["GRANT SELECT ON *.* TO `dts`@`%`", "REVOKE SELECT ON `secret`.* FROM `dts`@`%`"];
    expect(holds(g(lines), "SELECT", { kind: "database", database: "secret" })).toEqual([]);
    expect(holds(g(lines), "SELECT", { kind: "database", database: "pa" })).toHaveLength(1);
  });
});

describe("binlogRetention", () => {
  it.each([
    [{ binlog_expire_logs_seconds: "604800", expire_logs_days: "7.000000" }, 604800],
    [{ binlog_expire_logs_seconds: "0", expire_logs_days: "3" }, 259200],
    [{ expire_logs_days: "10" }, 864000],
    [{ binlog_expire_logs_seconds: "0", expire_logs_days: "0.000000" }, 0],
    [{ binlog_expire_logs_seconds: "86400", expire_logs_days: "30" }, 86400],
  ])("%j -> %d seconds", (vars, seconds) => {
    expect(binlogRetention(vars).seconds).toBe(seconds);
  });
});

describe("server version", () => {
  it.each([
    ["10.11.19-MariaDB-0+deb12u1-log", "", "mariadb", "SHOW BINLOG STATUS", "SHOW ALL SLAVES STATUS"],
    ["10.4.3-MariaDB", "", "mariadb", "SHOW MASTER STATUS", "SHOW ALL SLAVES STATUS"],
    ["8.4.0", "MySQL Community Server - GPL", "mysql", "SHOW BINARY LOG STATUS", "SHOW REPLICA STATUS"],
    ["5.7.44-log", "", "mysql", "SHOW MASTER STATUS", "SHOW SLAVE STATUS"],
  ])("%s", (v, comment, flavor, binlog, replica) => {
    const p = parseServerVersion(v, comment);
    expect(p.flavor).toBe(flavor);
    expect(binlogStatusStatement(p)).toBe(binlog);
    expect(replicaStatusStatement(p)).toBe(replica);
  });
});

describe("parseMySqlUrl", () => {
  it("parses user, host, port and database", () => {
    expect(parseMySqlUrl("mysql://pa_sync@10.0.3.21:3307/photo_assistant")).toEqual({
      host: "10.0.3.21",
      port: 3307,
      user: "pa_sync",
      database: "photo_assistant",
      password: undefined,
    });
  });
  it("fails when the database is missing, naming what is expected", () => {
    expect(() => parseMySqlUrl("mysql://u@h:3306/")).toThrow('--url "mysql://u@h:3306/" has no database; expected mysql://user@host:3306/database');
  });
  it("never echoes a password", () => {
    expect(redactUrl("mysql://u:s3cret@h/db")).toBe("mysql://u:***@h/db");
  });
});

describe("sync account grant items", () => {
  it("are the grants DTS's guide lists, SELECT and SHOW VIEW on the synced database only", () => {
    expect(desiredGrants({ user: "dts", accountHost: "%", database: "pa", replication: true, heartbeatDatabase: "dts" })).toEqual([
      "CREATE ON *.*",
      "REPLICATION CLIENT ON *.*",
      "REPLICATION SLAVE ON *.*",
      "SELECT ON `pa`.*",
      "SHOW VIEW ON `pa`.*",
    ]);
    expect(desiredGrants({ user: "dts", accountHost: "%", database: "photo_assistant", replication: false, heartbeatDatabase: "dts" })).toEqual([
      "SELECT ON `photo\\_assistant`.*",
      "SHOW VIEW ON `photo\\_assistant`.*",
    ]);
  });

  it("compares MariaDB's renamed privileges under MySQL names", () => {
    const actual = grantItems([
      "GRANT CREATE, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `dts`@`%` IDENTIFIED BY PASSWORD '*X'",
      "GRANT SELECT, SHOW VIEW ON `pa`.* TO `dts`@`%`",
    ]);
    expect(actual).toEqual(["CREATE ON *.*", "REPLICATION CLIENT ON *.*", "REPLICATION SLAVE ON *.*", "SELECT ON `pa`.*", "SHOW VIEW ON `pa`.*"]);
    expect(grantDrift(["CREATE ON *.*", "REPLICATION CLIENT ON *.*", "REPLICATION SLAVE ON *.*", "SELECT ON `pa`.*", "SHOW VIEW ON `pa`.*"], actual)).toEqual({
      missing: [],
      extra: [],
    });
  });
});

describe("redactGrantLine", () => {
  it.each([
    ["GRANT REPLICATION SLAVE ON *.* TO `dts`@`%` IDENTIFIED BY PASSWORD '*D8AB12'", "GRANT REPLICATION SLAVE ON *.* TO `dts`@`%`"],
    [
      "GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` IDENTIFIED VIA mysql_native_password USING 'invalid' OR unix_socket WITH GRANT OPTION",
      "GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION",
    ],
    ["GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '*X' REQUIRE SSL", "GRANT USAGE ON *.* TO `u`@`%` REQUIRE SSL"],
    ["GRANT SELECT ON `pa`.* TO `dts`@`%`", "GRANT SELECT ON `pa`.* TO `dts`@`%`"],
  ])("%s", (line, redacted) => {
    expect(redactGrantLine(line)).toBe(redacted);
    expect(parseGrantLine(line).text).toBe(redacted);
  });

  it("keeps WITH GRANT OPTION visible to the parser after redaction", () => {
    expect(parseGrantLine("GRANT SELECT ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '*X' WITH GRANT OPTION")).toMatchObject({ withGrantOption: true });
  });
});

/** grants-cdc and grants-least-privilege over SHOW GRANTS lines as MariaDB prints them (pure). */
describe("DTS account grants", () => {
  const ctx: PreflightContext = { database: "pa", stage: "mature", tables: ["t"], realtimeTables: ["t"], heartbeatDatabase: "dts" };
  const facts = (lines: string[]): ConnectedFacts => ({
    connection: { ok: true, connectMs: 1 },
    server: {
      version: { flavor: "mariadb", major: 10, minor: 11, patch: 19, text: "10.11.19-MariaDB" },
      account: "dts_sync@%",
      variables: {},
      grants: effectiveGrants("dts_sync@%", [], lines),
      replicaChannels: 0,
      binlog: null,
    },
    database: { name: "pa", exists: true, defaultCharset: "utf8mb4", tables: [] },
  });
  const REPL = "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `dts_sync`@`%`";
  const READ = "GRANT SELECT, SHOW VIEW ON `pa`.* TO `dts_sync`@`%`";

  it.each<[string, string[], string, string | undefined]>([
    ["DTS's guide: CREATE on *.*", [REPL.replace("GRANT ", "GRANT CREATE, "), READ], "pass", undefined],
    [
      "narrower: CREATE on `dts` and `test` only",
      [REPL, READ, "GRANT INSERT, UPDATE, DELETE, CREATE ON `dts`.* TO `dts_sync`@`%`", "GRANT INSERT, UPDATE, DELETE, CREATE ON `test`.* TO `dts_sync`@`%`"],
      "pass",
      undefined,
    ],
    [
      "CREATE on `dts` only (the older guide's database)",
      [REPL, READ, "GRANT INSERT, UPDATE, DELETE, CREATE ON `dts`.* TO `dts_sync`@`%`"],
      "warn",
      "GRANT CREATE, INSERT, UPDATE, DELETE ON `test`.* TO 'dts_sync'@'%';\n-- or DTS's documented grant: GRANT CREATE ON *.* TO 'dts_sync'@'%';",
    ],
    ["no REPLICATION SLAVE", ["GRANT CREATE, BINLOG MONITOR ON *.* TO `dts_sync`@`%`", READ], "fail", "GRANT REPLICATION SLAVE ON *.* TO 'dts_sync'@'%';"],
  ])("grants-cdc, %s", (_name, lines, result, fix) => {
    const r = grantsCdc.run(facts(lines), ctx);
    expect(r.result).toBe(result);
    expect(r.fix).toBe(fix);
  });

  it("grants-least-privilege suggests the narrower set for CREATE on *.*: GRANTs first, then the REVOKE", () => {
    const r = grantsLeastPrivilege.run(
      facts(["GRANT CREATE, REPLICATION SLAVE, BINLOG MONITOR, SHOW VIEW ON *.* TO `dts_sync`@`%`", "GRANT SELECT ON `pa`.* TO `dts_sync`@`%`"]),
      ctx,
    );
    expect(r).toEqual({
      result: "warn",
      evidence:
        "CREATE, SHOW VIEW on *.* (CREATE on *.* is what DTS's guide grants so that DTS can create its `dts` / `test` database; CREATE, INSERT, UPDATE, DELETE on those databases does the same job)",
      fix: [
        "GRANT SHOW VIEW ON `pa`.* TO 'dts_sync'@'%';",
        "GRANT CREATE, INSERT, UPDATE, DELETE ON `dts`.* TO 'dts_sync'@'%';",
        "GRANT CREATE, INSERT, UPDATE, DELETE ON `test`.* TO 'dts_sync'@'%';",
        "REVOKE CREATE, SHOW VIEW ON *.* FROM 'dts_sync'@'%';",
      ].join("\n"),
    });
  });

  it("grants-least-privilege warns about DROP on the heartbeat database (only CREATE/INSERT/UPDATE/DELETE are needed there)", () => {
    const r = grantsLeastPrivilege.run(facts([REPL, READ, "GRANT INSERT, UPDATE, DELETE, CREATE, DROP ON `dts`.* TO `dts_sync`@`%`"]), ctx);
    expect(r).toEqual({ result: "warn", evidence: "DROP on `dts`.*", fix: "REVOKE DROP ON `dts`.* FROM 'dts_sync'@'%';" });
  });
});
