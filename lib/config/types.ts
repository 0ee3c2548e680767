/**
 * The stack's configuration after validation and defaulting: what every
 * component and tool reads. The raw form (what a stack file holds) is described
 * by the JSON Schema in `schema.ts`; `load.ts` turns one into the other.
 * Pure: no Pulumi imports. Secret values are never held here: they are read by
 * the Pulumi program with `config.requireSecret` (see `SECRET_KEYS`).
 */
import type { SourceSchema } from "./source-schema";

/** Deployment stages, in promotion order. */
export const STAGES = ["initial", "growth", "mature"] as const;
export type Stage = (typeof STAGES)[number];

/** Batch tiers: how often a table is loaded into MaxCompute by Data Integration. */
export const BATCH_TIERS = ["daily", "hourly"] as const;
export type BatchTier = (typeof BATCH_TIERS)[number];

/** Realtime engines named in the seed. Only the ones in `IMPLEMENTED_REALTIME_ENGINES` build resources. */
export const REALTIME_ENGINES = ["dts", "sls", "dataworks-flink", "canal-datahub"] as const;
export type RealtimeEngine = (typeof REALTIME_ENGINES)[number];
/**
 * One record per realtime engine: how messages name it, and whether it reads the source's binlog
 * (change-data-capture: its sync account needs the replication grants, and a promotion that
 * starts it runs the source preflight). Whether an engine is on: lib/config/realtime.ts.
 */
export const REALTIME_ENGINE_RECORDS: Readonly<Record<RealtimeEngine, { readonly label: string; readonly readsBinlog: boolean }>> = {
  dts: { label: "DTS", readsBinlog: true },
  sls: { label: "SLS", readsBinlog: false },
  "dataworks-flink": { label: "DataWorks realtime sync (Flink)", readsBinlog: true },
  "canal-datahub": { label: "Canal to DataHub", readsBinlog: true },
};

/** How DTS (and DataWorks) reach the source: DTS `sourceEndpointInstanceType` values. */
export const SOURCE_INSTANCE_TYPES = ["RDS", "ECS", "OTHER", "EXPRESS", "CEN", "DG"] as const;
export type SourceInstanceType = (typeof SOURCE_INSTANCE_TYPES)[number];

/** DTS synchronization instance classes, smallest first, with their documented record rate. */
export const DTS_INSTANCE_CLASSES = ["micro", "small", "medium", "large", "xlarge", "2xlarge"] as const;
export type DtsInstanceClass = (typeof DTS_INSTANCE_CLASSES)[number];

/** Config keys that hold secrets: must be set with `pulumi config set --secret`. */
export const SECRET_KEYS = ["sourcePassword", "maxcomputeAccessKeyId", "maxcomputeAccessKeySecret", "datahubAccessKeyId", "datahubAccessKeySecret"] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/**
 * The one text that stands for a secret value wherever one would be shown: the offline
 * stack-file reader, config error messages, plans and the policy pack.
 */
export const SECRET_PLACEHOLDER = "[secret]";

/** The Pulumi project name: config keys are `photo-analytics:<key>`. */
export const PROJECT = "photo-analytics";
/** The program's root component (stack.ts): every resource name starts with it; `npm run verify` finds them by it. */
export const PLATFORM_NAME = "analytics";

/** The MySQL source (`photo-analytics:source`). */
export interface SourceConfig {
  /** Host name or IP that DTS / DataWorks connect to (for RDS: the instance's internal endpoint). */
  readonly host: string;
  /** @default 3306 */
  readonly port: number;
  /** @default "photo_assistant" */
  readonly database: string;
  /** The sync account (DTS / DataWorks); its password is the secret `sourcePassword`. */
  readonly user: string;
  /** How DTS reaches the source. @default "OTHER" (self-managed database on a public IP) */
  readonly instanceType: SourceInstanceType;
  /** RDS instance id (`rm-...`) or ECS instance id (`i-...`); required for RDS and ECS. */
  readonly instanceId?: string;
  /** Region of the source. @default the stack's region */
  readonly region: string;
  /** VPC id, for EXPRESS (VPN / Express Connect) access. */
  readonly vpcId?: string;
  /** Schema snapshot the warehouse tables are derived from. @default "sql/mysql/<database>.schema.json" */
  readonly schemaFile: string;
  /**
   * Create and keep the sync account on a self-managed source (components/source/sync-account.ts).
   * Absent: the account is managed by hand. Admin credentials come from SOURCE_ADMIN_USER /
   * SOURCE_ADMIN_PASSWORD where `pulumi up` runs.
   */
  readonly manageAccount?: {
    /** Host the admin connection uses from where `pulumi up` runs. @default host */
    readonly adminHost: string;
    /** @default port */
    readonly adminPort: number;
    /** Host pattern of the sync account. @default "%" */
    readonly accountHost: string;
  };
}

/** One synced table (`photo-analytics:tables[]`), resolved for the current stage. */
export interface TableConfig {
  readonly name: string;
  /** Primary key columns. @default the source table's primary key */
  readonly primaryKey: readonly string[];
  /** Column that grows on insert/update, for incremental batch loads; without it the table is loaded in full. */
  readonly incrementalColumn?: string;
  /** The table's batch tier in the current stage (every table is also kept daily). */
  readonly tier: BatchTier;
  /** In the realtime set (synced by the realtime layer whenever it is on). */
  readonly realtime: boolean;
  /** The warehouse keeps an hourly ODS table for it: its tier is `hourly` in at least one stage. */
  readonly hourlyTable: boolean;
  /**
   * The first stage whose tier for it is `hourly` (`initial` when `tables[].tier` is `hourly`, else
   * the stage catalog's; undefined when it is never hourly): the hourly DI job that loads it
   * (lib/dataworks/di-job-spec.ts), so that a promotion creates hourly jobs and never changes one.
   * @default "initial" (tables built without it)
   */
  readonly hourlySince?: Stage;
}

/** MaxCompute (`photo-analytics:warehouse`). */
export interface WarehouseConfig {
  /** MaxCompute project name: 3-28 chars, globally unique, lower case letters, digits and `_`, starting with a letter. */
  readonly projectName: string;
  /**
   * Lifecycle of the ODS and events tables' partitions, in days (1-37231). Applied to existing
   * tables with `ALTER TABLE ... SET LIFECYCLE` (the `TableColumns` resources), never through ROS.
   * @default 365
   */
  readonly lifecycleDays: number;
  /**
   * Lifecycle, in days, the ROS templates create the tables with (`ALIYUN::MaxCompute::Table`
   * `Lifecycle`, which ROS cannot update in place). Fixed once tables exist: a different value
   * changes every table's ROS definition and ROS refuses the update. Set it to the current
   * `lifecycleDays` before changing `lifecycleDays` (docs/maxcompute-schema-changes.md).
   * @default lifecycleDays
   */
  readonly tablesCreatedWithLifecycleDays: number;
  /** Project time zone. @default "Asia/Shanghai" */
  readonly timezone: string;
  /** Compute quota. @default "os_PayAsYouGoQuota" */
  readonly quota: string;
  /** The ODS table ledger, relative to the project root. @default "sql/maxcompute/ods/<source.database>.ledger.json" */
  readonly tableLedgerFile: string;
}

/** DataWorks (`photo-analytics:dataworks`). */
export interface DataWorksConfig {
  /** DataWorks workspace name. @default warehouse.projectName */
  readonly workspaceName: string;
  /** Serverless resource group identifier (`Serverless_res_group_...`) the DI jobs run on. */
  readonly resourceGroup: string;
  /** Compute units each batch DI job requests. @default 2 */
  readonly requestedCu: number;
  /** Daily (T+1) load schedule, Quartz cron. @default "00 30 00 * * ?" (00:30 every day) */
  readonly dailyCron: string;
  /** Hourly load schedule, Quartz cron. @default "00 05 * * * ?" (5 minutes past every hour) */
  readonly hourlyCron: string;
}

/** DTS settings (`photo-analytics:realtime.dts`). */
export interface DtsConfig {
  /** @default the smallest class that carries `peakRecordsPerSecond` */
  readonly instanceClass: DtsInstanceClass;
  /** @default "PayAsYouGo" */
  readonly paymentType: "PayAsYouGo" | "Subscription";
  /** Length of a Subscription purchase, months. @default 1 */
  readonly subscriptionMonths?: number;
  /** Expected peak change rate of the realtime tables, records per second. @default 100 */
  readonly peakRecordsPerSecond: number;
  /** Delay alarm threshold, in seconds (1-3600). @default 10 */
  readonly delayThresholdSeconds: number;
  /** Phone numbers notified of delay and errors. @default [] */
  readonly alertPhones: readonly string[];
  /**
   * Who DTS writes MaxCompute as: `managed` (a RAM user the stack creates, granted only DTS's own
   * tables, with a stack-managed AccessKey) or `accessKey` (the config secrets
   * `maxcomputeAccessKeyId`/`maxcomputeAccessKeySecret`).
   * @default "accessKey" when either secret is set, else "managed"
   */
  readonly writer: DtsWriterMode;
  /** Generation of the managed writer's AccessKey that new DTS jobs get. @default 1 */
  readonly writerKeyGeneration: number;
  /** Managed writer keys up to this generation are deleted (0: none). @default 0 */
  readonly retiredWriterKeyGeneration: number;
}

/** Who DTS writes MaxCompute as (`realtime.dts.writer`). */
export const DTS_WRITER_MODES = ["managed", "accessKey"] as const;
export type DtsWriterMode = (typeof DTS_WRITER_MODES)[number];

/**
 * The `dataworks-flink` engine (`photo-analytics:realtime.flink`): a DataWorks whole-database
 * realtime DI job into `<table>_realtime` Delta tables, and a Realtime Compute for Apache Flink
 * workspace running the streaming metrics (components/flink, docs/realtime-engines.md).
 */
export interface FlinkConfig {
  /** VPC of the Flink workspace (`vpc-...`); required with this engine. Changing it replaces the workspace. */
  readonly vpcId?: string;
  /** vSwitches of the workspace, in `zoneId`; required with this engine. Changing them replaces the workspace. */
  readonly vswitchIds: readonly string[];
  /** Zone of the workspace, e.g. `cn-shanghai-l`; required with this engine. Changing it replaces the workspace. */
  readonly zoneId?: string;
  /** Existing OSS bucket holding the workspace's checkpoints and savepoints; required with this engine. Never created or emptied by the stack. */
  readonly ossBucket?: string;
  /** @default "PayAsYouGo" (billed per CU-hour while the job runs; removed with the engine) */
  readonly paymentType: "PayAsYouGo" | "Subscription";
  /** Compute units of the workspace (`resourceSpec`: `cu` CPU cores, `4 x cu` GiB; 1 CU = 1 core + 4 GiB). @default 2 */
  readonly cu: number;
  /** Parallelism of the metrics job (one TaskManager slot each, 1 CU per TaskManager + 1 CU JobManager). @default 1 */
  readonly parallelism: number;
  /** VVR engine version of the metrics deployment. @default "vvr-8.0.11-flink-1.17" */
  readonly engineVersion: string;
  /** Compute units of the realtime DI job on the serverless resource group. @default 2 */
  readonly diRequestedCu: number;
  /** Alarm when the realtime DI job is more than this many seconds behind (60-86400). @default 300 */
  readonly delayThresholdSeconds: number;
}

/**
 * The `canal-datahub` engine (`photo-analytics:realtime.canalDatahub`): a Canal server in an ECI
 * container in the source's VPC, writing to one DataHub topic per realtime table over DataHub's
 * Kafka endpoint, and a DataHub -> MaxCompute connector per topic (docs/realtime-canal-datahub.md).
 */
export interface CanalDatahubConfig {
  /** Shards (= Kafka partitions) per topic, 1-10. Changing it replaces the topics. @default 1 */
  readonly shardCount: number;
  /** Days DataHub keeps a topic's records, 1-7. @default 3 */
  readonly lifecycleDays: number;
  /** DataHub's Kafka endpoint for the region, `host:port` (DataHub "Kafka compatibility" page); required with this engine. */
  readonly kafkaBootstrapServers?: string;
  /** @default "SASL_SSL" */
  readonly kafkaSecurityProtocol: "SASL_SSL" | "SASL_PLAINTEXT";
  /** Canal server image built from DataHub's Canal package (keeps `.` in topic names); required with this engine. */
  readonly image?: string;
  /** vSwitch in the source's VPC the container runs in (`vsw-...`); required with this engine. */
  readonly vswitchId?: string;
  /** Security group of the container (`sg-...`), allowed to reach MySQL; required with this engine. */
  readonly securityGroupId?: string;
  /** NAS mount target (`xxx.<region>.nas.aliyuncs.com`) holding Canal's binlog positions; required with this engine. */
  readonly nasServer?: string;
  /** Directory on the NAS file system. @default "/canal" */
  readonly nasPath: string;
  /** vCPUs of the container (ECI). @default 1 */
  readonly cpu: number;
  /** Memory of the container, GiB (ECI). @default 2 */
  readonly memoryGiB: number;
}

/** The realtime metrics node and import (`photo-analytics:realtime.metrics`). */
export interface RealtimeMetricsConfig {
  /** Minutes between two refreshes of the `rt_*` tables and two SLS imports (5, 10, 15, 20 or 30). @default 5 */
  readonly intervalMinutes: number;
}

/** The SLS alerts on the realtime metrics (`photo-analytics:realtime.alerts`). */
export interface RealtimeAlertsConfig {
  /** Alert when today's DAU so far is more than this many percent below yesterday's at the same time (1-100). @default 50 */
  readonly dauDropPercent: number;
  /** Alert when today's conversion rate (least-visited page / busiest page, percent) falls below this; 0: no alert. @default 1 */
  readonly conversionFloorPercent: number;
  /** The DAU and conversion alerts judge only at or above this many users (yesterday's DAU at this time, resp. today's). @default 100 */
  readonly minDau: number;
}

/** The realtime layer (`photo-analytics:realtime`). */
export interface RealtimeConfig {
  /** Whether the realtime layer exists now. @default true in `mature`, false otherwise */
  readonly enabled: boolean;
  /** @default "dts" */
  readonly engine: RealtimeEngine;
  readonly metrics: RealtimeMetricsConfig;
  readonly alerts: RealtimeAlertsConfig;
  readonly dts: DtsConfig;
  readonly canalDatahub: CanalDatahubConfig;
  readonly flink: FlinkConfig;
}

/** Front-end tracking on SLS (`photo-analytics:tracking`). */
export interface TrackingConfig {
  /** @default true */
  readonly enabled: boolean;
  /** SLS project name (3-63, lower case, digits, `-`). @default "<warehouse.projectName with _ as ->-tracking" */
  readonly projectName: string;
  /** @default "user_events" */
  readonly logstore: string;
  /** @default 30 */
  readonly retentionDays: number;
  /** @default 2 */
  readonly shardCount: number;
  /** Alert when DAU over the last hour falls below this. @default 0 (no alert) */
  readonly dauFloor: number;
  /** Alert action policy, time zone, metrics retention, roles and the MaxCompute export (lib/tracking/config.ts). */
  readonly extra: TrackingExtraConfig;
}

/** Cost control (`photo-analytics:budget`). */
export interface BudgetConfig {
  /** Monthly budget in CNY; the cost policy fails above it. @default none */
  readonly monthlyCny?: number;
}

/** DataWorks / DI alarm notification channels the stack uses (`alerts.channels`). */
export const ALERT_CHANNELS = ["Mail", "Sms", "Phone"] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/**
 * Freshness objectives per tier (`photo-analytics:freshness`): when each period's data must be in
 * the warehouse. Alerted as code (components/monitoring) and checked by `npm run verify`. The
 * realtime DTS objective is `realtime.dts.delayThresholdSeconds`.
 */
export interface FreshnessConfig {
  /** T+1: yesterday's `ds` partition of every daily ODS table and every ADS report is complete by this time, `HH:mm` in `warehouse.timezone`. @default "06:00" */
  readonly dailyDeadline: string;
  /** Hourly: the previous hour's `ds/hh` partition is complete this many minutes past the hour (1-59). @default 20 */
  readonly hourlyGraceMinutes: number;
  /** Realtime on SLS: the newest per-minute metric is at most this old, minutes (1-60). @default 2 */
  readonly slsMetricsMaxAgeMinutes: number;
  /** Tracking: the logstore received an event within this many minutes (1-1440). @default 60 */
  readonly eventsMaxAgeMinutes: number;
}

/** Who the freshness alerts reach (`photo-analytics:alerts`). */
export interface AlertsConfig {
  /** Channels of the DataWorks alerts (DI alarm rules, node alert rules). @default ["Mail", "Sms"] */
  readonly channels: readonly AlertChannel[];
  /** Alibaba Cloud account or RAM user UIDs notified; empty: the node owner only (and no DI receivers). @default [] */
  readonly receiverUids: readonly string[];
  /** Owner UID of the DataWorks node alert rules. @default the first of `receiverUids`, else the owner of the monitored nodes (GetNode) */
  readonly ownerUid?: string;
  /** Minimum minutes between two notifications of one alert (DataWorks IntervalInMinutes / InhibitionInterval, 5-10000). @default 30 */
  readonly repeatIntervalMinutes: number;
}

/** Everything a component needs. */
export interface StackConfig {
  readonly stage: Stage;
  /** `alicloud:region`. */
  readonly region: string;
  readonly source: SourceConfig;
  readonly tables: readonly TableConfig[];
  readonly warehouse: WarehouseConfig;
  readonly dataworks: DataWorksConfig;
  readonly realtime: RealtimeConfig;
  readonly tracking: TrackingConfig;
  readonly budget: BudgetConfig;
  readonly freshness: FreshnessConfig;
  readonly alerts: AlertsConfig;
  /** Which secret keys are set (their values are read by the program, never here). */
  readonly secretsSet: readonly SecretKey[];
  /** The source schema snapshot (`source.schemaFile`), read once at the edge. */
  readonly sourceSchema: SourceSchema;
}

/** `photo-analytics:tracking.export`: the T+1 path from the logstore into MaxCompute. */
export interface TrackingExportConfig {
  /** Ship `user_events` into MaxCompute. @default true */
  readonly enabled: boolean;
  /** MaxCompute table the export writes (created by the stack, partitioned by day). @default "ods_user_events_sls" */
  readonly table: string;
  /** Partition-time granularity of the export, in seconds: 1800 or 3600 (SLS `bufferInterval`). @default 1800 */
  readonly bufferIntervalSeconds: number;
  /**
   * RAM role SLS assumes to read the logstore and write MaxCompute.
   * @default "acs:ram::<account id>:role/aliyunlogdefaultrole" (the SLS default role)
   */
  readonly roleArn?: string;
}

/** The extra keys of `photo-analytics:tracking`. */
export interface TrackingExtraConfig {
  /** SLS action policy the DAU alert notifies. @default "sls.builtin" (the project's built-in action policy) */
  readonly alertActionPolicyId: string;
  /** UTC offset "today" and the export's day partitions are computed in. @default "+0800" (Asia/Shanghai) */
  readonly timeZone: string;
  /** Retention of the per-minute metrics logstore of the SLS realtime engine, in days. @default 30 */
  readonly metricsRetentionDays: number;
  /**
   * RAM role the realtime engine's Scheduled SQL runs as.
   * @default "acs:ram::<account id>:role/aliyunlogetlrole"
   */
  readonly scheduledSqlRoleArn?: string;
  readonly export: TrackingExportConfig;
}
