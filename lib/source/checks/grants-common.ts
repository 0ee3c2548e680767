/** Shared by the checks that read the sync account's grants. */
import { quoteIdent } from "../endpoint";
import { EffectiveGrants, holds, PrivilegeMatch, PrivilegeTarget } from "../grants";

/** `'user'@'host'` for GRANT statements. */
export function accountSql(account: string): string {
  const at = account.lastIndexOf("@");
  const user = at < 0 ? account : account.slice(0, at);
  const host = at < 0 ? "%" : account.slice(at + 1);
  return `'${user.replace(/'/g, "''")}'@'${host.replace(/'/g, "''")}'`;
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
