/**
 * The cost rule of each resource type: which layer it belongs to and which
 * billed quantities it produces, read from its inputs only. A resource's
 * logical name is never read, so renaming a child never moves cost between
 * layers. Pure: no Pulumi imports.
 *
 * A rule yields usages (quantity x price id, or the day's DataWorks scheduling
 * instances); lib/cost/model.ts prices them, deducts free quotas and sums them.
 */
import { PlannedResource } from "../plan/types";
import { CostSizes } from "./config";
import { slsRunsPerDay } from "./schedule";
import { cronRunsPerDay } from "../config/cron";
import { METRICS_NODE_NAME } from "../dataworks/layer-sql";
import { dtsPriceId, FLINK_MANAGEMENT_CU, FLINK_PAYG_PAGE, SLS_SHIP_CU_PER_GB } from "./prices";
import { TYPES } from "../plan/type-tokens";

/** The metrics node's SQL, priced per run (`cost.sizes.rtMetricsGbPerRun`), apart from the layer's scanned GB a day. */
function metricsNodeSql(perDay: number, sizes: CostSizes): Usage {
  const gb = sizes.rtMetricsGbPerRun ?? 0.01;
  return {
    kind: "unit",
    layer: "realtime",
    item: "SQL (realtime metrics node)",
    quantity: perDay * gb * sizes.sqlComplexity * sizes.daysPerMonth,
    priceId: "maxcompute.sql.gb",
    formula: `${perDay} runs/day x ${gb} GB/run (cost.sizes.rtMetricsGbPerRun) x complexity ${sizes.sqlComplexity} x ${sizes.daysPerMonth} days x maxcompute.sql.gb`,
  };
}

/** Layers costs are reported by: the stage layers plus what they share. */
export const COST_LAYERS = ["warehouse", "daily", "hourly", "realtime", "tracking", "shared"] as const;
export type CostLayer = (typeof COST_LAYERS)[number];

/** One billed quantity of a resource. */
export type Usage =
  | {
      readonly kind: "unit";
      readonly layer: CostLayer;
      /** What is billed, e.g. `storage`, `SQL (daily layer)`. */
      readonly item: string;
      /** Units of `priceId` a month. */
      readonly quantity: number;
      readonly priceId: string;
      /** How the quantity was computed (ends with `x <priceId>`). */
      readonly formula: string;
    }
  /** Successful DataWorks scheduling instances a day: priced once for the account by tier (lib/cost/dataworks.ts). */
  | { readonly kind: "schedule"; readonly layer: CostLayer; readonly item: string; readonly instancesPerDay: number; readonly formula: string }
  /** The DataWorks edition and its OpenAPI calls: priced by the model from the account's totals. */
  | { readonly kind: "edition"; readonly layer: CostLayer }
  /** Something the model cannot price (the reason is the formula). */
  | { readonly kind: "unpriced"; readonly layer: CostLayer; readonly item: string; readonly formula: string };

/** What a rule may look at besides the resource itself. */
export interface RuleContext {
  readonly sizes: CostSizes;
  /** Every cloud resource of the plan (components left out). */
  readonly cloud: readonly PlannedResource[];
  /**
   * The layers whose SQL the MaxCompute project runs: those with a DI job, and realtime when the
   * plan has realtime-layer nodes (the merge views, snapshots and compaction of the dts and
   * canal-datahub engines) or a DTS instance.
   */
  readonly sqlLayers: readonly ("daily" | "hourly" | "realtime")[];
}

/** The rule of one resource type. */
export interface TypeRule {
  /** The inputs the rule reads, for the documentation and the rename test. */
  readonly reads: readonly string[];
  /** The layer of the resource, from its inputs. */
  readonly layer: (r: PlannedResource, ctx: RuleContext) => CostLayer;
  /** Billed quantities; absent for types with no fee of their own. */
  readonly usage?: (r: PlannedResource, ctx: RuleContext) => Usage[];
  /** Why the type costs nothing of its own (when `usage` is absent). */
  readonly free?: string;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
/** An input that a plan may hold as an object or as JSON text. */
function obj(v: unknown): Record<string, unknown> | undefined {
  if (typeof v === "string") {
    try {
      const parsed: unknown = JSON.parse(v);
      return parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return v !== null && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
}
const n2 = (x: number) => String(Math.round(x * 100) / 100);
const fixed = (layer: CostLayer) => () => layer;
/** A writer grant's layer: the DTS writer's (under the realtime component) is realtime, the SLS export's tracking. */
const writerLayer = (r: PlannedResource): CostLayer => (r.urn.includes("photo-analytics:dts:") || /-rt-reader-[a-z]+$/.test(r.name) ? "realtime" : "tracking");

/** A DI job's cron (its `DefineCycleScheduleSettings` rule), if any. */
function diCron(r: Pick<PlannedResource, "inputs">): string | undefined {
  const rules = Array.isArray(r.inputs.transformationRules) ? (r.inputs.transformationRules as { ruleActionType?: unknown; ruleExpression?: unknown }[]) : [];
  const sched = rules.find((x) => x.ruleActionType === "DefineCycleScheduleSettings");
  return str(obj(sched?.ruleExpression)?.cronExpress);
}

/** A DI job's runs per day: from its cron, else hourly when its schedule parameters carry an hour (`hh=`), else daily. */
export function diRuns(r: Pick<PlannedResource, "inputs">): { runs: number; from: string } {
  const cron = diCron(r);
  const fromCron = cron === undefined ? undefined : cronRunsPerDay(cron);
  if (fromCron !== undefined) return { runs: fromCron, from: `cron ${JSON.stringify(cron)}` };
  const params = str(obj(obj(r.inputs.jobSettings)?.cycleScheduleSettings)?.scheduleParameters) ?? "";
  return /(^|\s)hh=/.test(params) ? { runs: 24, from: "hourly schedule parameters" } : { runs: 1, from: "daily default" };
}

/** A DI job's layer: realtime for a realtime migration, hourly when it runs more than once a day, else daily. */
export function diLayer(r: Pick<PlannedResource, "inputs">): "daily" | "hourly" | "realtime" {
  if (/Realtime/.test(str(r.inputs.migrationType) ?? "")) return "realtime";
  return diRuns(r).runs > 1 ? "hourly" : "daily";
}

/** A node's layer: its folder (`.../realtime`), else hourly when it runs more than once a day, else daily. */
export function nodeLayer(r: PlannedResource): "daily" | "hourly" | "realtime" {
  const folder = str(r.inputs.folderPath) ?? "";
  if (folder.split("/").pop() === "realtime") return "realtime";
  const cron = str(r.inputs.cron);
  return (cron === undefined ? 1 : (cronRunsPerDay(cron) ?? 1)) > 1 ? "hourly" : "daily";
}

/** A layer workflow's layer (its `layer` input; a cost layer, else shared). */
function workflowLayer(r: PlannedResource): CostLayer {
  const l = str(r.inputs.layer);
  return l === "daily" || l === "hourly" || l === "realtime" ? l : "shared";
}

function requestedCu(r: PlannedResource): number {
  const rs = obj(r.inputs.resourceSettings) as
    { offlineResourceSettings?: { requestedCu?: unknown }; realtimeResourceSettings?: { requestedCu?: unknown } } | undefined;
  // A realtime job runs on its realtime resources all day (the offline ones only for the full load).
  return num(rs?.realtimeResourceSettings?.requestedCu) ?? num(rs?.offlineResourceSettings?.requestedCu) ?? 2;
}

/** CUs of a Flink deployment's streaming resources: JobManager CPU + parallelism x TaskManager CPU (1 CU = 1 core). */
function flinkDeploymentCu(r: PlannedResource): number {
  const b = (obj(r.inputs.streamingResourceSetting) as { basicResourceSetting?: Record<string, any> } | undefined)?.basicResourceSetting ?? {};
  const jm = num(b.jobmanagerResourceSettingSpec?.cpu) ?? 1;
  const tm = num(b.taskmanagerResourceSettingSpec?.cpu) ?? 1;
  return jm + (num(b.parallelism) ?? 1) * tm;
}

/** The DTS class a planned instance asks for; `xxlarge` is how the provider spells the stack's `2xlarge`. */
export function dtsClass(r: PlannedResource): string {
  const c = str(r.inputs.instanceClass) ?? "micro";
  return c === "xxlarge" ? "2xlarge" : c;
}

/** Raw GB a day a logstore ingests: the tracking size for the web-tracking logstore, else the derived-metrics size. */
function ingestOf(store: PlannedResource, sizes: CostSizes): number {
  return store.inputs.enableWebTracking === true ? sizes.slsIngestGbPerDay : sizes.slsOtherIngestGbPerDay;
}

const SLS_ALERT_FREE =
  "no fee: SLS bills alerting only for SMS and voice notifications, not for rules or their queries (https://www.alibabacloud.com/help/id/sls/alert-monitoring-faq)";

/** The rule table: one entry per resource type the stack creates. */
export const TYPE_RULES: Readonly<Record<string, TypeRule>> = {
  [TYPES.maxcomputeProject]: {
    reads: [],
    layer: fixed("warehouse"),
    usage: (_r, { sizes, sqlLayers }) => [
      {
        kind: "unit",
        layer: "warehouse",
        item: "storage",
        quantity: sizes.maxcomputeStorageGb * sizes.daysPerMonth,
        priceId: "maxcompute.storage.gb-day",
        formula: `${sizes.maxcomputeStorageGb} GB x ${sizes.daysPerMonth} days x maxcompute.storage.gb-day`,
      },
      ...sqlLayers.map((l): Usage => ({
        kind: "unit",
        layer: l,
        item: `SQL (${l} layer)`,
        quantity: sizes.scannedGbPerDay[l] * sizes.sqlComplexity * sizes.daysPerMonth,
        priceId: "maxcompute.sql.gb",
        formula: `${sizes.scannedGbPerDay[l]} GB/day x complexity ${sizes.sqlComplexity} x ${sizes.daysPerMonth} days x maxcompute.sql.gb`,
      })),
    ],
  },
  [TYPES.dataworksDiJob]: {
    reads: ["migrationType", "transformationRules (DefineCycleScheduleSettings)", "jobSettings.cycleScheduleSettings", "tableMappings", "resourceSettings"],
    layer: (r) => diLayer(r),
    usage: (r, { sizes }) => {
      const l = diLayer(r);
      const cu = requestedCu(r);
      const minutes = l === "realtime" ? 1440 : sizes.diRunMinutesPerDay[l];
      const tables = Math.max(Array.isArray(r.inputs.tableMappings) ? r.inputs.tableMappings.length : 0, 1);
      const { runs, from } = diRuns(r);
      return [
        {
          kind: "unit",
          layer: l,
          item: "Data Integration",
          quantity: ((cu * minutes) / 60) * sizes.daysPerMonth,
          priceId: "dataworks.serverless.cu-hour",
          formula: `${cu} CU x ${minutes} min/day x ${sizes.daysPerMonth} days x dataworks.serverless.cu-hour`,
        },
        { kind: "schedule", layer: l, item: "scheduling instances", instancesPerDay: tables * runs, formula: `${tables} tables x ${runs} runs/day (${from})` },
      ];
    },
  },
  [TYPES.DataWorksNode]: {
    reads: ["folderPath", "cron", "name"],
    layer: (r) => nodeLayer(r),
    usage: (r, { sizes }) => {
      const cron = str(r.inputs.cron);
      const runs = cron === undefined ? undefined : cronRunsPerDay(cron);
      const from = runs !== undefined ? `cron ${JSON.stringify(cron)}` : `cron ${JSON.stringify(cron ?? null)} unreadable: 1 run/day assumed`;
      const schedule: Usage = {
        kind: "schedule",
        layer: nodeLayer(r),
        item: "scheduling instances",
        instancesPerDay: runs ?? 1,
        formula: `${runs ?? 1} runs/day (${from}); its SQL runs in MaxCompute (priced on the project), no serverless CUs`,
      };
      return str(r.inputs.name) === METRICS_NODE_NAME ? [schedule, metricsNodeSql(runs ?? 1, sizes)] : [schedule];
    },
  },
  [TYPES.logIngestion]: {
    reads: [],
    layer: fixed("realtime"),
    free: "no fee of its own: the imported rows are billed as the metrics logstore's write, index and storage traffic (its lines); a few rows per run (to check on the first bill: SLS prices data import by the traffic it writes)",
  },
  [TYPES.DataWorksWorkflow]: {
    reads: ["layer", "nodes"],
    layer: (r) => workflowLayer(r),
    usage: (r, { sizes }) => {
      const nodes = Array.isArray(r.inputs.nodes) ? (r.inputs.nodes as { name?: unknown; cron?: unknown }[]) : [];
      const runs = nodes.map((n) => ({ name: String(n.name), runs: typeof n.cron === "string" ? (cronRunsPerDay(n.cron) ?? 1) : 1 }));
      const total = runs.reduce((sum, n) => sum + n.runs, 0);
      const parts = [...new Set(runs.map((n) => n.runs))].sort((a, b) => b - a).map((k) => `${runs.filter((n) => n.runs === k).length} x ${k}`);
      return [
        {
          kind: "schedule",
          layer: workflowLayer(r),
          item: "scheduling instances",
          instancesPerDay: total,
          formula: `${total} runs/day (${nodes.length} inner node(s): ${parts.join(" + ") || "none"} runs/day, by their crons); the SQL runs in MaxCompute (priced on the project), no serverless CUs`,
        },
        // The metrics node runs every few minutes: its SQL is priced per run, apart from the layer's scanned GB a day.
        ...runs.filter((n) => n.name === METRICS_NODE_NAME).map((n) => metricsNodeSql(n.runs, sizes)),
      ];
    },
  },
  [TYPES.dtsSynchronizationInstance]: {
    reads: ["instanceClass", "paymentType"],
    layer: fixed("realtime"),
    usage: (r, { sizes }) => {
      const cls = dtsClass(r);
      const sub = str(r.inputs.paymentType) === "Subscription";
      const id = dtsPriceId(cls, sub ? "Subscription" : "PayAsYouGo");
      return sub
        ? [{ kind: "unit", layer: "realtime", item: `DTS ${cls} (Subscription)`, quantity: 1, priceId: id, formula: `1 instance-month x ${id}` }]
        : [
            {
              kind: "unit",
              layer: "realtime",
              item: `DTS ${cls} (PayAsYouGo)`,
              quantity: sizes.dtsHoursPerMonth,
              priceId: id,
              formula: `${sizes.dtsHoursPerMonth} h x ${id}`,
            },
          ];
    },
  },
  [TYPES.realtimecomputeVvpInstance]: {
    reads: ["paymentType", "resourceSpec.cpu"],
    layer: fixed("realtime"),
    usage: (r, { sizes }) => {
      if (str(r.inputs.paymentType) !== "Subscription") {
        // Billed by the hour for as long as the workspace exists, whether its jobs run or not.
        const hours = 24 * sizes.daysPerMonth;
        return [
          {
            kind: "unit",
            layer: "realtime",
            item: `Flink workspace management ${FLINK_MANAGEMENT_CU} CU (PayAsYouGo)`,
            quantity: FLINK_MANAGEMENT_CU * hours,
            priceId: "flink.cu-hour",
            formula: `${FLINK_MANAGEMENT_CU} CU x ${hours} h x flink.cu-hour: a pay-as-you-go workspace bills its management service every hour, jobs or not (${FLINK_PAYG_PAGE}); its jobs' CU-hours are priced on the deployment`,
          },
        ];
      }
      const cu = num((obj(r.inputs.resourceSpec) as { cpu?: unknown } | undefined)?.cpu) ?? 1;
      return [
        {
          kind: "unit",
          layer: "realtime",
          item: `Flink workspace ${cu} CU (Subscription)`,
          quantity: cu,
          priceId: "flink.cu-month",
          formula: `${cu} CU x flink.cu-month`,
        },
      ];
    },
  },
  [TYPES.realtimecomputeDeployment]: {
    reads: ["streamingResourceSetting.basicResourceSetting", "resourceId (its workspace's paymentType)"],
    layer: fixed("realtime"),
    usage: (r, { sizes, cloud }) => {
      const sub = cloud.some((x) => x.type === TYPES.realtimecomputeVvpInstance && str(x.inputs.paymentType) === "Subscription");
      const cu = flinkDeploymentCu(r);
      if (sub) {
        return [
          {
            kind: "unit",
            layer: "realtime",
            item: "Flink job",
            quantity: 0,
            priceId: "flink.cu-hour",
            formula: `no fee of its own: ${cu} CU inside the Subscription workspace's CUs`,
          },
        ];
      }
      const hours = sizes.flinkHoursPerMonth ?? 720;
      return [
        {
          kind: "unit",
          layer: "realtime",
          item: `Flink job ${cu} CU (PayAsYouGo)`,
          quantity: cu * hours,
          priceId: "flink.cu-hour",
          formula: `${cu} CU x ${hours} h x flink.cu-hour`,
        },
      ];
    },
  },
  [TYPES.realtimecomputeJob]: { reads: [], layer: fixed("realtime"), free: "no fee of its own: the running job's CUs are priced on its deployment" },
  [TYPES.FlinkJobStop]: {
    reads: [],
    layer: fixed("realtime"),
    free: "no fee: stops the Flink job before it is deleted (GetJob/StopJob calls); the job's CUs are priced on its deployment",
  },
  [TYPES.datahubProject]: {
    reads: [],
    layer: fixed("realtime"),
    free: "no fee of its own: DataHub bills shards, storage, reads and requests (priced on the topics)",
  },
  [TYPES.datahubTopic]: {
    reads: ["shardCount", "lifeCycle"],
    layer: fixed("realtime"),
    usage: (r, { sizes }) => {
      const shards = num(r.inputs.shardCount) ?? 1;
      const gb = sizes.datahubTopicStorageGb ?? 0.5;
      const days = sizes.daysPerMonth;
      const lifecycle = Math.max(num(r.inputs.lifeCycle) ?? 3, 1);
      const reads = sizes.datahubReadsPerRecord ?? 1;
      const requests = sizes.datahubRequestsPerDay ?? 86400;
      return [
        {
          kind: "unit",
          layer: "realtime",
          item: `DataHub topic ${shards} shard(s)`,
          quantity: shards * days,
          priceId: "datahub.shard.day",
          formula: `${shards} shard(s) x ${days} days x datahub.shard.day`,
        },
        {
          kind: "unit",
          layer: "realtime",
          item: "DataHub topic storage",
          quantity: gb * days,
          priceId: "datahub.storage.gb-day",
          formula: `${gb} GB x ${days} days x datahub.storage.gb-day`,
        },
        {
          kind: "unit",
          layer: "realtime",
          item: "DataHub read traffic",
          quantity: (gb / lifecycle) * reads * days,
          priceId: "datahub.read.gb",
          formula: `${n2(gb / lifecycle)} GB/day written (${gb} GB kept ${lifecycle} days) x ${reads} read(s) per record x ${days} days x datahub.read.gb`,
        },
        {
          kind: "unit",
          layer: "realtime",
          item: "DataHub requests",
          quantity: (requests * days) / 1e6,
          priceId: "datahub.request.million",
          formula: `${requests} read/write requests/day x ${days} days / 1,000,000 x datahub.request.million`,
        },
      ];
    },
  },
  [TYPES.Connector]: {
    reads: [],
    layer: fixed("realtime"),
    free: "no fee of its own: DataHub does not bill 数据投递 (connectors) or write traffic; the <table>_canal_log storage is MaxCompute storage",
  },
  [TYPES.eciContainerGroup]: {
    reads: ["cpu", "memory"],
    layer: fixed("realtime"),
    usage: (r, { sizes }) => {
      const cpu = num(r.inputs.cpu) ?? 2;
      const mem = num(r.inputs.memory) ?? 4;
      const hours = 24 * sizes.daysPerMonth;
      return [
        {
          kind: "unit",
          layer: "realtime",
          item: `Canal on ECI ${cpu} vCPU`,
          quantity: cpu * hours,
          priceId: "eci.vcpu.hour",
          formula: `${cpu} vCPU x ${hours} h x eci.vcpu.hour`,
        },
        {
          kind: "unit",
          layer: "realtime",
          item: `Canal on ECI ${mem} GiB`,
          quantity: mem * hours,
          priceId: "eci.memory.gib-hour",
          formula: `${mem} GiB x ${hours} h x eci.memory.gib-hour`,
        },
      ];
    },
  },
  [TYPES.MetricTables]: {
    reads: ["statements"],
    layer: fixed("realtime"),
    usage: (r, { sizes }) => {
      const gb = sizes.deltaTableStorageGb ?? 1;
      return [
        {
          kind: "unit",
          layer: "realtime",
          item: "Delta table storage (<table>_realtime and rt_*)",
          quantity: gb * sizes.daysPerMonth,
          priceId: "maxcompute.storage.gb-day",
          formula: `${gb} GB x ${sizes.daysPerMonth} days x maxcompute.storage.gb-day (the realtime DI job's <table>_realtime and the ${Array.isArray(r.inputs.statements) ? r.inputs.statements.length : 0} rt_* metric tables)`,
        },
      ];
    },
  },
  [TYPES.slsScheduledSql]: {
    reads: ["schedule", "scheduledSqlConfiguration.resourcePool", "scheduledSqlConfiguration.destLogstore"],
    layer: fixed("realtime"),
    usage: (r, { sizes }) => {
      const cfg = (r.inputs.scheduledSqlConfiguration ?? {}) as { resourcePool?: unknown; destLogstore?: unknown };
      const runs = slsRunsPerDay(r.inputs.schedule);
      if (runs === undefined) {
        return [
          { kind: "unpriced", layer: "realtime", item: "not priced", formula: `not priced: schedule ${JSON.stringify(r.inputs.schedule ?? null)} unreadable` },
        ];
      }
      const days = sizes.daysPerMonth;
      const cpu = sizes.slsScheduledSqlCpuSecondsPerRun;
      const enhanced = cfg.resourcePool === "enhanced";
      return [
        {
          kind: "unit",
          layer: "realtime",
          item: enhanced ? "SQL CPU (enhanced pool)" : "SQL CPU (free pool)",
          quantity: enhanced ? ((runs * cpu) / 3600) * days : 0,
          priceId: "sls.sql.core-hour",
          formula: enhanced
            ? `${n2(runs)} runs/day x ${cpu} CPU s x ${days} days / 3600 x sls.sql.core-hour`
            : `no fee: the free resource pool is not billed (resourcePool ${JSON.stringify(cfg.resourcePool ?? "default")})`,
        },
        {
          kind: "unit",
          layer: "realtime",
          item: "write requests",
          quantity: (runs * days) / 1e6,
          priceId: "sls.request.million",
          formula: `${n2(runs)} writes/day to ${String(cfg.destLogstore ?? "the destination")} x ${days} days / 1,000,000 x sls.request.million; the rows' traffic and storage are priced on that logstore`,
        },
      ];
    },
  },
  [TYPES.MaxComputeExport]: {
    reads: ["logstore"],
    layer: fixed("tracking"),
    usage: (r, { sizes, cloud }) => {
      const store = cloud.find((x) => x.type === TYPES.logStore && x.inputs.logstoreName === r.inputs.logstore);
      const gb = store === undefined ? sizes.slsIngestGbPerDay : ingestOf(store, sizes);
      const from = store === undefined ? `${String(r.inputs.logstore)} (not in this plan: tracking size)` : String(r.inputs.logstore);
      return [
        {
          kind: "unit",
          layer: "tracking",
          item: "shipping to MaxCompute",
          quantity: gb * sizes.daysPerMonth * SLS_SHIP_CU_PER_GB,
          priceId: "sls.ship.cu",
          formula: `${gb} GB/day raw from ${from} x ${sizes.daysPerMonth} days x ${SLS_SHIP_CU_PER_GB} CU/GB x sls.ship.cu; MaxCompute storage is priced on the project`,
        },
      ];
    },
  },
  [TYPES.logStore]: {
    reads: ["enableWebTracking", "retentionPeriod", "shardCount"],
    layer: fixed("tracking"),
    usage: (r, { sizes }) => {
      const days = sizes.daysPerMonth;
      const ingest = ingestOf(r, sizes);
      const ratio = sizes.slsCompressionRatio;
      const retention = num(r.inputs.retentionPeriod) ?? 30;
      const shards = num(r.inputs.shardCount) ?? 2;
      const perDay = ingest / ratio + ingest * sizes.slsIndexGbPerRawGb;
      const stored = perDay * retention;
      const out: Usage[] = [
        {
          kind: "unit",
          layer: "tracking",
          item: "write traffic",
          quantity: (ingest / ratio) * days,
          priceId: "sls.write.gb",
          formula: `${ingest} GB/day / ${ratio} x ${days} days x sls.write.gb`,
        },
        {
          kind: "unit",
          layer: "tracking",
          item: "index traffic",
          quantity: ingest * days,
          priceId: "sls.index.gb",
          formula: `${ingest} GB/day x ${days} days x sls.index.gb`,
        },
        {
          kind: "unit",
          layer: "tracking",
          item: "storage",
          quantity: stored * days,
          priceId: "sls.storage.gb-day",
          formula: `${n2(stored)} GB ((${ingest} GB/day / ${ratio} compressed + ${ingest} x ${sizes.slsIndexGbPerRawGb} index) x ${retention} days retention) x ${days} days x sls.storage.gb-day`,
        },
        {
          kind: "unit",
          layer: "tracking",
          item: "shards",
          quantity: shards * days,
          priceId: "sls.shard.day",
          formula: `${shards} shards x ${days} days x sls.shard.day`,
        },
      ];
      if (r.inputs.enableWebTracking === true) {
        const req = sizes.slsTrackingRequestsPerDay;
        out.push({
          kind: "unit",
          layer: "tracking",
          item: "write requests",
          quantity: (req * days) / 1e6,
          priceId: "sls.request.million",
          formula: `${req} requests/day x ${days} days / 1,000,000 x sls.request.million`,
        });
      }
      return out;
    },
  },
  [TYPES.dataworksProject]: {
    reads: [],
    layer: fixed("shared"),
    usage: () => [{ kind: "edition", layer: "shared" }],
  },
  [TYPES.dataworksDataSource]: {
    reads: [],
    layer: fixed("shared"),
    free: "no fee: a connection definition; traffic is billed on the jobs that use it",
  },
  [TYPES.dataworksFolder]: { reads: [], layer: fixed("shared"), free: "no fee: an organising folder" },
  [TYPES.dataworksDiAlarmRule]: {
    reads: [],
    layer: fixed("shared"),
    free: "no fee for the rule; SMS and phone notifications are not priced (DataWorks bills them by message or call in some editions; no published unit price verified: alerts.channels Mail avoids them)",
  },
  [TYPES.NodeAlertRule]: {
    reads: [],
    layer: fixed("shared"),
    free: "no fee for the rule (DataWorks custom alert rules); SMS and phone notifications are not priced (no published unit price verified: alerts.channels Mail avoids them)",
  },
  [TYPES.rosStack]: { reads: [], layer: fixed("warehouse"), free: "no fee: ROS itself is free; the tables' storage is priced on the MaxCompute project" },
  [TYPES.dtsSynchronizationJob]: {
    reads: [],
    layer: fixed("realtime"),
    free: "no fee of its own: included in the DTS synchronization instance price",
  },
  [TYPES.dtsJobMonitorRule]: {
    reads: [],
    layer: fixed("realtime"),
    free: "no fee of its own: included in the DTS synchronization instance price",
  },
  [TYPES.logProject]: {
    reads: [],
    layer: fixed("tracking"),
    free: "no fee: an SLS project; usage is priced on its logstores, Scheduled SQL and shipping jobs",
  },
  [TYPES.logStoreIndex]: {
    reads: [],
    layer: fixed("tracking"),
    free: "no fee of its own: index traffic and index storage are priced on the logstore",
  },
  [TYPES.logDashboard]: {
    reads: [],
    layer: fixed("tracking"),
    free: "no fee: saved queries; charts query the logstore's index when viewed (index traffic is priced on the logstore; a standard logstore has no per-query fee)",
  },
  [TYPES.maxcomputeRole]: {
    reads: [],
    layer: (r) => writerLayer(r),
    free: "no fee: a MaxCompute project role (the grant the SLS export or DTS writes with, or the realtime metrics import reads with)",
  },
  [TYPES.maxcomputeRoleUserAttachment]: {
    reads: [],
    layer: (r) => writerLayer(r),
    free: "no fee: a role membership in the MaxCompute project",
  },
  [TYPES.ramUser]: {
    reads: [],
    layer: fixed("realtime"),
    free: "no fee: a RAM user (the identity DTS writes MaxCompute as)",
  },
  [TYPES.ramAccessKey]: {
    reads: [],
    layer: fixed("realtime"),
    free: "no fee: a RAM user's AccessKey",
  },
  [TYPES.DiJobRun]: {
    reads: [],
    layer: fixed("shared"),
    free: "no fee of its own: keeps a DI job started; its runs are priced on the DI job",
  },
  [TYPES.ComputeResource]: {
    reads: [],
    layer: fixed("shared"),
    free: "no fee: binds the MaxCompute project to the workspace; the SQL it runs is priced on the MaxCompute project",
  },
  [TYPES.ResourceGroupAssociation]: {
    reads: [],
    layer: fixed("shared"),
    free: "no fee: binds the resource group to the workspace; its CUs are priced on the jobs that use them",
  },
  [TYPES.TableColumns]: {
    reads: [],
    layer: fixed("warehouse"),
    free: "no fee: ALTER TABLE ... ADD COLUMNS and SET LIFECYCLE are metadata changes; storage is priced on the MaxCompute project",
  },
  [TYPES.logAlert]: { reads: [], layer: fixed("tracking"), free: SLS_ALERT_FREE },
  // The realtime metrics' alerts (lib/sls/rt-metrics.ts, names `rt-*`) belong to the realtime layer.
  [TYPES.slsAlert]: { reads: ["alertName"], layer: (r) => (/^rt-/.test(str(r.inputs.alertName) ?? "") ? "realtime" : "tracking"), free: SLS_ALERT_FREE },
};

/** Types that cost nothing of their own, with the reason shown in the formula. */
export const FREE_TYPES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(TYPE_RULES)
    .filter(([, r]) => r.free !== undefined)
    .map(([t, r]) => [t, r.free!]),
);
