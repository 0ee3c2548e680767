/**
 * `npm run prices [-- --region <id>]`: the unit prices the plan uses for a region, each with
 * where it comes from (BSS price API, published page, stack config, unverified reading).
 *
 * `npm run prices -- --refresh [--region <id>]`: asks the BSS price API (read-only,
 * `bss:DescribePrice`, with the credentials of the one chain, providers/common/credentials.ts)
 * for every priced item and writes the dated price file `prices/<region>.json` that the plan then
 * uses (lib/cost/price-file.ts). Without `--region`: every region the stack files name.
 */
import * as fs from "fs";
import * as path from "path";
import { notOneOfMessage } from "../lib/config/config-error";
import { REGION_IDS, isRegionId } from "../lib/config/regions";
import { resolveCostConfig } from "../lib/cost/config";
import { PRICE_IDS, priceSourceOf, PriceTable } from "../lib/cost/prices";
import { PRICE_SOURCE_MARKS } from "../lib/cost/render";
import { EXIT } from "../lib/exit-codes";
import { priceFilePath, readPriceFile, readStackFile, writePriceFile } from "../project-files";
import { CommandError, defineCommand, UsageError } from "./command";

interface Options {
  refresh?: boolean;
  region?: string;
}

/** Today in China time (the BSS bills by UTC+8 days), YYYY-MM-DD. */
function today(now: number = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The regions to price: `--region`, else every `alicloud:region` the stack files name. */
function regionsOf(opts: Options, root: string): string[] {
  if (opts.region !== undefined) {
    if (!isRegionId(opts.region)) throw new UsageError(notOneOfMessage("--region", JSON.stringify(opts.region), opts.region, REGION_IDS));
    return [opts.region];
  }
  const stacks = fs.readdirSync(root).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));
  const regions = new Set<string>();
  for (const f of stacks) {
    const r = readStackFile(path.join(root, f)).values["alicloud:region"];
    if (r !== undefined && isRegionId(r)) regions.add(r);
  }
  if (regions.size === 0) throw new UsageError("no stack file names alicloud:region: give --region <id> (e.g. --region cn-shanghai)");
  return [...regions].sort();
}

/** The price table of a region as the plan reads it, one line per price id. */
function tableLines(region: string, root: string): string[] {
  const file = readPriceFile(region, root);
  const prices: PriceTable = resolveCostConfig(undefined, file).prices;
  const head = file
    ? `prices for ${region}: ${path.relative(root, priceFilePath(region, root))} of ${file.date} (${file.items.length} from the BSS price API${file.missing.length ? `, ${file.missing.length} not found there` : ""}) over lib/cost/prices.ts`
    : `prices for ${region}: lib/cost/prices.ts (no ${path.relative(root, priceFilePath(region, root))}: "npm run prices -- --refresh" writes it)`;
  const width = Math.max(...PRICE_IDS.map((id) => id.length));
  const out = [head];
  for (const id of PRICE_IDS) {
    const p = prices[id];
    if (p === undefined) {
      out.push(`  [${PRICE_SOURCE_MARKS["not-priced"]}] ${id.padEnd(width)}  not priced (no published price; the BSS price API or cost.prices sets it)`);
      continue;
    }
    const s = priceSourceOf(p);
    const where =
      s.kind === "api"
        ? `BSS price API ${s.productCode}/${s.moduleCode}, ${s.date}, request ${s.requestId}`
        : s.kind === "page" || s.kind === "unverified"
          ? `${s.kind === "unverified" ? "unverified reading of " : ""}${s.url} (${s.date})`
          : s.kind === "config"
            ? s.key
            : "";
    out.push(`  [${PRICE_SOURCE_MARKS[s.kind]}] ${id.padEnd(width)}  CNY ${String(p.cny).padEnd(7)} per ${p.unit}; ${where}`);
  }
  if (file && file.missing.length > 0) out.push(...file.missing.map((m) => `  not found in the BSS price API: ${m.id}: ${m.why}`));
  return out;
}

export const command = defineCommand<Options>({
  name: "prices",
  summary: "The unit prices the plan uses and where each comes from; --refresh asks the BSS price API and writes prices/<region>.json",
  options: (p) =>
    p
      .option("--refresh", "ask the BSS price API (bss:DescribePrice, read-only; the credentials chain of every command) and write prices/<region>.json")
      .option("--region <id>", "the region to price (default: every alicloud:region of the stack files)"),
  exitCodes: {
    0: "the prices printed; with --refresh: every item priced and the price file written",
    1: "bad option (a region id that does not exist), no region to price, an unreadable price file",
    2: "with --refresh: cannot refresh (no credentials, no bss:DescribePrice, no answer, an international-site account: nothing written), or some items not found in the price API (the file written with the rest, each listed)",
  },
  examples: ["npm run prices", "npm run prices -- --refresh", "npm run prices -- --refresh --region cn-shanghai"],
  run: async (opts, { io, root }) => {
    const regions = regionsOf(opts, root);
    if (!opts.refresh) {
      io.stdout(regions.map((r) => tableLines(r, root).join("\n")).join("\n\n") + "\n");
      return EXIT.ok;
    }
    // Loaded only for a refresh: printing the table needs neither the SDK nor credentials.
    const { MissingCredentialsError, resolveCredentials } = require("../providers/common/credentials") as typeof import("../providers/common/credentials");
    const { BssClient } = require("../providers/bss/client") as typeof import("../providers/bss/client");
    const { CannotRefreshError, refreshPrices } = require("../providers/bss/refresh-prices") as typeof import("../providers/bss/refresh-prices");
    let client: InstanceType<typeof BssClient>;
    try {
      client = new BssClient(await resolveCredentials(undefined, io.env), io.env);
    } catch (e) {
      if (e instanceof MissingCredentialsError) {
        // The chain's own detail (each SDK step's failure) is noise here, and this command reads no stack: name the other sources.
        const sources = e.summary.replace("set the stack's alicloud:accessKey and alicloud:secretKey (pulumi config set --secret), or ", "set ");
        throw new CommandError(`cannot refresh: ${sources} (a RAM identity with bss:DescribePrice is enough); nothing written`, EXIT.cannotCheck);
      }
      throw e;
    }
    let missing = 0;
    for (const region of regions) {
      let file;
      try {
        file = await refreshPrices(client, region, today());
      } catch (e) {
        if (e instanceof CannotRefreshError) throw new CommandError(`cannot refresh ${region}: ${e.message}; nothing written`, EXIT.cannotCheck);
        throw e;
      }
      const written = writePriceFile(file, root);
      const tiers = file.dataworksScheduleTiers ? `, DataWorks scheduling: ${file.dataworksScheduleTiers.tiers.length} tiers` : "";
      io.stdout(`wrote ${written}: ${file.items.length} prices from the BSS price API (${file.date})${tiers}\n`);
      if (file.missing.length > 0) {
        io.stdout(`  not found (the plan keeps lib/cost/prices.ts's price for these):\n${file.missing.map((m) => `    ${m.id}: ${m.why}`).join("\n")}\n`);
      }
      missing += file.missing.length;
    }
    return missing > 0 ? EXIT.changes : EXIT.ok;
  },
});

export const main = command.main;
