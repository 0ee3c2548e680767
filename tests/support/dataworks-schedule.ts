/**
 * DataWorks' scheduling, as the week simulation needs it: when a cron fires, and what the scheduling
 * parameters of an instance are (https://help.aliyun.com/zh/dataworks/user-guide/supported-formats-of-scheduling-parameters):
 * `$bizdate` is the day before the instance's scheduled time (cyctime); `$[format offset]` formats
 * the cyctime moved by `offset` (`-N` days, `-N/24` hours, `-N/24/60` minutes), with the elements
 * yyyy, mm (month), dd, hh24, mi, ss. Times are wall-clock times in the node's time zone.
 */
import { parseQuartzCron } from "../../lib/config/cron";
import { secondsOf, wallClock } from "./synthetic-week";

/** The instants in [from, to) at which a daily or hourly DataWorks cron fires, `yyyy-mm-dd hh:mm:ss`. */
export function cronInstants(cron: string, from: string, to: string): string[] {
  const c = parseQuartzCron(cron);
  if (!c) throw new Error(`cron "${cron}" is neither daily, hourly nor every n minutes`);
  const out: string[] = [];
  const [start, end] = [secondsOf(from), secondsOf(to)];
  const step = c.kind === "daily" ? 86_400 : c.kind === "hourly" ? 3600 : c.everyMinutes * 60;
  const offset = (c.kind === "daily" ? c.hour * 3600 : 0) + (c.kind === "minute" ? 0 : c.minute * 60) + c.second;
  for (let t = Math.floor(start / step) * step + offset; t < end; t += step) if (t >= start) out.push(wallClock(t));
  return out;
}

const ELEMENTS: readonly [string, (t: string) => string][] = [
  ["yyyy", (t) => t.slice(0, 4)],
  ["mm", (t) => t.slice(5, 7)],
  ["dd", (t) => t.slice(8, 10)],
  ["hh24", (t) => t.slice(11, 13)],
  ["mi", (t) => t.slice(14, 16)],
  ["ss", (t) => t.slice(17, 19)],
];

/** One parameter expression (`$bizdate`, `$[yyyymmdd-1/24]`, or a constant) at the scheduled time `cyctime`. */
export function parameterValue(expression: string, cyctime: string): string {
  if (expression === "$bizdate") return parameterValue("$[yyyymmdd-1]", cyctime);
  const m = expression.match(/^\$\[([a-z0-9]+?)(?:([+-])(\d+)(\/24(?:\/60)?)?)?\]$/);
  if (!m) {
    if (expression.includes("$")) throw new Error(`scheduling parameter ${expression} is not understood`);
    return expression;
  }
  const unit = m[4] === "/24/60" ? 60 : m[4] === "/24" ? 3600 : 86_400;
  const t = wallClock(secondsOf(cyctime) + (m[2] === "-" ? -1 : 1) * Number(m[3] ?? 0) * unit);
  let format = m[1];
  let out = "";
  while (format) {
    const el = ELEMENTS.find(([e]) => format.startsWith(e));
    if (!el) throw new Error(`scheduling parameter ${expression}: unknown element at "${format}"`);
    out += el[1](t);
    format = format.slice(el[0].length);
  }
  return out;
}

/** Every parameter of a node or job (`{k: expression}` or DataWorks' `k=expr k2=expr2` text) at `cyctime`. */
export function parameterValues(parameters: Readonly<Record<string, string>> | string, cyctime: string): Record<string, string> {
  const entries =
    typeof parameters === "string"
      ? parameters
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map((kv) => kv.split("=") as [string, string])
      : Object.entries(parameters);
  return Object.fromEntries(entries.map(([k, v]) => [k, parameterValue(v, cyctime)]));
}
