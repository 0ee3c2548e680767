/** The preflight against a live server: connect, collect the facts once, run the pure checks. */
import { CheckReport, CheckResult } from "../../lib/source/checks";
import { describeEndpoint } from "../../lib/source/endpoint";
import { collectFacts, SourceFacts } from "../../lib/source/facts";
import { evaluateChecks, PreflightOptions, PreflightReport, resolveContext } from "../../lib/source/preflight";
import { describeVersion } from "../../lib/source/server";
import { connect, CountingConnection, DEFAULT_CONNECT_TIMEOUT_MS } from "./mysql";

function summarize(checks: readonly CheckReport[]): Record<CheckResult, number> {
  const s: Record<CheckResult, number> = { pass: 0, fail: 0, warn: 0, "not-applicable": 0 };
  for (const c of checks) s[c.result]++;
  return s;
}

/** Connects, collects facts and runs the checks. Never throws for server-side problems: they are results. */
export async function runPreflight(options: PreflightOptions): Promise<PreflightReport> {
  const started = Date.now();
  let facts: SourceFacts;
  let conn: CountingConnection | undefined;
  try {
    conn = await connect(options.endpoint, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    facts = { connection: { ok: false, code: err.code ?? "ECONNECT", message: err.message ?? String(e) } };
  }
  let statements = 0;
  if (conn) {
    try {
      facts = await collectFacts(conn, options.endpoint.database, options.tables, Date.now() - started);
    } finally {
      statements = conn.statements;
      await conn.end().catch(() => undefined);
    }
  }
  const ctx = resolveContext(facts!, options);
  const checks = evaluateChecks(facts!, ctx);
  const summary = summarize(checks);
  return {
    target: describeEndpoint(options.endpoint),
    stage: options.stage,
    server: facts!.server ? describeVersion(facts!.server.version) : undefined,
    checks,
    summary,
    exitCode: !facts!.connection.ok ? 2 : summary.fail > 0 ? 1 : 0,
    statements,
    elapsedMs: Date.now() - started,
  };
}
