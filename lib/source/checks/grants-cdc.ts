import { isUnreadable } from "../facts";
import { accountSql, dbObject, describeMatch, firstMatch } from "./grants-common";
import { fail, pass, PreflightCheck } from "./types";

/** Privileges on DTS's heartbeat database: it creates it and writes a heartbeat row (DTS "prepare accounts" page). */
export const HEARTBEAT_PRIVILEGES = ["CREATE", "INSERT", "UPDATE", "DELETE"] as const;

/**
 * What DTS needs beyond SELECT for incremental sync from a self-managed MySQL:
 * REPLICATION CLIENT (BINLOG MONITOR on MariaDB >= 10.5), REPLICATION SLAVE, SHOW VIEW,
 * and create/write on its heartbeat database.
 */
export const grantsCdc: PreflightCheck = {
  id: "grants-cdc",
  title: "Sync account has REPLICATION CLIENT, REPLICATION SLAVE, SHOW VIEW and DTS heartbeat privileges",
  scope: "realtime",
  run: ({ server }, ctx) => {
    const g = server.grants;
    if (isUnreadable(g)) return fail(`SHOW GRANTS failed: ${g.error}`, `Run the preflight as the sync account itself (it can always read its own grants).`);
    const acct = accountSql(g.account);
    const wanted: { privilege: string; target: Parameters<typeof firstMatch>[2]; on: string }[] = [
      { privilege: "REPLICATION CLIENT", target: { kind: "global" }, on: "*.*" },
      { privilege: "REPLICATION SLAVE", target: { kind: "global" }, on: "*.*" },
      { privilege: "SHOW VIEW", target: { kind: "database", database: ctx.database }, on: dbObject(ctx.database) },
      ...HEARTBEAT_PRIVILEGES.map((p) => ({
        privilege: p,
        target: { kind: "database" as const, database: ctx.heartbeatDatabase },
        on: dbObject(ctx.heartbeatDatabase),
      })),
    ];
    const held: string[] = [];
    const missing: typeof wanted = [];
    for (const w of wanted) {
      const m = firstMatch(g, w.privilege, w.target);
      if (m) held.push(`${w.privilege} on ${w.on} from: ${describeMatch(m)}`);
      else missing.push(w);
    }
    if (missing.length === 0) return pass(held.join("; "));
    // One GRANT per object, privileges in the order above.
    const byObject = new Map<string, string[]>();
    for (const m of missing) byObject.set(m.on, [...(byObject.get(m.on) ?? []), m.privilege]);
    const fix = [...byObject.entries()].map(([on, privs]) => `GRANT ${privs.join(", ")} ON ${on} TO ${acct};`).join("\n");
    return fail(`${g.account} lacks ${missing.map((m) => `${m.privilege} on ${m.on}`).join(", ")}`, fix);
  },
};
