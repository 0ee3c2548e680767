/**
 * The preflight's pure half (providers/source/run-preflight.ts connects): collect facts in a fixed number of statements, run every
 * check that applies to the stage, and report (text or JSON) with an exit code:
 * 0 all pass (warnings allowed), 1 any fail, 2 could not connect.
 */
import type { Stage } from "../config/types";
import { stageHasLayer } from "../config/stage-catalog";
import { CHECKS, CheckReport, CheckResult, ConnectedFacts, PreflightCheck, PreflightContext } from "./checks";
import { SourceEndpoint } from "./endpoint";
import { SourceFacts } from "./facts";
import { isBaseTable } from "./information-schema";
import { accountSql } from "./account";

/** DTS's heartbeat database on the source (DTS "prepare the database accounts" page). */
export const DTS_HEARTBEAT_DATABASE = "dts";

export interface PreflightOptions {
  readonly endpoint: SourceEndpoint;
  readonly stage: Stage;
  /** Tables to sync. @default every base table of the database */
  readonly tables?: readonly string[];
  /** Tables the realtime layer syncs. @default all `tables` when the stage has a realtime layer, else none */
  readonly realtimeTables?: readonly string[];
  /** @default 5000 */
  readonly connectTimeoutMs?: number;
  /** @default "dts" */
  readonly heartbeatDatabase?: string;
  /** `realtime.engine`: which CDC engine's account rules apply (grants-cdc). @default "dts" */
  readonly realtimeEngine?: string;
}

export interface PreflightReport {
  /** `user@host:port/database` (never the password). */
  readonly target: string;
  readonly stage: Stage;
  readonly server?: string;
  readonly checks: readonly CheckReport[];
  readonly summary: Readonly<Record<CheckResult, number>>;
  /** 0 all pass, 1 any fail, 2 could not connect. */
  readonly exitCode: 0 | 1 | 2;
  /** SQL statements sent (constant in the number of tables). */
  readonly statements: number;
  readonly elapsedMs: number;
}

/** Runs `checks` over `facts` (pure). A check whose scope the context does not need is not applicable. */
export function evaluateChecks(facts: SourceFacts, ctx: PreflightContext, checks: readonly PreflightCheck[] = CHECKS): CheckReport[] {
  if (!facts.connection.ok || !facts.server || !facts.database) {
    const c = facts.connection.ok ? { code: "NO_FACTS", message: "no server facts" } : facts.connection;
    return checks.map((check) =>
      check.id === "reachability"
        ? { id: check.id, title: check.title, result: "fail", evidence: `${c.code}: ${c.message}`, fix: reachabilityFix(c.code, ctx) }
        : { id: check.id, title: check.title, result: "not-applicable", evidence: "not checked: no connection" },
    );
  }
  const connected = facts as ConnectedFacts;
  return checks.map((check) => {
    if (check.scope === "realtime" && ctx.realtimeTables.length === 0) {
      return {
        id: check.id,
        title: check.title,
        result: "not-applicable",
        evidence: stageHasLayer(ctx.stage, "realtime")
          ? "no table is synced by the realtime layer"
          : `stage ${ctx.stage} has no realtime layer (batch loads need SELECT only)`,
      };
    }
    try {
      return { id: check.id, title: check.title, ...check.run(connected, ctx) };
    } catch (e) {
      return {
        id: check.id,
        title: check.title,
        result: "fail",
        evidence: `check crashed: ${(e as Error).message}`,
        fix: "Report this as a bug in the preflight.",
      };
    }
  });
}

/** The fix for a connection error, by mysql2 error code. */
export function reachabilityFix(code: string, ctx: Pick<PreflightContext, "database" | "user"> = { database: "<database>" }): string {
  switch (code) {
    case "ER_ACCESS_DENIED_ERROR":
    case "ER_DBACCESS_DENIED_ERROR": {
      const account = accountSql(ctx.user ?? "<user>", "%");
      const db = ctx.database.replace(/`/g, "``");
      return `Check the user and password (MYSQL_PWD or --password-stdin); create the account or grant it the database:\nCREATE USER ${account} IDENTIFIED BY '<password>';\nGRANT SELECT ON \`${db}\`.* TO ${account};`;
    }
    case "ER_BAD_DB_ERROR":
      return "The database does not exist: check photo-analytics:source.database (or the --url path).";
    case "ETIMEDOUT":
    case "ECONNREFUSED":
    case "EHOSTUNREACH":
    case "ENOTFOUND":
    default:
      return "Check host and port, that mysqld listens on a reachable address (my.cnf [mysqld] bind-address = 0.0.0.0), and that the firewall / security group allows the DTS and DataWorks IP ranges of your region on this port.";
  }
}

/** Which tables are synced, per layer, given what exists and what was asked. */
export function resolveContext(facts: SourceFacts, options: PreflightOptions): PreflightContext {
  const all = facts.database ? facts.database.tables.filter(isBaseTable).map((t) => t.name) : [];
  const tables = options.tables && options.tables.length > 0 ? [...options.tables] : all;
  const realtimeTables = options.realtimeTables ? [...options.realtimeTables] : stageHasLayer(options.stage, "realtime") ? tables : [];
  return {
    database: options.endpoint.database,
    user: options.endpoint.user,
    stage: options.stage,
    tables,
    realtimeTables,
    heartbeatDatabase: options.heartbeatDatabase ?? DTS_HEARTBEAT_DATABASE,
    cdcEngine: options.realtimeEngine === "canal-datahub" ? "canal-datahub" : "dts",
  };
}

const MARK: Record<CheckResult, string> = { pass: "PASS", fail: "FAIL", warn: "WARN", "not-applicable": "N/A " };

/** The report as text: one block per check, fixes indented under failures and warnings. */
export function formatReport(r: PreflightReport): string {
  const lines = [`Preflight of ${r.target} for stage ${r.stage}${r.server ? ` (${r.server})` : ""}`, ""];
  for (const c of r.checks) {
    lines.push(`${MARK[c.result]}  ${c.id.padEnd(26)} ${c.evidence}`);
    if (c.fix && (c.result === "fail" || c.result === "warn")) {
      for (const l of c.fix.split("\n")) lines.push(`        fix: ${l}`);
    }
  }
  const s = r.summary;
  lines.push(
    "",
    `${s.pass} passed, ${s.fail} failed, ${s.warn} warnings, ${s["not-applicable"]} not applicable (${r.statements} statements, ${r.elapsedMs} ms)`,
  );
  return lines.join("\n") + "\n";
}
