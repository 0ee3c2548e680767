import { fail, myCnf, pass, PreflightCheck, warn } from "./types";
import { setGlobal, variable } from "./variables";

/** A binlog client registers as a replica and needs the source to have its own id; DTS recommends > 1. */
export const serverId: PreflightCheck = {
  id: "server-id",
  title: "server_id set (>= 2 recommended)",
  scope: "realtime",
  run: ({ server }) => {
    const raw = variable(server, "server_id") ?? "0";
    const id = Number(raw);
    if (!Number.isFinite(id) || id === 0) {
      return fail(`server_id = ${raw}`, `${setGlobal(server.version, "server_id", "2")}`);
    }
    if (id === 1) {
      return warn("server_id = 1 (the default: replicas and CDC clients often assume the source is not 1)", myCnf(["server_id = 2"], false));
    }
    return pass(`server_id = ${raw}`);
  },
};
