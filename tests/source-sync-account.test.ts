/** The SyncAccount provider's create/diff/update/delete against a real MariaDB. */
import { syncAccountProvider, SyncAccountInputs, SyncAccountOutputs, syncAccountDrift } from "../providers/source/sync-account";
import { readAccountGrants } from "../lib/source/account";
import { CountingConnection } from "../providers/source/mysql";
import { MariaDbInstance, startMariaDb } from "./support/mariadb";
import type { Connection } from "mysql2/promise";
import * as mysql from "mysql2/promise";
import { loadSerialized } from "./support/serialized";

let db: MariaDbInstance;
let admin: Connection;
let q: CountingConnection;

beforeAll(async () => {
  db = await startMariaDb();
  admin = await db.admin();
  await admin.query("CREATE DATABASE photo_assistant; CREATE TABLE photo_assistant.users (id BIGINT PRIMARY KEY)");
  q = new CountingConnection(admin);
}, 60_000);

afterAll(async () => {
  await admin?.end();
  await db?.stop();
});

const inputs = (over: Partial<SyncAccountInputs> = {}): SyncAccountInputs => ({
  host: db.host,
  port: db.port,
  adminUser: db.adminUser,
  adminPassword: db.adminPassword,
  user: "pa_sync",
  password: "first-Secret-1",
  database: "photo_assistant",
  ...over,
});

/** What DTS's guide lists for a self-managed MySQL source (https://help.aliyun.com/document_detail/213152.htm), SELECT on the synced database only. */
const DTS_GUIDE_GRANTS = [
  "CREATE ON *.*",
  "REPLICATION CLIENT ON *.*",
  "REPLICATION SLAVE ON *.*",
  "SELECT ON `photo\\_assistant`.*",
  "SHOW VIEW ON `photo\\_assistant`.*",
];

async function canLogIn(user: string, password: string): Promise<boolean> {
  try {
    const c = await mysql.createConnection({ host: db.host, port: db.port, user, password, database: "photo_assistant" });
    await c.end();
    return true;
  } catch {
    return false;
  }
}

describe("SyncAccount provider", () => {
  let state: SyncAccountOutputs;

  it("creates the account with the grants DTS's guide lists (SELECT on the synced database, never on *.*)", async () => {
    const r = await syncAccountProvider.create(inputs());
    state = r.outs as SyncAccountOutputs;
    expect(r.id).toBe(`pa_sync@%@127.0.0.1:${db.port}`);
    expect(state).toMatchObject({
      createdUser: true,
      preexistingGrants: [],
      grants: DTS_GUIDE_GRANTS,
      accountHost: "%",
      replication: true,
      heartbeatDatabase: "dts",
    });
    expect(await readAccountGrants(q, "pa_sync", "%")).toEqual(DTS_GUIDE_GRANTS);
    expect(await canLogIn("pa_sync", "first-Secret-1")).toBe(true);
  });

  it("is idempotent: creating again adopts nothing new and changes nothing", async () => {
    expect(await syncAccountProvider.diff("id", state, inputs())).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const again = await syncAccountProvider.create(inputs());
    expect(await readAccountGrants(q, "pa_sync", "%")).toEqual(DTS_GUIDE_GRANTS);
    expect((again.outs as SyncAccountOutputs).grants).toEqual(DTS_GUIDE_GRANTS);
  });

  it("detects grants changed by hand in diff, and update puts them back", async () => {
    await admin.query("GRANT INSERT ON photo_assistant.* TO 'pa_sync'@'%'; REVOKE SHOW VIEW ON `photo\\_assistant`.* FROM 'pa_sync'@'%'");
    expect(await syncAccountDrift(state)).toEqual({ absent: false, missing: ["SHOW VIEW ON `photo\\_assistant`.*"], extra: ["INSERT ON `photo_assistant`.*"] });
    expect(await syncAccountProvider.diff("id", state, inputs())).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const u = await syncAccountProvider.update("id", state, inputs());
    state = u.outs as SyncAccountOutputs;
    expect(await readAccountGrants(q, "pa_sync", "%")).toEqual(DTS_GUIDE_GRANTS);
    expect(await syncAccountProvider.diff("id", state, inputs())).toMatchObject({ changes: false });
  });

  it("updates the password in place and drops the CDC grants when replication is turned off", async () => {
    const next = inputs({ password: "second-Secret-2", replication: false });
    expect(await syncAccountProvider.diff("id", state, next)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    state = (await syncAccountProvider.update("id", state, next)).outs as SyncAccountOutputs;
    expect(await readAccountGrants(q, "pa_sync", "%")).toEqual(["SELECT ON `photo\\_assistant`.*", "SHOW VIEW ON `photo\\_assistant`.*"]);
    expect(await canLogIn("pa_sync", "second-Secret-2")).toBe(true);
    expect(await canLogIn("pa_sync", "first-Secret-1")).toBe(false);
  });

  it("replaces when the account name changes", async () => {
    expect(await syncAccountProvider.diff("id", state, inputs({ user: "pa_sync2", replication: false, password: "second-Secret-2" }))).toEqual({
      changes: true,
      replaces: ["user"],
      deleteBeforeReplace: true,
    });
  });

  it("drops the account it created on delete", async () => {
    await syncAccountProvider.delete("id", state);
    expect(await readAccountGrants(q, "pa_sync", "%")).toBeUndefined();
  });

  it("adopts an existing account and on delete revokes only what it added", async () => {
    await admin.query(
      "CREATE USER 'legacy'@'%' IDENTIFIED BY 'x'; GRANT SELECT ON photo_assistant.* TO 'legacy'@'%'; GRANT INSERT ON photo_assistant.users TO 'legacy'@'%'",
    );
    const r = await syncAccountProvider.create(inputs({ user: "legacy", password: "adopted-Secret-3" }));
    const adopted = r.outs as SyncAccountOutputs;
    expect(adopted.createdUser).toBe(false);
    expect(adopted.preexistingGrants).toEqual(["INSERT ON `photo_assistant`.`users`", "SELECT ON `photo_assistant`.*"]);
    // The pre-existing INSERT is tolerated, not drift.
    expect(await syncAccountProvider.diff("id", adopted, inputs({ user: "legacy", password: "adopted-Secret-3" }))).toMatchObject({ changes: false });
    await syncAccountProvider.delete("id", adopted);
    expect(await readAccountGrants(q, "legacy", "%")).toEqual(["INSERT ON `photo_assistant`.`users`", "SELECT ON `photo_assistant`.*"]);
  });

  it("moves an account created with the former heartbeat grants (DML on `dts`.*) to DTS's guide set on the next up", async () => {
    const former = [
      "CREATE ON `dts`.*",
      "DELETE ON `dts`.*",
      "INSERT ON `dts`.*",
      "REPLICATION CLIENT ON *.*",
      "REPLICATION SLAVE ON *.*",
      "SELECT ON `photo\\_assistant`.*",
      "SHOW VIEW ON `photo\\_assistant`.*",
      "UPDATE ON `dts`.*",
    ];
    await admin.query(
      "CREATE USER 'pa_former'@'%' IDENTIFIED BY 'former-Secret-4'; GRANT SELECT, SHOW VIEW ON `photo\\_assistant`.* TO 'pa_former'@'%'; GRANT REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO 'pa_former'@'%'; GRANT CREATE, INSERT, UPDATE, DELETE ON `dts`.* TO 'pa_former'@'%'",
    );
    const i = inputs({ user: "pa_former", password: "former-Secret-4" });
    const olds: SyncAccountOutputs = {
      ...i,
      port: db.port,
      accountHost: "%",
      replication: true,
      heartbeatDatabase: "dts",
      createdUser: true,
      preexistingGrants: [],
      grants: former,
    };
    expect(await syncAccountDrift(olds)).toEqual({
      absent: false,
      missing: ["CREATE ON *.*"],
      extra: ["CREATE ON `dts`.*", "DELETE ON `dts`.*", "INSERT ON `dts`.*", "UPDATE ON `dts`.*"],
    });
    expect(await syncAccountProvider.diff("id", olds, i)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const u = await syncAccountProvider.update("id", olds, i);
    expect((u.outs as SyncAccountOutputs).grants).toEqual(DTS_GUIDE_GRANTS);
    expect(await readAccountGrants(q, "pa_former", "%")).toEqual(DTS_GUIDE_GRANTS);
    await syncAccountProvider.delete("id", u.outs as SyncAccountOutputs);
  });

  it("rejects a wildcard database before touching the server", async () => {
    await expect(syncAccountProvider.create(inputs({ database: "photo%" }))).rejects.toThrow(
      'SyncAccount: database "photo%": wildcards (% *) are not allowed; the account gets SELECT on one database',
    );
  });

  it("takes admin credentials from the environment when not given", async () => {
    const saved = { ...process.env };
    process.env.SOURCE_ADMIN_USER = db.adminUser;
    process.env.SOURCE_ADMIN_PASSWORD = db.adminPassword;
    try {
      const r = await syncAccountProvider.create({ ...inputs({ user: "envuser" }), adminUser: undefined, adminPassword: undefined });
      expect((r.outs as SyncAccountOutputs).adminPassword).toBeUndefined();
      await syncAccountProvider.delete("id", r.outs as SyncAccountOutputs);
    } finally {
      process.env = saved;
    }
  });
});

describe("SyncAccount provider, serialized as `pulumi up` runs it", () => {
  it("serializes without capturing mysql2 and the serialized provider creates and deletes the account", async () => {
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    const sf = await pulumi.runtime.serializeFunction(() => syncAccountProvider, { allowSecrets: false });
    expect(sf.text).toContain('require("mysql2/promise")');
    // Load it the way the dynamic-provider host does: compiled from text, modules resolved from the project.
    const loaded = loadSerialized<typeof syncAccountProvider>(sf, "__serialized_sync_account__.js");
    const i = inputs({ user: "pa_serialized", password: "serialized-Secret-1" });
    const { id, outs } = await loaded.create(i);
    expect(await canLogIn("pa_serialized", "serialized-Secret-1")).toBe(true);
    await loaded.delete!(id, outs as SyncAccountOutputs);
    expect(await canLogIn("pa_serialized", "serialized-Secret-1")).toBe(false);
  });
});

describe("SyncAccount diff without a route to the source", () => {
  it("decides on the inputs alone (a preview on a CI runner does not fail)", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const olds = {
        ...inputs({ host: "127.0.0.1", port: 1 }),
        accountHost: "%",
        port: 1,
        replication: true,
        heartbeatDatabase: "dts",
        createdUser: true,
        grants: [],
        preexistingGrants: [],
      } as unknown as SyncAccountOutputs;
      const news = inputs({ host: "127.0.0.1", port: 1 });
      expect(await syncAccountProvider.diff!("pa_sync@%", olds, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
      expect(warn.mock.calls[0][0]).toMatch(/^SyncAccount pa_sync@%: grants not checked, source 127\.0\.0\.1:1 not reachable \(ECONNREFUSED\)$/);
    } finally {
      warn.mockRestore();
    }
  });
});
