import { isUnreadable } from "../facts";
import { quoteIdent } from "../endpoint";
import { GrantLevel, GrantStatement, WRITE_PRIVILEGES } from "../grants";
import { accountSql } from "./grants-common";
import { dtsDatabases, HEARTBEAT_PRIVILEGES, narrowCreateGrants } from "./grants-cdc";
import { pass, PreflightCheck, warn } from "./types";

function objectSql(level: GrantLevel): string {
  switch (level.kind) {
    case "global":
      return "*.*";
    case "database":
      return `${quoteIdent(level.database)}.*`;
    case "table":
      return `${quoteIdent(level.database)}.${quoteIdent(level.table)}`;
    case "routine":
      return `${quoteIdent(level.database)}.${quoteIdent(level.name)}`;
  }
}

/**
 * A sync account should read, not write: privileges beyond what the sync needs (SELECT or
 * SHOW VIEW on `*.*`, any write privilege other than CREATE/INSERT/UPDATE/DELETE on the
 * databases DTS creates) are reported with the REVOKE that removes them, and the GRANTs
 * that keep what the sync does need. CREATE on `*.*` is what DTS's guide asks for
 * (DTS_ACCOUNT_GUIDE_URL): it is reported with the narrower set that does the same job.
 * A warning, not a failure: the sync works either way.
 */
export const grantsLeastPrivilege: PreflightCheck = {
  id: "grants-least-privilege",
  title: "Sync account has no privileges beyond what the sync needs",
  scope: "all",
  run: ({ server }, ctx) => {
    const g = server.grants;
    if (isUnreadable(g)) return warn(`SHOW GRANTS failed: ${g.error}`);
    const write = new Set<string>(WRITE_PRIVILEGES);
    const dts = new Set(dtsDatabases(ctx.heartbeatDatabase));
    const heartbeatWrites = new Set<string>(HEARTBEAT_PRIVILEGES);
    const excess: { s: Extract<GrantStatement, { kind: "privileges" }>; privs: string[] }[] = [];
    for (const s of g.statements) {
      if (s.kind !== "privileges" || s.revoke) continue;
      if (s.grantee !== g.account && !g.activeRoles.includes(s.grantee)) continue;
      const onDtsDatabase = s.level.kind === "database" && dts.has(s.level.database);
      const privs = s.privileges
        .filter(
          (p) =>
            (write.has(p.name) && !(onDtsDatabase && heartbeatWrites.has(p.name))) ||
            (s.level.kind === "global" && (p.name === "SELECT" || p.name === "SHOW VIEW")),
        )
        .map((p) => p.name);
      if (s.withGrantOption) privs.push("GRANT OPTION");
      if (privs.length > 0) excess.push({ s, privs });
    }
    if (excess.length === 0) {
      return pass(
        `${g.account}: no SELECT or SHOW VIEW on *.*, no write privilege beyond ${HEARTBEAT_PRIVILEGES.join(", ")} on ${[...dts].map((d) => `${quoteIdent(d)}.*`).join(" and ")}`,
      );
    }
    const acct = accountSql(g.account);
    const revokedGlobally = new Set(excess.filter((e) => e.s.level.kind === "global").flatMap((e) => e.privs));
    const all = revokedGlobally.has("ALL") || revokedGlobally.has("ALL PRIVILEGES");
    const realtime = ctx.realtimeTables.length > 0;
    // What the sync still needs after the REVOKEs, granted on the narrowest object.
    const keep: string[] = [];
    if (all || revokedGlobally.has("SELECT")) keep.push(`GRANT SELECT, SHOW VIEW ON ${quoteIdent(ctx.database)}.* TO ${acct};`);
    else if (revokedGlobally.has("SHOW VIEW")) keep.push(`GRANT SHOW VIEW ON ${quoteIdent(ctx.database)}.* TO ${acct};`);
    if (realtime && all) keep.push(`GRANT REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO ${acct};`);
    if (realtime && (all || revokedGlobally.has("CREATE"))) keep.push(...narrowCreateGrants(dtsDatabases(ctx.heartbeatDatabase), acct));
    const note = revokedGlobally.has("CREATE")
      ? ` (CREATE on *.* is what DTS's guide grants so that DTS can create its ${dtsDatabases(ctx.heartbeatDatabase)
          .map((d) => `\`${d}\``)
          .join(" / ")} database; ${realtime ? "CREATE, INSERT, UPDATE, DELETE on those databases does the same job" : "no DTS sync at this stage"})`
      : "";
    return warn(
      excess.map((e) => `${e.privs.join(", ")} on ${objectSql(e.s.level)}${e.s.grantee === g.account ? "" : ` (role ${e.s.grantee})`}`).join("; ") + note,
      [
        ...keep,
        ...excess.map((e) => `REVOKE ${e.privs.join(", ")} ON ${objectSql(e.s.level)} FROM ${e.s.grantee === g.account ? acct : quoteIdent(e.s.grantee)};`),
      ].join("\n"),
    );
  },
};
