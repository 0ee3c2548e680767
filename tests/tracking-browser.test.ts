/**
 * The web-tracking example in real headless Chromium (Debian `chromium`,
 * playwright-core, no downloaded browsers) against the local fake SLS
 * web-tracking endpoint: requests arrive in the SLS web-tracking format, every
 * event validates against the event schema, and the 4,096 logs / 3 MB
 * request limits hold.
 *
 * Skipped only when /usr/bin/chromium is absent (CI installs it:
 * `apt-get update && apt-get install -y chromium`).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { pageConfigFromOutputs } from "../examples/web-tracking/config";
import { ExampleServer, startExampleServer } from "../examples/web-tracking/serve";
import { MAX_BYTES_PER_REQUEST, MAX_LOGS_PER_REQUEST, validateEvent } from "../lib/sls/event-schema";
import { FakeSls, RecordedRequest, startFakeSls } from "./support/fake-sls";

/**
 * The browser: CHROMIUM_PATH (scripts/test.sh sets it), else Debian's chromium, else the Chromium
 * or Chrome of GitHub's Ubuntu image.
 */
const BROWSERS = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];
const CHROMIUM = BROWSERS.find((b): b is string => !!b && fs.existsSync(b)) ?? "/usr/bin/chromium";
const haveChromium = fs.existsSync(CHROMIUM);
// scripts/test.sh (and so CI) finds or installs a browser and sets REQUIRE_CHROMIUM=1: there, a
// missing browser is a failure, not a skip.
if (!haveChromium && process.env.REQUIRE_CHROMIUM === "1") {
  throw new Error(`no browser at ${BROWSERS.filter(Boolean).join(", ")} but REQUIRE_CHROMIUM=1: apt-get install -y chromium, or set CHROMIUM_PATH`);
}
if (!haveChromium) {
  console.warn(`tracking-browser tests SKIPPED: no browser at ${BROWSERS.filter(Boolean).join(", ")} (install: apt-get update && apt-get install -y chromium)`);
}
const describeBrowser = haveChromium ? describe : describe.skip;

const PROJECT = "photo-tracking";
const REGION_HOST = "cn-shanghai.log.aliyuncs.com";

function logsOf(r: RecordedRequest): Record<string, string>[] {
  return JSON.parse(r.body.toString()).__logs__;
}

async function waitForLogs(fake: FakeSls, count: number, timeoutMs = 20000): Promise<Record<string, string>[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const logs = fake.trackRequests().flatMap(logsOf);
    if (logs.length >= count) return logs;
    if (Date.now() > deadline) throw new Error(`fake SLS received ${logs.length} logs, expected ${count}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeBrowser("web-tracking example in headless Chromium", () => {
  jest.setTimeout(120000);
  let fake: FakeSls;
  let site: ExampleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;

  beforeAll(async () => {
    fake = await startFakeSls();
    // The page config comes from the stack outputs, as in production; `http`
    // because the fake has no TLS. Chromium resolves the SLS host to the fake.
    const config = pageConfigFromOutputs(
      { webTracking: { host: REGION_HOST, project: PROJECT, logstore: "user_events" } },
      { scheme: "http", time: 1, count: 10, appVersion: "1.2.3" },
    );
    site = await startExampleServer(config);
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tracking-chromium-"));
    const { chromium } = await import("playwright-core");
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-quic",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        `--host-resolver-rules=MAP *.log.aliyuncs.com 127.0.0.1:${fake.port}`,
      ],
    });
    browser = context.browser()!;
    page = await context.newPage();
    page.on("pageerror", (e) => {
      throw e;
    });
  });

  afterAll(async () => {
    await context?.close();
    await site?.close();
    await fake?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    void browser;
  });

  beforeEach(() => {
    fake.requests.length = 0;
  });

  it("tracks page views and photo events in the SLS web-tracking format", async () => {
    await page.goto(`${site.url}/?user=u-1001#home`);
    await page.click("#nav-camera");
    await page.click("#upload"); // photo_upload, then navigates to #result
    await page.waitForFunction(() => location.hash === "#result");
    await page.click("#share");
    await page.evaluate(() => (window as any).photoTracking.flush());

    const logs = await waitForLogs(fake, 5);
    const requests = fake.trackRequests();
    for (const r of requests) {
      expect(r.problems).toEqual([]);
      expect(r.method).toBe("POST");
      expect(r.path).toBe("/logstores/user_events/track");
      expect(r.query).toEqual({ APIVersion: "0.6.0" });
      expect(r.host).toBe(`${PROJECT}.${REGION_HOST}`);
      expect(Object.keys(JSON.parse(r.body.toString()))).toEqual(["__logs__"]);
    }
    for (const log of logs) expect(validateEvent(log)).toEqual({ ok: true, errors: [] });

    expect(logs.map((l) => [l.event_name, l.page_name])).toEqual([
      ["page_view", "home"],
      ["page_view", "camera"],
      ["photo_upload", "camera"],
      ["page_view", "result"],
      ["photo_share", "result"],
    ]);
    expect(new Set(logs.map((l) => l.user_id))).toEqual(new Set(["u-1001"]));
    expect(new Set(logs.map((l) => l.session_id)).size).toBe(1);
    expect(logs.every((l) => l.platform === "web" && l.app_version === "1.2.3")).toBe(true);
    expect(JSON.parse(logs[2].event_params)).toEqual({ photo_id: "p1", size_kb: 512, source: "camera" });
  });

  it("splits 10,000 events into requests of at most 4,096 logs", async () => {
    const requestCount = await page.evaluate(() => {
      const events = Array.from({ length: 10000 }, (_, i) => ({ event_name: "photo_view", params: { photo_id: `p${i}` } }));
      return (window as any).photoTracking.trackMany(events);
    });
    expect(requestCount).toBe(3);
    const logs = await waitForLogs(fake, 10000);
    const requests = fake.trackRequests();
    expect(requests.map((r) => logsOf(r).length).sort((a, b) => b - a)).toEqual([4096, 4096, 1808]);
    for (const r of requests) {
      expect(r.problems).toEqual([]);
      expect(logsOf(r).length).toBeLessThanOrEqual(MAX_LOGS_PER_REQUEST);
    }
    expect(new Set(logs.map((l) => JSON.parse(l.event_params).photo_id)).size).toBe(10000);
    expect(logs.every((l) => validateEvent(l).ok)).toBe(true);
  });

  it("splits large events into requests of at most 3 MB, and drops an event that alone exceeds it", async () => {
    const result = await page.evaluate(() => {
      const pad = "x".repeat(200 * 1024);
      const events = Array.from({ length: 40 }, (_, i) => ({ event_name: "feedback_submit", params: { n: i, text: pad } }));
      const t = (window as any).photoTracking;
      const requests = t.trackMany(events);
      const before = t.dropped;
      t.trackMany([{ event_name: "feedback_submit", params: { text: "y".repeat(3 * 1024 * 1024) } }]);
      return { requests, dropped: t.dropped - before };
    });
    expect(result.dropped).toBe(1);
    const logs = await waitForLogs(fake, 40);
    const requests = fake.trackRequests();
    expect(requests).toHaveLength(result.requests);
    expect(requests.length).toBeGreaterThanOrEqual(3); // 40 x ~200 KB = ~8 MB
    for (const r of requests) {
      expect(r.problems).toEqual([]);
      expect(r.body.length).toBeLessThanOrEqual(MAX_BYTES_PER_REQUEST);
    }
    expect(logs.map((l) => JSON.parse(l.event_params).n).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });
});
