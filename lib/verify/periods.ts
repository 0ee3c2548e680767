/**
 * Which period each freshness objective is due for at a given moment, in the warehouse time
 * zone. Pure: the clock and the zone are arguments (Intl does the zone arithmetic).
 */

/** Wall-clock parts of an instant in an IANA zone. */
export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** The wall clock at `epochMs` in `timeZone`. */
export function localTime(epochMs: number, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(epochMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute") };
}

/** The instant of a wall-clock time in `timeZone` (the zone's offset at that moment). */
export function instantOf(t: LocalTime, timeZone: string): number {
  const guess = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  const seen = localTime(guess, timeZone);
  const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute) - guess;
  return guess - offset;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `yyyymmdd` of a wall-clock date. */
export function dsOf(t: Pick<LocalTime, "year" | "month" | "day">): string {
  return `${t.year}${pad(t.month)}${pad(t.day)}`;
}

/** The same wall-clock date shifted by `days` (calendar arithmetic, zone-free). */
function addDays(t: LocalTime, days: number): LocalTime {
  const d = new Date(Date.UTC(t.year, t.month - 1, t.day + days, t.hour, t.minute));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

function addHours(t: LocalTime, hours: number): LocalTime {
  const d = new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour + hours, t.minute));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

/** A period whose data must be in the warehouse by `deadline`. */
export interface DuePeriod {
  /** Partition spec, e.g. `ds=20261129` or `ds=20261130/hh=10`. */
  readonly partition: string;
  readonly ds: string;
  readonly hh?: string;
  /** The deadline as an instant (epoch ms). */
  readonly deadline: number;
  /** The deadline as the warehouse's wall clock, `yyyy-mm-dd HH:mm`. */
  readonly deadlineText: string;
}

function text(t: LocalTime): string {
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}`;
}

/**
 * T+1: the newest business date whose deadline has passed. Before today's deadline that is the
 * day before yesterday (yesterday's load still has time), from the deadline on it is yesterday.
 */
export function dueDailyPeriod(now: number, timeZone: string, deadline: string): DuePeriod {
  const [h, m] = deadline.split(":").map(Number);
  const today = localTime(now, timeZone);
  const todayDeadline: LocalTime = { ...today, hour: h, minute: m };
  const passed = instantOf(todayDeadline, timeZone) <= now;
  const deadlineDay = passed ? todayDeadline : addDays(todayDeadline, -1);
  const ds = dsOf(addDays(deadlineDay, -1));
  return { partition: `ds=${ds}`, ds, deadline: instantOf(deadlineDay, timeZone), deadlineText: text(deadlineDay) };
}

/** Hourly: the newest hour whose partition was due `graceMinutes` past the following hour. */
export function dueHourlyPeriod(now: number, timeZone: string, graceMinutes: number): DuePeriod {
  const t = localTime(now, timeZone);
  const thisHourDeadline: LocalTime = { ...t, minute: graceMinutes };
  const passed = instantOf(thisHourDeadline, timeZone) <= now;
  const deadlineAt = passed ? thisHourDeadline : addHours(thisHourDeadline, -1);
  const hour = addHours(deadlineAt, -1);
  const ds = dsOf(hour);
  const hh = pad(hour.hour);
  return { partition: `ds=${ds}/hh=${hh}`, ds, hh, deadline: instantOf(deadlineAt, timeZone), deadlineText: text(deadlineAt) };
}
