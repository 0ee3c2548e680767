/**
 * Args of the `Tracking` component, their defaults and their validation rules
 * (as data: the condition that must hold and the message that names the arg,
 * the value received and what is allowed).
 */
import * as pulumi from "@pulumi/pulumi";
import { TrackingExtraConfig } from "../../lib/config/types";
import { TRACKING_EXTRA_DEFAULTS } from "../../lib/config/defaults";
import { RAM_ROLE_ARN } from "../../lib/sls/sls-objects";

/** Args of {@link Tracking}. */
export interface TrackingArgs {
  /** Region of the SLS project, e.g. `cn-shanghai`. */
  readonly region: string;
  /** SLS project name: 3-63 chars, lower case letters, digits and `-`, globally unique. */
  readonly projectName: string;
  /** The tracking logstore (web tracking on). @default "user_events" */
  readonly logstore?: string;
  /** Retention of the tracking logstore, in days (1-3650; 3650 = forever). @default 30 */
  readonly retentionDays?: number;
  /** Shards of the tracking logstore at creation (1-256); auto split grows it. @default 2 */
  readonly shardCount?: number;
  /** Alert when distinct users over the last hour fall below this; 0 = no alert. @default 0 */
  readonly dauFloor?: number;
  /** Build the SLS realtime engine (per-minute Scheduled SQL + trend dashboard). @default false */
  readonly realtimeMetrics?: boolean;
  /**
   * Keep the per-minute metrics logstore (data) even while `realtimeMetrics` is off, so
   * switching SLS realtime off, or to another engine, removes only the scheduled SQL. The
   * platform always sets it (the data resources of a stack never depend on its stage or engine).
   * @default false
   */
  readonly metricsStore?: boolean;
  /** MaxCompute project the T+1 export writes to; no export without it. */
  readonly maxcomputeProject?: pulumi.Input<string>;
  /**
   * Lifecycle of the export table's partitions, in days. Updated in place with
   * `ALTER TABLE ... SET LIFECYCLE` (a `TableColumns` resource), never through the table's ROS template.
   * @default 365
   */
  readonly exportLifecycleDays?: number;
  /**
   * Lifecycle, in days, the export table's ROS definition carries (`ALIYUN::MaxCompute::Table`
   * `Lifecycle`, not editable in ROS): the one it was created with. Must not change once the table exists.
   * @default exportLifecycleDays
   */
  readonly exportTableCreatedWithLifecycleDays?: number;
  /**
   * First window of the per-minute Scheduled SQL, epoch seconds. Set at
   * creation and ignored afterwards (`ignoreChanges`): SLS runs every window
   * from this time on, so a past value would backfill.
   * @default the start of the current hour when the job is created
   */
  readonly scheduleStartEpochSeconds?: number;
  /** Extra tracking settings. @default TRACKING_EXTRA_DEFAULTS */
  readonly extra?: TrackingExtraConfig;
}

/** The args with every default applied (what the feature builders receive). */
export type ResolvedTrackingArgs = Required<Omit<TrackingArgs, "maxcomputeProject" | "scheduleStartEpochSeconds">> &
  Pick<TrackingArgs, "maxcomputeProject" | "scheduleStartEpochSeconds">;

/** Defaults first, then the caller's args spread over them. */
export function resolveTrackingArgs(args: TrackingArgs): ResolvedTrackingArgs {
  const resolved = {
    logstore: "user_events",
    retentionDays: 30,
    shardCount: 2,
    dauFloor: 0,
    realtimeMetrics: false,
    metricsStore: false,
    exportLifecycleDays: 365,
    extra: TRACKING_EXTRA_DEFAULTS,
    ...args,
  };
  // Derived default: the table is created with the lifecycle it is meant to have.
  return { ...resolved, exportTableCreatedWithLifecycleDays: args.exportTableCreatedWithLifecycleDays ?? resolved.exportLifecycleDays };
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const LOGSTORE_NAME = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;

/** Validation rules as data: condition that must hold, and the message when it does not. */
export function trackingArgErrors(a: ResolvedTrackingArgs): string[] {
  const rules: { ok: boolean; message: string }[] = [
    {
      ok: PROJECT_NAME.test(a.projectName),
      message: `projectName is ${JSON.stringify(a.projectName)}; allowed: 3-63 chars, lower case letters, digits and "-", starting and ending with a letter or digit`,
    },
    {
      ok: LOGSTORE_NAME.test(a.logstore),
      message: `logstore is ${JSON.stringify(a.logstore)}; allowed: 3-63 chars, lower case letters, digits, "-" and "_", starting and ending with a letter or digit`,
    },
    {
      ok: Number.isInteger(a.retentionDays) && a.retentionDays >= 1 && a.retentionDays <= 3650,
      message: `retentionDays is ${a.retentionDays}; allowed: an integer 1-3650`,
    },
    {
      ok: Number.isInteger(a.shardCount) && a.shardCount >= 1 && a.shardCount <= 256,
      message: `shardCount is ${a.shardCount}; allowed: an integer 1-256`,
    },
    {
      ok: Number.isInteger(a.dauFloor) && a.dauFloor >= 0,
      message: `dauFloor is ${a.dauFloor}; allowed: an integer >= 0 (0 = no alert)`,
    },
    {
      ok: Number.isInteger(a.exportLifecycleDays) && a.exportLifecycleDays >= 1,
      message: `exportLifecycleDays is ${a.exportLifecycleDays}; allowed: an integer >= 1`,
    },
    {
      ok: Number.isInteger(a.exportTableCreatedWithLifecycleDays) && a.exportTableCreatedWithLifecycleDays >= 1,
      message: `exportTableCreatedWithLifecycleDays is ${a.exportTableCreatedWithLifecycleDays}; allowed: an integer >= 1`,
    },
    {
      // Checked here as well as in the config schema: the export's MaxCompute grant names the role.
      ok: a.extra.export.roleArn === undefined || RAM_ROLE_ARN.test(a.extra.export.roleArn),
      message: `extra.export.roleArn is ${JSON.stringify(a.extra.export.roleArn)}; allowed: a RAM role ARN "acs:ram::<account id>:role/<role name>"`,
    },
  ];
  return rules.filter((r) => !r.ok).map((r) => r.message);
}
