/** Shared by the checks that read the sync account's grants. */
import { quoteIdent } from "../endpoint";
import { EffectiveGrants, holds, PrivilegeMatch, PrivilegeTarget } from "../grants";
import { accountSql as quoteAccount } from "../account";

/** `'user'@'host'` for GRANT statements, from `user@host` as CURRENT_USER() gives it (the one quoting: ../account.ts). */
export function accountSql(account: string): string {
  const at = account.lastIndexOf("@");
  return at < 0 ? quoteAccount(account, "%") : quoteAccount(account.slice(0, at), account.slice(at + 1));
}

/** `db`.* */
export function dbObject(database: string): string {
  return `${quoteIdent(database)}.*`;
}

/** Where a privilege comes from, for evidence: `GRANT ... (via role r1)`. */
export function describeMatch(m: PrivilegeMatch): string {
  return m.via ? `${m.statement} (via role ${m.via})` : m.statement;
}

/** Roles granted but not active at login: their privileges do not reach DTS's session. */
export function inactiveRoles(g: EffectiveGrants): string[] {
  return g.grantedRoles.filter((r) => !g.activeRoles.includes(r));
}

/** Checks `privilege` on each target; returns the first match or undefined per target. */
export function firstMatch(g: EffectiveGrants, privilege: string, target: PrivilegeTarget): PrivilegeMatch | undefined {
  return holds(g, privilege, target)[0];
}
