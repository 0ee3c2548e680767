import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import { SourceConfig } from "../../lib/config/types";
import { ComputeResource } from "../../providers/dataworks/compute-resource";
import { ResourceGroupAssociation } from "../../providers/dataworks/resource-group-association";
import { TYPES } from "../../lib/plan/type-tokens";

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
  /**
   * Serverless resource group the DI jobs and nodes run on (`dataworks.resourceGroup`):
   * bound to the workspace (AssociateProjectToResourceGroup). @default none bound (bind it by hand)
   */
  resourceGroup?: string;
  /**
   * Send the MySQL data source's connection (address, user, password) to DataWorks on this
   * `up`. Off by default because GetDataSource's answer is kept verbatim in state and does
   * not read back as what was sent (see the comment at the MySQL data source); turn it on
   * for the one `up` that moves the source or rotates its password. @default false
   */
  updateSourceConnection?: boolean;
}

/** Data source names inside the workspace (a public contract: DI jobs and nodes refer to them). */
export const MYSQL_DATA_SOURCE = "photo_assistant_mysql";
export const MAXCOMPUTE_DATA_SOURCE = "photo_analytics_odps";
/** The MaxCompute compute resource Data Studio nodes run on (a name of its own: compute resources and data sources share a workspace's names). */
export const MAXCOMPUTE_COMPUTE_RESOURCE = "photo_analytics_odps_compute";

/**
 * The access identity of the production MaxCompute data source and compute
 * resource. `Executor` is the development identity (the person running a
 * node); production runs as an account: DataWorks' data source properties
 * list `PrimaryAccount` / `SubAccount` / `RamRole` for production and
 * `Executor` for development (https://www.alibabacloud.com/help/en/dataworks/developer-reference/data-lake-formation-api-param:
 * "Executor ... Use this value in a development environment. PrimaryAccount ... production environment"),
 * and a workspace upgrade turns a production data source's `TaskOwner` into the
 * Alibaba Cloud account while development copies get `Executor`
 * (https://help.aliyun.com/en/dataworks/user-guide/upgrade-a-workspace-from-the-basic-mode-to-the-standard-mode).
 * `PrimaryAccount` needs no `authIdentity` ("其他场景下,请勿配置authIdentity",
 * https://help.aliyun.com/zh/dataworks/developer-reference/data-source-common-properties).
 */
export const PROD_AUTH_TYPE = "PrimaryAccount";

/**
 * The DataWorks workspace and its two data sources: the MySQL source (by RDS
 * instance when the source is RDS, else by address) and the MaxCompute project.
 */
export class Workspace extends pulumi.ComponentResource {
  public static readonly TYPE = TYPES.Workspace;
  public readonly project: alicloud.dataworks.Project;
  public readonly mysql: alicloud.dataworks.DataSource;
  public readonly maxcompute: alicloud.dataworks.DataSource;
  /** Numeric workspace id, as DI jobs and nodes take it. */
  public readonly projectId: pulumi.Output<number>;
  /** The MaxCompute compute resource Data Studio nodes run on (MAXCOMPUTE_COMPUTE_RESOURCE). */
  public readonly computeResource: ComputeResource;
  /** The serverless resource group bound to the workspace, when `resourceGroup` is given. */
  public readonly resourceGroupAssociation?: ResourceGroupAssociation;

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
      // The provider's Read stores GetDataSource's ConnectionProperties as the API answers them
      // (alicloud/resource_alicloud_data_works_data_source.go @579f232f09154a8d6de2c61b623b59b328d240b2,
      // Read: `connPropJson, _ := json.Marshal(objectRaw["ConnectionProperties"]); d.Set("connection_properties", string(connPropJson))`),
      // and its DiffSuppressFunc only forgives key order (`compareJsonTemplateAreEquivalent`): an answer
      // without the password, or with it masked, differs from what was sent on every refresh, and each
      // `up` would send the password again. So the connection is sent on create, and afterwards only
      // on an `up` with `updateSourceConnection` (moving the source, rotating the password).
      { parent: this, ignoreChanges: args.updateSourceConnection ? [] : ["connectionProperties"] },
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
          .apply((project) => JSON.stringify({ project, regionId: args.region, endpointMode: "SelfAdaption", authType: PROD_AUTH_TYPE, envType: "Prod" })),
      },
      // No ignoreChanges: no password, and the keys are the documented ones, so the JSON-equivalence
      // DiffSuppressFunc of the provider matches the read-back form.
      { parent: this },
    );
    // Data Studio runs ODPS SQL nodes only on a compute resource bound to the workspace
    // (https://help.aliyun.com/en/dataworks/user-guide/create-and-manage-maxcompute-nodes: "Bind a
    // MaxCompute compute resource to the workspace"); the provider has no resource for it.
    this.computeResource = new ComputeResource(
      `${name}-compute`,
      {
        projectId: this.projectId,
        region: args.region,
        name: MAXCOMPUTE_COMPUTE_RESOURCE,
        type: "maxcompute",
        connectionPropertiesMode: "UrlMode",
        connectionProperties: pulumi.output(args.maxcomputeProject).apply((project) => ({
          project,
          regionId: args.region,
          endpointMode: "SelfAdaption",
          authType: PROD_AUTH_TYPE,
          envType: "Prod",
        })),
        description: "MaxCompute warehouse (Data Studio nodes of photo-analytics run on it)",
      },
      { parent: this, dependsOn: [this.maxcompute] },
    );
    if (args.resourceGroup) {
      // A serverless resource group runs a workspace's nodes and DI jobs only once bound to it.
      this.resourceGroupAssociation = new ResourceGroupAssociation(
        `${name}-resource-group`,
        { projectId: this.projectId, region: args.region, resourceGroupId: args.resourceGroup },
        { parent: this },
      );
    }
    this.registerOutputs({ projectId: this.projectId });
  }
}
