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
import type OpenApiClient from "@alicloud/openapi-client";
import type { Credentials } from "../common/credentials";
import { AlibabaApiError, isThrottling, mapOpenApiError } from "../common/errors";
import { DEFAULT_RETRY, realSleep, RetryPolicy, withRetry } from "../common/retry";
import type { OpenApiCaller } from "../dataworks/client";
import type { BssAttribute, BssPricingModules, BssProduct } from "../../lib/cost/bss-items";

/** The OpenAPI SDK, loaded when a client is made. */
const openApi = () => require("@alicloud/openapi-client") as typeof import("@alicloud/openapi-client");

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
  private readonly caller: OpenApiCaller;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly timeouts: { connectTimeout: number; readTimeout: number };
  /** `https://business.aliyuncs.com`, or the override. */
  readonly endpoint: string;

  constructor(
    credentials: Credentials,
    env: Readonly<Record<string, string | undefined>> = process.env,
    o: { retry?: RetryPolicy; sleep?: (ms: number) => Promise<void>; readTimeoutMs?: number; caller?: OpenApiCaller } = {},
  ) {
    const override = env[BSS_ENDPOINT_ENV];
    const m = override ? /^(https?):\/\/([^/]+)\/?$/i.exec(override) : null;
    if (override && !m) throw new Error(`${BSS_ENDPOINT_ENV}="${override}" must look like http://host:port or https://host`);
    const protocol = m ? m[1].toUpperCase() : "HTTPS";
    const host = m ? m[2] : BSS_ENDPOINT;
    this.endpoint = `${protocol.toLowerCase()}://${host}`;
    this.retry = o.retry ?? DEFAULT_RETRY;
    this.sleep = o.sleep ?? realSleep;
    this.timeouts = { connectTimeout: 10_000, readTimeout: o.readTimeoutMs ?? 20_000 };
    this.caller =
      o.caller ??
      new (openApi().default)(
        new (openApi().Config)({
          accessKeyId: credentials.accessKeyId,
          accessKeySecret: credentials.accessKeySecret,
          securityToken: credentials.securityToken,
          endpoint: host,
          protocol,
          ...this.timeouts,
        }),
      );
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

  private async call(action: string, query: Record<string, string>): Promise<Record<string, unknown>> {
    const params = new (openApi().Params)({
      action,
      version: BSS_API_VERSION,
      protocol: "HTTPS",
      pathname: "/",
      method: "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const request = new (openApi().OpenApiRequest)({ query });
    // The official client's own retries are off: throttling is retried here, with backoff.
    const runtime = { autoretry: false, maxAttempts: 1, ...this.timeouts } as Parameters<OpenApiClient["callApi"]>[2];
    return withRetry(
      async () => {
        let body: Record<string, unknown>;
        try {
          body = ((await this.caller.callApi(params, request, runtime)).body ?? {}) as Record<string, unknown>;
        } catch (e) {
          throw mapOpenApiError(e, { action, endpoint: this.endpoint }, (x) => new BssApiError(x));
        }
        // BSS answers some refusals with HTTP 200 and `Success: false` (e.g. NotApplicable).
        if (body.Success === false) {
          throw new BssApiError({ action, code: str(body.Code) ?? "Unsuccessful", message: str(body.Message) ?? "no message", requestId: str(body.RequestId) });
        }
        return body;
      },
      {
        policy: this.retry,
        sleep: this.sleep,
        retryable: (e) => e instanceof AlibabaApiError && isThrottling(e),
        onGiveUp: (e, attempts) => {
          const err = e as AlibabaApiError;
          return new BssApiError({
            action,
            code: err.code,
            statusCode: err.statusCode,
            requestId: err.requestId,
            message: `${err.apiMessage} (still throttled after ${attempts} attempts)`,
          });
        },
      },
    );
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
