/**
 * The verdict of `npm run verify`: facts read from the deployed pipeline (collected at the edge,
 * providers/verify/collect.ts) turned into one verdict per tier, each check with its evidence
 * and the exact next step. Pure: the clock is an argument.
 *
 * Verdicts: `healthy` (every check passed), `pending` (deployed, the first period since
 * deployment is not due yet: a fresh deploy), `late` (a due period is missing but nothing
 * failed), `broken` (something failed or is missing: a job stopped or failed, a node failed, a
 * paused DTS job, no events), `unknown` (could not check: credentials, permission, network),
 * `off` (the stage has no such tier).
 *
 * No answer from an endpoint (DNS, connection refused or reset, timeout, TLS) says nothing about
 * the pipeline: it is never `broken`, and it is reported once for the whole run
 * ({@link VerifyReport.unreachable}), not once per object behind the endpoint.
 */
import { DuePeriod, dueDailyPeriod, dueHourlyPeriod, instantOf, localTime } from "./periods";
import type { BatchTargets, VerifyTargets, VerifyTier } from "./targets";
import { EXIT } from "../exit-codes";

/** Why a fact could not be read. */
export interface Unavailable {
  readonly unavailable: true;
  /**
   * `credentials`: no credentials; `permission`: the RAM action is denied; `network`: no answer
   * came back (DNS, connect, reset, timeout, TLS); `error`: anything else (an API error).
   */
  readonly kind: "credentials" | "permission" | "network" | "error";
  /** The API action that failed, e.g. `dataworks:ListDIJobs`. */
  readonly action: string;
  /** For `network`: the reason in words with its code, e.g. `ENOTFOUND: the host name does not resolve (DNS)`. */
  readonly message: string;
  /** For `network`: the host (and port) that did not answer, e.g. `dataworks.cn-shanghai.aliyuncs.com`. */
  readonly endpoint?: string;
}

export type Fact<T> = T | Unavailable;

export function isUnavailable<T>(f: Fact<T>): f is Unavailable {
  return typeof f === "object" && f !== null && (f as Unavailable).unavailable === true;
}

export interface DiJobFact {
  readonly name: string;
  /** Absent: no job of that name in the workspace. */
  readonly status?: string;
  /** Creation time, epoch ms. */
  readonly createdAt?: number;
}

export interface NodeFact {
  readonly name: string;
  readonly found: boolean;
  readonly createdAt?: number;
  /** The instance of the due period (ListTaskInstances), when there is one. */
  readonly instanceStatus?: string;
}

export interface TableFact {
  readonly table: string;
  readonly exists: boolean;
  /** Partition specs present, e.g. `ds=20261129/hh=10`. */
  readonly partitions: readonly string[];
}

export interface DtsFact {
  readonly name: string;
  /** Absent: no DTS job of that name. */
  readonly status?: string;
  /** Incremental delay, milliseconds (DescribeDtsJobs `Delay`). */
  readonly delayMs?: number;
}

export interface LogstoreFact {
  readonly logstore: string;
  /** Log count over the window read. */
  readonly count: number;
  readonly windowMinutes: number;
}

/** Rows of one realtime metric in the metrics logstore over the window read. */
export interface RtMetricFact {
  readonly metric: string;
  readonly count: number;
  readonly windowMinutes: number;
}

export interface ExportFact {
  readonly name: string;
  /** Absent: no export job of that name. */
  readonly status?: string;
}

/** Everything verify read. A missing key: not read (the tier is off). */
export interface VerifyFacts {
  readonly workspace?: Fact<{ readonly found: boolean }>;
  readonly daily?: BatchFacts;
  readonly hourly?: BatchFacts;
  readonly dts?: Fact<DtsFact>;
  readonly slsMetrics?: Fact<LogstoreFact>;
  /** One per realtime metric of `VerifyTargets.rtMetrics`, in its order. */
  readonly rtMetrics?: readonly Fact<RtMetricFact>[];
  readonly events?: Fact<LogstoreFact>;
  readonly export?: Fact<ExportFact>;
}

export interface BatchFacts {
  readonly jobs: readonly Fact<DiJobFact>[];
  readonly tables: readonly Fact<TableFact>[];
  readonly nodes: readonly Fact<NodeFact>[];
}

export type CheckStatus = "ok" | "pending" | "late" | "broken" | "unknown";
export type TierVerdict = "healthy" | "pending" | "late" | "broken" | "unknown" | "off";

export interface Check {
  readonly subject: string;
  readonly status: CheckStatus;
  readonly evidence: string;
  /** The exact next step (absent when ok). */
  readonly next?: string;
}

export interface TierReport {
  readonly tier: VerifyTier;
  readonly verdict: TierVerdict;
  /** The period checked, e.g. `ds=20261129 (due 2026-11-30 06:00 Asia/Shanghai)`. */
  readonly period?: string;
  readonly checks: readonly Check[];
  /** Objects of this tier not read because their endpoint did not answer (see {@link VerifyReport.unreachable}). */
  readonly notRead?: number;
}

/** The endpoints that did not answer during the run, said once. */
export interface Unreachable {
  /** Each endpoint with its reasons, e.g. `{endpoint: "dataworks.cn-shanghai.aliyuncs.com", reasons: ["ENOTFOUND: ..."]}`. */
  readonly endpoints: readonly { readonly endpoint: string; readonly reasons: readonly string[] }[];
  /** One line naming every endpoint and why. */
  readonly message: string;
  readonly next: string;
}

export interface VerifyReport {
  readonly stack: string;
  readonly checkedAt: string;
  readonly tiers: readonly TierReport[];
  /** Present when an endpoint did not answer: the run could not check what is behind it. */
  readonly unreachable?: Unreachable;
  /** 0 healthy (or pending), 2 cannot check, 3 late or broken (lib/exit-codes.ts). */
  readonly exitCode: VerifyExitCode;
}

/** The exit codes `npm run verify` uses, from the one table (lib/exit-codes.ts). */
export const VERIFY_EXIT = { healthy: EXIT.ok, cannotCheck: EXIT.cannotCheck, lateOrBroken: EXIT.lateOrBroken } as const;
export type VerifyExitCode = (typeof VERIFY_EXIT)[keyof typeof VERIFY_EXIT];

const VERIFY_EXIT_NAMES: Readonly<Record<VerifyExitCode, string>> = { 0: "healthy", 2: "cannot check", 3: "late or broken" };

function unknownCheck(subject: string, u: Unavailable): Check {
  const next =
    u.kind === "credentials"
      ? `give verify read-only credentials: ${u.message}`
      : u.kind === "permission"
        ? `grant the read-only RAM action ${u.action} to the identity verify runs as (docs/first-hour.md lists them all)`
        : `retry; if it persists, check the endpoint and your network (${u.action})`;
  const evidence = u.kind === "credentials" ? `${u.action}: no usable credentials` : `${u.action}: ${u.message}`;
  return { subject, status: "unknown", evidence, next };
}

/**
 * Where an unreadable fact goes: a `network` one (no answer) to the run's one list, counted for
 * its tier; any other one becomes an `unknown` check of its own (a denied RAM action is per action).
 */
class Unread {
  /** Objects of the tier not read. */
  count = 0;
  constructor(private readonly run: Unavailable[]) {}
  push(out: Check[], subject: string, u: Unavailable): void {
    if (u.kind === "network") {
      this.run.push(u);
      this.count++;
    } else out.push(unknownCheck(subject, u));
  }
}

/** The run's one "could not reach" message, endpoints in the order they failed. */
function unreachableOf(network: readonly Unavailable[]): Unreachable | undefined {
  if (network.length === 0) return undefined;
  const by = new Map<string, Set<string>>();
  for (const u of network) {
    const e = u.endpoint ?? u.action;
    if (!by.has(e)) by.set(e, new Set());
    by.get(e)!.add(u.message);
  }
  const endpoints = [...by.entries()].map(([endpoint, reasons]) => ({ endpoint, reasons: [...reasons] }));
  return {
    endpoints,
    message: `no answer from ${endpoints.map((e) => `${e.endpoint} (${e.reasons.join("; ")})`).join(", ")}`,
    next: "check that this machine reaches Alibaba Cloud (DNS, firewall, proxy: HTTPS_PROXY), then run verify again; nothing behind these endpoints was checked",
  };
}

const FAILED_JOB = new Set(["Failed"]);
const STOPPED_JOB = new Set(["Initialized", "Stopped", "Stopping", "Finished"]);
const FAILED_INSTANCE = new Set(["Failure", "Failed", "Error"]);
const DONE_INSTANCE = new Set(["Success"]);

function batchChecks(
  layer: "daily" | "hourly",
  t: BatchTargets,
  f: BatchFacts,
  due: DuePeriod,
  c: { stack: string; workspace: string; project: string; timezone: string },
  unread: Unread,
): Check[] {
  const out: Check[] = [];
  // DataWorks generates a new node's instances from the day after it is deployed (FlowSpec
  // instanceMode T+1): a resource created on the deadline's day (or later) has not run yet.
  const deadlineDay = instantOf({ ...localTime(due.deadline, c.timezone), hour: 0, minute: 0 }, c.timezone);
  const fresh = (createdAt?: number) => createdAt !== undefined && createdAt >= deadlineDay;
  let anyFresh = f.nodes.some((n) => !isUnavailable(n) && fresh(n.createdAt));
  t.jobs.forEach((name, i) => {
    const j = f.jobs[i];
    const subject = `DI job ${name}`;
    if (j === undefined) return;
    if (isUnavailable(j)) return unread.push(out, subject, j);
    if (j.status === undefined) {
      return out.push({
        subject,
        status: "broken",
        evidence: `no DI job named ${name} in workspace ${c.workspace} (ListDIJobs)`,
        next: `deploy it: pulumi up -s ${c.stack}`,
      });
    }
    if (fresh(j.createdAt)) anyFresh = true;
    if (FAILED_JOB.has(j.status)) {
      return out.push({
        subject,
        status: "broken",
        evidence: `JobStatus ${j.status}`,
        next: `open DataWorks > Data Integration > ${name}, read the failed run's log, fix the cause, then start it again (pulumi up -s ${c.stack} restarts it through its DiJobRun)`,
      });
    }
    if (STOPPED_JOB.has(j.status)) {
      return out.push({
        subject,
        status: "broken",
        evidence: `JobStatus ${j.status}: the job is not scheduled`,
        next: `start it: pulumi up -s ${c.stack} (its DiJobRun calls StartDIJob), or Start in DataWorks > Data Integration > ${name}`,
      });
    }
    out.push({ subject, status: "ok", evidence: `JobStatus ${j.status}` });
  });
  t.tables.forEach((table, i) => {
    const p = f.tables[i];
    const subject = `${c.project}.${table} ${due.partition}`;
    if (p === undefined) return;
    if (isUnavailable(p)) return unread.push(out, subject, p);
    if (!p.exists) {
      return out.push({ subject, status: "broken", evidence: `table ${table} does not exist`, next: `deploy the warehouse: pulumi up -s ${c.stack}` });
    }
    if (p.partitions.includes(due.partition)) return out.push({ subject, status: "ok", evidence: `partition ${due.partition} present` });
    // Partitions are listed for the due day only (a cheap, bounded read).
    const newest = [...p.partitions].sort().pop();
    const evidence = `partition ${due.partition} missing${layer === "hourly" ? ` (newest that day: ${newest ?? "none"})` : ""}; due ${due.deadlineText}`;
    if (anyFresh) {
      return out.push({ subject, status: "pending", evidence: `${evidence}; the load was deployed after that deadline: its first run is still to come` });
    }
    out.push({
      subject,
      status: "late",
      evidence,
      next: `find the ${layer} load's instance for ${due.partition} in DataWorks > Operation Center > cycle instances (the DI jobs of ${c.workspace}); rerun it if it failed or wait if it is still running`,
    });
  });
  t.nodes.forEach((name, i) => {
    const n = f.nodes[i];
    const subject = `node ${name} ${due.partition}`;
    if (n === undefined) return;
    if (isUnavailable(n)) return unread.push(out, subject, n);
    if (!n.found) {
      return out.push({
        subject,
        status: "broken",
        evidence: `no node named ${name} in workspace ${c.workspace} (ListNodes)`,
        next: `deploy it: pulumi up -s ${c.stack}`,
      });
    }
    if (n.instanceStatus && FAILED_INSTANCE.has(n.instanceStatus)) {
      return out.push({
        subject,
        status: "broken",
        evidence: `instance of ${due.partition}: ${n.instanceStatus}`,
        next: `open DataWorks > Operation Center > cycle instances > ${name} (${due.partition}), read the log, fix the cause and rerun it; the tables it writes are then refreshed`,
      });
    }
    if (n.instanceStatus && DONE_INSTANCE.has(n.instanceStatus)) return out.push({ subject, status: "ok", evidence: `instance of ${due.partition}: Success` });
    if (fresh(n.createdAt)) {
      return out.push({ subject, status: "pending", evidence: `deployed after ${due.deadlineText}: its first instance is still to come` });
    }
    out.push({
      subject,
      status: "late",
      evidence: `instance of ${due.partition}: ${n.instanceStatus ?? "none"} after ${due.deadlineText}`,
      next: `open DataWorks > Operation Center > cycle instances > ${name} (${due.partition}): it waits for its load check (the ODS partitions above) or for resources; fix the load first`,
    });
  });
  return out;
}

/** The tier's verdict: the worst check; `unknown` at least when some object was not read. */
function verdictOf(checks: readonly Check[], unread?: Unread): TierVerdict {
  const has = (s: CheckStatus) => checks.some((c) => c.status === s);
  if (has("broken")) return "broken";
  if (has("late")) return "late";
  if (has("unknown") || (unread?.count ?? 0) > 0) return "unknown";
  if (has("pending")) return "pending";
  return "healthy";
}

/** The report for `facts` read at `now`. */
export function evaluate(stack: string, t: VerifyTargets, facts: VerifyFacts, now: number): VerifyReport {
  const ctx = { stack, workspace: t.workspaceName, project: t.maxcomputeProject, timezone: t.timezone };
  const tiers: TierReport[] = [];
  const network: Unavailable[] = [];
  const notRead = (u: Unread) => (u.count > 0 ? { notRead: u.count } : {});
  const workspaceChecks: Check[] = [];
  const workspaceUnread = facts.workspace && isUnavailable(facts.workspace) ? facts.workspace : undefined;
  if (workspaceUnread) {
    if (workspaceUnread.kind !== "network") workspaceChecks.push(unknownCheck(`DataWorks workspace ${t.workspaceName}`, workspaceUnread));
  } else if (facts.workspace && !isUnavailable(facts.workspace) && !facts.workspace.found) {
    workspaceChecks.push({
      subject: `DataWorks workspace ${t.workspaceName}`,
      status: "broken",
      evidence: `no workspace named ${t.workspaceName} in ${t.region} (ListProjects)`,
      next: `deploy the stack: pulumi up -s ${stack}, or check alicloud:region`,
    });
  }
  for (const layer of ["daily", "hourly"] as const) {
    const targets = t[layer];
    const f = facts[layer];
    if (!targets) {
      tiers.push({ tier: layer, verdict: "off", checks: [] });
      continue;
    }
    const due =
      layer === "daily" ? dueDailyPeriod(now, t.timezone, t.freshness.dailyDeadline) : dueHourlyPeriod(now, t.timezone, t.freshness.hourlyGraceMinutes);
    const unread = new Unread(network);
    if (workspaceUnread?.kind === "network") unread.push([], `DataWorks workspace ${t.workspaceName}`, workspaceUnread);
    const checks = [...workspaceChecks, ...(f ? batchChecks(layer, targets, f, due, ctx, unread) : [])];
    tiers.push({
      tier: layer,
      verdict: verdictOf(checks, unread),
      period: `${due.partition} (due ${due.deadlineText} ${t.timezone})`,
      checks,
      ...notRead(unread),
    });
  }

  const rt: Check[] = [];
  const rtUnread = new Unread(network);
  if (t.dtsJob && facts.dts) {
    const d = facts.dts;
    const subject = `DTS job ${t.dtsJob.name}`;
    const threshold = t.dtsJob.delayThresholdSeconds;
    if (isUnavailable(d)) rtUnread.push(rt, subject, d);
    else if (d.status === undefined)
      rt.push({ subject, status: "broken", evidence: `no DTS job named ${t.dtsJob.name} (DescribeDtsJobs)`, next: `deploy it: pulumi up -s ${stack}` });
    else if (d.status !== "Synchronizing") {
      const initial = ["NotStarted", "Prechecking", "PrecheckPass", "Initializing"].includes(d.status);
      rt.push(
        initial
          ? { subject, status: "pending", evidence: `Status ${d.status}: the full load has not finished` }
          : {
              subject,
              status: "broken",
              evidence: `Status ${d.status}${d.status === "Suspending" ? " (paused)" : ""}`,
              next:
                d.status === "Suspending"
                  ? `resume it: pulumi up -s ${stack} (the job's status is Synchronizing in the stack), or Start in the DTS console; nothing is lost while the binlog still holds the gap (docs/realtime-dts.md)`
                  : `open the DTS console > ${t.dtsJob.name}, read the error, fix the source (npm run preflight -- --stack ${stack}) and restart it`,
            },
      );
    } else if ((d.delayMs ?? 0) > threshold * 1000) {
      rt.push({
        subject,
        status: "late",
        evidence: `delay ${Math.round((d.delayMs ?? 0) / 1000)} s > ${threshold} s (realtime.dts.delayThresholdSeconds)`,
        next: `check the source's write rate against the instance class (realtime.dts.instanceClass, docs/realtime-dts.md) and the DTS console's performance tab`,
      });
    } else rt.push({ subject, status: "ok", evidence: `Synchronizing, delay ${Math.round((d.delayMs ?? 0) / 1000)} s <= ${threshold} s` });
  }
  if (t.slsMetrics && facts.slsMetrics) {
    const m = facts.slsMetrics;
    const subject = `SLS ${t.slsMetrics.project}/${t.slsMetrics.logstore}`;
    if (isUnavailable(m)) rtUnread.push(rt, subject, m);
    else if (m.count > 0) rt.push({ subject, status: "ok", evidence: `${m.count} metric rows in the last ${m.windowMinutes} min` });
    else
      rt.push({
        subject,
        status: "late",
        evidence: `no metric rows in the last ${m.windowMinutes} min`,
        next: `open SLS > ${t.slsMetrics.project} > Scheduled SQL per-minute-metrics: check its last runs and its role (tracking.scheduledSqlRoleArn)`,
      });
  }
  if (t.rtMetrics && facts.rtMetrics) {
    const r = t.rtMetrics;
    facts.rtMetrics.forEach((m, i) => {
      const spec = r.metrics[i];
      const subject = `realtime metric ${spec.metric} (${spec.table}) in SLS ${r.project}/${r.logstore}`;
      if (isUnavailable(m)) rtUnread.push(rt, subject, m);
      else if (m.count > 0) rt.push({ subject, status: "ok", evidence: `${m.count} rows in the last ${m.windowMinutes} min` });
      else if (!spec.always)
        rt.push({
          subject,
          status: "ok",
          evidence: `no rows in the last ${m.windowMinutes} min: written only when there is one to list (a page view today, a login)`,
        });
      else
        rt.push({
          subject,
          status: "late",
          evidence: `no rows in the last ${m.windowMinutes} min (three intervals of realtime.metrics.intervalMinutes)`,
          next: `open DataWorks > Operation Center > the rt_metrics node's last instances, then SLS > ${r.project} > Data Import > rt-metrics-import (its runs and the rt_metrics_reader grant); docs/realtime.md`,
        });
    });
  }
  tiers.push(
    t.dtsJob || t.slsMetrics || t.rtMetrics
      ? { tier: "realtime", verdict: verdictOf(rt, rtUnread), checks: rt, ...notRead(rtUnread) }
      : { tier: "realtime", verdict: "off", checks: [] },
  );

  const tr: Check[] = [];
  const trUnread = new Unread(network);
  if (t.tracking) {
    const e = facts.events;
    const subject = `SLS ${t.tracking.project}/${t.tracking.logstore}`;
    if (e && isUnavailable(e)) trUnread.push(tr, subject, e);
    else if (e && e.count > 0) tr.push({ subject, status: "ok", evidence: `${e.count} events in the last ${e.windowMinutes} min` });
    else if (e)
      tr.push({
        subject,
        status: "broken",
        evidence: `no events in the last ${e.windowMinutes} min`,
        next: `send one event from the site (examples/web-tracking) and check the browser's network tab for POST /logstores/${t.tracking.logstore}/track; see docs/tracking.md`,
      });
    const x = facts.export;
    if (t.tracking.exportName && x) {
      const subject = `SLS export ${t.tracking.exportName}`;
      if (isUnavailable(x)) trUnread.push(tr, subject, x);
      else if (x.status === undefined)
        tr.push({ subject, status: "broken", evidence: "no such export job (GetMaxComputeExport)", next: `deploy it: pulumi up -s ${stack}` });
      else if (x.status !== "RUNNING")
        tr.push({
          subject,
          status: "broken",
          evidence: `status ${x.status}`,
          next: `start it: SLS console > ${t.tracking.project} > Data Transformation / Export > ${t.tracking.exportName}; check its roles (tracking.export.roleArn)`,
        });
      else tr.push({ subject, status: "ok", evidence: "status RUNNING" });
    }
    tiers.push({ tier: "tracking", verdict: verdictOf(tr, trUnread), checks: tr, ...notRead(trUnread) });
  } else tiers.push({ tier: "tracking", verdict: "off", checks: [] });

  const all = tiers.map((x) => x.verdict);
  const exitCode = all.some((v) => v === "broken" || v === "late")
    ? VERIFY_EXIT.lateOrBroken
    : all.includes("unknown")
      ? VERIFY_EXIT.cannotCheck
      : VERIFY_EXIT.healthy;
  const unreachable = unreachableOf(network);
  return { stack, checkedAt: new Date(now).toISOString(), tiers, ...(unreachable ? { unreachable } : {}), exitCode };
}

/** The report as text: per tier its verdict, then each check with evidence and next step. */
export function formatVerifyReport(r: VerifyReport): string {
  const lines = [`photo-analytics verify: stack ${r.stack}, at ${r.checkedAt}`];
  // One cause (no credentials, one missing RAM action) fails many checks: say its next step once.
  const said = new Set<string>();
  if (r.unreachable) lines.push(`cannot check: ${r.unreachable.message}`, `  next: ${r.unreachable.next}`);
  for (const t of r.tiers) {
    const unread = t.notRead ? ` (${t.notRead} not read: no answer, above)` : "";
    lines.push(`${t.tier}: ${t.verdict.toUpperCase()}${t.period ? ` — ${t.period}` : ""}${unread}`);
    for (const c of t.checks) {
      if (c.status === "ok" && t.verdict === "healthy") continue;
      lines.push(`  [${c.status}] ${c.subject}: ${c.evidence}`);
      if (c.next) lines.push(`      next: ${said.has(c.next) ? "as above" : c.next}`);
      if (c.next) said.add(c.next);
    }
    if (t.verdict === "healthy") lines.push(`  ${t.checks.length} checks passed`);
  }
  lines.push(`exit ${r.exitCode} (${VERIFY_EXIT_NAMES[r.exitCode]})`);
  return lines.join("\n") + "\n";
}
