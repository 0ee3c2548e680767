import { atLeast, describeVersion } from "../server";
import { fail, pass, PreflightCheck } from "./types";

/** DTS supports MySQL >= 5.6 as a source; MariaDB 10.x speaks the same protocol and binlog. */
export const serverVersion: PreflightCheck = {
  id: "server-version",
  title: "Server version and flavour supported (MySQL >= 5.6, MariaDB >= 10.0)",
  scope: "all",
  run: ({ server }) => {
    const v = server.version;
    const ok = v.flavor === "mariadb" ? atLeast(v, 10, 0) : atLeast(v, 5, 6);
    const evidence = `${describeVersion(v)} (VERSION() = ${v.text})`;
    return ok ? pass(evidence) : fail(evidence, "Upgrade the server to MySQL 5.7 or 8.0 (or MariaDB 10.6+): DTS and DataWorks do not support older sources.");
  },
};
