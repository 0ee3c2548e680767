/**
 * The price file: what `npm run prices -- --refresh` read from the BSS price API for one region,
 * dated, one item per price id with the product and pricing module it was asked for and the
 * answer's request id, as the plan then uses it (`prices/<region>.json`, read by
 * project-files.ts). Pure: parsing, validation and rendering only; no fs, no network.
 *
 *   {
 *     "format": "photo-analytics/prices@1",
 *     "region": "cn-shanghai", "date": "2026-12-05", "currency": "CNY",
 *     "items": [{ "id": "dts.sync.micro.hour", "productCode": "dts", "subscriptionType": "PayAsYouGo",
 *                 "moduleCode": "InstanceClass", "priceType": "Hour", "config": "InstanceClass:micro",
 *                 "unitPrice": 0.55, "currency": "CNY", "date": "2026-12-05", "requestId": "..." }],
 *     "dataworksScheduleTiers": { "productCode": "dide", "moduleCode": "...", "date": "...",
 *                 "freeInstancesPerDay": 0, "tiers": [{ "maxInstancesPerDay": 100, "dailyCny": 0, "requestId": "..." }] },
 *     "missing": [{ "id": "sls.ship.cu", "why": "..." }]
 *   }
 */
import { ScheduleTiers } from "./dataworks";
import { ApiPrice, PRICE_IDS } from "./prices";

/** The format tag every price file starts with. */
export const PRICE_FILE_FORMAT = "photo-analytics/prices@1";

/** One unit price as the API answered it. */
export interface PriceFileItem {
  /** The price id (lib/cost/prices.ts). */
  readonly id: string;
  readonly productCode: string;
  readonly productType?: string;
  readonly subscriptionType: "PayAsYouGo" | "Subscription";
  readonly moduleCode: string;
  /** `Hour`, `Day`, `Usage`, `Month`... as DescribePricingModule gives it. */
  readonly priceType: string;
  /** `ModuleList.N.Config` as sent. */
  readonly config: string;
  /** CNY per the price id's unit (the API's original price, converted to the unit when it priced another quantity). */
  readonly unitPrice: number;
  readonly currency: string;
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly requestId: string;
}

/** One tier of the DataWorks scheduling fee as the API answered it. */
export interface PriceFileTier {
  readonly maxInstancesPerDay: number | null;
  readonly dailyCny: number;
  /** The attribute value the tier was asked with. */
  readonly config: string;
  readonly requestId: string;
}

/** The DataWorks scheduling tiers, where the pricing module exposes them. */
export interface PriceFileScheduleTiers {
  readonly productCode: string;
  readonly moduleCode: string;
  readonly date: string;
  readonly freeInstancesPerDay: number;
  readonly tiers: readonly PriceFileTier[];
}

/** An item the API could not price, and why (the plan keeps the default price for it). */
export interface PriceFileMissing {
  readonly id: string;
  readonly why: string;
}

export interface PriceFile {
  readonly format: typeof PRICE_FILE_FORMAT;
  readonly region: string;
  /** When the refresh ran (YYYY-MM-DD). */
  readonly date: string;
  readonly currency: string;
  readonly items: readonly PriceFileItem[];
  readonly dataworksScheduleTiers?: PriceFileScheduleTiers;
  readonly missing: readonly PriceFileMissing[];
}

/** A price file that cannot be used: names the file, the field and what is expected. */
export class PriceFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PriceFileError";
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Parses and validates a price file's text. `where` names it in errors. Throws
 * {@link PriceFileError} naming the field, the value and what is allowed.
 */
export function parsePriceFile(text: string, where: string): PriceFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PriceFileError(`${where}: not JSON (${(e as Error).message.split("\n")[0]}); rewrite it with "npm run prices -- --refresh"`);
  }
  const bad = (field: string, v: unknown, allowed: string): never => {
    throw new PriceFileError(`${where}: ${field} is ${JSON.stringify(v)}; expected ${allowed} (rewrite the file with "npm run prices -- --refresh")`);
  };
  if (!isObj(doc)) return bad("the file", doc, "an object");
  if (doc.format !== PRICE_FILE_FORMAT) bad("format", doc.format, JSON.stringify(PRICE_FILE_FORMAT));
  if (typeof doc.region !== "string" || doc.region === "") bad("region", doc.region, "a region id");
  if (typeof doc.date !== "string" || !DATE.test(doc.date)) bad("date", doc.date, "YYYY-MM-DD");
  if (doc.currency !== "CNY") bad("currency", doc.currency, '"CNY" (China-site prices; USD prices are not conversions of them)');
  if (!Array.isArray(doc.items)) bad("items", doc.items, "an array");
  const items = doc.items as unknown[];
  items.forEach((it, i) => {
    const f = `items[${i}]`;
    if (!isObj(it)) return bad(f, it, "an object");
    if (typeof it.id !== "string" || !PRICE_IDS.includes(it.id)) bad(`${f}.id`, it.id, `one of ${PRICE_IDS.join(", ")}`);
    for (const k of ["productCode", "moduleCode", "priceType", "config", "requestId"] as const) {
      if (typeof it[k] !== "string") bad(`${f}.${k}`, it[k], "a string");
    }
    if (it.subscriptionType !== "PayAsYouGo" && it.subscriptionType !== "Subscription")
      bad(`${f}.subscriptionType`, it.subscriptionType, '"PayAsYouGo" or "Subscription"');
    if (typeof it.unitPrice !== "number" || !Number.isFinite(it.unitPrice) || it.unitPrice < 0) bad(`${f}.unitPrice`, it.unitPrice, "a number >= 0");
    if (it.currency !== "CNY") bad(`${f}.currency`, it.currency, '"CNY"');
    if (typeof it.date !== "string" || !DATE.test(it.date)) bad(`${f}.date`, it.date, "YYYY-MM-DD");
  });
  const t = doc.dataworksScheduleTiers;
  if (t !== undefined) {
    if (!isObj(t) || !Array.isArray(t.tiers)) return bad("dataworksScheduleTiers", t, "{productCode, moduleCode, date, freeInstancesPerDay, tiers: [...]}");
    if (typeof t.freeInstancesPerDay !== "number" || t.freeInstancesPerDay < 0)
      bad("dataworksScheduleTiers.freeInstancesPerDay", t.freeInstancesPerDay, "a number >= 0");
    let last = 0;
    (t.tiers as unknown[]).forEach((x, i) => {
      const f = `dataworksScheduleTiers.tiers[${i}]`;
      if (!isObj(x)) return bad(f, x, "an object");
      const max = x.maxInstancesPerDay;
      const open = max === null && i === (t.tiers as unknown[]).length - 1;
      if (!open && (typeof max !== "number" || max <= last)) bad(`${f}.maxInstancesPerDay`, max, `a number above ${last} (only the last tier may be null)`);
      if (typeof max === "number") last = max;
      if (typeof x.dailyCny !== "number" || x.dailyCny < 0) bad(`${f}.dailyCny`, x.dailyCny, "a number >= 0");
    });
  }
  if (!Array.isArray(doc.missing)) bad("missing", doc.missing, "an array (empty when every item was priced)");
  return doc as unknown as PriceFile;
}

/** The file's text: stable key order, two-space indent, items by id. */
export function renderPriceFile(f: PriceFile): string {
  const sorted: PriceFile = {
    format: f.format,
    region: f.region,
    date: f.date,
    currency: f.currency,
    items: [...f.items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    ...(f.dataworksScheduleTiers !== undefined ? { dataworksScheduleTiers: f.dataworksScheduleTiers } : {}),
    missing: [...f.missing].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
  return JSON.stringify(sorted, null, 2) + "\n";
}

/** The file's unit prices, as lib/cost/prices.ts `priceTable` takes them. */
export function apiPricesOf(f: PriceFile): ApiPrice[] {
  return f.items.map((it) => ({
    id: it.id,
    cny: it.unitPrice,
    reading: { productCode: it.productCode, moduleCode: it.moduleCode, config: it.config, date: it.date, requestId: it.requestId, region: f.region },
  }));
}

/** The file's scheduling tiers, as lib/cost/dataworks.ts takes them; undefined when the file has none. */
export function scheduleTiersOf(f: PriceFile): ScheduleTiers | undefined {
  const t = f.dataworksScheduleTiers;
  if (t === undefined || t.tiers.length === 0) return undefined;
  const source = `BSS price API (${t.productCode} ${t.moduleCode}, ${f.region})`;
  return {
    freeInstancesPerDay: t.freeInstancesPerDay,
    tiers: t.tiers.map((x) => ({
      maxInstancesPerDay: x.maxInstancesPerDay,
      dailyCny: x.dailyCny,
      source,
      checked: t.date,
      verified: true,
      api: { productCode: t.productCode, moduleCode: t.moduleCode, config: x.config, date: t.date, requestId: x.requestId, region: f.region },
    })),
  };
}
