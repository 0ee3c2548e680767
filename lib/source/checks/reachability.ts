import { pass, PreflightCheck } from "./types";

/**
 * The server answers within the connect timeout. Failures never reach `run`: the runner
 * reports them from the connection error (see preflight.ts `unreachable`).
 */
export const reachability: PreflightCheck = {
  id: "reachability",
  title: "Server reachable and account can log in",
  scope: "all",
  run: (facts) => pass(`connected as ${facts.server.account} in ${facts.connection.ok ? facts.connection.connectMs : 0} ms`),
};
