/**
 * Monthly cost estimate of a plan: each cloud resource's billed quantities come
 * from the rule of its type (lib/cost/rules.ts, inputs only, never the logical
 * name); this module prices them, deducts the account's free quotas, prices the
 * DataWorks scheduling instances once a day by tier and the edition from the
 * account's totals, and sums per resource, per layer and per stack with a
 * low-high range wherever a line rests on an unverified price. Pure.
 *
 * Types with no rule are priced CNY 0 with `priced: false`, never an error:
 * the plan grows faster than the price table.
 */
import { apiCalls, Inventory, stackApiCalls } from "../dataworks/api-budget";
import { METRICS_NODE_NAME } from "../dataworks/layer-sql";
import { Plan, PlannedResource } from "../plan/types";
import { CostOptions, CostSizes, DEFAULT_OPTIONS } from "./config";
import {
  DATAWORKS_API_QUOTA,
  DATAWORKS_EDITION_FEES,
  DATAWORKS_EDITIONS,
  DataWorksEdition,
  editionForCalls,
  scheduleTier,
  ScheduleTierResult,
} from "./dataworks";
import { FREE_QUOTAS } from "./free-quotas";
import {
  DTS_CLASS_PRICES,
  DTS_SYNC_CLASSES_SOURCE,
  dtsPriceId,
  editionPriceId,
  nextDtsClass,
  Price,
  priceBounds,
  PriceSource,
  priceSourceOf,
  PriceTable,
} from "./prices";
import { COST_LAYERS, CostLayer, diLayer, dtsClass, nodeLayer, RuleContext, TYPE_RULES, Usage } from "./rules";
import { TYPES } from "../plan/type-tokens";

export { COST_LAYERS, FREE_TYPES } from "./rules";
export type { CostLayer } from "./rules";
export type { PriceSource } from "./prices";

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
  /** Low and high ends, CNY per month (equal to monthlyCny when every price behind the line is verified). */
  readonly lowCny: number;
  readonly highCny: number;
  /** True when every price behind the line was read on its documentation page. */
  readonly verified: boolean;
  /** False when no rule or no known price covers this line (then monthlyCny is 0 and its cost is open). */
  readonly priced: boolean;
  /** Where the line's price comes from: the BSS price API, a published page, the stack's config, an unverified reading; `none` for a fee of 0 by rule, `not-priced` for an open cost. */
  readonly priceSource: PriceSource;
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

/** The DataWorks account-level facts behind the scheduling and edition lines. */
export interface DataWorksCost {
  /** Successful scheduling instances a day, and the tier that lands in. */
  readonly schedule: ScheduleTierResult;
  readonly edition: DataWorksEdition;
  /** The smallest edition whose daily OpenAPI cap allows one full `up`. */
  readonly neededEdition: DataWorksEdition;
  /** The edition the estimate prices: the configured one, or the needed one when that is larger. */
  readonly pricedEdition: DataWorksEdition;
  /** OpenAPI calls of one `up` that creates everything: deploys every layer's workflow, starts every DI job (the stack's and the alicloud provider's calls). */
  readonly apiCallsPerUp: number;
  /** The part of `apiCallsPerUp` the stack's own providers make (what the fake DataWorks counts). */
  readonly apiCallsPerUpByStack: number;
  /** OpenAPI calls of one `pulumi refresh`. */
  readonly apiCallsPerRefresh: number;
  /** Successful scheduling instances a day, per layer (inner nodes of each layer's workflow, DI jobs...). */
  readonly instancesPerDayByLayer: Readonly<Partial<Record<CostLayer, number>>>;
  readonly apiCallsPerMonth: number;
}

export interface CostEstimate {
  readonly stack: string;
  readonly stage: string;
  readonly lines: readonly CostLine[];
  /** Cloud resources (components left out), in plan order. */
  readonly resources: readonly ResourceCost[];
  readonly byLayer: Readonly<Record<CostLayer, number>>;
  readonly totalCny: number;
  /** The range of the total: sums of the lines' low and high ends (lines not priced excluded). */
  readonly lowCny: number;
  readonly highCny: number;
  /** Lines resting on unverified prices, widest range first: the lines that make the range. */
  readonly uncertain: readonly CostLine[];
  /** Types with no price rule or lines with no known price, sorted, each once. */
  readonly notPriced: readonly string[];
  /** Types priced at CNY 0 by rule (components included), sorted, each with its count and reason. */
  readonly free: readonly { type: string; count: number; reason: string }[];
  /** Present when the plan has DataWorks resources. */
  readonly dataworks?: DataWorksCost;
  /** Advice the plan prints (DTS class guidance, DataWorks edition, open lines). */
  readonly warnings: readonly string[];
  /** The options the estimate was made with. */
  readonly options: CostOptions;
}

/** Rounds to fen (two decimals). */
export function fen(n: number): number {
  return Math.round((n + Number.EPSILON) * 100) / 100;
}

/** Why a component is CNY 0. */
export const COMPONENT_REASON = "no fee: a component groups its children; it is no cloud resource of its own";

/** The layer a resource belongs to: its type's rule, from its inputs. */
export function layerOf(r: PlannedResource, ctx?: RuleContext): CostLayer {
  const rule = TYPE_RULES[r.type];
  return rule ? rule.layer(r, ctx ?? ({} as RuleContext)) : "shared";
}

interface Pending {
  readonly r: PlannedResource;
  readonly u: Usage;
}

/** The monthly estimate of `plan` under `sizes`, `prices` and `options`. */
export function estimate(plan: Plan, sizes: CostSizes, prices: PriceTable, options: CostOptions = DEFAULT_OPTIONS): CostEstimate {
  const days = sizes.daysPerMonth;
  const cloud = plan.resources.filter((r) => !r.component);
  const sqlLayers: ("daily" | "hourly" | "realtime")[] = [];
  const diLayers = new Set(cloud.filter((r) => r.type === TYPES.dataworksDiJob).map(diLayer));
  if (diLayers.has("daily")) sqlLayers.push("daily");
  if (diLayers.has("hourly")) sqlLayers.push("hourly");
  // The realtime layer's SQL (merge views read by dashboards, hourly snapshots, daily compaction) runs where
  // its nodes run: the dts and canal-datahub engines both have them; a DTS instance alone counts too.
  // The metrics node alone (dataworks-flink) reads no view: its SQL is its own line (lib/cost/rules.ts).
  const innerNodeNames = (r: PlannedResource): string[] =>
    (Array.isArray(r.inputs.nodes) ? (r.inputs.nodes as { name?: unknown }[]) : []).map((n) => String(n.name));
  const viewReader = (r: PlannedResource) =>
    (r.type === TYPES.DataWorksNode && nodeLayer(r) === "realtime" && r.inputs.name !== METRICS_NODE_NAME) ||
    (r.type === TYPES.DataWorksWorkflow && r.inputs.layer === "realtime" && innerNodeNames(r).some((n) => n !== METRICS_NODE_NAME));
  if (cloud.some((r) => r.type === TYPES.dtsSynchronizationInstance || viewReader(r))) sqlLayers.push("realtime");
  const ctx: RuleContext = { sizes, cloud, sqlLayers };
  const warnings: string[] = [];

  const lines: CostLine[] = plan.resources
    .filter((x) => x.component)
    .map((r) => ({
      urn: r.urn,
      name: r.name,
      type: r.type,
      layer: "shared",
      item: "no fee",
      monthlyCny: 0,
      lowCny: 0,
      highCny: 0,
      verified: true,
      priced: true,
      priceSource: { kind: "none" } as PriceSource,
      formula: COMPONENT_REASON,
    }));
  const base = (r: PlannedResource, layer: CostLayer) => ({ urn: r.urn, name: r.name, type: r.type, layer });
  const zero = (r: PlannedResource, layer: CostLayer, priced: boolean, item: string, formula: string): CostLine => ({
    ...base(r, layer),
    item,
    monthlyCny: 0,
    lowCny: 0,
    highCny: 0,
    verified: priced,
    priced,
    priceSource: priced ? { kind: "none" } : { kind: "not-priced" },
    formula,
  });

  // 1. Usages from the rule table, in plan order.
  const pending: Pending[] = [];
  for (const r of cloud) {
    const rule = TYPE_RULES[r.type];
    if (rule === undefined)
      pending.push({ r, u: { kind: "unpriced", layer: "shared", item: "not priced", formula: `not priced: no price rule for ${r.type}` } });
    else if (rule.usage === undefined) pending.push({ r, u: { kind: "unpriced", layer: rule.layer(r, ctx), item: "no fee", formula: rule.free ?? "no fee" } });
    else for (const u of rule.usage(r, ctx)) pending.push({ r, u });
  }

  // 2. Account totals: units per price id (for free quotas) and scheduling instances a day.
  const units = new Map<string, number>();
  for (const { u } of pending) if (u.kind === "unit") units.set(u.priceId, (units.get(u.priceId) ?? 0) + u.quantity);
  const instancesPerDay = pending.reduce((n, { u }) => n + (u.kind === "schedule" ? u.instancesPerDay : 0), 0);
  const hasDataWorks = cloud.some(
    (r) => r.type === TYPES.dataworksDiJob || r.type === TYPES.DataWorksNode || r.type === TYPES.DataWorksWorkflow || r.type === TYPES.dataworksProject,
  );
  const schedule = scheduleTier(instancesPerDay, options.scheduleTiers);
  const instancesPerDayByLayer: Partial<Record<CostLayer, number>> = {};
  for (const { u } of pending) if (u.kind === "schedule") instancesPerDayByLayer[u.layer] = (instancesPerDayByLayer[u.layer] ?? 0) + u.instancesPerDay;
  const nodes = cloud.filter((r) => r.type === TYPES.DataWorksNode).length;
  const workflows = cloud.filter((r) => r.type === TYPES.DataWorksWorkflow).length;
  const diJobs = cloud.filter((r) => r.type === TYPES.dataworksDiJob).length;
  // What a full `up` of this plan calls, per resource type, as measured against the API fake (lib/dataworks/api-budget.ts).
  const count = (type: string) => cloud.filter((r) => r.type === type).length;
  const inventory: Inventory = {
    DataWorksNode: nodes,
    DataWorksWorkflow: workflows,
    DiJobRun: count(TYPES.DiJobRun),
    ComputeResource: count(TYPES.ComputeResource),
    ResourceGroupAssociation: count(TYPES.ResourceGroupAssociation),
    "dataworks.DiJob": diJobs,
    "dataworks.DataSource": count(TYPES.dataworksDataSource),
    "dataworks.Project": count(TYPES.dataworksProject),
    NodeAlertRule: count(TYPES.NodeAlertRule),
    "dataworks.DiAlarmRule": count(TYPES.dataworksDiAlarmRule),
  };
  const apiCallsPerUp = apiCalls(inventory, "create");
  const neededEdition = editionForCalls(apiCallsPerUp);
  const pricedEdition =
    DATAWORKS_EDITIONS.indexOf(neededEdition) > DATAWORKS_EDITIONS.indexOf(options.dataworksEdition) ? neededEdition : options.dataworksEdition;
  const dataworks: DataWorksCost | undefined = hasDataWorks
    ? {
        schedule,
        edition: options.dataworksEdition,
        neededEdition,
        pricedEdition,
        apiCallsPerUp,
        apiCallsPerUpByStack: stackApiCalls(inventory, "create"),
        apiCallsPerRefresh: apiCalls(inventory, "read"),
        apiCallsPerMonth: apiCallsPerUp * sizes.deploysPerMonth,
        instancesPerDayByLayer,
      }
    : undefined;

  // 3. Price each usage.
  for (const { r, u } of pending) {
    if (u.kind === "unpriced") {
      const free = u.item === "no fee";
      lines.push(zero(r, u.layer, free, free ? "no fee" : u.item, u.formula));
    } else if (u.kind === "unit") {
      const price = prices[u.priceId];
      if (price === undefined) {
        const dts =
          r.type === TYPES.dtsSynchronizationInstance
            ? ` for DTS instance class ${JSON.stringify(dtsClass(r))}: synchronization instances come in ${DTS_CLASS_PRICES.map(([c]) => c).join(", ")} only (${DTS_SYNC_CLASSES_SOURCE})`
            : "";
        lines.push(zero(r, u.layer, false, "not priced", `not priced: no price ${u.priceId}${dts}`));
        continue;
      }
      const quota = FREE_QUOTAS.find((q) => q.priceId === u.priceId);
      const total = units.get(u.priceId) ?? 0;
      const freeUnits = quota?.perMonth(days) ?? 0;
      const billedShare = quota === undefined || total === 0 ? 1 : Math.max(0, total - freeUnits) / total;
      const q = u.quantity * billedShare;
      const b = priceBounds(price, options.unverifiedRange);
      const formula = quota === undefined || u.quantity === 0 ? u.formula : `${u.formula}, less its share of the ${quota.label} (account-wide)`;
      lines.push({
        ...base(r, u.layer),
        item: u.item,
        monthlyCny: fen(q * price.cny),
        lowCny: fen(q * b.low),
        highCny: fen(q * b.high),
        verified: price.verified,
        priced: true,
        priceSource: priceSourceOf(price),
        formula,
      });
    } else if (u.kind === "schedule") {
      const share = instancesPerDay === 0 ? 0 : u.instancesPerDay / instancesPerDay;
      const head = `${u.formula}: ${u.instancesPerDay} of the account's ${instancesPerDay} successful instances/day`;
      if (schedule.dailyCny === undefined) {
        lines.push(zero(r, u.layer, false, u.item, `not priced: ${head}; ${schedule.formula}`));
      } else {
        const amount = schedule.dailyCny * days * share;
        lines.push({
          ...base(r, u.layer),
          item: u.item,
          monthlyCny: fen(amount),
          lowCny: fen(amount),
          highCny: fen(amount),
          verified: schedule.verified,
          priced: true,
          priceSource: scheduleSource(schedule, options),
          formula: `${head} x ${schedule.formula} x ${days} days`,
        });
      }
    } else {
      const ed = pricedEdition;
      const item = `DataWorks ${ed} edition`;
      const why =
        ed === options.dataworksEdition
          ? `cost.dataworksEdition ${ed}`
          : `needed: one full up makes about ${apiCallsPerUp} OpenAPI calls and ${options.dataworksEdition} allows ${DATAWORKS_API_QUOTA[options.dataworksEdition].maxCallsPerDay} a day`;
      const fee = editionFee(ed, prices);
      if (fee === undefined) {
        lines.push(
          zero(
            r,
            "shared",
            false,
            item,
            `not priced: ${why}; no price ${editionPriceId(ed)} (${DATAWORKS_EDITION_FEES[ed].note}): run "npm run prices -- --refresh" or set photo-analytics:cost.prices.${editionPriceId(ed)}`,
          ),
        );
      } else {
        const b = priceBounds(fee, options.unverifiedRange);
        lines.push({
          ...base(r, "shared"),
          item,
          monthlyCny: fen(fee.cny),
          lowCny: fen(b.low),
          highCny: fen(b.high),
          verified: fee.verified,
          priced: true,
          priceSource: priceSourceOf(fee),
          formula: `${why}: ${fee.note ?? `1 edition-month x ${fee.id}`}`,
        });
      }
      const quota = DATAWORKS_API_QUOTA[ed];
      const calls = apiCallsPerUp * sizes.deploysPerMonth;
      const over = Math.max(0, calls - quota.freeCallsPerMonth) / 10000;
      const price = prices["dataworks.openapi.10k-calls"];
      const bo = priceBounds(price, options.unverifiedRange);
      lines.push({
        ...base(r, "shared"),
        item: "OpenAPI calls",
        monthlyCny: fen(over * price.cny),
        lowCny: fen(over * bo.low),
        highCny: fen(over * bo.high),
        verified: price.verified,
        priced: true,
        priceSource: priceSourceOf(price),
        formula: `${apiCallsPerUp} calls per full up (${workflows > 0 ? `${workflows} layer workflows` : `${nodes} nodes`}, ${diJobs} DI jobs and the workspace's resources; lib/dataworks/api-budget.ts) x ${sizes.deploysPerMonth} ups = ${calls}/month, ${quota.freeCallsPerMonth} free (${ed}) x dataworks.openapi.10k-calls`,
      });
    }
  }

  // 4. Advice.
  if (dataworks !== undefined) {
    const need = DATAWORKS_EDITIONS.indexOf(dataworks.neededEdition);
    if (need > DATAWORKS_EDITIONS.indexOf(dataworks.edition)) {
      warnings.push(
        `DataWorks ${dataworks.edition} edition allows ${DATAWORKS_API_QUOTA[dataworks.edition].maxCallsPerDay} OpenAPI calls a day; one full \`up\` of this plan makes about ${apiCallsPerUp} (layer import and deploy, DI job start): set photo-analytics:cost.dataworksEdition to ${dataworks.neededEdition} or above`,
      );
    }
    if (schedule.dailyCny === undefined && instancesPerDay > 0) {
      warnings.push(`DataWorks scheduling: ${schedule.formula}; the fee is not in the estimate or its range`);
    }
  }
  for (const r of cloud.filter((x) => x.type === TYPES.dtsSynchronizationInstance)) {
    const cls = dtsClass(r);
    if (options.production && cls === "micro") {
      const next = nextDtsClass(cls)!;
      const sub = r.inputs.paymentType === "Subscription";
      const id = dtsPriceId(next, sub ? "Subscription" : "PayAsYouGo");
      const p = prices[id];
      const monthly = p === undefined ? undefined : fen(sub ? p.cny : p.cny * sizes.dtsHoursPerMonth);
      warnings.push(
        `${r.name}: DTS instance class micro in a production stack (cost.production): DTS advises against micro in production ("We recommend that you do not use the micro instance class in production environments"); the next class, ${next}, costs ${monthly === undefined ? "an unknown amount" : `CNY ${monthly.toFixed(2)}/month (${id}${p.verified ? "" : ", unverified"})`}`,
      );
    }
  }

  const resources: ResourceCost[] = cloud.map((r) => {
    const mine = lines.filter((l) => l.urn === r.urn);
    return {
      urn: r.urn,
      name: r.name,
      type: r.type,
      layer: layerOf(r, ctx),
      monthlyCny: fen(mine.reduce((s, l) => s + l.monthlyCny, 0)),
      priced: mine.every((l) => l.priced),
    };
  });
  const sum = (f: (l: CostLine) => number, ls: readonly CostLine[] = lines) => fen(ls.reduce((s, l) => s + f(l), 0));
  const byLayer = Object.fromEntries(
    COST_LAYERS.map((l) => [
      l,
      sum(
        (x) => x.monthlyCny,
        lines.filter((x) => x.layer === l),
      ),
    ]),
  ) as Record<CostLayer, number>;
  const uncertain = lines.filter((l) => l.priced && !l.verified && l.highCny > l.lowCny).sort((a, b) => b.highCny - b.lowCny - (a.highCny - a.lowCny));
  const notPricedLines = lines.filter((l) => !l.priced);
  if (notPricedLines.length > 0) {
    const types = [...new Set(notPricedLines.map((l) => l.type))];
    if (types.some((t) => TYPE_RULES[t] === undefined))
      warnings.push(`no price rule (counted as CNY 0): ${types.filter((t) => TYPE_RULES[t] === undefined).join(", ")}`);
  }
  return {
    stack: plan.stack,
    stage: plan.stage,
    lines,
    resources,
    byLayer,
    totalCny: sum((l) => l.monthlyCny),
    lowCny: sum((l) => l.lowCny),
    highCny: sum((l) => l.highCny),
    uncertain,
    notPriced: [...new Set(notPricedLines.map((l) => l.type))].sort(),
    free: freeTypes(lines),
    dataworks,
    warnings,
    options,
  };
}

/**
 * An edition's monthly fee as a price: Basic's from DATAWORKS_EDITION_FEES (no fee); a paid
 * edition's from the price table (`dataworks.edition.<edition>.month`: a price file or
 * `cost.prices`), else undefined (not priced).
 */
function editionFee(ed: DataWorksEdition, prices: PriceTable): Price | undefined {
  const fromTable = prices[editionPriceId(ed)];
  if (fromTable !== undefined) return fromTable;
  const f = DATAWORKS_EDITION_FEES[ed];
  if (f.monthlyCny === null) return undefined;
  return { id: editionPriceId(ed), unit: "edition-month", cny: f.monthlyCny, source: f.source, checked: f.checked, verified: f.verified, note: f.note };
}

/** Where the day's scheduling fee comes from: its tier, or for a day within the free quota the tier table's. */
function scheduleSource(s: ScheduleTierResult, options: CostOptions): PriceSource {
  const tier = s.from ?? options.scheduleTiers.tiers[0];
  return tier === undefined ? { kind: "none" } : priceSourceOf(tier);
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
  /** The ranges of both ends. */
  readonly before: { readonly lowCny: number; readonly highCny: number };
  readonly after: { readonly lowCny: number; readonly highCny: number };
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
  return {
    beforeCny: before.totalCny,
    afterCny: after.totalCny,
    deltaCny: fen(after.totalCny - before.totalCny),
    before: { lowCny: before.lowCny, highCny: before.highCny },
    after: { lowCny: after.lowCny, highCny: after.highCny },
    byLayer,
    resources,
  };
}
