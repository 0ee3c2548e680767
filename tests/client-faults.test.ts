/**
 * Every API client one way under faults (issue 24 item 8): each client, against its fake, retries
 * throttling, a 5xx and a timeout with backoff and then answers as if nothing happened; gives up
 * after the policy's attempts with its own AlibabaApiError saying so; and a create whose answer
 * was lost (the call took effect) makes one object, never two, while a create it cannot look up
 * (a deployment process, a SQL instance) is not sent again.
 */
import { AlibabaApiError } from "../providers/common/errors";
import { BssClient } from "../providers/bss/client";
import { DatahubClient, OdpsSinkConfig } from "../providers/datahub/client";
import { DataWorksClient } from "../providers/dataworks/client";
import { DtsClient } from "../providers/dts/client";
import { FlinkClient } from "../providers/flink/client";
import { MaxComputeClient } from "../providers/maxcompute/client";
import { SlsClient } from "../providers/sls/client";
import { exportConfiguration } from "../providers/sls/maxcompute-export";
import { ACCOUNT_PRICING, ACCOUNT_PRODUCTS } from "./support/bss-account";
import { FakeBss } from "./support/fake-bss";
import { FakeDatahub } from "./support/fake-datahub";
import { FakeDataWorks } from "./support/fake-dataworks";
import { FakeFlink } from "./support/fake-flink";
import { FakeMaxCompute } from "./support/fake-maxcompute";
import { exampleExportInputs, routeHostsToLocalhost, startFakeSls } from "./support/fake-sls";
import { FaultInjector, FaultKind } from "./support/faults";

const AK = { accessKeyId: "LTAI-faults", accessKeySecret: "faults-secret" };
/** Fast: 1 ms backoff, 150 ms to wait for an answer. */
const RETRY = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 4 };
const ENV = { PHOTO_ANALYTICS_API_READ_TIMEOUT_MS: "150" };
const KINDS: FaultKind[] = ["throttling", "server", "timeout"];

/** A fake and a client against it, and one read and one create of the client. */
interface Rig {
  readonly faults: FaultInjector;
  /** A read (idempotent). */
  readonly readAction: string;
  read(): Promise<unknown>;
  /** A create with a look-up (after a lost answer, it finds what it made), and how many objects exist. */
  readonly createAction?: string;
  create?(): Promise<unknown>;
  count?(): number;
  /** A create without a look-up: not repeated when its outcome is unknown. */
  readonly onceAction?: string;
  once?(): Promise<unknown>;
  readonly service: string;
  stop(): Promise<void>;
  violations(): string[];
}

const SPEC = JSON.stringify({ version: "1.1.0", kind: "Node", spec: { nodes: [{ name: "n1", script: { runtime: { command: "ODPS_SQL" } } }] } });
const SINK: OdpsSinkConfig = {
  Project: "pa",
  Table: "t",
  OdpsEndpoint: "http://mc",
  TunnelEndpoint: "http://dt",
  PartitionMode: "SYSTEM_TIME",
  TimeRange: 60,
  PartitionConfig: { ds: "%Y%m%d" },
};

const RIGS: Record<string, () => Promise<Rig>> = {
  async DataWorks() {
    const fake = new FakeDataWorks(AK.accessKeyId, AK.accessKeySecret);
    const url = await fake.start();
    const client = new DataWorksClient({ region: "cn-shanghai", credentials: AK, env: { ...ENV, PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: url }, retry: RETRY });
    const nodeId = fake.addDeployedNode("4711", "seed", 1);
    return {
      faults: fake.faults,
      service: "DataWorks",
      readAction: "GetNode",
      read: () => client.getNode({ projectId: "4711", id: nodeId }),
      createAction: "CreateNode",
      create: () => client.createNode({ projectId: "4711", spec: SPEC, scene: "DATAWORKS_PROJECT" }),
      count: () => [...fake.nodes.values()].filter((n) => n.spec.includes('"n1"')).length,
      onceAction: "CreatePipelineRun",
      once: () => client.createPipelineRun({ projectId: "4711", type: "Online", objectId: nodeId }),
      stop: () => fake.stop(),
      violations: () => fake.modelViolations,
    };
  },
  async DTS() {
    const fake = new FakeDataWorks(AK.accessKeyId, AK.accessKeySecret);
    const url = await fake.start();
    fake.addDtsJob("photo-analytics-prod-realtime", "Synchronizing", 1200);
    const client = new DtsClient("cn-shanghai", AK, { ...ENV, PHOTO_ANALYTICS_DTS_ENDPOINT: url }, { retry: RETRY });
    return {
      faults: fake.faults,
      service: "DTS",
      readAction: "DescribeDtsJobs",
      read: () => client.describeSyncJobsByName("photo-analytics-prod-realtime"),
      stop: () => fake.stop(),
      violations: () => fake.modelViolations,
    };
  },
  async SLS() {
    const fake = await startFakeSls();
    const undo = routeHostsToLocalhost("sls.test");
    const job = exampleExportInputs(fake.port);
    const client = new SlsClient({
      region: "cn-shanghai",
      endpoint: job.endpoint,
      credentials: { accessKeyId: "LTAItestkeyid000", accessKeySecret: "test-secret-not-real" },
      env: ENV,
      retry: RETRY,
    });
    const req = { name: job.exportName, displayName: job.displayName, description: "", configuration: exportConfiguration(job) };
    return {
      faults: fake.faults,
      service: "SLS",
      readAction: "GetHistograms",
      read: () => client.getHistograms(job.project, "user_events", { from: 1, to: 2, query: "*" }),
      createAction: "CreateMaxComputeExport",
      create: () => client.createMaxComputeExport(job.project, req),
      count: () => fake.exports.size,
      stop: async () => {
        undo();
        await fake.close();
      },
      violations: () => fake.modelViolations,
    };
  },
  async MaxCompute() {
    const fake = new FakeMaxCompute(AK.accessKeyId, AK.accessKeySecret);
    const endpoint = await fake.start();
    fake.createTable("pa", "t", [["id", "bigint"]]);
    fake.runningPolls = 0;
    const client = new MaxComputeClient({ endpoint, credentials: async () => AK, env: ENV, retry: RETRY, polling: { intervalMs: 1, timeoutMs: 5_000 } });
    return {
      faults: fake.faults,
      service: "MaxCompute",
      readAction: "GetTable",
      read: () => client.getTable("pa", "t"),
      onceAction: "CreateInstance",
      once: () => client.runSql("pa", "ALTER TABLE `t` ADD COLUMNS (`c` BIGINT);"),
      stop: () => fake.stop(),
      violations: () => fake.modelViolations,
    };
  },
  async DataHub() {
    const fake = new FakeDatahub(AK.accessKeyId, AK.accessKeySecret);
    const endpoint = await fake.start();
    const client = new DatahubClient({ endpoint, credentials: async () => AK, env: ENV, retry: RETRY });
    return {
      faults: fake.faults,
      service: "DataHub",
      readAction: "ListConnector",
      read: () => client.listConnectors("pa", "events"),
      createAction: "CreateConnector",
      create: () => client.createConnector("pa", "events", ["a"], SINK),
      count: () => fake.connectors.get("pa/events")?.size ?? 0,
      stop: () => fake.stop(),
      violations: () => fake.modelViolations,
    };
  },
  async Flink() {
    const fake = new FakeFlink(AK.accessKeyId);
    const url = await fake.start();
    const jobId = fake.addJob("ws", "ns");
    const client = new FlinkClient({ region: "cn-shanghai", credentials: AK, env: { ...ENV, PHOTO_ANALYTICS_FLINK_ENDPOINT: url }, retry: RETRY });
    return {
      faults: fake.faults,
      service: "Flink",
      readAction: "GetJob",
      read: () => client.getJob({ workspace: "ws", namespace: "ns", jobId }),
      stop: () => fake.stop(),
      violations: () => fake.modelViolations,
    };
  },
  async BSS() {
    const fake = new FakeBss(AK.accessKeySecret, ACCOUNT_PRODUCTS, ACCOUNT_PRICING);
    const url = await fake.start();
    const client = new BssClient(AK, { ...ENV, PHOTO_ANALYTICS_BSS_ENDPOINT: url }, { retry: RETRY });
    return {
      faults: fake.faults,
      service: "BSS",
      readAction: "QueryProductList",
      read: () => client.queryProductList(),
      stop: () => fake.stop(),
      violations: () => fake.modelViolations,
    };
  },
};

describe.each(Object.keys(RIGS))("%s client under faults", (name) => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await RIGS[name]();
  });
  afterEach(async () => {
    await rig.stop();
    expect(rig.violations()).toEqual([]);
  });

  it.each(KINDS)("a read retries %s (twice in a row) with backoff and then answers", async (kind) => {
    const clean = await rig.read();
    rig.faults.plan({ action: rig.readAction, kind, when: "after", times: 2 });
    expect(await rig.read()).toEqual(clean);
    expect(rig.faults.fired.map((f) => f.kind)).toEqual([kind, kind]);
  });

  it("a read still failing after every attempt is the client's AlibabaApiError, saying so", async () => {
    rig.faults.plan({ action: rig.readAction, kind: "server", times: 10 });
    const e = await rig.read().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AlibabaApiError);
    expect(e).toMatchObject({ service: name, action: rig.readAction, statusCode: 500 });
    expect((e as Error).message).toContain(`(still failing after ${RETRY.maxAttempts} attempts)`);
    expect(rig.faults.fired).toHaveLength(RETRY.maxAttempts);
  });

  it("a create whose answer was lost (5xx or timeout after it took effect) makes one object, and answers it", async () => {
    if (!rig.create) return;
    for (const kind of ["server", "timeout"] as const) {
      rig.faults.plan({ action: rig.createAction!, kind, when: "after" });
      await rig.create();
      expect([kind, rig.count!()]).toEqual([kind, 1]);
      if (name === "DataWorks" || name === "DataHub" || name === "SLS") break; // a second create would meet the first (name taken)
    }
  });

  it("a create refused by a 5xx before it took effect is sent again and makes one object", async () => {
    if (!rig.create) return;
    rig.faults.plan({ action: rig.createAction!, kind: "server", when: "before", times: 2 });
    await rig.create();
    expect(rig.count!()).toBe(1);
  });

  it("a create it cannot look up is not sent again when its outcome is unknown", async () => {
    if (!rig.once) return;
    rig.faults.plan({ action: rig.onceAction!, kind: "server", when: "after" });
    const e = await rig.once().catch((x: unknown) => x);
    expect(e).toMatchObject({ service: name, action: rig.onceAction, statusCode: 500 });
    expect(rig.faults.fired).toHaveLength(1);
  });
});
