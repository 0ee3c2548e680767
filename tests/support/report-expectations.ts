/**
 * What every report and metric must say, computed in plain TypeScript from the source as it was
 * when the report's data was read, never from the SQL.
 *
 * One principle for every layer (docs/dataworks-nodes.md, "What the numbers mean"): a report
 * describes the rows of its period as the source database held them at the moment its load read
 * them: the daily load of day D (00:30 the next day by default) for the T+1 reports of D, the hourly
 * load of hour H (H+1:05) for the hourly aggregates of H, the current instant for the realtime
 * metrics, hh:40 for the realtime snapshots. So a row deleted before that moment is not counted and
 * one deleted later still is (batch loads see no deletes), a status is the one the row had then,
 * and a late row (committed after the load of its period) is never counted by the batch layers.
 *
 * Periods are Asia/Shanghai days and hours, the wall-clock times in the source's DATETIME columns.
 * The seed's definitions (shared/seed): DAU = distinct user_id in page_views of the day; the funnel
 * = distinct users per page x 100 / the users of the page with the most; new photos in the last
 * hour; the latest logins (`ORDER BY last_login_time DESC LIMIT 10`).
 */
import { Row, SourceEvent, WeekTable, WEEK_TABLES, secondsOf, wallClock } from "./synthetic-week";

/** The source's rows per table, by id. */
export type SourceState = ReadonlyMap<WeekTable, ReadonlyMap<number, Row>>;

/**
 * Replays the commits in order: `at(t)` gives the source after every commit at or before `t`.
 * Instants must not go back (one pass over the events).
 */
export class SourceReplay {
  private readonly state = new Map<WeekTable, Map<number, Row>>(WEEK_TABLES.map((t) => [t, new Map()]));
  private next = 0;
  private last = "";
  constructor(private readonly events: readonly SourceEvent[]) {}

  at(instant: string): SourceState {
    if (instant < this.last) throw new Error(`SourceReplay: ${instant} is before ${this.last}`);
    this.last = instant;
    while (this.next < this.events.length && this.events[this.next].at <= instant) {
      const e = this.events[this.next++];
      const rows = this.state.get(e.table)!;
      if (e.op === "delete") rows.delete(Number(e.row.id));
      else rows.set(Number(e.row.id), e.row);
    }
    return this.state;
  }
}

/** The source at one instant (a fresh replay). */
export function stateAt(events: readonly SourceEvent[], instant: string): SourceState {
  return new SourceReplay(events).at(instant);
}

const rowsOf = (s: SourceState, t: WeekTable): Row[] => [...s.get(t)!.values()];
/** The Asia/Shanghai day `yyyy-mm-dd` of a DATETIME value. */
const dayOf = (v: unknown): string => String(v).slice(0, 10);
/** The hour `yyyy-mm-dd hh` of a DATETIME value. */
const hourOf = (v: unknown): string => String(v).slice(0, 13);
const distinct = (rows: readonly Row[], c: string): number => new Set(rows.map((r) => r[c])).size;
const byKey = <T>(rows: readonly Row[], c: string, f: (group: Row[]) => T): Map<string, T> => {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(String(r[c]), [...(groups.get(String(r[c])) ?? []), r]);
  return new Map([...groups].map(([k, g]) => [k, f(g)]));
};
/** The exact mean of `values` (null when there are none): a SQL ROUND of it must lie within half a unit. */
const mean = (values: number[]): number | null => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

/** One page of a funnel: distinct users and their share of the busiest page's, exact (the SQL rounds to 2 decimals). */
export interface FunnelStep {
  readonly page_name: string;
  readonly users: number;
  readonly rate: number;
}

/** The seed's funnel over page views: distinct users per page x 100 / the largest page's users. */
export function funnel(pageViews: readonly Row[]): FunnelStep[] {
  const users = byKey(pageViews, "page_name", (g) => distinct(g, "user_id"));
  const max = Math.max(0, ...users.values());
  return [...users].map(([page_name, n]) => ({ page_name, users: n, rate: (n * 100) / max })).sort((a, b) => a.page_name.localeCompare(b.page_name));
}

/** Page views whose created_time is on `day`. */
const pageViewsOn = (s: SourceState, day: string): Row[] => rowsOf(s, "page_views").filter((r) => dayOf(r.created_time) === day);

// ---- T+1 reports of `day` (yyyy-mm-dd), from the source at the daily load of that day ----

/** ads_dau_d: the seed's DAU (distinct user_id in page_views of the day) and the day's page views. */
export function expectedDau(s: SourceState, day: string): { dau: number; page_views: number } {
  const views = pageViewsOn(s, day);
  return { dau: distinct(views, "user_id"), page_views: views.length };
}

/** ads_funnel_d: the seed's funnel of the day; no page view, no row. */
export function expectedFunnel(s: SourceState, day: string): FunnelStep[] {
  return funnel(pageViewsOn(s, day));
}

/** ads_new_users_d: users whose register_time is on the day, per sign-up channel and in all ('all', also 0 on a day without any). */
export function expectedNewUsers(s: SourceState, day: string): { source: string; new_users: number }[] {
  const fresh = rowsOf(s, "users").filter((r) => dayOf(r.register_time) === day);
  const per = [...byKey(fresh, "source", (g) => distinct(g, "user_id"))].map(([source, new_users]) => ({ source, new_users }));
  return [...per, { source: "all", new_users: distinct(fresh, "user_id") }].sort((a, b) => a.source.localeCompare(b.source));
}

/** The photo columns of ads_photos_d and dws_photo_records_agg_h. */
export interface PhotoCounts {
  readonly photos: number;
  readonly uploaders: number;
  readonly analysed: number;
  readonly failed: number;
}

function photoCounts(photos: readonly Row[]): PhotoCounts {
  return {
    photos: photos.length,
    uploaders: distinct(photos, "user_id"),
    analysed: photos.filter((r) => Number(r.status) === 1).length,
    failed: photos.filter((r) => Number(r.status) === 2).length,
  };
}

/** ads_photos_d: photos uploaded on the day, with their status at the load; avg_score over the analysed ones (exact). */
export function expectedPhotos(s: SourceState, day: string): PhotoCounts & { avg_score: number | null } {
  const photos = rowsOf(s, "photo_records").filter((r) => dayOf(r.created_time) === day);
  const analysed = photos.filter((r) => Number(r.status) === 1 && r.score !== null);
  return { ...photoCounts(photos), avg_score: mean(analysed.map((r) => Number(r.score))) };
}

// ---- hourly aggregates of `hour` (yyyy-mm-dd hh), from the source at the hourly load of that hour ----

/** dws_page_views_agg_h: per page, views, distinct users and mean stay (exact; null stays left out). */
export function expectedPageViewsHour(s: SourceState, hour: string): { page_name: string; pv: number; uv: number; avg_stay_ms: number | null }[] {
  const views = rowsOf(s, "page_views").filter((r) => hourOf(r.created_time) === hour);
  return [
    ...byKey(views, "page_name", (g) => ({
      pv: g.length,
      uv: distinct(g, "user_id"),
      avg_stay_ms: mean(g.filter((r) => r.stay_ms !== null).map((r) => Number(r.stay_ms))),
    })),
  ]
    .map(([page_name, v]) => ({ page_name, ...v }))
    .sort((a, b) => a.page_name.localeCompare(b.page_name));
}

/** dws_guide_usage_agg_h: per guide, its latest title in the hour (by created_time, then id), uses, distinct users, total seconds. */
export function expectedGuideUsageHour(
  s: SourceState,
  hour: string,
): { guide_id: string; guide_name: string | null; uses: number; users: number; duration_seconds: number }[] {
  const uses = rowsOf(s, "guide_usage").filter((r) => hourOf(r.created_time) === hour);
  return [
    ...byKey(uses, "guide_id", (g) => {
      const latest = [...g].sort((a, b) =>
        a.created_time === b.created_time ? Number(b.id) - Number(a.id) : String(b.created_time).localeCompare(String(a.created_time)),
      )[0];
      return {
        guide_name: latest.guide_name as string | null,
        uses: g.length,
        users: distinct(g, "user_id"),
        duration_seconds: g.reduce((a, r) => a + Number(r.duration_seconds), 0),
      };
    }),
  ]
    .map(([guide_id, v]) => ({ guide_id, ...v }))
    .sort((a, b) => a.guide_id.localeCompare(b.guide_id));
}

/** dws_photo_records_agg_h: photos uploaded in the hour, with their status at the hourly load. */
export function expectedPhotosHour(s: SourceState, hour: string): PhotoCounts {
  return photoCounts(rowsOf(s, "photo_records").filter((r) => hourOf(r.created_time) === hour));
}

// ---- realtime metrics at `now` (yyyy-mm-dd hh:mm:ss), from the source at that instant ----

const minus = (now: string, seconds: number): string => wallClock(secondsOf(now) - seconds);

/** online_users_now: distinct users with a page view created in the 5 minutes up to now (a clock-ahead view counts: its user is online). */
export function expectedOnlineUsers(s: SourceState, now: string): { online_users: number } {
  return {
    online_users: distinct(
      rowsOf(s, "page_views").filter((r) => String(r.created_time) >= minus(now, 300)),
      "user_id",
    ),
  };
}

/** dau_today: the seed's DAU of today (created_time on today's date: a view stamped tomorrow is not today's). */
export function expectedDauToday(s: SourceState, now: string): { realtime_dau: number } {
  return { realtime_dau: distinct(pageViewsOn(s, dayOf(now)), "user_id") };
}

/** photos_last_hour: the seed's "new photos in the last hour" (`created_time >= now - 1 hour`). */
export function expectedPhotosLastHour(s: SourceState, now: string): { last_hour_photos: number } {
  return { last_hour_photos: rowsOf(s, "photo_records").filter((r) => String(r.created_time) >= minus(now, 3600)).length };
}

/** funnel_today: the seed's funnel of today. */
export function expectedFunnelToday(s: SourceState, now: string): FunnelStep[] {
  return funnel(pageViewsOn(s, dayOf(now)));
}

/** recent_logins: the 10 latest last_login_time values, newest first (users without a login last). */
export function expectedRecentLoginTimes(s: SourceState): (string | null)[] {
  return rowsOf(s, "users")
    .map((r) => r.last_login_time as string | null)
    .sort((a, b) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : b.localeCompare(a)))
    .slice(0, 10);
}

/**
 * photos_last_hour as the rt_* contract keeps it (rt_photos_per_minute, by minute): the photos of the
 * minutes from the one an hour ago on, up to the end of today (the metrics node fills today's minutes).
 */
export function expectedPhotosLastHourByMinute(s: SourceState, now: string): number {
  const from = minus(now, 3600).slice(0, 16);
  const tomorrow = wallClock(secondsOf(`${dayOf(now)} 00:00:00`) + 86_400);
  return rowsOf(s, "photo_records").filter((r) => String(r.created_time).slice(0, 16) >= from && String(r.created_time) < tomorrow).length;
}
