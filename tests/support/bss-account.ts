/**
 * A China-site account as the fake BSS (tests/support/fake-bss.ts) answers it: the products the
 * stack uses, each with pricing modules and attributes in the shapes DescribePricingModule
 * documents, and list prices that differ from lib/cost/prices.ts's so that a test sees which
 * number the plan used. The module and attribute codes are made up (no list is published): they
 * exercise what the refresh must handle — a region attribute with one value, quantities in MB,
 * 万次 and 核 converted to the price ids' units, attributes chosen by pattern (DTS), a
 * multi-valued tier attribute (DataWorks scheduling).
 */
import { FakeBssAttribute, FakeBssModule, FakeBssPricing, FakeBssProduct } from "./fake-bss";

const range = (Code: string, Name: string, Unit: string): FakeBssAttribute => ({
  Code,
  Name,
  Unit,
  Values: [{ Name: "1-1000000", Value: "1-1000000", Type: "range_float" }],
});
const one = (Code: string, Name: string, Value: string): FakeBssAttribute => ({
  Code,
  Name,
  Unit: "",
  Values: [{ Name: Value, Value, Type: "single_string" }],
});
const choice = (Code: string, Name: string, values: [string, string][]): FakeBssAttribute => ({
  Code,
  Name,
  Unit: "",
  Values: values.map(([Name, Value]) => ({ Name, Value, Type: "single_string" })),
});
const mod = (ModuleCode: string, ModuleName: string, PriceType: string, ConfigList: string[]): FakeBssModule => ({
  ModuleCode,
  ModuleName,
  PriceType,
  ConfigList,
});

const REGION = one("Region", "地域", "cn-shanghai");

export const ACCOUNT_PRODUCTS: FakeBssProduct[] = [
  { ProductCode: "ecs", ProductName: "云服务器 ECS", ProductType: "ecs", SubscriptionType: "Subscription" },
  { ProductCode: "odps", ProductName: "大数据计算服务 MaxCompute(按量付费)", ProductType: "odps_post", SubscriptionType: "PayAsYouGo" },
  { ProductCode: "dide", ProductName: "DataWorks(按量付费)", ProductType: "dide_post", SubscriptionType: "PayAsYouGo" },
  { ProductCode: "dide", ProductName: "DataWorks(包年包月)", ProductType: "dide_pre", SubscriptionType: "Subscription" },
  { ProductCode: "dts", ProductName: "数据传输(按量付费)", ProductType: "dts_post", SubscriptionType: "PayAsYouGo" },
  { ProductCode: "dts", ProductName: "数据传输(包年包月)", ProductType: "dts_pre", SubscriptionType: "Subscription" },
  { ProductCode: "sc", ProductName: "实时计算Flink版(按量付费)", ProductType: "sc_post", SubscriptionType: "PayAsYouGo" },
  { ProductCode: "sc", ProductName: "实时计算Flink版(包年包月)", ProductType: "sc_pre", SubscriptionType: "Subscription" },
  { ProductCode: "datahub", ProductName: "数据总线 DataHub", ProductType: "datahub", SubscriptionType: "PayAsYouGo" },
  { ProductCode: "eci", ProductName: "弹性容器实例 ECI", ProductType: "eci", SubscriptionType: "PayAsYouGo" },
  { ProductCode: "sls", ProductName: "日志服务 SLS", ProductType: "sls", SubscriptionType: "PayAsYouGo" },
];

const DTS_ATTRS: FakeBssAttribute[] = [
  choice("DtsJobType", "链路类型", [
    ["数据同步", "sync"],
    ["数据迁移", "migration"],
  ]),
  choice("SourceEndpointEngine", "源库类型", [
    ["MySQL", "mysql"],
    ["PostgreSQL", "postgresql"],
  ]),
  choice("DestinationEndpointEngine", "目标库类型", [
    ["MaxCompute", "odps"],
    ["MySQL", "mysql"],
  ]),
  choice("InstanceClass", "实例规格", [
    ["micro", "micro"],
    ["small", "small"],
    ["medium", "medium"],
    ["large", "large"],
  ]),
];
const DTS_CONFIG = ["DtsJobType", "SourceEndpointEngine", "DestinationEndpointEngine", "InstanceClass"];
const dtsKey = (cls: string) => `InstanceClass|DtsJobType:sync,SourceEndpointEngine:mysql,DestinationEndpointEngine:odps,InstanceClass:${cls}`;

/** The account's list prices, as the refresh must read them (CNY per the price id's unit). */
export const ACCOUNT_PRICES: Readonly<Record<string, number>> = {
  "maxcompute.sql.gb": 0.3,
  "maxcompute.storage.gb-day": 0.004,
  "dataworks.serverless.cu-hour": 0.26,
  "dataworks.openapi.10k-calls": 0.3,
  "dataworks.edition.standard.month": 1500,
  "dataworks.edition.professional.month": 4000,
  "dataworks.edition.enterprise.month": 10000,
  "dts.sync.micro.hour": 0.6,
  "dts.sync.small.hour": 1.25,
  "dts.sync.medium.hour": 2.5,
  "dts.sync.large.hour": 5,
  "dts.sync.micro.month": 310,
  "dts.sync.small.month": 660,
  "dts.sync.medium.month": 1320,
  "dts.sync.large.month": 2640,
  "flink.cu-hour": 0.6,
  "flink.cu-month": 230,
  "datahub.shard.day": 0.04,
  "datahub.storage.gb-day": 0.012,
  "datahub.read.gb": 0.15,
  "datahub.request.million": 0.12,
  "eci.vcpu.hour": 0.18,
  "eci.memory.gib-hour": 0.023,
  "sls.write.gb": 0.18,
  "sls.index.gb": 0.35,
  "sls.storage.gb-day": 0.0115,
  "sls.shard.day": 0.04,
  "sls.request.million": 0.12,
  "sls.sql.core-hour": 0.35,
  "sls.ship.cu": 1,
};

/** The DataWorks scheduling tiers the account answers: [tier value, name, CNY a day]. */
export const ACCOUNT_SCHEDULE_TIERS: [string, string, number][] = [
  ["T1", "1-100个/天", 0],
  ["T2", "101-500个/天", 2.5],
  ["T3", "501-1000个/天", 5],
  ["T4", "1000个以上/天", 10],
];

const P = ACCOUNT_PRICES;

export const ACCOUNT_PRICING: FakeBssPricing[] = [
  {
    productCode: "odps",
    subscriptionType: "PayAsYouGo",
    modules: [mod("ComputationSql", "SQL计算", "Usage", ["Region", "SqlInput"]), mod("Storage", "存储", "Day", ["Region", "StorageSize"])],
    attributes: [REGION, range("SqlInput", "SQL扫描数据量", "GB"), range("StorageSize", "存储量", "MB")],
    // Storage is priced per MB-day here: the refresh converts to GB.
    prices: {
      "ComputationSql|Region:cn-shanghai,SqlInput:*": P["maxcompute.sql.gb"],
      "Storage|Region:cn-shanghai,StorageSize:*": P["maxcompute.storage.gb-day"] / 1024,
    },
  },
  {
    productCode: "dide",
    subscriptionType: "PayAsYouGo",
    modules: [
      mod("ServerlessResourceGroup", "Serverless资源组", "Hour", ["ResourceCu"]),
      mod("OpenApiCall", "OpenAPI调用", "Usage", ["ApiCalls"]),
      mod("ScheduleInstance", "调度实例", "Day", ["Region", "InstanceTier"]),
    ],
    attributes: [
      REGION,
      range("ResourceCu", "CU数", "CU"),
      range("ApiCalls", "调用次数", "万次"),
      choice(
        "InstanceTier",
        "每日成功实例数",
        ACCOUNT_SCHEDULE_TIERS.map(([value, name]) => [name, value]),
      ),
    ],
    prices: {
      "ServerlessResourceGroup|ResourceCu:*": P["dataworks.serverless.cu-hour"],
      "OpenApiCall|ApiCalls:*": P["dataworks.openapi.10k-calls"],
      ...Object.fromEntries(ACCOUNT_SCHEDULE_TIERS.map(([value, , cny]) => [`ScheduleInstance|Region:cn-shanghai,InstanceTier:${value}`, cny])),
    },
  },
  {
    productCode: "dide",
    subscriptionType: "Subscription",
    modules: [mod("Edition", "版本", "Month", ["Edition"])],
    attributes: [
      choice("Edition", "DataWorks版本", [
        ["标准版", "standard"],
        ["专业版", "professional"],
        ["企业版", "enterprise"],
      ]),
    ],
    prices: {
      "Edition|Edition:standard": P["dataworks.edition.standard.month"],
      "Edition|Edition:professional": P["dataworks.edition.professional.month"],
      "Edition|Edition:enterprise": P["dataworks.edition.enterprise.month"],
    },
  },
  {
    productCode: "dts",
    subscriptionType: "PayAsYouGo",
    modules: [mod("InstanceClass", "实例规格", "Hour", DTS_CONFIG)],
    attributes: DTS_ATTRS,
    prices: Object.fromEntries(["micro", "small", "medium", "large"].map((c) => [dtsKey(c), P[`dts.sync.${c}.hour`]])),
  },
  {
    productCode: "dts",
    subscriptionType: "Subscription",
    modules: [mod("InstanceClass", "实例规格", "Month", DTS_CONFIG)],
    attributes: DTS_ATTRS,
    prices: Object.fromEntries(["micro", "small", "medium", "large"].map((c) => [dtsKey(c), P[`dts.sync.${c}.month`]])),
  },
  {
    productCode: "sc",
    subscriptionType: "PayAsYouGo",
    modules: [mod("ComputeResource", "计算资源", "Hour", ["Cu"])],
    attributes: [range("Cu", "CU", "CU")],
    prices: { "ComputeResource|Cu:*": P["flink.cu-hour"] },
  },
  {
    productCode: "sc",
    subscriptionType: "Subscription",
    modules: [mod("ComputeResource", "计算资源", "Month", ["Cu"])],
    attributes: [range("Cu", "CU", "CU")],
    prices: { "ComputeResource|Cu:*": P["flink.cu-month"] },
  },
  {
    productCode: "datahub",
    subscriptionType: "PayAsYouGo",
    modules: [
      mod("ActiveShard", "活跃Shard租用", "Day", ["ShardCount"]),
      mod("Storage", "存储空间", "Day", ["StorageSize"]),
      mod("ReadWriteRequest", "读写次数", "Usage", ["RequestCount"]),
      mod("ReadTraffic", "读流量", "Usage", ["ReadSize"]),
    ],
    attributes: [
      range("ShardCount", "Shard个数", "个"),
      range("StorageSize", "存储量", "GB"),
      range("RequestCount", "读写次数", "百万次"),
      range("ReadSize", "读流量", "GB"),
    ],
    prices: {
      "ActiveShard|ShardCount:*": P["datahub.shard.day"],
      "Storage|StorageSize:*": P["datahub.storage.gb-day"],
      "ReadWriteRequest|RequestCount:*": P["datahub.request.million"],
      "ReadTraffic|ReadSize:*": P["datahub.read.gb"],
    },
  },
  {
    productCode: "eci",
    subscriptionType: "PayAsYouGo",
    modules: [mod("Vcpu", "vCPU", "Hour", ["Region", "Cpu"]), mod("Memory", "内存", "Hour", ["Region", "MemorySize"])],
    attributes: [REGION, range("Cpu", "vCPU", "核"), range("MemorySize", "内存", "GiB")],
    prices: { "Vcpu|Region:cn-shanghai,Cpu:*": P["eci.vcpu.hour"], "Memory|Region:cn-shanghai,MemorySize:*": P["eci.memory.gib-hour"] },
  },
  {
    productCode: "sls",
    subscriptionType: "PayAsYouGo",
    modules: [
      mod("WriteTraffic", "写流量", "Usage", ["WriteSize"]),
      mod("IndexTraffic", "索引流量", "Usage", ["IndexSize"]),
      mod("HotStorage", "热存储", "Day", ["StorageSize"]),
      mod("ActiveShard", "活跃Shard", "Day", ["ShardCount"]),
      mod("Requests", "读写请求次数", "Usage", ["RequestCount"]),
      mod("DedicatedSql", "独享SQL", "Hour", ["CoreCount"]),
      mod("MaxComputeShipping", "投递MaxCompute", "Usage", ["ShipCu"]),
    ],
    attributes: [
      range("WriteSize", "写流量", "GB"),
      range("IndexSize", "索引流量", "GB"),
      range("StorageSize", "存储量", "GB"),
      range("ShardCount", "Shard个数", "个"),
      range("RequestCount", "请求次数", "万次"),
      range("CoreCount", "CPU核数", "核"),
      range("ShipCu", "投递CU", "CU"),
    ],
    prices: {
      "WriteTraffic|WriteSize:*": P["sls.write.gb"],
      "IndexTraffic|IndexSize:*": P["sls.index.gb"],
      "HotStorage|StorageSize:*": P["sls.storage.gb-day"],
      "ActiveShard|ShardCount:*": P["sls.shard.day"],
      // Per 万次 here: the refresh converts to a million.
      "Requests|RequestCount:*": P["sls.request.million"] / 100,
      "DedicatedSql|CoreCount:*": P["sls.sql.core-hour"],
      "MaxComputeShipping|ShipCu:*": P["sls.ship.cu"],
    },
  },
];
