import { fail, notApplicable, pass, PreflightCheck } from "./types";
import { setGlobal, variable } from "./variables";

/** MySQL 8's PARTIAL_JSON writes JSON updates as diffs that CDC readers cannot apply (Debezium, Flink CDC check it). */
export const binlogRowValueOptions: PreflightCheck = {
  id: "binlog-row-value-options",
  title: "binlog_row_value_options empty (no partial JSON updates)",
  scope: "realtime",
  run: ({ server }) => {
    const value = variable(server, "binlog_row_value_options");
    if (value === undefined) {
      return notApplicable(`binlog_row_value_options does not exist on ${server.version.flavor === "mariadb" ? "MariaDB" : "this MySQL version"}`);
    }
    return value === ""
      ? pass("binlog_row_value_options = ''")
      : fail(`binlog_row_value_options = ${value}`, setGlobal(server.version, "binlog_row_value_options", ""));
  },
};
