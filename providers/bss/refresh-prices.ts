/**
 * `npm run prices -- --refresh`'s work for one region: asks the BSS price API
 * (providers/bss/client.ts) for every item of lib/cost/bss-items.ts and the DataWorks scheduling
 * tiers, and returns the price file (lib/cost/price-file.ts). An item the API cannot price (no
 * matching module, an attribute the item cannot choose, a refused request) is listed in
 * `missing` with the reason; the plan keeps lib/cost/prices.ts's price for it. A refusal that
 * concerns the caller rather than the item (credentials, permission, the site) stops the refresh:
 * {@link CannotRefreshError}.
 */
import { AlibabaApiError, transportFailure } from "../common/errors";
import {
  BSS_ITEMS,
  BssItemSpec,
  BssPricingModules,
  BssProduct,
  findProduct,
  planRequest,
  planScheduleTiers,
  SCHEDULE_TIERS_SPEC,
} from "../../lib/cost/bss-items";
import { PRICE_FILE_FORMAT, PriceFile, PriceFileItem, PriceFileMissing, PriceFileScheduleTiers } from "../../lib/cost/price-file";
import type { BssPriceApi } from "./client";

/** The refresh cannot run for this caller (credentials, permission, site, network): nothing was written. */
export class CannotRefreshError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CannotRefreshError";
  }
}

/**
 * Codes (and prefixes) that concern the caller, not the item: a wrong or disabled AccessKey, a
 * bad signature, a RAM identity without `bss:DescribePrice`, an account the API does not serve
 * (GetPayAsYouGoPrice's documented `NotApplicable`: "This API is not applicable for caller").
 */
const CALLER_CODES = [
  /^InvalidAccessKey/,
  /^SignatureDoesNotMatch/,
  /^IncompleteSignature/,
  /^InvalidSecurityToken/,
  /^Forbidden/,
  /^NoPermission/,
  /^NotAuthorized/,
  /^NotApplicable$/,
];

function callerProblem(e: unknown): string | undefined {
  const t = transportFailure(e);
  if (t !== undefined) return `no answer from the BSS API (${t.reason})`;
  if (e instanceof AlibabaApiError && CALLER_CODES.some((re) => re.test(e.code))) {
    const ram = /^(Forbidden|NoPermission|NotAuthorized)/.test(e.code) ? " (the RAM identity needs bss:DescribePrice)" : "";
    return `${e.message}${ram}`;
  }
  return undefined;
}

const describe = (e: unknown) =>
  e instanceof AlibabaApiError
    ? `${e.action} ${e.code}: ${e.apiMessage}${e.requestId ? ` [request id ${e.requestId}]` : ""}`
    : String((e as Error)?.message ?? e);

/** Runs `f`; a caller problem becomes {@link CannotRefreshError}, anything else is returned as the item's reason. */
async function attempt<T>(f: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; why: string }> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    const caller = callerProblem(e);
    if (caller !== undefined) throw new CannotRefreshError(caller);
    return { ok: false, why: describe(e) };
  }
}

/** The price file of `region` as the BSS API answers today (`date`, YYYY-MM-DD). */
export async function refreshPrices(api: BssPriceApi, region: string, date: string, items: readonly BssItemSpec[] = BSS_ITEMS): Promise<PriceFile> {
  const listed = await attempt(() => api.queryProductList());
  if (!listed.ok) throw new CannotRefreshError(`QueryProductList failed: ${listed.why}`);
  const products: BssProduct[] = listed.value;
  const modules = new Map<string, Promise<{ ok: true; value: BssPricingModules } | { ok: false; why: string }>>();
  const pricingModules = (p: BssProduct, subscriptionType: "PayAsYouGo" | "Subscription") => {
    const key = `${p.productCode}/${p.productType}/${subscriptionType}`;
    if (!modules.has(key))
      modules.set(
        key,
        attempt(() => api.describePricingModule({ productCode: p.productCode, productType: p.productType || undefined, subscriptionType })),
      );
    return modules.get(key)!;
  };

  const found: PriceFileItem[] = [];
  const missing: PriceFileMissing[] = [];
  for (const spec of items) {
    const product = findProduct(products, spec.product, spec.subscriptionType);
    if (product === undefined) {
      missing.push({ id: spec.id, why: `no product ${spec.product.codes.join(" or ")} (or named like ${spec.product.name}) in QueryProductList` });
      continue;
    }
    const pm = await pricingModules(product, spec.subscriptionType);
    if (!pm.ok) {
      missing.push({ id: spec.id, why: `DescribePricingModule ${product.productCode} ${spec.subscriptionType}: ${pm.why}` });
      continue;
    }
    const plan = planRequest(spec, pm.value);
    if (!plan.ok) {
      missing.push({ id: spec.id, why: `${product.productCode} ${spec.subscriptionType}: ${plan.why}` });
      continue;
    }
    const ask = { productCode: product.productCode, productType: product.productType || undefined, region };
    const answer = await attempt(() =>
      spec.subscriptionType === "Subscription"
        ? api.getSubscriptionPrice({ ...ask, modules: [{ moduleCode: plan.moduleCode, config: plan.config }], months: 1 })
        : api.getPayAsYouGoPrice({ ...ask, modules: [{ moduleCode: plan.moduleCode, config: plan.config, priceType: plan.priceType }] }),
    );
    if (!answer.ok) {
      missing.push({ id: spec.id, why: answer.why });
      continue;
    }
    const a = answer.value;
    if (a.currency !== "CNY") {
      throw new CannotRefreshError(
        `the BSS API answers prices in ${a.currency || "no currency"}, not CNY: the account is on the international site, whose prices are set separately (the model's prices are China-site CNY)`,
      );
    }
    const detail = a.modules.find((m) => m.moduleCode === plan.moduleCode);
    const cost = spec.subscriptionType === "Subscription" ? a.originalPrice : detail?.originalCost;
    if (cost === undefined || !Number.isFinite(cost) || cost < 0) {
      missing.push({ id: spec.id, why: `the answer has no original price for module ${plan.moduleCode} [request id ${a.requestId}]` });
      continue;
    }
    found.push({
      id: spec.id,
      productCode: product.productCode,
      ...(product.productType ? { productType: product.productType } : {}),
      subscriptionType: spec.subscriptionType,
      moduleCode: plan.moduleCode,
      priceType: plan.priceType,
      config: plan.config,
      unitPrice: roundPrice(cost * plan.scale),
      currency: a.currency,
      date,
      requestId: a.requestId,
    });
  }

  const tiers = await scheduleTiers(api, products, pricingModules, region, date);
  if ("why" in tiers) missing.push({ id: "dataworks.schedule.tiers", why: tiers.why });
  return {
    format: PRICE_FILE_FORMAT,
    region,
    date,
    currency: "CNY",
    items: found,
    ...("tiers" in tiers ? { dataworksScheduleTiers: tiers } : {}),
    missing,
  };
}

/** Prices to 6 decimals (fen of a fen), so that float noise does not reach the file. */
function roundPrice(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

async function scheduleTiers(
  api: BssPriceApi,
  products: readonly BssProduct[],
  pricingModules: (p: BssProduct, s: "PayAsYouGo" | "Subscription") => Promise<{ ok: true; value: BssPricingModules } | { ok: false; why: string }>,
  region: string,
  date: string,
): Promise<PriceFileScheduleTiers | { why: string }> {
  const product = findProduct(products, SCHEDULE_TIERS_SPEC.product, SCHEDULE_TIERS_SPEC.subscriptionType);
  if (product === undefined) return { why: "no DataWorks product in QueryProductList" };
  const pm = await pricingModules(product, "PayAsYouGo");
  if (!pm.ok) return { why: `DescribePricingModule ${product.productCode} PayAsYouGo: ${pm.why}` };
  const plan = planScheduleTiers(pm.value);
  if (!plan.ok) return { why: `${product.productCode}: ${plan.why}` };
  const out: PriceFileScheduleTiers["tiers"][number][] = [];
  for (const t of plan.tiers) {
    const answer = await attempt(() =>
      api.getPayAsYouGoPrice({
        productCode: product.productCode,
        productType: product.productType || undefined,
        region,
        modules: [{ moduleCode: plan.moduleCode, config: t.config, priceType: plan.priceType }],
      }),
    );
    if (!answer.ok) return { why: `tier ${t.config}: ${answer.why}` };
    const cost = answer.value.modules.find((m) => m.moduleCode === plan.moduleCode)?.originalCost;
    if (cost === undefined || !Number.isFinite(cost)) return { why: `tier ${t.config}: no original price [request id ${answer.value.requestId}]` };
    out.push({ maxInstancesPerDay: t.maxInstancesPerDay, dailyCny: roundPrice(cost * plan.scale), config: t.config, requestId: answer.value.requestId });
  }
  return { productCode: product.productCode, moduleCode: plan.moduleCode, date, freeInstancesPerDay: 0, tiers: out };
}
