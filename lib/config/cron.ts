/**
 * The one Quartz cron parser (the 6-field form DataWorks uses). Only the daily
 * (`ss mm hh * * ?`), hourly (`ss mm * * * ?`) and minute (`ss 00/n * * * ?`) shapes
 * the layers schedule are understood, which is what ordering the nodes after the
 * loads needs; the stack config's `dataworks.dailyCron` / `hourlyCron` and every
 * node's cron are checked with it.
 */

/**
 * A daily (`ss mm hh * * ?`), hourly (`ss mm 00-23/1 * * ?`, also read as
 * `ss mm * * * ?`) or minute (`ss 00/n * * * ?`: every `n` minutes from minute 0 of
 * every hour) schedule.
 */
export type SimpleCron =
  | { readonly kind: "daily"; readonly second: number; readonly minute: number; readonly hour: number }
  | { readonly kind: "hourly"; readonly second: number; readonly minute: number }
  | { readonly kind: "minute"; readonly second: number; readonly everyMinutes: number };

/** The cron shapes allowed, in words (the `allowed` of a cron problem). */
export const QUARTZ_CRON_ALLOWED = 'a daily ("ss mm hh * * ?"), hourly ("ss mm 00-23/1 * * ?" or "ss mm * * * ?") or minute ("ss 00/n * * * ?") Quartz cron';

/** The shape of each kind, e.g. for "must be a daily Quartz cron (ss mm hh * * ?)". */
export const QUARTZ_CRON_SHAPE = { daily: '"ss mm hh * * ?"', hourly: '"ss mm 00-23/1 * * ?" or "ss mm * * * ?"', minute: '"ss 00/n * * * ?"' } as const;

/**
 * Intervals of a minute schedule DataWorks accepts, minutes. DataWorks' minute scheduling runs
 * "every N minutes" with "分钟调度的时间间隔最小粒度只能设置为5分钟" (the minimum is 5 minutes;
 * https://help.aliyun.com/document_detail/317810.htm) and writes it as `00 00/n * * * ?`
 * (dataworks-public 2024-05-18 SDK, `CronExpress`: "Schedule every 10 minutes: `00 00/10 * * * ?`").
 * Only divisors of 60 are taken, so every hour has the same run times (a step that does not divide 60
 * restarts at minute 0 each hour and leaves a shorter gap before it).
 */
export const MINUTE_CRON_INTERVALS = [5, 10, 15, 20, 30] as const;

/** Minute fields of a minute schedule: `00/n` (DataWorks' form), `0/n`, `*\/n`, `00-59/n`, `0-59/n`. */
const MINUTE_STEP = /^(?:00?|\*|00?-59)\/(\d{1,2})$/;

/**
 * Hour fields that mean "every hour". DataWorks documents and writes hourly
 * schedules as `00-23/1` (dataworks-public 2024-05-18 SDK, `CronExpress`: "a node
 * that is scheduled to run at the fifteenth minute of each hour: `00 15 00-23/1 * * ?`";
 * https://help.aliyun.com/en/dataworks/user-guide/dataworks-cron-expression);
 * `*` is the plain Quartz form, still accepted from config and normalised.
 */
export const HOURLY_HOUR_FIELDS: readonly string[] = ["00-23/1", "0-23/1", "*"];

/** Parses a daily or hourly Quartz cron; undefined for any other shape. */
export function parseQuartzCron(cron: string): SimpleCron | undefined {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 6 || f[3] !== "*" || f[4] !== "*" || f[5] !== "?") return undefined;
  const num = (s: string, max: number): number | undefined => (/^\d{1,2}$/.test(s) && Number(s) <= max ? Number(s) : undefined);
  const second = num(f[0], 59);
  const step = MINUTE_STEP.exec(f[1]);
  if (second !== undefined && step && HOURLY_HOUR_FIELDS.includes(f[2])) {
    const everyMinutes = Number(step[1]);
    return (MINUTE_CRON_INTERVALS as readonly number[]).includes(everyMinutes) ? { kind: "minute", second, everyMinutes } : undefined;
  }
  const minute = num(f[1], 59);
  if (second === undefined || minute === undefined) return undefined;
  if (HOURLY_HOUR_FIELDS.includes(f[2])) return { kind: "hourly", second, minute };
  const hour = num(f[2], 23);
  return hour === undefined ? undefined : { kind: "daily", second, minute, hour };
}

/** The message for a cron `parseQuartzCron` cannot read. */
export function cronProblem(cron: string): string {
  return `cron "${cron}" must be ${QUARTZ_CRON_ALLOWED}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** Renders a simple cron in DataWorks' zero-padded form (hourly: `ss mm 00-23/1 * * ?`, minute: `ss 00/n * * * ?`, as DataWorks writes them). */
export function formatQuartzCron(c: SimpleCron): string {
  if (c.kind === "minute") return `${pad2(c.second)} 00/${c.everyMinutes} * * * ?`;
  return c.kind === "daily" ? `${pad2(c.second)} ${pad2(c.minute)} ${pad2(c.hour)} * * ?` : `${pad2(c.second)} ${pad2(c.minute)} 00-23/1 * * ?`;
}

/**
 * The minute schedule every `intervalMinutes` (`00 00/n * * * ?`). Throws naming `key`, the value
 * and the intervals DataWorks' minute scheduling accepts ({@link MINUTE_CRON_INTERVALS}).
 */
export function minuteCron(key: string, intervalMinutes: number): string {
  if (!(MINUTE_CRON_INTERVALS as readonly number[]).includes(intervalMinutes)) {
    throw new Error(
      `${key} ${JSON.stringify(intervalMinutes)} is not an interval DataWorks' minute scheduling accepts; allowed: ${MINUTE_CRON_INTERVALS.join(", ")} (minutes; at least 5, dividing the hour)`,
    );
  }
  return formatQuartzCron({ kind: "minute", second: 0, everyMinutes: intervalMinutes });
}

/**
 * A cron in DataWorks' own form (zero-padded; hourly as `00-23/1`), so that what
 * the stack sends is what DataWorks reads back and a refresh shows no drift.
 * Throws on a cron `parseQuartzCron` cannot read.
 */
export function dataWorksCron(cron: string): string {
  const c = parseQuartzCron(cron);
  if (!c) throw new Error(cronProblem(cron));
  return formatQuartzCron(c);
}

/**
 * The schedule `delayMinutes` after `cron`, in the same cycle: a daily
 * schedule stays on the same day (so `bizdate` is the same day's), an hourly
 * one in the same hour. Throws when the delay would cross into the next cycle.
 */
export function cronAfter(cron: string, delayMinutes: number): string {
  const c = parseQuartzCron(cron);
  if (!c) throw new Error(cronProblem(cron));
  if (!Number.isInteger(delayMinutes) || delayMinutes < 0) {
    throw new Error(`delayMinutes ${delayMinutes} must be a whole number of minutes >= 0`);
  }
  if (c.kind === "minute") throw new Error(`cron "${cron}" runs every ${c.everyMinutes} minutes: nothing is scheduled a delay after it`);
  if (c.kind === "hourly") {
    const minute = c.minute + delayMinutes;
    if (minute > 59) {
      throw new Error(`hourly cron "${cron}" + ${delayMinutes} min crosses into the next hour (minute ${minute}); allowed: minute + delay <= 59`);
    }
    return formatQuartzCron({ ...c, minute });
  }
  const total = c.hour * 60 + c.minute + delayMinutes;
  if (total > 23 * 60 + 59) {
    throw new Error(`daily cron "${cron}" + ${delayMinutes} min crosses midnight; allowed: the run stays on the same day (<= 23:59)`);
  }
  return formatQuartzCron({ ...c, hour: Math.floor(total / 60), minute: total % 60 });
}

/**
 * Minutes between an upstream schedule and a downstream one in the same cycle
 * (negative when the downstream runs first). Both must be the same kind.
 */
export function minutesBetween(upstreamCron: string, downstreamCron: string): number {
  const u = parseQuartzCron(upstreamCron);
  const d = parseQuartzCron(downstreamCron);
  if (!u) throw new Error(cronProblem(upstreamCron));
  if (!d) throw new Error(cronProblem(downstreamCron));
  if (u.kind !== d.kind) {
    throw new Error(`cannot order a ${u.kind} schedule ("${upstreamCron}") against a ${d.kind} one ("${downstreamCron}")`);
  }
  const at = (c: SimpleCron): number => (c.kind === "daily" ? c.hour * 3600 : 0) + (c.kind === "minute" ? 0 : c.minute * 60) + c.second;
  return (at(d) - at(u)) / 60;
}

/**
 * Checks that `cron` is a Quartz cron of the given kind; the message names the
 * key (e.g. `dataworks.dailyCron`), the value and the shape allowed, or
 * undefined when it is.
 */
export function cronKindProblem(key: string, cron: string, kind: SimpleCron["kind"]): string | undefined {
  const c = parseQuartzCron(cron);
  return c && c.kind === kind ? undefined : `${key} "${cron}" must be a ${kind} Quartz cron (${QUARTZ_CRON_SHAPE[kind]})`;
}

/** How many values one cron field matches in [lo, hi] (`*`, `?`, `n`, `a-b`, `*\/n`, `a/n`, `a-b/n`, lists); undefined if unreadable. */
function fieldCount(field: string, lo: number, hi: number): number | undefined {
  let total = 0;
  for (const part of field.split(",")) {
    const m = /^(\*|\?|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    const star = m[1] === "*" || m[1] === "?";
    const from = star ? lo : Number(m[1]);
    const to = m[2] !== undefined ? Number(m[2]) : star || m[3] !== undefined ? hi : from;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (from < lo || to > hi || from > to || step < 1) return undefined;
    total += Math.floor((to - from) / step) + 1;
  }
  return total;
}

/** Runs per day of any cron a plan may hold, Quartz (6-7 fields) or standard (5 fields, SLS); day fields taken as every day; undefined when it cannot be read. */
export function cronRunsPerDay(cron: string): number | undefined {
  const f = cron.trim().split(/\s+/);
  if (f.length === 5) {
    const min = fieldCount(f[0], 0, 59);
    const hour = fieldCount(f[1], 0, 23);
    return min === undefined || hour === undefined ? undefined : min * hour;
  }
  if (f.length === 6 || f.length === 7) {
    const sec = fieldCount(f[0], 0, 59);
    const min = fieldCount(f[1], 0, 59);
    const hour = fieldCount(f[2], 0, 23);
    return sec === undefined || min === undefined || hour === undefined ? undefined : sec * min * hour;
  }
  return undefined;
}
