import * as fs from "fs";
import * as path from "path";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { dataProtected } from "../policy/data-protected";
import { dtsWhereCalledFor } from "../policy/dts-where-called-for";
import { logstoreRetention } from "../policy/logstore-retention";
import { monthlyBudget } from "../policy/monthly-budget";
import { noPlaintextSecrets } from "../policy/no-plaintext-secrets";
import { singleRegion } from "../policy/single-region";
import { tableLifecycle } from "../policy/table-lifecycle";
import { webTrackingOnlyTracking } from "../policy/web-tracking";
import { ALL_POLICIES } from "../policy/policies";
import { PhotoAnalyticsPolicyConfig } from "../policy/config";
import { evaluatePlan, hasMandatoryFailure, resourceArgs, stackArgs } from "../policy/evaluate";
import { policyLinesMarkdown, policyLinesText } from "../policy/render";
import { PlannedResource } from "../lib/plan/types";
import { DATA_RESOURCE_TYPES, DATA_TYPES } from "../lib/plan/data-types";
import { DATA_TYPES as POLICY_DATA_TYPES } from "../policy/config";
import { dtsInstance, dtsJob, mcProject, plan, res, trackingStore } from "./cost-fixtures";

/** Calls a resource policy's validateResource directly; returns the violation messages. */
async function violations(policy: ResourceValidationPolicy, r: PlannedResource, config: PhotoAnalyticsPolicyConfig = {}): Promise<string[]> {
  const out: string[] = [];
  const v = policy.validateResource;
  for (const f of Array.isArray(v) ? v : [v!]) await f(resourceArgs(r, config), (m) => out.push(m));
  return out;
}

/** Calls a stack policy's validateStack directly. */
async function stackViolations(policy: StackValidationPolicy, resources: PlannedResource[], config: PhotoAnalyticsPolicyConfig = {}): Promise<string[]> {
  const out: string[] = [];
  await policy.validateStack(stackArgs(plan(resources), config), (m) => out.push(m));
  return out;
}

const rosTables = (lifecycle: unknown) =>
  res(
    "alicloud:ros/stack:Stack",
    "analytics-warehouse-ods-daily",
    {
      retainAllResources: true,
      templateBody: JSON.stringify({
        Resources: { OdsUsersD: { Type: "ALIYUN::MaxCompute::Table", Properties: { Name: "ods_users_d", Lifecycle: lifecycle } } },
      }),
    },
    { protect: true, retainOnDelete: true },
  );

describe("data-protected-retained", () => {
  it("passes for a protected, retained MaxCompute project", async () => {
    expect(await violations(dataProtected, mcProject)).toEqual([]);
  });
  it("fails when a logstore is neither protected nor retained", async () => {
    const store = { ...trackingStore, protect: false, retainOnDelete: false };
    expect(await violations(dataProtected, store)).toEqual([
      "analytics-tracking-logstore (alicloud:log/store:Store) holds data but is not protected: set { protect: true } so no update or destroy can delete it",
      "analytics-tracking-logstore (alicloud:log/store:Store) holds data but is not retained on delete: set { retainOnDelete: true } so removing it from the program keeps the data",
    ]);
  });
  it("fails when the DataWorks workspace is not protected", async () => {
    const ws = res("alicloud:dataworks/project:Project", "analytics-dataworks-workspace", { projectName: "pa_ws" }, { protect: false, retainOnDelete: true });
    expect(await violations(dataProtected, ws)).toEqual([
      "analytics-dataworks-workspace (alicloud:dataworks/project:Project) holds data but is not protected: set { protect: true } so no update or destroy can delete it",
    ]);
    expect(await violations(dataProtected, { ...ws, protect: true })).toEqual([]);
  });
  it.each([...DATA_RESOURCE_TYPES])("checks %s: every type of the one data-type list (lib/plan/data-types.ts)", async (type) => {
    const r = res(type, "r", { retainAllResources: true }, { protect: false, retainOnDelete: true });
    expect(await violations(dataProtected, r)).toEqual([expect.stringContaining("holds data but is not protected")]);
  });
  it("reads the same list as the plan and promotion checks", () => {
    expect(POLICY_DATA_TYPES).toBe(DATA_TYPES);
    expect(new Set(Object.values(DATA_TYPES))).toEqual(DATA_RESOURCE_TYPES);
  });
  it("fails when the ROS stack of the tables does not retain its resources", async () => {
    const r = rosTables(30);
    expect(await violations(dataProtected, { ...r, inputs: { ...r.inputs, retainAllResources: false } })).toEqual([
      "analytics-warehouse-ods-daily: ROS stack retainAllResources is false; it must be true so the MaxCompute tables survive a deleted stack",
    ]);
  });
});

describe("web-tracking-only-tracking-logstore", () => {
  it("passes for the tracking logstore", async () => {
    expect(await violations(webTrackingOnlyTracking, trackingStore, { trackingLogstore: "user_events" })).toEqual([]);
  });
  it("fails when another logstore takes anonymous writes", async () => {
    const metrics = res("alicloud:log/store:Store", "m", { logstoreName: "user_events_metrics", enableWebTracking: true, retentionPeriod: 30 });
    expect(await violations(webTrackingOnlyTracking, metrics)).toEqual([
      'm: logstore "user_events_metrics" has enableWebTracking: true; anyone can write to it. Only the tracking logstore "user_events" may',
    ]);
  });
});

describe("no-plaintext-secrets", () => {
  it("passes when credentials are secrets and SLS index tokens are plain", async () => {
    expect(await violations(noPlaintextSecrets, dtsJob)).toEqual([]);
    const index = res("alicloud:log/storeIndex:StoreIndex", "ix", { fullText: { token: ", '\";=()[]{}?@&<>/:\n\t\r" } });
    expect(await violations(noPlaintextSecrets, index)).toEqual([]);
  });
  it("fails on a plain password, an AccessKey id, and a password inside a JSON input", async () => {
    const job = res("alicloud:dts/synchronizationJob:SynchronizationJob", "job", {
      sourceEndpointPassword: "hunter2",
      destinationEndpointUserName: "LTAI5tAbCdEfGhIjKlMnOp",
    });
    const ds = res("alicloud:dataworks/dataSource:DataSource", "ds", { connectionProperties: JSON.stringify({ username: "u", password: "p" }) });
    expect(await violations(noPlaintextSecrets, job)).toEqual([
      "job: sourceEndpointPassword is a credential in plain text; pass it as a secret (config.requireSecret / pulumi.secret) so it is encrypted in state and masked in previews",
      "job: destinationEndpointUserName contains an AccessKey id (LTAI...) in plain text; pass it as a secret (config.requireSecret / pulumi.secret) so it is encrypted in state and masked in previews",
    ]);
    expect(await violations(noPlaintextSecrets, ds)).toEqual([
      "ds: connectionProperties<password> is a credential in plain text; pass it as a secret (config.requireSecret / pulumi.secret) so it is encrypted in state and masked in previews",
    ]);
  });
});

describe("dts-only-where-called-for", () => {
  it("passes when realtime is on with engine dts", async () => {
    expect(await violations(dtsWhereCalledFor, dtsInstance, { stage: "mature", realtimeEnabled: true, realtimeEngine: "dts" })).toEqual([]);
  });
  it("fails when the stage has realtime off", async () => {
    expect(await violations(dtsWhereCalledFor, dtsInstance, { stage: "growth", realtimeEnabled: false })).toEqual([
      "analytics-realtime-instance (alicloud:dts/synchronizationInstance:SynchronizationInstance) is a DTS resource but the realtime layer is off (stage growth, realtime.enabled false); DTS bills by the hour: remove it or enable realtime",
    ]);
  });
  it("fails when the engine is sls", async () => {
    expect(await violations(dtsWhereCalledFor, dtsJob, { stage: "mature", realtimeEnabled: true, realtimeEngine: "sls" })).toEqual([
      'analytics-realtime-job (alicloud:dts/synchronizationJob:SynchronizationJob) is a DTS resource but realtime.engine is "sls" (stage mature); only engine "dts" uses DTS',
    ]);
  });
});

describe("dts-only-where-called-for: the canal-datahub engine's resources", () => {
  const topic = res("alicloud:datahub/topic:Topic", "analytics-datahub-topic-users", { shardCount: 1 });
  const canal = res("alicloud:eci/containerGroup:ContainerGroup", "analytics-canal", { cpu: 2, memory: 4 });
  const connector = res("pulumi-nodejs:dynamic/datahub:Connector", "analytics-datahub-connector-users", {});
  it("passes when realtime is on with engine canal-datahub", async () => {
    for (const r of [topic, canal, connector]) {
      expect(await violations(dtsWhereCalledFor, r, { stage: "mature", realtimeEnabled: true, realtimeEngine: "canal-datahub" })).toEqual([]);
    }
  });
  it("fails when the engine is dts", async () => {
    expect(await violations(dtsWhereCalledFor, canal, { stage: "mature", realtimeEnabled: true, realtimeEngine: "dts" })).toEqual([
      'analytics-canal (alicloud:eci/containerGroup:ContainerGroup) is a canal-datahub engine resource but realtime.engine is "dts" (stage mature); only engine "canal-datahub" uses it',
    ]);
  });
  it("fails when the realtime layer is off", async () => {
    expect(await violations(dtsWhereCalledFor, topic, { stage: "growth", realtimeEnabled: false, realtimeEngine: "canal-datahub" })).toEqual([
      "analytics-datahub-topic-users (alicloud:datahub/topic:Topic) is a canal-datahub engine resource but the realtime layer is off (stage growth, realtime.enabled false); it bills by the hour: remove it or enable realtime",
    ]);
  });
});

describe("maxcompute-table-lifecycle", () => {
  it("passes when every table has a lifecycle", async () => {
    expect(await violations(tableLifecycle, rosTables(365))).toEqual([]);
  });
  it("fails when a table has no lifecycle", async () => {
    expect(await violations(tableLifecycle, rosTables(undefined))).toEqual([
      "analytics-warehouse-ods-daily: table ods_users_d has Lifecycle undefined; set a whole number of days >= 1 (warehouse.lifecycleDays)",
    ]);
  });
});

describe("logstore-retention-bounds", () => {
  it("passes within the bounds", async () => {
    expect(await violations(logstoreRetention, trackingStore, { minRetentionDays: 7, maxRetentionDays: 90 })).toEqual([]);
  });
  it("fails above the configured maximum", async () => {
    const store = { ...trackingStore, inputs: { ...trackingStore.inputs, retentionPeriod: 3650 } };
    expect(await violations(logstoreRetention, store, { maxRetentionDays: 365 })).toEqual([
      'analytics-tracking-logstore: logstore "user_events" retentionPeriod is 3650; allowed 7-365 days (tracking.retentionDays)',
    ]);
  });
});

describe("single-region", () => {
  it("passes when every region input is the stack's region", async () => {
    expect(await stackViolations(singleRegion, [dtsInstance, dtsJob], { region: "cn-shanghai" })).toEqual([]);
  });
  it("fails when a resource is in another region", async () => {
    const far = res("alicloud:dts/synchronizationJob:SynchronizationJob", "far", {
      destinationEndpointRegion: "cn-beijing",
      sourceEndpointRegion: "cn-hangzhou",
    });
    expect(await stackViolations(singleRegion, [dtsInstance, far], { region: "cn-shanghai" })).toEqual([
      "far: destinationEndpointRegion is cn-beijing, but the stack's region is cn-shanghai; one stack, one region (alicloud:region)",
    ]);
  });
});

describe("monthly-budget", () => {
  const cost = { prices: { "dts.sync.micro.hour": 1, "maxcompute.storage.gb-day": 0.004 }, sizes: { maxcomputeStorageGb: 100, dtsHoursPerMonth: 720 } };
  it("passes under the budget", async () => {
    expect(await stackViolations(monthlyBudget, [mcProject], { monthlyBudgetCny: 100, cost })).toEqual([]);
  });
  // ¥720 DTS + ¥12 storage + ¥67.50 realtime SQL (default 5 GB/day x 1.5 x 30 x ¥0.3)
  it("fails when the estimate exceeds the budget, naming the largest costs", async () => {
    expect(await stackViolations(monthlyBudget, [mcProject, dtsInstance, dtsJob], { monthlyBudgetCny: 500, cost })).toEqual([
      "estimated monthly cost ¥799.50 exceeds the budget ¥500.00 (budget.monthlyCny); largest: analytics-realtime-instance ¥720.00, analytics-warehouse-project ¥79.50, analytics-realtime-job ¥0.00",
    ]);
  });
  it("is not applicable without a budget", async () => {
    const [v] = (await evaluatePlan(plan([mcProject]), {})).filter((x) => x.policy === "monthly-budget");
    expect(v).toMatchObject({ status: "not-applicable", reason: "no budget.monthlyCny configured" });
  });
});

describe("evaluatePlan", () => {
  it("runs every policy of the pack once, in pack order", async () => {
    const verdicts = await evaluatePlan(plan([mcProject, trackingStore]), { region: "cn-shanghai", monthlyBudgetCny: 1000 });
    expect(verdicts.map((v) => v.policy)).toEqual(ALL_POLICIES.map((p) => p.name));
    expect(verdicts.every((v) => v.status === "pass")).toBe(true);
    expect(hasMandatoryFailure(verdicts)).toBe(false);
  });
  it("reports failures with the resource URN and renders them", async () => {
    const verdicts = await evaluatePlan(plan([mcProject, dtsInstance]), { stage: "initial", realtimeEnabled: false });
    const dts = verdicts.find((v) => v.policy === "dts-only-where-called-for")!;
    expect(dts.status).toBe("fail");
    expect(dts.violations[0].urn).toBe(dtsInstance.urn);
    expect(hasMandatoryFailure(verdicts)).toBe(true);
    const text = policyLinesText(verdicts).join("\n");
    expect(text).toContain("[FAIL] dts-only-where-called-for");
    expect(text).toContain("[n/a] monthly-budget (no budget.monthlyCny configured)");
    expect(policyLinesMarkdown(verdicts).join("\n")).toContain("| ❌ | `dts-only-where-called-for` | mandatory |");
  });
});

describe("docs/policies.md", () => {
  it("lists every policy of the pack with its enforcement level", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "policies.md"), "utf8");
    const rows = new Map([...doc.matchAll(/^\| `([a-z-]+)` \| (\w+) \|/gm)].map((m) => [m[1], m[2]]));
    expect(ALL_POLICIES.map((p) => [p.name, rows.get(p.name)])).toEqual(ALL_POLICIES.map((p) => [p.name, p.enforcementLevel]));
    expect(rows.size).toBe(ALL_POLICIES.length);
  });
});
