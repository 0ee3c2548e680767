/**
 * The canal-datahub engine's merge view and compaction (lib/canal/merge-sql.ts), executed against
 * MariaDB on the same change sequences as the DTS merge (tests/realtime-compaction.test.ts),
 * through the same minimal dialect translation (tests/support/maxcompute-on-mariadb.ts).
 *
 * A small Canal simulator writes `<t>_canal_log` as the connector does: one row per flat message
 * (FlatMessage.java: `type`, `es` in ms with whole-second binlog time, `id` = batch id shared by
 * the messages of one batch, `data` rows with string values, nulls as null), partitions ds/hh/mm
 * by arrival (UTC, 15-minute `mm`). The baseline is a full copy of the source taken once, after
 * Canal started. The rt_metrics node's script on this engine runs on the same kind of log.
 */
import * as fs from "fs";
import * as path from "path";
import * as mysql from "mysql2/promise";
import { MariaDbInstance, startMariaDb } from "./support/mariadb";
import type { SourceSchema } from "../lib/config/source-schema";
import { USERS_SCHEMA as SCHEMA, USERS_SPEC as SPEC, UserRow as Row, DAY, ymd, addDays, dt, toMaria } from "./support/maxcompute-on-mariadb";
import { COMPACTION_DEFAULTS } from "../lib/dts/compaction-sql";
import { CANAL_LOG_PARTITIONS_PER_DAY, canalCompactionPlans, canalCompactionSql, canalMergeViewSql, canalRealtimeNames } from "../lib/canal/merge-sql";
import { rtMetricsNodeSql } from "../lib/metrics/rt-metrics";

type Change = { type: "INSERT" | "UPDATE" | "DELETE"; rows: Row[] };

/**
 * Canal + the DataHub connector as documented, writing into MariaDB: each `batch` is one Canal
 * batch (one `id`), each change one flat message (one binlog row event, possibly several rows).
 */
class CanalSim {
  readonly source = new Map<number, Row>();
  running = false;
  private batchId = 0;
  constructor(private readonly db: mysql.Connection) {}

  async start(): Promise<void> {
    await this.db.query("CREATE TABLE IF NOT EXISTS users_canal_log (canal_message LONGTEXT, ds VARCHAR(8), hh VARCHAR(2), mm VARCHAR(2))");
    this.running = true;
  }

  /** The one-time full load into `<t>_canal_base` (after Canal started). */
  async loadBaseline(): Promise<void> {
    for (const r of this.source.values()) await this.db.query("INSERT INTO users_canal_base VALUES (?, ?, ?)", [r.id, r.nickname, r.updated_time]);
  }

  private apply(t: number, c: Change): void {
    for (const r of c.rows) {
      if (c.type === "DELETE") this.source.delete(r.id);
      else {
        if (c.type === "INSERT" && this.source.has(r.id)) throw new Error(`duplicate key ${r.id}`);
        this.source.set(r.id, { ...r, updated_time: dt(t) });
      }
    }
  }

  /** One Canal batch of changes executed at second `t` (binlog time), received at `t` as well. */
  async batch(t: number, changes: Change[]): Promise<void> {
    const id = ++this.batchId;
    for (const c of changes) {
      const rows = c.rows.map((r) => (c.type === "DELETE" ? this.source.get(r.id)! : { ...r, updated_time: dt(t) }));
      this.apply(t, c);
      if (!this.running) continue;
      const message = {
        data: rows.map((r) => ({ id: String(r.id), nickname: r.nickname, updated_time: r.updated_time })),
        database: "shop",
        es: t * 1000,
        id,
        isDdl: false,
        pkNames: ["id"],
        table: "users",
        ts: t * 1000 + 7,
        type: c.type,
      };
      const d = new Date(t * 1000);
      await this.db.query("INSERT INTO users_canal_log VALUES (?, ?, ?, ?)", [
        JSON.stringify(message),
        ymd(t),
        String(d.getUTCHours()).padStart(2, "0"),
        String(Math.floor(d.getUTCMinutes() / 15) * 15).padStart(2, "0"),
      ]);
    }
  }

  insert = (t: number, id: number, nickname: string | null): Promise<void> => this.batch(t, [{ type: "INSERT", rows: [{ id, nickname, updated_time: "" }] }]);
  update = (t: number, id: number, nickname: string | null): Promise<void> => this.batch(t, [{ type: "UPDATE", rows: [{ id, nickname, updated_time: "" }] }]);
  delete = (t: number, id: number): Promise<void> => this.batch(t, [{ type: "DELETE", rows: [{ id, nickname: null, updated_time: "" }] }]);
}

let server: MariaDbInstance;
let seq = 0;

beforeAll(async () => {
  server = await startMariaDb({ logBin: false });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

async function fresh(): Promise<{ db: mysql.Connection; canal: CanalSim }> {
  const name = `canal${++seq}`;
  const admin = await server.admin();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const db = await server.admin(name);
  return { db, canal: new CanalSim(db) };
}

async function run(db: mysql.Connection, script: string, params: Record<string, string> = {}): Promise<void> {
  for (const stmt of toMaria(script, params)) await db.query(stmt);
}

const VIEW = canalMergeViewSql(SCHEMA, SPEC);

async function compact(db: mysql.Connection, d: string, o: { logRetentionDays: number; compactedRetentionDays: number } = COMPACTION_DEFAULTS): Promise<void> {
  await run(db, canalCompactionSql(SCHEMA, SPEC, o), {
    bizdate: d,
    log_cutoff: addDays(d, -o.logRetentionDays),
    compacted_cutoff: addDays(d, -o.compactedRetentionDays),
  });
}

async function viewRows(db: mysql.Connection): Promise<Row[]> {
  await run(db, VIEW);
  const [rows] = await db.query<mysql.RowDataPacket[]>(
    "SELECT id, nickname, DATE_FORMAT(updated_time, '%Y-%m-%d %H:%i:%s') AS updated_time FROM users_realtime ORDER BY id",
  );
  return rows.map((r) => ({ id: Number(r.id), nickname: r.nickname, updated_time: r.updated_time }));
}

const sourceRows = (c: CanalSim): Row[] => [...c.source.values()].sort((a, b) => a.id - b.id);

const T0 = Date.UTC(2026, 2, 1) / 1000;

/** The DTS merge's change sequence (tests/realtime-compaction.test.ts), as Canal sends it. */
async function changeSequence(c: CanalSim, after: (day: string) => Promise<void>): Promise<void> {
  for (let id = 1; id <= 20; id++) await c.insert(T0 + id, id, `u${id}`);
  await c.update(T0 + 100, 3, "u3-a");
  await c.delete(T0 + 200, 4);
  // One key changed 30 times within ONE second, each in its own batch: es ties, id orders them.
  for (let i = 0; i < 30; i++) await c.update(T0 + 3600, 5, `u5-v${i}`);
  await c.delete(T0 + 3700, 6);
  await c.insert(T0 + 3700, 6, "u6-again");
  await c.update(T0 + 3700, 6, "u6-again-2");
  // One statement changing several rows (one message, several data rows), a null value.
  await c.batch(T0 + 3800, [{ type: "UPDATE", rows: [9, 10, 11].map((id) => ({ id, nickname: id === 10 ? null : `multi${id}`, updated_time: "" })) }]);
  await after(ymd(T0));
  await c.update(T0 + DAY + 10, 3, "u3-b");
  await c.delete(T0 + DAY + 20, 5);
  await c.delete(T0 + DAY + 30, 7);
  await c.insert(T0 + DAY + 40, 21, "u21");
  for (let i = 0; i < 10; i++) await c.update(T0 + DAY + 60, 21, `u21-v${i}`);
  await after(ymd(T0 + DAY));
  // Delete and re-insert the same key in one second (two batches; one batch would tie: a known limit).
  await c.delete(T0 + 2 * DAY + 5, 8);
  await c.insert(T0 + 2 * DAY + 5, 8, "u8-new");
  // Several tables' events in one batch: the other keys' messages share the id, this key's do not tie.
  await c.batch(T0 + 2 * DAY + 6, [
    { type: "INSERT", rows: [{ id: 30, nickname: "u30", updated_time: "" }] },
    { type: "UPDATE", rows: [{ id: 2, nickname: "u2-b", updated_time: "" }] },
  ]);
  await c.update(T0 + 2 * DAY + 7, 6, "u6-again-3");
  await c.delete(T0 + 2 * DAY + 8, 1);
  await after(ymd(T0 + 2 * DAY));
}

describe("Canal merge and compaction, executed (MariaDB)", () => {
  it("the view equals the source after every day, before and after each compaction (baseline loaded after Canal started, overlapping changes)", async () => {
    const { db, canal } = await fresh();
    for (let id = 100; id < 110; id++) await canal.insert(T0 - DAY, id, `base${id}`); // before Canal: only in the baseline
    await canal.start();
    await canal.update(T0 - 30, 102, "base102-before-load"); // in the log AND in the baseline
    await canal.delete(T0 - 20, 103);
    await run(db, VIEW); // the first view node creates the (empty) baseline table
    await canal.loadBaseline();
    await canal.delete(T0 - 10, 101); // a baseline row deleted by the log
    expect(await viewRows(db)).toEqual(sourceRows(canal));
    await changeSequence(canal, async (day) => {
      expect(await viewRows(db)).toEqual(sourceRows(canal));
      await compact(db, day);
      expect(await viewRows(db)).toEqual(sourceRows(canal));
    });
    const [image] = await db.query<mysql.RowDataPacket[]>("SELECT id FROM users_canal_compacted WHERE ds = ? AND canal_after_flag = 'N' ORDER BY id", [
      ymd(T0 + 2 * DAY),
    ]);
    expect(image.map((r) => Number(r.id))).toEqual([1, 4, 5, 7, 101, 103]);
    await db.end();
  });

  it("compaction is idempotent and survives missed days", async () => {
    const { db, canal } = await fresh();
    await canal.start();
    await run(db, VIEW);
    let n = 0;
    await changeSequence(canal, async (day) => {
      if (n++ === 1) return; // day 2 missed
      await compact(db, day);
      await compact(db, day);
      expect(await viewRows(db)).toEqual(sourceRows(canal));
    });
    await db.end();
  });

  it("drops only log partitions an image already holds (ds <= log_cutoff), and the view stays exact", async () => {
    const { db, canal } = await fresh();
    await canal.start();
    await run(db, VIEW);
    const o = { ...COMPACTION_DEFAULTS, logRetentionDays: 2, compactedRetentionDays: 1 };
    for (let day = 0; day < 10; day++) {
      await canal.insert(T0 + day * DAY + 60, 1000 + day, `d${day}`);
      if (day > 0) await canal.update(T0 + day * DAY + 120, 1000 + day - 1, `d${day - 1}-upd`);
      if (day > 1) await canal.delete(T0 + day * DAY + 180, 1000 + day - 2);
      await compact(db, ymd(T0 + day * DAY), o);
      expect(await viewRows(db)).toEqual(sourceRows(canal));
    }
    const [days] = await db.query<mysql.RowDataPacket[]>("SELECT DISTINCT ds FROM users_canal_log ORDER BY 1");
    expect(days.map((r) => r.ds)).toEqual(["20260309", "20260310"]);
    await db.end();
  });

  it("reads each value under the column's MySQL name (Canal keeps its case) into the lower-cased MaxCompute column", async () => {
    const schema: SourceSchema = {
      database: "shop",
      tables: [
        {
          name: "accounts",
          comment: "accounts",
          primaryKey: ["accountId"],
          uniqueKeys: [],
          columns: [
            { name: "accountId", type: "bigint", nullable: false, comment: "" },
            { name: "displayName", type: "varchar(64)", nullable: true, comment: "" },
          ],
        },
      ],
    };
    const spec = { name: "accounts", primaryKey: ["accountId"] };
    const { db } = await fresh();
    await db.query("CREATE TABLE accounts_canal_log (canal_message LONGTEXT, ds VARCHAR(8), hh VARCHAR(2), mm VARCHAR(2))");
    const view = canalMergeViewSql(schema, spec);
    await run(db, view);
    const message = (type: string, id: number, rows: object[]) =>
      JSON.stringify({ data: rows, database: "shop", es: T0 * 1000, id, isDdl: false, pkNames: ["accountId"], table: "accounts", ts: T0 * 1000, type });
    await db.query("INSERT INTO accounts_canal_log VALUES (?, ?, '00', '00'), (?, ?, '00', '00')", [
      message("INSERT", 1, [
        { accountId: "1", displayName: "Ann" },
        { accountId: "2", displayName: "Bo" },
      ]),
      ymd(T0),
      message("UPDATE", 2, [{ accountId: "2", displayName: "Bob" }]),
      ymd(T0),
    ]);
    await run(db, view);
    const [rows] = await db.query<mysql.RowDataPacket[]>("SELECT accountid, displayname FROM accounts_realtime ORDER BY accountid");
    expect(rows.map((r) => Object.values(r).map(String))).toEqual([
      ["1", "Ann"],
      ["2", "Bob"],
    ]);
    expect(view).toContain("CAST(canal_row['accountId'] AS BIGINT) AS `accountid`");
    expect(view).toContain("canal_row['displayName'] AS `displayname`");
    await db.end();
  });

  it("without the baseline, rows that never changed since Canal started are missing (why the one-time full load is required)", async () => {
    const { db, canal } = await fresh();
    await canal.insert(T0 - DAY, 500, "old");
    await canal.start();
    await canal.insert(T0, 501, "new");
    expect((await viewRows(db)).map((r) => r.id)).toEqual([501]);
    await canal.loadBaseline();
    expect(await viewRows(db)).toEqual(sourceRows(canal));
    await db.end();
  });
});

describe("Canal merge SQL (static)", () => {
  it("ranks by es, then id, then position in data, and unpacks data with GET_JSON_OBJECT / FROM_JSON / POSEXPLODE", () => {
    expect(VIEW).toContain("ORDER BY canal_es DESC, canal_id DESC, canal_pos DESC");
    expect(VIEW).toContain("LATERAL VIEW POSEXPLODE(FROM_JSON(GET_JSON_OBJECT(`canal_message`, '$.data'), 'array<map<string,string>>'))");
    expect(VIEW).toContain("CAST(canal_row['id'] AS BIGINT) AS `id`");
    expect(VIEW).toContain("CAST(canal_row['updated_time'] AS DATETIME) AS `updated_time`");
  });

  it("one daily T+1 compaction node per realtime table; each drop condition names one partition column", () => {
    const plans = canalCompactionPlans(SCHEMA, [SPEC]);
    expect(plans.map((p) => [p.name, p.cron, p.instanceMode])).toEqual([["users_canal_compacted", "00 20 00 * * ?", "T+1"]]);
    expect(plans[0].script).toContain("ALTER TABLE `users_canal_log` DROP IF EXISTS PARTITION (ds <= '${log_cutoff}');");
    expect(plans[0].script).not.toMatch(/LIFECYCLE/);
    expect(canalRealtimeNames("users")).toEqual({
      log: "users_canal_log",
      base: "users_canal_base",
      compacted: "users_canal_compacted",
      view: "users_realtime",
    });
  });

  it("partitions: 96 a day; with 7 days of log kept a view reads about 3 days (~288), far below 10,000", () => {
    expect(CANAL_LOG_PARTITIONS_PER_DAY).toBe(96);
    expect(CANAL_LOG_PARTITIONS_PER_DAY * 3).toBeLessThan(10_000);
    expect(CANAL_LOG_PARTITIONS_PER_DAY * (COMPACTION_DEFAULTS.logRetentionDays + 2)).toBeLessThan(60_000);
  });

  it("fails when a source column clashes with a generated column", () => {
    const schema: SourceSchema = {
      ...SCHEMA,
      tables: [{ ...SCHEMA.tables[0], columns: [...SCHEMA.tables[0].columns, { name: "canal_es", type: "bigint", nullable: true, comment: "" }] }],
    };
    expect(() => canalMergeViewSql(schema, SPEC)).toThrow(/canal_es.*clash/);
  });
});

describe("the rt_metrics node on the canal-datahub engine (lib/metrics/rt-metrics.ts), on MariaDB", () => {
  const PA = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "sql", "mysql", "photo_assistant.schema.json"), "utf8")) as SourceSchema;
  const TABLES = ["users", "page_views", "photo_records"].map((name) => ({ name, primaryKey: ["id"], realtime: true }));
  /** Wall clock +08:00 -> epoch seconds. */
  const local = (s: string): number => Date.parse(`${s.replace(" ", "T")}+08:00`) / 1000;
  let batch = 0;

  /** One flat message of `table` at the local instant `at` (arrival: the same second), as the connector writes it. */
  async function message(db: mysql.Connection, table: string, at: string, type: Change["type"], rows: Record<string, string | null>[]): Promise<void> {
    const t = local(at);
    const m = { data: rows, database: "photo_assistant", es: t * 1000, id: ++batch, isDdl: false, pkNames: ["id"], table, ts: t * 1000 + 7, type };
    const d = new Date(t * 1000);
    await db.query(`INSERT INTO ${table}_canal_log VALUES (?, ?, ?, ?)`, [
      JSON.stringify(m),
      ymd(t),
      String(d.getUTCHours()).padStart(2, "0"),
      String(Math.floor(d.getUTCMinutes() / 15) * 15).padStart(2, "0"),
    ]);
  }
  const view = (id: number, user: string, page: string, created: string) => ({
    id: String(id),
    user_id: user,
    page_name: page,
    referrer: null,
    stay_ms: "10",
    created_time: created,
  });
  const photo = (id: number, created: string) => ({
    id: String(id),
    user_id: "u1",
    photo_url: "x",
    scene: "s",
    score: "1.50",
    status: "1",
    created_time: created,
    updated_time: created,
  });
  const user = (id: number, login: string | null) => ({
    id: String(id),
    user_id: `user${id}`,
    nickname: `n${id}`,
    source: "web",
    total_quota: "10",
    used_quota: "1",
    register_time: "2026-01-01 00:00:00",
    last_login_time: login,
    updated_time: login ?? "2026-01-01 00:00:00",
  });

  it("fills rt_* from the Canal log of yesterday and today (updates and deletes applied) and writes the feed SLS imports", async () => {
    const { db } = await fresh();
    for (const t of ["page_views", "photo_records", "users"])
      await db.query(`CREATE TABLE ${t}_canal_log (canal_message LONGTEXT, ds VARCHAR(8), hh VARCHAR(2), mm VARCHAR(2))`);
    // Older than yesterday: outside the node's window (and a page view of the day before yesterday).
    await message(db, "users", "2026-02-27 10:00:00", "INSERT", [user(9, "2026-02-27 10:00:00")]);
    await message(db, "page_views", "2026-03-01 10:00:00", "INSERT", [view(4, "u3", "home", "2026-03-01 10:00:00")]);
    await message(db, "users", "2026-03-01 20:00:00", "INSERT", [user(3, "2026-03-01 20:00:00"), user(4, null)]);
    await message(db, "page_views", "2026-03-02 09:00:00", "INSERT", [
      view(1, "u1", "home", "2026-03-02 09:00:00"),
      view(5, "u4", "home", "2026-03-02 09:30:00"),
    ]);
    await message(db, "page_views", "2026-03-02 10:00:00", "UPDATE", [view(1, "u1", "upload", "2026-03-02 09:00:00")]);
    await message(db, "page_views", "2026-03-02 10:05:00", "DELETE", [view(5, "u4", "home", "2026-03-02 09:30:00")]);
    await message(db, "page_views", "2026-03-02 11:58:00", "INSERT", [
      view(2, "u2", "home", "2026-03-02 11:58:00"),
      view(3, "u2", "result", "2026-03-02 11:59:00"),
    ]);
    await message(db, "photo_records", "2026-03-02 10:30:00", "INSERT", [photo(1, "2026-03-02 10:30:00")]);
    await message(db, "photo_records", "2026-03-02 11:30:00", "INSERT", [photo(2, "2026-03-02 11:30:00"), photo(3, "2026-03-02 11:45:00")]);
    await message(db, "photo_records", "2026-03-02 11:50:00", "DELETE", [photo(3, "2026-03-02 11:45:00")]);
    await message(db, "users", "2026-03-02 11:00:00", "INSERT", [user(1, "2026-03-02 11:00:00")]);
    await message(db, "users", "2026-03-02 11:50:00", "INSERT", [user(2, "2026-03-02 11:50:00")]);

    // The project's time zone (warehouse.timezone Asia/Shanghai): UNIX_TIMESTAMP reads a DATETIME in it, as MaxCompute does.
    await db.query("SET time_zone = '+08:00'");
    const script = rtMetricsNodeSql("canal-datahub", PA, TABLES);
    for (const stmt of toMaria(script, {}, { now: "2026-03-02 12:00:00" })) await db.query(stmt);
    const [feed] = await db.query<mysql.RowDataPacket[]>("SELECT computed_at, metric, dim, value FROM rt_metrics_feed ORDER BY metric, dim");
    expect(feed.map((r) => [r.computed_at, r.metric, r.dim, Number(r.value)])).toEqual(
      [
        ["conversion_rate", "home", 100],
        ["conversion_rate", "result", 100],
        ["conversion_rate", "upload", 100],
        // Today: u1 and u2 (u4's view was deleted, u3's was yesterday).
        ["dau_today", "20260302", 2],
        ["funnel_users", "home", 1],
        ["funnel_users", "result", 1],
        ["funnel_users", "upload", 1],
        // u2 in the last 5 minutes.
        ["online_users", "", 1],
        // From 11:00 on: photo 2 (photo 3 deleted, photo 1 at 10:30).
        ["photos_last_hour", "", 1],
        // Users changed yesterday or today with a login, newest first (user 9 changed before yesterday).
        ["recent_login", "user1", local("2026-03-02 11:00:00")],
        ["recent_login", "user2", local("2026-03-02 11:50:00")],
        ["recent_login", "user3", local("2026-03-01 20:00:00")],
      ].map((r) => ["2026-03-02 12:00:00", ...r]),
    );
    const [logins] = await db.query<mysql.RowDataPacket[]>("SELECT rn, user_id FROM rt_recent_logins ORDER BY rn");
    expect(logins.map((r) => [Number(r.rn), r.user_id])).toEqual([
      [1, "user2"],
      [2, "user1"],
      [3, "user3"],
    ]);
    await db.end();
  });
});
