import { readSchemaSnapshot } from "../project-files";
/**
 * RealtimeSync under Pulumi mocks: exact child types, inputs and counts, per
 * stage and input, and what each config change (on/off, adding a table,
 * upgrading the class, contacts) does to the resources.
 */
import * as fs from "fs";
import { CONFIG_DEFAULTS, TRACKING_EXTRA_DEFAULTS } from "../lib/config/defaults";
import { TEST_SOURCE } from "./support/config";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { STAGES, Stage, StackConfig, TableConfig } from "../lib/config/types";
import { DEFAULT_TABLES, defaultRealtime, stageHasLayer } from "../lib/config/stage-catalog";
import { setTestMocks } from "./support/mocks";

/** The managed writer's AccessKey secret as the mock RAM returns it: it must never appear in plain text. */
const WRITER_SECRET = "AKSECRET-never-in-plain-text";

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
let recorded: Recorded[] = [];

setTestMocks({
  newResource: (args) => {
    recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
    // As RAM answers CreateAccessKey: the id is the AccessKeyId, the secret a computed output.
    if (args.type === "alicloud:ram/accessKey:AccessKey")
      return { id: `LTAI-${args.name}`, state: { ...args.inputs, secret: `${WRITER_SECRET}-${args.name}` } };
    return { id: `${args.name}-id`, state: args.inputs };
  },
  call: (args) => (args.token === "alicloud:index/getCallerIdentity:getCallerIdentity" ? { accountId: "5527000000000000" } : args.inputs),
});

// Imported after setMocks so the component registers against the mock monitor.

const { RealtimeSync, realtimeSyncArgs, realtimeChildNames, INSTANCE_OPTIONS, JOB_OPTIONS, DELAY_ALARM_OPTIONS } =
  require("../components/dts/realtime-sync") as typeof import("../components/dts/realtime-sync");
type RealtimeSyncT = InstanceType<typeof RealtimeSync>;

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VAL = "1b47061264138c4ac30d75fd1eb44270";
/** A secret input as the mock monitor receives it. */
const secretOf = (value: unknown) => ({ [SECRET_SIG]: SECRET_VAL, value });
const isSecret = (v: unknown): boolean => typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VAL;

const FORCE_NEW: Record<string, string[]> = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../lib/plan/replacement-forcing-inputs.json"), "utf8"));

const secrets = {
  sourcePassword: pulumi.secret("s3cret-pw"),
  maxcomputeAccessKeyId: pulumi.secret("LTAI-test-id"),
  maxcomputeAccessKeySecret: pulumi.secret("test-key-secret"),
};

function tablesFor(stage: Stage): TableConfig[] {
  return DEFAULT_TABLES.map((t) => ({
    name: t.name,
    primaryKey: ["id"],
    incrementalColumn: t.incrementalColumn,
    tier: "daily",
    realtime: defaultRealtime(stage, t.name),
    hourlyTable: false,
  }));
}

function configFor(
  stage: Stage,
  over: Partial<StackConfig["realtime"]["dts"]> & {
    enabled?: boolean;
    engine?: StackConfig["realtime"]["engine"];
    source?: Partial<StackConfig["source"]>;
    tables?: TableConfig[];
  } = {},
): StackConfig {
  const { enabled, engine, source, tables, ...dts } = over;
  return {
    stage,
    region: "cn-shanghai",
    source: { ...TEST_SOURCE, ...source },
    tables: tables ?? tablesFor(stage),
    warehouse: {
      projectName: "photo_analytics",
      lifecycleDays: 365,
      tablesCreatedWithLifecycleDays: 365,
      timezone: "Asia/Shanghai",
      quota: "os_PayAsYouGoQuota",
      tableLedgerFile: "sql/maxcompute/ods/photo_assistant.ledger.json",
    },
    dataworks: {
      workspaceName: "photo_analytics",
      resourceGroup: "Serverless_res_group_1",
      requestedCu: 2,
      dailyCron: "00 30 00 * * ?",
      hourlyCron: "00 05 * * * ?",
    },
    realtime: {
      enabled: enabled ?? stageHasLayer(stage, "realtime"),
      engine: engine ?? "dts",
      metrics: { intervalMinutes: 5 },
      alerts: { dauDropPercent: 50, conversionFloorPercent: 1, minDau: 100 },
      flink: {
        vswitchIds: [],
        paymentType: "PayAsYouGo",
        cu: 2,
        parallelism: 1,
        engineVersion: "vvr-8.0.11-flink-1.17",
        diRequestedCu: 2,
        delayThresholdSeconds: 300,
      },
      canalDatahub: { shardCount: 1, lifecycleDays: 3, kafkaSecurityProtocol: "SASL_SSL", nasPath: "/canal", cpu: 1, memoryGiB: 2 },
      dts: {
        instanceClass: "micro",
        paymentType: "PayAsYouGo",
        peakRecordsPerSecond: 100,
        delayThresholdSeconds: 10,
        alertPhones: [],
        writer: "accessKey",
        writerKeyGeneration: 1,
        retiredWriterKeyGeneration: 0,
        ...dts,
      },
    },
    tracking: {
      enabled: true,
      projectName: "photo-analytics-tracking",
      logstore: "user_events",
      retentionDays: 30,
      shardCount: 2,
      dauFloor: 0,
      extra: TRACKING_EXTRA_DEFAULTS,
    },
    budget: {},
    freshness: CONFIG_DEFAULTS.freshness,
    alerts: CONFIG_DEFAULTS.alerts,
    secretsSet: ["sourcePassword", "maxcomputeAccessKeyId", "maxcomputeAccessKeySecret"],
    sourceSchema: readSchemaSnapshot("sql/mysql/photo_assistant.schema.json"),
  };
}

let seq = 0;
/** Builds the layer for `config` (if it has one) and returns what was registered. */
async function build(
  config: StackConfig,
  name = `realtime${++seq}`,
): Promise<{ component?: RealtimeSyncT; byName: Map<string, Recorded>; all: Recorded[]; options: Map<string, pulumi.ResourceOptions> }> {
  recorded = [];
  const options = new Map<string, pulumi.ResourceOptions>();
  const args = realtimeSyncArgs(config, secrets, config.warehouse.projectName);
  let component: RealtimeSyncT | undefined;
  if (args) {
    // A transformation sees every child's resource options (the mocks see only inputs).
    const c = new RealtimeSync(name, args, {
      transformations: [
        (a) => {
          options.set(a.name.slice(name.length), a.opts);
          return undefined;
        },
      ],
    });
    component = c;
    const writer = c.writer ? [c.writer.grant.id, c.writer.summary, ...[...c.writer.keys.values()].map((k) => k.id)] : [];
    await new Promise<void>((resolve) =>
      pulumi
        .all([c.urn, c.instance.id, c.job.id, c.delayAlarm.id, c.writerSummary as pulumi.Output<unknown>, ...(writer as pulumi.Output<unknown>[])])
        .apply(() => resolve()),
    );
  }
  const own = recorded.filter((r) => r.name.startsWith(name));
  return { component, byName: new Map(own.map((r) => [r.name.slice(name.length), r])), all: own, options };
}

/** Inputs that differ between two registrations of the same resource. */
function changed(a: Recorded, b: Recorded): string[] {
  const keys = new Set([...Object.keys(a.inputs), ...Object.keys(b.inputs)]);
  return [...keys].filter((k) => JSON.stringify(a.inputs[k]) !== JSON.stringify(b.inputs[k])).sort();
}

describe("RealtimeSync per stage", () => {
  it.each(STAGES.map((s) => [s]))("%s", async (stage) => {
    const { component, all } = await build(configFor(stage));
    if (stage !== "mature") {
      expect(component).toBeUndefined();
      expect(all).toEqual([]);
      return;
    }
    expect(all.map((r) => r.type)).toEqual([
      RealtimeSync.TYPE,
      "alicloud:dts/synchronizationInstance:SynchronizationInstance",
      "alicloud:dts/synchronizationJob:SynchronizationJob",
      "alicloud:dts/jobMonitorRule:JobMonitorRule",
    ]);
    expect(component!.tableNames).toEqual(["page_views", "photo_records", "users"]);
    expect(component!.viewNames).toEqual(["page_views_realtime", "photo_records_realtime", "users_realtime"]);
  });
});

describe("RealtimeSync children (mature defaults)", () => {
  let byName: Map<string, Recorded>;
  beforeAll(async () => {
    ({ byName } = await build(configFor("mature"), "rt"));
  });

  it("names children after the component", () => {
    expect([...byName.keys()].sort()).toEqual(["", "-delay-alarm", "-instance", "-job"]);
    expect(realtimeChildNames("rt")).toEqual({ instance: "rt-instance", job: "rt-job", delayAlarm: "rt-delay-alarm", writer: "rt-writer" });
  });

  it("instance: MySQL -> odps, one per stack, class and payment from config", () => {
    expect(byName.get("-instance")!.inputs).toEqual({
      paymentType: "PayAsYouGo",
      sourceEndpointEngineName: "MySQL",
      sourceEndpointRegion: "cn-shanghai",
      destinationEndpointEngineName: "odps",
      destinationEndpointRegion: "cn-shanghai",
      instanceClass: "micro",
    });
  });

  it("job: every realtime table, schema + full + incremental, public-IP source, MaxCompute destination with the AccessKey pair as secrets", () => {
    expect(byName.get("-job")!.inputs).toEqual({
      dtsInstanceId: "rt-instance-id",
      dtsJobName: "photo-analytics-realtime",
      structureInitialization: true,
      dataInitialization: true,
      dataSynchronization: true,
      dbList: JSON.stringify({
        photo_assistant: {
          name: "photo_assistant",
          all: false,
          Table: { page_views: { name: "page_views", all: true }, photo_records: { name: "photo_records", all: true }, users: { name: "users", all: true } },
        },
      }),
      reserve: '{"targetTableMode":"0"}',
      sourceEndpointEngineName: "MySQL",
      sourceEndpointInstanceType: "OTHER",
      sourceEndpointRegion: "cn-shanghai",
      sourceEndpointUserName: "dts_user",
      sourceEndpointIp: "203.0.113.10",
      sourceEndpointPort: "3306",
      sourceEndpointPassword: secretOf("s3cret-pw"),
      destinationEndpointEngineName: "ODPS",
      destinationEndpointInstanceType: "ODPS",
      destinationEndpointRegion: "cn-shanghai",
      destinationEndpointDatabaseName: "photo_analytics",
      destinationEndpointUserName: secretOf("LTAI-test-id"),
      destinationEndpointPassword: secretOf("test-key-secret"),
      status: "Synchronizing",
    });
  });

  it("job: no instanceClass (set on a new job it calls TransferInstanceClass) and none of its ForceNew notice fields", () => {
    const inputs = byName.get("-job")!.inputs;
    expect(inputs).not.toHaveProperty("instanceClass");
    for (const k of ["delayNotice", "delayPhone", "delayRuleTime", "errorNotice", "errorPhone"]) expect(inputs).not.toHaveProperty(k);
  });

  it("alarm: one rule per job, delay at 10 s, off without contacts", () => {
    expect(byName.get("-delay-alarm")!.inputs).toEqual({ dtsJobId: "rt-job-id", type: "delay", delayRuleTime: "10", state: "N" });
  });
});

describe("RealtimeSync inputs", () => {
  it("notifies the configured phones at the configured delay", async () => {
    const { byName } = await build(configFor("mature", { alertPhones: ["13800138000", "13900139000"], delayThresholdSeconds: 30 }));
    expect(byName.get("-delay-alarm")!.inputs).toEqual({
      dtsJobId: expect.any(String),
      type: "delay",
      delayRuleTime: "30",
      phone: "13800138000,13900139000",
      state: "Y",
    });
  });

  it.each<[StackConfig["realtime"]["dts"]["instanceClass"], string, string | undefined]>([
    ["small", "small", "small"],
    ["large", "large", "large"],
    ["2xlarge", "xxlarge", "2xlarge"],
  ])("class %s: instance %s, never on the job (console upgrade spelling %s)", async (cls, onInstance) => {
    const { byName } = await build(configFor("mature", { instanceClass: cls }));
    expect(byName.get("-instance")!.inputs.instanceClass).toBe(onInstance);
    expect(byName.get("-job")!.inputs).not.toHaveProperty("instanceClass");
  });

  it.each<[number, number, string]>([
    [1, 1, "Month"],
    [9, 9, "Month"],
    [12, 1, "Year"],
    [36, 3, "Year"],
  ])("Subscription for %i months buys %i %s", async (months, duration, unit) => {
    recorded = [];
    const config = configFor("mature", { paymentType: "Subscription" });
    const args = realtimeSyncArgs(config, secrets, "photo_analytics")!;
    const name = `sub${++seq}`;
    const c = new RealtimeSync(name, { ...args, dts: { ...args.dts, subscriptionMonths: months } });
    await new Promise<void>((resolve) => c.instance.id.apply(() => resolve()));
    expect(recorded.find((r) => r.name === `${name}-instance`)!.inputs).toMatchObject({
      paymentType: "Subscription",
      paymentDuration: duration,
      paymentDurationUnit: unit,
    });
  });

  it.each<[string, Partial<StackConfig["source"]>, Record<string, unknown>]>([
    ["RDS", { instanceType: "RDS", instanceId: "rm-bp1abc" }, { sourceEndpointInstanceType: "RDS", sourceEndpointInstanceId: "rm-bp1abc" }],
    [
      "ECS",
      { instanceType: "ECS", instanceId: "i-bp1abc" },
      { sourceEndpointInstanceType: "ECS", sourceEndpointInstanceId: "i-bp1abc", sourceEndpointPort: "3306" },
    ],
    [
      "EXPRESS",
      { instanceType: "EXPRESS", vpcId: "vpc-bp1abc" },
      { sourceEndpointInstanceType: "EXPRESS", sourceEndpointInstanceId: "vpc-bp1abc", sourceEndpointIp: "203.0.113.10", sourceEndpointPort: "3306" },
    ],
    [
      "OTHER in another region",
      { region: "cn-hangzhou" },
      { sourceEndpointInstanceType: "OTHER", sourceEndpointRegion: "cn-hangzhou", sourceEndpointIp: "203.0.113.10", sourceEndpointPort: "3306" },
    ],
  ])("source over %s", async (_label, source, expected) => {
    const { byName } = await build(configFor("mature", { source }));
    const job = byName.get("-job")!.inputs;
    const sourceKeys = Object.keys(job).filter(
      (k) => k.startsWith("sourceEndpoint") && k !== "sourceEndpointPassword" && k !== "sourceEndpointEngineName" && k !== "sourceEndpointUserName",
    );
    expect(Object.fromEntries(sourceKeys.map((k) => [k, job[k]]))).toEqual({ sourceEndpointRegion: "cn-shanghai", ...expected });
    expect(byName.get("-instance")!.inputs.sourceEndpointRegion).toBe(expected.sourceEndpointRegion ?? "cn-shanghai");
  });

  it("syncs a custom realtime set (only tables with realtime: true)", async () => {
    const tables = tablesFor("mature").map((t) => ({ ...t, realtime: t.name === "user_events" }));
    const { component, byName } = await build(configFor("mature", { tables }));
    expect(component!.tableNames).toEqual(["user_events"]);
    expect(JSON.parse(byName.get("-job")!.inputs.dbList as string).photo_assistant.Table).toEqual({ user_events: { name: "user_events", all: true } });
  });

  it("never marks a secret input as plain text, even when given plain strings", async () => {
    recorded = [];
    const args = realtimeSyncArgs(
      configFor("mature"),
      { sourcePassword: "pw", maxcomputeAccessKeyId: "id", maxcomputeAccessKeySecret: "sk" },
      "photo_analytics",
    )!;
    const c = new RealtimeSync(`plain${++seq}`, args);
    await new Promise<void>((resolve) => c.job.id.apply(() => resolve()));
    const job = recorded.find((r) => r.type.endsWith("SynchronizationJob"))!.inputs;
    for (const k of ["sourceEndpointPassword", "destinationEndpointUserName", "destinationEndpointPassword"]) expect(isSecret(job[k])).toBe(true);
  });

  it("fails when no table is realtime", () => {
    const args = realtimeSyncArgs(configFor("mature"), secrets, "photo_analytics")!;
    expect(() => new RealtimeSync("none", { ...args, tables: args.tables.map((t) => ({ ...t, realtime: false })) })).toThrow(
      /args\.tables has no table with realtime: true/,
    );
  });

  it("fails when the source access method lacks its id", () => {
    const args = realtimeSyncArgs(configFor("mature", { source: { instanceType: "RDS" } }), secrets, "photo_analytics")!;
    expect(() => new RealtimeSync("noid", args)).toThrow('photo-analytics:source.instanceId is required when source.instanceType is "RDS"');
  });

  it("fails when subscriptionMonths is given for PayAsYouGo", () => {
    const args = realtimeSyncArgs(configFor("mature"), secrets, "photo_analytics")!;
    expect(() => new RealtimeSync("subpay", { ...args, dts: { ...args.dts, subscriptionMonths: 3 } })).toThrow(
      /subscriptionMonths \(3\) is only allowed with paymentType "Subscription"/,
    );
  });
});

describe("config changes", () => {
  const jobForce = FORCE_NEW["alicloud:dts/synchronizationJob:SynchronizationJob"];
  const instanceForce = FORCE_NEW["alicloud:dts/synchronizationInstance:SynchronizationInstance"];
  const ruleForce = FORCE_NEW["alicloud:dts/jobMonitorRule:JobMonitorRule"];

  /** The same component name built from two configs; the inputs that differ per child. */
  async function diff(a: StackConfig, b: StackConfig): Promise<Record<string, string[]>> {
    const before = (await build(a, "same")).byName;
    const after = (await build(b, "same")).byName;
    return Object.fromEntries([...before.keys()].map((k) => [k, changed(before.get(k)!, after.get(k)!)]));
  }

  it("switching realtime off removes only the DTS resources (no data resource is ever created here)", async () => {
    const on = await build(configFor("mature", { enabled: true }));
    const off = await build(configFor("mature", { enabled: false }));
    expect(off.all).toEqual([]);
    expect(on.all.every((r) => r.type === RealtimeSync.TYPE || r.type.startsWith("alicloud:dts/"))).toBe(true);
  });

  it("switching realtime on in growth (a big event) and off again builds the same layer as in mature, then nothing", async () => {
    const event = await build(configFor("growth", { enabled: true, tables: tablesFor("mature") }), "event");
    const mature = await build(configFor("mature"), "event");
    expect(event.all).toEqual(mature.all);
    expect((await build(configFor("growth"), "event")).all).toEqual([]);
  });

  it("another engine builds no DTS resources", async () => {
    expect((await build(configFor("mature", { engine: "sls" }))).all).toEqual([]);
  });

  it("adding a table to the realtime set changes only dbList, which is updatable", async () => {
    const three = configFor("mature");
    const four = configFor("mature", { tables: three.tables.map((t) => (t.name === "guide_usage" ? { ...t, realtime: true } : t)) });
    const d = await diff(three, four);
    expect(d).toEqual({ "": [], "-instance": [], "-job": ["dbList"], "-delay-alarm": [] });
    expect(jobForce).not.toContain("dbList");
  });

  it("changing the class micro -> small changes only the instance's instanceClass, which the plan shows as a replacement", async () => {
    const d = await diff(configFor("mature"), configFor("mature", { instanceClass: "small", peakRecordsPerSecond: 1500 }));
    expect(d).toEqual({ "": [], "-instance": ["instanceClass"], "-job": [], "-delay-alarm": [] });
    // The provider's instance Update only logs "The resouce has not update operation"
    // (resource_alicloud_dts_synchronization_instance.go @ 0612d7569dc6c40e76b6758f08452274361dc863):
    // not ForceNew there, so the stack asks for the replacement itself.
    expect(instanceForce).not.toContain("instanceClass");
    expect((await build(configFor("mature"))).options.get("-instance")!.replaceOnChanges).toEqual(["instanceClass"]);
  });

  it("changing contacts and the delay threshold touches only the alarm, which is re-created (replaceOnChanges)", async () => {
    const d = await diff(configFor("mature"), configFor("mature", { alertPhones: ["13800138000"], delayThresholdSeconds: 60 }));
    expect(d).toEqual({ "": [], "-instance": [], "-job": [], "-delay-alarm": ["delayRuleTime", "phone", "state"] });
    // Not ForceNew in the provider, but its Update sends Type = d.Get("type"), the type in state, which
    // Read takes from MonitorRules[0] (resource_alicloud_dts_job_monitor_rule.go @0a25b6c6): the stack
    // re-creates the rule instead (Create = CreateJobMonitorRule with the program's type; Delete is a no-op).
    for (const k of ["delayRuleTime", "phone", "state"]) expect(ruleForce).not.toContain(k);
    expect((await build(configFor("mature"))).options.get("-delay-alarm")!.replaceOnChanges).toEqual(["delayRuleTime", "phone", "state"]);
  });

  it("rotating the AccessKey pair changes nothing: both halves are ignored after create", async () => {
    const { options } = await build(configFor("mature"));
    // ModifyDtsJobPassword sends UserName = d.Get("destination_endpoint_user_name"): ignoring only the id
    // would pair the new secret with the old id (resource_alicloud_dts_synchronization_job.go @ 02fad2a7).
    expect(options.get("-job")!.ignoreChanges).toEqual(["destinationEndpointUserName", "destinationEndpointPassword"]);
    expect(JOB_OPTIONS.ignoreChanges).toEqual(["destinationEndpointUserName", "destinationEndpointPassword"]);
    expect(jobForce).toContain("destinationEndpointUserName");
  });

  it("no other child ignores or replaces on anything; the alarm ignores only its type (read from another rule)", async () => {
    const { options } = await build(configFor("mature"));
    expect(options.get("-instance")!.ignoreChanges).toBeUndefined();
    expect(options.get("-instance")!.replaceOnChanges).toEqual([...INSTANCE_OPTIONS.replaceOnChanges]);
    expect(options.get("-job")!.replaceOnChanges).toBeUndefined();
    expect(options.get("-delay-alarm")!.ignoreChanges).toEqual(["type"]);
    expect(options.get("-delay-alarm")!.replaceOnChanges).toEqual([...DELAY_ALARM_OPTIONS.replaceOnChanges]);
  });

  it("a second up with the same config changes nothing (one monitor rule, so no rule reads the other's type)", async () => {
    const d = await diff(configFor("mature", { alertPhones: ["13800138000"] }), configFor("mature", { alertPhones: ["13800138000"] }));
    expect(d).toEqual({ "": [], "-instance": [], "-job": [], "-delay-alarm": [] });
    const { all } = await build(configFor("mature"));
    // The provider sets every rule's id to DtsJobId and reads MonitorRules[0] (resource_alicloud_dts_job_monitor_rule.go @ 0a25b6c6).
    expect(all.filter((r) => r.type === "alicloud:dts/jobMonitorRule:JobMonitorRule")).toHaveLength(1);
    expect(ruleForce).toContain("type");
  });

  it("the destination database is the MaxCompute project name exactly as the warehouse names it (ForceNew, read back raw)", async () => {
    const { byName } = await build(configFor("mature"));
    expect(byName.get("-job")!.inputs.destinationEndpointDatabaseName).toBe("photo_analytics");
    expect(jobForce).toContain("destinationEndpointDatabaseName");
  });

  it("reserve is write-once: its text is pinned, and it is not replacement-forcing (changing it reaches new jobs only)", async () => {
    const { byName } = await build(configFor("mature"));
    expect(byName.get("-job")!.inputs.reserve).toBe('{"targetTableMode":"0"}');
    expect(jobForce).not.toContain("reserve");
  });
});

/**
 * The managed writer (realtime.dts.writer "managed"): the identity DTS writes MaxCompute as.
 * Provider facts cited beside the code (components/dts/dts-writer.ts): ram User id = UserId
 * (resource_alicloud_ram_user.go @ 0612d756), AccessKey secret = computed Sensitive `secret` without
 * pgp_key (resource_alicloud_ram_access_key.go @ 915751ca), Role type/policy (resource_alicloud_max_compute_role.go
 * @ 47511266), RoleUserAttachment `add` user (resource_alicloud_max_compute_role_user_attachment.go @ 2a0ec277),
 * job destination user name ForceNew + ModifyDtsJobPassword with the stored user name
 * (resource_alicloud_dts_synchronization_job.go @ 02fad2a7).
 */
describe("RealtimeSync managed writer", () => {
  const managed = (stage: Stage = "mature", over: Parameters<typeof configFor>[1] = {}) =>
    ({ ...configFor(stage, { writer: "managed", enabled: true, tables: tablesFor("mature"), ...over }), secretsSet: ["sourcePassword"] }) as StackConfig;
  const noPair = { sourcePassword: secrets.sourcePassword };
  async function buildManaged(config: StackConfig, name: string) {
    recorded = [];
    const options = new Map<string, pulumi.ResourceOptions>();
    const args = realtimeSyncArgs(config, noPair, config.warehouse.projectName)!;
    const c = new RealtimeSync(name, args, {
      transformations: [
        (a) => {
          options.set(a.name.slice(name.length), a.opts);
          return undefined;
        },
      ],
    });
    const keys = [...c.writer!.keys.values()];
    const [summary] = await new Promise<[unknown]>((resolve) =>
      pulumi
        .all([c.writerSummary as pulumi.Output<unknown>, c.job.id, c.delayAlarm.id, c.writer!.grant.id, ...keys.map((k) => k.id)])
        .apply(([sm]) => resolve([sm])),
    );
    const own = recorded.filter((r) => r.name.startsWith(name));
    return { c, summary, options, all: own, byName: new Map(own.map((r) => [r.name.slice(name.length), r])) };
  }
  const ROLE_POLICY = (tables: string[]) => ({
    Version: "1",
    Statement: [
      { Effect: "Allow", Action: ["odps:CreateTable", "odps:CreateInstance", "odps:List"], Resource: ["acs:odps:*:projects/photo_analytics"] },
      {
        Effect: "Allow",
        Action: ["odps:Describe", "odps:Alter", "odps:Update"],
        Resource: tables.flatMap((t) => [`acs:odps:*:projects/photo_analytics/tables/${t}_base`, `acs:odps:*:projects/photo_analytics/tables/${t}_log`]),
      },
    ],
  });

  // Realtime is stage-independent once switched on: the same identity in every stage.
  it.each(STAGES.map((s) => [s]))("%s with realtime on: exact children, identity and grants", async (stage) => {
    const { all, byName, summary } = await buildManaged(managed(stage), `w-${stage}`);
    expect(all.map((r) => `${r.type} ${r.name.slice(`w-${stage}`.length)}`).sort()).toEqual(
      [
        `${RealtimeSync.TYPE} `,
        "alicloud:dts/synchronizationInstance:SynchronizationInstance -instance",
        "alicloud:dts/synchronizationJob:SynchronizationJob -job",
        "alicloud:dts/jobMonitorRule:JobMonitorRule -delay-alarm",
        "photo-analytics:dts:DtsWriter -writer",
        "alicloud:ram/user:User -writer-user",
        "alicloud:maxcompute/role:Role -writer-role",
        "alicloud:maxcompute/roleUserAttachment:RoleUserAttachment -writer-grant",
        "alicloud:ram/accessKey:AccessKey -writer-key-1",
      ].sort(),
    );
    // No RAM policy of any kind: MaxCompute authorizes the user inside the project.
    expect(all.filter((r) => /^alicloud:ram\/(policy|.*PolicyAttachment|loginProfile)/.test(r.type))).toEqual([]);
    expect(byName.get("-writer-user")!.inputs).toEqual({
      name: "photo_analytics-dts-writer",
      displayName: "photo-analytics DTS writer",
      comments: "DTS writes MaxCompute project photo_analytics as this user (realtime.dts.writer managed); no RAM policy, no console login",
      force: true,
    });
    const role = byName.get("-writer-role")!.inputs;
    expect({ ...role, policy: JSON.parse(role.policy as string) }).toEqual({
      projectName: "photo_analytics",
      roleName: "dts_writer",
      type: "resource",
      policy: ROLE_POLICY(["page_views", "photo_records", "users"]),
    });
    // RAM$<account id>:<RAM user id> (MaxCompute "add user"; the provider's user id is the UserId).
    expect(byName.get("-writer-grant")!.inputs).toEqual({
      projectName: "photo_analytics",
      roleName: "dts_writer",
      user: `RAM$5527000000000000:w-${stage}-writer-user-id`,
    });
    expect(byName.get("-writer-key-1")!.inputs).toEqual({ userName: "photo_analytics-dts-writer" });
    expect(summary).toEqual({
      mode: "managed",
      ramUser: "photo_analytics-dts-writer",
      maxcomputeRole: "dts_writer",
      keyGeneration: 1,
      keptKeyGenerations: [1],
    });
  });

  it("grants only <t>_base and <t>_log of the realtime tables, never _compacted, views or ODS tables", async () => {
    const tables = tablesFor("mature").map((t) => ({ ...t, realtime: t.name === "users" }));
    const { byName } = await buildManaged(managed("mature", { tables }), "w-users");
    const policy = JSON.parse(byName.get("-writer-role")!.inputs.policy as string);
    expect(policy).toEqual(ROLE_POLICY(["users"]));
    expect(JSON.stringify(policy)).not.toMatch(/_compacted|_realtime|ods_|\*"|tables\/\*/);
  });

  it("job: writes with the active key, both halves secrets, after the grant", async () => {
    const { byName, options } = await buildManaged(managed(), "w-job");
    const job = byName.get("-job")!.inputs;
    expect(job.destinationEndpointUserName).toEqual(secretOf("LTAI-w-job-writer-key-1"));
    expect(job.destinationEndpointPassword).toEqual(secretOf(`${WRITER_SECRET}-w-job-writer-key-1`));
    expect((options.get("-job")!.dependsOn as pulumi.Resource[]).length).toBe(1);
    // The SDK registers `secret` as an additional secret output (@pulumi/alicloud ram/accessKey.js).
    expect((options.get("-writer-key-1") as pulumi.CustomResourceOptions).additionalSecretOutputs).toContain("secret");
    // No pgpKey (DTS needs the plain secret) and no secretFile (it would land on the deploying machine's disk).
    expect(Object.keys(byName.get("-writer-key-1")!.inputs)).toEqual(["userName"]);
  });

  it("no secret value reaches plan output: the AccessKey secret appears only as [secret]", async () => {
    const { maskValue } = require("../plan-engine/record-plan") as typeof import("../plan-engine/record-plan");
    const { all, summary } = await buildManaged(managed(), "w-mask");
    const masked = JSON.stringify([all.map((r) => maskValue(r.inputs)), maskValue(summary)]);
    expect(masked).not.toContain(WRITER_SECRET);
    expect(masked).not.toContain("LTAI-");
    const job = maskValue(all.find((r) => r.name === "w-mask-job")!.inputs) as Record<string, unknown>;
    expect([job.destinationEndpointUserName, job.destinationEndpointPassword]).toEqual(["[secret]", "[secret]"]);
  });

  it("rotation: a new generation adds a key and keeps the previous one; the job's pair is ignored; retiring deletes the old key", async () => {
    const g1 = await buildManaged(managed("mature"), "w-rot");
    const g2 = await buildManaged(managed("mature", { writerKeyGeneration: 2 }), "w-rot");
    const g2r = await buildManaged(managed("mature", { writerKeyGeneration: 2, retiredWriterKeyGeneration: 1 }), "w-rot");
    const keys = (b: typeof g1) => [...b.byName.keys()].filter((k) => k.startsWith("-writer-key-"));
    expect(keys(g1)).toEqual(["-writer-key-1"]);
    expect(keys(g2)).toEqual(["-writer-key-1", "-writer-key-2"]);
    expect(keys(g2r)).toEqual(["-writer-key-2"]);
    // New jobs get key 2; the running job ignores its pair (ForceNew user name; the provider's password
    // update sends the stored user name), so it is switched in the DTS console before key 1 is retired.
    expect(g2.byName.get("-job")!.inputs.destinationEndpointUserName).toEqual(secretOf("LTAI-w-rot-writer-key-2"));
    expect(changed(g1.byName.get("-job")!, g2.byName.get("-job")!)).toEqual(["destinationEndpointPassword", "destinationEndpointUserName"]);
    expect(g2.options.get("-job")!.ignoreChanges).toEqual(["destinationEndpointUserName", "destinationEndpointPassword"]);
    // Nothing else of the writer changes; no key is replaced (deleteBeforeReplace never set).
    for (const k of ["-writer-user", "-writer-role", "-writer-grant", "-writer-key-1"]) expect(changed(g1.byName.get(k)!, g2.byName.get(k)!)).toEqual([]);
    expect((g2.options.get("-writer-key-2") as pulumi.CustomResourceOptions).deleteBeforeReplace).toBeUndefined();
    expect(g2.summary).toMatchObject({ keyGeneration: 2, keptKeyGenerations: [1, 2] });
  });

  it("fails when writer accessKey lacks half the pair, or managed gets a pair", () => {
    const base = realtimeSyncArgs(managed(), noPair, "photo_analytics")!;
    expect(() => new RealtimeSync("w-bad1", { ...base, writer: "accessKey", accessKeyId: "id" })).toThrow(
      'RealtimeSync w-bad1: args.writer is "accessKey" but args.accessKeySecret is not given; pass both, or use writer "managed"',
    );
    expect(() => new RealtimeSync("w-bad2", { ...base, writer: "managed", accessKeyId: "id", accessKeySecret: "sk" })).toThrow(
      'RealtimeSync w-bad2: args.writer is "managed" but args.accessKeyId/args.accessKeySecret are given; the managed writer makes its own AccessKey: pass neither, or use writer "accessKey"',
    );
  });

  it("writer accessKey builds no identity and says so in the summary", async () => {
    const { component, all } = await build(configFor("mature"), "w-ak");
    expect(component!.writer).toBeUndefined();
    expect(all.filter((r) => /^alicloud:(ram|maxcompute)\//.test(r.type))).toEqual([]);
    const summary = await new Promise((resolve) => (component!.writerSummary as pulumi.Output<unknown>).apply(resolve));
    expect(summary).toEqual({ mode: "accessKey", from: "config maxcomputeAccessKeyId / maxcomputeAccessKeySecret" });
  });

  it("switching realtime off removes the writer with the DTS resources", async () => {
    const off = realtimeSyncArgs({ ...managed(), realtime: { ...managed().realtime, enabled: false } }, noPair, "photo_analytics");
    expect(off).toBeUndefined();
  });
});
