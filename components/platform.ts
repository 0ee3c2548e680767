import * as pulumi from "@pulumi/pulumi";
import { REALTIME_ENGINE_RECORDS, StackConfig } from "../lib/config/types";
import { engineBuilds, engineOn } from "../lib/config/realtime";
import { LayerSqlFiles, METRICS_NODE_NAME } from "../lib/dataworks/layer-sql";
import { odsLayerTables } from "../lib/maxcompute/ods-tables";
import { LedgerFile } from "../lib/maxcompute/table-ledger";
import { Warehouse } from "./maxcompute/warehouse";
import { Workspace, MYSQL_DATA_SOURCE, MAXCOMPUTE_DATA_SOURCE, MAXCOMPUTE_COMPUTE_RESOURCE } from "./dataworks/workspace";
import { BatchSync } from "./dataworks/batch-sync";
import { LayerNodes } from "./dataworks/layer-nodes";
import { RealtimeSync, realtimeSyncArgs } from "./dts/realtime-sync";
import { Tracking } from "./sls/tracking";
import { SyncAccount } from "../providers/source/sync-account";
import { FreshnessAlerts, AlertedLayer } from "./monitoring/freshness-alerts";
import { DatahubStream } from "./datahub/datahub-stream";
import { CanalServer } from "./canal/canal-server";
import { canalTableNames, datahubProjectName } from "../lib/datahub/realtime-topics";
import { RealtimeFlink } from "./flink/realtime-flink";
import { flinkMetricsSql, metricTablesDdl } from "../lib/flink/flink-sql";
import { TYPES } from "../lib/plan/type-tokens";

/** Secrets the platform needs, as Pulumi secret Outputs (`config.requireSecret`). */
export interface PlatformSecrets {
  /** Password of the sync account (`sourcePassword`): DataWorks' MySQL data source, DTS and the managed account. */
  readonly sourcePassword: pulumi.Input<string>;
  /** AccessKey id DTS writes MaxCompute with (`maxcomputeAccessKeyId`); with `realtime.dts.writer` "accessKey" only. */
  readonly maxcomputeAccessKeyId?: pulumi.Input<string>;
  /** AccessKey secret DTS writes MaxCompute with (`maxcomputeAccessKeySecret`); with `realtime.dts.writer` "accessKey" only. */
  readonly maxcomputeAccessKeySecret?: pulumi.Input<string>;
  /** AccessKey id Canal authenticates to DataHub's Kafka endpoint with (`datahubAccessKeyId`); with `realtime.engine` "canal-datahub" only. */
  readonly datahubAccessKeyId?: pulumi.Input<string>;
  /** AccessKey secret of `datahubAccessKeyId` (`datahubAccessKeySecret`). */
  readonly datahubAccessKeySecret?: pulumi.Input<string>;
}

/** Arguments of {@link Platform}. */
export interface PlatformArgs {
  /**
   * The resolved stack config (`loadConfig`): every default already applied
   * (lib/config/defaults.ts), so the children receive values and do not default them again.
   */
  readonly config: StackConfig;
  readonly secrets: PlatformSecrets;
  /** The `sql/maxcompute` files the report and aggregate nodes run (stack.ts reads them). */
  readonly sqlFiles: LayerSqlFiles;
  /** The ODS table ledger (stack.ts reads it; see WarehouseArgs.tableLedger). */
  readonly tableLedger: LedgerFile;
}

/**
 * The whole pipeline for one stack, built from the stage's layers:
 * warehouse (always), DataWorks workspace and daily sync (always), hourly sync
 * (when a table is hourly), realtime and tracking (by config).
 */
export class Platform extends pulumi.ComponentResource {
  public static readonly TYPE = TYPES.Platform;
  public readonly warehouse: Warehouse;
  public readonly workspace: Workspace;
  public readonly dailySync: BatchSync;
  public readonly hourlySync?: BatchSync;
  public readonly realtime?: RealtimeSync;
  /** The canal-datahub engine's DataHub project, topics and connectors. */
  public readonly datahub?: DatahubStream;
  /** The canal-datahub engine's Canal server (ECI). */
  public readonly canal?: CanalServer;
  /** The dataworks-flink engine (realtime DI into <table>_realtime, Flink SQL metrics), while it is the engine. */
  public readonly realtimeFlink?: RealtimeFlink;
  public readonly dailyNodes: LayerNodes;
  public readonly hourlyNodes?: LayerNodes;
  public readonly realtimeNodes?: LayerNodes;
  public readonly tracking?: Tracking;
  public readonly syncAccount?: SyncAccount;
  /** Failure, delay and deadline alerts of every DI job and report node (the freshness objectives). */
  public readonly alerts: FreshnessAlerts;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Platform.TYPE, name, {}, opts);
    const c = args.config;
    const schema = c.sourceSchema;
    const ods = odsLayerTables(c);

    this.warehouse = new Warehouse(
      `${name}-warehouse`,
      {
        projectName: c.warehouse.projectName,
        lifecycleDays: c.warehouse.lifecycleDays,
        tablesCreatedWithLifecycleDays: c.warehouse.tablesCreatedWithLifecycleDays,
        timezone: c.warehouse.timezone,
        quota: c.warehouse.quota,
        region: c.region,
        tableLedger: args.tableLedger,
        dailyTables: ods.daily,
        hourlyTables: ods.hourly,
      },
      { parent: this },
    );

    // The sync account on a self-managed source (opt-in): least privilege, drift put back by `up`.
    // CDC grants follow the engine, not the stage, so promotion never changes the account.
    const m = c.source.manageAccount;
    if (m) {
      this.syncAccount = new SyncAccount(
        `${name}-sync-account`,
        {
          host: m.adminHost,
          port: m.adminPort,
          user: c.source.user,
          accountHost: m.accountHost,
          password: args.secrets.sourcePassword,
          database: c.source.database,
          replication: REALTIME_ENGINE_RECORDS[c.realtime.engine].readsBinlog,
        },
        { parent: this },
      );
    }

    this.workspace = new Workspace(
      `${name}-dataworks`,
      {
        workspaceName: c.dataworks.workspaceName,
        region: c.region,
        source: c.source,
        sourcePassword: args.secrets.sourcePassword,
        // The warehouse's output, not the config's name: the data source waits for the project.
        maxcomputeProject: this.warehouse.projectName,
        // Bound to the workspace (AssociateProjectToResourceGroup): DI jobs and nodes run on it.
        resourceGroup: c.dataworks.resourceGroup,
      },
      { parent: this },
    );

    const syncArgs = {
      projectId: this.workspace.projectId,
      tables: c.tables,
      database: c.source.database,
      sourceDataSourceName: MYSQL_DATA_SOURCE,
      destinationDataSourceName: MAXCOMPUTE_DATA_SOURCE,
      resourceGroup: c.dataworks.resourceGroup,
      requestedCu: c.dataworks.requestedCu,
      jobPrefix: c.dataworks.workspaceName,
      timezone: c.warehouse.timezone,
      region: c.region,
    };
    // The DI jobs write into the ODS tables (the warehouse's ROS stacks): no value flows, so dependsOn.
    // They run on the serverless resource group, which runs a workspace's DI jobs only once bound to
    // it: the jobs and their DiJobRun (StartDIJob) wait for the binding, as the report nodes do.
    // BatchSync and RealtimeFlink pass these to each DI job (and so to its run).
    const syncOpts = {
      parent: this,
      dependsOn: [this.workspace.mysql, this.workspace.maxcompute, this.warehouse, ...this.boundGroup(), ...(this.syncAccount ? [this.syncAccount] : [])],
    };
    this.dailySync = new BatchSync(`${name}-sync-daily`, { ...syncArgs, layer: "daily", cron: c.dataworks.dailyCron }, syncOpts);
    if (c.tables.some((t) => t.tier === "hourly")) {
      this.hourlySync = new BatchSync(`${name}-sync-hourly`, { ...syncArgs, layer: "hourly", cron: c.dataworks.hourlyCron }, syncOpts);
    }

    // Realtime over DTS: present only while realtime is on with engine "dts". Switching it
    // off removes these sync resources; the _base/_log tables DTS wrote stay in MaxCompute.
    const rtArgs = realtimeSyncArgs(
      c,
      {
        sourcePassword: args.secrets.sourcePassword,
        // Used with realtime.dts.writer "accessKey" only (the realtime-secrets-set rule requires them then).
        maxcomputeAccessKeyId: args.secrets.maxcomputeAccessKeyId,
        maxcomputeAccessKeySecret: args.secrets.maxcomputeAccessKeySecret,
      },
      // DTS writes its own _base/_log tables: it needs the project (this output), not the ODS tables.
      this.warehouse.projectName,
    );
    if (rtArgs) {
      this.realtime = new RealtimeSync(`${name}-realtime`, rtArgs, { parent: this });
    }

    // Realtime over DataWorks realtime DI + Flink: present only while realtime is on with engine
    // "dataworks-flink". Sync and compute only: <table>_realtime and rt_* stay in MaxCompute.
    if (engineBuilds(c, "dataworks-flink")) {
      const rt = c.tables.filter((t) => t.realtime).map((t) => t.name);
      this.realtimeFlink = new RealtimeFlink(
        `${name}-realtime-flink`,
        {
          region: c.region,
          projectId: this.workspace.projectId,
          workspaceName: c.dataworks.workspaceName,
          tables: c.tables,
          source: { database: c.source.database, host: c.source.host, port: c.source.port, user: c.source.user, timezone: c.warehouse.timezone },
          sourceDataSourceName: MYSQL_DATA_SOURCE,
          destinationDataSourceName: MAXCOMPUTE_DATA_SOURCE,
          resourceGroup: c.dataworks.resourceGroup,
          maxcomputeProject: this.warehouse.projectName,
          flink: c.realtime.flink,
          alerts: c.alerts,
          metricsSql: flinkMetricsSql(schema, rt),
          metricTablesDdl: metricTablesDdl(schema, rt),
        },
        { parent: this, dependsOn: syncOpts.dependsOn },
      );
    }

    // Realtime over Canal + DataHub: present only while realtime is on with engine "canal-datahub".
    // Switching it off removes the container, topics and connectors; the <table>_canal_log tables stay.
    if (engineBuilds(c, "canal-datahub")) {
      const s = c.realtime.canalDatahub;
      const tables = c.tables.filter((t) => t.realtime);
      const project = datahubProjectName(c.warehouse.projectName);
      this.datahub = new DatahubStream(
        `${name}-datahub`,
        {
          region: c.region,
          projectName: project,
          tables: tables.map((t) => t.name),
          shardCount: s.shardCount,
          lifecycleDays: s.lifecycleDays,
          maxcomputeProject: this.warehouse.projectName,
        },
        { parent: this },
      );
      this.canal = new CanalServer(
        `${name}-canal`,
        {
          image: s.image ?? "",
          vswitchId: s.vswitchId ?? "",
          securityGroupId: s.securityGroupId ?? "",
          cpu: s.cpu,
          memoryGiB: s.memoryGiB,
          nasServer: s.nasServer ?? "",
          nasPath: s.nasPath,
          files: {
            destination: c.source.database,
            source: { host: c.source.host, port: c.source.port, database: c.source.database, user: c.source.user },
            tables: tables.map((t) => ({ name: t.name, primaryKey: t.primaryKey, topic: canalTableNames(t.name).topic })),
            datahubProject: project,
            partitions: s.shardCount,
            kafka: { bootstrapServers: s.kafkaBootstrapServers ?? "", securityProtocol: s.kafkaSecurityProtocol },
          },
          sourcePassword: args.secrets.sourcePassword,
          // Required by the canal-datahub-secrets-set rule whenever this engine is on.
          datahubAccessKeyId: args.secrets.datahubAccessKeyId ?? "",
          datahubAccessKeySecret: args.secrets.datahubAccessKeySecret ?? "",
        },
        // Canal writes into the topics: without them its producer fails on start.
        { parent: this, dependsOn: [this.datahub, ...(this.syncAccount ? [this.syncAccount] : [])] },
      );
    }

    // DataWorks SQL nodes per layer, scheduled after the loads they read.
    const nodeArgs = {
      projectId: this.workspace.projectId,
      workspaceName: c.dataworks.workspaceName,
      region: c.region,
      tables: c.tables,
      // Data Studio nodes run on the workspace's MaxCompute compute resource, not on a data source.
      datasourceName: MAXCOMPUTE_COMPUTE_RESOURCE,
      resourceGroup: c.dataworks.resourceGroup,
      schedule: { dailyCron: c.dataworks.dailyCron, hourlyCron: c.dataworks.hourlyCron, timezone: c.warehouse.timezone },
      sqlFiles: args.sqlFiles,
    };
    this.dailyNodes = new LayerNodes(
      `${name}-nodes-daily`,
      { ...nodeArgs, layer: "daily" },
      { parent: this, dependsOn: [this.dailySync, this.workspace.computeResource, ...this.boundGroup()] },
    );
    if (this.hourlySync) {
      this.hourlyNodes = new LayerNodes(
        `${name}-nodes-hourly`,
        { ...nodeArgs, layer: "hourly" },
        { parent: this, dependsOn: [this.hourlySync, this.workspace.computeResource, ...this.boundGroup()] },
      );
    }
    // The realtime views, snapshots and compaction over the engine's change log (DTS or Canal), and the rt_metrics node;
    // on dataworks-flink the rt_metrics node alone (the Flink job writes rt_*; the node copies them into the SLS feed).
    const changeLog = this.realtime ?? this.canal;
    if (!changeLog && this.realtimeFlink) {
      this.realtimeNodes = new LayerNodes(
        `${name}-nodes-realtime`,
        {
          ...nodeArgs,
          layer: "realtime",
          sourceSchema: schema,
          realtimeEngine: "dataworks-flink",
          metricsIntervalMinutes: c.realtime.metrics.intervalMinutes,
        },
        { parent: this, dependsOn: [this.realtimeFlink, this.workspace.computeResource, ...this.boundGroup()] },
      );
    }
    if (changeLog) {
      this.realtimeNodes = new LayerNodes(
        `${name}-nodes-realtime`,
        {
          ...nodeArgs,
          layer: "realtime",
          sourceSchema: schema,
          realtimeEngine: this.canal ? "canal-datahub" : "dts",
          metricsIntervalMinutes: c.realtime.metrics.intervalMinutes,
        },
        { parent: this, dependsOn: [changeLog, ...(this.datahub ? [this.datahub] : []), this.workspace.computeResource, ...this.boundGroup()] },
      );
    }

    // The freshness objectives, alerted as code: every load and every report node has an alert.
    const alerted = (layer: "daily" | "hourly", nodes: LayerNodes): AlertedLayer => {
      return {
        layer,
        workflows: nodes.workflows,
        nodeNames: nodes.plans.map((p) => p.name),
      };
    };
    this.alerts = new FreshnessAlerts(
      `${name}-alerts`,
      {
        region: c.region,
        projectId: this.workspace.projectId,
        workspaceName: c.dataworks.workspaceName,
        layers: [alerted("daily", this.dailyNodes), ...(this.hourlyNodes ? [alerted("hourly", this.hourlyNodes)] : [])],
        ...(this.realtimeNodes ? { realtime: { workflows: this.realtimeNodes.workflows, nodeNames: this.realtimeNodes.plans.map((p) => p.name) } } : {}),
        freshness: c.freshness,
        alerts: c.alerts,
      },
      { parent: this },
    );

    // Front-end tracking on SLS (every stage unless disabled); with realtime.engine "sls"
    // it also carries the realtime metrics instead of DTS.
    if (c.tracking.enabled) {
      this.tracking = new Tracking(
        `${name}-tracking`,
        {
          region: c.region,
          projectName: c.tracking.projectName,
          logstore: c.tracking.logstore,
          retentionDays: c.tracking.retentionDays,
          shardCount: c.tracking.shardCount,
          dauFloor: c.tracking.dauFloor,
          realtimeMetrics: engineOn(c, "sls"),
          // Data: kept whatever the engine, so switching engines (or realtime off and on) never drops it.
          metricsStore: true,
          // The export writes into the project: its output orders the export after it.
          maxcomputeProject: this.warehouse.projectName,
          exportLifecycleDays: c.warehouse.lifecycleDays,
          exportTableCreatedWithLifecycleDays: c.warehouse.tablesCreatedWithLifecycleDays,
          extra: c.tracking.extra,
          rtIntervalMinutes: c.realtime.metrics.intervalMinutes,
          // The rt_* metrics the realtime nodes refresh (dts, canal-datahub): imported and alerted on.
          ...(this.realtimeNodes?.plans.some((p) => p.name === METRICS_NODE_NAME)
            ? { rtMetrics: { maxcomputeProject: this.warehouse.projectName, intervalMinutes: c.realtime.metrics.intervalMinutes, alerts: c.realtime.alerts } }
            : {}),
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }

  /** The resource group binding, when the workspace declares one: nodes scheduled before it would have nowhere to run. */
  private boundGroup(): pulumi.Resource[] {
    return this.workspace.resourceGroupAssociation ? [this.workspace.resourceGroupAssociation] : [];
  }
}
