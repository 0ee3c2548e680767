import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import {
  MaxComputeTable,
  ROS_DIGEST_PARAMETER,
  ROS_STACK_MAX_RESOURCES,
  ROS_TEMPLATE_MAX_BYTES,
  rosTableBuckets,
  rosTablesTemplate,
  templateDigest,
} from "../../lib/maxcompute/ods-tables";
import { LedgerFile, resolveOdsTables, ResolvedOdsTable, SchemaChangeError } from "../../lib/maxcompute/table-ledger";
import { maxComputeEndpoint } from "../../providers/maxcompute/client";
import { TableColumns } from "../../providers/maxcompute/table-columns";
import { TYPES } from "../../lib/plan/type-tokens";

/** Arguments of {@link Warehouse}. */
export interface WarehouseArgs {
  /** MaxCompute project name (3-28 chars, globally unique). */
  projectName: string;
  /**
   * Lifecycle of the ODS tables and default lifecycle of other new tables in the project, in days
   * (1-37231). Updated in place: the layer's `TableColumns` runs `ALTER TABLE ... SET LIFECYCLE`
   * on every table whose lifecycle differs; the ROS templates never see it.
   */
  lifecycleDays: number;
  /**
   * Lifecycle, in days, every table's ROS definition (`ALIYUN::MaxCompute::Table` `Lifecycle`) carries:
   * the one the stack created its tables with. ROS cannot update it in place, so it must not change
   * once tables exist; `TableColumns` sets `lifecycleDays` right after ROS created a table.
   * @default lifecycleDays
   */
  tablesCreatedWithLifecycleDays?: number;
  /** Project time zone. @default "Asia/Shanghai" */
  timezone?: string;
  /** Compute quota. @default "os_PayAsYouGoQuota" */
  quota?: string;
  /** Region of the project, e.g. `cn-shanghai` (the MaxCompute SQL endpoint's region). */
  region: string;
  /** MaxCompute REST endpoint the added columns are applied through. @default `https://service.<region>.maxcompute.aliyun.com/api` */
  sqlEndpoint?: string;
  /** ODS tables of the daily layer (every synced table), as the source schema has them now. */
  dailyTables: readonly MaxComputeTable[];
  /** ODS tables of the hourly layer (every table that is hourly in some stage). @default [] */
  hourlyTables?: readonly MaxComputeTable[];
  /**
   * The table ledger (`sql/maxcompute/ods/<database>.ledger.json`, project-files.ts `readTableLedger`):
   * each table's creation-time definition, which its ROS resource keeps forever, and the columns
   * added since, which `TableColumns` adds. A table or column missing from it, and any change
   * MaxCompute cannot apply in place, fails the program (lib/maxcompute/table-ledger.ts).
   */
  tableLedger: LedgerFile;
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
 *
 * Schema changes: a table's ROS resource keeps the definition the table was created with (the
 * table ledger), because `ALIYUN::MaxCompute::Table` has no editable property; a new table is a
 * new resource in the template, which reaches ROS because the template's digest is a stack
 * parameter; a new column reaches MaxCompute through `TableColumns` (`ALTER TABLE ADD COLUMNS`),
 * one per layer, after the layer's stacks.
 *
 * Lifecycle: every table's ROS resource carries `tablesCreatedWithLifecycleDays` (fixed, like the
 * creation columns); `lifecycleDays` reaches the tables through the same `TableColumns`
 * (`ALTER TABLE ... SET LIFECYCLE`), so changing it never touches a ROS template.
 */
export class Warehouse extends pulumi.ComponentResource {
  public static readonly TYPE = TYPES.Warehouse;
  public readonly project: alicloud.maxcompute.Project;
  /** ROS stacks of the ODS tables, per layer (one until a layer has more than 100 tables). */
  public readonly dailyTablesStacks: alicloud.ros.Stack[];
  public readonly hourlyTablesStacks?: alicloud.ros.Stack[];
  /** Columns added after creation and the lifecycle, per layer (`ALTER TABLE ADD COLUMNS`, `SET LIFECYCLE`). */
  public readonly dailyColumns: TableColumns;
  public readonly hourlyColumns?: TableColumns;
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

    // stack.ts refuses these before registering anything; this is the same check for any other caller.
    const resolveLedger = (tables: readonly MaxComputeTable[]): ResolvedOdsTable[] => {
      try {
        return resolveOdsTables(tables, args.tableLedger.ledger, args.tableLedger.file);
      } catch (e) {
        if (e instanceof SchemaChangeError) throw new pulumi.ResourceError(e.message, this);
        throw e;
      }
    };
    const endpoint = args.sqlEndpoint ?? maxComputeEndpoint(args.region);
    // ROS definitions carry the creation lifecycle, never the current one (no ROS property is editable).
    const createdWith = args.tablesCreatedWithLifecycleDays ?? args.lifecycleDays;
    const resolve = (tables: readonly MaxComputeTable[]): ResolvedOdsTable[] =>
      resolveLedger(tables).map((t) => ({ ...t, ros: { ...t.ros, lifecycleDays: createdWith } }));
    const daily = resolve(args.dailyTables);
    this.dailyTablesStacks = this.tablesStacks(name, "daily", args.projectName, daily, data);
    this.dailyColumns = this.tableColumns(name, "daily", args, endpoint, daily, this.dailyTablesStacks, data);
    if (args.hourlyTables && args.hourlyTables.length > 0) {
      const hourly = resolve(args.hourlyTables);
      this.hourlyTablesStacks = this.tablesStacks(name, "hourly", args.projectName, hourly, data);
      this.hourlyColumns = this.tableColumns(name, "hourly", args, endpoint, hourly, this.hourlyTablesStacks, data);
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
    tables: readonly ResolvedOdsTable[],
    opts: pulumi.CustomResourceOptions,
  ): alicloud.ros.Stack[] {
    // Creation-time definitions only: a table's resource never changes once ROS created it.
    return rosTableBuckets(tables.map((t) => t.ros)).map((bucket, k) => {
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
          // The provider sends templateBody in UpdateStack only when parameters (or one of four other
          // fields) change: the digest makes every template change a parameters change
          // (alicloud/resource_alicloud_ros_stack.go, commit 30c7bd7eae4ac373ab282861a3efe97bdadd9d0a).
          // Read keeps every non-ALIYUN:: parameter, so the one declared parameter is passed explicitly.
          parameters: [{ parameterKey: ROS_DIGEST_PARAMETER, parameterValue: templateDigest(templateBody) }],
          deletionProtection: "Enabled",
          retainAllResources: true,
          replacementOption: "Disabled",
          timeoutInMinutes: 30,
        },
        // The provider waits 11 minutes by default; ROS itself may take the stack's 30.
        { ...opts, dependsOn: [this.project], customTimeouts: { create: "35m", update: "35m" } },
      );
    });
  }

  /** `<name>-ods-<layer>-columns`: the layer's columns beyond the creation definitions, and its lifecycle, after its stacks. */
  private tableColumns(
    name: string,
    layer: "daily" | "hourly",
    args: WarehouseArgs,
    endpoint: string,
    tables: readonly ResolvedOdsTable[],
    stacks: alicloud.ros.Stack[],
    opts: pulumi.CustomResourceOptions,
  ): TableColumns {
    return new TableColumns(
      `${name}-ods-${layer}-columns`,
      {
        region: args.region,
        endpoint,
        project: args.projectName,
        tables: tables.map((t) => ({ name: t.ros.name, columns: t.columns.map((c) => ({ name: c.name, type: c.type, comment: c.comment })) })),
        lifecycleDays: args.lifecycleDays,
      },
      { ...opts, dependsOn: stacks },
    );
  }
}
