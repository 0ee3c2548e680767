/**
 * Lines for the plan's `extra` (text and Markdown): the monthly estimate, and
 * the monthly delta for diffs. Pure.
 */
import { STAGE_CATALOG } from "../config/stage-catalog";
import { Stage } from "../config/types";
import { COST_LAYERS, CostDelta, CostEstimate, CostLine } from "./model";
import { PriceSource, PriceTable } from "./prices";

/** `¥1,234.50`; negative as `-¥12.00`. */
export function cny(n: number): string {
  const s = Math.abs(n)
    .toFixed(2)
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${n < 0 ? "-" : ""}¥${s}`;
}

/** `+¥12.00` / `-¥12.00` / `¥0.00`. */
export function signedCny(n: number): string {
  return n > 0 ? `+${cny(n)}` : cny(n);
}

function seedLine(est: CostEstimate): string | undefined {
  const seed = (STAGE_CATALOG as Record<string, { seedMonthlyCny: number } | undefined>)[est.stage as Stage]?.seedMonthlyCny;
  return seed === undefined ? undefined : `the seed's estimate for stage ${est.stage}: ${cny(seed)}/month`;
}

/** The mark of each kind of price source, as the text and Markdown plans print it after a line's amount. */
export const PRICE_SOURCE_MARKS: Readonly<Record<PriceSource["kind"], string>> = {
  api: "A",
  page: "P",
  config: "C",
  unverified: "U",
  none: "-",
  "not-priced": "?",
};

/** `[A]`, `[P]`, ... for a line. */
export function sourceMark(l: Pick<CostLine, "priceSource">): string {
  return `[${PRICE_SOURCE_MARKS[l.priceSource.kind]}]`;
}

/** The legend of the marks the estimate's priced lines use (and always the four kinds, so a reader sees what is missing). */
export function sourceLegend(est: CostEstimate): string {
  const f = est.options.priceFile;
  const api = f === undefined ? "BSS price API (none: no price file; npm run prices -- --refresh)" : `BSS price API (prices/${f.region}.json, ${f.date})`;
  const range = `x${est.options.unverifiedRange.low}-x${est.options.unverifiedRange.high}`;
  return `price sources: [A] ${api}; [P] published page (URL and reading date in lib/cost/prices.ts); [C] stack config (photo-analytics:cost); [U] unverified reading (range ${range})`;
}

/** How many priced lines (amount not 0) rest on each kind of source, e.g. `A 0, P 9, C 0, U 15`. */
function sourceCounts(est: CostEstimate): string {
  const lines = est.lines.filter((l) => l.monthlyCny !== 0);
  return (["api", "page", "config", "unverified"] as const)
    .map((k) => `${PRICE_SOURCE_MARKS[k]} ${lines.filter((l) => l.priceSource.kind === k).length}`)
    .join(", ");
}

function unverified(prices: PriceTable | undefined): string[] {
  if (!prices) return [];
  const ids = Object.values(prices)
    .filter((p) => !p.verified)
    .map((p) => p.id);
  return ids.length === 0
    ? []
    : [
        `${ids.length} of ${Object.keys(prices).length} prices are unverified readings (verified: false in lib/cost/prices.ts): refresh them from the BSS price API with "npm run prices -- --refresh", or override them in photo-analytics:cost.prices`,
      ];
}

/** True when the estimate has a range (some line rests on an unverified price). */
export function hasRange(est: Pick<CostEstimate, "lowCny" | "highCny" | "totalCny">): boolean {
  return est.lowCny !== est.totalCny || est.highCny !== est.totalCny;
}

/** `¥705.49` or `¥705.49 (estimate; range ¥400.00-¥1,300.00)`. */
export function totalText(est: Pick<CostEstimate, "lowCny" | "highCny" | "totalCny">): string {
  return hasRange(est) ? `${cny(est.totalCny)} (estimate; range ${cny(est.lowCny)}-${cny(est.highCny)})` : cny(est.totalCny);
}

/** The amount a budget is compared with, by `cost.budgetBasis`. */
export function budgetAmount(est: CostEstimate): number {
  const basis = est.options.budgetBasis;
  return basis === "high" ? est.highCny : basis === "low" ? est.lowCny : est.totalCny;
}

function budgetText(est: CostEstimate, budgetCny: number): string {
  const basis = est.options.budgetBasis === "estimate" ? "" : ` (${est.options.budgetBasis} end compared: cost.budgetBasis)`;
  return `budget ${cny(budgetCny)}: ${budgetAmount(est) > budgetCny ? "EXCEEDED" : "within"}${hasRange(est) ? basis : ""}`;
}

/** The lines that make the range, the DataWorks tier and edition, and the warnings. */
function uncertaintyLines(est: CostEstimate): string[] {
  const out: string[] = [];
  if (est.uncertain.length > 0) {
    out.push(`the range comes from unverified prices (x${est.options.unverifiedRange.low}-x${est.options.unverifiedRange.high}; cost.unverifiedRange):`);
    for (const l of est.uncertain.slice(0, 8)) out.push(`  ${l.name} ${l.item}: ${cny(l.lowCny)}-${cny(l.highCny)}`);
    if (est.uncertain.length > 8) out.push(`  and ${est.uncertain.length - 8} smaller lines`);
  }
  const dw = est.dataworks;
  if (dw !== undefined) {
    const tier =
      dw.schedule.tier === undefined
        ? "tier not known"
        : dw.schedule.tier === 0
          ? "within the free quota"
          : `tier ${dw.schedule.tier} (CNY ${dw.schedule.dailyCny}/day)`;
    const byLayer = Object.entries(dw.instancesPerDayByLayer)
      .filter(([, n]) => (n ?? 0) > 0)
      .map(([l, n]) => `${l} ${n}`)
      .join(", ");
    out.push(`DataWorks scheduling: ${dw.schedule.instancesPerDay} successful instances/day${byLayer ? ` (${byLayer})` : ""}, ${tier}`);
    const priced = dw.pricedEdition === dw.edition ? "" : `, priced as ${dw.pricedEdition}`;
    out.push(
      `DataWorks edition: ${dw.edition}${priced} (needs ${dw.neededEdition}: about ${dw.apiCallsPerUp} OpenAPI calls per full up, ${dw.apiCallsPerUpByStack} of them the stack's own; ${dw.apiCallsPerRefresh} per refresh)`,
    );
  }
  for (const w of est.warnings) out.push(`warning: ${w}`);
  return out;
}

/** Text lines: total, per layer, per resource with formulas, not-priced types, budget. */
export function costLinesText(est: CostEstimate, opts: { budgetCny?: number; prices?: PriceTable } = {}): string[] {
  const out = ["", `Monthly cost estimate: ${totalText(est)}`];
  const seed = seedLine(est);
  if (seed) out.push(`  (${seed})`);
  if (opts.budgetCny !== undefined) out.push(`  ${budgetText(est, opts.budgetCny)}`);
  out.push(...uncertaintyLines(est).map((s) => `  ${s}`));
  out.push("  by layer:");
  for (const l of COST_LAYERS) if (est.byLayer[l] !== 0) out.push(`    ${l.padEnd(9)} ${cny(est.byLayer[l])}`);
  out.push(`  by resource (${sourceCounts(est)}):`);
  for (const l of est.lines.filter((x) => x.monthlyCny !== 0)) {
    out.push(`    ${l.name} ${l.item}: ${cny(l.monthlyCny)} ${sourceMark(l)} = ${l.formula}`);
  }
  out.push(`  ${sourceLegend(est)}`);
  if (est.free.length > 0) {
    out.push("  ¥0 by rule:");
    for (const f of est.free) out.push(`    ${f.type} x${f.count}: ${f.reason}`);
  }
  if (est.notPriced.length > 0) out.push(`  not priced (counted as ¥0): ${est.notPriced.join(", ")}`);
  out.push(...unverified(opts.prices).map((s) => `  ${s}`));
  return out;
}

/** Markdown lines: a heading, a per-layer table and a per-resource table. */
export function costLinesMarkdown(est: CostEstimate, opts: { budgetCny?: number; prices?: PriceTable } = {}): string[] {
  const out = ["#### Monthly cost estimate", ""];
  const seed = seedLine(est);
  const budget = opts.budgetCny === undefined ? "" : ` — ${budgetText(est, opts.budgetCny).replace("EXCEEDED", "**exceeded**")}`;
  out.push(`**${totalText(est)} / month**${budget}${seed ? ` (${seed})` : ""}`, "");
  const u = uncertaintyLines(est);
  if (u.length > 0) out.push(...u.map((x) => (x.startsWith("  ") ? `  - ${x.trim()}` : `- ${x}`)), "");
  out.push("| layer | CNY / month |", "|---|---:|");
  for (const l of COST_LAYERS) if (est.byLayer[l] !== 0) out.push(`| ${l} | ${cny(est.byLayer[l])} |`);
  out.push(
    "",
    `<details><summary>per resource (${sourceCounts(est)})</summary>`,
    "",
    "| resource | item | CNY / month | price | how |",
    "|---|---|---:|:---:|---|",
  );
  for (const l of est.lines.filter((x) => x.monthlyCny !== 0))
    out.push(`| \`${l.name}\` | ${l.item} | ${cny(l.monthlyCny)} | ${sourceMark(l)} | ${l.formula} |`);
  out.push("", sourceLegend(est));
  if (est.free.length > 0) {
    out.push("", "¥0 by rule:", "");
    for (const f of est.free) out.push(`- \`${f.type}\` ×${f.count}: ${f.reason}`);
  }
  out.push("", "</details>");
  if (est.notPriced.length > 0) out.push("", `Not priced (counted as ¥0): ${est.notPriced.map((t) => `\`${t}\``).join(", ")}`);
  out.push(...unverified(opts.prices).map((s) => `\n${s}`));
  return out;
}

/** Text lines of the monthly delta. */
export function costDeltaLinesText(d: CostDelta): string[] {
  const out = ["", `Monthly cost: ${cny(d.beforeCny)} -> ${cny(d.afterCny)} (${signedCny(d.deltaCny)})${deltaRange(d)}`];
  for (const l of d.byLayer) out.push(`  ${l.layer.padEnd(9)} ${cny(l.beforeCny)} -> ${cny(l.afterCny)} (${signedCny(l.deltaCny)})`);
  for (const r of d.resources) out.push(`  ${r.name}: ${cny(r.beforeCny)} -> ${cny(r.afterCny)} (${signedCny(r.deltaCny)})`);
  return out;
}

/** Markdown lines of the monthly delta. */
export function costDeltaLinesMarkdown(d: CostDelta): string[] {
  const out = ["#### Monthly cost", "", `**${cny(d.beforeCny)} → ${cny(d.afterCny)} (${signedCny(d.deltaCny)})**${deltaRange(d)}`];
  if (d.byLayer.length > 0) {
    out.push("", "| layer | before | after | change |", "|---|---:|---:|---:|");
    for (const l of d.byLayer) out.push(`| ${l.layer} | ${cny(l.beforeCny)} | ${cny(l.afterCny)} | ${signedCny(l.deltaCny)} |`);
  }
  if (d.resources.length > 0) {
    out.push("", "| resource | before | after | change |", "|---|---:|---:|---:|");
    for (const r of d.resources) out.push(`| \`${r.name}\` | ${cny(r.beforeCny)} | ${cny(r.afterCny)} | ${signedCny(r.deltaCny)} |`);
  }
  return out;
}

/** `; estimate, range ¥a-¥b -> ¥c-¥d` when either side has a range. */
function deltaRange(d: CostDelta): string {
  const b = { totalCny: d.beforeCny, ...d.before };
  const a = { totalCny: d.afterCny, ...d.after };
  if (!hasRange(b) && !hasRange(a)) return "";
  return `; estimate, range ${cny(b.lowCny)}-${cny(b.highCny)} -> ${cny(a.lowCny)}-${cny(a.highCny)}`;
}
