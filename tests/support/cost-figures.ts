/**
 * The cost figures docs/ quotes, regenerated from the current plan: the prod stack (its stack
 * file, default sizes, its region's price file if one exists) at each stage and with each
 * realtime engine, priced by lib/cost. Each docs page holds them between
 * `<!-- cost-figures:<name> ... -->` and `<!-- /cost-figures -->`; tests/docs-cost-figures.test.ts
 * fails when a block differs from what is generated here (`UPDATE_DOCS=1` rewrites them).
 *
 * The seed's own figures are quoted verbatim, in 「」, from docs/seed/ (a byte copy of the
 * planning document): never restated in other units or words.
 */
import * as path from "path";
import { stackConfig } from "../../project-files";
import { recordPlan } from "../../plan-engine/record-plan";
import { costConfigFromValues } from "../../lib/cost/config";
import { CostEstimate, CostLine, estimate } from "../../lib/cost/model";
import { priceSourceOf, PRICE_IDS } from "../../lib/cost/prices";
import { cny, PRICE_SOURCE_MARKS, sourceMark } from "../../lib/cost/render";
import { Stage, STAGES } from "../../lib/config/types";
import { readPriceFile } from "../../project-files";
import { CANAL_VALUES } from "./canal";
import { FLINK_CONFIG } from "./flink";

export const ROOT = path.join(__dirname, "..", "..");
/** The planning document, as docs/ quotes it. */
export const SEED_FILE = path.join(ROOT, "docs", "seed", "dataworks-realtime-sync-plan.zh.md");

export const ENGINES = ["dts", "dataworks-flink", "sls", "canal-datahub"] as const;
export type Engine = (typeof ENGINES)[number];

/** The seed's figure for each engine and stage, verbatim (checked against SEED_FILE). */
export const SEED_ENGINE_QUOTES: Readonly<Record<Engine, string>> = {
  dts: "「成本：中（约￥800/月）」",
  "dataworks-flink": "「成本：高（约￥2000/月）」",
  sls: "「SLS费用：￥50/月」 「查询费用：￥20/月」",
  "canal-datahub": "「成本：中（约￥600/月）」",
};
export const SEED_STAGE_QUOTES: Readonly<Record<Stage, string>> = {
  initial: "「💰 成本：￥100/月」",
  growth: "「💰 成本：￥280/月」",
  mature: "「💰 成本：￥1180/月」",
};

const cache = new Map<string, Promise<CostEstimate>>();
/** Plans are recorded one at a time: the mocked Pulumi runtime is one per process. */
let queue: Promise<unknown> = Promise.resolve();

/** The monthly estimate of the prod stack at `stage` with `engine`, as `npm run plan` prints it. */
export function prodEstimate(stage: Stage, engine: Engine): Promise<CostEstimate> {
  const key = `${stage}/${engine}`;
  if (!cache.has(key)) {
    const next = queue.then(() => compute(stage, engine));
    queue = next.catch(() => undefined);
    cache.set(key, next);
  }
  return cache.get(key)!;
}

async function compute(stage: Stage, engine: Engine): Promise<CostEstimate> {
  const input = stackConfig("prod", undefined, stage);
  const k = "photo-analytics:realtime";
  const realtime = JSON.parse(input.values[k] ?? "{}") as Record<string, unknown>;
  const values: Record<string, string> = { ...input.values };
  const secretKeys = new Set(input.secretKeys);
  if (engine === "dataworks-flink") values[k] = JSON.stringify({ ...realtime, ...FLINK_CONFIG });
  else if (engine === "canal-datahub") {
    for (const [key, v] of Object.entries(CANAL_VALUES)) {
      values[key] = key === k ? JSON.stringify({ ...realtime, ...(v as object) }) : String(v);
      if (key !== k) secretKeys.add(key);
    }
  } else values[k] = JSON.stringify({ ...realtime, engine });
  const plan = await recordPlan({ stack: "prod", config: { values, secretKeys } });
  const cost = costConfigFromValues(values, readPriceFile(values["alicloud:region"]));
  return estimate(plan, cost.sizes, cost.prices, cost.options);
}

const range = (e: CostEstimate) => `${cny(e.lowCny)}-${cny(e.highCny)}`;

/** What the total leaves out: the lines not priced, by item (scheduling with its instance count). */
function notInTotal(e: CostEstimate): string {
  const items = [...new Set(e.lines.filter((l) => !l.priced).map((l) => l.item))];
  const out = items.map((i) =>
    i === "scheduling instances" && e.dataworks ? `DataWorks scheduling (${e.dataworks.schedule.instancesPerDay} instances/day)` : i,
  );
  return out.length === 0 ? "—" : out.join(", ");
}

/** A layer's lines summed by item, largest first, with their source marks: `DTS micro (PayAsYouGo) ¥396.00 [U]`. */
function layerLines(e: CostEstimate, layer: string, min = 1): string {
  const byItem = new Map<string, { amount: number; marks: Set<string> }>();
  for (const l of e.lines.filter((x: CostLine) => x.layer === layer && x.monthlyCny !== 0)) {
    const item = l.item.replace(/^DataHub topic \d+ shard\(s\)$/, "DataHub shards");
    const cur = byItem.get(item) ?? { amount: 0, marks: new Set<string>() };
    cur.amount += l.monthlyCny;
    cur.marks.add(sourceMark(l));
    byItem.set(item, cur);
  }
  const all = [...byItem.entries()].sort((a, b) => b[1].amount - a[1].amount);
  const shown = all.filter(([, v]) => v.amount >= min);
  const rest = all.length - shown.length;
  const text = shown.map(([item, v]) => `${item} ${cny(Math.round(v.amount * 100) / 100)} ${[...v.marks].join("")}`).join("; ");
  return rest > 0 ? `${text}; ${rest} smaller line${rest > 1 ? "s" : ""}` : text;
}

const LEGEND = "Marks: [A] BSS price API, [P] published page, [C] stack config, [U] unverified reading (range x0.5-x2), as `npm run plan` prints them.";

/** Every generated block, by name. */
export const BLOCKS: Readonly<Record<string, () => Promise<string>>> = {
  /** docs/realtime-engines.md: the prod stack at mature with each engine. */
  engines: async () => {
    const es = await Promise.all(ENGINES.map((e) => prodEstimate("mature", e)));
    const row = (head: string, f: (e: CostEstimate, i: number) => string) => `| ${head} | ${es.map(f).join(" | ")} |`;
    return [
      "| prod at `mature`, default sizes, a month | `dts` (B) | `dataworks-flink` (A) | `sls` | `canal-datahub` (C) |",
      "|---|---|---|---|---|",
      row("whole stack", (e) => `**${cny(e.totalCny)}**`),
      row("range", (e) => range(e)),
      row("realtime layer", (e) => cny(e.byLayer.realtime)),
      row("its lines from ¥1", (e) => layerLines(e, "realtime")),
      row("not in the total", (e) => notInTotal(e)),
      row("the seed's figure (verbatim)", (_e, i) => SEED_ENGINE_QUOTES[ENGINES[i]]),
      "",
      LEGEND,
    ].join("\n");
  },
  /** docs/cost-model.md: the prod stack (engine dts) at each stage. */
  stages: async () => {
    const out = ["| prod, engine `dts`, default sizes | a month | range | not in the total | the seed's figure (verbatim) |", "|---|---:|---|---|---|"];
    for (const s of STAGES) {
      const e = await prodEstimate(s, "dts");
      out.push(`| \`${s}\` | **${cny(e.totalCny)}** | ${range(e)} | ${notInTotal(e)} | ${SEED_STAGE_QUOTES[s]} |`);
    }
    return out.join("\n");
  },
  /** docs/tracking-events.md: dts against sls at mature. */
  tracking: async () => {
    const [dts, sls] = await Promise.all([prodEstimate("mature", "dts"), prodEstimate("mature", "sls")]);
    return [
      "| `prod` at `mature`, a month | engine `dts` | engine `sls` |",
      "|---|---|---|",
      `| whole stack | **${cny(dts.totalCny)}** (${range(dts)}) | **${cny(sls.totalCny)}** (${range(sls)}) |`,
      `| realtime layer | ${cny(dts.byLayer.realtime)}: ${layerLines(dts, "realtime", 0)} | ${cny(sls.byLayer.realtime)}: ${layerLines(sls, "realtime", 0)} |`,
      `| tracking layer | ${cny(dts.byLayer.tracking)} | ${cny(sls.byLayer.tracking)} |`,
      "",
      LEGEND,
    ].join("\n");
  },
  /** docs/cost-model.md: the price table the plan uses, each price with its source. */
  prices: async () => {
    const e = await prodEstimate("mature", "dts");
    const prices = costConfigFromValues({}, readPriceFile("cn-shanghai")).prices;
    const out = ["| | id | CNY | per | source (date read) |", "|:---:|---|---:|---|---|"];
    for (const id of PRICE_IDS) {
      const p = prices[id];
      if (p === undefined) {
        out.push(`| [${PRICE_SOURCE_MARKS["not-priced"]}] | \`${id}\` | — | — | no published price: the price file or \`cost.prices\` sets it |`);
        continue;
      }
      const s = priceSourceOf(p);
      const where =
        s.kind === "api"
          ? `BSS price API ${s.productCode} ${s.moduleCode} (${s.date})`
          : s.kind === "page" || s.kind === "unverified"
            ? `${s.url} (${s.date})`
            : s.kind;
      out.push(`| [${PRICE_SOURCE_MARKS[s.kind]}] | \`${id}\` | ${p.cny} | ${p.unit} | ${where} |`);
    }
    out.push("", `${LEGEND} Unverified range: x${e.options.unverifiedRange.low}-x${e.options.unverifiedRange.high}.`);
    return out.join("\n");
  },
};
