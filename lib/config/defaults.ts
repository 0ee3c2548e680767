/**
 * The one source of truth for config defaults: what every optional
 * `photo-analytics:*` key is when the stack file leaves it out, merged under the
 * user's values by `resolveConfig`. Components receive the resolved values and
 * do not default them again; the generated config reference
 * (docs/config-reference.md) reads its "Default" column from here.
 *
 * Two kinds: `CONFIG_DEFAULTS` holds constants; `DERIVED_DEFAULTS` says, in
 * words, which defaults follow from other keys (the stage catalog, the warehouse
 * name, the DTS load), and `resolveConfig` computes them.
 */
import { findTable, ledgerPath, schemaSnapshotFile, SourceSchema } from "./source-schema";
import { smallestInstanceClass } from "./dts-instance-classes";
import type { RawConfig } from "./raw-config";
import { DEFAULT_TABLES, defaultRealtime, defaultTier, stageHasLayer } from "./stage-catalog";
import { DtsInstanceClass, SecretKey, StackConfig, Stage, STAGES, TableConfig, TrackingExtraConfig } from "./types";

/** The extra tracking keys' defaults (typed by lib/sls/tracking-config.ts, which re-exports them). */
const TRACKING_EXTRA: TrackingExtraConfig = {
  alertActionPolicyId: "sls.builtin",
  // "Today" and the export's day partitions follow the business day in China.
  timeZone: "+0800",
  metricsRetentionDays: 30,
  export: { enabled: true, table: "ods_user_events_sls", bufferIntervalSeconds: 1800 },
};

/** Constant defaults, by key path under `photo-analytics:`. */
export const CONFIG_DEFAULTS = {
  source: {
    port: 3306,
    database: "photo_assistant",
    // A self-managed database reached over its public address: needs no instance id.
    instanceType: "OTHER",
    manageAccount: { accountHost: "%" },
  },
  warehouse: {
    // A year of ODS partitions covers year-on-year reports.
    lifecycleDays: 365,
    timezone: "Asia/Shanghai",
    quota: "os_PayAsYouGoQuota",
  },
  dataworks: {
    requestedCu: 2,
    // 00:30: after midnight, so the T+1 load reads a whole day.
    dailyCron: "00 30 00 * * ?",
    hourlyCron: "00 05 * * * ?",
  },
  realtime: {
    engine: "dts",
    metrics: {
      // DataWorks' smallest minute interval: 288 runs a day.
      intervalMinutes: 5,
    },
    alerts: {
      // Half of yesterday's users at the same time: an outage, not a slow day.
      dauDropPercent: 50,
      // The funnel's last page below 1 % of its first: the path to it is broken.
      conversionFloorPercent: 1,
      // Below 100 users a comparison is noise (nights, a new app): the DAU and conversion alerts stay quiet.
      minDau: 100,
    },
    canalDatahub: {
      // One shard carries 1 MB/s or 1,000 records/s: far above the realtime tables' change rate.
      shardCount: 1,
      lifecycleDays: 3,
      kafkaSecurityProtocol: "SASL_SSL" as const,
      nasPath: "/canal",
      // Canal's JVM with a small heap; ECI's 1 vCPU / 2 GiB is the smallest general size that fits it.
      cpu: 1,
      memoryGiB: 2,
    },
    dts: {
      // The layer can be removed after an event without a purchase left over.
      paymentType: "PayAsYouGo",
      peakRecordsPerSecond: 100,
      // DTS recommends 10 s or more, so network jitter does not page anyone.
      delayThresholdSeconds: 10,
      alertPhones: [] as readonly string[],
      writerKeyGeneration: 1,
      retiredWriterKeyGeneration: 0,
    },
    flink: {
      // Billed per CU-hour while it runs: the engine can be removed after an event with nothing left to pay.
      paymentType: "PayAsYouGo" as const,
      // One JobManager + one TaskManager of 1 CU each (lib/flink/deployment.ts).
      cu: 2,
      parallelism: 1,
      engineVersion: "vvr-8.0.11-flink-1.17",
      diRequestedCu: 2,
      // Five minutes: a DI realtime job catches up after a full load or a source failover without paging.
      delayThresholdSeconds: 300,
    },
  },
  tracking: {
    enabled: true,
    logstore: "user_events",
    retentionDays: 30,
    shardCount: 2,
    // 0: no DAU alert until the team picks a floor.
    dauFloor: 0,
    ...TRACKING_EXTRA,
  },
  // The seed's tiers: T+1 reports ready for the working day, hourly within 20 minutes.
  freshness: { dailyDeadline: "06:00", hourlyGraceMinutes: 20, slsMetricsMaxAgeMinutes: 2, eventsMaxAgeMinutes: 60 },
  // Mail and SMS: SMS reaches whoever is on call without a DingTalk group; phone calls are opt-in.
  alerts: { channels: ["Mail", "Sms"] as readonly ("Mail" | "Sms" | "Phone")[], receiverUids: [] as readonly string[], repeatIntervalMinutes: 30 },
} as const;

/** The extra tracking keys' defaults (`CONFIG_DEFAULTS.tracking` beyond the core keys). */
export const TRACKING_EXTRA_DEFAULTS: TrackingExtraConfig = TRACKING_EXTRA;

/** Defaults that follow from other keys, in words (key path -> default), for the config reference. */
export const DERIVED_DEFAULTS: Readonly<Record<string, string>> = {
  "source.region": "`alicloud:region`",
  "source.schemaFile": '`"sql/mysql/<source.database>.schema.json"`',
  "warehouse.tablesCreatedWithLifecycleDays": "`warehouse.lifecycleDays` (pin it before changing that: docs/maxcompute-schema-changes.md)",
  "warehouse.tableLedgerFile": '`"sql/maxcompute/ods/<source.database>.ledger.json"`',
  "source.manageAccount.adminHost": "`source.host`",
  "source.manageAccount.adminPort": "`source.port`",
  tables: "the seven tables of `photo_assistant` (stage catalog)",
  "tables[].primaryKey": "the source table's primary key (schema snapshot)",
  "tables[].incrementalColumn": "none (full load); for the default tables, the stage catalog's column",
  "tables[].tier": '`"hourly"` for the stage catalog\'s hourly tables when the stage has an hourly layer, else `"daily"`',
  "tables[].realtime": "in the stage catalog's realtime set (users, photo_records, page_views)",
  "dataworks.workspaceName": "`warehouse.projectName`",
  "realtime.enabled": "`true` in stage `mature`, `false` otherwise",
  "realtime.dts.instanceClass": "the smallest class that carries `peakRecordsPerSecond`",
  "realtime.dts.subscriptionMonths": "`1` with `paymentType` Subscription",
  "realtime.dts.writer": '`"accessKey"` when `maxcomputeAccessKeyId` or `maxcomputeAccessKeySecret` is set, else `"managed"`',
  "tracking.projectName": '`"<warehouse.projectName with _ as ->-tracking"`',
  "tracking.scheduledSqlRoleArn": '`"acs:ram::<account id>:role/aliyunlogetlrole"`',
  "tracking.export.roleArn": '`"acs:ram::<account id>:role/aliyunlogdefaultrole"`',
  "budget.monthlyCny": "none (the budget policy is not applicable)",
  "alerts.ownerUid": "the first of `alerts.receiverUids`, else the owner of the monitored nodes",
};

/** What `resolveConfig` reads besides the stack-file document. */
export interface ResolveContext {
  /** `alicloud:region`. */
  readonly region: string;
  /** Secret keys that are set. */
  readonly secretsSet: readonly SecretKey[];
  /** The source schema snapshot; undefined when it could not be read (already reported). */
  readonly schema: SourceSchema | undefined;
}

/** The schema snapshot path when `source.schemaFile` is not set. */
export function defaultSchemaFile(raw: Pick<RawConfig, "source">): string {
  return raw.source.schemaFile ?? schemaSnapshotFile(raw.source.database ?? CONFIG_DEFAULTS.source.database);
}

function resolveTables(raw: RawConfig, stage: Stage, schema: SourceSchema | undefined): TableConfig[] {
  type Spec = NonNullable<RawConfig["tables"]>[number];
  const specs: Spec[] = raw.tables ?? DEFAULT_TABLES.map((t) => ({ name: t.name, incrementalColumn: t.incrementalColumn }));
  const hourlyOn = stageHasLayer(stage, "hourly");
  return specs.map((spec) => {
    const source = schema ? findTable(schema, spec.name) : undefined;
    const fallbackIncremental = DEFAULT_TABLES.find((d) => d.name === spec.name)?.incrementalColumn;
    const tier = spec.tier ?? (hourlyOn ? defaultTier(stage, spec.name) : "daily");
    return {
      name: spec.name,
      primaryKey: spec.primaryKey ?? source?.primaryKey ?? [],
      incrementalColumn: spec.incrementalColumn ?? (raw.tables ? undefined : fallbackIncremental),
      tier,
      realtime: spec.realtime ?? defaultRealtime("mature", spec.name),
      hourlyTable: spec.tier !== undefined ? spec.tier === "hourly" : STAGES.some((s) => defaultTier(s, spec.name) === "hourly"),
      hourlySince: spec.tier !== undefined ? (spec.tier === "hourly" ? "initial" : undefined) : STAGES.find((s) => defaultTier(s, spec.name) === "hourly"),
    };
  });
}

/** The tracking keys owned by lib/sls/tracking-config.ts (everything but the core ones). */
function trackingExtraOf(t: RawConfig["tracking"]): Partial<TrackingExtraConfig> {
  if (!t) return {};
  const { enabled: _e, projectName: _p, logstore: _l, retentionDays: _r, shardCount: _s, dauFloor: _d, ...extra } = t;
  void [_e, _p, _l, _r, _s, _d];
  return extra as Partial<TrackingExtraConfig>;
}

/** Merges the user's extra tracking values (schema-valid) over their defaults. */
export function resolveTrackingExtra(
  raw: Partial<Omit<TrackingExtraConfig, "export">> & { export?: Partial<TrackingExtraConfig["export"]> } = {},
): TrackingExtraConfig {
  return { ...TRACKING_EXTRA, ...raw, export: { ...TRACKING_EXTRA.export, ...(raw.export ?? {}) } };
}

/**
 * The resolved config: the user's values (a schema-valid stack-file document) over the
 * defaults above. Pure; domain rules run on the result.
 */
export function resolveConfig(raw: RawConfig, ctx: ResolveContext): StackConfig {
  const D = CONFIG_DEFAULTS;
  const stage = raw.stage as Stage;
  const database = raw.source.database ?? D.source.database;
  const port = raw.source.port ?? D.source.port;
  const dts = raw.realtime?.dts;
  const peak = dts?.peakRecordsPerSecond ?? D.realtime.dts.peakRecordsPerSecond;
  const warehouseName = raw.warehouse.projectName;
  return {
    stage,
    region: ctx.region,
    source: {
      host: raw.source.host,
      port,
      database,
      user: raw.source.user,
      instanceType: raw.source.instanceType ?? D.source.instanceType,
      instanceId: raw.source.instanceId,
      region: raw.source.region ?? ctx.region,
      vpcId: raw.source.vpcId,
      schemaFile: defaultSchemaFile(raw),
      manageAccount:
        raw.source.manageAccount === undefined
          ? undefined
          : {
              adminHost: raw.source.manageAccount.adminHost ?? raw.source.host,
              adminPort: raw.source.manageAccount.adminPort ?? port,
              accountHost: raw.source.manageAccount.accountHost ?? D.source.manageAccount.accountHost,
            },
    },
    tables: resolveTables(raw, stage, ctx.schema),
    warehouse: {
      projectName: warehouseName,
      lifecycleDays: raw.warehouse.lifecycleDays ?? D.warehouse.lifecycleDays,
      tablesCreatedWithLifecycleDays: raw.warehouse.tablesCreatedWithLifecycleDays ?? raw.warehouse.lifecycleDays ?? D.warehouse.lifecycleDays,
      timezone: raw.warehouse.timezone ?? D.warehouse.timezone,
      quota: raw.warehouse.quota ?? D.warehouse.quota,
      tableLedgerFile: raw.warehouse.tableLedgerFile ?? ledgerPath(raw.source.database ?? D.source.database),
    },
    dataworks: {
      workspaceName: raw.dataworks.workspaceName ?? warehouseName,
      resourceGroup: raw.dataworks.resourceGroup,
      requestedCu: raw.dataworks.requestedCu ?? D.dataworks.requestedCu,
      dailyCron: raw.dataworks.dailyCron ?? D.dataworks.dailyCron,
      hourlyCron: raw.dataworks.hourlyCron ?? D.dataworks.hourlyCron,
    },
    realtime: {
      enabled: raw.realtime?.enabled ?? stageHasLayer(stage, "realtime"),
      engine: raw.realtime?.engine ?? D.realtime.engine,
      metrics: { intervalMinutes: raw.realtime?.metrics?.intervalMinutes ?? D.realtime.metrics.intervalMinutes },
      alerts: {
        dauDropPercent: raw.realtime?.alerts?.dauDropPercent ?? D.realtime.alerts.dauDropPercent,
        conversionFloorPercent: raw.realtime?.alerts?.conversionFloorPercent ?? D.realtime.alerts.conversionFloorPercent,
        minDau: raw.realtime?.alerts?.minDau ?? D.realtime.alerts.minDau,
      },
      canalDatahub: {
        shardCount: raw.realtime?.canalDatahub?.shardCount ?? D.realtime.canalDatahub.shardCount,
        lifecycleDays: raw.realtime?.canalDatahub?.lifecycleDays ?? D.realtime.canalDatahub.lifecycleDays,
        kafkaBootstrapServers: raw.realtime?.canalDatahub?.kafkaBootstrapServers,
        kafkaSecurityProtocol: raw.realtime?.canalDatahub?.kafkaSecurityProtocol ?? D.realtime.canalDatahub.kafkaSecurityProtocol,
        image: raw.realtime?.canalDatahub?.image,
        vswitchId: raw.realtime?.canalDatahub?.vswitchId,
        securityGroupId: raw.realtime?.canalDatahub?.securityGroupId,
        nasServer: raw.realtime?.canalDatahub?.nasServer,
        nasPath: raw.realtime?.canalDatahub?.nasPath ?? D.realtime.canalDatahub.nasPath,
        cpu: raw.realtime?.canalDatahub?.cpu ?? D.realtime.canalDatahub.cpu,
        memoryGiB: raw.realtime?.canalDatahub?.memoryGiB ?? D.realtime.canalDatahub.memoryGiB,
      },
      dts: {
        // Above the largest class, keep "2xlarge": a realtime rule reports the rate it cannot carry.
        instanceClass: (dts?.instanceClass ?? smallestInstanceClass(peak) ?? "2xlarge") as DtsInstanceClass,
        paymentType: dts?.paymentType ?? D.realtime.dts.paymentType,
        subscriptionMonths: dts?.subscriptionMonths ?? (dts?.paymentType === "Subscription" ? 1 : undefined),
        peakRecordsPerSecond: peak,
        delayThresholdSeconds: dts?.delayThresholdSeconds ?? D.realtime.dts.delayThresholdSeconds,
        alertPhones: dts?.alertPhones ?? D.realtime.dts.alertPhones,
        // A stack that brings its own pair keeps writing with it; otherwise the stack manages the writer.
        writer:
          dts?.writer ?? (ctx.secretsSet.includes("maxcomputeAccessKeyId") || ctx.secretsSet.includes("maxcomputeAccessKeySecret") ? "accessKey" : "managed"),
        writerKeyGeneration: dts?.writerKeyGeneration ?? D.realtime.dts.writerKeyGeneration,
        retiredWriterKeyGeneration: dts?.retiredWriterKeyGeneration ?? D.realtime.dts.retiredWriterKeyGeneration,
      },
      flink: {
        vpcId: raw.realtime?.flink?.vpcId,
        vswitchIds: raw.realtime?.flink?.vswitchIds ?? [],
        zoneId: raw.realtime?.flink?.zoneId,
        ossBucket: raw.realtime?.flink?.ossBucket,
        paymentType: raw.realtime?.flink?.paymentType ?? D.realtime.flink.paymentType,
        cu: raw.realtime?.flink?.cu ?? D.realtime.flink.cu,
        parallelism: raw.realtime?.flink?.parallelism ?? D.realtime.flink.parallelism,
        engineVersion: raw.realtime?.flink?.engineVersion ?? D.realtime.flink.engineVersion,
        diRequestedCu: raw.realtime?.flink?.diRequestedCu ?? D.realtime.flink.diRequestedCu,
        delayThresholdSeconds: raw.realtime?.flink?.delayThresholdSeconds ?? D.realtime.flink.delayThresholdSeconds,
      },
    },
    tracking: {
      enabled: raw.tracking?.enabled ?? D.tracking.enabled,
      projectName: raw.tracking?.projectName ?? `${warehouseName.replace(/_/g, "-")}-tracking`,
      logstore: raw.tracking?.logstore ?? D.tracking.logstore,
      retentionDays: raw.tracking?.retentionDays ?? D.tracking.retentionDays,
      shardCount: raw.tracking?.shardCount ?? D.tracking.shardCount,
      dauFloor: raw.tracking?.dauFloor ?? D.tracking.dauFloor,
      extra: resolveTrackingExtra(trackingExtraOf(raw.tracking)),
    },
    budget: { monthlyCny: raw.budget?.monthlyCny },
    freshness: {
      dailyDeadline: raw.freshness?.dailyDeadline ?? D.freshness.dailyDeadline,
      hourlyGraceMinutes: raw.freshness?.hourlyGraceMinutes ?? D.freshness.hourlyGraceMinutes,
      slsMetricsMaxAgeMinutes: raw.freshness?.slsMetricsMaxAgeMinutes ?? D.freshness.slsMetricsMaxAgeMinutes,
      eventsMaxAgeMinutes: raw.freshness?.eventsMaxAgeMinutes ?? D.freshness.eventsMaxAgeMinutes,
    },
    alerts: {
      channels: raw.alerts?.channels ?? D.alerts.channels,
      receiverUids: raw.alerts?.receiverUids ?? D.alerts.receiverUids,
      ownerUid: raw.alerts?.ownerUid ?? raw.alerts?.receiverUids?.[0],
      repeatIntervalMinutes: raw.alerts?.repeatIntervalMinutes ?? D.alerts.repeatIntervalMinutes,
    },
    secretsSet: ctx.secretsSet,
    // When the snapshot cannot be read a problem is already recorded and nothing is returned.
    sourceSchema: ctx.schema ?? { database, tables: [] },
  };
}
