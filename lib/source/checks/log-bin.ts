import { isUnreadable } from "../facts";
import { fail, myCnf, pass, PreflightCheck } from "./types";
import { variable } from "./variables";

/** CDC reads the binary log: it must be on (log_bin is not dynamic). */
export const logBin: PreflightCheck = {
  id: "log-bin",
  title: "Binary logging on (log_bin = ON)",
  scope: "realtime",
  run: ({ server }) => {
    const value = variable(server, "log_bin") ?? "(not set)";
    if (value.toUpperCase() !== "ON") {
      return fail(`log_bin = ${value}`, myCnf(["log_bin = mysql-bin", "server_id = 2"], true));
    }
    const b = server.binlog;
    const where = b === null ? "" : isUnreadable(b) ? ` (binlog position unreadable: ${b.error})` : `, current binlog ${b.file} at ${b.position}`;
    return pass(`log_bin = ON${where}`);
  },
};
