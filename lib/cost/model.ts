/**
 * Monthly cost estimate of a plan: each cloud resource priced by a rule for its
 * type from the usage assumptions (`CostSizes`) and the price table, then
 * summed per resource, per layer and per stack. Pure: no Pulumi imports.
 *
 * Types with no rule are priced CNY 0 with `priced: false` and a "not priced"
 * note, never an error: the plan grows faster than the price table.
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
} as const;

/** Types that cost nothing of their own, with the reason shown in the formula. */
const FREE_TYPES: Readonly<Record<string, string>> = {
  "alicloud:dataworks/project:Project": "DataWorks Basic edition workspace: no fee",
  "alicloud:dataworks/dataSource:DataSource": "no fee",
  "alicloud:dataworks/folder:Folder": "no fee",
  "alicloud:dataworks/diAlarmRule:DiAlarmRule": "no fee",
  [T.rosStack]: "ROS: no fee; the tables' storage is priced on the MaxCompute project",
  "alicloud:dts/synchronizationJob:SynchronizationJob": "included in the DTS instance price",
  "alicloud:dts/jobMonitorRule:JobMonitorRule": "included in the DTS instance price",
  "alicloud:log/project:Project": "no fee; usage is priced on the logstores",
  "alicloud:log/storeIndex:StoreIndex": "index traffic is priced on the logstore",
  "alicloud:log/dashboard:Dashboard": "no fee",
  "alicloud:log/alert:Alert": "no fee (notifications by SMS/phone are billed separately)",
  "alicloud:sls/alert:Alert": "no fee (notifications by SMS/phone are billed separately)",
};

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** The layer a resource belongs to, by type, then by its name. */
export function layerOf(r: Pick<PlannedResource, "type" | "name">): CostLayer {
  if (r.type === T.mcProject || r.type === T.rosStack) return r.name.includes("realtime") ? "realtime" : "warehouse";
  if (r.type.startsWith("alicloud:dts/")) return "realtime";
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

  const diLayers = new Set(cloud.filter((r) => r.type === T.diJob).map(diLayer));
  const sqlLayers: ("daily" | "hourly" | "realtime")[] = [];
  if (diLayers.has("daily")) sqlLayers.push("daily");
  if (diLayers.has("hourly")) sqlLayers.push("hourly");
  if (cloud.some((r) => r.type === T.dtsInstance)) sqlLayers.push("realtime");

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
        line(r, l, "Data Integration", ((cu * minutes) / 60) * days * p("dataworks.serverless.cu-hour")!, `${cu} CU x ${minutes} min/day x ${days} days x dataworks.serverless.cu-hour`);
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
        line(r, "tracking", "storage", stored * days * p("sls.storage.gb-day")!, `${n2(stored)} GB (${ingest} GB/day / ${ratio} x ${retention} days retention) x ${days} days x sls.storage.gb-day`);
        line(r, "tracking", "shards", shards * days * p("sls.shard.day")!, `${shards} shards x ${days} days x sls.shard.day`);
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
  const byLayer = Object.fromEntries(COST_LAYERS.map((l) => [l, fen(lines.filter((x) => x.layer === l).reduce((s, x) => s + x.monthlyCny, 0))])) as Record<CostLayer, number>;
  return {
    stack: plan.stack,
    stage: plan.stage,
    lines,
    resources,
    byLayer,
    totalCny: fen(lines.reduce((s, l) => s + l.monthlyCny, 0)),
    notPriced: [...new Set(lines.filter((l) => !l.priced).map((l) => l.type))].sort(),
  };
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
