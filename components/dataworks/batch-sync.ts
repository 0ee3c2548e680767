import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import { BatchTier, TableConfig } from "../../lib/config/types";
import { DDL_HANDLING_SETTINGS, diJobSpecs, diJobVersion, diTableMappings } from "../../lib/dataworks/di-job-spec";
import { DiJobRun } from "../../providers/dataworks/di-job-run";
import { TYPES } from "../../lib/plan/type-tokens";

/** Arguments of {@link BatchSync}. */
/**
 * The DiJob blocks GetDIJob fills with server defaults the stack never sets (see BatchSync): ignored,
 * or a refresh would show them as a change of a replacement-forcing block. Realtime DI jobs too.
 */
export const DI_JOB_IGNORE_CHANGES = ["jobSettings.channelSettings", "jobSettings.columnDataTypeSettings", "jobSettings.runtimeSettings"] as const;

export interface BatchSyncArgs {
  /** DataWorks workspace id. */
  projectId: pulumi.Input<number>;
  /** `daily` (T+1) or `hourly`. */
  layer: BatchTier;
  /** Every synced table; the layer picks its own (daily: all, hourly: tier `hourly`). */
  tables: readonly TableConfig[];
  /** Source database name. */
  database: string;
  /** Names of the workspace's MySQL and MaxCompute data sources. */
  sourceDataSourceName: string;
  destinationDataSourceName: string;
  /** Serverless resource group identifier. */
  resourceGroup: string;
  /** Compute units requested per job. */
  requestedCu: number;
  /** Prefix of job names in DataWorks (the workspace name). */
  jobPrefix: string;
  /** When the layer's jobs run (Quartz cron). */
  cron: string;
  /** Source time zone (IANA), `warehouse.timezone` (its default lives in lib/config/defaults.ts). */
  timezone: string;
  /** Region of the workspace (the DataWorks OpenAPI endpoint the job runs are started through): the stack's `alicloud:region`, resolved by config. */
  region: string;
}

/**
 * One batch layer's Data Integration. Daily: a DI job loading every table with
 * an incremental condition, and one loading in full the tables without an
 * incremental column. Hourly: one DI job per stage its tables become hourly at (lib/dataworks/di-job-spec.ts).
 * No DI alarm rules: DataWorks takes them only for real-time sync jobs; the layer's node rules watch
 * the loads (components/monitoring/freshness-alerts.ts). Sync resources: not protected; removed on
 * demotion, the ODS tables they fill stay.
 */
export class BatchSync extends pulumi.ComponentResource {
  public static readonly TYPE = TYPES.BatchSync;
  public readonly jobs: alicloud.dataworks.DiJob[] = [];
  /** Each job's name in DataWorks, in the same order as `jobs` (the alert rules name them). */
  public readonly jobNames: string[] = [];
  /** One DiJobRun per job, in the same order: keeps the job started (the provider never starts it). */
  public readonly runs: DiJobRun[] = [];

  constructor(name: string, args: BatchSyncArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BatchSync.TYPE, name, {}, opts);
    const region = args.region;
    let specs;
    try {
      specs = diJobSpecs(args.layer, args.tables, args.jobPrefix, args.cron);
    } catch (e) {
      throw new pulumi.ResourceError(`BatchSync ${args.layer}: ${(e as Error).message}`, this);
    }
    for (const spec of specs) {
      const job = new alicloud.dataworks.DiJob(
        `${name}-${spec.key}`,
        {
          projectId: args.projectId,
          jobName: spec.jobName,
          description: `photo-analytics ${args.layer} ${spec.mode} load: ${spec.tables.map((t) => t.name).join(", ")}`,
          migrationType: spec.migrationType,
          sourceDataSourceType: "MySQL",
          sourceDataSourceSettings: [{ dataSourceName: args.sourceDataSourceName, dataSourceProperties: { encoding: "utf-8", timezone: args.timezone } }],
          destinationDataSourceType: "MaxCompute",
          destinationDataSourceSettings: [{ dataSourceName: args.destinationDataSourceName }],
          resourceSettings: {
            offlineResourceSettings: { resourceGroupIdentifier: args.resourceGroup, requestedCu: args.requestedCu },
            scheduleResourceSettings: { resourceGroupIdentifier: args.resourceGroup, requestedCu: args.requestedCu },
          },
          jobSettings: {
            cycleScheduleSettings: { cycleMigrationType: spec.cycleMigrationType, scheduleParameters: spec.scheduleParameters },
            // Columns added in MySQL are added to the ODS table; destructive DDL is ignored, never replayed.
            ddlHandlingSettings: DDL_HANDLING_SETTINGS.map((d) => ({ ...d })),
          },
          transformationRules: spec.transformationRules.map((r) => ({ ...r })),
          tableMappings: diTableMappings(spec, args.sourceDataSourceName, args.database),
        },
        // GetDIJob's JobSettings arrays are copied into state as the server returns them,
        // server defaults included (alicloud/resource_alicloud_data_works_di_job.go
        // @28ee93bc63fa0e5f919a21fc1711bde8c45d7b44, v1.289.0, Read: `jobSettingsMaps["column_data_type_settings"] = ...`,
        // `["runtime_settings"]`, `["channel_settings"] = jobSettings1Raw["ChannelSettings"]`, no
        // DiffSuppressFunc in the schema): the stack sets none of these three, so a refresh would
        // show the server's defaults as a change of a replacement-forcing block. Nothing else is
        // ignored: transformationRules (partitions, schedule) and tableMappings are compared.
        // The component's dependsOn (data sources, ODS tables, the resource-group binding) is each
        // job's own: recorded with the job, so the engine orders the job itself (and the plan shows it).
        { parent: this, dependsOn: opts?.dependsOn, ignoreChanges: [...DI_JOB_IGNORE_CHANGES] },
      );
      this.jobs.push(job);
      this.jobNames.push(spec.jobName);
      // Start the job after create and after every change of its definition; stop it before delete.
      this.runs.push(
        new DiJobRun(
          `${name}-${spec.key}-run`,
          {
            diJobId: job.id,
            region,
            jobVersion: diJobVersion(spec, {
              resourceGroup: args.resourceGroup,
              requestedCu: args.requestedCu,
              database: args.database,
              source: args.sourceDataSourceName,
              destination: args.destinationDataSourceName,
              timezone: args.timezone,
            }),
          },
          { parent: this, dependsOn: [job] },
        ),
      );
    }
    this.registerOutputs({});
  }
}
