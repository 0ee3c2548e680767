/**
 * Everything the preflight checks look at, collected up front in a fixed number of
 * statements (about 10, however many tables), so every check is a pure function of
 * these facts and is table-tested without a server.
 */
import { Queryable } from "./endpoint";
import { effectiveGrants, EffectiveGrants } from "./grants";
import { DatabaseFacts, readDatabase } from "./information-schema";
import { atLeast, binlogStatusStatement, parseServerVersion, replicaStatusStatement, ServerVersion } from "./server";

/** Global variables read (those absent on a server are simply missing from `variables`). */
export const VARIABLES = [
  "log_bin",
  "binlog_format",
  "binlog_row_image",
  "binlog_row_value_options",
  "server_id",
  "log_slave_updates",
  "log_replica_updates",
  "expire_logs_days",
  "binlog_expire_logs_seconds",
  "character_set_server",
  "gtid_mode",
  "read_only",
  "lower_case_table_names",
] as const;

/** A fact that could not be read, with the server's reason. */
export interface Unreadable {
  readonly error: string;
}

export function isUnreadable(v: unknown): v is Unreadable {
  return typeof v === "object" && v !== null && "error" in v;
}

export interface ServerFacts {
  readonly version: ServerVersion;
  /** CURRENT_USER(): the account as the server matched it, `user@host`. */
  readonly account: string;
  /** Lower-case variable name -> value as SHOW GLOBAL VARIABLES prints it. */
  readonly variables: Readonly<Record<string, string>>;
  readonly grants: EffectiveGrants | Unreadable;
  /** Replication channels configured on this server (0 when it is not a replica). */
  readonly replicaChannels: number | Unreadable;
  /** Current binlog file and position, or null when binary logging is off. */
  readonly binlog: { readonly file: string; readonly position: number } | null | Unreadable;
}

/** Everything a preflight run knows. `server`/`database` are absent when the connection failed. */
export interface SourceFacts {
  readonly connection: { readonly ok: true; readonly connectMs: number } | { readonly ok: false; readonly code: string; readonly message: string };
  readonly server?: ServerFacts;
  readonly database?: DatabaseFacts;
}

function errorText(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return err.code ? `${err.code}: ${err.message}` : String(err.message ?? e);
}

/** Reads the server-level facts. */
export async function readServer(q: Queryable): Promise<ServerFacts> {
  const [info] = await q.query<{ v: string; c: string; u: string }>("SELECT VERSION() AS v, @@version_comment AS c, CURRENT_USER() AS u");
  const version = parseServerVersion(String(info.v), String(info.c ?? ""));
  const account = String(info.u);

  const varRows = await q.query<{ Variable_name: string; Value: string }>(
    `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${VARIABLES.map((v) => `'${v}'`).join(", ")})`,
  );
  const variables: Record<string, string> = {};
  for (const r of varRows) variables[String(r.Variable_name).toLowerCase()] = String(r.Value ?? "");

  let grants: EffectiveGrants | Unreadable;
  try {
    // Roles active in a new session are the default roles: what DTS's session gets.
    const rolesSupported = version.flavor === "mariadb" ? atLeast(version, 10, 0, 5) : atLeast(version, 8, 0);
    let activeRoles: string[] = [];
    if (rolesSupported) {
      const [r] = await q.query<{ r: string | null }>("SELECT CURRENT_ROLE() AS r");
      const text = r.r === null || r.r === undefined ? "NONE" : String(r.r);
      activeRoles = text === "NONE" ? [] : splitRoleList(text);
    }
    // MariaDB's SHOW GRANTS includes the active role's grants; MySQL 8 needs USING.
    const sql =
      version.flavor === "mysql" && activeRoles.length > 0 ? `SHOW GRANTS FOR CURRENT_USER() USING ${activeRoles.map(quoteAccount).join(", ")}` : "SHOW GRANTS";
    const rows = await q.query<Record<string, string>>(sql);
    grants = effectiveGrants(
      account,
      activeRoles,
      rows.map((r) => String(Object.values(r)[0])),
    );
  } catch (e) {
    grants = { error: errorText(e) };
  }

  let replicaChannels: number | Unreadable;
  try {
    replicaChannels = (await q.query(replicaStatusStatement(version))).length;
  } catch (e) {
    replicaChannels = { error: errorText(e) };
  }

  let binlog: ServerFacts["binlog"] = null;
  if ((variables.log_bin ?? "OFF").toUpperCase() === "ON") {
    try {
      const rows = await q.query<{ File: string; Position: number }>(binlogStatusStatement(version));
      binlog = rows.length === 0 ? null : { file: String(rows[0].File), position: Number(rows[0].Position) };
    } catch (e) {
      binlog = { error: errorText(e) };
    }
  }
  return { version, account, variables, grants, replicaChannels, binlog };
}

/** `` `r1`@`%`,`r2`@`%` `` (MySQL) or `r1` (MariaDB) -> names. */
function splitRoleList(text: string): string[] {
  return text
    .split(/,(?=(?:[^`]*`[^`]*`)*[^`]*$)/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function quoteAccount(role: string): string {
  // Already quoted by CURRENT_ROLE() on MySQL (`r`@`%`).
  return role.includes("`") ? role : "`" + role.replace(/`/g, "``") + "`";
}

/** Reads the server and database facts over an open connection. */
export async function collectFacts(q: Queryable, database: string, tables: readonly string[] | undefined, connectMs: number): Promise<SourceFacts> {
  const server = await readServer(q);
  const db = await readDatabase(q, database, server.version.flavor, tables);
  return { connection: { ok: true, connectMs }, server, database: db };
}
