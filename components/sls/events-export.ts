/**
 * The T+1 path for front-end events: the day-partitioned MaxCompute table
 * (through ROS: there is no Terraform/Pulumi resource for MaxCompute tables),
 * the MaxCompute permissions the export's RAM role needs on it, and the
 * SLS -> MaxCompute export into it.
 *
 * Permissions: SLS writes MaxCompute as the RAM role `odpsRolearn`
 * (`AliyunLogDefaultRole` unless `tracking.export.roleArn` names a custom role),
 * and that role must be a member of the MaxCompute project with Describe, Alter
 * and Update on the table (SLS "Write data to MaxCompute by using a default role",
 * https://www.alibabacloud.com/help/en/log-service/latest/write-data-to-maxcompute-by-using-a-default-role,
 * and https://www.alibabacloud.com/help/en/sls/grant-permissions-46/). Without it the job
 * is created but every shipment fails. The component declares the grant: a MaxCompute
 * project role (`alicloud.maxcompute.Role`, type `resource`, a policy on that one table;
 * alicloud/resource_alicloud_max_compute_role.go @ 47511266efe5cf0282a1ecd6349de53bc78c2383)
 * given to `RAM$<account>:role/<name>` (`alicloud.maxcompute.RoleUserAttachment`, which
 * adds the user to the role with UpdateUsersToRole; the console's "Manage Members" does
 * the same to add a member; alicloud/resource_alicloud_max_compute_role_user_attachment.go
 * @ 2a0ec277b0ff4846f24e35300d62edc0708520aa). The deploying identity must be allowed to
 * manage roles in the project (its owner, or Super_Administrator/Admin).
 *
 * Lifecycle: the table's ROS definition keeps the lifecycle it was created with
 * (`exportTableCreatedWithLifecycleDays`: no `ALIYUN::MaxCompute::Table` property is editable), and
 * `exportLifecycleDays` reaches the table through a `TableColumns` resource (`ALTER TABLE ... SET
 * LIFECYCLE`; providers/maxcompute/table-columns.ts), as for the ODS tables.
 */
import { ROS_DIGEST_PARAMETER, templateDigest } from "../../lib/maxcompute/ods-tables";
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import {
  EXPORT_NAME,
  EXPORT_PARTITION_TIME_FORMAT,
  EXPORT_WRITER_ROLE,
  exportColumns,
  exportTableTemplate,
  exportWriterPolicy,
  maxcomputeEndpoints,
  maxcomputeUserOfRamRole,
} from "../../lib/sls/sls-objects";
import { MaxComputeExport } from "../../providers/sls/maxcompute-export";
import { maxComputeEndpoint } from "../../providers/maxcompute/client";
import { TableColumns } from "../../providers/maxcompute/table-columns";
import { RESOURCE_OPTIONS_DATA, TrackingScope } from "./tracking-scope";
import { createProjectRole } from "../maxcompute/project-role";

export { EXPORT_NAME } from "../../lib/sls/sls-objects";

/** The table, the grant on it, and the export job. */
export interface EventsExport {
  readonly exportTable: alicloud.ros.Stack;
  /** The table's lifecycle (`exportLifecycleDays`, `ALTER TABLE ... SET LIFECYCLE`); its columns are the creation ones. */
  readonly exportTableLifecycle: TableColumns;
  /** The MaxCompute project role allowed to write the table. */
  readonly writerRole: alicloud.maxcompute.Role;
  /** The export's RAM role as a member of {@link writerRole}. */
  readonly writerGrant: alicloud.maxcompute.RoleUserAttachment;
  readonly maxcomputeExport: MaxComputeExport;
}

/**
 * `${name}-events-table` (ROS stack, protected and retained), `${name}-events-table-columns` (its
 * lifecycle, after it), `${name}-export-writer-role` and `${name}-export-writer` (the grant), and
 * `${name}-maxcompute-export`, created after them.
 */
export function createEventsExport(scope: TrackingScope, maxcomputeProject: pulumi.Input<string>, logstore: alicloud.log.Store): EventsExport {
  const { name, parent, args: a, projectName, logstoreName } = scope;
  const extra = a.extra;
  const table = extra.export.table;
  // The creation lifecycle, never the current one: a changed Lifecycle would make ROS replace the table.
  const templateBody = pulumi.output(maxcomputeProject).apply((p) => exportTableTemplate(p, table, a.exportTableCreatedWithLifecycleDays));
  const exportTable = new alicloud.ros.Stack(
    `${name}-events-table`,
    {
      stackName: `${a.projectName}-events-table`,
      templateBody,
      // Every template change reaches UpdateStack (the provider sends templateBody only with a
      // `parameters` change: alicloud/resource_alicloud_ros_stack.go @30c7bd7). The table itself is
      // not editable in ROS: a changed definition fails the update (replacement disabled) instead
      // of being dropped silently.
      parameters: templateBody.apply((body) => [{ parameterKey: ROS_DIGEST_PARAMETER, parameterValue: templateDigest(body) }]),
      deletionProtection: "Enabled",
      retainAllResources: true,
      // A changed table definition fails the update instead of dropping the table.
      replacementOption: "Disabled",
      timeoutInMinutes: 30,
    },
    { ...parent, ...RESOURCE_OPTIONS_DATA },
  );
  const exportTableLifecycle = new TableColumns(
    `${name}-events-table-columns`,
    {
      region: a.region,
      endpoint: maxComputeEndpoint(a.region),
      project: maxcomputeProject,
      tables: [{ name: table, columns: exportColumns().map((c) => ({ name: c.name, type: c.type, comment: c.comment })) }],
      lifecycleDays: a.exportLifecycleDays,
    },
    { ...parent, ...RESOURCE_OPTIONS_DATA, dependsOn: [exportTable] },
  );
  const exportRole = scope.roleArn(extra.export.roleArn, "aliyunlogdefaultrole");
  const { role: writerRole, grant: writerGrant } = createProjectRole(
    `${name}-export-writer-role`,
    `${name}-export-writer`,
    {
      project: maxcomputeProject,
      roleName: EXPORT_WRITER_ROLE,
      policy: pulumi.output(maxcomputeProject).apply((p) => exportWriterPolicy(p, table)),
      member: pulumi.output(exportRole).apply(maxcomputeUserOfRamRole),
    },
    parent,
  );
  const columns = exportColumns();
  const maxcomputeExport = new MaxComputeExport(
    `${name}-maxcompute-export`,
    {
      region: a.region,
      endpoint: `${a.region}.log.aliyuncs.com`,
      project: projectName,
      exportName: EXPORT_NAME,
      displayName: `${a.logstore} to MaxCompute ${table}`,
      description: "photo-analytics T+1 path for front-end events",
      logstore: logstoreName,
      roleArn: exportRole,
      odpsRoleArn: exportRole,
      odpsProject: maxcomputeProject,
      odpsTable: table,
      ...maxcomputeEndpoints(a.region),
      fields: columns.map((c) => c.logField),
      partitionColumn: ["__partition_time__"],
      partitionTimeFormat: EXPORT_PARTITION_TIME_FORMAT,
      timeZone: extra.timeZone,
      bufferIntervalSeconds: extra.export.bufferIntervalSeconds,
      fromTime: 1,
    },
    // Shipping starts at creation: the table and the grant come first.
    { ...parent, dependsOn: [logstore, exportTable, writerGrant] },
  );
  return { exportTable, exportTableLifecycle, writerRole, writerGrant, maxcomputeExport };
}
