/**
 * Runs per day of the schedules the cost model reads: Quartz crons (DataWorks
 * nodes and DI jobs, `sec min hour dom month dow [year]`), standard crons (SLS,
 * `min hour dom month dow`) and SLS job schedules. Day fields are taken as
 * every day. Pure. (lib/dataworks/cron.ts parses the two Quartz shapes the
 * stack writes; this counts runs of any cron a plan may hold.)
 */

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

/** Runs per day of a Quartz (6-7 fields) or standard (5 fields) cron; undefined when it cannot be read. */
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

/** Runs per day of an SLS job schedule (`{type: Cron, cronExpression}`, `{type: FixedRate, interval: "1m"}`, `Hourly`, `Daily`). */
export function slsRunsPerDay(schedule: unknown): number | undefined {
  const s = (schedule ?? {}) as { type?: unknown; cronExpression?: unknown; interval?: unknown };
  if (s.type === "Cron" && typeof s.cronExpression === "string") return cronRunsPerDay(s.cronExpression);
  if (s.type === "Hourly") return 24;
  if (s.type === "Daily") return 1;
  if (typeof s.interval === "string") {
    const m = /^(\d+)([smhd])$/.exec(s.interval);
    if (m && Number(m[1]) > 0) return 86400 / (Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"]);
  }
  return undefined;
}
