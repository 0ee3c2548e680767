/**
 * A synthetic photo_assistant week: users signing up and logging in, photos uploaded and analysed,
 * page views along the funnel, guide usage and feedback, with updates to earlier rows and deletes,
 * generated from a seed (the same seed gives the same week). Every time is an Asia/Shanghai
 * wall-clock time, which is what the source's DATETIME columns hold.
 *
 * On top of the random activity every week carries the same edge cases ({@link EDGE_CASES}), each
 * one a way a report could go wrong: rows at 23:59:59 and 00:00:00, a row created one day and
 * changed the next before the daily load ran, a photo analysed in the hour after its upload, late
 * rows (a client-supplied created_time, committed after the load of its day or hour), a row whose
 * client clock is ahead, deletes before and after the loads, a guide renamed within an hour, and a
 * day with no activity at all (the quiet day).
 *
 * The events are the source's commits in order: `at` is the commit time; a row's created_time is
 * `at` except for the late and clock-ahead rows; updated_time is `at` of its last change (the
 * schema's ON UPDATE CURRENT_TIMESTAMP).
 */

/** The source tables the week writes (advice_views and user_events stay empty). */
export const WEEK_TABLES = ["users", "photo_records", "guide_usage", "page_views", "feedback"] as const;
export type WeekTable = (typeof WEEK_TABLES)[number];

/** A row as MySQL holds it: column -> value; DATETIME as `yyyy-mm-dd hh:mm:ss`. */
export type Row = Readonly<Record<string, string | number | null>>;

/** One commit to the source. */
export interface SourceEvent {
  /** Commit time, `yyyy-mm-dd hh:mm:ss` (Asia/Shanghai). */
  readonly at: string;
  readonly table: WeekTable;
  readonly op: "insert" | "update" | "delete";
  /** The row after the change (insert, update) or the row deleted. */
  readonly row: Row;
  /** Which edge case the event belongs to, when it is one. */
  readonly edge?: string;
}

export interface Week {
  readonly seed: number;
  /** The seven days, `yyyy-mm-dd`. */
  readonly days: readonly string[];
  /** The day with no event at all. */
  readonly quietDay: string;
  /** Commits in commit order: the history before the week (users who signed up earlier), then the week's. */
  readonly events: readonly SourceEvent[];
}

export interface WeekOptions {
  readonly seed: number;
  /** First day of the week, `yyyy-mm-dd`. @default "2026-03-02" */
  readonly firstDay?: string;
  /** Users who signed up in the ten days before the week (at least 13: the edge cases use users 1-13). @default 60 */
  readonly usersBefore?: number;
  /** Sign-ups per active day, [min, max]. @default [8, 20] */
  readonly signupsPerDay?: readonly [number, number];
  /** Share of existing users who come back on an active day. @default 0.35 */
  readonly returnRate?: number;
  /** Index (0-6) of the day with no activity. @default 4 */
  readonly quietDayIndex?: number;
}

/** The pages of the funnel, in order, and the chance a session goes on from the previous one. */
export const FUNNEL: readonly { page: string; p: number }[] = [
  { page: "home", p: 1 },
  { page: "upload", p: 0.7 },
  { page: "analysis", p: 0.75 },
  { page: "advice", p: 0.5 },
  { page: "share", p: 0.35 },
];
export const SOURCES = ["web", "miniprogram", "app"] as const;
export const GUIDES: readonly { id: string; name: string }[] = [
  { id: "g1", name: "Rule of thirds" },
  { id: "g2", name: "Golden hour" },
  { id: "g3", name: "Night shots" },
  { id: "g4", name: "Portraits" },
];
/** g3's new title from the rename edge case on: sorts before the old one, so MAX(guide_name) is not the latest title. */
export const RENAMED_GUIDE = { id: "g3", name: "Night photography" };

/** The forced edge cases, by id (the `edge` of their events), and what each exercises. */
export const EDGE_CASES: Readonly<Record<string, string>> = {
  midnight: "page views and a photo at 23:59:59 on day 1 and at 00:00:00 on day 2",
  "next-day-update": "a user who signs up at 23:59:59 on day 2 and logs in at 00:00:00 on day 3, before the daily load",
  "photo-across-midnight": "a photo uploaded at 23:59:58 on day 3 and analysed at 00:00:03 on day 4, before the daily load",
  "photo-across-hour": "a photo uploaded at 10:59:58 on day 2 and analysed at 11:00:02, before the hourly load",
  "late-row-day": "a page view created at 23:58:10 on day 3 (client time) and committed at 00:45 on day 4, after the daily load",
  "late-row-hour": "a page view created at 14:59:30 on day 3 and committed at 15:03, before the hourly load at 15:05",
  "late-row-after-hour": "a page view created at 16:58:00 on day 3 and committed at 17:10, after the hourly load at 17:05",
  "clock-ahead": "a user signing up at 23:59:30 on day 7 whose only page view, committed at 23:59:40, has a client clock saying 00:00:20 the next day",
  "delete-before-load": "a photo uploaded at 09:00 and deleted at 15:00 on day 1: after its hourly load, before the daily one",
  "delete-after-load": "a photo uploaded on day 2 and deleted on day 3, after its loads",
  "user-deleted": "a user who signed up before the week, deleted on day 6",
  "guide-renamed": "guide g3 used at 10:10 under its old title and at 10:40 on day 4 under its new one",
};

/** mulberry32: a small seeded PRNG (the same seed gives the same week on every machine). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seconds since 1970-01-01 00:00:00 of a wall-clock time (Asia/Shanghai has no DST: wall-clock arithmetic is exact). */
export function secondsOf(wallClock: string): number {
  return Date.parse(`${wallClock.replace(" ", "T")}Z`) / 1000;
}
/** The wall-clock time `yyyy-mm-dd hh:mm:ss` of {@link secondsOf} seconds. */
export function wallClock(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ");
}
/** `yyyy-mm-dd` plus `n` days. */
export function addDay(day: string, n: number): string {
  return wallClock(secondsOf(`${day} 00:00:00`) + n * 86_400).slice(0, 10);
}
/** `yyyymmdd` of a day or wall-clock time. */
export const ds = (time: string): string => time.slice(0, 10).replace(/-/g, "");

class Builder {
  readonly events: (SourceEvent & { seq: number })[] = [];
  private readonly nextId: Record<WeekTable, number> = { users: 1, photo_records: 1, guide_usage: 1, page_views: 1, feedback: 1 };
  private seq = 0;
  /** Where a row's moved commit went: its later commits (generated after it) do not go before. */
  private readonly movedTo = new Map<string, number>();
  constructor(private readonly quiet: (seconds: number) => boolean) {}

  id(table: WeekTable): number {
    return this.nextId[table]++;
  }

  /**
   * Records a commit; a commit on the quiet day moves to the next morning (follow-ups such as an
   * analysis, or an edge case when the quiet day is another); a moved commit takes the row's later
   * ones along (an insert moved past its update would make the update a no-op).
   */
  push(at: number, table: WeekTable, op: SourceEvent["op"], row: Record<string, string | number | null>, edge?: string): number {
    const key = `${table}/${row.id}`;
    let t = Math.max(at, this.movedTo.get(key) ?? at);
    while (this.quiet(t)) t = secondsOf(`${addDay(wallClock(t).slice(0, 10), 1)} 08:00:00`) + (t % 3600);
    if (t !== at) this.movedTo.set(key, t);
    const time = wallClock(t);
    // ON UPDATE CURRENT_TIMESTAMP: a row's updated_time is its last commit's.
    if ("updated_time" in row && op !== "delete") row.updated_time = time;
    this.events.push({ at: time, table, op, row: { ...row }, edge, seq: this.seq++ });
    return t;
  }
}

/** Generates a week; see the module comment. */
export function generateWeek(options: WeekOptions): Week {
  const rnd = prng(options.seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const firstDay = options.firstDay ?? "2026-03-02";
  const days = Array.from({ length: 7 }, (_, i) => addDay(firstDay, i));
  const quietDay = days[options.quietDayIndex ?? 4];
  const quietStart = secondsOf(`${quietDay} 00:00:00`);
  const b = new Builder((t) => t >= quietStart && t < quietStart + 86_400);
  const users = new Map<number, Record<string, string | number | null>>();
  const photos = new Map<number, Record<string, string | number | null>>();
  const [minSignups, maxSignups] = options.signupsPerDay ?? [8, 20];
  const returnRate = options.returnRate ?? 0.35;
  let guideRenamed = false;

  const signUp = (at: number, edge?: string): Record<string, string | number | null> => {
    const id = b.id("users");
    const time = wallClock(at);
    const row = {
      id,
      user_id: `u${String(id).padStart(4, "0")}`,
      nickname: rnd() < 0.1 ? null : `nick${id}`,
      source: pick(SOURCES),
      total_quota: 10,
      used_quota: 0,
      register_time: time,
      last_login_time: time,
      updated_time: time,
    };
    users.set(id, row);
    b.push(at, "users", "insert", row, edge);
    return row;
  };
  const login = (at: number, user: Record<string, string | number | null>, edge?: string): void => {
    user.last_login_time = wallClock(at);
    const t = b.push(at, "users", "update", user, edge);
    user.last_login_time = wallClock(t);
    user.updated_time = wallClock(t);
  };
  const pageView = (at: number, user: Row, page: string, referrer: string | null, edge?: string, createdTime?: string): void => {
    b.push(
      at,
      "page_views",
      "insert",
      {
        id: b.id("page_views"),
        user_id: user.user_id,
        page_name: page,
        referrer,
        stay_ms: rnd() < 0.1 ? null : int(300, 120_000),
        created_time: createdTime ?? wallClock(at),
      },
      edge,
    );
  };
  const upload = (
    at: number,
    user: Record<string, string | number | null>,
    analysedAfter: number | null,
    edge?: string,
  ): Record<string, string | number | null> => {
    const id = b.id("photo_records");
    const row: Record<string, string | number | null> = {
      id,
      user_id: user.user_id,
      photo_url: `https://oss.example.com/p/${id}.jpg`,
      scene: pick(["portrait", "landscape", "food", "night", null]),
      score: null,
      status: 0,
      created_time: wallClock(at),
      updated_time: wallClock(at),
    };
    photos.set(id, row);
    const t = b.push(at, "photo_records", "insert", row, edge);
    if (analysedAfter !== null) {
      const failed = rnd() < 0.15;
      row.status = failed ? 2 : 1;
      row.score = failed ? null : (int(2000, 9900) / 100).toFixed(2);
      b.push(t + analysedAfter, "photo_records", "update", row, edge);
    }
    user.used_quota = Number(user.used_quota) + 1;
    return row;
  };
  const useGuide = (at: number, user: Row, guide: { id: string; name: string }, edge?: string): void => {
    b.push(
      at,
      "guide_usage",
      "insert",
      {
        id: b.id("guide_usage"),
        user_id: user.user_id,
        guide_id: guide.id,
        guide_name: guide.id === RENAMED_GUIDE.id && guideRenamed ? RENAMED_GUIDE.name : guide.name,
        duration_seconds: int(5, 900),
        created_time: wallClock(at),
      },
      edge,
    );
  };

  /** A visit: login (existing users), the funnel pages, photos, maybe a guide and feedback. */
  const session = (start: number, user: Record<string, string | number | null>, returning: boolean): void => {
    let t = start;
    if (returning) login(t, user);
    let referrer: string | null = null;
    for (const step of FUNNEL) {
      if (rnd() >= step.p) break;
      t += int(1, 90);
      pageView(t, user, step.page, referrer);
      referrer = step.page;
      if (step.page === "upload") {
        for (let n = int(1, 3); n > 0; n--) {
          t += int(1, 30);
          const photo = upload(t, user, rnd() < 0.95 ? int(2, 240) : null);
          if (rnd() < 0.04) b.push(t + int(3600, 3 * 86_400), "photo_records", "delete", photo);
        }
      }
    }
    if (rnd() < 0.3) useGuide(t + int(1, 60), user, pick(GUIDES));
    if (rnd() < 0.1) {
      const fb = { id: b.id("feedback"), user_id: user.user_id, content: pick(["great", "slow analysis", "more guides please"]), rating: int(1, 5), status: 0 };
      const created = wallClock(t + 5);
      const row = { ...fb, created_time: created, updated_time: created };
      b.push(t + 5, "feedback", "insert", row);
      if (rnd() < 0.7) b.push(t + 5 + int(600, 2 * 86_400), "feedback", "update", { ...row, status: int(1, 2) });
    }
  };

  // History: users who signed up in the ten days before the week.
  const weekStart = secondsOf(`${firstDay} 00:00:00`);
  const usersBefore = options.usersBefore ?? 60;
  if (usersBefore < 13) throw new Error(`usersBefore ${usersBefore} must be at least 13: the edge cases use users 1-13`);
  for (let i = 0; i < usersBefore; i++) signUp(weekStart - int(3600, 10 * 86_400));

  for (const day of days) {
    if (day === quietDay) continue;
    const midnight = secondsOf(`${day} 00:00:00`);
    const existing = [...users.values()];
    for (const u of existing) if (rnd() < returnRate) session(midnight + int(0, 86_399 - 1200), u, true);
    for (let n = int(minSignups, maxSignups); n > 0; n--) {
      const at = midnight + int(0, 86_399 - 1200);
      session(at + 1, signUp(at), false);
    }
  }

  // The edge cases (EDGE_CASES), on fixed days; days[4] is the quiet day by default and none falls on it.
  const at = (dayIndex: number, time: string): number => secondsOf(`${days[dayIndex]} ${time}`);
  const someone = (): Record<string, string | number | null> => users.get(1)!;
  pageView(at(0, "23:59:59"), someone(), "home", null, "midnight");
  upload(at(0, "23:59:59"), someone(), 1, "midnight");
  pageView(at(1, "00:00:00"), someone(), "upload", "home", "midnight");
  pageView(at(1, "00:00:00"), users.get(2)!, "home", null, "midnight");
  const lateSignup = signUp(at(1, "23:59:59"), "next-day-update");
  login(at(2, "00:00:00"), lateSignup, "next-day-update");
  upload(at(2, "23:59:58"), users.get(3)!, 5, "photo-across-midnight");
  upload(at(1, "10:59:58"), users.get(4)!, 4, "photo-across-hour");
  pageView(at(3, "00:45:00"), users.get(5)!, "advice", "analysis", "late-row-day", `${days[2]} 23:58:10`);
  pageView(at(2, "15:03:00"), users.get(6)!, "share", "advice", "late-row-hour", `${days[2]} 14:59:30`);
  pageView(at(2, "17:10:00"), users.get(7)!, "share", "advice", "late-row-after-hour", `${days[2]} 16:58:00`);
  // A user signing up just before: the clock-ahead view is their only one, so it decides whether they count today.
  pageView(at(6, "23:59:40"), signUp(at(6, "23:59:30"), "clock-ahead"), "home", null, "clock-ahead", `${addDay(days[6], 1)} 00:00:20`);
  const gone = upload(at(0, "09:00:00"), users.get(9)!, 30, "delete-before-load");
  b.push(at(0, "15:00:00"), "photo_records", "delete", gone, "delete-before-load");
  const later = upload(at(1, "09:00:00"), users.get(10)!, 30, "delete-after-load");
  b.push(at(2, "12:00:00"), "photo_records", "delete", later, "delete-after-load");
  const leaving = users.get(11)!;
  b.push(at(5, "18:00:00"), "users", "delete", leaving, "user-deleted");
  useGuide(at(3, "10:10:00"), users.get(12)!, GUIDES[2], "guide-renamed");
  guideRenamed = true;
  useGuide(at(3, "10:40:00"), users.get(13)!, GUIDES[2], "guide-renamed");
  // Random sessions after the rename (already generated) keep the old title: only the edge case renames.

  const events = b.events.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.seq - y.seq)).map(({ seq: _seq, ...e }) => e as SourceEvent);
  return { seed: options.seed, days, quietDay, events: dropChangesAfterDelete(events) };
}

/** A row deleted by one event gets no later update (a random follow-up may come after a random delete). */
function dropChangesAfterDelete(events: SourceEvent[]): SourceEvent[] {
  const deleted = new Set<string>();
  const out: SourceEvent[] = [];
  for (const e of events) {
    const key = `${e.table}/${e.row.id}`;
    if (deleted.has(key)) continue;
    if (e.op === "delete") deleted.add(key);
    out.push(e);
  }
  return out;
}
