/**
 * Lines for the plan's `extra` (text and Markdown): the monthly estimate, and
 * the monthly delta for diffs. Pure.
 */
import { STAGE_CATALOG } from "../config/stage-catalog";
import { Stage } from "../config/types";
import { COST_LAYERS, CostDelta, CostEstimate } from "./model";
import { PriceTable } from "./prices";

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

function unverified(prices: PriceTable | undefined): string[] {
  if (!prices) return [];
  const ids = Object.values(prices)
    .filter((p) => !p.verified)
    .map((p) => p.id);
  return ids.length === 0
    ? []
    : [
        `${ids.length} of ${Object.keys(prices).length} prices are buy-page readings (verified: false in lib/cost/prices.ts): check and override them in photo-analytics:cost.prices`,
      ];
}

/** Text lines: total, per layer, per resource with formulas, not-priced types, budget. */
export function costLinesText(est: CostEstimate, opts: { budgetCny?: number; prices?: PriceTable } = {}): string[] {
  const out = ["", `Monthly cost estimate: ${cny(est.totalCny)}`];
  const seed = seedLine(est);
  if (seed) out.push(`  (${seed})`);
  if (opts.budgetCny !== undefined) out.push(`  budget ${cny(opts.budgetCny)}: ${est.totalCny > opts.budgetCny ? "EXCEEDED" : "within"}`);
  out.push("  by layer:");
  for (const l of COST_LAYERS) if (est.byLayer[l] !== 0) out.push(`    ${l.padEnd(9)} ${cny(est.byLayer[l])}`);
  out.push("  by resource:");
  for (const l of est.lines.filter((x) => x.monthlyCny !== 0)) {
    out.push(`    ${l.name} ${l.item}: ${cny(l.monthlyCny)} = ${l.formula}`);
  }
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
  const budget = opts.budgetCny === undefined ? "" : ` — budget ${cny(opts.budgetCny)}: ${est.totalCny > opts.budgetCny ? "**exceeded**" : "within"}`;
  out.push(`**${cny(est.totalCny)} / month**${budget}${seed ? ` (${seed})` : ""}`, "");
  out.push("| layer | CNY / month |", "|---|---:|");
  for (const l of COST_LAYERS) if (est.byLayer[l] !== 0) out.push(`| ${l} | ${cny(est.byLayer[l])} |`);
  out.push("", "<details><summary>per resource</summary>", "", "| resource | item | CNY / month | how |", "|---|---|---:|---|");
  for (const l of est.lines.filter((x) => x.monthlyCny !== 0)) out.push(`| \`${l.name}\` | ${l.item} | ${cny(l.monthlyCny)} | ${l.formula} |`);
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
  const out = ["", `Monthly cost: ${cny(d.beforeCny)} -> ${cny(d.afterCny)} (${signedCny(d.deltaCny)})`];
  for (const l of d.byLayer) out.push(`  ${l.layer.padEnd(9)} ${cny(l.beforeCny)} -> ${cny(l.afterCny)} (${signedCny(l.deltaCny)})`);
  for (const r of d.resources) out.push(`  ${r.name}: ${cny(r.beforeCny)} -> ${cny(r.afterCny)} (${signedCny(r.deltaCny)})`);
  return out;
}

/** Markdown lines of the monthly delta. */
export function costDeltaLinesMarkdown(d: CostDelta): string[] {
  const out = ["#### Monthly cost", "", `**${cny(d.beforeCny)} → ${cny(d.afterCny)} (${signedCny(d.deltaCny)})**`];
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
