/**
 * A local fake of the BSS OpenAPI 2017-12-14 price look-ups, on 127.0.0.1, for tests of
 * providers/bss/client.ts, the price refresh and `npm run prices -- --refresh`.
 *
 * It checks what the official client (`@alicloud/openapi-client` `callApi`) sends: the
 * `x-acs-action` / `x-acs-version` headers, an ACS3-HMAC-SHA256 `Authorization` header whose
 * signature it recomputes with the secret it was given (a wrong one is `SignatureDoesNotMatch`,
 * HTTP 400), POST to `/` with every parameter in the query, and each action's parameters as the
 * official SDK models name and require them (aliyun/alibabacloud-typescript-sdk
 * bssopenapi-20171214/src/models/*Request.ts @06a71f93987bc01319e08965323789ddbe23f7f8:
 * QueryProductList `PageNum` required; DescribePricingModule `ProductCode`, `SubscriptionType`
 * required; GetPayAsYouGoPrice `ProductCode`, `SubscriptionType` PayAsYouGo, `ModuleList.N.
 * {ModuleCode, Config, PriceType}` required; GetSubscriptionPrice `ProductCode`,
 * `SubscriptionType` Subscription, `OrderType`, `ModuleList.N.{ModuleCode, Config}` required).
 * A Config must name exactly the module's ConfigList attributes, each with one of its values
 * (a number for a quantity attribute, `range_float`). It answers with the response bodies'
 * shapes (`{Code: "Success", Message, RequestId, Success: true, Data: {...}}`, lists nested as
 * `ProductList.Product`, `ModuleList.Module`, `ConfigList.ConfigList`, `AttributeList.Attribute`,
 * `Values.AttributeValue`, `ModuleDetails.ModuleDetail`), and errors as the reference lists them
 * (`MissingParameter` 400; `NotApplicable` 400 "This API is not applicable for caller.").
 * Errors and throttling can be injected per action.
 */
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { loadModels, ModelGuard } from "./api-models/check";
import { applyFault, FaultInjector } from "./faults";

export interface FakeBssAttribute {
  readonly Code: string;
  readonly Name: string;
  readonly Unit: string;
  readonly Values: { readonly Name: string; readonly Value: string; readonly Remark?: string; readonly Type: string }[];
}

export interface FakeBssModule {
  readonly ModuleCode: string;
  readonly ModuleName: string;
  readonly PriceType: string;
  readonly ConfigList: string[];
}

/** One product's pricing modules for one subscription type, and the list price of each config. */
export interface FakeBssPricing {
  readonly productCode: string;
  readonly subscriptionType: "PayAsYouGo" | "Subscription";
  readonly modules: FakeBssModule[];
  readonly attributes: FakeBssAttribute[];
  /** Original price by `ModuleCode|Config` (for a quantity attribute the price of 1 unit; the fake multiplies). */
  readonly prices: Record<string, number>;
}

export interface FakeBssProduct {
  readonly ProductCode: string;
  readonly ProductName: string;
  readonly ProductType: string;
  readonly SubscriptionType: string;
}

export interface BssRecordedRequest {
  readonly action: string;
  readonly version: string;
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly signatureValid: boolean;
  readonly requestId: string;
}

export interface BssInjectedError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

function acsEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

export class FakeBss {
  readonly requests: BssRecordedRequest[] = [];
  /** The currency prices are answered in (`USD` plays an international-site account). */
  currency = "CNY";
  private server?: http.Server;
  private seq = 0;
  private readonly injected = new Map<string, BssInjectedError[]>();
  /** Every request and answer held to the official models (tests/support/api-models/bss.json). */
  readonly models = new ModelGuard(loadModels("bss"));

  /** Faults any call can meet (throttling, 5xx, timeout; before or after it takes effect). */
  readonly faults = new FaultInjector();

  /** Requests and answers that break the official models. */
  get modelViolations(): string[] {
    return this.models.violations;
  }

  constructor(
    private readonly accessKeySecret: string,
    readonly products: FakeBssProduct[],
    readonly pricing: FakeBssPricing[],
  ) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next `times` calls of `action` fail with `error`. */
  failNext(action: string, error: BssInjectedError, times = 1): void {
    const list = this.injected.get(action) ?? [];
    for (let i = 0; i < times; i++) list.push(error);
    this.injected.set(action, list);
  }

  /** Request ids answered to `action`, in order. */
  requestIds(action: string): string[] {
    return this.requests.filter((r) => r.action === action).map((r) => r.requestId);
  }

  private handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const requestId = `FAKE-BSS-${String(++this.seq).padStart(4, "0")}`;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => (query[k] = v));
    const action = String(req.headers["x-acs-action"] ?? "");
    const version = String(req.headers["x-acs-version"] ?? "");
    const signatureValid = this.verifySignature(req, url.pathname, query, body);
    this.requests.push({ action, version, method: req.method ?? "", path: url.pathname, query, signatureValid, requestId });

    const fail = (status: number, code: string, message: string): void => {
      res.writeHead(status, { "content-type": "application/json;charset=utf-8" });
      res.end(JSON.stringify({ RequestId: requestId, Code: code, Message: message, Success: false }));
    };
    const ok = (data: Record<string, unknown>): void => {
      const answer = { Code: "Success", Message: "Successful", RequestId: requestId, Success: true, Data: data };
      const problems = this.models.response(action, answer);
      if (problems.length > 0) return fail(400, "FakeModel.Response", `the fake's answer breaks the official model: ${problems.join("; ")}`);
      res.writeHead(200, { "content-type": "application/json;charset=utf-8" });
      res.end(JSON.stringify(answer));
    };

    if (!req.headers.authorization) return fail(400, "MissingAuthorization", "Authorization header is missing");
    if (!signatureValid) return fail(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
    if (version !== "2017-12-14") return fail(400, "InvalidVersion", `Specified parameter Version is not valid: ${version}`);
    if (req.method !== "POST" || url.pathname !== "/") return fail(404, "InvalidAction.NotFound", `${req.method} ${url.pathname}`);
    const modelProblems = this.models.request(action, { method: req.method ?? "", query });
    if (modelProblems.length > 0) return fail(400, "FakeModel.Request", `the request breaks the official model: ${modelProblems.join("; ")}`);
    if (applyFault(this.faults, action, res, "openapi", fail)) return;
    const injected = this.injected.get(action)?.shift();
    if (injected) return fail(injected.status, injected.code, injected.message);
    const need = (...keys: string[]) => keys.find((k) => query[k] === undefined || query[k] === "");
    const missing = (k: string) => fail(400, "MissingParameter", `The specified parameter ${k} is mandatory for this request.`);

    switch (action) {
      case "QueryProductList": {
        const m = need("PageNum");
        if (m) return missing(m);
        const page = Number(query.PageNum);
        const size = Number(query.PageSize ?? 20);
        const rows = this.products.slice((page - 1) * size, page * size);
        return ok({
          PageNum: page,
          PageSize: size,
          ...(query.QueryTotalCount === "true" ? { TotalCount: this.products.length } : {}),
          ProductList: { Product: rows },
        });
      }
      case "DescribePricingModule": {
        const m = need("ProductCode", "SubscriptionType");
        if (m) return missing(m);
        const p = this.pricingOf(query.ProductCode, query.SubscriptionType);
        return ok({
          ModuleList: { Module: (p?.modules ?? []).map((x) => ({ ...x, Currency: this.currency, ConfigList: { ConfigList: x.ConfigList } })) },
          AttributeList: { Attribute: (p?.attributes ?? []).map((a) => ({ ...a, Values: { AttributeValue: a.Values } })) },
        });
      }
      case "GetPayAsYouGoPrice":
      case "GetSubscriptionPrice": {
        const sub = action === "GetSubscriptionPrice";
        const m = need(
          "ProductCode",
          "SubscriptionType",
          ...(sub ? ["OrderType"] : []),
          "ModuleList.1.ModuleCode",
          "ModuleList.1.Config",
          ...(sub ? [] : ["ModuleList.1.PriceType"]),
        );
        if (m) return missing(m);
        if (query.SubscriptionType !== (sub ? "Subscription" : "PayAsYouGo"))
          return fail(400, "InvalidParameter", `SubscriptionType ${query.SubscriptionType}`);
        const p = this.pricingOf(query.ProductCode, query.SubscriptionType);
        if (!p) return fail(400, "InvalidParameter", `no product ${query.ProductCode}`);
        const details: Record<string, unknown>[] = [];
        for (let n = 1; query[`ModuleList.${n}.ModuleCode`] !== undefined; n++) {
          const code = query[`ModuleList.${n}.ModuleCode`];
          const config = query[`ModuleList.${n}.Config`] ?? "";
          const mod = p.modules.find((x) => x.ModuleCode === code);
          if (!mod) return fail(400, "InvalidParameter", `ModuleList.${n}.ModuleCode ${code} is not a module of ${p.productCode}`);
          if (!sub && query[`ModuleList.${n}.PriceType`] !== mod.PriceType)
            return fail(400, "InvalidParameter", `ModuleList.${n}.PriceType must be ${mod.PriceType}`);
          const pairs = config.split(",").map((kv) => kv.split(":"));
          if (pairs.map(([k]) => k).join(",") !== mod.ConfigList.join(","))
            return fail(400, "InvalidParameter", `ModuleList.${n}.Config must give ${mod.ConfigList.join(",")}: ${config}`);
          let quantity = 1;
          const key: string[] = [];
          for (const [k, v] of pairs) {
            const attr = p.attributes.find((a) => a.Code === k)!;
            if (attr.Values.some((x) => x.Type === "range_float")) {
              if (!(Number(v) > 0)) return fail(400, "InvalidParameter", `${k} must be a number: ${v}`);
              quantity *= Number(v);
              key.push(`${k}:*`);
            } else {
              if (!attr.Values.some((x) => x.Value === v)) return fail(400, "InvalidParameter", `${k} has no value ${v}`);
              key.push(`${k}:${v}`);
            }
          }
          const unit = p.prices[`${code}|${key.join(",")}`];
          if (unit === undefined) return fail(400, "InvalidParameter", `no price for ${code} ${config}`);
          const cost = Math.round(unit * quantity * (sub ? Number(query.ServicePeriodQuantity ?? 1) : 1) * 1e6) / 1e6;
          details.push({ ModuleCode: code, OriginalCost: cost, CostAfterDiscount: cost, InvoiceDiscount: 0, UnitPrice: 0 });
        }
        const total = details.reduce((s, d) => s + (d.OriginalCost as number), 0);
        return ok({
          Currency: this.currency,
          ModuleDetails: { ModuleDetail: details },
          PromotionDetails: { PromotionDetail: [] },
          ...(sub ? { OriginalPrice: total, DiscountPrice: 0, TradePrice: total, Quantity: 1 } : {}),
        });
      }
      default:
        return fail(404, "InvalidAction.NotFound", `Specified api ${action} is not found`);
    }
  }

  private pricingOf(code: string, subscriptionType: string): FakeBssPricing | undefined {
    return this.pricing.find((p) => p.productCode === code && p.subscriptionType === subscriptionType);
  }

  /** Recomputes the ACS3-HMAC-SHA256 signature (the algorithm of tests/support/fake-dataworks.ts). */
  private verifySignature(req: http.IncomingMessage, pathname: string, query: Record<string, string>, body: Buffer): boolean {
    const m = /^(ACS3-HMAC-SHA256) Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(String(req.headers.authorization ?? ""));
    if (!m) return false;
    const [, algorithm, , signed, signature] = m;
    const signedHeaders = signed.split(";");
    const payloadHash = crypto.createHash("sha256").update(body).digest("hex");
    if (req.headers["x-acs-content-sha256"] !== payloadHash) return false;
    const canonicalQuery = Object.keys(query)
      .sort()
      .map((k) => `${k}=${acsEncode(query[k])}`)
      .join("&");
    const canonicalHeaders = signedHeaders.map((h) => `${h}:${String(req.headers[h] ?? "").trim()}\n`).join("");
    const canonicalRequest = [req.method, pathname, canonicalQuery, canonicalHeaders, signedHeaders.join(";"), payloadHash].join("\n");
    const stringToSign = `${algorithm}\n${crypto.createHash("sha256").update(canonicalRequest).digest("hex")}`;
    return crypto.createHmac("sha256", this.accessKeySecret).update(stringToSign).digest("hex") === signature;
  }
}
