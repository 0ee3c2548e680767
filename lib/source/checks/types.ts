/**
 * The shape every preflight check has (cdk-nag style): a stable id, a title, which
 * pipeline layers need it, and a pure `run` over the collected facts returning a result,
 * the evidence (the value seen) and the exact fix.
 */
import type { Stage } from "../../config/types";
import type { DatabaseFacts } from "../information-schema";
import type { ServerFacts, SourceFacts } from "../facts";

export const CHECK_RESULTS = ["pass", "fail", "warn", "not-applicable"] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

/** What is being prepared. */
export interface PreflightContext {
  readonly database: string;
  readonly stage: Stage;
  /** Tables every layer syncs (batch loads read them all). */
  readonly tables: readonly string[];
  /** Tables the realtime (CDC) layer syncs; empty when the stage has no realtime layer. */
  readonly realtimeTables: readonly string[];
  /** DTS heartbeat database the sync account must be able to create. */
  readonly heartbeatDatabase: string;
  /** The CDC engine that reads the binlog (its grants differ: Canal creates nothing). @default "dts" */
  readonly cdcEngine?: "dts" | "canal-datahub";
  /** The sync account the preflight logs in as (named in the fixes). */
  readonly user?: string;
}

export interface CheckOutcome {
  readonly result: CheckResult;
  /** The value(s) seen, e.g. `binlog_format = STATEMENT`. */
  readonly evidence: string;
  /** The exact fix (SQL statements or my.cnf lines); absent when there is nothing to do. */
  readonly fix?: string;
}

/** Facts of a run that connected. */
export interface ConnectedFacts extends SourceFacts {
  readonly server: ServerFacts;
  readonly database: DatabaseFacts;
}

export interface PreflightCheck {
  /** Stable id, kebab-case; tests, JSON consumers and docs refer to it. */
  readonly id: string;
  readonly title: string;
  /** `all`: every stage (batch loads need it too); `realtime`: only when tables are synced by CDC. */
  readonly scope: "all" | "realtime";
  run(facts: ConnectedFacts, ctx: PreflightContext): CheckOutcome;
}

export interface CheckReport extends CheckOutcome {
  readonly id: string;
  readonly title: string;
}

export const pass = (evidence: string): CheckOutcome => ({ result: "pass", evidence });
export const fail = (evidence: string, fix: string): CheckOutcome => ({ result: "fail", evidence, fix });
export const warn = (evidence: string, fix?: string): CheckOutcome => ({ result: "warn", evidence, fix });
export const notApplicable = (evidence: string): CheckOutcome => ({ result: "not-applicable", evidence });

/** `my.cnf` lines under `[mysqld]`, with the restart note when the variable is not dynamic. */
export function myCnf(lines: readonly string[], restart: boolean): string {
  return `my.cnf:\n[mysqld]\n${lines.join("\n")}${restart ? "\n(then restart the server: this variable cannot be changed at runtime)" : ""}`;
}
