/**
 * The `dataworks-flink` realtime engine (docs/realtime-engines.md): present only while
 * `realtime.enabled` is true with `realtime.engine: dataworks-flink`. Sync and compute only: the
 * `<table>_realtime` Delta tables (written by the DI job) and the `rt_*` metric tables stay in
 * MaxCompute when the engine is switched off or changed.
 *
 * Children (logical names derived from the component name, a public contract):
 * - `<name>-di` `alicloud.dataworks.DiJob`: whole-database realtime MySQL -> MaxCompute
 *   (lib/flink/realtime-di-job.ts); `<name>-di-run` `DiJobRun` keeps it started (the provider never
 *   starts a DI job); `<name>-di-failure|delay` `DiAlarmRule`s, like the batch jobs'.
 * - `<name>-workspace` `alicloud.realtimecompute.VvpInstance`: the Flink workspace.
 * - `<name>-metric-tables` `MetricTables`: the `rt_*` sink tables, created if absent.
 * - `<name>-metrics` `alicloud.realtimecompute.Deployment`: the SQL of sql/flink/metrics.sql;
 *   `<name>-metrics-job` `alicloud.realtimecompute.Job`: the started job;
 *   `<name>-metrics-job-stop` `FlinkJobStop`: stops the job (and waits for CANCELLED) before the
 *   Job is deleted, for a replacement or a removal (providers/flink/job-stop.ts).
 *
 * Not used: `SqlFile` (a SQL script run on a session cluster, `sessionClusterName` required: a
 * draft, not a running deployment) and `Member` (workspace membership: the stack's identity owns it).
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import { createHash } from "crypto";
import type { AlertsConfig, FlinkConfig, TableConfig } from "../../lib/config/types";
import { realtimeDiJobSpec, realtimeDiJobVersion } from "../../lib/flink/realtime-di-job";
import { DDL_HANDLING_SETTINGS, diTableMappings } from "../../lib/dataworks/di-job-spec";
import { realtimeDiAlarmRulePlans } from "../../lib/flink/alarm-rules";
import { diAlarmRule } from "../monitoring/freshness-alerts";
import { DiJobRun } from "../../providers/dataworks/di-job-run";
import { MetricTables } from "../../providers/flink/metric-tables";
import { FlinkJobStop } from "../../providers/flink/job-stop";
import { maxComputeEndpoint } from "../../providers/maxcompute/client";
import { DI_JOB_IGNORE_CHANGES } from "../dataworks/batch-sync";
import { TYPES } from "../../lib/plan/type-tokens";

/** Arguments of {@link RealtimeFlink}. */
export interface RealtimeFlinkArgs {
  /** Region of the workspace and the project (`alicloud:region`). */
  readonly region: string;
  /** DataWorks workspace id. */
  readonly projectId: pulumi.Input<number>;
  /** Workspace name: the DI job is `<workspaceName>_realtime`, the Flink workspace `<workspaceName with _ as ->-flink`. */
  readonly workspaceName: string;
  /** Every synced table; the job carries those with `realtime: true`. */
  readonly tables: readonly TableConfig[];
  /** Source database, host, port, account (not the password: a Flink secret variable) and time zone. */
  readonly source: { readonly database: string; readonly host: string; readonly port: number; readonly user: string; readonly timezone: string };
  /** Names of the workspace's MySQL and MaxCompute data sources. */
  readonly sourceDataSourceName: string;
  readonly destinationDataSourceName: string;
  /** Serverless resource group identifier (`dataworks.resourceGroup`). */
  readonly resourceGroup: string;
  /** MaxCompute project (the warehouse's output, so the sinks wait for it). */
  readonly maxcomputeProject: pulumi.Input<string>;
  /** `realtime.flink`. */
  readonly flink: FlinkConfig;
  /** `alerts`: who the DI alarms reach. */
  readonly alerts: AlertsConfig;
  /** The generated Flink SQL (sql/flink/metrics.sql, read by stack.ts / project-files.ts or generated). */
  readonly metricsSql: string;
  /** The sink tables' DDL (sql/flink/maxcompute/metric-tables.sql statements). */
  readonly metricTablesDdl: readonly string[];
}

/** The Flink workspace's name: 3-30 characters, lower case, digits and `-` (CreateInstance `InstanceName`). */
export function flinkWorkspaceName(workspaceName: string): string {
  return `${workspaceName.replace(/_/g, "-").toLowerCase().slice(0, 24)}-flink`;
}

export class RealtimeFlink extends pulumi.ComponentResource {
  /** Type token (lib/plan/type-tokens.ts). */
  public static readonly TYPE = TYPES.RealtimeFlink;
  public readonly diJob: alicloud.dataworks.DiJob;
  public readonly diJobRun: DiJobRun;
  public readonly diAlarmRules: alicloud.dataworks.DiAlarmRule[] = [];
  public readonly workspace: alicloud.realtimecompute.VvpInstance;
  public readonly metricTables: MetricTables;
  public readonly deployment: alicloud.realtimecompute.Deployment;
  public readonly job: alicloud.realtimecompute.Job;
  /** Stops {@link job} before it is deleted (replacement or removal). */
  public readonly jobStop: FlinkJobStop;

  constructor(name: string, args: RealtimeFlinkArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RealtimeFlink.TYPE, name, {}, opts);
    const f = args.flink;
    if (!f.vpcId || !f.zoneId || !f.ossBucket || f.vswitchIds.length === 0) {
      const missing = [!f.vpcId && "vpcId", f.vswitchIds.length === 0 && "vswitchIds", !f.zoneId && "zoneId", !f.ossBucket && "ossBucket"].filter(Boolean);
      throw new pulumi.ResourceError(
        `RealtimeFlink: ${missing.map((k) => `realtime.flink.${k}`).join(", ")} not set; required with realtime.engine "dataworks-flink"`,
        this,
      );
    }
    let spec;
    try {
      spec = realtimeDiJobSpec(args.tables, args.workspaceName);
    } catch (e) {
      throw new pulumi.ResourceError(`RealtimeFlink: ${(e as Error).message}`, this);
    }
    const cu = { resourceGroupIdentifier: args.resourceGroup, requestedCu: f.diRequestedCu };

    // Arguments checked against CreateDIJob (2024-05-18) and the provider's schema
    // (alicloud/resource_alicloud_data_works_di_job.go @28ee93bc63fa0e5f919a21fc1711bde8c45d7b44, v1.289.0:
    // resource_settings.{offline,realtime,schedule}_resource_settings, job_settings.ddl_handling_settings).
    this.diJob = new alicloud.dataworks.DiJob(
      `${name}-di`,
      {
        projectId: args.projectId,
        jobName: spec.jobName,
        description: `photo-analytics realtime sync into <table>_realtime: ${spec.tables.map((t) => t.name).join(", ")}`,
        migrationType: spec.migrationType,
        sourceDataSourceType: "MySQL",
        sourceDataSourceSettings: [{ dataSourceName: args.sourceDataSourceName, dataSourceProperties: { encoding: "utf-8", timezone: args.source.timezone } }],
        destinationDataSourceType: "MaxCompute",
        destinationDataSourceSettings: [{ dataSourceName: args.destinationDataSourceName }],
        // The full load runs offline, the binlog part realtime ("OfflineResourceSettings" / "RealtimeResourceSettings").
        resourceSettings: { offlineResourceSettings: cu, realtimeResourceSettings: cu },
        jobSettings: {
          // Columns added in MySQL reach <table>_realtime; destructive DDL is ignored, never replayed.
          ddlHandlingSettings: DDL_HANDLING_SETTINGS.map((d) => ({ ...d })),
        },
        transformationRules: spec.transformationRules.map((r) => ({ ...r })),
        tableMappings: diTableMappings(spec, args.sourceDataSourceName, args.source.database),
      },
      // Same reason as the batch jobs (components/dataworks/batch-sync.ts): GetDIJob returns these
      // server defaults, and the schema has no DiffSuppressFunc. The component's dependsOn (data
      // sources, warehouse, resource-group binding) is the job's own, as for the batch jobs.
      { parent: this, dependsOn: opts?.dependsOn, ignoreChanges: [...DI_JOB_IGNORE_CHANGES] },
    );
    this.diJobRun = new DiJobRun(
      `${name}-di-run`,
      {
        diJobId: this.diJob.id,
        region: args.region,
        jobVersion: realtimeDiJobVersion(spec, {
          resourceGroup: args.resourceGroup,
          requestedCu: f.diRequestedCu,
          database: args.source.database,
          timezone: args.source.timezone,
        }),
      },
      { parent: this, dependsOn: [this.diJob] },
    );
    for (const p of realtimeDiAlarmRulePlans(spec.jobName, f.delayThresholdSeconds, args.alerts)) {
      this.diAlarmRules.push(diAlarmRule(`${name}-di-${p.kind}`, this.diJob, p, this));
    }

    // Flink workspace. Every argument but resourceSpec/tags/resourceGroupId is ForceNew, and a
    // Subscription workspace's delete only logs "Cannot destroy" (resource_alicloud_realtime_compute_vvp_instance.go
    // @03df1c3e3d5c918fe921b3ffd21f5ea0e95b596f); resourceSpec is changed in place with
    // ModifyPrepayInstanceSpec (Subscription only).
    const workspaceName = flinkWorkspaceName(args.workspaceName);
    this.workspace = new alicloud.realtimecompute.VvpInstance(
      `${name}-workspace`,
      {
        vvpInstanceName: workspaceName,
        paymentType: f.paymentType,
        ...(f.paymentType === "Subscription" ? { pricingCycle: "Month", duration: 1 } : {}),
        // 1 CU = 1 core + 4 GiB (Realtime Compute's compute unit).
        resourceSpec: { cpu: f.cu, memoryGb: f.cu * 4 },
        storage: { oss: { bucket: f.ossBucket } },
        vpcId: f.vpcId,
        vswitchIds: [...f.vswitchIds],
        zoneId: f.zoneId,
      },
      { parent: this },
    );
    // The workspace's default namespace is `<instance name>-default` (the provider's Deployment and Job examples).
    const namespace = `${workspaceName}-default`;

    this.metricTables = new MetricTables(
      `${name}-metric-tables`,
      { endpoint: maxComputeEndpoint(args.region), project: args.maxcomputeProject, statements: [...args.metricTablesDdl] },
      { parent: this },
    );

    // Deployment (resource_alicloud_realtime_compute_deployment.go @3803d483470e873a71e679d9138f4555600d7e45):
    // namespace, resource_id, execution_mode and artifact.kind are ForceNew; the SQL text updates in place.
    const tm = { cpu: 1, memory: "4Gi" };
    this.deployment = new alicloud.realtimecompute.Deployment(
      `${name}-metrics`,
      {
        deploymentName: "photo-analytics-realtime-metrics",
        description: "photo-analytics: the seed's realtime metrics from the MySQL change stream into MaxCompute rt_* tables (sql/flink/metrics.sql)",
        resourceId: this.workspace.resourceId,
        namespace,
        engineVersion: f.engineVersion,
        executionMode: "STREAMING",
        deploymentTarget: { mode: "PER_JOB", name: "default-queue" },
        artifact: { kind: "SQLSCRIPT", sqlArtifact: { sqlScript: args.metricsSql } },
        localVariables: [
          { name: "mysql_host", value: args.source.host },
          { name: "mysql_port", value: String(args.source.port) },
          { name: "mysql_user", value: args.source.user },
          { name: "mysql_database", value: args.source.database },
          { name: "mysql_time_zone", value: args.source.timezone },
          { name: "maxcompute_endpoint", value: maxComputeEndpoint(args.region) },
          { name: "maxcompute_project", value: args.maxcomputeProject },
        ],
        flinkConf: {
          // The MaxCompute upsert writer wants checkpoints no more often than every 3 minutes
          // ("Checkpoint间隔建议设置为3分钟以上", https://help.aliyun.com/zh/maxcompute/use-realtime-compute-for-apache-flink).
          "execution.checkpointing.interval": "180s",
          // Day-keyed aggregates are not read after a day and a half: their state expires.
          "table.exec.state.ttl": "36 h",
        },
        streamingResourceSetting: {
          resourceSettingMode: "BASIC",
          basicResourceSetting: { parallelism: f.parallelism, jobmanagerResourceSettingSpec: tm, taskmanagerResourceSettingSpec: tm },
        },
      },
      { parent: this, dependsOn: [this.metricTables] },
    );

    // Job (resource_alicloud_realtime_compute_job.go @579f232f09154a8d6de2c61b623b59b328d240b2): create
    // is StartJob and waits for RUNNING; deployment_id, local_variables and restore_strategy are
    // ForceNew. A changed SQL only updates the deployment, so the job carries the SQL's hash as a
    // local variable: the change replaces the job (deleted first, then started, stateless: the
    // metrics are recomputed from a fresh snapshot, which is exact for these aggregates). The
    // provider's Delete is DeleteJob alone, which refuses a running job, and its Update stops a
    // job only when status.currentJobStatus becomes CANCELLED: the FlinkJobStop below, which
    // takes the job's id, is deleted before the Job and stops it first.
    const sqlVersion = createHash("sha256").update(args.metricsSql).digest("hex").slice(0, 16);
    this.job = new alicloud.realtimecompute.Job(
      `${name}-metrics-job`,
      {
        resourceId: this.workspace.resourceId,
        namespace,
        deploymentId: this.deployment.deploymentId,
        restoreStrategy: { kind: "NONE" },
        localVariables: [{ name: "photo_analytics_sql_version", value: sqlVersion }],
        stopStrategy: "NONE",
      },
      { parent: this, dependsOn: [this.deployment, this.diJobRun], deleteBeforeReplace: true },
    );
    // Its `jobId` input makes it a dependent of the Job: when the Job is replaced delete first, the
    // engine deletes it before the Job (its diff replaces it on a new jobId), and on removal too.
    this.jobStop = new FlinkJobStop(
      `${name}-metrics-job-stop`,
      { region: args.region, workspace: this.workspace.resourceId, namespace, jobId: this.job.jobId, stopStrategy: "NONE" },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
