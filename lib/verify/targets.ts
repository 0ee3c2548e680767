/**
 * What `npm run verify` looks for, derived from the resolved config alone: every name the stack
 * gives the deployed resources is deterministic (job names from the DI job specs, node and table
 * names from the layer plans, the DTS job from the warehouse project, the SLS objects from
 * tracking config), so the deployed pipeline is found through the APIs' list/filter-by-name
 * calls without Pulumi state. Pure.
 */
import type { StackConfig } from "../config/types";
import { diJobSpecs } from "../dataworks/di-job-spec";
import { DAILY_REPORTS, hourlyAggregateName } from "../dataworks/layer-sql";
import { odsTableName } from "../maxcompute/ods-tables";
import { engineOn } from "../config/realtime";
import { dtsJobName } from "../dts/dts-job";
import { metricsLogstoreName } from "../sls/sls-objects";
import { FeedMetric, feedMetrics } from "../metrics/rt-metrics";
import { STALE_INTERVALS } from "../sls/rt-metrics";

/** The tiers verify reports on, in this order. */
export const VERIFY_TIERS = ["daily", "hourly", "realtime", "tracking"] as const;
export type VerifyTier = (typeof VERIFY_TIERS)[number];

/** Names the components give, passed in from the edge (they live beside the components). */
export interface DeployedNames {
  /**
   * The Platform component's name (stack.ts). No cloud-side name verify looks up is derived from
   * it any more: the DTS job is named after the warehouse project (lib/dts/dts-job.ts `dtsJobName`).
   * @deprecated unused; kept so that existing callers still type-check.
   */
  readonly platform?: string;
  /** The SLS -> MaxCompute export job's name (lib/sls/sls-objects.ts EXPORT_NAME). */
  readonly exportName: string;
}

/** One batch tier's objects. */
export interface BatchTargets {
  readonly jobs: readonly string[];
  /** Tables whose due partition must exist: the ODS tables the DI jobs fill, then the nodes' tables. */
  readonly tables: readonly string[];
  /** Report / aggregate nodes; each writes the table of the same name. */
  readonly nodes: readonly string[];
}

export interface VerifyTargets {
  readonly region: string;
  readonly timezone: string;
  readonly workspaceName: string;
  readonly maxcomputeProject: string;
  readonly daily: BatchTargets;
  readonly hourly?: BatchTargets;
  /** The DTS job name, when realtime runs on DTS. */
  readonly dtsJob?: { readonly name: string; readonly delayThresholdSeconds: number };
  /** The per-minute metrics logstore, when realtime runs on SLS. */
  readonly slsMetrics?: { readonly project: string; readonly logstore: string; readonly maxAgeMinutes: number };
  readonly tracking?: { readonly project: string; readonly logstore: string; readonly exportName?: string; readonly eventsMaxAgeMinutes: number };
  /**
   * The realtime metrics (rt_*) imported into the metrics logstore, when realtime runs on dts or canal-datahub with
   * tracking on: each value must have a row newer than three intervals (the stall alert's limit).
   */
  readonly rtMetrics?: { readonly project: string; readonly logstore: string; readonly metrics: readonly FeedMetric[]; readonly maxAgeMinutes: number };
  readonly freshness: StackConfig["freshness"];
}

/** The objects of a stack, by tier. */
export function verifyTargets(c: StackConfig, names: DeployedNames): VerifyTargets {
  const ws = c.dataworks.workspaceName;
  const jobs = (layer: "daily" | "hourly", cron: string) => diJobSpecs(layer, c.tables, ws, cron).map((s) => s.jobName);
  const hourlyTables = c.tables.filter((t) => t.tier === "hourly");
  return {
    region: c.region,
    timezone: c.warehouse.timezone,
    workspaceName: ws,
    maxcomputeProject: c.warehouse.projectName,
    daily: {
      jobs: jobs("daily", c.dataworks.dailyCron),
      tables: [...c.tables.map((t) => odsTableName(t.name, "daily")), ...DAILY_REPORTS.map((r) => r.name)],
      nodes: DAILY_REPORTS.map((r) => r.name),
    },
    ...(hourlyTables.length > 0
      ? {
          hourly: {
            jobs: jobs("hourly", c.dataworks.hourlyCron),
            tables: [...hourlyTables.map((t) => odsTableName(t.name, "hourly")), ...hourlyTables.map((t) => hourlyAggregateName(t.name))],
            nodes: hourlyTables.map((t) => hourlyAggregateName(t.name)),
          },
        }
      : {}),
    ...(engineOn(c, "dts") ? { dtsJob: { name: dtsJobName(c.warehouse.projectName), delayThresholdSeconds: c.realtime.dts.delayThresholdSeconds } } : {}),
    ...(engineOn(c, "sls") && c.tracking.enabled
      ? {
          slsMetrics: {
            project: c.tracking.projectName,
            logstore: metricsLogstoreName(c.tracking.logstore),
            maxAgeMinutes: c.freshness.slsMetricsMaxAgeMinutes,
          },
        }
      : {}),
    ...((engineOn(c, "dts") || engineOn(c, "canal-datahub")) && c.tracking.enabled
      ? {
          rtMetrics: {
            project: c.tracking.projectName,
            logstore: metricsLogstoreName(c.tracking.logstore),
            metrics: feedMetrics(
              c.sourceSchema,
              c.tables.filter((t) => t.realtime).map((t) => t.name),
            ),
            maxAgeMinutes: STALE_INTERVALS * c.realtime.metrics.intervalMinutes,
          },
        }
      : {}),
    ...(c.tracking.enabled
      ? {
          tracking: {
            project: c.tracking.projectName,
            logstore: c.tracking.logstore,
            ...(c.tracking.extra.export.enabled ? { exportName: names.exportName } : {}),
            eventsMaxAgeMinutes: c.freshness.eventsMaxAgeMinutes,
          },
        }
      : {}),
    freshness: c.freshness,
  };
}
