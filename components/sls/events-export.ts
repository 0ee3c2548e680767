/**
 * The T+1 path for front-end events: the day-partitioned MaxCompute table
 * (through ROS: there is no Terraform/Pulumi resource for MaxCompute tables)
 * and the SLS -> MaxCompute export into it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import { EXPORT_PARTITION_TIME_FORMAT, exportColumns, exportTableTemplate, maxcomputeEndpoints } from "../../lib/sls/sls-objects";
import { MaxComputeExport } from "../../providers/sls/maxcompute-export";
import { RESOURCE_OPTIONS_DATA, TrackingScope } from "./tracking-scope";

/** Export job name inside the SLS project (stable: renaming replaces the job). */
export const EXPORT_NAME = "user-events-to-maxcompute";

/** The table and the export job. */
export interface EventsExport {
  readonly exportTable: alicloud.ros.Stack;
  readonly maxcomputeExport: MaxComputeExport;
}

/** `${name}-events-table` (ROS stack, protected and retained) and `${name}-maxcompute-export`. */
export function createEventsExport(scope: TrackingScope, maxcomputeProject: pulumi.Input<string>, logstore: alicloud.log.Store): EventsExport {
  const { name, parent, args: a, projectName, logstoreName } = scope;
  const extra = a.extra;
  const table = extra.export.table;
  const exportTable = new alicloud.ros.Stack(
    `${name}-events-table`,
    {
      stackName: `${a.projectName}-events-table`,
      templateBody: pulumi.output(maxcomputeProject).apply((p) => exportTableTemplate(p, table, a.exportLifecycleDays)),
      deletionProtection: "Enabled",
      retainAllResources: true,
      // A changed table definition fails the update instead of dropping the table.
      replacementOption: "Disabled",
      timeoutInMinutes: 30,
    },
    { ...parent, ...RESOURCE_OPTIONS_DATA },
  );
  const exportRole = scope.roleArn(extra.export.roleArn, "aliyunlogdefaultrole");
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
    { ...parent, dependsOn: [logstore, exportTable] },
  );
  return { exportTable, maxcomputeExport };
}
