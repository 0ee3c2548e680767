/**
 * `photo-analytics:sls:Tracking`: front-end event tracking on SLS, and the SLS
 * realtime engine.
 *
 * - a log project and the tracking logstore (web tracking on, and only there),
 *   its field index (derived from the event schema), a dashboard with the
 *   seed's realtime metrics, and an alert when DAU over the last hour drops
 *   below `dauFloor`;
 * - with `realtimeMetrics` (realtime enabled, engine `sls`): a per-minute
 *   metrics logstore filled by Scheduled SQL, and a trend dashboard;
 * - with `maxcomputeProject`: the T+1 path, an SLS -> MaxCompute export into a
 *   day-partitioned table the component creates through ROS.
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import { TrackingExtraConfig, TRACKING_EXTRA_DEFAULTS } from "../../lib/sls/tracking-config";
import { dauAlertCondition, dauLastHourQuery, perMinuteMetricsScript, perMinuteTrendQueries, realtimeMetricQueries } from "../../lib/sls/queries";
import {
  dashboardCharList,
  EXPORT_PARTITION_TIME_FORMAT,
  exportColumns,
  exportTableTemplate,
  indexFieldSearches,
  maxcomputeEndpoints,
} from "../../lib/sls/sls-objects";
import { MaxComputeExport } from "../../providers/sls/maxcompute-export";

/** Component type token (public contract: never rename without an alias). */
export const TRACKING_TYPE = "photo-analytics:sls:Tracking";

/** Names of the SLS objects inside the project (stable: renaming replaces them). */
export const DASHBOARD_NAME = "realtime-metrics";
export const TREND_DASHBOARD_NAME = "realtime-trends";
export const DAU_ALERT_NAME = "dau-below-floor";
export const SCHEDULED_SQL_NAME = "per-minute-metrics";
export const EXPORT_NAME = "user-events-to-maxcompute";

/** Args of {@link Tracking}. */
export interface TrackingArgs {
  /** Region of the SLS project, e.g. `cn-shanghai`. */
  readonly region: string;
  /** SLS project name: 3-63 chars, lower case letters, digits and `-`, globally unique. */
  readonly projectName: string;
  /** The tracking logstore (web tracking on). @default "user_events" */
  readonly logstore?: string;
  /** Retention of the tracking logstore, in days (1-3650; 3650 = forever). @default 30 */
  readonly retentionDays?: number;
  /** Shards of the tracking logstore at creation (1-256); auto split grows it. @default 2 */
  readonly shardCount?: number;
  /** Alert when distinct users over the last hour fall below this; 0 = no alert. @default 0 */
  readonly dauFloor?: number;
  /** Build the SLS realtime engine (per-minute Scheduled SQL + trend dashboard). @default false */
  readonly realtimeMetrics?: boolean;
  /**
   * Keep the per-minute metrics logstore (data) even while `realtimeMetrics` is off, so
   * switching SLS realtime off removes only the scheduled SQL. The platform sets it
   * whenever `realtime.engine` is `sls`. @default false
   */
  readonly metricsStore?: boolean;
  /** MaxCompute project the T+1 export writes to; no export without it. */
  readonly maxcomputeProject?: pulumi.Input<string>;
  /** Lifecycle of the export table's partitions, in days. @default 365 */
  readonly exportLifecycleDays?: number;
  /**
   * First window of the per-minute Scheduled SQL, epoch seconds. Set at
   * creation and ignored afterwards (`ignoreChanges`): SLS runs every window
   * from this time on, so a past value would backfill.
   * @default the start of the current hour when the job is created
   */
  readonly scheduleStartEpochSeconds?: number;
  /** Extra tracking settings. @default TRACKING_EXTRA_DEFAULTS */
  readonly extra?: TrackingExtraConfig;
}

/** Where the browser SDK sends events (`@aliyun-sls/web-track-browser` options). */
export interface WebTrackingTarget {
  readonly host: string;
  readonly project: string;
  readonly logstore: string;
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const LOGSTORE_NAME = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;
const RESOURCE_OPTIONS_DATA = { protect: true, retainOnDelete: true } as const;

/** Validation rules as data: condition that must hold, and the message when it does not. */
function argErrors(a: Required<Omit<TrackingArgs, "maxcomputeProject" | "scheduleStartEpochSeconds">>): string[] {
  const rules: { ok: boolean; message: string }[] = [
    {
      ok: PROJECT_NAME.test(a.projectName),
      message: `projectName is ${JSON.stringify(a.projectName)}; allowed: 3-63 chars, lower case letters, digits and "-", starting and ending with a letter or digit`,
    },
    {
      ok: LOGSTORE_NAME.test(a.logstore),
      message: `logstore is ${JSON.stringify(a.logstore)}; allowed: 3-63 chars, lower case letters, digits, "-" and "_", starting and ending with a letter or digit`,
    },
    {
      ok: Number.isInteger(a.retentionDays) && a.retentionDays >= 1 && a.retentionDays <= 3650,
      message: `retentionDays is ${a.retentionDays}; allowed: an integer 1-3650`,
    },
    {
      ok: Number.isInteger(a.shardCount) && a.shardCount >= 1 && a.shardCount <= 256,
      message: `shardCount is ${a.shardCount}; allowed: an integer 1-256`,
    },
    {
      ok: Number.isInteger(a.dauFloor) && a.dauFloor >= 0,
      message: `dauFloor is ${a.dauFloor}; allowed: an integer >= 0 (0 = no alert)`,
    },
    {
      ok: Number.isInteger(a.exportLifecycleDays) && a.exportLifecycleDays >= 1,
      message: `exportLifecycleDays is ${a.exportLifecycleDays}; allowed: an integer >= 1`,
    },
  ];
  return rules.filter((r) => !r.ok).map((r) => r.message);
}

/** Front-end tracking on SLS (see the module comment). */
export class Tracking extends pulumi.ComponentResource {
  public readonly project: alicloud.log.Project;
  public readonly logstore: alicloud.log.Store;
  public readonly index: alicloud.log.StoreIndex;
  public readonly dashboard: alicloud.log.Dashboard;
  public readonly dauAlert?: alicloud.sls.Alert;
  public readonly metricsLogstore?: alicloud.log.Store;
  public readonly scheduledSql?: alicloud.sls.ScheduledSql;
  public readonly exportTable?: alicloud.ros.Stack;
  public readonly maxcomputeExport?: MaxComputeExport;
  /** Options for the browser SDK: `{host, project, logstore}`. */
  public readonly webTracking: pulumi.Output<WebTrackingTarget>;

  constructor(name: string, args: TrackingArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TRACKING_TYPE, name, {}, opts);
    const a = {
      logstore: "user_events",
      retentionDays: 30,
      shardCount: 2,
      dauFloor: 0,
      realtimeMetrics: false,
      metricsStore: false,
      exportLifecycleDays: 365,
      extra: TRACKING_EXTRA_DEFAULTS,
      ...args,
    };
    const errors = argErrors(a);
    if (errors.length > 0) {
      throw new pulumi.ResourceError(`Tracking "${name}": ${errors.join("; ")}`, this);
    }
    const extra = a.extra;
    const parent = { parent: this };
    const accountId = (): pulumi.Output<string> =>
      // Offline plans mock invokes with no result: show a placeholder rather than "undefined".
      alicloud.getCallerIdentityOutput(parent).apply((c) => c.accountId ?? "<account-id>");
    const roleArn = (given: string | undefined, role: string): pulumi.Input<string> => given ?? pulumi.interpolate`acs:ram::${accountId()}:role/${role}`;

    this.project = new alicloud.log.Project(
      `${name}-project`,
      { projectName: a.projectName, description: "photo-analytics: front-end events (web tracking) and realtime metrics" },
      { ...parent, ...RESOURCE_OPTIONS_DATA },
    );
    const projectName = this.project.projectName.apply((p) => p ?? a.projectName);

    this.logstore = new alicloud.log.Store(
      `${name}-logstore`,
      {
        projectName,
        logstoreName: a.logstore,
        retentionPeriod: a.retentionDays,
        shardCount: a.shardCount,
        autoSplit: true,
        maxSplitShardCount: 64,
        // SQL analytics (dashboard, alert, Scheduled SQL) needs the standard mode.
        mode: "standard",
        // Adds __tag__:__client_ip__ and __tag__:__receive_time__ (the export writes the IP).
        appendMeta: true,
        // Anonymous public write: only this logstore.
        enableWebTracking: true,
      },
      { ...parent, ...RESOURCE_OPTIONS_DATA },
    );
    const logstoreName = this.logstore.logstoreName.apply((l) => l ?? a.logstore);

    this.index = new alicloud.log.StoreIndex(`${name}-index`, { project: projectName, logstore: logstoreName, fieldSearches: indexFieldSearches() }, parent);

    this.dashboard = new alicloud.log.Dashboard(
      `${name}-dashboard`,
      {
        projectName,
        dashboardName: DASHBOARD_NAME,
        displayName: "Photo analytics: realtime metrics",
        attribute: JSON.stringify({ type: "grid" }),
        charList: dashboardCharList(
          a.logstore,
          realtimeMetricQueries(extra.timeZone).map((query) => ({
            query,
            type: query.id === "funnel_today" ? "table" : "number",
          })),
        ),
      },
      { ...parent, dependsOn: [this.index] },
    );

    if (a.dauFloor > 0) {
      const q = dauLastHourQuery();
      const condition = dauAlertCondition(a.dauFloor);
      this.dauAlert = new alicloud.sls.Alert(
        `${name}-dau-alert`,
        {
          projectName,
          alertName: DAU_ALERT_NAME,
          displayName: `DAU over the last hour below ${a.dauFloor}`,
          description: `Distinct users in ${a.logstore} over the last hour fell below ${a.dauFloor}: tracking broken or traffic dropped.`,
          status: "ENABLED",
          schedule: { type: "FixedRate", interval: "5m", runImmdiately: false, timeZone: extra.timeZone, delay: 0 },
          configuration: {
            version: "2.0",
            type: "default",
            dashboard: "internal-alert-analysis",
            queryLists: [
              {
                storeType: "log",
                region: a.region,
                project: projectName,
                store: logstoreName,
                query: q.query,
                timeSpanType: "Relative",
                start: "-60m",
                end: "now",
                powerSqlMode: "auto",
                chartTitle: q.title,
              },
            ],
            groupConfiguration: { type: "no_group", fields: [] },
            conditionConfiguration: { condition, countCondition: "" },
            severityConfigurations: [{ severity: 8, evalCondition: { condition, countCondition: "" } }],
            threshold: 1,
            noDataFire: false,
            noDataSeverity: 8,
            sendResolved: true,
            autoAnnotation: true,
            annotations: [
              { key: "title", value: `${a.logstore}: DAU over the last hour below ${a.dauFloor}` },
              { key: "desc", value: "distinct users in the last hour: ${dau_last_hour}" },
            ],
            labels: [{ key: "app", value: "photo-analytics" }],
            policyConfiguration: {
              alertPolicyId: "sls.builtin.dynamic",
              actionPolicyId: extra.alertActionPolicyId,
              repeatInterval: "1h",
            },
          },
        },
        { ...parent, dependsOn: [this.index] },
      );
    }

    const metricsLogstore = `${a.logstore}_metrics`;
    let metricsIndex: alicloud.log.StoreIndex | undefined;
    if (a.realtimeMetrics || a.metricsStore) {
      this.metricsLogstore = new alicloud.log.Store(
        `${name}-metrics-logstore`,
        {
          projectName,
          logstoreName: metricsLogstore,
          retentionPeriod: extra.metricsRetentionDays,
          shardCount: 1,
          autoSplit: false,
          mode: "standard",
          appendMeta: false,
          enableWebTracking: false,
        },
        { ...parent, ...RESOURCE_OPTIONS_DATA },
      );
      metricsIndex = new alicloud.log.StoreIndex(
        `${name}-metrics-index`,
        {
          project: projectName,
          logstore: this.metricsLogstore.logstoreName.apply((l) => l ?? metricsLogstore),
          fieldSearches: ["active_users", "events", "photos", "page_views"].map((f) => ({
            name: f,
            type: "long",
            enableAnalytics: true,
          })),
        },
        parent,
      );
    }
    if (a.realtimeMetrics && this.metricsLogstore && metricsIndex) {
      const sqlRole = roleArn(extra.scheduledSqlRoleArn, "aliyunlogetlrole");
      this.scheduledSql = new alicloud.sls.ScheduledSql(
        `${name}-per-minute`,
        {
          project: projectName,
          scheduledSqlName: SCHEDULED_SQL_NAME,
          displayName: "Per-minute realtime metrics",
          description: `Every minute: active users, events, photos and page views of the last minute, from ${a.logstore} into ${metricsLogstore}.`,
          schedule: { type: "Cron", cronExpression: "* * * * *", timeZone: extra.timeZone, delay: 30, runImmediately: true },
          scheduledSqlConfiguration: {
            script: perMinuteMetricsScript(),
            sqlType: "searchQuery",
            sourceLogstore: logstoreName,
            destEndpoint: `${a.region}-intranet.log.aliyuncs.com`,
            destProject: projectName,
            destLogstore: this.metricsLogstore.logstoreName.apply((l) => l ?? metricsLogstore),
            roleArn: sqlRole,
            destRoleArn: sqlRole,
            fromTimeExpr: "@m-1m",
            toTimeExpr: "@m",
            maxRunTimeInSeconds: 60,
            maxRetries: 3,
            resourcePool: "enhanced",
            dataFormat: "log2log",
            fromTime: args.scheduleStartEpochSeconds ?? Math.floor(Date.now() / 3_600_000) * 3600,
            // 0 = no end.
            toTime: 0,
          },
        },
        { ...parent, dependsOn: [this.index, metricsIndex], ignoreChanges: ["scheduledSqlConfiguration.fromTime"] },
      );
      new alicloud.log.Dashboard(
        `${name}-trend-dashboard`,
        {
          projectName,
          dashboardName: TREND_DASHBOARD_NAME,
          displayName: "Photo analytics: realtime trends (per minute)",
          attribute: JSON.stringify({ type: "grid" }),
          charList: dashboardCharList(
            metricsLogstore,
            perMinuteTrendQueries().map((query) => ({ query, type: "line" as const })),
          ),
        },
        { ...parent, dependsOn: [metricsIndex] },
      );
    }

    if (args.maxcomputeProject !== undefined && extra.export.enabled) {
      const table = extra.export.table;
      this.exportTable = new alicloud.ros.Stack(
        `${name}-events-table`,
        {
          stackName: `${a.projectName}-events-table`,
          templateBody: pulumi.output(args.maxcomputeProject).apply((p) => exportTableTemplate(p, table, a.exportLifecycleDays)),
          deletionProtection: "Enabled",
          retainAllResources: true,
          // A changed table definition fails the update instead of dropping the table.
          replacementOption: "Disabled",
          timeoutInMinutes: 30,
        },
        { ...parent, ...RESOURCE_OPTIONS_DATA },
      );
      const exportRole = roleArn(extra.export.roleArn, "aliyunlogdefaultrole");
      const columns = exportColumns();
      this.maxcomputeExport = new MaxComputeExport(
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
          odpsProject: args.maxcomputeProject,
          odpsTable: table,
          ...maxcomputeEndpoints(a.region),
          fields: columns.map((c) => c.logField),
          partitionColumn: ["__partition_time__"],
          partitionTimeFormat: EXPORT_PARTITION_TIME_FORMAT,
          timeZone: extra.timeZone,
          bufferIntervalSeconds: extra.export.bufferIntervalSeconds,
          fromTime: 1,
        },
        { ...parent, dependsOn: [this.logstore, this.exportTable] },
      );
    }

    this.webTracking = pulumi.all([projectName, logstoreName]).apply(([project, logstore]) => ({ host: `${a.region}.log.aliyuncs.com`, project, logstore }));

    this.registerOutputs({ webTracking: this.webTracking });
  }
}
