import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import { SourceConfig } from "../../lib/config/types";

/** Arguments of {@link Workspace}. */
export interface WorkspaceArgs {
  /** DataWorks workspace name (3-28 chars). */
  workspaceName: string;
  /** Region of the MaxCompute project. */
  region: string;
  /** The MySQL source. */
  source: SourceConfig;
  /** The sync account's password (a secret). */
  sourcePassword: pulumi.Input<string>;
  /** MaxCompute project the data source writes to. */
  maxcomputeProject: pulumi.Input<string>;
}

/** Data source names inside the workspace (a public contract: DI jobs and nodes refer to them). */
export const MYSQL_DATA_SOURCE = "photo_assistant_mysql";
export const MAXCOMPUTE_DATA_SOURCE = "photo_analytics_odps";

/**
 * The DataWorks workspace and its two data sources: the MySQL source (by RDS
 * instance when the source is RDS, else by address) and the MaxCompute project.
 */
export class Workspace extends pulumi.ComponentResource {
  public static readonly TYPE = "photo-analytics:dataworks:Workspace";
  public readonly project: alicloud.dataworks.Project;
  public readonly mysql: alicloud.dataworks.DataSource;
  public readonly maxcompute: alicloud.dataworks.DataSource;
  /** Numeric workspace id, as DI jobs and nodes take it. */
  public readonly projectId: pulumi.Output<number>;

  constructor(name: string, args: WorkspaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Workspace.TYPE, name, {}, opts);
    // The workspace holds the team's nodes and job history: never deleted by the stack.
    this.project = new alicloud.dataworks.Project(
      `${name}-project`,
      {
        projectName: args.workspaceName,
        displayName: args.workspaceName,
        description: "photo-analytics: batch sync, reports and realtime views",
        paiTaskEnabled: false,
        // Basic mode (one environment): the stack deploys straight to production.
        devEnvironmentEnabled: false,
        devRoleDisabled: true,
      },
      { parent: this, protect: true, retainOnDelete: true },
    );
    this.projectId = this.project.id.apply((id) => Number(id));

    const s = args.source;
    const mysqlProps =
      s.instanceType === "RDS"
        ? { mode: "InstanceMode", props: { instanceId: s.instanceId, regionId: s.region, database: s.database, username: s.user, envType: "Prod" } }
        : { mode: "UrlMode", props: { address: [{ host: s.host, port: s.port }], database: s.database, username: s.user, envType: "Prod" } };
    this.mysql = new alicloud.dataworks.DataSource(
      `${name}-mysql`,
      {
        projectId: this.projectId,
        dataSourceName: MYSQL_DATA_SOURCE,
        type: "mysql",
        description: `MySQL ${s.database} (source of the batch layers)`,
        connectionPropertiesMode: mysqlProps.mode,
        // The password makes the whole document secret.
        connectionProperties: pulumi.secret(pulumi.output(args.sourcePassword).apply((password) => JSON.stringify({ ...mysqlProps.props, password }))),
      },
      { parent: this },
    );
    this.maxcompute = new alicloud.dataworks.DataSource(
      `${name}-maxcompute`,
      {
        projectId: this.projectId,
        dataSourceName: MAXCOMPUTE_DATA_SOURCE,
        type: "maxcompute",
        description: "MaxCompute warehouse (destination of the batch layers)",
        connectionPropertiesMode: "UrlMode",
        connectionProperties: pulumi
          .output(args.maxcomputeProject)
          .apply((project) => JSON.stringify({ project, regionId: args.region, endpointMode: "SelfAdaption", authType: "Executor", envType: "Prod" })),
      },
      { parent: this },
    );
    this.registerOutputs({ projectId: this.projectId });
  }
}
