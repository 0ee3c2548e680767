import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../lib/config/types";
import { readSchemaSnapshot, findTable, SourceSchema } from "../lib/source-schema";
import { odsTable } from "../lib/warehouse-tables";
import { Warehouse } from "./maxcompute/warehouse";
import { Workspace, MYSQL_DATA_SOURCE, MAXCOMPUTE_DATA_SOURCE } from "./dataworks/workspace";
import { BatchSync } from "./dataworks/batch-sync";

/** Secrets the platform needs, as Pulumi secret Outputs (`config.requireSecret`). */
export interface PlatformSecrets {
  sourcePassword: pulumi.Input<string>;
  maxcomputeAccessKeyId?: pulumi.Input<string>;
  maxcomputeAccessKeySecret?: pulumi.Input<string>;
}

/** Arguments of {@link Platform}. */
export interface PlatformArgs {
  /** The validated stack config (`loadConfig`). */
  config: StackConfig;
  secrets: PlatformSecrets;
  /** Source schema snapshot. @default read from `config.source.schemaFile` */
  schema?: SourceSchema;
}

/**
 * The whole pipeline for one stack, built from the stage's layers:
 * warehouse (always), DataWorks workspace and daily sync (always), hourly sync
 * (when a table is hourly), realtime and tracking (by config).
 */
export class Platform extends pulumi.ComponentResource {
  public static readonly TYPE = "photo-analytics:index:Platform";
  public readonly warehouse: Warehouse;
  public readonly workspace: Workspace;
  public readonly dailySync: BatchSync;
  public readonly hourlySync?: BatchSync;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Platform.TYPE, name, {}, opts);
    const c = args.config;
    const schema = args.schema ?? readSchemaSnapshot(c.source.schemaFile);
    const sourceTable = (t: string) => {
      const found = findTable(schema, t);
      if (!found) throw new pulumi.ResourceError(`table ${t} is not in the source schema snapshot ${c.source.schemaFile}`, this);
      return found;
    };

    this.warehouse = new Warehouse(
      `${name}-warehouse`,
      {
        projectName: c.warehouse.projectName,
        lifecycleDays: c.warehouse.lifecycleDays,
        timezone: c.warehouse.timezone,
        quota: c.warehouse.quota,
        dailyTables: c.tables.map((t) => odsTable(sourceTable(t.name), "daily", c.warehouse.lifecycleDays)),
        hourlyTables: c.tables.filter((t) => t.hourlyTable).map((t) => odsTable(sourceTable(t.name), "hourly", c.warehouse.lifecycleDays)),
      },
      { parent: this },
    );

    this.workspace = new Workspace(
      `${name}-dataworks`,
      {
        workspaceName: c.dataworks.workspaceName,
        region: c.region,
        source: c.source,
        sourcePassword: args.secrets.sourcePassword,
        // The name is known from config; ordering comes from dependsOn below.
        maxcomputeProject: c.warehouse.projectName,
      },
      { parent: this, dependsOn: [this.warehouse] },
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
    };
    const syncOpts = { parent: this, dependsOn: [this.workspace.mysql, this.workspace.maxcompute, this.warehouse] };
    this.dailySync = new BatchSync(`${name}-sync-daily`, { ...syncArgs, layer: "daily", cron: c.dataworks.dailyCron }, syncOpts);
    if (c.tables.some((t) => t.tier === "hourly")) {
      this.hourlySync = new BatchSync(`${name}-sync-hourly`, { ...syncArgs, layer: "hourly", cron: c.dataworks.hourlyCron }, syncOpts);
    }
    this.registerOutputs({});
  }
}
