import { fail, pass, PreflightCheck } from "./types";
import { setGlobal, variable } from "./variables";

/** MINIMAL/NOBLOB images omit unchanged columns: the warehouse would see partial rows. */
export const binlogRowImage: PreflightCheck = {
  id: "binlog-row-image",
  title: "binlog_row_image = FULL",
  scope: "realtime",
  run: ({ server }) => {
    const value = variable(server, "binlog_row_image");
    // MySQL 5.5 and MariaDB < 10.1.6 have no such variable: their row images are always full.
    if (value === undefined) return pass("binlog_row_image does not exist on this server (row images are always FULL)");
    return value.toUpperCase() === "FULL"
      ? pass(`binlog_row_image = ${value}`)
      : fail(`binlog_row_image = ${value}`, setGlobal(server.version, "binlog_row_image", "FULL"));
  },
};
