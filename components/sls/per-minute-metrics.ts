/**
 * The SLS realtime engine: a per-minute metrics logstore (data: kept while the
 * engine is `sls`, even when realtime is off), filled every minute by a
 * Scheduled SQL over the tracking logstore, and the trend dashboard over it.
 */
import * as alicloud from "../common/alicloud";
import { perMinuteMetricsScript } from "../../lib/sls/queries";
import { createTrendDashboard } from "./dashboards";
import { RESOURCE_OPTIONS_DATA, TrackingScope } from "./tracking-scope";
import { metricsLogstoreName } from "../../lib/sls/sls-objects";
import { rtMetricsIndexFields } from "../../lib/sls/rt-metrics";

/** Scheduled SQL name inside the SLS project (stable: renaming replaces it). */
export const SCHEDULED_SQL_NAME = "per-minute-metrics";

/** The engine's resources; each is absent when its switch is off. */
export interface PerMinuteMetrics {
  readonly metricsLogstore?: alicloud.log.Store;
  readonly metricsIndex?: alicloud.log.StoreIndex;
  readonly scheduledSql?: alicloud.sls.ScheduledSql;
}

/**
 * `${name}-metrics-logstore` and `${name}-metrics-index` with `realtimeMetrics` or
 * `metricsStore`; `${name}-per-minute` and `${name}-trend-dashboard` with `realtimeMetrics`.
 */
export function createPerMinuteMetrics(scope: TrackingScope, index: alicloud.log.StoreIndex): PerMinuteMetrics {
  const { name, parent, args: a, projectName, logstoreName } = scope;
  const extra = a.extra;
  const metricsLogstore = metricsLogstoreName(a.logstore);
  if (!a.realtimeMetrics && !a.metricsStore) return {};

  const store = new alicloud.log.Store(
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
  const metricsIndex = new alicloud.log.StoreIndex(
    `${name}-metrics-index`,
    {
      project: projectName,
      logstore: store.logstoreName.apply((l) => l ?? metricsLogstore),
      fieldSearches: [
        ...["active_users", "events", "photos", "page_views"].map((f) => ({
          name: f,
          type: "long",
          enableAnalytics: true,
        })),
        // The realtime metrics imported from MaxCompute (realtime-metrics.ts); indexed whatever the engine,
        // so switching engines never rewrites the index of this data logstore.
        ...rtMetricsIndexFields(),
      ],
    },
    parent,
  );
  if (!a.realtimeMetrics) return { metricsLogstore: store, metricsIndex };

  const sqlRole = scope.roleArn(extra.scheduledSqlRoleArn, "aliyunlogetlrole");
  const scheduledSql = new alicloud.sls.ScheduledSql(
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
        destLogstore: store.logstoreName.apply((l) => l ?? metricsLogstore),
        roleArn: sqlRole,
        destRoleArn: sqlRole,
        fromTimeExpr: "@m-1m",
        toTimeExpr: "@m",
        maxRunTimeInSeconds: 60,
        maxRetries: 3,
        resourcePool: "enhanced",
        dataFormat: "log2log",
        fromTime: a.scheduleStartEpochSeconds ?? Math.floor(Date.now() / 3_600_000) * 3600,
        // 0 = no end.
        toTime: 0,
      },
    },
    { ...parent, dependsOn: [index, metricsIndex], ignoreChanges: ["scheduledSqlConfiguration.fromTime"] },
  );
  createTrendDashboard(scope, metricsLogstore, metricsIndex);
  return { metricsLogstore: store, metricsIndex, scheduledSql };
}
