import { databasePatternToRegExp, effectiveGrants, holds, parseGrantLine } from "../lib/source/grants";
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
  it("compares MariaDB's renamed privileges under MySQL names", () => {
    const actual = grantItems([
      "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `dts`@`%` IDENTIFIED BY PASSWORD '*X'",
      "GRANT SELECT, SHOW VIEW ON `pa`.* TO `dts`@`%`",
      "GRANT CREATE, INSERT, UPDATE, DELETE ON `dts`.* TO `dts`@`%`",
    ]);
    const desired = desiredGrants({ user: "dts", accountHost: "%", database: "pa", replication: true, heartbeatDatabase: "dts" });
    expect(grantDrift(desired, actual)).toEqual({ missing: [], extra: [] });
    expect(desired).not.toContain("SELECT ON *.*");
  });
});
