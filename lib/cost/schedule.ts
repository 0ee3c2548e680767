/**
 * Runs per day of the schedules the cost model reads: Quartz crons (DataWorks
 * nodes and DI jobs, `sec min hour dom month dow [year]`), standard crons (SLS,
 * `min hour dom month dow`) and SLS job schedules. Day fields are taken as
 * every day. Pure. The cron fields are read by the one cron module (lib/config/cron.ts).
 */
import { cronRunsPerDay } from "../config/cron";

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
