/** Pure DTS pieces: class sizing, provider spellings, dbList, reserve, source endpoint. */
import { DTS_INSTANCE_CLASSES, DtsInstanceClass, SourceConfig } from "../lib/config/types";
import { classCarries, instanceClassForInstance, instanceClassForJob, smallestInstanceClass, DTS_CLASS_MAX_RPS } from "../lib/config/dts-instance-classes";
import { TEST_SOURCE } from "./support/config";
import { ATTACHED_COLUMN_NAMING, buildDbList, dbListJson, reserveJson, sourceEndpoint, TARGET_TABLE_MODE } from "../lib/dts/dts-job";

describe("smallestInstanceClass", () => {
  it.each<[number, DtsInstanceClass | undefined]>([
    [1, "micro"],
    [100, "micro"],
    [199, "micro"],
    [200, "small"], // micro carries *fewer than* 200
    [2000, "small"],
    [2001, "medium"],
    [5000, "medium"],
    [5001, "large"],
    [11000, "large"],
    [11001, "xlarge"],
    [17000, "xlarge"],
    [17001, "2xlarge"],
    [34000, "2xlarge"],
    [34001, undefined],
  ])("%i records/s -> %s", (rps, cls) => {
    expect(smallestInstanceClass(rps)).toBe(cls);
  });

  it("documents the DTS rates (doc 6bce7c)", () => {
    expect(DTS_CLASS_MAX_RPS).toEqual({ micro: 200, small: 2000, medium: 5000, large: 11000, xlarge: 17000, "2xlarge": 34000 });
  });

  it("every class carries its own maximum except micro", () => {
    for (const c of DTS_INSTANCE_CLASSES) expect(classCarries(c, DTS_CLASS_MAX_RPS[c])).toBe(c !== "micro");
  });
});

describe("provider spellings of the class", () => {
  it.each<[DtsInstanceClass, string, string | undefined]>([
    ["micro", "micro", undefined],
    ["small", "small", "small"],
    ["medium", "medium", "medium"],
    ["large", "large", "large"],
    ["xlarge", "xlarge", "xlarge"],
    ["2xlarge", "xxlarge", "2xlarge"],
  ])("%s -> instance %s, job %s", (cls, onInstance, onJob) => {
    expect(instanceClassForInstance(cls)).toBe(onInstance);
    expect(instanceClassForJob(cls)).toBe(onJob);
  });
});

describe("dbList", () => {
  it("has the documented shape: database not whole, each table whole, same names", () => {
    expect(buildDbList("photo_assistant", ["users"])).toEqual({
      photo_assistant: { name: "photo_assistant", all: false, Table: { users: { name: "users", all: true } } },
    });
  });

  it("depends only on the set of tables (sorted), so adding one changes only dbList text", () => {
    const a = dbListJson("photo_assistant", ["users", "page_views", "photo_records"]);
    const b = dbListJson("photo_assistant", ["photo_records", "users", "page_views"]);
    expect(a).toBe(b);
    expect(Object.keys(JSON.parse(a).photo_assistant.Table)).toEqual(["page_views", "photo_records", "users"]);
  });

  it("fails when there are no tables", () => {
    expect(() => buildDbList("photo_assistant", [])).toThrow(/no tables/);
  });

  it("fails when a table is listed twice", () => {
    expect(() => buildDbList("photo_assistant", ["users", "users"])).toThrow(/"users" is listed twice/);
  });
});

describe("reserve", () => {
  it("fails a new job's precheck over the tables of an earlier job (targetTableMode 0), so two baselines never mix", () => {
    expect(TARGET_TABLE_MODE).toBe("0");
    expect(JSON.parse(reserveJson())).toEqual({ targetTableMode: "0" });
  });

  it("does not name the attached-column rule (no documented Reserve key): the task keeps the legacy names the SQL reads", () => {
    expect(ATTACHED_COLUMN_NAMING).toBe("legacy");
    expect(Object.keys(JSON.parse(reserveJson()))).toEqual(["targetTableMode"]);
  });
});

describe("sourceEndpoint", () => {
  const base: SourceConfig = TEST_SOURCE;

  it.each<[string, Partial<SourceConfig>, Record<string, string>]>([
    ["OTHER (public IP)", {}, { sourceEndpointIp: "203.0.113.10", sourceEndpointPort: "3306" }],
    ["RDS", { instanceType: "RDS", instanceId: "rm-bp1abc" }, { sourceEndpointInstanceId: "rm-bp1abc" }],
    ["ECS", { instanceType: "ECS", instanceId: "i-bp1abc", port: 3307 }, { sourceEndpointInstanceId: "i-bp1abc", sourceEndpointPort: "3307" }],
    [
      "EXPRESS",
      { instanceType: "EXPRESS", vpcId: "vpc-bp1abc" },
      { sourceEndpointInstanceId: "vpc-bp1abc", sourceEndpointIp: "203.0.113.10", sourceEndpointPort: "3306" },
    ],
    ["DG", { instanceType: "DG", instanceId: "dg-abc" }, { sourceEndpointInstanceId: "dg-abc", sourceEndpointIp: "203.0.113.10", sourceEndpointPort: "3306" }],
  ])("%s", (_label, over, expected) => {
    const source = { ...base, ...over } as SourceConfig;
    expect(sourceEndpoint(source)).toEqual({
      sourceEndpointEngineName: "MySQL",
      sourceEndpointInstanceType: source.instanceType,
      sourceEndpointRegion: "cn-shanghai",
      sourceEndpointUserName: "dts_user",
      ...expected,
    });
  });

  it.each<[SourceConfig["instanceType"], string]>([
    ["RDS", "instanceId"],
    ["ECS", "instanceId"],
    ["DG", "instanceId"],
    ["EXPRESS", "vpcId"],
  ])("fails when %s has no %s", (instanceType, k) => {
    expect(() => sourceEndpoint({ ...base, instanceType })).toThrow(`photo-analytics:source.${k} is required when source.instanceType is "${instanceType}"`);
  });
});
