import { isUnreadable } from "../facts";
import { quoteIdent } from "../endpoint";
import { GrantLevel, GrantStatement, WRITE_PRIVILEGES } from "../grants";
import { accountSql } from "./grants-common";
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
 * A sync account should read, not write: privileges beyond what the sync needs (SELECT
 * on `*.*`, any write privilege outside DTS's heartbeat database) are reported with the
 * REVOKE that removes them. A warning, not a failure: the sync works either way.
 */
export const grantsLeastPrivilege: PreflightCheck = {
  id: "grants-least-privilege",
  title: "Sync account has no privileges beyond what the sync needs",
  scope: "all",
  run: ({ server }, ctx) => {
    const g = server.grants;
    if (isUnreadable(g)) return warn(`SHOW GRANTS failed: ${g.error}`);
    const write = new Set<string>(WRITE_PRIVILEGES);
    const excess: { s: Extract<GrantStatement, { kind: "privileges" }>; privs: string[] }[] = [];
    for (const s of g.statements) {
      if (s.kind !== "privileges" || s.revoke) continue;
      if (s.grantee !== g.account && !g.activeRoles.includes(s.grantee)) continue;
      const heartbeat = s.level.kind === "database" && s.level.database === ctx.heartbeatDatabase;
      const privs = s.privileges
        .filter(
          (p) =>
            (write.has(p.name) && !(heartbeat && p.name !== "ALL" && p.name !== "ALL PRIVILEGES")) ||
            (s.level.kind === "global" && (p.name === "SELECT" || p.name === "SHOW VIEW")),
        )
        .map((p) => p.name);
      if (s.withGrantOption) privs.push("GRANT OPTION");
      if (privs.length > 0) excess.push({ s, privs });
    }
    if (excess.length === 0) return pass(`${g.account}: no write privileges, no SELECT on *.*`);
    return warn(
      excess.map((e) => `${e.privs.join(", ")} on ${objectSql(e.s.level)}${e.s.grantee === g.account ? "" : ` (role ${e.s.grantee})`}`).join("; "),
      excess
        .map(
          (e) => `REVOKE ${e.privs.join(", ")} ON ${objectSql(e.s.level)} FROM ${e.s.grantee === g.account ? accountSql(g.account) : quoteIdent(e.s.grantee)};`,
        )
        .join("\n") +
        (excess.some((e) => e.s.level.kind === "global" && e.privs.some((p) => p === "SELECT" || p.startsWith("ALL")))
          ? `\nGRANT SELECT, SHOW VIEW ON ${quoteIdent(ctx.database)}.* TO ${accountSql(g.account)};`
          : "") +
        (ctx.realtimeTables.length > 0 && excess.some((e) => e.s.level.kind === "global" && e.privs.some((p) => p.startsWith("ALL")))
          ? `\nGRANT REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO ${accountSql(g.account)};`
          : ""),
    );
  },
};
