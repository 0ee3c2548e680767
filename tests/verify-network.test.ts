/**
 * `npm run verify` when no answer comes back (issue 22, item 6): DNS (an unresolvable host under
 * the reserved `.invalid` TLD), a refused connection (a port just closed), a server that accepts
 * and never answers (the timeout), and TLS (an https endpoint that answers plain text). Each is
 * "cannot check" (VERIFY_EXIT.cannotCheck) with one message for the whole run naming the
 * endpoints: never "broken", never once per object. The regression that started it: a DNS
 * `ENOTFOUND` read as "not found" made the SLS export "broken: no such export job".
 * In-process, on the collector and the verdict (the command's own parsing is tests/verify.test.ts).
 */
import * as net from "net";
import { AddressInfo } from "net";
import { loadConfig } from "../lib/stack/load";
import { verifyTargets, type VerifyTargets } from "../lib/verify/targets";
import { instantOf } from "../lib/verify/periods";
import { evaluate, formatVerifyReport, VERIFY_EXIT, type VerifyReport } from "../lib/verify/verdict";
import { collectFacts } from "../providers/verify/collect";
import { isNotFound, mapOpenApiError, AlibabaApiError, transportFailure, withoutRequestTail } from "../providers/common/errors";
import { isNotFound as slsIsNotFound } from "../providers/sls/client";
import { EXPORT_NAME } from "../lib/sls/sls-objects";
import { snapshotReader } from "../project-files";
import { input } from "./support/config";
import { FakeDataWorks } from "./support/fake-dataworks";
import { FakeMaxCompute } from "./support/fake-maxcompute";
import { routeHostsToLocalhost, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from "./support/fake-sls";

const NOW = Date.UTC(2026, 10, 30, 3, 0);
const CREDS = { accessKeyId: TEST_ACCESS_KEY_ID, accessKeySecret: TEST_ACCESS_KEY_SECRET };
const TRACKING_PROJECT = "photo-analytics-test-tracking";

let targets: VerifyTargets;
let undoDns: () => void;

beforeAll(() => {
  // A mature stack on DTS with tracking and its export: every kind of read verify makes.
  const config = loadConfig(input({ "photo-analytics:stage": "mature" }), snapshotReader());
  targets = verifyTargets(config, { platform: "analytics", exportName: EXPORT_NAME });
  expect(targets.dtsJob).toBeDefined();
  expect(targets.tracking?.exportName).toBe(EXPORT_NAME);
  undoDns = routeHostsToLocalhost("sls.test");
});
afterAll(() => undoDns());

/** Every endpoint verify reads, pointed at `base` (SLS at `sls` when given). */
function endpoints(base: string, sls = base): Record<string, string> {
  return {
    PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: base,
    PHOTO_ANALYTICS_DTS_ENDPOINT: base,
    PHOTO_ANALYTICS_MAXCOMPUTE_ENDPOINT: `${base}/api`,
    PHOTO_ANALYTICS_SLS_ENDPOINT: sls,
  };
}

async function verify(env: Record<string, string>, callTimeoutMs = 5_000): Promise<{ report: VerifyReport; text: string }> {
  const facts = await collectFacts(targets, { now: NOW, env, callTimeoutMs, credentials: CREDS });
  const report = evaluate("test", targets, facts, NOW);
  return { report, text: formatVerifyReport(report) };
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A TCP server that runs `onConnection` for each socket (and can destroy them all). */
async function tcpServer(onConnection: (s: net.Socket) => void): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {});
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The run-level shape every transport failure must have. */
function expectCannotCheckOnce(report: VerifyReport, text: string): void {
  expect(report.exitCode).toBe(VERIFY_EXIT.cannotCheck);
  expect(Object.fromEntries(report.tiers.map((t) => [t.tier, t.verdict]))).toEqual({
    daily: "unknown",
    hourly: "unknown",
    realtime: "unknown",
    tracking: "unknown",
  });
  // Never "broken", never one check per object: the tiers carry only how many objects were not read.
  expect(report.tiers.flatMap((t) => t.checks)).toEqual([]);
  expect(report.tiers.map((t) => t.notRead)).toEqual([17, 11, 7, 2]);
  expect(text).not.toMatch(/broken|BROKEN/);
  expect(text.match(/^cannot check: /gm)).toHaveLength(1);
  expect(text.match(/next: /g)).toHaveLength(1);
  // The httpx tail (`...GET http://host/... failed.`) is not glued to the cause any more.
  expect(text).not.toMatch(/failed\./);
  expect(text.endsWith(`\nexit ${VERIFY_EXIT.cannotCheck} (cannot check)\n`)).toBe(true);
}

describe("verify with no answer from the endpoints: cannot check, one message", () => {
  it("DNS: the host does not resolve", async () => {
    const { report, text } = await verify(endpoints("http://nosuchhost.invalid"));
    expectCannotCheckOnce(report, text);
    // A resolver without network says EAI_AGAIN instead of ENOTFOUND.
    const dns = /^(ENOTFOUND: the host name does not resolve \(DNS\)|EAI_AGAIN: DNS lookup failed \(temporary failure in name resolution\))$/;
    expect(report.unreachable!.endpoints.map((e) => e.endpoint)).toEqual(["nosuchhost.invalid", `${TRACKING_PROJECT}.nosuchhost.invalid`]);
    for (const e of report.unreachable!.endpoints) for (const r of e.reasons) expect(r).toMatch(dns);
    expect(report.unreachable!.next).toBe(
      "check that this machine reaches Alibaba Cloud (DNS, firewall, proxy: HTTPS_PROXY), then run verify again; nothing behind these endpoints was checked",
    );
  });

  it("connection refused: a closed port", async () => {
    const port = await closedPort();
    const { report, text } = await verify(endpoints(`http://127.0.0.1:${port}`, `http://sls.test:${port}`));
    expectCannotCheckOnce(report, text);
    expect(report.unreachable!.message).toBe(
      `no answer from 127.0.0.1:${port} (ECONNREFUSED: connection refused), ${TRACKING_PROJECT}.sls.test:${port} (ECONNREFUSED: connection refused)`,
    );
    expect(text).toContain(`cannot check: ${report.unreachable!.message}\n`);
  });

  it("timeout: a server that accepts and never answers", async () => {
    const silent = await tcpServer(() => {});
    try {
      const started = Date.now();
      const { report, text } = await verify(endpoints(`http://127.0.0.1:${silent.port}`, `http://sls.test:${silent.port}`), 400);
      expectCannotCheckOnce(report, text);
      for (const e of report.unreachable!.endpoints) for (const r of e.reasons) expect(r).toMatch(/^ETIMEDOUT: no answer/);
      // Every read in parallel, each under its timeout (ListTaskInstances waits behind ListNodes).
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await silent.close();
    }
  });

  it("TLS: an https endpoint that answers plain text", async () => {
    const plain = await tcpServer((s) => s.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
    try {
      const { report, text } = await verify(endpoints(`https://127.0.0.1:${plain.port}`, `https://sls.test:${plain.port}`));
      expectCannotCheckOnce(report, text);
      expect(report.unreachable!.endpoints.map((e) => e.endpoint)).toEqual([`127.0.0.1:${plain.port}`, `${TRACKING_PROJECT}.sls.test:${plain.port}`]);
    } finally {
      await plain.close();
    }
  });

  it("only SLS unreachable: the other tiers are read and healthy, tracking cannot check (was: broken, no such export job)", async () => {
    const dw = new FakeDataWorks(TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET);
    const mc = new FakeMaxCompute(TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET);
    const [dwUrl, mcUrl] = [await dw.start(), await mc.start()];
    try {
      const projectId = dw.addProject(targets.workspaceName);
      for (const layer of ["daily", "hourly"] as const) {
        const b = targets[layer]!;
        for (const j of b.jobs) dw.addDiJob(projectId, j, "Running");
        for (const t of b.tables) {
          const parts: [string, string][] =
            layer === "daily"
              ? [["ds", "string"]]
              : [
                  ["ds", "string"],
                  ["hh", "string"],
                ];
          mc.createTable(targets.maxcomputeProject, t, [["id", "bigint"]], parts);
          mc.tables.get(`${targets.maxcomputeProject}.${t}`)!.partitionValues = [layer === "daily" ? "ds=20261129" : "ds=20261130/hh=09"];
        }
        for (const n of b.nodes) {
          const id = dw.addDeployedNode(projectId, n, NOW - 30 * 86_400_000);
          const bizdate = instantOf({ year: 2026, month: 11, day: 29, hour: 0, minute: 0 }, "Asia/Shanghai");
          dw.addTaskInstance({
            projectId,
            taskId: dw.taskIdOf(id),
            bizdate,
            status: "Success",
            triggerTime: layer === "daily" ? NOW - 5 * 3600_000 : NOW - 45 * 60_000,
          });
        }
      }
      dw.addDtsJob(targets.dtsJob!.name, "Synchronizing", 1_000);
      const env = {
        PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: dwUrl,
        PHOTO_ANALYTICS_DTS_ENDPOINT: dwUrl,
        PHOTO_ANALYTICS_MAXCOMPUTE_ENDPOINT: mcUrl,
        PHOTO_ANALYTICS_SLS_ENDPOINT: "http://nosuchhost.invalid",
      };
      const { report, text } = await verify(env);
      // The realtime metrics are read from SLS too: the DTS job is checked, the six metrics are not.
      expect(Object.fromEntries(report.tiers.map((t) => [t.tier, t.verdict]))).toEqual({
        daily: "healthy",
        hourly: "healthy",
        realtime: "unknown",
        tracking: "unknown",
      });
      expect(report.exitCode).toBe(VERIFY_EXIT.cannotCheck);
      expect(report.tiers.find((t) => t.tier === "realtime")).toMatchObject({
        checks: [{ subject: `DTS job ${targets.dtsJob!.name}`, status: "ok" }],
        notRead: 6,
      });
      expect(report.tiers.find((t) => t.tier === "tracking")).toMatchObject({ checks: [], notRead: 2 });
      expect(report.unreachable!.endpoints.map((e) => e.endpoint)).toEqual([`${TRACKING_PROJECT}.nosuchhost.invalid`]);
      expect(text).not.toContain("no such export job");
    } finally {
      await dw.stop();
      await mc.stop();
    }
  });
});

describe("transport failures are no answer, not 'not found'", () => {
  const dnsError = Object.assign(new Error("getaddrinfo ENOTFOUND x.invalidGET http://x.invalid/?a=1 failed."), { code: "ENOTFOUND" });

  it.each([
    ["Node DNS error", "ENOTFOUND", dnsError],
    ["temporary DNS failure", "EAI_AGAIN", Object.assign(new Error("getaddrinfo EAI_AGAIN x"), { code: "EAI_AGAIN" })],
    ["connection reset", "ECONNRESET", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })],
    [
      "fetch's network error",
      "ECONNREFUSED",
      new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) }),
    ],
    ["httpx read timeout", "ETIMEDOUT", Object.assign(new Error("ReadTimeout(300). GET http://x/ failed."), { name: "RequestTimeoutError" })],
    ["TLS certificate", "DEPTH_ZERO_SELF_SIGNED_CERT", Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" })],
  ])("%s is a transport failure (%s)", (_name, code, e) => {
    expect(transportFailure(e)?.code).toBe(code);
  });

  it("an API answer (HTTP status) is not a transport failure", () => {
    expect(transportFailure(Object.assign(new Error("gone"), { code: "ENOTFOUND", statusCode: 404 }))).toBeUndefined();
    expect(transportFailure(Object.assign(new Error("x"), { code: "JobNotExist", data: { statusCode: 404 } }))).toBeUndefined();
  });

  it("isNotFound (common and SLS) is false for a DNS failure, true for an API's 404", () => {
    const mapped = mapOpenApiError(dnsError, { action: "GetNode", endpoint: "https://x.invalid" }, (x) => new AlibabaApiError({ service: "DataWorks", ...x }));
    expect(mapped.code).toBe("ENOTFOUND");
    expect(isNotFound(mapped)).toBe(false);
    expect(slsIsNotFound(dnsError)).toBe(false);
    expect(slsIsNotFound(Object.assign(new Error("job does not exist"), { code: "JobNotExist", statusCode: 404 }))).toBe(true);
    expect(isNotFound({ code: "Invalid.Node.NotExists", statusCode: 400 })).toBe(true);
  });

  it("the httpx request tail is cut from a network error's message", () => {
    expect(withoutRequestTail(dnsError.message)).toBe("getaddrinfo ENOTFOUND x.invalid");
    const mapped = mapOpenApiError(dnsError, { action: "GetNode", endpoint: "https://x.invalid" }, (x) => new AlibabaApiError({ service: "DataWorks", ...x }));
    expect(mapped.apiMessage).toBe("could not reach https://x.invalid: getaddrinfo ENOTFOUND x.invalid");
  });
});
