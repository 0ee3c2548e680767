import { named, ofType, planOf } from "./support/plan";
import { Plan } from "../lib/plan/types";
import { FLINK_CONFIG } from "./support/flink";
import { CANAL_VALUES } from "./support/canal";

const T = {
  mcProject: "alicloud:maxcompute/project:Project",
  ros: "alicloud:ros/stack:Stack",
  dwProject: "alicloud:dataworks/project:Project",
  dataSource: "alicloud:dataworks/dataSource:DataSource",
  diJob: "alicloud:dataworks/diJob:DiJob",
};

let plans: Record<string, Plan>;
beforeAll(async () => {
  plans = {};
  for (const stage of ["initial", "growth"]) plans[stage] = await planOf({ "photo-analytics:stage": stage, "photo-analytics:realtime": { enabled: false } });
});

describe("warehouse", () => {
  it("creates the MaxCompute project with type system 2, lifecycle and quota, protected and retained", () => {
    const p = named(plans.initial, "analytics-warehouse-project");
    expect(p.type).toBe(T.mcProject);
    expect(p.inputs).toEqual({
      comment: "photo-analytics warehouse (ODS from MySQL photo_assistant, front-end events, reports)",
      defaultQuota: "os_PayAsYouGoQuota",
      projectName: "photo_analytics_test",
      properties: { tableLifecycle: { type: "optional", value: "365" }, timezone: "Asia/Shanghai", typeSystem: "2" },
    });
    expect([p.protect, p.retainOnDelete]).toEqual([true, true]);
    expect(p.parent).toBe(named(plans.initial, "analytics-warehouse").urn);
  });

  it("creates ODS tables through ROS: all seven daily, the three hourly-capable hourly", () => {
    const daily = named(plans.initial, "analytics-warehouse-ods-daily");
    const hourly = named(plans.initial, "analytics-warehouse-ods-hourly");
    for (const s of [daily, hourly]) {
      expect(s.type).toBe(T.ros);
      expect([s.protect, s.retainOnDelete]).toEqual([true, true]);
      expect(s.inputs).toMatchObject({ deletionProtection: "Enabled", retainAllResources: true, replacementOption: "Disabled" });
    }
    expect(daily.inputs.stackName).toBe("photo-analytics-test-ods-daily");
    const tpl = JSON.parse(daily.inputs.templateBody as string);
    expect(tpl.ROSTemplateFormatVersion).toBe("2015-09-01");
    expect(Object.keys(tpl.Resources).sort()).toEqual([
      "OdsAdviceViewsD",
      "OdsFeedbackD",
      "OdsGuideUsageD",
      "OdsPageViewsD",
      "OdsPhotoRecordsD",
      "OdsUserEventsD",
      "OdsUsersD",
    ]);
    const users = tpl.Resources.OdsUsersD;
    expect(users.Type).toBe("ALIYUN::MaxCompute::Table");
    expect(users.DeletionPolicy).toBe("Retain");
    expect(users.Properties).toMatchObject({ Project: "photo_analytics_test", Name: "ods_users_d", IfNotExists: true, Lifecycle: 365 });
    expect(users.Properties.Schema.Columns.map((c: { Name: string; Type: string }) => `${c.Name} ${c.Type}`)).toEqual([
      "id BIGINT",
      "user_id STRING",
      "nickname STRING",
      "source STRING",
      "total_quota INT",
      "used_quota INT",
      "register_time DATETIME",
      "last_login_time DATETIME",
      "updated_time DATETIME",
    ]);
    expect(users.Properties.Schema.Partitions).toEqual([{ Name: "ds", Type: "STRING", Comment: "business date, yyyymmdd (DataWorks ${bizdate})" }]);
    const htpl = JSON.parse(hourly.inputs.templateBody as string);
    expect(Object.keys(htpl.Resources).sort()).toEqual(["OdsGuideUsageH", "OdsPageViewsH", "OdsPhotoRecordsH"]);
    expect(htpl.Resources.OdsPageViewsH.Properties.Schema.Partitions.map((c: { Name: string }) => c.Name)).toEqual(["ds", "hh"]);
  });

  it("keeps the same table definitions in every stage (promotion never touches data)", () => {
    for (const n of ["analytics-warehouse-project", "analytics-warehouse-ods-daily", "analytics-warehouse-ods-hourly"]) {
      expect(named(plans.growth, n).inputs).toEqual(named(plans.initial, n).inputs);
    }
  });
});

describe("DataWorks workspace", () => {
  it("creates the workspace (protected) and the two data sources with secret connection properties", () => {
    const ws = named(plans.initial, "analytics-dataworks-project");
    expect(ws.type).toBe(T.dwProject);
    expect(ws.inputs).toEqual({
      description: "photo-analytics: batch sync, reports and realtime views",
      devEnvironmentEnabled: false,
      devRoleDisabled: true,
      displayName: "photo_analytics_test",
      paiTaskEnabled: false,
      projectName: "photo_analytics_test",
    });
    expect(ws.protect).toBe(true);
    const mysql = named(plans.initial, "analytics-dataworks-mysql");
    expect(mysql.inputs).toEqual({
      connectionProperties: "[secret]",
      connectionPropertiesMode: "UrlMode",
      dataSourceName: "photo_assistant_mysql",
      description: "MySQL photo_assistant (source of the batch layers)",
      projectId: "[computed]",
      type: "mysql",
    });
    expect(named(plans.initial, "analytics-dataworks-maxcompute").inputs).toMatchObject({
      type: "maxcompute",
      dataSourceName: "photo_analytics_odps",
      connectionPropertiesMode: "UrlMode",
    });
    expect(ofType(plans.initial, T.dataSource)).toHaveLength(2);
  });
});

describe("batch sync", () => {
  it("initial: one daily DI job loading all seven tables incrementally", () => {
    const jobs = ofType(plans.initial, T.diJob);
    expect(jobs.map((j) => j.name)).toEqual(["analytics-sync-daily-incremental"]);
    const j = jobs[0].inputs as Record<string, any>;
    expect(j).toMatchObject({
      jobName: "photo_analytics_test_ods_daily_incremental",
      migrationType: "FullAndOfflineIncremental",
      sourceDataSourceType: "MySQL",
      destinationDataSourceType: "MaxCompute",
      sourceDataSourceSettings: [{ dataSourceName: "photo_assistant_mysql", dataSourceProperties: { encoding: "utf-8", timezone: "Asia/Shanghai" } }],
      destinationDataSourceSettings: [{ dataSourceName: "photo_analytics_odps" }],
      resourceSettings: {
        offlineResourceSettings: { requestedCu: 2, resourceGroupIdentifier: "Serverless_res_group_test" },
        scheduleResourceSettings: { requestedCu: 2, resourceGroupIdentifier: "Serverless_res_group_test" },
      },
      jobSettings: { cycleScheduleSettings: { cycleMigrationType: "OfflineIncremental", scheduleParameters: "bizdate=$bizdate" } },
    });
    expect(j.tableMappings.map((m: any) => m.sourceObjectSelectionRules[2].expression)).toEqual([
      "users",
      "photo_records",
      "guide_usage",
      "page_views",
      "feedback",
      "advice_views",
      "user_events",
    ]);
    const rules = Object.fromEntries(j.transformationRules.map((r: any) => [r.ruleName, r]));
    expect(JSON.parse(rules.rename_ods_daily.ruleExpression)).toEqual({ expression: "ods_${srcTableName}_d" });
    // DataWorks' scheduler enum: DAY = 0, NOT_DAY = 1 (lib/dataworks/di-job-spec.ts CYCLE_TYPE, with its source).
    expect(JSON.parse(rules.schedule_daily.ruleExpression)).toEqual({ cronExpress: "00 30 00 * * ?", cycleType: "0" });
    // Destination partitions named, not DataWorks' default `pt`.
    expect(JSON.parse(rules.partition_key_daily.ruleExpression)).toEqual({ columns: ["ds"] });
    expect(JSON.parse(rules.partition_values_daily.ruleExpression)).toEqual({
      columns: [{ columnName: "ds", columnValue: "${bizdate}", columnValueType: "Constant" }],
    });
    expect(JSON.parse(rules.incremental_daily_users.ruleExpression)).toEqual({
      where: "`updated_time` >= STR_TO_DATE('${bizdate}', '%Y%m%d')",
    });
    expect(JSON.parse(rules.primary_key_users.ruleExpression)).toEqual({ columns: ["id"] });
    expect(jobs[0].protect).toBe(false);
  });

  it("growth: adds one hourly DI job for the core tables growth makes hourly, leaving the daily job as it was", () => {
    const jobs = ofType(plans.growth, T.diJob);
    expect(jobs.map((j) => j.name).sort()).toEqual(["analytics-sync-daily-incremental", "analytics-sync-hourly-since_growth"]);
    const h = named(plans.growth, "analytics-sync-hourly-since_growth").inputs as Record<string, any>;
    expect(h.jobName).toBe("photo_analytics_test_ods_hourly_since_growth");
    expect(h.tableMappings.map((m: any) => m.sourceObjectSelectionRules[2].expression)).toEqual(["photo_records", "guide_usage", "page_views"]);
    // Each table's mapping names its own incremental condition and key.
    expect(h.tableMappings[2].transformationRules.map((r: any) => r.ruleName)).toEqual([
      "rename_ods_hourly",
      "schedule_hourly",
      "partition_values_hourly",
      "partition_key_hourly",
      "incremental_hourly_page_views",
      "primary_key_page_views",
    ]);
    const rules = Object.fromEntries(h.transformationRules.map((r: any) => [r.ruleName, JSON.parse(r.ruleExpression)]));
    expect(rules).toMatchObject({
      rename_ods_hourly: { expression: "ods_${srcTableName}_h" },
      // DataWorks' hourly form of the configured "00 05 * * * ?", and NOT_DAY = 1.
      schedule_hourly: { cronExpress: "00 05 00-23/1 * * ?", cycleType: "1" },
      partition_key_hourly: { columns: ["ds", "hh"] },
      partition_values_hourly: {
        columns: [
          { columnName: "ds", columnValue: "${bizdate}", columnValueType: "Constant" },
          { columnName: "hh", columnValue: "${hh}", columnValueType: "Constant" },
        ],
      },
      incremental_hourly_page_views: { where: "`created_time` >= STR_TO_DATE('${start}', '%Y%m%d%H')" },
      primary_key_page_views: { columns: ["id"] },
    });
    expect(h.jobSettings.cycleScheduleSettings.scheduleParameters).toBe(
      "bizdate=$[yyyymmdd-1/24] hh=$[hh24-1/24] start=$[yyyymmddhh24-1/24] end=$[yyyymmddhh24]",
    );
    expect(named(plans.growth, "analytics-sync-daily-incremental").inputs).toEqual(named(plans.initial, "analytics-sync-daily-incremental").inputs);
  });

  it("a table without an incremental column gets a full daily load in its own job", async () => {
    const p = await planOf({ "photo-analytics:tables": [{ name: "users", incrementalColumn: "updated_time" }, { name: "feedback" }] });
    const full = named(p, "analytics-sync-daily-full").inputs as Record<string, any>;
    expect(full.migrationType).toBe("Full");
    expect(full.jobSettings.cycleScheduleSettings.cycleMigrationType).toBe("Full");
    expect(full.tableMappings.map((m: any) => m.sourceObjectSelectionRules[2].expression)).toEqual(["feedback"]);
  });

  it("an RDS source is reached by instance id", async () => {
    const p = await planOf({ "photo-analytics:source": { host: "rm-x.mysql.rds.aliyuncs.com", user: "u", instanceType: "RDS", instanceId: "rm-abc123" } });
    expect(named(p, "analytics-dataworks-mysql").inputs.connectionPropertiesMode).toBe("InstanceMode");
  });
});

describe("managed sync account (opt-in)", () => {
  it("is absent unless source.manageAccount is set", () => {
    expect(plans.initial.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/source:SyncAccount")).toEqual([]);
  });

  it("creates the account with the secret password; CDC grants follow the engine, not the stage", async () => {
    const src = { host: "10.0.0.5", user: "pa_sync", manageAccount: { adminHost: "127.0.0.1", accountHost: "10.0.%" } };
    const initial = await planOf({ "photo-analytics:source": src });
    const mature = await planOf({ "photo-analytics:source": src, "photo-analytics:stage": "mature" });
    const a = named(initial, "analytics-sync-account");
    expect(a.type).toBe("pulumi-nodejs:dynamic/source:SyncAccount");
    expect(a.inputs).toMatchObject({
      host: "127.0.0.1",
      port: 3306,
      user: "pa_sync",
      accountHost: "10.0.%",
      password: "[secret]",
      database: "photo_assistant",
      replication: true,
    });
    expect(named(mature, "analytics-sync-account").inputs).toEqual(a.inputs);
    const sls = await planOf({ "photo-analytics:source": src, "photo-analytics:realtime": { engine: "sls" } });
    expect(named(sls, "analytics-sync-account").inputs.replication).toBe(false);
  });

  it("every engine that reads the binlog gets the replication grants (DTS, DataWorks realtime sync, Canal); SLS does not", async () => {
    const src = { host: "10.0.0.5", user: "pa_sync", manageAccount: { adminHost: "127.0.0.1" } };
    const engines: Record<string, Record<string, unknown>> = {
      dts: {},
      sls: { "photo-analytics:realtime": { engine: "sls" } },
      "dataworks-flink": { "photo-analytics:realtime": FLINK_CONFIG },
      "canal-datahub": CANAL_VALUES,
    };
    const replication: Record<string, unknown> = {};
    for (const [engine, over] of Object.entries(engines)) {
      const p = await planOf({ "photo-analytics:source": src, "photo-analytics:stage": "mature", ...over });
      replication[engine] = named(p, "analytics-sync-account").inputs.replication;
    }
    expect(replication).toEqual({ dts: true, sls: false, "dataworks-flink": true, "canal-datahub": true });
  });
});
