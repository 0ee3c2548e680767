import { isUnreadable } from "../facts";
import { atLeast } from "../server";
import { accountSql } from "./grants-common";
import { fail, myCnf, notApplicable, pass, PreflightCheck, warn } from "./types";
import { variable } from "./variables";

/** On a replica, changes applied from its primary reach its binlog only with log_slave_updates. */
export const logSlaveUpdates: PreflightCheck = {
  id: "log-slave-updates",
  title: "log_slave_updates = ON when the server is a replica",
  scope: "realtime",
  run: ({ server }) => {
    const name = variable(server, "log_replica_updates") !== undefined ? "log_replica_updates" : "log_slave_updates";
    const value = variable(server, name) ?? "OFF";
    const on = value.toUpperCase() === "ON";
    const channels = server.replicaChannels;
    if (isUnreadable(channels)) {
      return on
        ? pass(`${name} = ON (replication status unreadable: ${channels.error})`)
        : warn(
            `${name} = ${value}; whether the server is a replica is unknown (${channels.error})`,
            `If this server replicates from another, set:\n${myCnf([`${name} = ON`], true)}${
              // DTS's guide does not list it: MariaDB >= 10.5.9 shows replication status only with SLAVE MONITOR.
              server.version.flavor === "mariadb" && atLeast(server.version, 10, 5)
                ? `\nOr let the preflight see the replication status: GRANT SLAVE MONITOR ON *.* TO ${accountSql(server.account)};`
                : ""
            }`,
          );
    }
    if (channels === 0) return notApplicable(`not a replica (no replication channel configured); ${name} = ${value}`);
    return on
      ? pass(`replica with ${channels} channel(s); ${name} = ON`)
      : fail(`replica with ${channels} channel(s); ${name} = ${value}`, myCnf([`${name} = ON`], true));
  },
};
