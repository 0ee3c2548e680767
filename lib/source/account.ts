/**
 * The least-privilege sync account (DTS / DataWorks) on a self-managed source: the grants
 * it should hold, reading what it holds now, and the statements that reconcile the two.
 * Used by the SyncAccount dynamic resource; pure except for the Queryable it is given.
 */
import { quoteIdent, Queryable } from "./endpoint";
import { parseGrantLine } from "./grants";

export interface SyncAccountSpec {
  /** Account user name. */
  readonly user: string;
  /** Account host pattern (`%`, or the DTS / DataWorks address range such as `100.104.%`). */
  readonly accountHost: string;
  /** The synced database (SELECT and SHOW VIEW on it; never `*.*`). */
  readonly database: string;
  /** Grant what CDC (DTS) needs: REPLICATION CLIENT, REPLICATION SLAVE and CREATE on `*.*` (DTS's guide). */
  readonly replication: boolean;
  /** DTS heartbeat database. Kept for the resource's inputs; the grants no longer depend on it (CREATE is on `*.*`). */
  readonly heartbeatDatabase: string;
}

/** One privilege on one object, e.g. `SELECT ON `photo_assistant`.*`: the unit grants are compared in. */
export type GrantItem = string;

function item(privilege: string, on: string): GrantItem {
  return `${privilege} ON ${on}`;
}

/**
 * The grants the account must hold, sorted: SELECT and SHOW VIEW on the synced database; with
 * `replication`, REPLICATION CLIENT, REPLICATION SLAVE and CREATE on `*.*`.
 *
 * Why CREATE on `*.*` and not the narrower CREATE/INSERT/UPDATE/DELETE on `dts`.* and `test`.*
 * that the preflight suggests for hand-made accounts (grants-least-privilege): this is the set
 * DTS's guide documents for a self-managed MySQL source ("Prepare the database accounts for data
 * synchronization", https://help.aliyun.com/document_detail/213152.htm: SELECT, REPLICATION
 * CLIENT, REPLICATION SLAVE, SHOW VIEW, and the permission to create databases and tables so that
 * DTS can create `test`, or `dts` in older versions), and so the only set known to pass DTS's own
 * precheck. The narrower set is enough by MySQL's privilege rules (tested against MariaDB), but
 * no DTS page says the precheck accepts it, and the database DTS creates has changed name between
 * versions of the guide; an account this project manages must not be the reason a DTS task fails
 * its precheck.
 */
export function desiredGrants(spec: SyncAccountSpec): GrantItem[] {
  const db = `${quoteIdent(escapeGrantDatabase(spec.database))}.*`;
  const out = [item("SELECT", db), item("SHOW VIEW", db)];
  if (spec.replication) out.push(item("REPLICATION CLIENT", "*.*"), item("REPLICATION SLAVE", "*.*"), item("CREATE", "*.*"));
  return out.sort();
}

/**
 * A database name as a GRANT object: `_` and `%` are LIKE wildcards there, so
 * `photo_assistant`.* would also cover `photoXassistant`; escaping keeps it to one database.
 */
export function escapeGrantDatabase(database: string): string {
  return database.replace(/([_%])/g, "\\$1");
}

/** MariaDB >= 10.5 prints new names for the replication privileges; compare under the MySQL names. */
const CANONICAL: Readonly<Record<string, string>> = {
  "BINLOG MONITOR": "REPLICATION CLIENT",
  "REPLICATION REPLICA": "REPLICATION SLAVE",
};

/** `'user'@'host'`. */
export function accountSql(user: string, host: string): string {
  return `'${user.replace(/\\/g, "\\\\").replace(/'/g, "''")}'@'${host.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** Grant items of SHOW GRANTS lines (USAGE dropped; column grants kept as `SELECT (a, b) ON ...`). */
export function grantItems(lines: readonly string[]): GrantItem[] {
  const out = new Set<GrantItem>();
  for (const line of lines) {
    const s = parseGrantLine(line);
    if (s.kind === "roles") {
      for (const r of s.roles) out.add(`ROLE ${r}`);
      continue;
    }
    if (s.kind !== "privileges" || s.revoke) continue;
    const on =
      s.level.kind === "global"
        ? "*.*"
        : s.level.kind === "database"
          ? `${quoteIdent(s.level.database)}.*`
          : s.level.kind === "table"
            ? `${quoteIdent(s.level.database)}.${quoteIdent(s.level.table)}`
            : `${quoteIdent(s.level.database)}.${quoteIdent(s.level.name)}`;
    for (const p of s.privileges) {
      if (p.name === "USAGE") continue;
      const name = CANONICAL[p.name] ?? p.name;
      out.add(item(p.columns ? `${name} (${p.columns.map(quoteIdent).join(", ")})` : name, on));
    }
    if (s.withGrantOption) out.add(item("GRANT OPTION", on));
  }
  return [...out].sort();
}

/** The account's grant items, or undefined when the account does not exist. */
export async function readAccountGrants(admin: Queryable, user: string, host: string): Promise<GrantItem[] | undefined> {
  try {
    const rows = await admin.query<Record<string, string>>(`SHOW GRANTS FOR ${accountSql(user, host)}`);
    return grantItems(rows.map((r) => String(Object.values(r)[0])));
  } catch (e) {
    // ER_NONEXISTING_GRANT (1141): no such account.
    if ((e as { errno?: number }).errno === 1141) return undefined;
    throw e;
  }
}

/** Missing and extra items of `actual` against `desired`, ignoring `tolerated` extras (grants the account had before we adopted it). */
export function grantDrift(
  desired: readonly GrantItem[],
  actual: readonly GrantItem[],
  tolerated: readonly GrantItem[] = [],
): { missing: GrantItem[]; extra: GrantItem[] } {
  const have = new Set(actual);
  const want = new Set(desired);
  const ok = new Set(tolerated);
  return {
    missing: desired.filter((g) => !have.has(g)),
    extra: actual.filter((g) => !want.has(g) && !ok.has(g)),
  };
}

/** GRANT / REVOKE statements for items on one account. */
export function grantStatements(verb: "GRANT" | "REVOKE", items: readonly GrantItem[], account: string): string[] {
  const byObject = new Map<string, string[]>();
  const roles: string[] = [];
  for (const g of items) {
    if (g.startsWith("ROLE ")) {
      roles.push(g.slice(5));
      continue;
    }
    const at = g.lastIndexOf(" ON ");
    const on = g.slice(at + 4);
    byObject.set(on, [...(byObject.get(on) ?? []), g.slice(0, at)]);
  }
  const out = [...byObject.entries()].map(([on, privs]) =>
    verb === "GRANT" ? `GRANT ${privs.join(", ")} ON ${on} TO ${account}` : `REVOKE ${privs.join(", ")} ON ${on} FROM ${account}`,
  );
  for (const r of roles) out.push(verb === "GRANT" ? `GRANT ${quoteIdent(r)} TO ${account}` : `REVOKE ${quoteIdent(r)} FROM ${account}`);
  return out;
}
