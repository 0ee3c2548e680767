/**
 * What `npm run prices -- --refresh` asks the BSS price API for each price id, and how an answer
 * becomes a unit price. Pure: the API's answers come in as values (providers/bss/client.ts asks).
 *
 * The API's own flow (GetPayAsYouGoPrice "Usage notes", https://help.aliyun.com/document_detail/91486.html,
 * read 2026-12-05): QueryProductList gives the product code, DescribePricingModule the product's
 * pricing modules (ModuleCode, PriceType, the attribute codes of its ConfigList) and each
 * attribute's values, then GetPayAsYouGoPrice / GetSubscriptionPrice take
 * `ModuleList.N.{ModuleCode, PriceType, Config "AA:aa,BB:bb"}` and answer the module's original
 * price.
 *
 * Product and module codes are not published as a list: each item below names the product by
 * its code and its name (either matches), the module by a pattern over its code and name, and
 * the attribute values to choose by patterns. An attribute the item does not choose is taken
 * when it has one value; otherwise the item is reported missing with the attribute and its
 * values, so that the pattern can be completed from a real answer. A missing item keeps the
 * price of lib/cost/prices.ts (and its source) in the plan.
 */

/** A product as QueryProductList lists it. */
export interface BssProduct {
  readonly productCode: string;
  readonly productName: string;
  readonly productType: string;
  readonly subscriptionType: string;
}

/** One value of a pricing attribute. */
export interface BssAttributeValue {
  readonly name: string;
  readonly value: string;
  readonly remark: string;
  /** `single_string`, `single_float`, `range_float`... */
  readonly type: string;
}

/** A pricing attribute (DescribePricingModule `AttributeList.Attribute`). */
export interface BssAttribute {
  readonly code: string;
  readonly name: string;
  readonly unit: string;
  readonly values: readonly BssAttributeValue[];
}

/** A pricing module (DescribePricingModule `ModuleList.Module`). */
export interface BssModule {
  readonly moduleCode: string;
  readonly moduleName: string;
  /** `Usage`, `Hour`, `Day`, `Week`, `Month`, `Year`. */
  readonly priceType: string;
  readonly currency: string;
  /** Attribute codes the module's Config takes. */
  readonly configList: readonly string[];
}

/** A DescribePricingModule answer. */
export interface BssPricingModules {
  readonly requestId: string;
  readonly modules: readonly BssModule[];
  readonly attributes: readonly BssAttribute[];
}

/** How a product is recognised in QueryProductList: by code, else by name. */
export interface BssProductMatch {
  readonly codes: readonly string[];
  readonly name: RegExp;
}

/** Units a price id is per, as the conversions below know them. */
export type BssUnit = "GB" | "million requests" | "10k calls" | "CU" | "vCPU" | "GiB" | "count";

/** What to ask for one price id. */
export interface BssItemSpec {
  /** The price id (lib/cost/prices.ts). */
  readonly id: string;
  readonly product: BssProductMatch;
  readonly subscriptionType: "PayAsYouGo" | "Subscription";
  /** Matched against the module's code and name. */
  readonly module: RegExp;
  /** The time basis of the price id: `Hour` (per hour), `Day` (per day), `Usage` (per unit), `Month` (per month). */
  readonly per: "Hour" | "Day" | "Usage" | "Month";
  /** Attribute values to choose: an attribute (code or name) and the value (value or name). */
  readonly choose?: readonly { readonly attribute: RegExp; readonly value: RegExp }[];
  /** The attribute that carries the billed quantity (asked for 1 of its unit) and the price id's unit. */
  readonly quantity?: { readonly attribute: RegExp; readonly unit: BssUnit };
}

const MAXCOMPUTE: BssProductMatch = { codes: ["odps", "maxcompute"], name: /MaxCompute|大数据计算/i };
const DATAWORKS: BssProductMatch = { codes: ["dide", "dataworks"], name: /DataWorks/i };
const DTS: BssProductMatch = { codes: ["dts"], name: /数据传输|Data Transmission/i };
const FLINK: BssProductMatch = { codes: ["sc", "flink"], name: /实时计算|Realtime Compute|Flink/i };
const DATAHUB: BssProductMatch = { codes: ["datahub"], name: /DataHub|数据总线/i };
const ECI: BssProductMatch = { codes: ["eci"], name: /弹性容器|Elastic Container/i };
const SLS: BssProductMatch = { codes: ["sls"], name: /日志服务|Log Service/i };

/** The DTS attributes of a MySQL -> MaxCompute synchronization in one region. */
const dtsChoose = (cls: string) => [
  { attribute: /InstanceClass|规格|class/i, value: new RegExp(`^${cls}$`, "i") },
  { attribute: /JobType|同步类型|链路类型|^Type$/i, value: /sync|同步/i },
  { attribute: /Source|源/i, value: /mysql/i },
  { attribute: /Dest|目标/i, value: /odps|maxcompute/i },
];

/** Every price id the refresh asks for (the DataWorks scheduling tiers are {@link SCHEDULE_TIERS_SPEC}). */
export const BSS_ITEMS: readonly BssItemSpec[] = [
  {
    id: "maxcompute.sql.gb",
    product: MAXCOMPUTE,
    subscriptionType: "PayAsYouGo",
    module: /sql|计算/i,
    per: "Usage",
    quantity: { attribute: /sql|input|扫描|数据量|计算/i, unit: "GB" },
  },
  {
    id: "maxcompute.storage.gb-day",
    product: MAXCOMPUTE,
    subscriptionType: "PayAsYouGo",
    module: /storage|存储/i,
    per: "Day",
    quantity: { attribute: /storage|存储/i, unit: "GB" },
  },
  {
    id: "dataworks.serverless.cu-hour",
    product: DATAWORKS,
    subscriptionType: "PayAsYouGo",
    module: /serverless|资源组|CU/i,
    per: "Hour",
    quantity: { attribute: /CU/i, unit: "CU" },
  },
  {
    id: "dataworks.openapi.10k-calls",
    product: DATAWORKS,
    subscriptionType: "PayAsYouGo",
    module: /openapi|API/i,
    per: "Usage",
    quantity: { attribute: /api|调用|call/i, unit: "10k calls" },
  },
  ...["standard", "professional", "enterprise"].map((ed): BssItemSpec => ({
    id: `dataworks.edition.${ed}.month`,
    product: DATAWORKS,
    subscriptionType: "Subscription",
    module: /edition|version|版本/i,
    per: "Month",
    choose: [
      { attribute: /edition|version|版本/i, value: { standard: /standard|标准/i, professional: /professional|专业/i, enterprise: /enterprise|企业/i }[ed]! },
    ],
  })),
  ...["micro", "small", "medium", "large"].flatMap((cls): BssItemSpec[] => [
    { id: `dts.sync.${cls}.hour`, product: DTS, subscriptionType: "PayAsYouGo", module: /InstanceClass|规格|class/i, per: "Hour", choose: dtsChoose(cls) },
    { id: `dts.sync.${cls}.month`, product: DTS, subscriptionType: "Subscription", module: /InstanceClass|规格|class/i, per: "Month", choose: dtsChoose(cls) },
  ]),
  {
    id: "flink.cu-hour",
    product: FLINK,
    subscriptionType: "PayAsYouGo",
    module: /CU|计算|resource/i,
    per: "Hour",
    quantity: { attribute: /CU|cpu|计算/i, unit: "CU" },
  },
  {
    id: "flink.cu-month",
    product: FLINK,
    subscriptionType: "Subscription",
    module: /CU|计算|resource/i,
    per: "Month",
    quantity: { attribute: /CU|cpu|计算/i, unit: "CU" },
  },
  {
    id: "datahub.shard.day",
    product: DATAHUB,
    subscriptionType: "PayAsYouGo",
    module: /shard/i,
    per: "Day",
    quantity: { attribute: /shard|count|个数|数量/i, unit: "count" },
  },
  {
    id: "datahub.storage.gb-day",
    product: DATAHUB,
    subscriptionType: "PayAsYouGo",
    module: /storage|存储/i,
    per: "Day",
    quantity: { attribute: /storage|存储/i, unit: "GB" },
  },
  {
    id: "datahub.read.gb",
    product: DATAHUB,
    subscriptionType: "PayAsYouGo",
    module: /read|读流量/i,
    per: "Usage",
    quantity: { attribute: /read|读/i, unit: "GB" },
  },
  {
    id: "datahub.request.million",
    product: DATAHUB,
    subscriptionType: "PayAsYouGo",
    module: /request|次数/i,
    per: "Usage",
    quantity: { attribute: /request|次数/i, unit: "million requests" },
  },
  { id: "eci.vcpu.hour", product: ECI, subscriptionType: "PayAsYouGo", module: /cpu/i, per: "Hour", quantity: { attribute: /cpu/i, unit: "vCPU" } },
  {
    id: "eci.memory.gib-hour",
    product: ECI,
    subscriptionType: "PayAsYouGo",
    module: /mem|内存/i,
    per: "Hour",
    quantity: { attribute: /mem|内存/i, unit: "GiB" },
  },
  {
    id: "sls.write.gb",
    product: SLS,
    subscriptionType: "PayAsYouGo",
    module: /write|写流量|读写流量/i,
    per: "Usage",
    quantity: { attribute: /write|流量/i, unit: "GB" },
  },
  { id: "sls.index.gb", product: SLS, subscriptionType: "PayAsYouGo", module: /index|索引/i, per: "Usage", quantity: { attribute: /index|索引/i, unit: "GB" } },
  {
    id: "sls.storage.gb-day",
    product: SLS,
    subscriptionType: "PayAsYouGo",
    module: /storage|存储/i,
    per: "Day",
    quantity: { attribute: /storage|存储/i, unit: "GB" },
  },
  {
    id: "sls.shard.day",
    product: SLS,
    subscriptionType: "PayAsYouGo",
    module: /shard/i,
    per: "Day",
    quantity: { attribute: /shard|count|个数|数量/i, unit: "count" },
  },
  {
    id: "sls.request.million",
    product: SLS,
    subscriptionType: "PayAsYouGo",
    module: /request|请求|次数/i,
    per: "Usage",
    quantity: { attribute: /request|请求|次数/i, unit: "million requests" },
  },
  {
    id: "sls.sql.core-hour",
    product: SLS,
    subscriptionType: "PayAsYouGo",
    module: /sql/i,
    per: "Hour",
    quantity: { attribute: /core|cpu|sql/i, unit: "vCPU" },
  },
  { id: "sls.ship.cu", product: SLS, subscriptionType: "PayAsYouGo", module: /ship|投递/i, per: "Usage", quantity: { attribute: /ship|投递|CU/i, unit: "CU" } },
];

/** The DataWorks scheduling fee: one module whose one multi-valued attribute lists the daily tiers. */
export const SCHEDULE_TIERS_SPEC = {
  product: DATAWORKS,
  subscriptionType: "PayAsYouGo" as const,
  module: /schedul|调度/i,
  tierAttribute: /instance|实例|tier|阶梯|档/i,
};

/** The product row of `match` for `subscriptionType` (a code first, then a name), or undefined. */
export function findProduct(products: readonly BssProduct[], match: BssProductMatch, subscriptionType: string): BssProduct | undefined {
  const byCode = products.filter((p) => match.codes.includes(p.productCode.toLowerCase()));
  const candidates = byCode.length > 0 ? byCode : products.filter((p) => match.name.test(p.productName));
  return candidates.find((p) => p.subscriptionType === subscriptionType) ?? candidates[0];
}

/** Bytes, counts and compute units in one scale each: how many of the base unit one `unit` is. */
const UNIT_SCALES: readonly { readonly kind: string; readonly units: Readonly<Record<string, number>> }[] = [
  { kind: "bytes", units: { kb: 1 / (1024 * 1024), mb: 1 / 1024, gb: 1, gib: 1, tb: 1024, tib: 1024 } },
  { kind: "calls", units: { 次: 1, 千次: 1e3, 万次: 1e4, "10k calls": 1e4, 百万次: 1e6, "million requests": 1e6, million: 1e6 } },
  { kind: "cpu", units: { cu: 1, vcpu: 1, core: 1, 核: 1 } },
  { kind: "count", units: { count: 1, 个: 1 } },
];

/** How many of `attrUnit` make one `ours` (so price per `ours` = price per `attrUnit` x this); undefined when unknown. A number before the unit (`100GB`) counts. */
export function unitScale(attrUnit: string, ours: BssUnit): number | undefined {
  const m = /^(\d+(?:\.\d+)?)?\s*(.*)$/.exec(attrUnit.trim())!;
  const times = m[1] === undefined ? 1 : Number(m[1]);
  const unit = m[2];
  if (unit === "" || !(times > 0)) return undefined;
  if (unit.toLowerCase() === ours.toLowerCase()) return 1 / times;
  for (const s of UNIT_SCALES) {
    const au = s.units[unit.toLowerCase()] ?? s.units[unit];
    const ou = s.units[ours.toLowerCase()] ?? s.units[ours];
    if (au !== undefined && ou !== undefined) return ou / (au * times);
  }
  return undefined;
}

/** The price-type conversion from what the module prices per to what the price id is per. */
function timeScale(module: string, per: BssItemSpec["per"]): number | undefined {
  if (module === per) return 1;
  if (module === "Hour" && per === "Day") return 24;
  if (module === "Day" && per === "Hour") return 1 / 24;
  return undefined;
}

/** How many of the price id's unit a quantity attribute is asked for (see planRequest). */
export const QUANTITY_ASKED = 1000;

/** What to send for one item, or why it cannot be asked. */
export type BssRequestPlan =
  | {
      readonly ok: true;
      readonly moduleCode: string;
      readonly priceType: string;
      readonly config: string;
      /** Price per the price id's unit = the module's original price x scale. */
      readonly scale: number;
    }
  | { readonly ok: false; readonly why: string };

const showValues = (a: BssAttribute) =>
  a.values
    .slice(0, 12)
    .map((v) => JSON.stringify(v.value || v.name))
    .join(", ") + (a.values.length > 12 ? `, ... (${a.values.length})` : "");

/** The module, config and scale for `spec` from a product's pricing modules. */
export function planRequest(spec: BssItemSpec, pm: BssPricingModules): BssRequestPlan {
  const modules = pm.modules.filter((m) => spec.module.test(m.moduleCode) || spec.module.test(m.moduleName));
  if (modules.length === 0) {
    return { ok: false, why: `no pricing module matches ${spec.module} (modules: ${pm.modules.map((m) => m.moduleCode).join(", ") || "none"})` };
  }
  const reasons: string[] = [];
  for (const m of modules) {
    const time = timeScale(m.priceType, spec.per);
    if (time === undefined) {
      reasons.push(`module ${m.moduleCode} prices per ${m.priceType || "?"}, the price id per ${spec.per}`);
      continue;
    }
    const parts: string[] = [];
    let scale = time;
    let why: string | undefined;
    for (const code of m.configList) {
      const attr = pm.attributes.find((a) => a.code === code);
      if (attr === undefined) {
        why = `module ${m.moduleCode}: attribute ${code} is not in the AttributeList`;
        break;
      }
      const is = (re: RegExp) => re.test(attr.code) || re.test(attr.name);
      if (spec.quantity !== undefined && is(spec.quantity.attribute)) {
        const s = unitScale(attr.unit, spec.quantity.unit);
        if (s === undefined) {
          why = `module ${m.moduleCode}: attribute ${code} is in ${JSON.stringify(attr.unit)}, which is not convertible to ${spec.quantity.unit}`;
          break;
        }
        // Asked for 1,000 of the price id's unit, not 1: an answer rounded to the fen (CNY 0.01) keeps
        // the unit price exact to 0.00001 (SLS storage is CNY 0.0115 a GB-day).
        const q = Math.max(1, Math.round(QUANTITY_ASKED * s));
        parts.push(`${code}:${q}`);
        scale *= s / q;
        continue;
      }
      const rule = spec.choose?.find((c) => is(c.attribute));
      const pick =
        rule !== undefined
          ? attr.values.find((v) => rule.value.test(v.value) || rule.value.test(v.name))
          : attr.values.length === 1
            ? attr.values[0]
            : undefined;
      if (pick === undefined) {
        why = rule
          ? `module ${m.moduleCode}: attribute ${code} (${attr.name}) has no value matching ${rule.value} (values: ${showValues(attr)})`
          : `module ${m.moduleCode}: attribute ${code} (${attr.name}) has ${attr.values.length} values (${showValues(attr)}) and the item chooses none`;
        break;
      }
      parts.push(`${code}:${pick.value}`);
    }
    if (why !== undefined) {
      reasons.push(why);
      continue;
    }
    return { ok: true, moduleCode: m.moduleCode, priceType: m.priceType, config: parts.join(","), scale };
  }
  return { ok: false, why: reasons.join("; ") };
}

/**
 * The largest daily instance count of a tier (`1-100`, `0~500个/天` in its name, value or remark),
 * or null for the open last tier (`10000以上`, `>10000`, `10000+`); undefined when none of them reads as a tier.
 */
export function tierMax(v: BssAttributeValue): number | null | undefined {
  for (const raw of [v.name, v.value, v.remark]) {
    const text = raw.replace(/,/g, "");
    const range = /(\d+)\s*[-~～至到]\s*(\d+)/.exec(text);
    if (range) return Number(range[2]);
    if (/\d+\D{0,3}?(以上|\+|or more|and above)|[>≥]\s*\d+/i.test(text)) return null;
  }
  return undefined;
}

/** The tiers to ask for: the schedule module, its tier attribute's values in ascending order, and the other attributes' config. */
export type ScheduleTierPlan =
  | {
      readonly ok: true;
      readonly moduleCode: string;
      readonly priceType: string;
      readonly tiers: readonly { readonly config: string; readonly maxInstancesPerDay: number | null }[];
      /** Price per day = the module's original price x scale. */
      readonly scale: number;
    }
  | { readonly ok: false; readonly why: string };

/** The DataWorks scheduling tiers, where the pricing module exposes them. */
export function planScheduleTiers(pm: BssPricingModules): ScheduleTierPlan {
  const m = pm.modules.find((x) => SCHEDULE_TIERS_SPEC.module.test(x.moduleCode) || SCHEDULE_TIERS_SPEC.module.test(x.moduleName));
  if (m === undefined)
    return { ok: false, why: `no pricing module matches ${SCHEDULE_TIERS_SPEC.module} (modules: ${pm.modules.map((x) => x.moduleCode).join(", ") || "none"})` };
  const scale = timeScale(m.priceType, "Day") ?? (m.priceType === "Usage" ? 1 : undefined);
  if (scale === undefined) return { ok: false, why: `module ${m.moduleCode} prices per ${m.priceType}; the scheduling fee is per day` };
  const attrs = m.configList.map((c) => pm.attributes.find((a) => a.code === c));
  const tierAttr = attrs.find(
    (a) => a !== undefined && a.values.length > 1 && (SCHEDULE_TIERS_SPEC.tierAttribute.test(a.code) || SCHEDULE_TIERS_SPEC.tierAttribute.test(a.name)),
  );
  if (tierAttr === undefined) return { ok: false, why: `module ${m.moduleCode} has no multi-valued attribute matching ${SCHEDULE_TIERS_SPEC.tierAttribute}` };
  const fixed: string[] = [];
  for (const [i, a] of attrs.entries()) {
    if (a === tierAttr) continue;
    if (a === undefined || a.values.length !== 1)
      return { ok: false, why: `module ${m.moduleCode}: attribute ${m.configList[i]} needs a value the refresh cannot choose` };
    fixed.push(`${a.code}:${a.values[0].value}`);
  }
  const tiers: { config: string; maxInstancesPerDay: number | null }[] = [];
  for (const v of tierAttr.values) {
    const max = tierMax(v);
    if (max === undefined) return { ok: false, why: `module ${m.moduleCode}: tier ${JSON.stringify(v.value || v.name)} has no instance count` };
    tiers.push({ config: [...fixed, `${tierAttr.code}:${v.value}`].join(","), maxInstancesPerDay: max });
  }
  tiers.sort((a, b) => (a.maxInstancesPerDay ?? Infinity) - (b.maxInstancesPerDay ?? Infinity));
  return { ok: true, moduleCode: m.moduleCode, priceType: m.priceType, tiers, scale };
}
