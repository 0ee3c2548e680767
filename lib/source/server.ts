/** Server flavour and version, from `SELECT VERSION()`. */

export type Flavor = "mysql" | "mariadb";

export interface ServerVersion {
  readonly flavor: Flavor;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The raw `VERSION()` text, e.g. `10.11.19-MariaDB-0+deb12u1-log`. */
  readonly text: string;
}

/**
 * Parses `VERSION()` (and `@@version_comment`, which says "MariaDB" on builds whose
 * version string does not). Unknown text parses as MySQL 0.0.0.
 */
export function parseServerVersion(version: string, versionComment = ""): ServerVersion {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  const flavor: Flavor = /mariadb/i.test(version) || /mariadb/i.test(versionComment) ? "mariadb" : "mysql";
  return {
    flavor,
    major: m ? Number(m[1]) : 0,
    minor: m ? Number(m[2]) : 0,
    patch: m ? Number(m[3]) : 0,
    text: version,
  };
}

/** True when `v` is at least major.minor.patch (same flavour assumed). */
export function atLeast(v: ServerVersion, major: number, minor = 0, patch = 0): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

/** `MariaDB 10.11.19` / `MySQL 8.0.36`. */
export function describeVersion(v: ServerVersion): string {
  return `${v.flavor === "mariadb" ? "MariaDB" : "MySQL"} ${v.major}.${v.minor}.${v.patch}`;
}

/** The statement that shows the current binlog file and position on this server. */
export function binlogStatusStatement(v: ServerVersion): string {
  if (v.flavor === "mariadb") return atLeast(v, 10, 5, 2) ? "SHOW BINLOG STATUS" : "SHOW MASTER STATUS";
  return atLeast(v, 8, 2) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
}

/** The statement that lists replication channels (rows only when the server is a replica). */
export function replicaStatusStatement(v: ServerVersion): string {
  if (v.flavor === "mariadb") return "SHOW ALL SLAVES STATUS";
  return atLeast(v, 8, 0, 22) ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
}
