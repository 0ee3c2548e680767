/**
 * The DTS / DataWorks sync account on a self-managed MySQL source, as a Pulumi dynamic
 * resource: created with the privileges the sync needs (SELECT and SHOW VIEW on the synced
 * database, never on `*.*`; with `replication`, the rest of what DTS's guide asks for:
 * REPLICATION CLIENT, REPLICATION SLAVE and CREATE on `*.*`, see desiredGrants for why not
 * the narrower set), idempotent, with grants changed by hand reported as a diff and put back
 * by `pulumi up`, and deleting only what it created.
 *
 * The provider connects with an administrative account from its inputs (`adminUser`,
 * `adminPassword`, secret) or from the environment (`SOURCE_ADMIN_USER`,
 * `SOURCE_ADMIN_PASSWORD`, read when the provider runs, never captured). Passwords are
 * secret outputs, so state holds them encrypted.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as Mysql from "mysql2/promise";
import { accountSql, desiredGrants, grantDrift, GrantItem, grantStatements, readAccountGrants, SyncAccountSpec } from "../../lib/source/account";
import { CountingConnection } from "./mysql";
import { DTS_HEARTBEAT_DATABASE } from "../../lib/source/preflight";
import { TYPES } from "../../lib/plan/type-tokens";

/** Type token `pulumi-nodejs:dynamic/source:SyncAccount` (public contract: never renamed without an alias). */
export const SYNC_ACCOUNT_TYPE = TYPES.SyncAccount;

/** What the provider receives (plain values: Pulumi unwraps Inputs and secrets). */
export interface SyncAccountInputs {
  /** Host the admin connection goes to (the source as reachable from where `pulumi up` runs). */
  readonly host: string;
  /** @default 3306 */
  readonly port?: number;
  /** Admin account. @default $SOURCE_ADMIN_USER, else "root" */
  readonly adminUser?: string;
  /** Admin password. @default $SOURCE_ADMIN_PASSWORD, else empty */
  readonly adminPassword?: string;
  /** Sync account user name. */
  readonly user: string;
  /** Sync account host pattern. @default "%" */
  readonly accountHost?: string;
  /** Sync account password (the stack secret `sourcePassword`). */
  readonly password: string;
  /** Synced database. */
  readonly database: string;
  /** Grant CDC privileges (DTS). @default true */
  readonly replication?: boolean;
  /**
   * DTS heartbeat database. Recorded only: the grants do not depend on it since the account
   * holds CREATE on `*.*` as DTS's guide says (changing it updates state, not grants).
   * @default "dts"
   */
  readonly heartbeatDatabase?: string;
}

/** State the provider keeps (outputs). */
export interface SyncAccountOutputs extends SyncAccountInputs {
  readonly accountHost: string;
  readonly port: number;
  readonly replication: boolean;
  readonly heartbeatDatabase: string;
  /** True when this resource created the account (delete drops it); false when it adopted an existing one. */
  readonly createdUser: boolean;
  /** Grants the account held before it was adopted: kept on update and delete. */
  readonly preexistingGrants: GrantItem[];
  /** Grants this resource holds the account to. */
  readonly grants: GrantItem[];
}

function spec(i: SyncAccountInputs): SyncAccountSpec {
  return {
    user: i.user,
    accountHost: i.accountHost ?? "%",
    database: i.database,
    replication: i.replication ?? true,
    heartbeatDatabase: i.heartbeatDatabase ?? DTS_HEARTBEAT_DATABASE,
  };
}

async function adminConnection(i: SyncAccountInputs): Promise<CountingConnection> {
  // Required when the provider runs, not captured: Pulumi serializes the provider's code
  // and cannot serialize a captured mysql2 module (its internals are not package exports).
  const mysql = require("mysql2/promise") as typeof Mysql;
  const c = await mysql.createConnection({
    host: i.host,
    port: i.port ?? 3306,
    user: i.adminUser ?? process.env.SOURCE_ADMIN_USER ?? "root",
    password: i.adminPassword ?? process.env.SOURCE_ADMIN_PASSWORD ?? "",
    connectTimeout: 10_000,
  });
  return new CountingConnection(c);
}

async function withAdmin<T>(i: SyncAccountInputs, f: (c: CountingConnection) => Promise<T>): Promise<T> {
  const c = await adminConnection(i);
  try {
    return await f(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

function validate(i: SyncAccountInputs): void {
  const problems: string[] = [];
  if (!i.user || i.user.length > 80) problems.push(`user ${JSON.stringify(i.user)}: 1-80 characters required`);
  if (!i.database) problems.push(`database ${JSON.stringify(i.database)}: required`);
  if (!i.password) problems.push("password: required (set the stack secret sourcePassword)");
  if (/[%*\\]/.test(i.database ?? ""))
    problems.push(`database ${JSON.stringify(i.database)}: wildcards (% *) are not allowed; the account gets SELECT on one database`);
  if (problems.length > 0) throw new Error(`SyncAccount: ${problems.join("; ")}`);
}

async function reconcile(c: CountingConnection, s: SyncAccountSpec, tolerated: readonly GrantItem[]): Promise<void> {
  const account = accountSql(s.user, s.accountHost);
  const actual = (await readAccountGrants(c, s.user, s.accountHost)) ?? [];
  const { missing, extra } = grantDrift(desiredGrants(s), actual, tolerated);
  for (const sql of grantStatements("REVOKE", extra, account)) await c.query(sql);
  for (const sql of grantStatements("GRANT", missing, account)) await c.query(sql);
}

function outputs(i: SyncAccountInputs, createdUser: boolean, preexisting: GrantItem[]): SyncAccountOutputs {
  const s = spec(i);
  return {
    ...i,
    port: i.port ?? 3306,
    accountHost: s.accountHost,
    replication: s.replication,
    heartbeatDatabase: s.heartbeatDatabase,
    createdUser,
    preexistingGrants: preexisting,
    grants: desiredGrants(s),
  };
}

/** The provider: tests call create/diff/update/delete directly against a real server. */
export const syncAccountProvider = {
  async check(_olds: SyncAccountInputs, news: SyncAccountInputs): Promise<pulumi.dynamic.CheckResult> {
    try {
      validate(news);
      return { inputs: news };
    } catch (e) {
      return { inputs: news, failures: [{ property: "user", reason: (e as Error).message }] };
    }
  },

  async create(inputs: SyncAccountInputs): Promise<pulumi.dynamic.CreateResult> {
    validate(inputs);
    const s = spec(inputs);
    const account = accountSql(s.user, s.accountHost);
    return withAdmin(inputs, async (c) => {
      const before = await readAccountGrants(c, s.user, s.accountHost);
      const createdUser = before === undefined;
      if (createdUser) {
        await c.query(`CREATE USER ${account} IDENTIFIED BY ?`, [inputs.password]);
      } else {
        await c.query(`ALTER USER ${account} IDENTIFIED BY ?`, [inputs.password]);
      }
      // An adopted account keeps what it had; only what is missing is granted (and revoked on delete).
      const preexisting = before ?? [];
      await reconcile(c, s, preexisting);
      return { id: `${s.user}@${s.accountHost}@${inputs.host}:${inputs.port ?? 3306}`, outs: outputs(inputs, createdUser, preexisting) };
    });
  },

  /**
   * Replaces when the account's identity or server changes; updates when the password,
   * database or grant set changes, or when the live grants differ from what this resource
   * holds the account to (drift: grants changed by hand).
   */
  async diff(_id: string, olds: SyncAccountOutputs, news: SyncAccountInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = [];
    if (olds.user !== news.user) replaces.push("user");
    if (olds.accountHost !== (news.accountHost ?? "%")) replaces.push("accountHost");
    if (olds.host !== news.host) replaces.push("host");
    if (olds.port !== (news.port ?? 3306)) replaces.push("port");
    const changed: string[] = [...replaces];
    if (olds.password !== news.password) changed.push("password");
    if (olds.database !== news.database) changed.push("database");
    if (olds.replication !== (news.replication ?? true)) changed.push("replication");
    if (olds.heartbeatDatabase !== (news.heartbeatDatabase ?? DTS_HEARTBEAT_DATABASE)) changed.push("heartbeatDatabase");
    if (replaces.length === 0 && changed.length === 0) {
      // Drift needs an admin login to the source. Where the source is not reachable (a CI
      // runner's `pulumi preview`), the diff is decided on the inputs alone: the next `up`
      // from a machine that reaches the source checks the grants again.
      try {
        const drift = await syncAccountDrift(olds);
        if (drift.missing.length > 0 || drift.extra.length > 0 || drift.absent) changed.push("grants");
      } catch (e) {
        const err = e as { code?: string; message?: string };
        console.warn(
          `SyncAccount ${olds.user}@${olds.accountHost}: grants not checked, source ${olds.host}:${olds.port} not reachable (${err.code ?? err.message})`,
        );
      }
    }
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 && !replaces.includes("host") && !replaces.includes("port") };
  },

  async update(_id: string, olds: SyncAccountOutputs, news: SyncAccountInputs): Promise<pulumi.dynamic.UpdateResult> {
    validate(news);
    const s = spec(news);
    const account = accountSql(s.user, s.accountHost);
    return withAdmin(news, async (c) => {
      const exists = (await readAccountGrants(c, s.user, s.accountHost)) !== undefined;
      if (!exists) await c.query(`CREATE USER ${account} IDENTIFIED BY ?`, [news.password]);
      else if (olds.password !== news.password) await c.query(`ALTER USER ${account} IDENTIFIED BY ?`, [news.password]);
      await reconcile(c, s, olds.preexistingGrants ?? []);
      return { outs: outputs(news, olds.createdUser || !exists, olds.preexistingGrants ?? []) };
    });
  },

  /** Drops the account if this resource created it; otherwise revokes only the grants it added. */
  async delete(_id: string, props: SyncAccountOutputs): Promise<void> {
    const s = spec(props);
    const account = accountSql(s.user, s.accountHost);
    await withAdmin(props, async (c) => {
      const actual = await readAccountGrants(c, s.user, s.accountHost);
      if (actual === undefined) return;
      if (props.createdUser) {
        await c.query(`DROP USER ${account}`);
        return;
      }
      const pre = new Set(props.preexistingGrants ?? []);
      const added = props.grants.filter((g) => !pre.has(g) && actual.includes(g));
      for (const sql of grantStatements("REVOKE", added, account)) await c.query(sql);
    });
  },
};

/** Live drift of an account against its recorded state. `absent`: the account was dropped by hand. */
export async function syncAccountDrift(state: SyncAccountOutputs): Promise<{ absent: boolean; missing: GrantItem[]; extra: GrantItem[] }> {
  const s = spec(state);
  return withAdmin(state, async (c) => {
    const actual = await readAccountGrants(c, s.user, s.accountHost);
    if (actual === undefined) return { absent: true, missing: desiredGrants(s), extra: [] };
    return { absent: false, ...grantDrift(desiredGrants(s), actual, state.preexistingGrants ?? []) };
  });
}

/** Resource arguments: every value may come from config or another resource. */
export type SyncAccountArgs = { readonly [K in keyof SyncAccountInputs]: pulumi.Input<SyncAccountInputs[K]> };

/**
 * The sync account. Opt-in (the program creates it only when the stack config asks for a
 * managed account on a self-managed source); `password` and `adminPassword` are made secret.
 */
export class SyncAccount extends pulumi.dynamic.Resource {
  public readonly user!: pulumi.Output<string>;
  public readonly accountHost!: pulumi.Output<string>;
  public readonly grants!: pulumi.Output<string[]>;
  public readonly createdUser!: pulumi.Output<boolean>;

  constructor(name: string, args: SyncAccountArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      syncAccountProvider as pulumi.dynamic.ResourceProvider,
      name,
      {
        ...args,
        password: pulumi.secret(args.password),
        adminPassword: args.adminPassword === undefined ? undefined : pulumi.secret(args.adminPassword),
        user: args.user,
        accountHost: args.accountHost,
        grants: undefined,
        createdUser: undefined,
      },
      { ...opts, additionalSecretOutputs: ["password", "adminPassword"] },
      "source",
      "SyncAccount",
    );
  }
}
