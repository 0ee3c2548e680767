/**
 * Reads the deployed pipeline for `npm run verify`, read-only, through the project's API clients
 * and its one credentials chain: every call is a List/Get/Describe (the fakes record the actions
 * and the tests assert it), all of them in parallel, each under a timeout. Ids come from names
 * (lib/verify/targets.ts): ListProjects `Names` -> workspace id; ListDIJobs / ListNodes `Name` in
 * that workspace; ListTaskInstances per node (by its scheduling `TaskId`, not its node id); DescribeDtsJobs
 * `Type=name`; MaxCompute partitions by table name; SLS objects by project, logstore and export name;
 * the realtime metrics by GetHistograms with `query` `metric: <name>` over the metrics logstore.
 *
 * A failed read becomes an `Unavailable` fact naming the RAM action or the variable to set, never
 * an exception: the verdict says "cannot check" instead of printing a stack trace. A read that got
 * no answer (DNS, connection refused or reset, timeout, TLS) is a `network` fact naming the
 * endpoint: the verdict says so once for the run (lib/verify/verdict.ts), never "broken".
 */
import { MissingCredentialsError, resolveCredentials, type Credentials } from "../common/credentials";
import { AlibabaApiError, transportFailure, withoutRequestTail } from "../common/errors";
import { DataWorksClient } from "../dataworks/client";
import { DtsClient } from "../dts/client";
import { MAXCOMPUTE_ENDPOINT_ENV, MaxComputeClient, maxComputeEndpoint } from "../maxcompute/client";
import { SLS_ENDPOINT_ENV, SlsClient } from "../sls/client";
import { dueDailyPeriod, dueHourlyPeriod, instantOf, type DuePeriod } from "../../lib/verify/periods";
import type { BatchTargets, VerifyTargets } from "../../lib/verify/targets";
import type { BatchFacts, Fact, NodeFact, RtMetricFact, Unavailable, VerifyFacts } from "../../lib/verify/verdict";

/** Points the MaxCompute and SLS reads at other endpoints (tests): the clients' own override variables. */
export { MAXCOMPUTE_ENDPOINT_ENV } from "../maxcompute/client";
export { SLS_ENDPOINT_ENV } from "../sls/client";

export interface CollectOptions {
  readonly now: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Longest wait for one call, milliseconds. @default 10000 */
  readonly callTimeoutMs?: number;
  /** The credentials every read uses (`verifyCredentials` resolves them once, before anything is read). */
  readonly credentials: Credentials;
}

/** verify reads once more at most, soon: a run answers within its call timeout, and "no answer" is said once, not retried for long. */
export const VERIFY_RETRY = { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1000 } as const;

class CallTimeout extends Error {
  constructor(
    action: string,
    readonly ms: number,
  ) {
    super(`${action} did not answer within ${ms} ms`);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, action: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new CallTimeout(action, ms)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

const PERMISSION = /Forbidden|NoPermission|NotAuthorized|AccessDenied|Unauthorized|NoAuth/i;
const BAD_KEY = /InvalidAccessKeyId|SignatureDoesNotMatch|SignatureNotMatch|InvalidSecurityToken|InvalidAccessKey/i;

/** `https://host:port/path` -> `host:port`: how the run's one "no answer" message names an endpoint. */
export function endpointHost(endpoint: string): string {
  return endpoint.replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, "");
}

/**
 * What a failed read means for the user: the variable to set, the RAM action to grant, or (no
 * answer from `endpoint`) the network to check.
 */
export function unavailable(ramAction: string, e: unknown, endpoint?: string): Unavailable {
  const host = endpoint === undefined ? {} : { endpoint: endpointHost(endpoint) };
  if (e instanceof CallTimeout) return { unavailable: true, kind: "network", action: ramAction, message: `ETIMEDOUT: no answer within ${e.ms} ms`, ...host };
  const transport = transportFailure(e);
  if (transport) return { unavailable: true, kind: "network", action: ramAction, message: `${transport.code}: ${transport.reason}`, ...host };
  const x = e as { code?: unknown; statusCode?: unknown; status?: unknown; message?: unknown; data?: { statusCode?: number } };
  const code = e instanceof AlibabaApiError ? e.code : String(x?.code ?? "");
  const status = Number(x?.statusCode ?? x?.status ?? x?.data?.statusCode ?? 0);
  const message = withoutRequestTail(e instanceof AlibabaApiError ? e.apiMessage : String(x?.message ?? e).split("\n")[0]);
  if (BAD_KEY.test(code)) {
    return {
      unavailable: true,
      kind: "credentials",
      action: ramAction,
      message: `the AccessKey was refused (${code}): set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET to a valid read-only pair`,
    };
  }
  if (status === 403 || PERMISSION.test(code))
    return { unavailable: true, kind: "permission", action: ramAction, message: `${code || `HTTP ${status}`}: ${message}` };
  return { unavailable: true, kind: "error", action: ramAction, message: `${code ? `${code}: ` : ""}${message}` };
}

/** Runs `f` under the timeout; a failure becomes an Unavailable fact for `ramAction` at `endpoint`. */
async function read<T>(ramAction: string, endpoint: string, ms: number, f: () => Promise<T>): Promise<Fact<T>> {
  try {
    return await withTimeout(f(), ms, ramAction);
  } catch (e) {
    return unavailable(ramAction, e, endpoint);
  }
}

function ymd(ds: string) {
  return { year: Number(ds.slice(0, 4)), month: Number(ds.slice(4, 6)), day: Number(ds.slice(6, 8)) };
}

/**
 * The credentials verify reads with, through the one chain, within `ms` (the ECS metadata step may
 * not answer off ECS). Rejects with MissingCredentialsError when no source gives any: the command
 * says so once, before any read.
 */
export async function verifyCredentials(env: Readonly<Record<string, string | undefined>>, ms: number): Promise<Credentials> {
  try {
    return await withTimeout(resolveCredentials(undefined, env), ms, "credentials");
  } catch (e) {
    if (e instanceof CallTimeout) throw new MissingCredentialsError(`the credentials chain did not answer within ${ms} ms`);
    throw e;
  }
}

/** Everything verify reads about `t`, in parallel. */
export async function collectFacts(t: VerifyTargets, o: CollectOptions): Promise<VerifyFacts> {
  const env = o.env ?? process.env;
  const ms = o.callTimeoutMs ?? 10_000;
  const creds = o.credentials;

  const dw = new DataWorksClient({ region: t.region, credentials: creds, env, retry: VERIFY_RETRY, readTimeoutMs: ms });
  const mcEndpoint = env[MAXCOMPUTE_ENDPOINT_ENV] || maxComputeEndpoint(t.region);
  const mc = new MaxComputeClient({ endpoint: mcEndpoint, credentials: async () => creds, env, retry: VERIFY_RETRY, readTimeoutMs: ms });
  const slsEndpoint = env[SLS_ENDPOINT_ENV] || `${t.region}.log.aliyuncs.com`;

  const daily = dueDailyPeriod(o.now, t.timezone, t.freshness.dailyDeadline);
  const hourly = dueHourlyPeriod(o.now, t.timezone, t.freshness.hourlyGraceMinutes);

  const dtsClient = t.dtsJob ? new DtsClient(t.region, creds, env, { readTimeoutMs: ms, retry: VERIFY_RETRY }) : undefined;
  // SLS answers on `<project>.<endpoint>`.
  const slsHost = (project: string) => `${project}.${endpointHost(slsEndpoint)}`;

  const workspaceP = read("dataworks:ListProjects", dw.endpoint, ms, () => dw.listProjectsByName(t.workspaceName));

  const batch = async (b: BatchTargets, due: DuePeriod, layer: "daily" | "hourly"): Promise<BatchFacts> => {
    const ws = await workspaceP;
    const projectId = "unavailable" in ws ? undefined : ws[0]?.id;
    const noWorkspace = (name: string) => Promise.resolve({ name } as { name: string });
    const jobs = b.jobs.map((name) =>
      "unavailable" in ws
        ? Promise.resolve(ws)
        : projectId === undefined
          ? noWorkspace(name)
          : read("dataworks:ListDIJobs", dw.endpoint, ms, async () => {
              const found = await dw.listDIJobsByName({ projectId, name });
              return { name, ...(found[0] ? { status: found[0].status } : {}) };
            }),
    );
    const prefix = `ds='${due.ds}'`;
    const tables = b.tables.map((table) =>
      read("odps:List (MaxCompute project " + t.maxcomputeProject + ")", mcEndpoint, ms, async () => {
        const parts = await mc.listPartitions(t.maxcomputeProject, table, prefix);
        return { table, exists: parts !== undefined, partitions: parts ?? [] };
      }),
    );
    // The instance that loads the due period: daily, bizdate ds; hourly, the newest instance
    // triggered by the deadline on the business date before the trigger date.
    const bizdate =
      layer === "daily"
        ? instantOf({ ...ymd(due.ds), hour: 0, minute: 0 }, t.timezone)
        : (() => {
            const trigger = new Date(due.deadline);
            void trigger;
            const d = ymd(due.ds);
            const prev = new Date(Date.UTC(d.year, d.month - 1, d.day - (due.hh === "23" ? 0 : 1)));
            return instantOf({ year: prev.getUTCFullYear(), month: prev.getUTCMonth() + 1, day: prev.getUTCDate(), hour: 0, minute: 0 }, t.timezone);
          })();
    const nodes = b.nodes.map((name): Promise<Fact<NodeFact>> =>
      "unavailable" in ws
        ? Promise.resolve(ws)
        : projectId === undefined
          ? Promise.resolve({ name, found: false })
          : read("dataworks:ListNodes", dw.endpoint, ms, async () => {
              const n = (await dw.listNodesByName({ projectId, name }))[0];
              if (!n) return { name, found: false };
              // Not deployed yet: no scheduling task, so no instance to look at.
              if (!n.taskId) return { name, found: true, createdAt: n.createTime };
              const instances = await withTimeout(dw.listTaskInstances({ projectId, taskId: n.taskId, bizdate }), ms, "dataworks:ListTaskInstances");
              const due_ = instances
                .filter((i) => layer === "daily" || (i.triggerTime ?? 0) <= due.deadline)
                .sort((a, b) => (b.triggerTime ?? 0) - (a.triggerTime ?? 0))[0];
              return { name, found: true, createdAt: n.createTime, ...(due_ ? { instanceStatus: due_.status } : {}) };
            }),
    );
    return { jobs: await Promise.all(jobs), tables: await Promise.all(tables), nodes: await Promise.all(nodes) };
  };

  const sls = new SlsClient({ region: t.region, endpoint: slsEndpoint, credentials: creds, env, retry: VERIFY_RETRY, readTimeoutMs: ms });
  const logCount = (project: string, logstore: string, minutes: number) =>
    read("log:GetHistograms", slsHost(project), ms, async () => {
      const to = Math.floor(o.now / 1000);
      const rows = await sls.getHistograms(project, logstore, { from: to - minutes * 60, to, query: "*" });
      return { logstore, count: rows.reduce((n, r) => n + r.count, 0), windowMinutes: minutes };
    });

  // Per realtime metric: its rows in the metrics logstore over the last three intervals (`metric: <name>`). One
  // after the other (a few small reads), and once the endpoint does not answer, not asked again.
  const rtMetrics = async (r: NonNullable<VerifyTargets["rtMetrics"]>): Promise<Fact<RtMetricFact>[]> => {
    const out: Fact<RtMetricFact>[] = [];
    for (const m of r.metrics) {
      const previous = out[out.length - 1];
      if (previous && "unavailable" in previous && previous.kind === "network") {
        out.push(previous);
        continue;
      }
      out.push(
        await read("log:GetHistograms", slsHost(r.project), ms, async () => {
          const to = Math.floor(o.now / 1000);
          const rows = await sls.getHistograms(r.project, r.logstore, { from: to - r.maxAgeMinutes * 60, to, query: `metric: ${m.metric}` });
          return { metric: m.metric, count: rows.reduce((n, x) => n + x.count, 0), windowMinutes: r.maxAgeMinutes };
        }),
      );
    }
    return out;
  };

  const [workspace, dailyFacts, hourlyFacts, dts, slsMetrics, events, exp, rt] = await Promise.all([
    workspaceP.then((w) => ("unavailable" in w ? w : { found: w.length > 0 })),
    batch(t.daily, daily, "daily"),
    t.hourly ? batch(t.hourly, hourly, "hourly") : Promise.resolve(undefined),
    t.dtsJob && dtsClient
      ? read("dts:DescribeDtsJobs", dtsClient.endpoint, ms, async () => {
          const j = (await dtsClient.describeSyncJobsByName(t.dtsJob!.name))[0];
          return { name: t.dtsJob!.name, ...(j ? { status: j.status, delayMs: j.delayMs } : {}) };
        })
      : Promise.resolve(undefined),
    t.slsMetrics ? logCount(t.slsMetrics.project, t.slsMetrics.logstore, t.slsMetrics.maxAgeMinutes) : Promise.resolve(undefined),
    t.tracking ? logCount(t.tracking.project, t.tracking.logstore, t.tracking.eventsMaxAgeMinutes) : Promise.resolve(undefined),
    t.tracking?.exportName
      ? read("log:GetMaxComputeExport", slsHost(t.tracking.project), ms, async () => {
          const body = await sls.getMaxComputeExport(t.tracking!.project, t.tracking!.exportName!);
          return { name: t.tracking!.exportName!, ...(body ? { status: body.status ?? "" } : {}) };
        })
      : Promise.resolve(undefined),
    t.rtMetrics ? rtMetrics(t.rtMetrics) : Promise.resolve(undefined),
  ]);
  return {
    workspace,
    daily: dailyFacts,
    ...(hourlyFacts ? { hourly: hourlyFacts } : {}),
    ...(dts ? { dts } : {}),
    ...(slsMetrics ? { slsMetrics } : {}),
    ...(rt ? { rtMetrics: rt } : {}),
    ...(events ? { events } : {}),
    ...(exp ? { export: exp } : {}),
  };
}
