/**
 * A read-only client of the BSS OpenAPI 2017-12-14 (Alibaba Cloud's billing API) over the
 * official generic client `@alicloud/openapi-client` (RPC style, signed by the client): the four
 * price look-ups `npm run prices -- --refresh` makes. Every one is RAM action `bss:DescribePrice`
 * (read-only). No product SDK is needed.
 *
 * Requests and answers are shaped as the official SDK sends and reads them
 * (aliyun/alibabacloud-typescript-sdk bssopenapi-20171214/src/client.ts and src/models/
 * {QueryProductList,DescribePricingModule,GetPayAsYouGoPrice,GetSubscriptionPrice}{Request,ResponseBody}.ts
 * @06a71f93987bc01319e08965323789ddbe23f7f8): POST, pathname `/`, every parameter in the query,
 * `ModuleList` flattened as `ModuleList.N.ModuleCode` / `.Config` / `.PriceType` (OpenApiUtil.query);
 * answers `{Code, Message, RequestId, Success, Data}`.
 *
 * - QueryProductList `PageNum`, `PageSize`, `QueryTotalCount` -> `Data.{TotalCount, ProductList.Product[].{ProductCode, ProductName, ProductType, SubscriptionType}}`
 * - DescribePricingModule `ProductCode`, `ProductType`, `SubscriptionType` -> `Data.ModuleList.Module[].{ModuleCode, ModuleName, PriceType, Currency, ConfigList.ConfigList[]}`,
 *   `Data.AttributeList.Attribute[].{Code, Name, Unit, Values.AttributeValue[].{Name, Value, Remark, Type}}`
 * - GetPayAsYouGoPrice `ProductCode`, `ProductType`, `SubscriptionType` PayAsYouGo, `Region`, `ModuleList.N.{ModuleCode, Config, PriceType}`
 *   -> `Data.{Currency, ModuleDetails.ModuleDetail[].{ModuleCode, OriginalCost, CostAfterDiscount, InvoiceDiscount, UnitPrice}}`
 * - GetSubscriptionPrice `... OrderType NewOrder, ServicePeriodQuantity, ServicePeriodUnit Month, Quantity, ModuleList.N.{ModuleCode, Config}`
 *   -> `Data.{Currency, OriginalPrice, TradePrice, DiscountPrice, ModuleDetails.ModuleDetail[]...}`
 *
 * The China site's endpoint is `business.aliyuncs.com` (the SDK's endpoint map for every
 * mainland region); CNY prices are China-site prices. Credentials come from the one chain
 * (providers/common/credentials.ts); errors are providers/common/errors.ts's; throttling is
 * retried by providers/common/retry.ts.
 */
import type { Credentials } from "../common/credentials";
import { AlibabaApiError } from "../common/errors";
import { OpenApiCaller, openApiEndpoint, OpenApiTransport } from "../common/openapi";
import { readTimeoutFromEnv, type RetryPolicy } from "../common/retry";
import type { BssAttribute, BssPricingModules, BssProduct } from "../../lib/cost/bss-items";

export const BSS_API_VERSION = "2017-12-14";

/** The China site's BSS endpoint (CNY prices). */
export const BSS_ENDPOINT = "business.aliyuncs.com";

/** Points the client at another endpoint (tests: `http://127.0.0.1:PORT`). */
export const BSS_ENDPOINT_ENV = "PHOTO_ANALYTICS_BSS_ENDPOINT";

/** An error answered by the BSS API (or raised before reaching it), with code and request id. */
export class BssApiError extends AlibabaApiError {
  constructor(e: { action: string; code: string; message: string; requestId?: string; statusCode?: number }) {
    super({ service: "BSS", ...e });
    this.name = "BssApiError";
  }
}

/** One pricing module line of a price request. */
export interface BssModuleRequest {
  readonly moduleCode: string;
  /** `AA:aa,BB:bb` (attribute code : value). */
  readonly config: string;
  /** `Hour`, `Usage`, `Day`, `Month`...; pay-as-you-go only. */
  readonly priceType?: string;
}

/** A price answer: per module, the original (list) price, and the request id. */
export interface BssPriceAnswer {
  readonly currency: string;
  /** The whole order's original price (subscription), else the sum of the modules'. */
  readonly originalPrice: number;
  readonly modules: readonly { readonly moduleCode: string; readonly originalCost: number }[];
  readonly requestId: string;
}

/** What the price refresh asks of BSS (the client below; a seam for tests). */
export interface BssPriceApi {
  queryProductList(): Promise<BssProduct[]>;
  describePricingModule(req: { productCode: string; productType?: string; subscriptionType: "PayAsYouGo" | "Subscription" }): Promise<BssPricingModules>;
  getPayAsYouGoPrice(req: { productCode: string; productType?: string; region: string; modules: readonly BssModuleRequest[] }): Promise<BssPriceAnswer>;
  getSubscriptionPrice(req: {
    productCode: string;
    productType?: string;
    region: string;
    modules: readonly BssModuleRequest[];
    months: number;
  }): Promise<BssPriceAnswer>;
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const num = (v: unknown): number => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN);
/** `{X: {Y: [...]}}` lists as the answers nest them (`ProductList.Product`), tolerating a bare array. */
function list(v: unknown, key: string): Record<string, unknown>[] {
  if (Array.isArray(v)) return v as Record<string, unknown>[];
  const inner = (v as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(inner) ? (inner as Record<string, unknown>[]) : [];
}

export class BssClient implements BssPriceApi {
  private readonly transport: OpenApiTransport;
  /** `https://business.aliyuncs.com`, or the override. */
  readonly endpoint: string;

  constructor(
    credentials: Credentials,
    env: Readonly<Record<string, string | undefined>> = process.env,
    o: { retry?: RetryPolicy; sleep?: (ms: number) => Promise<void>; readTimeoutMs?: number; caller?: OpenApiCaller } = {},
  ) {
    this.transport = new OpenApiTransport({
      version: BSS_API_VERSION,
      endpoint: openApiEndpoint(BSS_ENDPOINT_ENV, env, BSS_ENDPOINT),
      credentials,
      error: (x) => new BssApiError(x),
      // BSS answers some refusals with HTTP 200 and `Success: false` (e.g. NotApplicable).
      refusal: (action, body) =>
        body.Success === false
          ? new BssApiError({ action, code: str(body.Code) ?? "Unsuccessful", message: str(body.Message) ?? "no message", requestId: str(body.RequestId) })
          : undefined,
      retry: o.retry,
      sleep: o.sleep,
      readTimeoutMs: o.readTimeoutMs ?? readTimeoutFromEnv(env, 20_000),
      env,
      caller: o.caller,
    });
    this.endpoint = this.transport.endpoint;
  }

  /** Every product of the account's site, all pages. */
  async queryProductList(): Promise<BssProduct[]> {
    const out: BssProduct[] = [];
    for (let page = 1; ; page++) {
      const res = await this.call("QueryProductList", { PageNum: String(page), PageSize: "100", QueryTotalCount: "true" });
      const data = (res.Data ?? {}) as Record<string, unknown>;
      const rows = list(data.ProductList, "Product");
      for (const p of rows) {
        out.push({
          productCode: str(p.ProductCode) ?? "",
          productName: str(p.ProductName) ?? "",
          productType: str(p.ProductType) ?? "",
          subscriptionType: str(p.SubscriptionType) ?? "",
        });
      }
      const total = num(data.TotalCount);
      if (rows.length === 0 || !Number.isFinite(total) || out.length >= total || page >= 50) return out;
    }
  }

  /** A product's pricing modules and their attributes. */
  async describePricingModule(req: { productCode: string; productType?: string; subscriptionType: "PayAsYouGo" | "Subscription" }): Promise<BssPricingModules> {
    const q: Record<string, string> = { ProductCode: req.productCode, SubscriptionType: req.subscriptionType };
    if (req.productType) q.ProductType = req.productType;
    const res = await this.call("DescribePricingModule", q);
    const data = (res.Data ?? {}) as Record<string, unknown>;
    const attributes: BssAttribute[] = list(data.AttributeList, "Attribute").map((a) => ({
      code: str(a.Code) ?? "",
      name: str(a.Name) ?? "",
      unit: str(a.Unit) ?? "",
      values: list(a.Values, "AttributeValue").map((v) => ({
        name: str(v.Name) ?? "",
        value: str(v.Value) ?? "",
        remark: str(v.Remark) ?? "",
        type: str(v.Type) ?? "",
      })),
    }));
    return {
      requestId: str(res.RequestId) ?? "",
      modules: list(data.ModuleList, "Module").map((x) => ({
        moduleCode: str(x.ModuleCode) ?? "",
        moduleName: str(x.ModuleName) ?? "",
        priceType: str(x.PriceType) ?? "",
        currency: str(x.Currency) ?? "",
        configList: list(x.ConfigList, "ConfigList").map((c) => String(c)),
      })),
      attributes,
    };
  }

  /** The pay-as-you-go price of `modules`. */
  async getPayAsYouGoPrice(req: { productCode: string; productType?: string; region: string; modules: readonly BssModuleRequest[] }): Promise<BssPriceAnswer> {
    const q: Record<string, string> = { ProductCode: req.productCode, SubscriptionType: "PayAsYouGo", Region: req.region, ...moduleQuery(req.modules) };
    if (req.productType) q.ProductType = req.productType;
    return priceAnswer(await this.call("GetPayAsYouGoPrice", q));
  }

  /** The subscription price of `modules` for a new order of `months` months, quantity 1. */
  async getSubscriptionPrice(req: {
    productCode: string;
    productType?: string;
    region: string;
    modules: readonly BssModuleRequest[];
    months: number;
  }): Promise<BssPriceAnswer> {
    const q: Record<string, string> = {
      ProductCode: req.productCode,
      SubscriptionType: "Subscription",
      OrderType: "NewOrder",
      ServicePeriodQuantity: String(req.months),
      ServicePeriodUnit: "Month",
      Quantity: "1",
      Region: req.region,
      ...moduleQuery(req.modules),
    };
    if (req.productType) q.ProductType = req.productType;
    return priceAnswer(await this.call("GetSubscriptionPrice", q));
  }

  /** One look-up, as the official SDK sends it (POST, every parameter in the query); a read: retried after throttling, a 5xx or no answer. */
  private call(action: string, query: Record<string, string>): Promise<Record<string, unknown>> {
    return this.transport.call({ action, method: "POST", query }, { idempotent: true });
  }
}

/** `ModuleList.N.ModuleCode` / `.Config` / `.PriceType`, as OpenApiUtil.query flattens the SDK's list. */
function moduleQuery(modules: readonly BssModuleRequest[]): Record<string, string> {
  const q: Record<string, string> = {};
  modules.forEach((m, i) => {
    q[`ModuleList.${i + 1}.ModuleCode`] = m.moduleCode;
    q[`ModuleList.${i + 1}.Config`] = m.config;
    if (m.priceType !== undefined) q[`ModuleList.${i + 1}.PriceType`] = m.priceType;
  });
  return q;
}

function priceAnswer(res: Record<string, unknown>): BssPriceAnswer {
  const data = (res.Data ?? {}) as Record<string, unknown>;
  const modules = list(data.ModuleDetails, "ModuleDetail").map((m) => ({ moduleCode: str(m.ModuleCode) ?? "", originalCost: num(m.OriginalCost) }));
  const whole = num(data.OriginalPrice);
  return {
    currency: str(data.Currency) ?? "",
    originalPrice: Number.isFinite(whole) ? whole : modules.reduce((s, m) => s + (Number.isFinite(m.originalCost) ? m.originalCost : 0), 0),
    modules,
    requestId: str(res.RequestId) ?? "",
  };
}
