/**
 * `npm run verify` against the local fakes (DataWorks + DTS, MaxCompute, SLS), which verify the
 * signatures and record every action: fresh deploy, healthy, late load, failed node, DTS paused,
 * no events, missing permission, no credentials; only read APIs are called; the wall time of a
 * mature stack. API shapes: ListProjects/ListDIJobs/ListNodes/ListTaskInstances (DataWorks
 * 2024-05-18 reference), DescribeDtsJobs (DTS 2020-01-01 reference), GetHistograms and
 * GetMaxComputeExport (`@alicloud/sls20201230`), MaxCompute partitions (pyodps
 * odps/models/partitions.py `iterate_partitions`).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { main } from "../cli/verify";
import { loadStackConfig, readStackFile } from "../project-files";
import { verifyTargets, VerifyTargets } from "../lib/verify/targets";
import { instantOf } from "../lib/verify/periods";
import { FakeDataWorks, READ_ACTION } from "./support/fake-dataworks";
import { FakeMaxCompute } from "./support/fake-maxcompute";
import { exampleExportInputs, FakeSls, routeHostsToLocalhost, serverForm, startFakeSls, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from "./support/fake-sls";
import { exportConfiguration } from "../providers/sls/maxcompute-export";
import { EXPORT_NAME } from "../lib/sls/sls-objects";
import { baseDoc } from "./support/config";

// 2026-11-30 11:00 in Shanghai: the T+1 period due is ds=20261129 (06:00 passed), the hourly one ds=20261130/hh=09 (10:20 passed).
const NOW = Date.UTC(2026, 10, 30, 3, 0);
const TZ = "Asia/Shanghai";
const DAY = 86_400_000;
const CREDS = { accessKeyId: TEST_ACCESS_KEY_ID, accessKeySecret: TEST_ACCESS_KEY_SECRET };

let dw: FakeDataWorks;
let mc: FakeMaxCompute;
let sls: FakeSls;
let undoDns: () => void;
let env: Record<string, string>;
let stackFile: string;
let targets: VerifyTargets;

beforeAll(async () => {
  sls = await startFakeSls();
  undoDns = routeHostsToLocalhost("sls.test");
  const doc = {
    ...baseDoc(),
    "photo-analytics:stage": "mature",
    "photo-analytics:warehouse": { projectName: "photo_analytics_test" },
    "photo-analytics:sourcePassword": { secure: "v1:placeholder" },
    "photo-analytics:maxcomputeAccessKeyId": { secure: "v1:placeholder" },
    "photo-analytics:maxcomputeAccessKeySecret": { secure: "v1:placeholder" },
  };
  stackFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "verify-")), "Pulumi.test.yaml");
  fs.writeFileSync(stackFile, YAML.stringify({ config: doc }));
  targets = verifyTargets(loadStackConfig(readStackFile(stackFile)), { platform: "analytics", exportName: EXPORT_NAME });
});
afterAll(async () => {
  undoDns();
  await sls.close();
});

beforeEach(async () => {
  dw = new FakeDataWorks(TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET);
  mc = new FakeMaxCompute(TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET);
  const [dwUrl, mcUrl] = [await dw.start(), await mc.start()];
  sls.requests.length = 0;
  sls.modelViolations.length = 0;
  sls.exports.clear();
  sls.histogramCounts.clear();
  env = {
    PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: dwUrl,
    PHOTO_ANALYTICS_DTS_ENDPOINT: dwUrl,
    PHOTO_ANALYTICS_MAXCOMPUTE_ENDPOINT: mcUrl,
    PHOTO_ANALYTICS_SLS_ENDPOINT: `http://sls.test:${sls.port}`,
  };
});
afterEach(async () => {
  await dw.stop();
  await mc.stop();
  expect([...dw.modelViolations, ...mc.modelViolations, ...sls.modelViolations]).toEqual([]); // held to the official models
});

/** A mature stack whose last periods all landed; `createdAt` is when it was deployed. */
function seedHealthy(createdAt = NOW - 30 * DAY): { projectId: string; nodeIds: Record<string, string> } {
  const projectId = dw.addProject(targets.workspaceName);
  const nodeIds: Record<string, string> = {};
  const dailyBiz = instantOf({ year: 2026, month: 11, day: 29, hour: 0, minute: 0 }, TZ);
  for (const [layer, part] of [
    ["daily", "ds=20261129"],
    ["hourly", "ds=20261130/hh=09"],
  ] as const) {
    const b = targets[layer]!;
    for (const j of b.jobs) dw.addDiJob(projectId, j, "Running");
    for (const t of b.tables) {
      mc.createTable(
        targets.maxcomputeProject,
        t,
        [["id", "bigint"]],
        layer === "daily"
          ? [["ds", "string"]]
          : [
              ["ds", "string"],
              ["hh", "string"],
            ],
      );
      mc.tables.get(`${targets.maxcomputeProject}.${t}`)!.partitionValues =
        layer === "daily" ? ["ds=20261127", "ds=20261128", part] : ["ds=20261130/hh=08", part];
    }
    for (const n of b.nodes) {
      nodeIds[n] = dw.addDeployedNode(projectId, n, createdAt);
      dw.addTaskInstance({
        projectId,
        // Instances belong to the node's scheduling task id, not its 19-digit node id.
        taskId: dw.taskIdOf(nodeIds[n]),
        bizdate: dailyBiz,
        status: "Success",
        triggerTime: layer === "daily" ? NOW - 5 * 3600_000 : NOW - 45 * 60_000,
      });
    }
  }
  dw.addDtsJob(targets.dtsJob!.name, "Synchronizing", 1_200);
  sls.histogramCounts.set(`${targets.tracking!.project}/${targets.tracking!.logstore}`, 42);
  // Every realtime metric imported in the last three intervals (two imports of two runs).
  for (const m of targets.rtMetrics!.metrics) sls.histogramCounts.set(`${targets.rtMetrics!.project}/${targets.rtMetrics!.logstore}?metric: ${m.metric}`, 4);
  // A job as GetMaxComputeExport answers it (the MaxComputeExport model requires displayName and configuration).
  const job = exampleExportInputs(sls.port, { exportName: EXPORT_NAME });
  sls.exports.set(`${targets.tracking!.project}/${EXPORT_NAME}`, {
    ...serverForm({ name: EXPORT_NAME, displayName: job.displayName, configuration: exportConfiguration(job) }),
    status: "RUNNING",
  });
  return { projectId, nodeIds };
}

async function verify(over: { credentials?: typeof CREDS | null; env?: Record<string, string> } = {}) {
  let out = "";
  let err = "";
  const code = await main(["--stack", "test", "--config-file", stackFile, "--json"], {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    now: NOW,
    env: over.env ?? env,
    credentials: over.credentials === null ? undefined : (over.credentials ?? CREDS),
  });
  return { code, report: out ? JSON.parse(out) : undefined, err };
}

const verdicts = (r: any) => Object.fromEntries(r.tiers.map((t: any) => [t.tier, t.verdict]));
const problems = (r: any) => r.tiers.flatMap((t: any) => t.checks.filter((c: any) => c.status !== "ok"));

describe("npm run verify against the fakes", () => {
  it("healthy mature stack: every tier healthy, exit 0, only read APIs, signed, within 30 s", async () => {
    seedHealthy();
    const started = Date.now();
    const { code, report, err } = await verify();
    const wallMs = Date.now() - started;
    expect(err).toBe("");
    expect(verdicts(report)).toEqual({ daily: "healthy", hourly: "healthy", realtime: "healthy", tracking: "healthy" });
    expect(code).toBe(0);
    expect(wallMs).toBeLessThan(30_000);
    // Read-only: every DataWorks/DTS action is a Get/List/Describe, every MaxCompute and SLS request a GET.
    expect(dw.actions.length).toBeGreaterThan(0);
    expect(dw.actions.filter((a) => !READ_ACTION.test(a))).toEqual([]);
    expect(dw.requests.every((r) => r.signatureValid)).toBe(true);
    expect(new Set(dw.actions)).toEqual(new Set(["ListProjects", "ListDIJobs", "ListNodes", "ListTaskInstances", "DescribeDtsJobs"]));
    expect(mc.requests.every((r) => r.method === "GET" && r.signatureValid)).toBe(true);
    expect(sls.requests.every((r) => r.method === "GET" && r.problems.length === 0)).toBe(true);
    console.log(`verify wall time, mature stack against the fakes: ${wallMs} ms, ${dw.requests.length + mc.requests.length + sls.requests.length} requests`);
  });

  it("fresh deploy before the first run: pending, exit 0", async () => {
    // Deployed at 10:00 today: DataWorks makes its first instances tomorrow (instanceMode T+1).
    const { projectId } = seedHealthy(NOW - 3600_000);
    // Nothing has landed yet: no partitions, no instances.
    for (const t of mc.tables.values()) t.partitionValues = [];
    dw.taskInstances.length = 0;
    void projectId;
    const { code, report } = await verify();
    expect(verdicts(report)).toMatchObject({ daily: "pending", hourly: "pending" });
    expect(code).toBe(0);
  });

  it("late load: the due ODS partition is missing, nothing failed: late, exit 3, with the next step", async () => {
    seedHealthy();
    const t = mc.tables.get(`${targets.maxcomputeProject}.ods_users_d`)!;
    t.partitionValues = ["ds=20261128"];
    const { code, report } = await verify();
    expect(verdicts(report).daily).toBe("late");
    expect(code).toBe(3);
    const p = problems(report).find((c: any) => c.subject.includes("ods_users_d"));
    expect(p.evidence).toBe("partition ds=20261129 missing; due 2026-11-30 06:00");
    expect(p.next).toMatch(/Operation Center > cycle instances/);
  });

  it("failed node: broken, exit 3, naming the node and the period", async () => {
    seedHealthy();
    const nodeId = [...dw.nodes.values()].find((n) => JSON.parse(n.spec).spec.nodes[0].name === "ads_dau_d")!.id;
    dw.taskInstances.find((i) => i.taskId === dw.taskIdOf(nodeId))!.status = "Failure";
    const { code, report } = await verify();
    expect(verdicts(report).daily).toBe("broken");
    expect(code).toBe(3);
    expect(problems(report)).toEqual([
      expect.objectContaining({ subject: "node ads_dau_d ds=20261129", status: "broken", evidence: "instance of ds=20261129: Failure" }),
    ]);
  });

  it("DTS paused: realtime broken, exit 3, with how to resume", async () => {
    seedHealthy();
    dw.dtsJobs[0].status = "Suspending";
    const { code, report } = await verify();
    expect(verdicts(report)).toMatchObject({ daily: "healthy", realtime: "broken" });
    expect(code).toBe(3);
    expect(problems(report)[0]).toMatchObject({ subject: "DTS job photo-analytics-test-realtime", evidence: "Status Suspending (paused)" });
    expect(problems(report)[0].next).toMatch(/pulumi up -s test/);
  });

  it("DTS delay above realtime.dts.delayThresholdSeconds: realtime late", async () => {
    seedHealthy();
    dw.dtsJobs[0].delayMs = 45_000;
    const { report } = await verify();
    expect(verdicts(report).realtime).toBe("late");
    expect(problems(report)[0].evidence).toBe("delay 45 s > 10 s (realtime.dts.delayThresholdSeconds)");
  });

  it("reports the freshness of every realtime metric: the node or the import stalled makes realtime late, naming the metric and the next step", async () => {
    expect(targets.rtMetrics).toEqual({
      project: targets.tracking!.project,
      logstore: `${targets.tracking!.logstore}_metrics`,
      metrics: [
        { metric: "online_users", table: "rt_online_users", always: true },
        { metric: "dau_today", table: "rt_dau_daily", always: true },
        { metric: "photos_last_hour", table: "rt_photos_per_minute", always: true },
        { metric: "funnel_users", table: "rt_funnel_daily", always: false },
        { metric: "conversion_rate", table: "rt_funnel_daily", always: false },
        { metric: "recent_login", table: "rt_recent_logins", always: false },
      ],
      maxAgeMinutes: 15,
    });
    seedHealthy();
    const key = (m: string) => `${targets.rtMetrics!.project}/${targets.rtMetrics!.logstore}?metric: ${m}`;
    sls.histogramCounts.delete(key("dau_today"));
    sls.histogramCounts.delete(key("recent_login"));
    const { code, report } = await verify();
    expect(verdicts(report).realtime).toBe("late");
    expect(code).toBe(3);
    const rt = report.tiers.find((t: any) => t.tier === "realtime").checks.filter((c: any) => c.subject.startsWith("realtime metric"));
    expect(rt.map((c: any) => [c.subject.split(" in SLS")[0], c.status, c.evidence])).toEqual([
      ["realtime metric online_users (rt_online_users)", "ok", "4 rows in the last 15 min"],
      ["realtime metric dau_today (rt_dau_daily)", "late", "no rows in the last 15 min (three intervals of realtime.metrics.intervalMinutes)"],
      ["realtime metric photos_last_hour (rt_photos_per_minute)", "ok", "4 rows in the last 15 min"],
      ["realtime metric funnel_users (rt_funnel_daily)", "ok", "4 rows in the last 15 min"],
      ["realtime metric conversion_rate (rt_funnel_daily)", "ok", "4 rows in the last 15 min"],
      [
        "realtime metric recent_login (rt_recent_logins)",
        "ok",
        "no rows in the last 15 min: written only when there is one to list (a page view today, a login)",
      ],
    ]);
    expect(rt[1].next).toMatch(/^open DataWorks > Operation Center > the rt_metrics node's last instances, then SLS > .* > Data Import > rt-metrics-import/);
  });

  it("no events: tracking broken, exit 3", async () => {
    seedHealthy();
    sls.histogramCounts.delete(`${targets.tracking!.project}/${targets.tracking!.logstore}`);
    const { code, report } = await verify();
    expect(verdicts(report).tracking).toBe("broken");
    expect(code).toBe(3);
    expect(problems(report)[0].evidence).toBe("no events in the last 60 min");
  });

  it("missing permission: cannot check, exit 2, naming the RAM action; no stack trace", async () => {
    seedHealthy();
    dw.failNext("ListDIJobs", { status: 403, code: "Forbidden.RAM", message: "You are not authorized to do this action." }, 20);
    const { code, report, err } = await verify();
    expect(err).toBe("");
    expect(verdicts(report)).toMatchObject({ daily: "unknown", hourly: "unknown", realtime: "healthy" });
    expect(code).toBe(2);
    const p = problems(report)[0];
    expect(p.evidence).toMatch(/^dataworks:ListDIJobs: Forbidden.RAM/);
    expect(p.next).toBe("grant the read-only RAM action dataworks:ListDIJobs to the identity verify runs as (docs/first-hour.md lists them all)");
  });

  it("no credentials: cannot check, exit 2, one message naming the variables, no request sent", async () => {
    seedHealthy();
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (/^(ALIBABA_CLOUD|ALICLOUD)_/.test(k)) delete process.env[k];
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
    process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "verify-home-"));
    try {
      const { code, report, err } = await verify({ credentials: null, env: { ...env } });
      expect(report).toBeUndefined();
      expect(code).toBe(2);
      expect(err).toMatch(/^verify: cannot check: no Alibaba Cloud credentials: set .*ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.*\n$/);
      expect(err.split("\n")).toHaveLength(2);
      expect(dw.requests).toEqual([]);
    } finally {
      process.env = saved;
    }
  });

  it("text output: per tier the verdict, then each problem with its next step", async () => {
    seedHealthy();
    dw.dtsJobs[0].status = "Suspending";
    let out = "";
    const code = await main(["--stack", "test", "--config-file", stackFile], {
      stdout: (s) => (out += s),
      stderr: () => {},
      now: NOW,
      env,
      credentials: CREDS,
    });
    expect(code).toBe(3);
    expect(out).toContain("daily: HEALTHY — ds=20261129 (due 2026-11-30 06:00 Asia/Shanghai)");
    expect(out).toContain("realtime: BROKEN");
    expect(out).toContain("  [broken] DTS job photo-analytics-test-realtime: Status Suspending (paused)");
    expect(out).toMatch(/exit 3 \(late or broken\)\n$/);
  });
});
