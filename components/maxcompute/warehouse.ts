import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import { MaxComputeTable, ROS_STACK_MAX_RESOURCES, ROS_TEMPLATE_MAX_BYTES, rosTableBuckets, rosTablesTemplate } from "../../lib/maxcompute/ods-tables";

/** Arguments of {@link Warehouse}. */
export interface WarehouseArgs {
  /** MaxCompute project name (3-28 chars, globally unique). */
  projectName: string;
  /** Default lifecycle of new tables in the project, in days. */
  lifecycleDays: number;
  /** Project time zone. @default "Asia/Shanghai" */
  timezone?: string;
  /** Compute quota. @default "os_PayAsYouGoQuota" */
  quota?: string;
  /** ODS tables of the daily layer (every synced table). */
  dailyTables: readonly MaxComputeTable[];
  /** ODS tables of the hourly layer (every table that is hourly in some stage). @default [] */
  hourlyTables?: readonly MaxComputeTable[];
}

/**
 * The MaxCompute side of the pipeline: the project and the ODS tables of the
 * batch layers. Tables are created through ROS (`ALIYUN::MaxCompute::Table`,
 * one ROS stack per layer) because the provider has no table resource.
 *
 * Everything here is data: `protect` and `retainOnDelete` are set on every
 * child, the ROS stacks keep their tables if ever deleted (`retainAllResources`,
 * per-table `DeletionPolicy: Retain`) and refuse to replace a table
 * (`replacementOption: "Disabled"`). The table set does not depend on the stage,
 * so promotion and demotion never touch it.
 */
export class Warehouse extends pulumi.ComponentResource {
  public static readonly TYPE = "photo-analytics:maxcompute:Warehouse";
  public readonly project: alicloud.maxcompute.Project;
  /** ROS stacks of the ODS tables, per layer (one until a layer has more than 100 tables). */
  public readonly dailyTablesStacks: alicloud.ros.Stack[];
  public readonly hourlyTablesStacks?: alicloud.ros.Stack[];
  /** The MaxCompute project name, known once the project exists. */
  public readonly projectName: pulumi.Output<string>;

  constructor(name: string, args: WarehouseArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Warehouse.TYPE, name, {}, opts);
    const data: pulumi.CustomResourceOptions = { parent: this, protect: true, retainOnDelete: true };

    this.project = new alicloud.maxcompute.Project(
      `${name}-project`,
      {
        projectName: args.projectName,
        comment: "photo-analytics warehouse (ODS from MySQL photo_assistant, front-end events, reports)",
        defaultQuota: args.quota ?? "os_PayAsYouGoQuota",
        properties: {
          // Type system 2 enables TINYINT, SMALLINT, DATETIME, BINARY and DECIMAL(p,s), which the type mapping uses.
          typeSystem: "2",
          timezone: args.timezone ?? "Asia/Shanghai",
          // "optional": tables may set their own lifecycle; this is the default for those that don't.
          tableLifecycle: { type: "optional", value: String(args.lifecycleDays) },
        },
      },
      data,
    );
    this.projectName = this.project.projectName.apply((n) => n ?? args.projectName);

    this.dailyTablesStacks = this.tablesStacks(name, "daily", args.projectName, args.dailyTables, data);
    if (args.hourlyTables && args.hourlyTables.length > 0) {
      this.hourlyTablesStacks = this.tablesStacks(name, "hourly", args.projectName, args.hourlyTables, data);
    }
    this.registerOutputs({ projectName: this.projectName });
  }

  /**
   * The ROS stacks of one layer: `<name>-ods-<layer>` and, past ROS_TABLES_PER_STACK tables,
   * `<name>-ods-<layer>-<k>` (lib/warehouse-tables.ts `rosTableBuckets`).
   */
  private tablesStacks(
    name: string,
    layer: "daily" | "hourly",
    projectName: string,
    tables: readonly MaxComputeTable[],
    opts: pulumi.CustomResourceOptions,
  ): alicloud.ros.Stack[] {
    return rosTableBuckets(tables).map((bucket, k) => {
      const suffix = k === 0 ? "" : `-${k}`;
      const templateBody = rosTablesTemplate(projectName, bucket, `photo-analytics ODS tables, ${layer} layer${suffix ? `, part ${k}` : ""}`);
      const bytes = Buffer.byteLength(templateBody);
      if (bytes > ROS_TEMPLATE_MAX_BYTES || bucket.length > ROS_STACK_MAX_RESOURCES) {
        throw new pulumi.ResourceError(
          `ODS ${layer} tables: ROS stack ${k} would hold ${bucket.length} tables in a ${bytes}-byte template; ROS allows ${ROS_STACK_MAX_RESOURCES} resources and ${ROS_TEMPLATE_MAX_BYTES} bytes per stack`,
          this,
        );
      }
      return new alicloud.ros.Stack(
        `${name}-ods-${layer}${suffix}`,
        {
          stackName: `${projectName.replace(/_/g, "-")}-ods-${layer}${suffix}`,
          templateBody,
          deletionProtection: "Enabled",
          retainAllResources: true,
          replacementOption: "Disabled",
          timeoutInMinutes: 30,
        },
        { ...opts, dependsOn: [this.project] },
      );
    });
  }
}
