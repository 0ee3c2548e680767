import { fail, pass, PreflightCheck } from "./types";
import { setGlobal, variable } from "./variables";

/** DTS, Debezium and Flink CDC need row events: STATEMENT/MIXED binlogs carry SQL, not rows. */
export const binlogFormat: PreflightCheck = {
  id: "binlog-format",
  title: "binlog_format = ROW",
  scope: "realtime",
  run: ({ server }) => {
    const value = variable(server, "binlog_format") ?? "(not set)";
    return value.toUpperCase() === "ROW"
      ? pass(`binlog_format = ${value}`)
      : fail(`binlog_format = ${value}`, setGlobal(server.version, "binlog_format", "ROW"));
  },
};
