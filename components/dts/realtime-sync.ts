/**
 * The realtime layer over DTS: one synchronization instance (MySQL -> MaxCompute)
 * and one synchronization job for every realtime table, plus its delay alarm
 * (one monitor rule per job: two on one job read each other). DTS writes `<table>_base` / `<table>_log` into the MaxCompute project;
 * those tables are created by DTS, not by this stack, so removing this
 * component (realtime switched off) never deletes data. The `<table>_realtime`
 * merge views and the metric queries are generated SQL (sql/maxcompute/realtime).
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import { DtsConfig, SourceConfig, StackConfig, TableConfig } from "../../lib/config/types";
import { instanceClassForInstance } from "../../lib/config/dts-instance-classes";
import { dbListJson, dtsJobName, realtimeTables, reserveJson, sourceEndpoint } from "../../lib/dts/dts-job";
import { engineOn } from "../../lib/config/realtime";
import { dtsTableNames } from "../../lib/dts/merge-sql";
import { DtsWriterMode } from "../../lib/config/types";
import { DtsWriterSummary } from "../../lib/ram/dts-writer";
import { DtsWriter } from "./dts-writer";
import { TYPES } from "../../lib/plan/type-tokens";

/** DTS settings the component reads: the resolved `realtime.dts` config. */
export interface RealtimeDtsSettings extends DtsConfig {
  /** Length of a Subscription purchase, in months (1-9, 12, 24, 36, 60). @default 1 */
  readonly subscriptionMonths?: number;
}

export interface RealtimeSyncArgs {
  /** Region of the DTS instance and of the MaxCompute project (`alicloud:region`). */
  readonly region: string;
  /** The MySQL source; `instanceType` decides how DTS reaches it. */
  readonly source: SourceConfig;
  /** Password of `source.user` (config secret `sourcePassword`). Wrapped as a secret Output. */
  readonly sourcePassword: pulumi.Input<string>;
  /** The resolved tables; only those with `realtime: true` are synced. At least one. */
  readonly tables: readonly TableConfig[];
  /** Destination MaxCompute project name. Changing it replaces the job. */
  readonly maxcomputeProject: pulumi.Input<string>;
  /**
   * Who DTS writes MaxCompute as: `managed` builds a {@link DtsWriter} (a RAM user granted only
   * DTS's own tables, with a stack-managed AccessKey); `accessKey` uses `accessKeyId`/`accessKeySecret`.
   * @default "accessKey" when both are given, else "managed"
   */
  readonly writer?: DtsWriterMode;
  /**
   * AccessKey id DTS writes to MaxCompute with (secret `maxcomputeAccessKeyId`), with writer
   * `accessKey` only. Read at create only: a later change is ignored (see {@link JOB_OPTIONS});
   * rotate the pair in the DTS console.
   */
  readonly accessKeyId?: pulumi.Input<string>;
  /** AccessKey secret (secret `maxcomputeAccessKeySecret`), with writer `accessKey` only. Read at create only, like `accessKeyId`. */
  readonly accessKeySecret?: pulumi.Input<string>;
  /** Managed writer: generation of the AccessKey new jobs get. @default 1 */
  readonly writerKeyGeneration?: number;
  /** Managed writer: keys up to this generation are deleted. @default 0 */
  readonly retiredWriterKeyGeneration?: number;
  /** Class, payment, delay threshold and alarm phones. */
  readonly dts: RealtimeDtsSettings;
  /**
   * DTS job name shown in the console and looked up by `npm run verify`; one per stack in a region
   * of an account. Updated in place when changed (no new job).
   * @default `<maxcomputeProject with _ as ->-realtime` (lib/dts/dts-job.ts `dtsJobName`)
   */
  readonly jobName?: pulumi.Input<string>;
}

/** Logical child names, derived from the component name (public contract). */
export function realtimeChildNames(name: string): { instance: string; job: string; delayAlarm: string; writer: string } {
  return { instance: `${name}-instance`, job: `${name}-job`, delayAlarm: `${name}-delay-alarm`, writer: `${name}-writer` };
}

/**
 * Options of the synchronization instance. The provider's Update is a no-op ("The resouce has not
 * update operation", resource_alicloud_dts_synchronization_instance.go @ 0612d7569dc6c40e76b6758f08452274361dc863)
 * and Read sets `instance_class` from `DtsJobClass`: an in-place class change would "succeed", change
 * nothing and diff again on every run. So a class change is planned as what the stack can actually
 * do, a new instance (and so a new job and a new baseline). To upgrade without a new sync, upgrade
 * in the DTS console, `pulumi refresh`, then set `realtime.dts.instanceClass` (docs/realtime-dts.md).
 */
export const INSTANCE_OPTIONS = { replaceOnChanges: ["instanceClass"] } as const;

/**
 * Options of the synchronization job. The provider updates a changed AccessKey secret with
 * `ModifyDtsJobPassword(UserName = d.Get("destination_endpoint_user_name"), Password = <new>)`
 * (resource_alicloud_dts_synchronization_job.go @ 02fad2a78560a09e2a21bbc369e9eba3519aed14): with the
 * id ignored it would send the new secret with the old id, a pair that does not exist, while the id
 * itself is ForceNew (a new full sync). An AccessKey secret belongs to one id, so the pair rotates
 * together, in the DTS console, and the stack ignores both after create. The same holds for the
 * managed writer's keys: a new key generation reaches new jobs; the running job is switched in the
 * console before the old key is retired (docs/realtime-dts.md, "Rotating the writer's AccessKey").
 */
export const JOB_OPTIONS = { ignoreChanges: ["destinationEndpointUserName", "destinationEndpointPassword"] } as const;

/**
 * Options of the delay alarm (JobMonitorRule), read in resource_alicloud_dts_job_monitor_rule.go
 * @0a25b6c671501c928c1f5530f646d867c254f06a: Read sets `type` (ForceNew) from `MonitorRules[0]` of
 * DescribeJobMonitorRule with no filter, and DTS lists every rule type of a job there (delay, error,
 * full_timeout, warn: DescribeJobMonitorRuleResponseBody in the official SDK). Once an `error` rule
 * comes first, the state's type flips and every refreshed `up` would plan a replacement.
 * - `ignoreChanges: ["type"]`: a type read back from another rule is no change. The stack creates
 *   only the `delay` rule, and the bridge drops the ignored attribute from the provider's diff too.
 * - `replaceOnChanges` on the rest: Update sends `Type = d.Get("type")`, the type in state, which
 *   may be the other rule's, so a changed threshold or phone list could land on the error rule.
 *   Create sends the program's values instead, and both are harmless to repeat: Create is
 *   CreateJobMonitorRule, which Update itself uses to modify a rule (an upsert of the job's rule of
 *   that type), and Delete calls nothing ("Cannot destroy ... resources may remain").
 * Left: after a `pulumi refresh` the stored inputs take the read values (pulumi-terraform-bridge
 * Read, ExtractInputsFromOutputs on refresh), so an alarm change following a refresh that read
 * another rule's type is sent with that type (docs/known-limits.md).
 */
export const DELAY_ALARM_OPTIONS = { ignoreChanges: ["type"], replaceOnChanges: ["delayRuleTime", "phone", "state"] } as const;

/** Payment duration of a Subscription purchase, as the instance takes it. */
export function paymentDuration(months: number): { paymentDuration: number; paymentDurationUnit: "Month" | "Year" } {
  return months >= 12 && months % 12 === 0
    ? { paymentDuration: months / 12, paymentDurationUnit: "Year" }
    : { paymentDuration: months, paymentDurationUnit: "Month" };
}

export class RealtimeSync extends pulumi.ComponentResource {
  /** Type token (lib/plan/type-tokens.ts). */
  public static readonly TYPE = TYPES.RealtimeSync;
  /** The DTS synchronization instance. */
  readonly instance: alicloud.dts.SynchronizationInstance;
  /** The synchronization job (schema + full + incremental). */
  readonly job: alicloud.dts.SynchronizationJob;
  /**
   * The job's one monitor rule: the delay alarm (threshold `dts.delayThresholdSeconds`). A stopped
   * or failed job stops advancing, so its delay crosses the threshold too. There is no second
   * (error) rule: the provider gives every rule of a job the id `DtsJobId` and reads back
   * `MonitorRules[0]` whatever its type (resource_alicloud_dts_job_monitor_rule.go @
   * 0a25b6c671501c928c1f5530f646d867c254f06a), so two rules on one job read each other's ForceNew
   * `type` and are replaced on every `pulumi up`.
   */
  readonly delayAlarm: alicloud.dts.JobMonitorRule;
  /** Source tables synced, sorted. */
  readonly tableNames: readonly string[];
  /** The `<table>_realtime` views the generated SQL defines over DTS's tables, sorted by table. */
  readonly viewNames: readonly string[];
  /** The managed writer (writer `managed`); undefined when the job writes with a pair the user brings. */
  readonly writer?: DtsWriter;
  /** Which identity the job writes with, for the `dtsWriter` stack output (never a secret). */
  readonly writerSummary: pulumi.Output<DtsWriterSummary>;

  constructor(name: string, args: RealtimeSyncArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RealtimeSync.TYPE, name, {}, opts);

    const tables = realtimeTables(args.tables).map((t) => t.name);
    if (tables.length === 0) {
      throw new pulumi.ResourceError(
        `RealtimeSync ${name}: args.tables has no table with realtime: true (got ${args.tables.map((t) => t.name).join(", ") || "none"}); do not build the realtime layer without tables`,
        this,
      );
    }
    let endpoint: ReturnType<typeof sourceEndpoint>;
    try {
      endpoint = sourceEndpoint(args.source);
    } catch (e) {
      throw new pulumi.ResourceError(`RealtimeSync ${name}: ${(e as Error).message}`, this);
    }
    if (args.dts.subscriptionMonths !== undefined && args.dts.paymentType !== "Subscription") {
      throw new pulumi.ResourceError(
        `RealtimeSync ${name}: args.dts.subscriptionMonths (${args.dts.subscriptionMonths}) is only allowed with paymentType "Subscription", got ${JSON.stringify(args.dts.paymentType)}`,
        this,
      );
    }
    const given = [args.accessKeyId, args.accessKeySecret].filter((v) => v !== undefined).length;
    const writerMode: DtsWriterMode = args.writer ?? (given === 2 ? "accessKey" : "managed");
    if (writerMode === "accessKey" && given < 2) {
      throw new pulumi.ResourceError(
        `RealtimeSync ${name}: args.writer is "accessKey" but ${args.accessKeyId === undefined ? "args.accessKeyId" : "args.accessKeySecret"} is not given; pass both, or use writer "managed"`,
        this,
      );
    }
    if (writerMode === "managed" && given > 0) {
      throw new pulumi.ResourceError(
        `RealtimeSync ${name}: args.writer is "managed" but args.accessKeyId/args.accessKeySecret are given; the managed writer makes its own AccessKey: pass neither, or use writer "accessKey"`,
        this,
      );
    }
    this.tableNames = [...tables].sort();
    this.viewNames = this.tableNames.map((t) => dtsTableNames(t).view);
    const names = realtimeChildNames(name);
    const child = { parent: this };

    if (writerMode === "managed") {
      this.writer = new DtsWriter(
        names.writer,
        {
          maxcomputeProject: args.maxcomputeProject,
          tables: this.tableNames,
          keyGeneration: args.writerKeyGeneration,
          retiredKeyGeneration: args.retiredWriterKeyGeneration,
        },
        child,
      );
      this.writerSummary = this.writer.summary;
    } else {
      this.writerSummary = pulumi.output({ mode: "accessKey" as const, from: "config maxcomputeAccessKeyId / maxcomputeAccessKeySecret" as const });
    }
    const destinationUser = this.writer ? this.writer.accessKeyId : pulumi.secret(args.accessKeyId as pulumi.Input<string>);
    const destinationSecret = this.writer ? this.writer.accessKeySecret : pulumi.secret(args.accessKeySecret as pulumi.Input<string>);

    this.instance = new alicloud.dts.SynchronizationInstance(
      names.instance,
      {
        paymentType: args.dts.paymentType,
        sourceEndpointEngineName: "MySQL",
        sourceEndpointRegion: args.source.region,
        destinationEndpointEngineName: "odps",
        destinationEndpointRegion: args.region,
        instanceClass: instanceClassForInstance(args.dts.instanceClass),
        ...(args.dts.paymentType === "Subscription" ? paymentDuration(args.dts.subscriptionMonths ?? 1) : {}),
      },
      { ...child, replaceOnChanges: [...INSTANCE_OPTIONS.replaceOnChanges] },
    );

    this.job = new alicloud.dts.SynchronizationJob(
      names.job,
      {
        dtsInstanceId: this.instance.id,
        dtsJobName: args.jobName ?? pulumi.output(args.maxcomputeProject).apply(dtsJobName),
        structureInitialization: true,
        dataInitialization: true,
        dataSynchronization: true,
        dbList: dbListJson(args.source.database, tables),
        reserve: reserveJson(),
        ...endpoint,
        sourceEndpointPassword: pulumi.secret(args.sourcePassword),
        destinationEndpointEngineName: "ODPS",
        destinationEndpointInstanceType: "ODPS",
        destinationEndpointRegion: args.region,
        destinationEndpointDatabaseName: args.maxcomputeProject,
        destinationEndpointUserName: destinationUser,
        destinationEndpointPassword: destinationSecret,
        // The job's own delay/error notice fields force replacement (a new full
        // sync) when changed; the alarm lives in JobMonitorRule, whose phone is updatable.
        // No instanceClass on the job: the provider's Create runs Update, which calls
        // TransferInstanceClass (OrderType UPGRADE) when instance_class is set, even on a new job
        // (resource_alicloud_dts_synchronization_job.go @ 02fad2a78560a09e2a21bbc369e9eba3519aed14);
        // the new job takes the class of its instance.
        status: "Synchronizing",
      },
      // The managed writer's grant carries no value into the job: without dependsOn DTS's precheck
      // could run before the user may create tables in the project.
      { ...child, ignoreChanges: [...JOB_OPTIONS.ignoreChanges], ...(this.writer ? { dependsOn: [this.writer.grant] } : {}) },
    );

    // The rule exists even with no phones (state "N"), so adding phones later is an in-place update.
    const phones = args.dts.alertPhones;
    const notify = phones.length > 0 ? { phone: phones.join(","), state: "Y" } : { state: "N" };
    this.delayAlarm = new alicloud.dts.JobMonitorRule(
      names.delayAlarm,
      { dtsJobId: this.job.id, type: "delay", delayRuleTime: String(args.dts.delayThresholdSeconds), ...notify },
      { ...child, ignoreChanges: [...DELAY_ALARM_OPTIONS.ignoreChanges], replaceOnChanges: [...DELAY_ALARM_OPTIONS.replaceOnChanges] },
    );

    this.registerOutputs({
      instanceId: this.instance.id,
      jobId: this.job.id,
      tableNames: this.tableNames,
      viewNames: this.viewNames,
      writer: this.writerSummary,
    });
  }
}

/** Secret inputs the realtime layer needs, as the program reads them (`config.requireSecret`). */
export interface RealtimeSecrets {
  readonly sourcePassword: pulumi.Input<string>;
  /** With `realtime.dts.writer` "accessKey" only (the config rules require the pair then). */
  readonly maxcomputeAccessKeyId?: pulumi.Input<string>;
  readonly maxcomputeAccessKeySecret?: pulumi.Input<string>;
}

/**
 * The component's args for a resolved config, or undefined when the config has
 * no DTS layer (realtime off, or another engine). Switching realtime off thus
 * removes the component and its DTS children; the MaxCompute tables DTS wrote stay.
 */
export function realtimeSyncArgs(
  config: Pick<StackConfig, "region" | "source" | "tables" | "realtime" | "secretsSet">,
  secrets: RealtimeSecrets,
  maxcomputeProject: pulumi.Input<string>,
): RealtimeSyncArgs | undefined {
  if (!engineOn(config, "dts")) return undefined;
  return {
    region: config.region,
    source: config.source,
    sourcePassword: secrets.sourcePassword,
    tables: realtimeTables(config.tables),
    maxcomputeProject,
    writer: config.realtime.dts.writer,
    ...(config.realtime.dts.writer === "accessKey"
      ? { accessKeyId: secrets.maxcomputeAccessKeyId, accessKeySecret: secrets.maxcomputeAccessKeySecret }
      : { writerKeyGeneration: config.realtime.dts.writerKeyGeneration, retiredWriterKeyGeneration: config.realtime.dts.retiredWriterKeyGeneration }),
    dts: config.realtime.dts,
  };
}
