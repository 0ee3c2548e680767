/** Realtime domain rules (one passing and one failing fixture each) and the config schema fragment. */
import Ajv from "ajv";
import { RealtimeRuleInput, REALTIME_RULES, checkRealtimeRules } from "../lib/dts/realtime-rules";
import { REALTIME_CONFIG_SCHEMA } from "../lib/config/realtime-schema";
import { TEST_SOURCE } from "./support/config";

function fixture(
  over: {
    realtime?: Partial<RealtimeRuleInput["realtime"]>;
    dts?: Partial<RealtimeRuleInput["realtime"]["dts"]>;
    source?: Partial<RealtimeRuleInput["source"]>;
    tables?: RealtimeRuleInput["tables"];
    secretsSet?: RealtimeRuleInput["secretsSet"];
  } = {},
): RealtimeRuleInput {
  return {
    realtime: {
      enabled: true,
      engine: "dts",
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
      ...over.realtime,
      dts: {
        instanceClass: "micro",
        paymentType: "PayAsYouGo",
        peakRecordsPerSecond: 100,
        delayThresholdSeconds: 10,
        alertPhones: ["13800138000"],
        writer: "accessKey",
        writerKeyGeneration: 1,
        retiredWriterKeyGeneration: 0,
        ...over.dts,
      },
    },
    source: { ...TEST_SOURCE, ...over.source },
    tables: over.tables ?? [
      { name: "users", primaryKey: ["id"], incrementalColumn: "updated_time", tier: "daily", realtime: true, hourlyTable: false },
      { name: "feedback", primaryKey: ["id"], tier: "daily", realtime: false, hourlyTable: false },
    ],
    secretsSet: over.secretsSet ?? ["sourcePassword", "maxcomputeAccessKeyId", "maxcomputeAccessKeySecret"],
  };
}

/** One rule's check, as the message it prints (its problems' messages joined), or undefined when it passes. */
const rule = (id: string) => {
  const r = REALTIME_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return {
    check: (input: RealtimeRuleInput): string | undefined => {
      const problems = r.check(input);
      return problems.length === 0 ? undefined : problems.map((p) => p.message).join("; ");
    },
  };
};

describe("realtime rules", () => {
  it("have unique ids", () => {
    const ids = REALTIME_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("pass on the default mature config", () => {
    expect(checkRealtimeRules(fixture())).toEqual([]);
  });

  it("do not apply when realtime is off, or when another engine is chosen", () => {
    const broken = { dts: { instanceClass: "micro" as const, peakRecordsPerSecond: 5000, alertPhones: ["x"] }, secretsSet: [] };
    expect(checkRealtimeRules(fixture({ ...broken, realtime: { enabled: false } }))).toEqual([]);
    expect(checkRealtimeRules(fixture({ ...broken, realtime: { engine: "sls" } }))).toEqual([]);
  });

  describe("realtime-has-tables", () => {
    it("fails when no table is realtime", () => {
      const msg = rule("realtime-has-tables").check(
        fixture({ tables: [{ name: "users", primaryKey: ["id"], tier: "daily", realtime: false, hourlyTable: false }] }),
      );
      expect(msg).toBe(
        "photo-analytics:realtime.enabled is true but no table has realtime: true (tables: users); mark the tables to sync with tables[].realtime: true, or set realtime.enabled to false",
      );
    });
  });

  describe("realtime-class-carries-load", () => {
    it("passes when the class carries the peak", () => {
      expect(rule("realtime-class-carries-load").check(fixture({ dts: { instanceClass: "small", peakRecordsPerSecond: 2000 } }))).toBeUndefined();
    });
    it("fails when micro is given 200 records/s, naming the class that fits", () => {
      expect(rule("realtime-class-carries-load").check(fixture({ dts: { instanceClass: "micro", peakRecordsPerSecond: 200 } }))).toBe(
        'photo-analytics:realtime.dts.instanceClass is "micro", which carries fewer than 200 records/s, but realtime.dts.peakRecordsPerSecond is 200: use "small" or larger, or leave instanceClass unset to get the smallest class that fits',
      );
    });
    it("fails when the peak exceeds every class", () => {
      expect(rule("realtime-class-carries-load").check(fixture({ dts: { instanceClass: "2xlarge", peakRecordsPerSecond: 40000 } }))).toMatch(
        /^photo-analytics:realtime\.dts\.peakRecordsPerSecond is 40000; the largest DTS class offered \(2xlarge\) carries 34000 records\/s/,
      );
    });
  });

  describe("realtime-delay-threshold-bounds", () => {
    it.each([1, 10, 3600])("passes for %i s", (v) => {
      expect(rule("realtime-delay-threshold-bounds").check(fixture({ dts: { delayThresholdSeconds: v } }))).toBeUndefined();
    });
    it.each([0, 3601, 2.5])("fails for %s s", (v) => {
      expect(rule("realtime-delay-threshold-bounds").check(fixture({ dts: { delayThresholdSeconds: v } }))).toBe(
        `photo-analytics:realtime.dts.delayThresholdSeconds is ${v}; allowed: a whole number of seconds from 1 to 3600 (DTS recommends 10 or more, so network jitter does not page anyone)`,
      );
    });
  });

  describe("realtime-alert-phones", () => {
    it("passes with none", () => {
      expect(rule("realtime-alert-phones").check(fixture({ dts: { alertPhones: [] } }))).toBeUndefined();
    });
    it("fails on a +86 number and a duplicate, naming each index", () => {
      expect(rule("realtime-alert-phones").check(fixture({ dts: { alertPhones: ["+8613800138000", "13900139000", "13900139000"] } }))).toBe(
        'photo-analytics:realtime.dts.alertPhones: [0] "+8613800138000" is not an 11-digit mainland China mobile number (1[3-9]xxxxxxxxx, no +86, spaces or dashes); [2] "13900139000" is listed twice (DTS alarms by phone support mainland China mobile numbers only)',
      );
    });
    it("fails on more than 10 numbers", () => {
      const unique = Array.from({ length: 11 }, (_, i) => `138001380${String(i).padStart(2, "0")}`);
      expect(rule("realtime-alert-phones").check(fixture({ dts: { alertPhones: unique } }))).toMatch(/11 numbers; DTS notifies at most 10/);
    });
  });

  describe("realtime-source-access", () => {
    it.each([
      [{ instanceType: "RDS" as const, instanceId: "rm-bp1abc" }],
      [{ instanceType: "ECS" as const, instanceId: "i-bp1abc" }],
      [{ instanceType: "EXPRESS" as const, vpcId: "vpc-bp1abc" }],
      [{ instanceType: "OTHER" as const }],
    ])("passes for %j", (source) => {
      expect(rule("realtime-source-access").check(fixture({ source }))).toBeUndefined();
    });
    it("fails for RDS without instanceId", () => {
      expect(rule("realtime-source-access").check(fixture({ source: { instanceType: "RDS" } }))).toBe(
        'photo-analytics:source.instanceId is not set; required when source.instanceType is "RDS": the RDS instance id (rm-...)',
      );
    });
    it("fails for ECS with an RDS id", () => {
      expect(rule("realtime-source-access").check(fixture({ source: { instanceType: "ECS", instanceId: "rm-bp1abc" } }))).toBe(
        'photo-analytics:source.instanceId is "rm-bp1abc"; an ECS instance id looks like "i-bp1abc..."',
      );
    });
    it("fails for EXPRESS without vpcId", () => {
      expect(rule("realtime-source-access").check(fixture({ source: { instanceType: "EXPRESS" } }))).toMatch(
        /^photo-analytics:source\.vpcId is not set; required when source\.instanceType is "EXPRESS"/,
      );
    });
    it("fails for CEN, naming the alternatives", () => {
      expect(rule("realtime-source-access").check(fixture({ source: { instanceType: "CEN", vpcId: "vpc-x" } }))).toMatch(
        /^photo-analytics:source\.instanceType is "CEN"; .* use "EXPRESS"/,
      );
    });
  });

  describe("realtime-tables-have-key", () => {
    it("fails naming the table index", () => {
      expect(
        rule("realtime-tables-have-key").check(
          fixture({
            tables: [
              { name: "users", primaryKey: ["id"], tier: "daily", realtime: true, hourlyTable: false },
              { name: "page_views", primaryKey: [], tier: "hourly", realtime: true, hourlyTable: false },
            ],
          }),
        ),
      ).toMatch(/^photo-analytics:tables\[1\]\.primaryKey: page_views has realtime: true but no primary key/);
    });
  });

  describe("realtime-writer", () => {
    const managed = { writer: "managed" as const, writerKeyGeneration: 2, retiredWriterKeyGeneration: 1 };
    it("passes a managed writer with no AccessKey secrets", () => {
      expect(rule("realtime-writer").check(fixture({ dts: managed, secretsSet: ["sourcePassword"] }))).toBeUndefined();
    });
    it("passes a pair brought with writer accessKey", () => {
      expect(rule("realtime-writer").check(fixture())).toBeUndefined();
    });
    it("fails when writer is managed but the pair is set, naming the keys and never a value", () => {
      expect(rule("realtime-writer").check(fixture({ dts: managed }))).toBe(
        'photo-analytics:realtime.dts.writer is "managed" but photo-analytics:maxcomputeAccessKeyId, photo-analytics:maxcomputeAccessKeySecret are set; the managed writer makes its own AccessKey: remove the pair (pulumi config rm photo-analytics:maxcomputeAccessKeyId; pulumi config rm photo-analytics:maxcomputeAccessKeySecret) or set realtime.dts.writer to "accessKey" to keep writing with it',
      );
    });
    it("fails when the key new jobs get is retired", () => {
      expect(rule("realtime-writer").check(fixture({ dts: { ...managed, retiredWriterKeyGeneration: 2 }, secretsSet: ["sourcePassword"] }))).toBe(
        "photo-analytics:realtime.dts.retiredWriterKeyGeneration is 2 but realtime.dts.writerKeyGeneration is 2: the key new jobs get cannot be retired; allowed: 0 to 1 (raise writerKeyGeneration first to rotate: docs/realtime-dts.md)",
      );
    });
    it("fails when key generations are set with writer accessKey", () => {
      expect(rule("realtime-writer").check(fixture({ dts: { writerKeyGeneration: 2 } }))).toBe(
        'photo-analytics:realtime.dts.writerKeyGeneration is set but realtime.dts.writer is "accessKey": key generations rotate the managed writer\'s keys only; rotate a pair you bring in the DTS console and its config secrets (docs/realtime-dts.md), or set realtime.dts.writer to "managed"',
      );
    });
  });

  describe("realtime-secrets-set", () => {
    it("asks only for the source password with the managed writer", () => {
      expect(rule("realtime-secrets-set").check(fixture({ dts: { writer: "managed" }, secretsSet: ["sourcePassword"] }))).toBeUndefined();
    });
    it("fails naming each missing secret and the command that sets it", () => {
      expect(rule("realtime-secrets-set").check(fixture({ secretsSet: ["sourcePassword"] }))).toBe(
        "photo-analytics:maxcomputeAccessKeyId, photo-analytics:maxcomputeAccessKeySecret not set; the DTS job needs them when realtime.enabled is true: pulumi config set --secret photo-analytics:maxcomputeAccessKeyId <value>; pulumi config set --secret photo-analytics:maxcomputeAccessKeySecret <value>",
      );
    });
  });
});

describe("realtime config schema fragment", () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(REALTIME_CONFIG_SCHEMA);

  it("accepts the complete example", () => {
    const ok = validate({
      enabled: true,
      engine: "dts",
      dts: {
        instanceClass: "small",
        paymentType: "Subscription",
        subscriptionMonths: 12,
        peakRecordsPerSecond: 1500,
        delayThresholdSeconds: 30,
        alertPhones: ["13800138000"],
      },
    });
    expect(validate.errors).toBeNull();
    expect(ok).toBe(true);
  });

  it("accepts an empty object (every key has a default)", () => {
    expect(validate({})).toBe(true);
  });

  it.each<[string, unknown, string, string]>([
    ["an unknown engine", { engine: "kafka" }, "/engine", "enum"],
    ["an unknown class", { dts: { instanceClass: "huge" } }, "/dts/instanceClass", "enum"],
    ["a delay of 0 s", { dts: { delayThresholdSeconds: 0 } }, "/dts/delayThresholdSeconds", "minimum"],
    ["a delay above an hour", { dts: { delayThresholdSeconds: 3601 } }, "/dts/delayThresholdSeconds", "maximum"],
    ["a fractional delay", { dts: { delayThresholdSeconds: 1.5 } }, "/dts/delayThresholdSeconds", "type"],
    ["a phone with +86", { dts: { alertPhones: ["+8613800138000"] } }, "/dts/alertPhones/0", "pattern"],
    ["a repeated phone", { dts: { alertPhones: ["13800138000", "13800138000"] } }, "/dts/alertPhones", "uniqueItems"],
    ["a peak above 34,000", { dts: { peakRecordsPerSecond: 34001 } }, "/dts/peakRecordsPerSecond", "maximum"],
    ["a 10-month subscription", { dts: { subscriptionMonths: 10 } }, "/dts/subscriptionMonths", "enum"],
    ["a misspelt key", { dts: { delayThreshold: 10 } }, "/dts", "additionalProperties"],
    ["a misspelt top-level key", { enable: true }, "", "additionalProperties"],
  ])("fails on %s", (_label, value, instancePath, keyword) => {
    expect(validate(value)).toBe(false);
    expect(validate.errors).toEqual(expect.arrayContaining([expect.objectContaining({ instancePath, keyword })]));
  });
});
