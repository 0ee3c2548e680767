/**
 * BatchSync and Workspace under Pulumi mocks: each DI job names its ODS
 * partitions and DataWorks' cycle type, and gets a DiJobRun that starts it;
 * the workspace binds a MaxCompute compute resource and the serverless
 * resource group, and its production data source runs as an account, not the
 * executor.
 */
import * as pulumi from "@pulumi/pulumi";
import { TableConfig } from "../lib/config/types";
import { CYCLE_TYPE, diJobSpecs, diJobVersion } from "../lib/dataworks/di-job-spec";
import { setTestMocks } from "./support/mocks";

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, any>;
}
const recorded: Recorded[] = [];

setTestMocks({
  newResource: (args) => {
    recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
    const id = args.type === "alicloud:dataworks/diJob:DiJob" ? `123456:${recorded.length}` : args.type.endsWith("Project") ? "123456" : `${args.name}-id`;
    return { id, state: args.inputs };
  },
  call: (args) => args.inputs,
});

const { BatchSync } = require("../components/dataworks/batch-sync") as typeof import("../components/dataworks/batch-sync");
const { Workspace, PROD_AUTH_TYPE, MAXCOMPUTE_COMPUTE_RESOURCE } =
  require("../components/dataworks/workspace") as typeof import("../components/dataworks/workspace");

const t = (name: string, o: Partial<TableConfig> = {}): TableConfig => ({
  name,
  primaryKey: ["id"],
  incrementalColumn: "updated_at",
  tier: "daily",
  realtime: false,
  hourlyTable: false,
  ...o,
});
const TABLES = [t("users"), t("page_views", { tier: "hourly" }), t("feedback", { incrementalColumn: undefined })];

function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 50));
}

describe("DI job specs (lib/dataworks/di-job-spec.ts)", () => {
  it("name the ODS partition columns (daily ds, hourly ds + hh) and fill them from the scheduling parameters", () => {
    const daily = diJobSpecs("daily", TABLES, "ws", "00 30 00 * * ?")[0];
    const rules = Object.fromEntries(daily.transformationRules.map((r) => [r.ruleActionType, JSON.parse(r.ruleExpression)]));
    expect(rules.DefinePartitionKey).toEqual({ columns: ["ds"] });
    expect(rules.AddColumn).toEqual({ columns: [{ columnName: "ds", columnValueType: "Constant", columnValue: "${bizdate}" }] });
    const hourly = diJobSpecs("hourly", TABLES, "ws", "00 05 * * * ?")[0];
    const hrules = Object.fromEntries(hourly.transformationRules.map((r) => [r.ruleActionType, JSON.parse(r.ruleExpression)]));
    expect(hrules.DefinePartitionKey).toEqual({ columns: ["ds", "hh"] });
    expect(hrules.AddColumn.columns.map((c: { columnValue: string }) => c.columnValue)).toEqual(["${bizdate}", "${hh}"]);
    // Every table mapping applies the partition rules.
    for (const tr of hourly.tableRules) expect(tr.rules).toEqual(expect.arrayContaining(["partition_key_hourly", "partition_values_hourly"]));
  });

  it("hourly: one job per stage its tables become hourly at, so a promotion only adds jobs", () => {
    const tables = [
      t("users", { tier: "hourly", hourlySince: "initial" }),
      t("page_views", { tier: "hourly", hourlySince: "growth" }),
      t("guide_usage", { tier: "hourly", hourlySince: "growth" }),
      t("photo_records", { tier: "daily", hourlySince: "growth" }),
      t("feedback"),
    ];
    const specs = diJobSpecs("hourly", tables, "ws", "00 05 * * * ?");
    expect(specs.map((s) => [s.key, s.jobName, s.tables.map((x) => x.name)])).toEqual([
      ["since_initial", "ws_ods_hourly_since_initial", ["users"]],
      ["since_growth", "ws_ods_hourly_since_growth", ["page_views", "guide_usage"]],
    ]);
    // A table hourly from the start of the stage catalog (no hourlySince) joins the initial one.
    expect(diJobSpecs("hourly", [t("users", { tier: "hourly" })], "ws", "00 05 * * * ?").map((s) => s.key)).toEqual(["since_initial"]);
  });

  it("use DataWorks' cycle types (DAY=0, NOT_DAY=1) and its hourly cron form", () => {
    expect(CYCLE_TYPE).toEqual({ daily: "0", hourly: "1" });
    const schedule = (layer: "daily" | "hourly", cron: string) =>
      JSON.parse(diJobSpecs(layer, TABLES, "ws", cron)[0].transformationRules.find((r) => r.ruleActionType === "DefineCycleScheduleSettings")!.ruleExpression);
    expect(schedule("daily", "00 30 00 * * ?")).toEqual({ cronExpress: "00 30 00 * * ?", cycleType: "0" });
    expect(schedule("hourly", "00 05 * * * ?")).toEqual({ cronExpress: "00 05 00-23/1 * * ?", cycleType: "1" });
    expect(schedule("hourly", "00 05 00-23/1 * * ?")).toEqual({ cronExpress: "00 05 00-23/1 * * ?", cycleType: "1" });
  });

  it("fails when a layer's cron is of the other kind, naming it", () => {
    expect(() => diJobSpecs("hourly", TABLES, "ws", "00 30 00 * * ?")).toThrow(/the hourly DI jobs' cron "00 30 00 \* \* \?" must be a hourly Quartz cron/);
  });

  it("version a job by its definition: a table or rule change restarts it, nothing else does", () => {
    const [a] = diJobSpecs("daily", TABLES, "ws", "00 30 00 * * ?");
    const [b] = diJobSpecs("daily", [...TABLES, t("guide_usage")], "ws", "00 30 00 * * ?");
    expect(diJobVersion(a)).toBe(diJobVersion(diJobSpecs("daily", TABLES, "ws", "00 30 00 * * ?")[0]));
    expect(diJobVersion(a)).not.toBe(diJobVersion(b));
    expect(diJobVersion(a, { requestedCu: 1 })).not.toBe(diJobVersion(a, { requestedCu: 2 }));
  });
});

describe("BatchSync", () => {
  it("gives every DI job a DiJobRun taking its id, the region and the job's version", async () => {
    recorded.length = 0;
    const sync = new BatchSync("sync-daily", {
      projectId: 123456,
      layer: "daily",
      tables: TABLES,
      database: "photo_assistant",
      sourceDataSourceName: "src",
      destinationDataSourceName: "dst",
      resourceGroup: "Serverless_res_group_1",
      requestedCu: 2,
      jobPrefix: "ws",
      cron: "00 30 00 * * ?",
      timezone: "Asia/Shanghai",
      region: "cn-hangzhou",
    });
    await new Promise<void>((r) => pulumi.all(sync.runs.map((x) => x.urn)).apply(() => r()));
    await settle();
    const jobs = recorded.filter((r) => r.type === "alicloud:dataworks/diJob:DiJob");
    const runs = recorded.filter((r) => r.type === "pulumi-nodejs:dynamic/dataworks:DiJobRun");
    expect(jobs.map((j) => j.name).sort()).toEqual(["sync-daily-full", "sync-daily-incremental"]);
    expect(runs.map((j) => j.name).sort()).toEqual(["sync-daily-full-run", "sync-daily-incremental-run"]);
    for (const run of runs) {
      expect(run.inputs).toMatchObject({
        diJobId: expect.stringMatching(/^123456:\d+$/),
        region: "cn-hangzhou",
        jobVersion: expect.stringMatching(/^v1-[0-9a-f]{16}$/),
      });
    }
    const rules = jobs.find((j) => j.name === "sync-daily-incremental")!.inputs.transformationRules.map((r: { ruleActionType: string }) => r.ruleActionType);
    expect(rules).toEqual(expect.arrayContaining(["DefinePartitionKey", "AddColumn", "DefineCycleScheduleSettings"]));
  });
});

describe("Workspace", () => {
  it("binds a MaxCompute compute resource (PrimaryAccount, Prod) and the resource group; the data source runs as the account", async () => {
    recorded.length = 0;
    const ws = new Workspace("dw", {
      workspaceName: "pa_ws",
      region: "cn-hangzhou",
      source: {
        instanceType: "ECS",
        host: "10.0.0.1",
        port: 3306,
        database: "photo_assistant",
        user: "sync",
      } as unknown as import("../lib/config/types").SourceConfig,
      sourcePassword: pulumi.secret("pw"),
      maxcomputeProject: "pa_warehouse",
      resourceGroup: "Serverless_res_group_1",
    });
    await new Promise<void>((r) => pulumi.all([ws.computeResource.urn, ws.resourceGroupAssociation!.urn]).apply(() => r()));
    await settle();
    const compute = recorded.find((r) => r.type === "pulumi-nodejs:dynamic/dataworks:ComputeResource")!;
    expect(compute.name).toBe("dw-compute");
    expect(compute.inputs).toMatchObject({
      projectId: 123456,
      region: "cn-hangzhou",
      name: MAXCOMPUTE_COMPUTE_RESOURCE,
      type: "maxcompute",
      connectionPropertiesMode: "UrlMode",
      connectionProperties: { project: "pa_warehouse", regionId: "cn-hangzhou", endpointMode: "SelfAdaption", authType: PROD_AUTH_TYPE, envType: "Prod" },
    });
    const bind = recorded.find((r) => r.type === "pulumi-nodejs:dynamic/dataworks:ResourceGroupAssociation")!;
    expect(bind).toMatchObject({ name: "dw-resource-group", inputs: { projectId: 123456, region: "cn-hangzhou", resourceGroupId: "Serverless_res_group_1" } });
    const mc = recorded.find((r) => r.name === "dw-maxcompute")!;
    // connectionProperties is Sensitive in the provider schema: the SDK wraps it as a secret.
    const raw = mc.inputs.connectionProperties;
    const props = typeof raw === "object" && raw !== null && "value" in raw ? raw.value : raw;
    expect(typeof props === "string" ? JSON.parse(props) : props).toMatchObject({ authType: "PrimaryAccount", envType: "Prod" });
  });
});
