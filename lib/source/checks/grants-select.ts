import { isUnreadable } from "../facts";
import { quoteIdent } from "../endpoint";
import { isBaseTable } from "../information-schema";
import { accountSql, dbObject, describeMatch, firstMatch, inactiveRoles } from "./grants-common";
import { fail, pass, PreflightCheck } from "./types";

/** Every layer reads the synced tables: SELECT on each (database-wide, wildcard or per table). */
export const grantsSelect: PreflightCheck = {
  id: "grants-select",
  title: "Sync account has SELECT on the synced tables",
  scope: "all",
  run: ({ server, database }, ctx) => {
    const g = server.grants;
    if (isUnreadable(g)) return fail(`SHOW GRANTS failed: ${g.error}`, `Run the preflight as the sync account itself (it can always read its own grants).`);
    const dbMatch = firstMatch(g, "SELECT", { kind: "database", database: ctx.database });
    const existing = new Set(database.tables.filter(isBaseTable).map((t) => t.name));
    if (dbMatch) return pass(`SELECT on ${dbObject(ctx.database)} from: ${describeMatch(dbMatch)}`);
    // No table visible means no per-table grant either (an account sees the tables it has a privilege on).
    if (ctx.tables.length === 0) {
      return fail(
        `no SELECT for ${g.account} on ${dbObject(ctx.database)}, and no table of it is visible`,
        `GRANT SELECT ON ${dbObject(ctx.database)} TO ${accountSql(g.account)};`,
      );
    }
    const missing = ctx.tables.filter((t) => !firstMatch(g, "SELECT", { kind: "table", database: ctx.database, table: t }));
    if (missing.length === 0) return pass(`SELECT granted per table on all ${ctx.tables.length} synced tables`);
    const inactive = inactiveRoles(g);
    const roleNote = inactive.length > 0 ? `; roles granted but not active at login: ${inactive.join(", ")}` : "";
    const fix = [
      `GRANT SELECT ON ${dbObject(ctx.database)} TO ${accountSql(g.account)};`,
      ...inactive.map(
        (r) => `-- or, if that role holds SELECT on the database, make it active at login: SET DEFAULT ROLE ${quoteIdent(r)} FOR ${accountSql(g.account)};`,
      ),
    ].join("\n");
    const shown = missing.slice(0, 10).map((t) => (existing.has(t) ? t : `${t} (absent)`));
    return fail(
      `no SELECT for ${g.account} on ${missing.length} of ${ctx.tables.length} synced tables: ${shown.join(", ")}${missing.length > 10 ? ", ..." : ""}${roleNote}`,
      fix,
    );
  },
};
