/**
 * Every resource type token the program and the bootstrap create, written once: components,
 * providers, the cost rules, the data-flow picture, the data types, the diff and the policies
 * import them from here. Each has the files that define or create it: docs/architecture.md's
 * type map is rendered from this table (tests/type-tokens.test.ts holds it to it and checks every
 * type of every plan is here). Tokens are a public contract: never renamed without an alias.
 */

/** A token and the files that define (components, dynamic providers) or create (alicloud) it; none for types the stack does not create but a rule reads. */
interface TokenEntry {
  readonly token: string;
  readonly files: readonly string[];
}

const ENTRIES = {
  Platform: { token: "photo-analytics:index:Platform", files: ["components/platform.ts"] },
  Warehouse: { token: "photo-analytics:maxcompute:Warehouse", files: ["components/maxcompute/warehouse.ts"] },
  maxcomputeProject: { token: "alicloud:maxcompute/project:Project", files: ["components/maxcompute/warehouse.ts"] },
  rosStack: { token: "alicloud:ros/stack:Stack", files: ["components/maxcompute/warehouse.ts"] },
  TableColumns: { token: "pulumi-nodejs:dynamic/maxcompute:TableColumns", files: ["providers/maxcompute/table-columns.ts"] },
  Workspace: { token: "photo-analytics:dataworks:Workspace", files: ["components/dataworks/workspace.ts"] },
  dataworksProject: { token: "alicloud:dataworks/project:Project", files: ["components/dataworks/workspace.ts"] },
  dataworksDataSource: { token: "alicloud:dataworks/dataSource:DataSource", files: ["components/dataworks/workspace.ts"] },
  ComputeResource: { token: "pulumi-nodejs:dynamic/dataworks:ComputeResource", files: ["providers/dataworks/compute-resource.ts"] },
  ResourceGroupAssociation: { token: "pulumi-nodejs:dynamic/dataworks:ResourceGroupAssociation", files: ["providers/dataworks/resource-group-association.ts"] },
  BatchSync: { token: "photo-analytics:dataworks:BatchSync", files: ["components/dataworks/batch-sync.ts"] },
  dataworksDiJob: { token: "alicloud:dataworks/diJob:DiJob", files: ["components/dataworks/batch-sync.ts"] },
  DiJobRun: { token: "pulumi-nodejs:dynamic/dataworks:DiJobRun", files: ["providers/dataworks/di-job-run.ts"] },
  LayerNodes: { token: "photo-analytics:dataworks:LayerNodes", files: ["components/dataworks/layer-nodes.ts"] },
  DataWorksNode: { token: "pulumi-nodejs:dynamic/dataworks:DataWorksNode", files: ["providers/dataworks/node.ts"] },
  DataWorksWorkflow: { token: "pulumi-nodejs:dynamic/dataworks:DataWorksWorkflow", files: ["providers/dataworks/workflow.ts"] },
  RealtimeSync: { token: "photo-analytics:dts:RealtimeSync", files: ["components/dts/realtime-sync.ts"] },
  dtsSynchronizationInstance: { token: "alicloud:dts/synchronizationInstance:SynchronizationInstance", files: ["components/dts/realtime-sync.ts"] },
  dtsSynchronizationJob: { token: "alicloud:dts/synchronizationJob:SynchronizationJob", files: ["components/dts/realtime-sync.ts"] },
  dtsJobMonitorRule: { token: "alicloud:dts/jobMonitorRule:JobMonitorRule", files: ["components/dts/realtime-sync.ts"] },
  Tracking: { token: "photo-analytics:sls:Tracking", files: ["components/sls/tracking.ts"] },
  logProject: { token: "alicloud:log/project:Project", files: ["components/sls/tracking-logstore.ts", "components/sls/per-minute-metrics.ts"] },
  logStore: { token: "alicloud:log/store:Store", files: ["components/sls/tracking-logstore.ts", "components/sls/per-minute-metrics.ts"] },
  logStoreIndex: { token: "alicloud:log/storeIndex:StoreIndex", files: ["components/sls/tracking-logstore.ts", "components/sls/per-minute-metrics.ts"] },
  logDashboard: { token: "alicloud:log/dashboard:Dashboard", files: ["components/sls/dashboards.ts"] },
  slsAlert: { token: "alicloud:sls/alert:Alert", files: ["components/sls/query-alert.ts"] },
  logIngestion: { token: "alicloud:log/ingestion:Ingestion", files: ["components/sls/realtime-metrics.ts"] },
  slsScheduledSql: { token: "alicloud:sls/scheduledSql:ScheduledSql", files: ["components/sls/per-minute-metrics.ts"] },
  DtsWriter: { token: "photo-analytics:dts:DtsWriter", files: ["components/dts/dts-writer.ts"] },
  ramUser: { token: "alicloud:ram/user:User", files: ["components/dts/dts-writer.ts", "components/sls/realtime-metrics.ts"] },
  ramAccessKey: { token: "alicloud:ram/accessKey:AccessKey", files: ["components/dts/dts-writer.ts", "components/sls/realtime-metrics.ts"] },
  maxcomputeRole: {
    token: "alicloud:maxcompute/role:Role",
    files: ["components/maxcompute/project-role.ts"],
  },
  maxcomputeRoleUserAttachment: {
    token: "alicloud:maxcompute/roleUserAttachment:RoleUserAttachment",
    files: ["components/maxcompute/project-role.ts"],
  },
  MaxComputeExport: { token: "pulumi-nodejs:dynamic/sls:MaxComputeExport", files: ["providers/sls/maxcompute-export.ts"] },
  RealtimeFlink: { token: "photo-analytics:flink:RealtimeFlink", files: ["components/flink/realtime-flink.ts"] },
  realtimecomputeVvpInstance: { token: "alicloud:realtimecompute/vvpInstance:VvpInstance", files: ["components/flink/realtime-flink.ts"] },
  realtimecomputeDeployment: { token: "alicloud:realtimecompute/deployment:Deployment", files: ["components/flink/realtime-flink.ts"] },
  realtimecomputeJob: { token: "alicloud:realtimecompute/job:Job", files: ["components/flink/realtime-flink.ts"] },
  MetricTables: { token: "pulumi-nodejs:dynamic/flink:MetricTables", files: ["providers/flink/metric-tables.ts"] },
  datahubProject: { token: "alicloud:datahub/project:Project", files: ["components/datahub/datahub-stream.ts"] },
  datahubTopic: { token: "alicloud:datahub/topic:Topic", files: ["components/datahub/datahub-stream.ts"] },
  Connector: { token: "pulumi-nodejs:dynamic/datahub:Connector", files: ["providers/datahub/connector.ts"] },
  eciContainerGroup: { token: "alicloud:eci/containerGroup:ContainerGroup", files: ["components/canal/canal-server.ts"] },
  FreshnessAlerts: { token: "photo-analytics:monitoring:FreshnessAlerts", files: ["components/monitoring/freshness-alerts.ts"] },
  dataworksDiAlarmRule: { token: "alicloud:dataworks/diAlarmRule:DiAlarmRule", files: ["components/monitoring/freshness-alerts.ts"] },
  NodeAlertRule: { token: "pulumi-nodejs:dynamic/dataworks:NodeAlertRule", files: ["providers/dataworks/alert-rule.ts"] },
  SyncAccount: { token: "pulumi-nodejs:dynamic/source:SyncAccount", files: ["providers/source/sync-account.ts"] },
  CiIdentity: { token: "photo-analytics:ram:CiIdentity", files: ["components/ram/ci-identity.ts"] },
  CanalServer: { token: "photo-analytics:canal:CanalServer", files: ["components/canal/canal-server.ts"] },
  DatahubStream: { token: "photo-analytics:datahub:DatahubStream", files: ["components/datahub/datahub-stream.ts"] },
  FlinkJobStop: { token: "pulumi-nodejs:dynamic/flink:FlinkJobStop", files: ["providers/flink/job-stop.ts"] },
  logAlert: { token: "alicloud:log/alert:Alert", files: [] },
  dataworksFolder: { token: "alicloud:dataworks/folder:Folder", files: [] },
  imsOidcProvider: { token: "alicloud:ims/oidcProvider:OidcProvider", files: ["components/ram/ci-identity.ts"] },
  ramRole: { token: "alicloud:ram/role:Role", files: ["components/ram/ci-identity.ts"] },
  ramPolicy: { token: "alicloud:ram/policy:Policy", files: ["components/ram/ci-identity.ts"] },
  ramRolePolicyAttachment: { token: "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment", files: ["components/ram/ci-identity.ts"] },
} as const satisfies Record<string, TokenEntry>;

export type TypeKey = keyof typeof ENTRIES;
export type TypeToken = (typeof ENTRIES)[TypeKey]["token"];

/** Every type token by name: `TYPES.dataworksDiJob` is "alicloud:dataworks/diJob:DiJob". */
export const TYPES = Object.fromEntries(Object.entries(ENTRIES).map(([k, e]) => [k, e.token])) as { readonly [K in TypeKey]: (typeof ENTRIES)[K]["token"] };

/** Every entry, in table order. */
export const TYPE_TOKENS: readonly (TokenEntry & { readonly key: TypeKey })[] = Object.entries(ENTRIES).map(([key, e]) => ({ key: key as TypeKey, ...e }));

/** The module and type of a dynamic resource's token (`pulumi-nodejs:dynamic/<module>:<type>`), as `dynamic.Resource` takes them. */
export function dynamicParts(token: TypeToken): { module: string; type: string } {
  const m = /^pulumi-nodejs:dynamic\/([a-z]+):([A-Za-z]+)$/.exec(token);
  if (!m) throw new Error(`${token} is not a dynamic resource type`);
  return { module: m[1], type: m[2] };
}

/** docs/architecture.md's type map: one row per set of files, their types in table order. */
export function typeMapMarkdown(): string {
  const rows = new Map<string, string[]>();
  for (const e of TYPE_TOKENS) {
    if (e.files.length === 0) continue;
    const files = e.files.map((f) => `\`${f}\``).join(", ");
    rows.set(files, [...(rows.get(files) ?? []), `\`${e.token}\``]);
  }
  return ["| type | file |", "|---|---|", ...[...rows].map(([files, types]) => `| ${types.join(", ")} | ${files} |`)].join("\n");
}
