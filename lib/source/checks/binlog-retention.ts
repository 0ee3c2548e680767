import { atLeast } from "../server";
import { fail, pass, PreflightCheck } from "./types";
import { setGlobal, variable } from "./variables";

/** DTS full + incremental sync needs binlogs kept >= 7 days (24 h for incremental only). */
export const MIN_BINLOG_RETENTION_SECONDS = 7 * 24 * 3600;

/** The retention in seconds the server applies (0 = never purged automatically) and the variable that sets it. */
export function binlogRetention(vars: { binlog_expire_logs_seconds?: string; expire_logs_days?: string }): { seconds: number; evidence: string } {
  const seconds = vars.binlog_expire_logs_seconds === undefined ? undefined : Number(vars.binlog_expire_logs_seconds);
  const days = vars.expire_logs_days === undefined ? undefined : Number(vars.expire_logs_days);
  const shown = [
    seconds === undefined ? undefined : `binlog_expire_logs_seconds = ${vars.binlog_expire_logs_seconds}`,
    days === undefined ? undefined : `expire_logs_days = ${vars.expire_logs_days}`,
  ]
    .filter((x) => x)
    .join(", ");
  // binlog_expire_logs_seconds wins when non-zero (MySQL 8, MariaDB 10.6+); else expire_logs_days.
  if (seconds !== undefined && seconds > 0) return { seconds, evidence: shown };
  if (days !== undefined && days > 0) return { seconds: Math.round(days * 86400), evidence: shown };
  return { seconds: 0, evidence: shown || "no expiry variable" };
}

export const binlogRetentionCheck: PreflightCheck = {
  id: "binlog-retention",
  title: "Binlogs kept >= 7 days (DTS full + incremental sync)",
  scope: "realtime",
  run: ({ server }) => {
    const r = binlogRetention({
      binlog_expire_logs_seconds: variable(server, "binlog_expire_logs_seconds"),
      expire_logs_days: variable(server, "expire_logs_days"),
    });
    if (r.seconds === 0) return pass(`${r.evidence} (binlogs are never purged automatically)`);
    const days = r.seconds / 86400;
    const human = `${days.toFixed(r.seconds % 86400 === 0 ? 0 : 2)} day${days === 1 ? "" : "s"}`;
    if (r.seconds >= MIN_BINLOG_RETENTION_SECONDS) return pass(`${r.evidence} (${human})`);
    const v = server.version;
    const useSeconds = v.flavor === "mysql" ? atLeast(v, 8, 0) : atLeast(v, 10, 6);
    const fix = useSeconds ? setGlobal(v, "binlog_expire_logs_seconds", String(MIN_BINLOG_RETENTION_SECONDS)) : setGlobal(v, "expire_logs_days", "7");
    return fail(`${r.evidence} (${human}; DTS needs >= 7 days for full + incremental sync)`, fix);
  },
};
