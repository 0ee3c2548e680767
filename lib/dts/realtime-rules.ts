/**
 * Domain rules of the realtime layer, written as data in the one rule shape
 * (lib/config/problem.ts): each rule has a stable id and returns the problems it
 * finds (none when the config complies or the rule does not apply). Messages
 * name the key path, the value seen and what is allowed. They run after the
 * JSON Schema (lib/config/schema.ts) and defaulting, on the resolved config.
 * Pure: no Pulumi imports.
 */
import { PROJECT, SecretKey, StackConfig } from "../config/types";
import { engineOn } from "../config/realtime";
import { ALERT_PHONE_PATTERN, ALERT_PHONES_MAX, DELAY_THRESHOLD_MAX_SECONDS, DELAY_THRESHOLD_MIN_SECONDS } from "../config/realtime-schema";
import { Problem, Rule, runRules, show } from "../config/problem";
import { DTS_CLASS_MAX_RPS, DTS_MAX_RPS, classCarries, smallestInstanceClass } from "../config/dts-instance-classes";
import { sourceIdKey } from "./dts-job";

/** The part of the resolved config the realtime rules read. */
export type RealtimeRuleInput = Pick<StackConfig, "realtime" | "source" | "tables" | "secretsSet">;

/** One rule: the one rule shape, plus what it guards in one line. */
export interface RealtimeRule extends Rule<RealtimeRuleInput> {
  /** What the rule guards, in one line. */
  readonly description: string;
}

/** Realtime engines this module builds resources for. */
export const DTS_ENGINE = "dts";
/** Secrets the DTS job needs with `realtime.dts.writer` "accessKey" (with "managed", only the source password). */
export const DTS_SECRETS: readonly SecretKey[] = ["sourcePassword", "maxcomputeAccessKeyId", "maxcomputeAccessKeySecret"];
/** The AccessKey pair a user brings with `realtime.dts.writer` "accessKey". */
export const DTS_WRITER_SECRETS: readonly SecretKey[] = ["maxcomputeAccessKeyId", "maxcomputeAccessKeySecret"];
/** DTS syncs at most this many tables in one task when tables are mapped by name. */
export const DTS_MAX_TABLES = 1000;

const key = (path: string): string => `${PROJECT}:${path}`;
/** One problem at `path` (under `photo-analytics:`). */
const fail = (path: string, value: unknown, allowed: string, message: string): Problem[] => [{ key: key(path), value, allowed, message }];
/** Whether the DTS layer is built with this config. */
const dtsActive = (c: RealtimeRuleInput): boolean => engineOn(c, "dts");

export const REALTIME_RULES: readonly RealtimeRule[] = [
  {
    id: "realtime-has-tables",
    description: "an enabled DTS layer syncs at least one table, at most 1,000",
    check: (c) => {
      if (!dtsActive(c)) return [];
      const n = c.tables.filter((t) => t.realtime).length;
      if (n === 0) {
        return fail(
          "realtime.enabled",
          true,
          "at least one table with realtime: true",
          `${key("realtime.enabled")} is true but no table has realtime: true (tables: ${c.tables.map((t) => t.name).join(", ") || "none"}); mark the tables to sync with tables[].realtime: true, or set realtime.enabled to false`,
        );
      }
      if (n > DTS_MAX_TABLES) {
        return fail(
          "tables",
          n,
          `at most ${DTS_MAX_TABLES} realtime tables`,
          `${key("tables")}: ${n} tables have realtime: true; one DTS task syncs at most ${DTS_MAX_TABLES} tables mapped by name`,
        );
      }
      return [];
    },
  },
  {
    id: "realtime-class-carries-load",
    description: "realtime.dts.instanceClass carries realtime.dts.peakRecordsPerSecond",
    check: (c) => {
      if (!dtsActive(c)) return [];
      const { instanceClass, peakRecordsPerSecond: peak } = c.realtime.dts;
      if (peak > DTS_MAX_RPS) {
        return fail(
          "realtime.dts.peakRecordsPerSecond",
          peak,
          `at most ${DTS_MAX_RPS} records/s`,
          `${key("realtime.dts.peakRecordsPerSecond")} is ${show(peak)}; the largest DTS class offered (2xlarge) carries ${DTS_MAX_RPS} records/s: split the tables over several stacks or lower the estimate`,
        );
      }
      if (classCarries(instanceClass, peak)) return [];
      const need = smallestInstanceClass(peak);
      const limit = instanceClass === "micro" ? "fewer than 200" : `up to ${DTS_CLASS_MAX_RPS[instanceClass]}`;
      return fail(
        "realtime.dts.instanceClass",
        instanceClass,
        `${show(need)} or larger`,
        `${key("realtime.dts.instanceClass")} is ${show(instanceClass)}, which carries ${limit} records/s, but realtime.dts.peakRecordsPerSecond is ${peak}: use ${show(need)} or larger, or leave instanceClass unset to get the smallest class that fits`,
      );
    },
  },
  {
    id: "realtime-delay-threshold-bounds",
    description: `realtime.dts.delayThresholdSeconds is an integer from ${DELAY_THRESHOLD_MIN_SECONDS} to ${DELAY_THRESHOLD_MAX_SECONDS}`,
    check: (c) => {
      if (!dtsActive(c)) return [];
      const v = c.realtime.dts.delayThresholdSeconds;
      if (Number.isInteger(v) && v >= DELAY_THRESHOLD_MIN_SECONDS && v <= DELAY_THRESHOLD_MAX_SECONDS) return [];
      const allowed = `a whole number of seconds from ${DELAY_THRESHOLD_MIN_SECONDS} to ${DELAY_THRESHOLD_MAX_SECONDS}`;
      return fail(
        "realtime.dts.delayThresholdSeconds",
        v,
        allowed,
        `${key("realtime.dts.delayThresholdSeconds")} is ${show(v)}; allowed: ${allowed} (DTS recommends 10 or more, so network jitter does not page anyone)`,
      );
    },
  },
  {
    id: "realtime-alert-phones",
    description: "realtime.dts.alertPhones are at most 10 distinct mainland China mobile numbers",
    check: (c) => {
      if (!dtsActive(c)) return [];
      const phones = c.realtime.dts.alertPhones;
      const problems: string[] = [];
      phones.forEach((p, i) => {
        if (!ALERT_PHONE_PATTERN.test(p))
          problems.push(`[${i}] ${show(p)} is not an 11-digit mainland China mobile number (1[3-9]xxxxxxxxx, no +86, spaces or dashes)`);
        else if (phones.indexOf(p) !== i) problems.push(`[${i}] ${show(p)} is listed twice`);
      });
      if (phones.length > ALERT_PHONES_MAX) problems.push(`${phones.length} numbers; DTS notifies at most ${ALERT_PHONES_MAX}`);
      if (problems.length === 0) return [];
      return fail(
        "realtime.dts.alertPhones",
        phones,
        `at most ${ALERT_PHONES_MAX} distinct 11-digit mainland China mobile numbers`,
        `${key("realtime.dts.alertPhones")}: ${problems.join("; ")} (DTS alarms by phone support mainland China mobile numbers only)`,
      );
    },
  },
  {
    id: "realtime-source-access",
    description:
      "source.instanceId / source.vpcId are set as the source.instanceType needs (RDS, ECS, DG: instanceId; EXPRESS: vpcId); CEN is not supported yet",
    check: (c) => {
      if (!dtsActive(c)) return [];
      const { instanceType, instanceId, vpcId } = c.source;
      if (instanceType === "CEN") {
        return fail(
          "source.instanceType",
          instanceType,
          '"EXPRESS" with source.vpcId, or "OTHER"',
          `${key("source.instanceType")} is "CEN"; DTS over CEN also needs the CEN instance id in the job's reserve, which the config has no key for yet: use "EXPRESS" with source.vpcId (the VPC attached to the CEN), or "OTHER"`,
        );
      }
      const need = sourceIdKey(instanceType);
      if (need === "instanceId" && !instanceId) {
        const what =
          instanceType === "RDS" ? "the RDS instance id (rm-...)" : instanceType === "ECS" ? "the ECS instance id (i-...)" : "the database gateway id";
        return fail(
          "source.instanceId",
          undefined,
          what,
          `${key("source.instanceId")} is not set; required when source.instanceType is "${instanceType}": ${what}`,
        );
      }
      if (need === "vpcId" && !vpcId) {
        return fail(
          "source.vpcId",
          undefined,
          "a VPC id (vpc-...)",
          `${key("source.vpcId")} is not set; required when source.instanceType is "${instanceType}": the id of the VPC (vpc-...) connected to the source`,
        );
      }
      if (instanceType === "RDS" && instanceId && !/^rm-[a-z0-9]+$/.test(instanceId)) {
        return fail(
          "source.instanceId",
          instanceId,
          "rm-...",
          `${key("source.instanceId")} is ${show(instanceId)}; an RDS instance id looks like "rm-bp1abc..."`,
        );
      }
      if (instanceType === "ECS" && instanceId && !/^i-[a-z0-9]+$/.test(instanceId)) {
        return fail(
          "source.instanceId",
          instanceId,
          "i-...",
          `${key("source.instanceId")} is ${show(instanceId)}; an ECS instance id looks like "i-bp1abc..."`,
        );
      }
      return [];
    },
  },
  {
    id: "realtime-tables-have-key",
    description: "every realtime table has a primary key (DTS writes duplicates without one; the merge view partitions by it)",
    check: (c) => {
      if (!dtsActive(c)) return [];
      return c.tables.flatMap((t, i) =>
        t.realtime && t.primaryKey.length === 0
          ? fail(
              `tables[${i}].primaryKey`,
              [],
              "at least one column",
              `${key(`tables[${i}].primaryKey`)}: ${t.name} has realtime: true but no primary key; add a PRIMARY KEY (or NOT NULL unique key) in MySQL and set primaryKey, or set realtime: false`,
            )
          : [],
      );
    },
  },
  {
    id: "realtime-writer",
    description: "realtime.dts.writer managed takes no AccessKey secrets; its key generations are only for managed, and the key new jobs get is never retired",
    check: (c) => {
      if (!dtsActive(c)) return [];
      const { writer, writerKeyGeneration: gen, retiredWriterKeyGeneration: retired } = c.realtime.dts;
      if (writer === "managed") {
        const set = DTS_WRITER_SECRETS.filter((s) => c.secretsSet.includes(s));
        if (set.length > 0) {
          // Never the value: only which keys are set.
          return fail(
            "realtime.dts.writer",
            writer,
            '"accessKey" while the pair is set, or remove the pair',
            `${key("realtime.dts.writer")} is "managed" but ${set.map(key).join(", ")} ${set.length > 1 ? "are" : "is"} set; the managed writer makes its own AccessKey: remove the pair (${set.map((s) => `pulumi config rm ${key(s)}`).join("; ")}) or set realtime.dts.writer to "accessKey" to keep writing with it`,
          );
        }
        if (retired >= gen) {
          return fail(
            "realtime.dts.retiredWriterKeyGeneration",
            retired,
            `less than realtime.dts.writerKeyGeneration (${gen})`,
            `${key("realtime.dts.retiredWriterKeyGeneration")} is ${retired} but realtime.dts.writerKeyGeneration is ${gen}: the key new jobs get cannot be retired; allowed: 0 to ${gen - 1} (raise writerKeyGeneration first to rotate: docs/realtime-dts.md)`,
          );
        }
        return [];
      }
      if (gen !== 1 || retired !== 0) {
        const path = gen !== 1 ? "realtime.dts.writerKeyGeneration" : "realtime.dts.retiredWriterKeyGeneration";
        return fail(
          path,
          gen !== 1 ? gen : retired,
          'unset with realtime.dts.writer "accessKey"',
          `${key(path)} is set but realtime.dts.writer is "accessKey": key generations rotate the managed writer's keys only; rotate a pair you bring in the DTS console and its config secrets (docs/realtime-dts.md), or set realtime.dts.writer to "managed"`,
        );
      }
      return [];
    },
  },
  {
    id: "realtime-secrets-set",
    description: "the source password (and, with realtime.dts.writer accessKey, the MaxCompute AccessKey pair) are set as secrets when DTS is on",
    check: (c) => {
      if (!dtsActive(c)) return [];
      const needed = c.realtime.dts.writer === "accessKey" ? DTS_SECRETS : DTS_SECRETS.filter((s) => !DTS_WRITER_SECRETS.includes(s));
      const missing = needed.filter((s) => !c.secretsSet.includes(s));
      if (missing.length === 0) return [];
      // Never the value: the key is not set, and secrets are not shown anyway.
      return fail(
        missing[0],
        undefined,
        "set with pulumi config set --secret",
        `${missing.map(key).join(", ")} not set; the DTS job needs them when realtime.enabled is true: ${missing.map((s) => `pulumi config set --secret ${key(s)} <value>`).join("; ")}`,
      );
    },
  },
];

/** Every problem of every rule, in rule order. */
export function checkRealtimeRules(config: RealtimeRuleInput, rules: readonly RealtimeRule[] = REALTIME_RULES): Problem[] {
  return runRules(rules, config);
}
