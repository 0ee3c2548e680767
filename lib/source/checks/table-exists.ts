import { quoteIdent } from "../endpoint";
import { isBaseTable } from "../information-schema";
import { accountSql } from "./grants-common";
import { isUnreadable } from "../facts";
import { fail, pass, PreflightCheck } from "./types";

/** Every synced table exists as a base table the account can see (views are not synced). */
export const tableExists: PreflightCheck = {
  id: "table-exists",
  title: "Every synced table exists as a base table",
  scope: "all",
  run: ({ server, database }, ctx) => {
    const acct = isUnreadable(server.grants) ? "'<sync user>'@'%'" : accountSql(server.grants.account);
    if (!database.exists) {
      return fail(
        `database ${ctx.database} not found (absent, or ${server.account} has no privilege on it)`,
        `CREATE DATABASE ${quoteIdent(ctx.database)};  -- if it should exist\nGRANT SELECT ON ${quoteIdent(ctx.database)}.* TO ${acct};`,
      );
    }
    if (ctx.tables.length === 0) {
      return fail(`database ${ctx.database} has no base tables visible to ${server.account}`, `GRANT SELECT ON ${quoteIdent(ctx.database)}.* TO ${acct};`);
    }
    const byName = new Map(database.tables.map((t) => [t.name, t]));
    const absent = ctx.tables.filter((t) => !byName.has(t));
    const notTables = ctx.tables.filter((t) => byName.has(t) && !isBaseTable(byName.get(t)!));
    if (absent.length === 0 && notTables.length === 0) return pass(`${ctx.tables.length} synced tables found in ${ctx.database}`);
    const evidence = [
      absent.length > 0 ? `not found in ${ctx.database}: ${absent.join(", ")}` : "",
      notTables.length > 0 ? `not base tables: ${notTables.map((t) => `${t} (${byName.get(t)!.type})`).join(", ")}` : "",
    ]
      .filter((x) => x)
      .join("; ");
    return fail(
      evidence,
      [
        absent.length > 0
          ? `Remove ${absent.join(", ")} from photo-analytics:tables (or --tables), create them, or if they exist: GRANT SELECT ON ${quoteIdent(ctx.database)}.* TO ${acct};`
          : "",
        notTables.length > 0 ? `Sync the base tables behind ${notTables.join(", ")} instead: DTS and Data Integration copy tables, not views.` : "",
      ]
        .filter((x) => x)
        .join("\n"),
    );
  },
};
