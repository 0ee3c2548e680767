/**
 * Args of the `Tracking` component: resolved, validated values. Their defaults live in
 * lib/config/defaults.ts and their rules in the config schema (lib/config/schema.ts), the one
 * place each is written; the component takes what config resolved and checks nothing again.
 */
import * as pulumi from "@pulumi/pulumi";
import { TrackingExtraConfig } from "../../lib/config/types";

/** Args of {@link Tracking}. */
export interface TrackingArgs {
  /** Region of the SLS project, e.g. `cn-shanghai`. */
  readonly region: string;
  /** SLS project name: 3-63 chars, lower case letters, digits and `-`, globally unique. */
  readonly projectName: string;
  /** The tracking logstore (web tracking on). Config default: "user_events". */
  readonly logstore: string;
  /** Retention of the tracking logstore, in days (1-3650; 3650 = forever). Config default: 30. */
  readonly retentionDays: number;
  /** Shards of the tracking logstore at creation (1-256); auto split grows it. Config default: 2. */
  readonly shardCount: number;
  /** Alert when distinct users over the last hour fall below this; 0 = no alert. Config default: 0. */
  readonly dauFloor: number;
  /** Build the SLS realtime engine (per-minute Scheduled SQL + trend dashboard): on with realtime engine `sls`. */
  readonly realtimeMetrics: boolean;
  /**
   * Keep the per-minute metrics logstore (data) even while `realtimeMetrics` is off, so
   * switching SLS realtime off, or to another engine, removes only the scheduled SQL. The
   * platform always sets it (the data resources of a stack never depend on its stage or engine).
   */
  readonly metricsStore: boolean;
  /** MaxCompute project the T+1 export writes to; no export without it. */
  readonly maxcomputeProject?: pulumi.Input<string>;
  /**
   * Lifecycle of the export table's partitions, in days. Updated in place with
   * `ALTER TABLE ... SET LIFECYCLE` (a `TableColumns` resource), never through the table's ROS template:
   * `warehouse.lifecycleDays`.
   */
  readonly exportLifecycleDays: number;
  /**
   * Lifecycle, in days, the export table's ROS definition carries (`ALIYUN::MaxCompute::Table`
   * `Lifecycle`, not editable in ROS): the one it was created with. Must not change once the table exists:
   * `warehouse.tablesCreatedWithLifecycleDays`.
   */
  readonly exportTableCreatedWithLifecycleDays: number;
  /**
   * First window of the per-minute Scheduled SQL, epoch seconds. Set at
   * creation and ignored afterwards (`ignoreChanges`): SLS runs every window
   * from this time on, so a past value would backfill.
   * @default the start of the current hour when the job is created
   */
  readonly scheduleStartEpochSeconds?: number;
  /** Extra tracking settings (`tracking.extra`, resolved). */
  readonly extra: TrackingExtraConfig;
  /**
   * Minutes between two refreshes of the realtime metrics (`realtime.metrics.intervalMinutes`): the realtime
   * dashboard's `rt_*` charts read that far back. The charts are there whatever the stage and engine (empty until
   * an import fills the metrics logstore), so promotion and engine switches never rewrite the dashboard. @default 5
   */
  readonly rtIntervalMinutes?: number;
  /**
   * The realtime metrics (`rt_*`) of a CDC engine with a metrics node (dts, canal-datahub): imported into the
   * metrics logstore, charted on the realtime dashboard, watched by alerts (realtime-metrics.ts). Needs
   * `metricsStore`. @default none (no import, charts or alerts)
   */
  readonly rtMetrics?: RtMetricsArgs;
}

/** What the feature builders receive: the args as config resolved them. */
export type ResolvedTrackingArgs = TrackingArgs;

/** What the feature is built from (`TrackingArgs.rtMetrics`). */
export interface RtMetricsArgs {
  /** MaxCompute project holding `rt_metrics_feed` (the warehouse's output). Names the reader; changing it replaces the reader and the import. */
  readonly maxcomputeProject: pulumi.Input<string>;
  /** Minutes between two imports, as between two runs of the metrics node (5, 10, 15, 20, 30). Updated in place. */
  readonly intervalMinutes: number;
  /** `realtime.alerts` (resolved). */
  readonly alerts: { readonly dauDropPercent: number; readonly conversionFloorPercent: number; readonly minDau: number };
}
