/**
 * SHOW GRANTS, parsed and evaluated: does an account (with its active roles) hold a
 * privilege on a database or table? Handles MySQL 5.x/8 and MariaDB output: quoted or
 * unquoted identifiers, `*.*` / `db.*` / `db.table`, LIKE wildcards in database names
 * (`photo\_%`.*), column-level grants, `ALL PRIVILEGES`, role grants, `SET DEFAULT ROLE`,
 * MySQL 8 partial revokes, and MariaDB's renamed privileges (BINLOG MONITOR for
 * REPLICATION CLIENT, REPLICATION REPLICA for REPLICATION SLAVE).
 */

/** Where a grant applies. */
export type GrantLevel =
  | { readonly kind: "global" }
  | { readonly kind: "database"; readonly database: string }
  | { readonly kind: "table"; readonly database: string; readonly table: string }
  | { readonly kind: "routine"; readonly database: string; readonly name: string };

export interface GrantedPrivilege {
  /** Upper case, single spaces, e.g. `SELECT`, `REPLICATION CLIENT`, `ALL PRIVILEGES`. */
  readonly name: string;
  /** Column-level grant: the columns; undefined for the whole object. */
  readonly columns?: readonly string[];
}

export type GrantStatement =
  | {
      readonly kind: "privileges";
      readonly privileges: readonly GrantedPrivilege[];
      readonly level: GrantLevel;
      readonly grantee: string;
      readonly withGrantOption: boolean;
      /** A MySQL 8 partial revoke (`REVOKE ... ON db.* FROM ...`). */
      readonly revoke: boolean;
      readonly text: string;
    }
  | { readonly kind: "roles"; readonly roles: readonly string[]; readonly grantee: string; readonly text: string }
  | { readonly kind: "default-roles"; readonly roles: readonly string[]; readonly grantee: string; readonly text: string }
  | { readonly kind: "other"; readonly text: string };

/**
 * Walks `text` from `from`, skipping quoted parts (` ' ") and parenthesised groups, and calls
 * `at` on each character at top level; stops at the first index `at` accepts.
 */
function scanTop(text: string, from: number, at: (i: number) => boolean): number {
  let depth = 0;
  let quote = "";
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\" && quote !== "`") i++;
      else if (c === quote) quote = "";
      continue;
    }
    if (c === "`" || c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0 && at(i)) return i;
  }
  return -1;
}

/** Splits on `sep` outside quotes and parentheses. */
function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = scanTop(text, 0, (j) => text.startsWith(sep, j)); i >= 0; i = scanTop(text, start, (j) => text.startsWith(sep, j))) {
    out.push(text.slice(start, i));
    start = i + sep.length;
  }
  out.push(text.slice(start));
  return out;
}

/** Index of a top-level keyword (surrounded by spaces, case-insensitive), or -1. */
function findKeyword(text: string, keyword: string, from = 0): number {
  const upper = keyword.toUpperCase();
  return scanTop(
    text,
    from,
    (i) => text[i] === " " && text.substr(i + 1, upper.length).toUpperCase() === upper && /\s/.test(text[i + 1 + upper.length] ?? " "),
  );
}

/** Removes one level of quoting from an identifier. */
export function unquoteIdent(raw: string): string {
  const t = raw.trim();
  if (t.length >= 2 && (t[0] === "`" || t[0] === "'" || t[0] === '"') && t[t.length - 1] === t[0]) {
    const q = t[0];
    return t
      .slice(1, -1)
      .split(q + q)
      .join(q);
  }
  return t;
}

/** Splits `a.b` where either part may be quoted. */
function splitDotted(text: string): string[] {
  return splitTop(text.trim(), ".").map((p) => p.trim());
}

/** Normalizes an account or role name: `'u'@'%'`, `` `u`@`%` ``, `u@%`, `` `r1` `` -> `u@%` / `r1`. */
export function normalizeAccount(raw: string): string {
  const parts = splitTop(raw.trim(), "@");
  if (parts.length === 1) return unquoteIdent(parts[0]);
  return `${unquoteIdent(parts[0])}@${unquoteIdent(parts.slice(1).join("@"))}`;
}

function parseLevel(objectText: string): GrantLevel {
  let t = objectText.trim();
  let routine = false;
  const kw = /^(TABLE|PROCEDURE|FUNCTION|PACKAGE BODY|PACKAGE)\s+/i.exec(t);
  if (kw) {
    routine = kw[1].toUpperCase() !== "TABLE";
    t = t.slice(kw[0].length);
  }
  const parts = splitDotted(t);
  if (parts.length === 1) {
    // `*` alone means the default database; treat as global only for `*.*`.
    return parts[0] === "*" ? { kind: "global" } : { kind: "table", database: "", table: unquoteIdent(parts[0]) };
  }
  const [db, obj] = [parts[0], parts.slice(1).join(".")];
  if (db === "*" && obj === "*") return { kind: "global" };
  const database = unquoteIdent(db);
  if (routine) return { kind: "routine", database, name: unquoteIdent(obj) };
  if (obj === "*") return { kind: "database", database };
  return { kind: "table", database, table: unquoteIdent(obj) };
}

function parsePrivileges(text: string): GrantedPrivilege[] {
  return splitTop(text, ",")
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((p) => {
      const m = /^([A-Za-z_ ]+?)\s*(?:\((.*)\))?$/s.exec(p);
      if (!m) return { name: p.toUpperCase() };
      const name = m[1].trim().toUpperCase().replace(/\s+/g, " ");
      const columns = m[2] === undefined ? undefined : splitTop(m[2], ",").map((c) => unquoteIdent(c));
      return columns ? { name, columns } : { name };
    });
}

/**
 * A SHOW GRANTS line without its credentials: MariaDB prints the account's password hash
 * (`IDENTIFIED BY PASSWORD '*…'`, `IDENTIFIED VIA plugin USING '…'`) on the `*.*` line, and the
 * line is shown as evidence in reports.
 */
export function redactGrantLine(line: string): string {
  return line.replace(/\s+IDENTIFIED\s+(?:BY\s+PASSWORD\s+'(?:[^'\\]|\\.|'')*'|(?:VIA|WITH)\s.*?)(?=\s+(?:REQUIRE|WITH\s+(?:GRANT|ADMIN|MAX_))\b|$)/is, "");
}

/** Parses one line of SHOW GRANTS output (credentials removed from `text`). Lines it does not understand are kept as `other`. */
export function parseGrantLine(line: string): GrantStatement {
  const text = redactGrantLine(line.trim().replace(/;$/, ""));
  const def = /^SET DEFAULT ROLE\s+(.+?)\s+FOR\s+(.+)$/i.exec(text);
  if (def) {
    const roles = /^NONE$/i.test(def[1].trim()) ? [] : splitTop(def[1], ",").map(normalizeAccount);
    return { kind: "default-roles", roles, grantee: normalizeAccount(def[2]), text };
  }
  const head = /^(GRANT|REVOKE)\s+/i.exec(text);
  if (!head) return { kind: "other", text };
  const revoke = head[1].toUpperCase() === "REVOKE";
  const body = text.slice(head[0].length);
  const toKw = revoke ? "FROM" : "TO";
  const on = findKeyword(" " + body, "ON");
  const to = findKeyword(" " + body, toKw);
  if (to < 0) return { kind: "other", text };
  if (on < 0 || on > to) {
    // GRANT `r1`, `r2`@`%` TO `u`@`%`: role grants.
    if (revoke) return { kind: "other", text };
    const roles = splitTop(body.slice(0, to - 1), ",").map(normalizeAccount);
    return { kind: "roles", roles, grantee: normalizeAccount(granteeOf(body.slice(to + toKw.length))), text };
  }
  const privText = body.slice(0, on - 1);
  const objText = body.slice(on + 3, to - 1);
  if (/^PROXY$/i.test(privText.trim())) return { kind: "other", text };
  const rest = body.slice(to + toKw.length);
  return {
    kind: "privileges",
    privileges: parsePrivileges(privText),
    level: parseLevel(objText),
    grantee: normalizeAccount(granteeOf(rest)),
    withGrantOption: /\bWITH\b.*\bGRANT OPTION\b/i.test(rest),
    revoke,
    text,
  };
}

/** The grantee at the start of `rest` (` `u`@`%` IDENTIFIED BY ... WITH GRANT OPTION`). */
function granteeOf(rest: string): string {
  const t = rest.trim();
  const cut = [findKeyword(" " + t, "IDENTIFIED"), findKeyword(" " + t, "WITH"), findKeyword(" " + t, "REQUIRE"), findKeyword(" " + t, "AS")]
    .filter((i) => i >= 0)
    .sort((a, b) => a - b)[0];
  return cut === undefined ? t : t.slice(0, cut - 1);
}

/** Privileges that are the same thing under another name on some server. */
const EQUIVALENT: Readonly<Record<string, readonly string[]>> = {
  // MariaDB 10.5.2 renamed REPLICATION CLIENT to BINLOG MONITOR (the old name is an alias).
  "REPLICATION CLIENT": ["REPLICATION CLIENT", "BINLOG MONITOR"],
  "REPLICATION SLAVE": ["REPLICATION SLAVE", "REPLICATION REPLICA"],
};

/** Converts a GRANT database pattern (LIKE wildcards `%` `_`, `\` escapes) to a RegExp. */
export function databasePatternToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i]);
    } else if (c === "%") re += ".*";
    else if (c === "_") re += ".";
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, "s");
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** True when a grant database pattern contains unescaped wildcards. */
export function hasWildcard(pattern: string): boolean {
  return /(^|[^\\])[%_]/.test(pattern);
}

/** The account's effective grants: its own lines plus the lines of its active roles. */
export interface EffectiveGrants {
  /** `user@host` as CURRENT_USER() returns it. */
  readonly account: string;
  /** Roles active in a new session (CURRENT_ROLE(), i.e. default roles). */
  readonly activeRoles: readonly string[];
  /** Roles granted to the account (active or not). */
  readonly grantedRoles: readonly string[];
  readonly statements: readonly GrantStatement[];
}

/** Builds EffectiveGrants from SHOW GRANTS lines (the account's and its active roles'). */
export function effectiveGrants(account: string, activeRoles: readonly string[], lines: readonly string[]): EffectiveGrants {
  const statements = lines.map(parseGrantLine);
  const acct = normalizeAccount(account);
  const grantedRoles = statements.flatMap((s) => (s.kind === "roles" && s.grantee === acct ? s.roles : []));
  return { account: acct, activeRoles: activeRoles.map(normalizeAccount), grantedRoles, statements };
}

/** One way the privilege is held, for evidence. */
export interface PrivilegeMatch {
  readonly statement: string;
  /** The role it comes from, when not the account itself. */
  readonly via?: string;
}

/** An object to check a privilege on. */
export type PrivilegeTarget =
  | { readonly kind: "global" }
  | { readonly kind: "database"; readonly database: string }
  | { readonly kind: "table"; readonly database: string; readonly table: string };

function levelCovers(level: GrantLevel, target: PrivilegeTarget): boolean {
  switch (level.kind) {
    case "global":
      return true;
    case "database":
      return target.kind !== "global" && databasePatternToRegExp(level.database).test(target.database);
    case "table":
      return target.kind === "table" && level.database === target.database && level.table === target.table;
    case "routine":
      return false;
  }
}

function privilegeCovers(held: GrantedPrivilege, wanted: string): boolean {
  if (held.columns) return false; // column grants never cover a whole table
  if (held.name === "ALL" || held.name === "ALL PRIVILEGES") return wanted !== "GRANT OPTION" && wanted !== "PROXY";
  return (EQUIVALENT[wanted] ?? [wanted]).includes(held.name);
}

/**
 * Whether `grants` hold `privilege` on `target` in a new session (the account's own
 * grants plus active roles). Returns the grant lines that give it (empty when not held),
 * honouring MySQL 8 partial revokes.
 */
export function holds(grants: EffectiveGrants, privilege: string, target: PrivilegeTarget): PrivilegeMatch[] {
  const wanted = privilege.toUpperCase();
  const holders = new Set([grants.account, ...grants.activeRoles]);
  const matches: PrivilegeMatch[] = [];
  let revoked = false;
  for (const s of grants.statements) {
    if (s.kind !== "privileges" || !holders.has(s.grantee)) continue;
    if (!levelCovers(s.level, target)) continue;
    if (!s.privileges.some((p) => privilegeCovers(p, wanted))) continue;
    if (s.revoke) revoked = true;
    else matches.push({ statement: s.text, via: s.grantee === grants.account ? undefined : s.grantee });
  }
  return revoked ? [] : matches;
}

/** Privileges that change data or the server: a sync account should have none outside DTS's heartbeat database. */
export const WRITE_PRIVILEGES = [
  "INSERT",
  "UPDATE",
  "DELETE",
  "CREATE",
  "DROP",
  "ALTER",
  "INDEX",
  "REFERENCES",
  "CREATE VIEW",
  "TRIGGER",
  "EVENT",
  "CREATE ROUTINE",
  "ALTER ROUTINE",
  "EXECUTE",
  "DELETE HISTORY",
  "CREATE TEMPORARY TABLES",
  "LOCK TABLES",
  "FILE",
  "SUPER",
  "SHUTDOWN",
  "PROCESS",
  "RELOAD",
  "CREATE USER",
  "GRANT OPTION",
  "ALL",
  "ALL PRIVILEGES",
] as const;
