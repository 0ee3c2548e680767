/**
 * Monthly cost estimate of a plan: each cloud resource priced by a rule for its
 * type from the usage assumptions (`CostSizes`) and the price table, then
 * summed per resource, per layer and per stack. Pure: no Pulumi imports.
 *
 * Types that cost nothing of their own (components, workspaces, ROS stacks,
 * dashboards, alerts...) get an explicit CNY 0 line with the reason. Types with
 * no rule at all are priced CNY 0 with `priced: false` and a "not priced" note,
 * never an error: the plan grows faster than the price table.
 */
import { Plan, PlannedResource } from "../plan/types";
import { CostSizes } from "./config";
import { dtsPriceId, PriceTable } from "./prices";

/** Layers costs are reported by: the stage layers plus what they share. */
export const COST_LAYERS = ["warehouse", "daily", "hourly", "realtime", "tracking", "shared"] as const;
export type CostLayer = (typeof COST_LAYERS)[number];

/** One priced quantity: a resource x one price (a resource may have several). */
export interface CostLine {
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  readonly layer: CostLayer;
  /** What is billed, e.g. `storage`, `SQL (daily layer)`. */
  readonly item: string;
  /** CNY per month, rounded to fen. */
  readonly monthlyCny: number;
  /** False when no rule prices this type (then monthlyCny is 0). */
  readonly priced: boolean;
  /** How the amount was computed (quantities x price id), or why it is 0. */
  readonly formula: string;
}

/** A resource's total. */
export interface ResourceCost {
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  readonly layer: CostLayer;
  readonly monthlyCny: number;
  readonly priced: boolean;
}

export interface CostEstimate {
  readonly stack: string;
  readonly stage: string;
  readonly lines: readonly CostLine[];
  /** Cloud resources (components left out), in plan order. */
  readonly resources: readonly ResourceCost[];
  readonly byLayer: Readonly<Record<CostLayer, number>>;
  readonly totalCny: number;
  /** Types with no price rule, sorted, each once. */
  readonly notPriced: readonly string[];
  /** Types priced at CNY 0 by rule (components included), sorted, each with its count and reason. */
  readonly free: readonly { type: string; count: number; reason: string }[];
}

/** Rounds to fen (two decimals). */
export function fen(n: number): number {
  return Math.round((n + Number.EPSILON) * 100) / 100;
}

const T = {
  mcProject: "alicloud:maxcompute/project:Project",
  rosStack: "alicloud:ros/stack:Stack",
  diJob: "alicloud:dataworks/diJob:DiJob",
  dtsInstance: "alicloud:dts/synchronizationInstance:SynchronizationInstance",
  logStore: "alicloud:log/store:Store",
  scheduledSql: "alicloud:sls/scheduledSql:ScheduledSql",
  dwNode: "pulumi-nodejs:dynamic/dataworks:DataWorksNode",
  mcExport: "pulumi-nodejs:dynamic/sls:MaxComputeExport",
} as const;

const SLS_ALERT_FREE =
  "no fee: SLS bills alerting only for SMS and voice notifications, not for rules or their queries (https://www.alibabacloud.com/help/id/sls/alert-monitoring-faq)";

/** Types that cost nothing of their own, with the reason shown in the formula. */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  "alicloud:dataworks/project:Project": "no fee: a DataWorks Basic edition workspace; runs are billed on the jobs and nodes",
  "alicloud:dataworks/dataSource:DataSource": "no fee: a connection definition; traffic is billed on the jobs that use it",
  "alicloud:dataworks/folder:Folder": "no fee: an organising folder",
  "alicloud:dataworks/diAlarmRule:DiAlarmRule": "no fee: a DI alarm rule (SMS/phone notifications are billed separately)",
  [T.rosStack]: "no fee: ROS itself is free; the tables' storage is priced on the MaxCompute project",
  "alicloud:dts/synchronizationJob:SynchronizationJob": "no fee of its own: included in the DTS synchronization instance price",
  "alicloud:dts/jobMonitorRule:JobMonitorRule": "no fee of its own: included in the DTS synchronization instance price",
  "alicloud:log/project:Project": "no fee: an SLS project; usage is priced on its logstores, Scheduled SQL and shipping jobs",
  "alicloud:log/storeIndex:StoreIndex": "no fee of its own: index traffic is priced on the logstore",
  "alicloud:log/dashboard:Dashboard":
    "no fee: saved queries; charts query the logstore's index when viewed (index traffic is priced on the logstore; a standard logstore has no per-query fee)",
  "alicloud:log/alert:Alert": SLS_ALERT_FREE,
  "alicloud:sls/alert:Alert": SLS_ALERT_FREE,
};

/** Why a component is CNY 0. */
export const COMPONENT_REASON = "no fee: a component groups its children; it is no cloud resource of its own";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** The layer a resource belongs to, by type, then by its name. */
export function layerOf(r: Pick<PlannedResource, "type" | "name">): CostLayer {
  if (r.type === T.mcProject || r.type === T.rosStack) return r.name.includes("realtime") ? "realtime" : "warehouse";
  if (r.type.startsWith("alicloud:dts/")) return "realtime";
  // The SLS engine's realtime layer: the per-minute Scheduled SQL exists only while realtime is on.
  if (r.type === T.scheduledSql) return "realtime";
  if (r.type === T.mcExport) return "tracking";
  if (r.type.startsWith("alicloud:log/") || r.type.startsWith("alicloud:sls/")) return "tracking";
  if (/(^|-)realtime(-|$)/.test(r.name)) return "realtime";
  if (/(^|-)hourly(-|$)/.test(r.name)) return "hourly";
  if (/(^|-)daily(-|$)/.test(r.name)) return "daily";
  return "shared";
}

function diLayer(r: PlannedResource): "daily" | "hourly" {
  const jobName = str(r.inputs.jobName) ?? "";
  return /hourly/.test(r.name) || /hourly/.test(jobName) ? "hourly" : "daily";
}

function requestedCu(r: PlannedResource): number {
  const rs = r.inputs.resourceSettings as { offlineResourceSettings?: { requestedCu?: unknown } } | undefined;
  return num(rs?.offlineResourceSettings?.requestedCu) ?? 2;
}

/** `xxlarge` is how the provider spells the stack's `2xlarge`. */
function dtsClass(r: PlannedResource): string {
  const c = str(r.inputs.instanceClass) ?? "micro";
  return c === "xxlarge" ? "2xlarge" : c;
}

const n2 = (x: number) => String(fen(x));

/** How many values one cron field matches in [lo, hi] (`*`, `?`, `n`, `a-b`, `*\/n`, `a/n`, `a-b/n`, lists); undefined if unreadable. */
function fieldCount(field: string, lo: number, hi: number): number | undefined {
  let total = 0;
  for (const part of field.split(",")) {
    const m = /^(\*|\?|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    const star = m[1] === "*" || m[1] === "?";
    const from = star ? lo : Number(m[1]);
    const to = m[2] !== undefined ? Number(m[2]) : star || m[3] !== undefined ? hi : from;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (from < lo || to > hi || from > to || step < 1) return undefined;
    total += Math.floor((to - from) / step) + 1;
  }
  return total;
}

/**
 * Runs per day of a cron expression: Quartz (`sec min hour dom month dow [year]`,
 * DataWorks) or standard (`min hour dom month dow`, SLS). Day fields are taken
 * as every day. Undefined when the expression cannot be read.
 */
export function cronRunsPerDay(cron: string): number | undefined {
  const f = cron.trim().split(/\s+/);
  if (f.length === 5) {
    const min = fieldCount(f[0], 0, 59);
    const hour = fieldCount(f[1], 0, 23);
    return min === undefined || hour === undefined ? undefined : min * hour;
  }
  if (f.length === 6 || f.length === 7) {
    const sec = fieldCount(f[0], 0, 59);
    const min = fieldCount(f[1], 0, 59);
    const hour = fieldCount(f[2], 0, 23);
    return sec === undefined || min === undefined || hour === undefined ? undefined : sec * min * hour;
  }
  return undefined;
}

/** Runs per day of an SLS job schedule (`{type: Cron, cronExpression}`, `{type: FixedRate, interval: "1m"}`, `Hourly`, `Daily`). */
function slsRunsPerDay(schedule: unknown): number | undefined {
  const s = (schedule ?? {}) as { type?: unknown; cronExpression?: unknown; interval?: unknown };
  if (s.type === "Cron" && typeof s.cronExpression === "string") return cronRunsPerDay(s.cronExpression);
  if (s.type === "Hourly") return 24;
  if (s.type === "Daily") return 1;
  if (typeof s.interval === "string") {
    const m = /^(\d+)([smhd])$/.exec(s.interval);
    if (m && Number(m[1]) > 0) return 86400 / (Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"]);
  }
  return undefined;
}

/** A DI job's table count (one scheduling instance per table per run) and runs per day. */
function diSchedule(r: PlannedResource, layer: "daily" | "hourly"): { tables: number; runs: number; from: string } {
  const mappings = Array.isArray(r.inputs.tableMappings) ? r.inputs.tableMappings.length : 0;
  const rules = Array.isArray(r.inputs.transformationRules) ? (r.inputs.transformationRules as { ruleActionType?: unknown; ruleExpression?: unknown }[]) : [];
  const sched = rules.find((x) => x.ruleActionType === "DefineCycleScheduleSettings");
  let cron: string | undefined;
  try {
    const parsed = typeof sched?.ruleExpression === "string" ? (JSON.parse(sched.ruleExpression) as { cronExpress?: unknown }) : undefined;
    cron = typeof parsed?.cronExpress === "string" ? parsed.cronExpress : undefined;
  } catch {
    cron = undefined;
  }
  const fromCron = cron === undefined ? undefined : cronRunsPerDay(cron);
  const runs = fromCron ?? (layer === "hourly" ? 24 : 1);
  return { tables: Math.max(mappings, 1), runs, from: fromCron !== undefined ? `cron ${JSON.stringify(cron)}` : `${layer} default` };
}

/** The monthly estimate of `plan` under `sizes` and `prices`. */
export function estimate(plan: Plan, sizes: CostSizes, prices: PriceTable): CostEstimate {
  const days = sizes.daysPerMonth;
  const lines: CostLine[] = [];
  const cloud = plan.resources.filter((r) => !r.component);
  const p = (id: string) => prices[id]?.cny;
  const line = (r: PlannedResource, layer: CostLayer, item: string, amount: number, formula: string): void => {
    lines.push({ urn: r.urn, name: r.name, type: r.type, layer, item, monthlyCny: fen(amount), priced: true, formula });
  };
  const zero = (r: PlannedResource, priced: boolean, formula: string): void => {
    lines.push({ urn: r.urn, name: r.name, type: r.type, layer: layerOf(r), item: priced ? "no fee" : "not priced", monthlyCny: 0, priced, formula });
  };
  const logstoreIngest = (name: unknown): { gb: number; store: string } => {
    const store = cloud.find((x) => x.type === T.logStore && x.inputs.logstoreName === name);
    if (store === undefined) return { gb: sizes.slsIngestGbPerDay, store: `${String(name)} (not in this plan: tracking size)` };
    return { gb: store.inputs.enableWebTracking === true ? sizes.slsIngestGbPerDay : sizes.slsOtherIngestGbPerDay, store: String(name) };
  };

  const diLayers = new Set(cloud.filter((r) => r.type === T.diJob).map(diLayer));
  const sqlLayers: ("daily" | "hourly" | "realtime")[] = [];
  if (diLayers.has("daily")) sqlLayers.push("daily");
  if (diLayers.has("hourly")) sqlLayers.push("hourly");
  if (cloud.some((r) => r.type === T.dtsInstance)) sqlLayers.push("realtime");

  for (const r of plan.resources.filter((x) => x.component)) {
    lines.push({ urn: r.urn, name: r.name, type: r.type, layer: "shared", item: "no fee", monthlyCny: 0, priced: true, formula: COMPONENT_REASON });
  }

  for (const r of cloud) {
    switch (r.type) {
      case T.mcProject: {
        const gb = sizes.maxcomputeStorageGb;
        line(r, "warehouse", "storage", gb * days * p("maxcompute.storage.gb-day")!, `${gb} GB x ${days} days x maxcompute.storage.gb-day`);
        for (const l of sqlLayers) {
          const scanned = sizes.scannedGbPerDay[l];
          line(
            r,
            l,
            `SQL (${l} layer)`,
            scanned * sizes.sqlComplexity * days * p("maxcompute.sql.gb")!,
            `${scanned} GB/day x complexity ${sizes.sqlComplexity} x ${days} days x maxcompute.sql.gb`,
          );
        }
        break;
      }
      case T.diJob: {
        const l = diLayer(r);
        const cu = requestedCu(r);
        const minutes = sizes.diRunMinutesPerDay[l];
        line(
          r,
          l,
          "Data Integration",
          ((cu * minutes) / 60) * days * p("dataworks.serverless.cu-hour")!,
          `${cu} CU x ${minutes} min/day x ${days} days x dataworks.serverless.cu-hour`,
        );
        const s = diSchedule(r, l);
        line(
          r,
          l,
          "scheduling instances",
          s.tables * s.runs * days * p("dataworks.schedule.instance")!,
          `${s.tables} tables x ${s.runs} runs/day (${s.from}) x ${days} days x dataworks.schedule.instance`,
        );
        break;
      }
      case T.dwNode: {
        const cron = str(r.inputs.cron);
        const runs = cron === undefined ? undefined : cronRunsPerDay(cron);
        const n = runs ?? 1;
        const from = runs !== undefined ? `cron ${JSON.stringify(cron)}` : `cron ${JSON.stringify(cron ?? null)} unreadable: 1 run/day assumed`;
        line(
          r,
          layerOf(r),
          "scheduling instances",
          n * days * p("dataworks.schedule.instance")!,
          `${n} runs/day (${from}) x ${days} days x dataworks.schedule.instance; its SQL runs in MaxCompute (priced on the project), no serverless CUs`,
        );
        break;
      }
      case T.scheduledSql: {
        const cfg = (r.inputs.scheduledSqlConfiguration ?? {}) as { resourcePool?: unknown; destLogstore?: unknown };
        const runs = slsRunsPerDay(r.inputs.schedule);
        if (runs === undefined) {
          zero(r, false, `not priced: schedule ${JSON.stringify(r.inputs.schedule ?? null)} unreadable`);
          break;
        }
        const r2 = n2(runs);
        if (cfg.resourcePool === "enhanced") {
          const cpu = sizes.slsScheduledSqlCpuSecondsPerRun;
          line(
            r,
            "realtime",
            "SQL CPU (enhanced pool)",
            ((runs * cpu) / 3600) * days * p("sls.sql.core-hour")!,
            `${r2} runs/day x ${cpu} CPU s x ${days} days / 3600 x sls.sql.core-hour`,
          );
        } else {
          line(
            r,
            "realtime",
            "SQL CPU (free pool)",
            0,
            `no fee: the free resource pool is not billed (resourcePool ${JSON.stringify(cfg.resourcePool ?? "default")})`,
          );
        }
        line(
          r,
          "realtime",
          "write requests",
          ((runs * days) / 1e6) * p("sls.request.million")!,
          `${r2} writes/day to ${String(cfg.destLogstore ?? "the destination")} x ${days} days / 1,000,000 x sls.request.million; the rows' traffic and storage are priced on that logstore`,
        );
        break;
      }
      case T.mcExport: {
        const src = logstoreIngest(r.inputs.logstore);
        line(
          r,
          "tracking",
          "shipping to MaxCompute",
          src.gb * days * p("sls.ship.gb")!,
          `${src.gb} GB/day raw from ${src.store} x ${days} days x sls.ship.gb; MaxCompute storage is priced on the project`,
        );
        break;
      }
      case T.dtsInstance: {
        const cls = dtsClass(r);
        const payment = str(r.inputs.paymentType) === "Subscription" ? "Subscription" : "PayAsYouGo";
        const id = dtsPriceId(cls, payment);
        const price = p(id);
        if (price === undefined) {
          zero(r, false, `not priced: no price ${id} for DTS instance class ${JSON.stringify(cls)}`);
        } else if (payment === "Subscription") {
          line(r, "realtime", `DTS ${cls} (Subscription)`, price, `1 instance-month x ${id}`);
        } else {
          const hours = sizes.dtsHoursPerMonth;
          line(r, "realtime", `DTS ${cls} (PayAsYouGo)`, hours * price, `${hours} h x ${id}`);
        }
        break;
      }
      case T.logStore: {
        const tracking = r.inputs.enableWebTracking === true;
        const ingest = tracking ? sizes.slsIngestGbPerDay : sizes.slsOtherIngestGbPerDay;
        const ratio = sizes.slsCompressionRatio;
        const retention = num(r.inputs.retentionPeriod) ?? 30;
        const shards = num(r.inputs.shardCount) ?? 2;
        const stored = (ingest / ratio) * retention;
        line(r, "tracking", "write traffic", (ingest / ratio) * days * p("sls.write.gb")!, `${ingest} GB/day / ${ratio} x ${days} days x sls.write.gb`);
        line(r, "tracking", "index traffic", ingest * days * p("sls.index.gb")!, `${ingest} GB/day x ${days} days x sls.index.gb`);
        line(
          r,
          "tracking",
          "storage",
          stored * days * p("sls.storage.gb-day")!,
          `${n2(stored)} GB (${ingest} GB/day / ${ratio} x ${retention} days retention) x ${days} days x sls.storage.gb-day`,
        );
        line(r, "tracking", "shards", shards * days * p("sls.shard.day")!, `${shards} shards x ${days} days x sls.shard.day`);
        if (tracking) {
          const req = sizes.slsTrackingRequestsPerDay;
          line(
            r,
            "tracking",
            "write requests",
            ((req * days) / 1e6) * p("sls.request.million")!,
            `${req} requests/day x ${days} days / 1,000,000 x sls.request.million`,
          );
        }
        break;
      }
      default: {
        const why = FREE_TYPES[r.type];
        if (why !== undefined) zero(r, true, why);
        else zero(r, false, `not priced: no price rule for ${r.type}`);
      }
    }
  }

  const resources: ResourceCost[] = cloud.map((r) => {
    const mine = lines.filter((l) => l.urn === r.urn);
    return {
      urn: r.urn,
      name: r.name,
      type: r.type,
      layer: layerOf(r),
      monthlyCny: fen(mine.reduce((s, l) => s + l.monthlyCny, 0)),
      priced: mine.every((l) => l.priced),
    };
  });
  const byLayer = Object.fromEntries(COST_LAYERS.map((l) => [l, fen(lines.filter((x) => x.layer === l).reduce((s, x) => s + x.monthlyCny, 0))])) as Record<
    CostLayer,
    number
  >;
  return {
    stack: plan.stack,
    stage: plan.stage,
    lines,
    resources,
    byLayer,
    totalCny: fen(lines.reduce((s, l) => s + l.monthlyCny, 0)),
    notPriced: [...new Set(lines.filter((l) => !l.priced).map((l) => l.type))].sort(),
    free: freeTypes(lines),
  };
}

/** Types all of whose lines are CNY 0 by rule, with their count and reason. */
function freeTypes(lines: readonly CostLine[]): { type: string; count: number; reason: string }[] {
  const byType = new Map<string, CostLine[]>();
  for (const l of lines) byType.set(l.type, [...(byType.get(l.type) ?? []), l]);
  const out: { type: string; count: number; reason: string }[] = [];
  for (const [type, ls] of byType) {
    if (!ls.every((l) => l.priced && l.monthlyCny === 0 && l.item === "no fee")) continue;
    out.push({ type, count: new Set(ls.map((l) => l.urn)).size, reason: ls[0].formula });
  }
  return out.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

/** One resource whose monthly cost changes between two estimates. */
export interface ResourceCostChange {
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  readonly beforeCny: number;
  readonly afterCny: number;
  readonly deltaCny: number;
}

export interface CostDelta {
  readonly beforeCny: number;
  readonly afterCny: number;
  readonly deltaCny: number;
  /** Layers whose cost changes. */
  readonly byLayer: readonly { layer: CostLayer; beforeCny: number; afterCny: number; deltaCny: number }[];
  /** Resources created, deleted or re-priced, by URN order. */
  readonly resources: readonly ResourceCostChange[];
}

/** The monthly change from `before` to `after`. */
export function costDelta(before: CostEstimate, after: CostEstimate): CostDelta {
  const b = new Map(before.resources.map((r) => [r.urn, r]));
  const a = new Map(after.resources.map((r) => [r.urn, r]));
  const urns = [...new Set([...b.keys(), ...a.keys()])].sort();
  const resources: ResourceCostChange[] = [];
  for (const urn of urns) {
    const x = b.get(urn);
    const y = a.get(urn);
    const beforeCny = x?.monthlyCny ?? 0;
    const afterCny = y?.monthlyCny ?? 0;
    if (beforeCny === afterCny) continue;
    const r = (y ?? x)!;
    resources.push({ urn, name: r.name, type: r.type, beforeCny, afterCny, deltaCny: fen(afterCny - beforeCny) });
  }
  const byLayer = COST_LAYERS.map((layer) => ({
    layer,
    beforeCny: before.byLayer[layer],
    afterCny: after.byLayer[layer],
    deltaCny: fen(after.byLayer[layer] - before.byLayer[layer]),
  })).filter((l) => l.deltaCny !== 0);
  return { beforeCny: before.totalCny, afterCny: after.totalCny, deltaCny: fen(after.totalCny - before.totalCny), byLayer, resources };
}
