/**
 * Pure builders for the SLS and MaxCompute objects the tracking component
 * creates, all derived from the event schema: the logstore index, dashboard
 * chart lists, the MaxCompute export's sink and its destination table.
 * Pure: no Pulumi.
 */
import { ROS_DIGEST_PARAMETER } from "../maxcompute/ods-tables";
import { eventFields } from "./event-schema";
import { MetricQuery } from "./queries";
import { maxcomputeTableResource, renderPolicy } from "../ram/policy-document";

/** The SLS -> MaxCompute export job's name inside the SLS project (stable: renaming replaces the job). */
export const EXPORT_NAME = "user-events-to-maxcompute";

/** The logstore of the per-minute metrics beside the tracking logstore (`<logstore>_metrics`). */
export function metricsLogstoreName(logstore: string): string {
  return `${logstore}_metrics`;
}

/** One `alicloud.log.StoreIndex` `fieldSearches` entry. */
export interface FieldSearch {
  readonly name: string;
  readonly type: "text" | "long" | "double";
  readonly enableAnalytics: boolean;
  /** Only for text fields. */
  readonly caseSensitive?: boolean;
  /** Only for text fields. */
  readonly token?: string;
}

/** Tokenizer SLS uses by default for text fields. */
export const DEFAULT_TOKEN = ", '\";=()[]{}?@&<>/:\n\t\r";

/** The logstore's field indexes: one per event field, analytic unless the schema says otherwise. */
export function indexFieldSearches(): FieldSearch[] {
  return eventFields().map((f) =>
    f.slsIndexType === "text"
      ? { name: f.name, type: "text", enableAnalytics: f.analytics, caseSensitive: false, token: DEFAULT_TOKEN }
      : { name: f.name, type: f.slsIndexType, enableAnalytics: f.analytics },
  );
}

/** Chart types used below (SLS dashboard chart `type`). */
export type ChartType = "number" | "table" | "line";

/** One chart on a dashboard. */
export interface ChartSpec {
  readonly query: MetricQuery;
  readonly type: ChartType;
  /** The logstore the chart reads, instead of the dashboard's. */
  readonly logstore?: string;
}

/** `alicloud.log.Dashboard` `charList` JSON: a 2-column grid, each chart 6 wide and 6 high. */
export function dashboardCharList(logstore: string, charts: readonly ChartSpec[]): string {
  const list = charts.map((c, i) => ({
    action: {},
    title: c.query.title,
    type: c.type,
    search: { logstore: c.logstore ?? logstore, topic: "", query: c.query.query, start: c.query.start, end: c.query.end },
    display: {
      xAxis: c.type === "line" ? [c.query.columns[0]] : [],
      yAxis: c.type === "number" ? [...c.query.columns] : c.query.columns.slice(1),
      xPos: (i % 2) * 6,
      yPos: Math.floor(i / 2) * 6,
      width: 6,
      height: 6,
      displayName: c.query.title,
    },
  }));
  return JSON.stringify(list);
}

/** A column of the MaxCompute table the export writes, with the log field it comes from. */
export interface ExportColumn {
  readonly name: string;
  readonly type: "STRING" | "BIGINT" | "DOUBLE";
  readonly comment: string;
  /** SLS log field (or reserved field) written into this column. */
  readonly logField: string;
}

/** Partition column of the export table: the day (`yyyymmdd`) in the configured time zone. */
export const EXPORT_PARTITION_COLUMN = "ds";
/** `partitionTimeFormat` that makes `ds` a `yyyymmdd` string, like the batch ODS tables. */
export const EXPORT_PARTITION_TIME_FORMAT = "%Y%m%d";

/** Columns of the export table, in order: the event fields, then SLS's receive time and client IP. */
export function exportColumns(): ExportColumn[] {
  return [
    ...eventFields().map((f) => ({ name: f.name, type: f.maxcomputeType, comment: f.description, logField: f.name })),
    { name: "log_time", type: "BIGINT", comment: "SLS receive time, epoch seconds (__time__)", logField: "__time__" },
    { name: "client_ip", type: "STRING", comment: "client IP seen by SLS (__tag__:__client_ip__)", logField: "__tag__:__client_ip__" },
  ];
}

/**
 * ROS template (`ALIYUN::MaxCompute::Table`) of the export's destination
 * table, partitioned by `ds`. `IfNotExists` keeps an existing table.
 */
export function exportTableTemplate(project: string, table: string, lifecycleDays: number): string {
  const template = {
    ROSTemplateFormatVersion: "2015-09-01",
    Description: "photo-analytics: MaxCompute table for front-end events shipped from SLS",
    // The template digest parameter (lib/maxcompute/ods-tables.ts ROS_DIGEST_PARAMETER): without
    // a `parameters` change the provider never sends a changed template to UpdateStack.
    Parameters: {
      [ROS_DIGEST_PARAMETER]: { Type: "String", Description: "sha256 of this template (set by photo-analytics so that template changes reach UpdateStack)" },
    },
    Resources: {
      EventsTable: {
        Type: "ALIYUN::MaxCompute::Table",
        // Removed from the template (table renamed in config): ROS keeps the table and its data.
        DeletionPolicy: "Retain",
        Properties: {
          Project: project,
          Name: table,
          IfNotExists: true,
          Lifecycle: lifecycleDays,
          Comment: "front-end events (SLS web tracking), shipped by the SLS MaxCompute export",
          Schema: {
            Columns: exportColumns().map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
            Partitions: [{ Name: EXPORT_PARTITION_COLUMN, Type: "STRING", Comment: "day, yyyymmdd" }],
          },
        },
      },
    },
    Outputs: { TableName: { Value: table }, [ROS_DIGEST_PARAMETER]: { Value: { Ref: ROS_DIGEST_PARAMETER } } },
  };
  return JSON.stringify(template, null, 2);
}

/** Same-region internal MaxCompute endpoints SLS writes through. */
export function maxcomputeEndpoints(region: string): { odpsEndpoint: string; odpsTunnelEndpoint: string } {
  return {
    odpsEndpoint: `https://service.${region}-intranet.maxcompute.aliyun-inc.com/api`,
    odpsTunnelEndpoint: `https://dt.${region}-intranet.maxcompute.aliyun-inc.com`,
  };
}

/**
 * MaxCompute project role that lets the export's RAM role write the export table. SLS's
 * guide: the role SLS assumes (`AliyunLogDefaultRole` by default) must be a member of the
 * MaxCompute project with `Describe`, `Alter` and `Update` on the destination table
 * (https://www.alibabacloud.com/help/en/sls/grant-permissions-46/ ,
 * https://www.alibabacloud.com/help/en/log-service/latest/write-data-to-maxcompute-by-using-a-default-role).
 */
export const EXPORT_WRITER_ROLE = "sls_export_writer";

/** The table actions the export needs (MaxCompute policy `odps:<Action>`). */
export const EXPORT_TABLE_ACTIONS = ["Describe", "Alter", "Update"] as const;

/**
 * Policy of {@link EXPORT_WRITER_ROLE} (MaxCompute policy-based access control): the
 * export's table actions on that one table, nothing else.
 */
export function exportWriterPolicy(project: string, table: string): string {
  return renderPolicy({
    Version: "1",
    Statement: [{ Effect: "Allow", Action: EXPORT_TABLE_ACTIONS.map((a) => `odps:${a}`), Resource: [maxcomputeTableResource(project, table)] }],
  });
}

/** `acs:ram::<account>:role/<name>`: the shape of a RAM role ARN. */
export const RAM_ROLE_ARN = /^acs:ram::([^:]+):role\/([A-Za-z0-9._-]+)$/;

/**
 * The MaxCompute user name of a RAM role, `RAM$<account>:role/<name>` (MaxCompute's
 * permission commands: `add user` / `grant ... to user` with a RAM role). Throws on
 * anything that is not a RAM role ARN, naming the value.
 */
export function maxcomputeUserOfRamRole(roleArn: string): string {
  const m = RAM_ROLE_ARN.exec(roleArn);
  if (!m) throw new Error(`roleArn is ${JSON.stringify(roleArn)}; allowed: a RAM role ARN "acs:ram::<account id>:role/<role name>"`);
  return `RAM$${m[1]}:role/${m[2]}`;
}
