import { isUnreadable } from "../facts";
import type { EffectiveGrants } from "../grants";
import { accountSql, dbObject, describeMatch, firstMatch } from "./grants-common";
import { fail, pass, PreflightCheck, warn } from "./types";

/**
 * DTS's guide for a self-managed MySQL source, "Prepare the database accounts for data
 * synchronization" (https://help.aliyun.com/document_detail/213152.htm, English:
 * https://help.aliyun.com/en/dts/user-guide/prepare-the-database-accounts-for-data-synchronization):
 * SELECT on the synced objects; REPLICATION CLIENT, REPLICATION SLAVE, SHOW VIEW; and "the
 * permissions to create databases and tables", so that DTS can create a database named `test`
 * "to advance the binary log position" (older versions of the page: `dts`, "to record heartbeat
 * data"). The account that page describes holds CREATE on `*.*`. No DTS page asks for
 * INSERT/UPDATE/DELETE.
 */
export const DTS_ACCOUNT_GUIDE_URL = "https://help.aliyun.com/document_detail/213152.htm";

/** The database the current DTS guide says DTS creates on the source (older pages: the heartbeat database `dts`). */
export const DTS_BINLOG_POSITION_DATABASE = "test";

/**
 * The narrower alternative to CREATE on `*.*`: these privileges on each database DTS may create.
 * CREATE on `db`.* lets the account run CREATE DATABASE db and create tables in it (MySQL and
 * MariaDB privilege rules); INSERT/UPDATE/DELETE let it write a heartbeat row there, which
 * CREATE alone does not (a database's creator gets no privileges on it).
 */
export const HEARTBEAT_PRIVILEGES = ["CREATE", "INSERT", "UPDATE", "DELETE"] as const;

/** The databases DTS may create on the source: the heartbeat database (default `dts`) and `test`, sorted. */
export function dtsDatabases(heartbeatDatabase: string): string[] {
  return [...new Set([heartbeatDatabase, DTS_BINLOG_POSITION_DATABASE])].sort();
}

/** `GRANT CREATE, INSERT, UPDATE, DELETE ON db.* TO acct;` for each of `databases` (see dtsDatabases). */
export function narrowCreateGrants(databases: readonly string[], account: string): string[] {
  return databases.map((d) => `GRANT ${HEARTBEAT_PRIVILEGES.join(", ")} ON ${dbObject(d)} TO ${account};`);
}

/** How the account can create DTS's database: as the guide says, the narrower way, partly, or not at all. */
type CreateRight =
  | { readonly kind: "global"; readonly held: string }
  | { readonly kind: "narrow"; readonly held: string[] }
  | { readonly kind: "partial"; readonly held: string[]; readonly missing: string[] }
  | { readonly kind: "none" };

function createRight(g: EffectiveGrants, heartbeatDatabase: string): CreateRight {
  const global = firstMatch(g, "CREATE", { kind: "global" });
  if (global) return { kind: "global", held: `CREATE on *.* from: ${describeMatch(global)}` };
  const held: string[] = [];
  const missing: string[] = [];
  for (const d of dtsDatabases(heartbeatDatabase)) {
    const m = firstMatch(g, "CREATE", { kind: "database", database: d });
    if (m) held.push(`CREATE on ${dbObject(d)} from: ${describeMatch(m)}`);
    else missing.push(d);
  }
  if (missing.length === 0) return { kind: "narrow", held };
  return held.length > 0 ? { kind: "partial", held, missing } : { kind: "none" };
}

/**
 * What DTS needs beyond SELECT for incremental sync from a self-managed MySQL, per its guide
 * (DTS_ACCOUNT_GUIDE_URL): REPLICATION CLIENT (BINLOG MONITOR on MariaDB >= 10.5), REPLICATION
 * SLAVE, SHOW VIEW, and CREATE on `*.*`. CREATE on each database DTS creates (`dts` and `test`)
 * instead of `*.*` passes too: it is what the guide says the privilege is for. CREATE on only
 * some of them warns (which database DTS creates changed between versions of the guide).
 */
export const grantsCdc: PreflightCheck = {
  id: "grants-cdc",
  title:
    "Sync account has the CDC engine's grants (DTS: REPLICATION CLIENT, REPLICATION SLAVE, SHOW VIEW, CREATE; Canal: REPLICATION CLIENT, REPLICATION SLAVE)",
  scope: "realtime",
  run: ({ server }, ctx) => {
    const g = server.grants;
    if (isUnreadable(g)) return fail(`SHOW GRANTS failed: ${g.error}`, `Run the preflight as the sync account itself (it can always read its own grants).`);
    const acct = accountSql(g.account);
    if (ctx.cdcEngine === "canal-datahub") return canalGrants(g, acct);
    const wanted: { privilege: string; target: Parameters<typeof firstMatch>[2]; on: string }[] = [
      { privilege: "REPLICATION CLIENT", target: { kind: "global" }, on: "*.*" },
      { privilege: "REPLICATION SLAVE", target: { kind: "global" }, on: "*.*" },
      { privilege: "SHOW VIEW", target: { kind: "database", database: ctx.database }, on: dbObject(ctx.database) },
    ];
    const held: string[] = [];
    const missing: typeof wanted = [];
    for (const w of wanted) {
      const m = firstMatch(g, w.privilege, w.target);
      if (m) held.push(`${w.privilege} on ${w.on} from: ${describeMatch(m)}`);
      else missing.push(w);
    }
    const create = createRight(g, ctx.heartbeatDatabase);
    if (create.kind === "none") missing.push({ privilege: "CREATE", target: { kind: "global" }, on: "*.*" });

    if (missing.length > 0) {
      // One GRANT per object, privileges in the order above; the narrower CREATE as a commented alternative.
      const byObject = new Map<string, string[]>();
      for (const m of missing) byObject.set(m.on, [...(byObject.get(m.on) ?? []), m.privilege]);
      const fix = [...byObject.entries()].map(([on, privs]) => `GRANT ${privs.join(", ")} ON ${on} TO ${acct};`);
      if (create.kind === "none") {
        fix.push(
          `-- or, instead of CREATE on *.*, only on the databases DTS creates (narrower than DTS's guide):`,
          ...narrowCreateGrants(dtsDatabases(ctx.heartbeatDatabase), acct).map((s) => `-- ${s}`),
        );
      }
      const what = missing.map((m) => `${m.privilege} on ${m.on}`);
      if (create.kind === "none") what[what.length - 1] += ` (or on ${dtsDatabases(ctx.heartbeatDatabase).map(dbObject).join(" and ")})`;
      return fail(`${g.account} lacks ${what.join(", ")}`, fix.join("\n"));
    }
    if (create.kind === "partial") {
      return warn(
        [
          ...held,
          ...create.held,
          `no CREATE on ${create.missing.map(dbObject).join(", ")} (DTS's guide has it create ${create.missing.map((d) => `\`${d}\``).join(", ")}; versions of the guide differ)`,
        ].join("; "),
        [...narrowCreateGrants(create.missing, acct), `-- or DTS's documented grant: GRANT CREATE ON *.* TO ${acct};`].join("\n"),
      );
    }
    // create.kind is "global" or "narrow" here ("none" failed above).
    return pass([...held, ...(create.kind === "global" ? [create.held] : create.kind === "narrow" ? create.held : [])].join("; "));
  },
};

/**
 * Canal's QuickStart (alibaba/canal wiki "QuickStart", also the README's "准备"): the account
 * needs `GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.*`. Canal creates no database
 * and keeps its position outside MySQL (meta.dat), so no CREATE and no SHOW VIEW are asked.
 * SELECT on the synced tables is the grants check's (batch loads need it too).
 */
export const CANAL_QUICKSTART_URL = "https://github.com/alibaba/canal/wiki/QuickStart";

function canalGrants(g: EffectiveGrants, acct: string): ReturnType<PreflightCheck["run"]> {
  const held: string[] = [];
  const missing: string[] = [];
  for (const privilege of ["REPLICATION CLIENT", "REPLICATION SLAVE"]) {
    const m = firstMatch(g, privilege, { kind: "global" });
    if (m) held.push(`${privilege} on *.* from: ${describeMatch(m)}`);
    else missing.push(privilege);
  }
  if (missing.length > 0) {
    return fail(
      `${g.account} lacks ${missing.map((p) => `${p} on *.*`).join(", ")} (Canal reads the binlog as a replica: ${CANAL_QUICKSTART_URL})`,
      `GRANT ${missing.join(", ")} ON *.* TO ${acct};`,
    );
  }
  return pass(held.join("; "));
}
