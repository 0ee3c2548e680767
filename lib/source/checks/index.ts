/** Every preflight check, in report order (connection, server, binlog, account, tables). */
import { binlogFormat } from "./binlog-format";
import { binlogRetentionCheck } from "./binlog-retention";
import { binlogRowImage } from "./binlog-row-image";
import { binlogRowValueOptions } from "./binlog-row-value-options";
import { charset } from "./charset";
import { columnTypes } from "./column-types";
import { grantsCdc } from "./grants-cdc";
import { grantsLeastPrivilege } from "./grants-least-privilege";
import { grantsSelect } from "./grants-select";
import { logBin } from "./log-bin";
import { logSlaveUpdates } from "./log-slave-updates";
import { reachability } from "./reachability";
import { serverId } from "./server-id";
import { serverVersion } from "./server-version";
import { tableCount } from "./table-count";
import { tableExists } from "./table-exists";
import { tablePrimaryKey } from "./table-primary-key";
import type { PreflightCheck } from "./types";

export * from "./types";

export const CHECKS: readonly PreflightCheck[] = [
  reachability,
  serverVersion,
  logBin,
  binlogFormat,
  binlogRowImage,
  binlogRowValueOptions,
  serverId,
  logSlaveUpdates,
  binlogRetentionCheck,
  grantsSelect,
  grantsCdc,
  grantsLeastPrivilege,
  tableExists,
  tablePrimaryKey,
  columnTypes,
  charset,
  tableCount,
];

/** Check ids in report order. */
export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);
