/**
 * The realtime layer's merge, compaction and re-enable SQL, executed against MariaDB: the
 * generated MaxCompute SQL (lib/dts/merge-sql.ts, lib/dts/compaction-sql.ts) is translated
 * minimally (MAX_PT -> MAX(ds), INSERT OVERWRITE -> delete + insert, DROP PARTITION with
 * filters -> DELETE, BIGINT casts -> SIGNED) and run over tables a small DTS simulator writes
 * the way DTS documents it (doc 44547: `_base` baseline; `_log` with record_id, I/U/D,
 * before/after flags, an UPDATE as two images sharing one record_id; partitions
 * modifytime_year..minute).
 *
 * Proves: the view equals the source after every step (inserts, updates, deletes, one key
 * changed many times in one minute, delete then re-insert); compaction is idempotent and loses
 * no row, also after missed days; a year at one change per second stays within MaxCompute's
 * 10,000 partitions per query and 60,000 per table; switching realtime off and on (the old
 * tables renamed aside by reenable.sql, a fresh baseline) neither loses nor resurrects rows,
 * while the old behaviour (a second baseline appended to the old tables) does resurrect them.
 */
import * as mysql from "mysql2/promise";
import { MariaDbInstance, startMariaDb } from "./support/mariadb";
import { USERS_SCHEMA as SCHEMA, USERS_SPEC as SPEC, UserRow as Row, DAY, ymd, addDays, dt, splitTop, toMaria } from "./support/maxcompute-on-mariadb";
import { mergeViewSql, LOG_PARTITIONS_PER_DAY, MAX_PARTITIONS_PER_QUERY, MAX_PARTITIONS_PER_TABLE } from "../lib/dts/merge-sql";
import {
  COMPACTION_DEFAULTS,
  checkCompactionOptions,
  compactionParameters,
  compactionPlans,
  compactionSql,
  reenableSql,
  LOG_RETENTION_DAYS_RANGE,
} from "../lib/dts/compaction-sql";
import { TARGET_TABLE_MODE } from "../lib/dts/dts-job";

/**
 * DTS as documented, writing into MariaDB: a full baseline into `<t>_base` at start, then one
 * `<t>_log` row per INSERT/DELETE and two per UPDATE (same record_id), partitioned by the change
 * minute. `pad` chooses "03" or "3" for month/day/hour/minute values: the SQL must not care.
 */
class DtsSim {
  readonly source = new Map<number, Row>();
  running = false;
  private recordId = 1000;
  constructor(
    private readonly db: mysql.Connection,
    private readonly pad: boolean,
  ) {}

  /** Starts a job: with targetTableMode "0" the precheck fails when the tables exist. */
  async start(mode: "0" | "2" = TARGET_TABLE_MODE as "0"): Promise<void> {
    const [exists] = await this.db.query<mysql.RowDataPacket[]>("SHOW TABLES LIKE 'users\\_base'");
    if (exists.length > 0 && mode === "0") throw new Error("DTS precheck failed: target table users_base exists (targetTableMode 0)");
    await this.db.query("CREATE TABLE IF NOT EXISTS users_base (id BIGINT, nickname VARCHAR(64), updated_time DATETIME)");
    await this.db.query(
      "CREATE TABLE IF NOT EXISTS users_log (record_id VARCHAR(32), operation_flag VARCHAR(1), `utc_timestamp` BIGINT, before_flag VARCHAR(1), after_flag VARCHAR(1), " +
        "id BIGINT, nickname VARCHAR(64), updated_time DATETIME, modifytime_year VARCHAR(4), modifytime_month VARCHAR(2), modifytime_day VARCHAR(2), modifytime_hour VARCHAR(2), modifytime_minute VARCHAR(2))",
    );
    for (const r of this.source.values()) await this.db.query("INSERT INTO users_base VALUES (?, ?, ?)", [r.id, r.nickname, r.updated_time]);
    this.running = true;
  }

  stop(): void {
    this.running = false;
  }

  private async log(t: number, op: "I" | "U" | "D", before: "Y" | "N", after: "Y" | "N", r: Row, rid: number): Promise<void> {
    const d = new Date(t * 1000);
    const p = (n: number): string => (this.pad ? String(n).padStart(2, "0") : String(n));
    await this.db.query("INSERT INTO users_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
      String(rid),
      op,
      t,
      before,
      after,
      r.id,
      r.nickname,
      r.updated_time,
      String(d.getUTCFullYear()),
      p(d.getUTCMonth() + 1),
      p(d.getUTCDate()),
      p(d.getUTCHours()),
      p(d.getUTCMinutes()),
    ]);
  }

  async insert(t: number, id: number, nickname: string): Promise<void> {
    const row = { id, nickname, updated_time: dt(t) };
    if (this.source.has(id)) throw new Error(`duplicate key ${id}`);
    this.source.set(id, row);
    if (this.running) await this.log(t, "I", "N", "Y", row, ++this.recordId);
  }

  async update(t: number, id: number, nickname: string): Promise<void> {
    const before = this.source.get(id)!;
    const after = { id, nickname, updated_time: dt(t) };
    this.source.set(id, after);
    if (!this.running) return;
    const rid = ++this.recordId;
    await this.log(t, "U", "Y", "N", before, rid);
    await this.log(t, "U", "N", "Y", after, rid);
  }

  async delete(t: number, id: number): Promise<void> {
    const before = this.source.get(id)!;
    this.source.delete(id);
    if (this.running) await this.log(t, "D", "Y", "N", before, ++this.recordId);
  }
}

let server: MariaDbInstance;
let seq = 0;

beforeAll(async () => {
  server = await startMariaDb({ logBin: false });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

/** A fresh database with a DTS simulator over it. */
async function fresh(pad = true): Promise<{ db: mysql.Connection; dts: DtsSim }> {
  const name = `rt${++seq}`;
  const admin = await server.admin();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const db = await server.admin(name);
  return { db, dts: new DtsSim(db, pad) };
}

async function run(db: mysql.Connection, script: string, params: Record<string, string> = {}): Promise<void> {
  for (const stmt of toMaria(script, params)) await db.query(stmt);
}

const VIEW = mergeViewSql(SCHEMA, SPEC);
const COMPACT = compactionSql(SCHEMA, SPEC);

/** Runs the compaction node for bizdate `d` with the default retention. */
async function compact(db: mysql.Connection, d: string, o: { logRetentionDays: number; compactedRetentionDays: number } = COMPACTION_DEFAULTS): Promise<void> {
  await run(db, compactionSql(SCHEMA, SPEC, o), {
    bizdate: d,
    log_cutoff: addDays(d, -o.logRetentionDays),
    compacted_cutoff: addDays(d, -o.compactedRetentionDays),
  });
}

async function viewRows(db: mysql.Connection): Promise<Row[]> {
  await run(db, VIEW); // the hourly view node: CREATE TABLE IF NOT EXISTS + seed + CREATE OR REPLACE VIEW
  const [rows] = await db.query<mysql.RowDataPacket[]>(
    "SELECT id, nickname, DATE_FORMAT(updated_time, '%Y-%m-%d %H:%i:%s') AS updated_time FROM users_realtime ORDER BY id",
  );
  return rows.map((r) => ({ id: Number(r.id), nickname: r.nickname, updated_time: r.updated_time }));
}

const sourceRows = (dts: DtsSim): Row[] => [...dts.source.values()].sort((a, b) => a.id - b.id);

async function compactedImage(db: mysql.Connection, ds: string): Promise<unknown[]> {
  const [rows] = await db.query("SELECT id, nickname, updated_time, dts_record_id, dts_after_flag FROM users_compacted WHERE ds = ? ORDER BY id", [ds]);
  return rows as unknown[];
}

async function count(db: mysql.Connection, sql: string): Promise<number> {
  const [rows] = await db.query<mysql.RowDataPacket[]>(sql);
  return Number(rows[0].n);
}

const T0 = Date.UTC(2026, 2, 1) / 1000; // 2026-03-01 00:00 UTC

/** The change sequence: inserts, updates, deletes, a hot key, delete + re-insert, over three days. */
async function changeSequence(dts: DtsSim, db: mysql.Connection, after: (day: string) => Promise<void>): Promise<void> {
  for (let id = 1; id <= 20; id++) await dts.insert(T0 + id, id, `u${id}`);
  await dts.update(T0 + 100, 3, "u3-a");
  await dts.delete(T0 + 200, 4);
  // One key changed 30 times within one minute (one partition): record_id orders them.
  for (let i = 0; i < 30; i++) await dts.update(T0 + 3600 + i, 5, `u5-v${i}`);
  await dts.delete(T0 + 3700, 6);
  await dts.insert(T0 + 3710, 6, "u6-again");
  await dts.update(T0 + 3720, 6, "u6-again-2");
  await after(ymd(T0));
  // Day 2: changes to keys last changed on day 1, plus deletes of baseline-era keys.
  await dts.update(T0 + DAY + 10, 3, "u3-b");
  await dts.delete(T0 + DAY + 20, 5);
  await dts.delete(T0 + DAY + 30, 7);
  await dts.insert(T0 + DAY + 40, 21, "u21");
  for (let i = 0; i < 10; i++) await dts.update(T0 + DAY + 60 + i, 21, `u21-v${i}`);
  await after(ymd(T0 + DAY));
  // Day 3: delete and re-insert the same key in one minute; update a key deleted and re-inserted on day 1.
  await dts.delete(T0 + 2 * DAY + 5, 8);
  await dts.insert(T0 + 2 * DAY + 6, 8, "u8-new");
  await dts.update(T0 + 2 * DAY + 7, 6, "u6-again-3");
  await dts.delete(T0 + 2 * DAY + 8, 1);
  await after(ymd(T0 + 2 * DAY));
}

describe("merge and compaction, executed (MariaDB)", () => {
  it.each([
    ["zero-padded", true],
    ["unpadded", false],
  ])("the view equals the source after every day, before and after each compaction (%s partition values)", async (_label, pad) => {
    const { db, dts } = await fresh(pad);
    for (let id = 100; id < 110; id++) await dts.insert(T0 - DAY, id, `base${id}`);
    await dts.start();
    await dts.delete(T0 - 10, 101); // a baseline row deleted by the log
    expect(await viewRows(db)).toEqual(sourceRows(dts));
    await changeSequence(dts, db, async (day) => {
      expect(await viewRows(db)).toEqual(sourceRows(dts));
      await compact(db, day);
      expect(await viewRows(db)).toEqual(sourceRows(dts));
    });
    // Deleted keys stay in the image as tombstones, so the baseline cannot bring them back.
    const image = (await compactedImage(db, ymd(T0 + 2 * DAY))) as { id: number; dts_after_flag: string }[];
    expect(image.filter((r) => r.dts_after_flag === "N").map((r) => Number(r.id))).toEqual([1, 4, 5, 7, 101]);
    await db.end();
  });

  it("compaction is idempotent: running it again changes neither the image nor the view", async () => {
    const { db, dts } = await fresh();
    await dts.start();
    await changeSequence(dts, db, async (day) => {
      await compact(db, day);
      const once = await compactedImage(db, day);
      await compact(db, day);
      await compact(db, day);
      expect(await compactedImage(db, day)).toEqual(once);
      expect(await viewRows(db)).toEqual(sourceRows(dts));
    });
    await db.end();
  });

  it("loses no row when compaction misses days: the next run starts from the newest image there is", async () => {
    const { db, dts } = await fresh();
    await dts.start();
    let n = 0;
    await changeSequence(dts, db, async (day) => {
      if (n++ === 0) await compact(db, day); // days 2 and 3 missed until the end
      expect(await viewRows(db)).toEqual(sourceRows(dts));
    });
    await compact(db, ymd(T0 + 2 * DAY));
    expect(await viewRows(db)).toEqual(sourceRows(dts));
    await db.end();
  });

  it("drops only log partitions an image already holds, and the view stays exact without them", async () => {
    const { db, dts } = await fresh();
    await dts.start();
    const o = { ...COMPACTION_DEFAULTS, logRetentionDays: 2, compactedRetentionDays: 1 };
    for (let day = 0; day < 10; day++) {
      await dts.insert(T0 + day * DAY + 60, 1000 + day, `d${day}`);
      if (day > 0) await dts.update(T0 + day * DAY + 120, 1000 + day - 1, `d${day - 1}-upd`);
      if (day > 1) await dts.delete(T0 + day * DAY + 180, 1000 + day - 2);
      await compact(db, ymd(T0 + day * DAY), o);
      expect(await viewRows(db)).toEqual(sourceRows(dts));
    }
    const days = await db.query<mysql.RowDataPacket[]>("SELECT DISTINCT modifytime_day AS d FROM users_log ORDER BY 1");
    expect(days[0].map((r) => r.d)).toEqual(["09", "10"]); // day 10 = bizdate: days on or before bizdate - 2 dropped
    const images = await db.query<mysql.RowDataPacket[]>("SELECT DISTINCT ds FROM users_compacted ORDER BY 1");
    // Images of days on or before bizdate - 1 dropped; the seed is rewritten by every view run (empty, never read).
    expect(images[0].map((r) => r.ds)).toEqual(["00000000", "20260309", "20260310"]);
    await db.end();
  });
});

describe("switching realtime off and on (MariaDB)", () => {
  /** Rows; deletes; switch off; changes and deletes while off; switch on. */
  async function offOn(dts: DtsSim, db: mysql.Connection, reenable: () => Promise<void>): Promise<void> {
    for (let id = 1; id <= 10; id++) await dts.insert(T0 - DAY, id, `u${id}`);
    await dts.start();
    await dts.delete(T0 + 10, 2);
    await dts.update(T0 + 20, 3, "u3-a");
    await compact(db, ymd(T0));
    expect(await viewRows(db)).toEqual(sourceRows(dts));
    dts.stop(); // realtime off: the job is deleted, the tables stay
    await dts.delete(T0 + DAY + 10, 4); // no log row: DTS is not running
    await dts.delete(T0 + DAY + 11, 3);
    await dts.update(T0 + DAY + 12, 5, "u5-while-off");
    await dts.insert(T0 + DAY + 13, 11, "u11-while-off");
    await compact(db, ymd(T0 + DAY)); // the compaction node may keep running while off
    await reenable();
    await dts.update(T0 + 2 * DAY + 10, 6, "u6-after-on");
    await dts.delete(T0 + 2 * DAY + 20, 7);
  }

  it("with the old tables renamed aside by reenable.sql, the view equals the source: nothing lost, nothing back", async () => {
    const { db, dts } = await fresh();
    await offOn(dts, db, async () => {
      await expect(dts.start()).rejects.toThrow(/precheck failed/); // targetTableMode 0 refuses the old tables
      await run(db, reenableSql(["users"]), { epoch: "20260302" });
      await dts.start();
    });
    expect(await viewRows(db)).toEqual(sourceRows(dts));
    await compact(db, ymd(T0 + 2 * DAY));
    expect(await viewRows(db)).toEqual(sourceRows(dts));
    // The old job's tables are kept, renamed.
    const [kept] = await db.query<mysql.RowDataPacket[]>("SHOW TABLES LIKE 'users\\_%\\_e20260302'");
    expect(kept.map((r) => Object.values(r)[0]).sort()).toEqual(["users_base_e20260302", "users_compacted_e20260302", "users_log_e20260302"]);
    await db.end();
  });

  it("the old behaviour (targetTableMode 2: a second baseline into the old tables) brings deleted rows back", async () => {
    const { db, dts } = await fresh();
    await offOn(dts, db, () => dts.start("2"));
    const view = await viewRows(db);
    expect(view).not.toEqual(sourceRows(dts));
    expect(view.map((r) => r.id)).toContain(4); // deleted while off, resurrected from the old baseline
    await db.end();
  });
});

describe("a year at one change per second per table (MariaDB, the generated partition predicates)", () => {
  it("reads at most 10,000 partitions per query and holds at most 60,000 per table", async () => {
    const { db } = await fresh();
    // Partition catalogs: one row per partition; the generated filters run over them unchanged.
    await db.query(
      "CREATE TABLE users_log (modifytime_year VARCHAR(4), modifytime_month VARCHAR(2), modifytime_day VARCHAR(2), modifytime_hour VARCHAR(2), modifytime_minute VARCHAR(2))",
    );
    await db.query("CREATE TABLE users_compacted (ds VARCHAR(8))");
    await db.query("INSERT INTO users_compacted VALUES ('00000000')");
    const logWhere = VIEW.match(/FROM `users_log`\n\s*WHERE (.*)\n/)![1];
    expect(COMPACT).toContain(`WHERE ${logWhere}\n`); // the compaction reads the same window
    const [viewLogCount] = toMaria(`SELECT COUNT(*) AS n FROM \`users_log\` WHERE ${logWhere}`);
    const p2 = (n: number): string => String(n).padStart(2, "0");
    /** Log partitions of hours [from, to) of UTC day `t`. */
    const hours = (t: number, from: number, to: number): string[] => {
      const d = new Date(t * 1000);
      const out: string[] = [];
      for (let h = from; h < to; h++) {
        for (let m = 0; m < 60; m++) out.push(`('${d.getUTCFullYear()}','${p2(d.getUTCMonth() + 1)}','${p2(d.getUTCDate())}','${p2(h)}','${p2(m)}')`);
      }
      return out;
    };
    let maxRead = 0;
    let maxHeld = 0;
    let maxImages = 0;
    const measure = async (): Promise<void> => {
      maxRead = Math.max(maxRead, (await count(db, viewLogCount)) + 1); // the log window + one image
      maxHeld = Math.max(maxHeld, await count(db, "SELECT COUNT(*) AS n FROM users_log"));
      maxImages = Math.max(maxImages, await count(db, "SELECT COUNT(*) AS n FROM users_compacted"));
    };
    const start = Date.UTC(2026, 0, 1) / 1000;
    for (let day = 0; day < 365; day++) {
      const t = start + day * DAY;
      // The compaction runs at 00:20 Asia/Shanghai = 16:20 UTC, for bizdate = that UTC day, while the
      // rest of the UTC day is still being written: the worst case for the window. Between two runs
      // the window and the table only grow, so their maxima are just before a run and at the end.
      await db.query(`INSERT INTO users_log VALUES ${hours(t, 0, 17).join(",")}`);
      await measure(); // a view query just before the run, and the run's own read
      const biz = ymd(t);
      await db.query("INSERT INTO users_compacted VALUES (?)", [biz]);
      for (const stmt of toMaria(COMPACT.slice(COMPACT.indexOf("ALTER TABLE `users_compacted` DROP")), compactionParametersFor(biz))) await db.query(stmt);
      await measure();
      await db.query(`INSERT INTO users_log VALUES ${hours(t, 17, 24).join(",")}`);
    }
    await measure();
    const held = await count(db, "SELECT COUNT(*) AS n FROM users_log");
    // Figures for the report (stdout): partitions read per query and held per table over the year.
    console.log(`simulated year: max partitions read per query ${maxRead}, max log partitions held ${maxHeld}, at year end ${held}, max images ${maxImages}`);
    expect(maxRead).toBeLessThanOrEqual(MAX_PARTITIONS_PER_QUERY);
    expect(maxHeld).toBeLessThanOrEqual(MAX_PARTITIONS_PER_TABLE);
    // Exact figures of the defaults: a reader takes the image's day and the next day up to the run
    // (1 day + 17 h) plus one image; the log holds the 7 days kept and the day being written.
    expect(maxRead).toBe(LOG_PARTITIONS_PER_DAY + 17 * 60 + 1);
    expect(maxHeld).toBe(7 * LOG_PARTITIONS_PER_DAY + 17 * 60);
    expect(maxImages).toBe(8);
    await db.end();
  }, 300_000);
});

/** Parameter values as DataWorks resolves compactionParameters() for `bizdate`. */
function compactionParametersFor(biz: string, o: { logRetentionDays: number; compactedRetentionDays: number } = COMPACTION_DEFAULTS): Record<string, string> {
  return { bizdate: biz, log_cutoff: addDays(biz, -o.logRetentionDays), compacted_cutoff: addDays(biz, -o.compactedRetentionDays) };
}

describe("compaction SQL and node (static)", () => {
  it("parameters: yesterday, and the cut-offs as days before the run (bizdate - N = run - (N + 1))", () => {
    expect(compactionParameters()).toEqual({ bizdate: "$bizdate", log_cutoff: "$[yyyymmdd-8]", compacted_cutoff: "$[yyyymmdd-8]" });
    expect(compactionParameters({ logRetentionDays: 2, compactedRetentionDays: 1 })).toEqual({
      bizdate: "$bizdate",
      log_cutoff: "$[yyyymmdd-3]",
      compacted_cutoff: "$[yyyymmdd-2]",
    });
  });

  it("one daily T+1 node per realtime table, after midnight", () => {
    const plans = compactionPlans(SCHEMA, [{ ...SPEC, realtime: true }]);
    expect(plans.map((p) => [p.name, p.cron, p.instanceMode, p.folder, p.sources])).toEqual([
      ["users_compacted", "00 20 00 * * ?", "T+1", "realtime", ["users"]],
    ]);
    expect(plans[0].script).toBe(COMPACT);
    expect(compactionPlans(SCHEMA, [{ ...SPEC, realtime: false }])).toEqual([]);
  });

  it("sets no LIFECYCLE (a lifecycle would reclaim the only image while the compaction is down)", () => {
    expect(COMPACT).not.toMatch(/LIFECYCLE/);
    expect(VIEW).not.toMatch(/LIFECYCLE/);
  });

  it("each drop condition names one partition column (MaxCompute's rule for DROP PARTITION with filters)", () => {
    for (const m of COMPACT.matchAll(/DROP IF EXISTS PARTITION \((.*)\);/g)) {
      for (const cond of splitTop(m[1])) expect(cond.match(/`(modifytime_\w+)`|\bds\b/g)).toHaveLength(1);
    }
  });

  it("reads the legacy attached columns (the naming rule the job keeps), and the new_dts_sync_ ones under the new rule", () => {
    expect(COMPACT).toContain("CAST(`modifytime_year` AS BIGINT)");
    const fresh = compactionSql(SCHEMA, SPEC, { naming: "new" });
    expect(fresh).toContain("CAST(`new_dts_sync_modifytime_day` AS BIGINT)");
    expect(fresh).toContain("CAST(`new_dts_sync_record_id` AS BIGINT)");
  });

  it.each<[string, object, RegExp]>([
    ["logRetentionDays below 2", { logRetentionDays: 1 }, /compaction logRetentionDays is 1; allowed: a whole number from 2 to 38/],
    ["logRetentionDays past the table limit", { logRetentionDays: 39 }, /compaction logRetentionDays is 39; allowed: a whole number from 2 to 38/],
    ["compactedRetentionDays 0", { compactedRetentionDays: 0 }, /compaction compactedRetentionDays is 0; allowed: a whole number from 1 to 30/],
    ["an hourly cron", { cron: "00 20 * * * ?" }, /compaction cron "00 20 \* \* \* \?" must be a daily Quartz cron/],
  ])("fails when %s", (_label, o, message) => {
    expect(checkCompactionOptions(o)).toEqual([expect.stringMatching(message)]);
    expect(() => compactionSql(SCHEMA, SPEC, o)).toThrow(message);
  });

  it("the largest log retention allowed still fits the table limit", () => {
    expect((LOG_RETENTION_DAYS_RANGE.max + 3) * LOG_PARTITIONS_PER_DAY).toBeLessThanOrEqual(MAX_PARTITIONS_PER_TABLE);
    expect((LOG_RETENTION_DAYS_RANGE.max + 4) * LOG_PARTITIONS_PER_DAY).toBeGreaterThan(MAX_PARTITIONS_PER_TABLE);
  });

  it("reenable.sql renames base, log and compacted aside per table and drops nothing", () => {
    const sql = reenableSql(["users", "page_views"]);
    const stmts = sql.split("\n").filter((l) => !l.startsWith("--") && l);
    expect(stmts).toEqual([
      "ALTER TABLE `page_views_base` RENAME TO `page_views_base_e${epoch}`;",
      "ALTER TABLE `page_views_log` RENAME TO `page_views_log_e${epoch}`;",
      "ALTER TABLE `page_views_compacted` RENAME TO `page_views_compacted_e${epoch}`;",
      "ALTER TABLE `users_base` RENAME TO `users_base_e${epoch}`;",
      "ALTER TABLE `users_log` RENAME TO `users_log_e${epoch}`;",
      "ALTER TABLE `users_compacted` RENAME TO `users_compacted_e${epoch}`;",
    ]);
    expect(sql).not.toMatch(/\bDROP\b/);
  });
});
