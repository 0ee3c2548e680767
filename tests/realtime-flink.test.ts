/**
 * The dataworks-flink engine in plans of the real program (mocks): exact children and inputs,
 * each argument checked against the provider's Go source (terraform-provider-alicloud:
 * resource_alicloud_realtime_compute_vvp_instance.go @03df1c3e, _deployment.go @3803d483, _job.go
 * @579f232f, resource_alicloud_data_works_di_job.go @30c7bd7e) and the DataWorks CreateDIJob reference.
 */
import { named, ofType, planOf } from "./support/plan";
import { Plan } from "../lib/plan/types";
import { FLINK_CONFIG } from "./support/flink";
import { checkFlinkRules } from "../lib/flink/flink-rules";
import { loadStackConfig } from "../project-files";
import { input } from "./support/config";

let mature: Plan;
beforeAll(async () => {
  mature = await planOf({ "photo-analytics:stage": "mature", "photo-analytics:realtime": FLINK_CONFIG });
}, 60000);

describe("dataworks-flink in mature", () => {
  it("builds exactly the engine's children and no DTS", () => {
    const kids = mature.resources.filter((r) => r.name.startsWith("analytics-realtime-flink-")).map((r) => `${r.name} ${r.type}`);
    expect(kids.sort()).toEqual(
      [
        "analytics-realtime-flink-di alicloud:dataworks/diJob:DiJob",
        "analytics-realtime-flink-di-delay alicloud:dataworks/diAlarmRule:DiAlarmRule",
        "analytics-realtime-flink-di-failure alicloud:dataworks/diAlarmRule:DiAlarmRule",
        "analytics-realtime-flink-di-run pulumi-nodejs:dynamic/dataworks:DiJobRun",
        "analytics-realtime-flink-metric-tables pulumi-nodejs:dynamic/flink:MetricTables",
        "analytics-realtime-flink-metrics alicloud:realtimecompute/deployment:Deployment",
        "analytics-realtime-flink-metrics-job alicloud:realtimecompute/job:Job",
        "analytics-realtime-flink-metrics-job-stop pulumi-nodejs:dynamic/flink:FlinkJobStop",
        "analytics-realtime-flink-workspace alicloud:realtimecompute/vvpInstance:VvpInstance",
      ].sort(),
    );
    expect(mature.resources.filter((r) => r.type.startsWith("alicloud:dts/"))).toEqual([]);
    // Of the realtime layer's nodes only rt_metrics, copying the rt_* values into the SLS feed (lib/metrics/rt-metrics.ts): one workflow.
    const realtime = mature.resources.filter((r) => r.name.startsWith("analytics-nodes-realtime-"));
    expect(realtime.map((r) => [r.name, (r.inputs.nodes as { name: string }[]).map((n) => n.name)])).toEqual([
      ["analytics-nodes-realtime-workflow", ["rt_metrics"]],
    ]);
  });

  it("syncs the realtime tables whole-database realtime into <table>_realtime with their primary keys (CreateDIJob)", () => {
    const job = named(mature, "analytics-realtime-flink-di").inputs as Record<string, any>;
    expect(job.migrationType).toBe("FullAndRealtimeIncremental");
    expect(job.transformationRules).toEqual([
      { ruleName: "rename_realtime", ruleActionType: "Rename", ruleTargetType: "Table", ruleExpression: '{"expression":"${srcTableName}_realtime"}' },
      { ruleName: "primary_key_users", ruleActionType: "DefinePrimaryKey", ruleTargetType: "Table", ruleExpression: '{"columns":["id"]}' },
      { ruleName: "primary_key_photo_records", ruleActionType: "DefinePrimaryKey", ruleTargetType: "Table", ruleExpression: '{"columns":["id"]}' },
      { ruleName: "primary_key_page_views", ruleActionType: "DefinePrimaryKey", ruleTargetType: "Table", ruleExpression: '{"columns":["id"]}' },
    ]);
    // No partition key: the realtime tables are not partitioned.
    expect(JSON.stringify(job.transformationRules)).not.toContain("DefinePartitionKey");
    expect(job.resourceSettings.realtimeResourceSettings).toEqual({ resourceGroupIdentifier: expect.any(String), requestedCu: 2 });
    expect(job.tableMappings.map((m: any) => m.sourceObjectSelectionRules[2].expression)).toEqual(["users", "photo_records", "page_views"]);
  });

  it("starts the job and alarms on failure and delay like the batch jobs", () => {
    expect(named(mature, "analytics-realtime-flink-di-run").inputs.jobVersion).toMatch(/^rt1-[0-9a-f]{16}$/);
    expect(named(mature, "analytics-realtime-flink-di-failure").inputs).toMatchObject({ metricType: "Heartbeat", enabled: true });
    expect(named(mature, "analytics-realtime-flink-di-delay").inputs).toMatchObject({
      metricType: "Delay",
      triggerConditions: [{ severity: "Warning", duration: 5, threshold: 300 }],
    });
  });

  it("creates the Flink workspace with the provider's required, ForceNew arguments", () => {
    expect(named(mature, "analytics-realtime-flink-workspace").inputs).toMatchObject({
      vvpInstanceName: "photo-analytics-test-flink",
      paymentType: "PayAsYouGo",
      resourceSpec: { cpu: 2, memoryGb: 8 },
      storage: { oss: { bucket: "photo-analytics-flink-state" } },
      vpcId: "vpc-test1",
      vswitchIds: ["vsw-test1"],
      zoneId: "cn-shanghai-l",
    });
  });

  it("deploys the generated SQL as a streaming SQLSCRIPT in the default namespace and starts it statelessly", () => {
    const d = named(mature, "analytics-realtime-flink-metrics").inputs as Record<string, any>;
    expect(d).toMatchObject({
      executionMode: "STREAMING",
      namespace: "photo-analytics-test-flink-default",
      deploymentTarget: { mode: "PER_JOB", name: "default-queue" },
      artifact: { kind: "SQLSCRIPT" },
      flinkConf: { "execution.checkpointing.interval": "180s", "table.exec.state.ttl": "36 h" },
    });
    expect(d.artifact.sqlArtifact.sqlScript).toContain("BEGIN STATEMENT SET;");
    expect(d.localVariables.map((v: any) => v.name)).toEqual([
      "mysql_host",
      "mysql_port",
      "mysql_user",
      "mysql_database",
      "mysql_time_zone",
      "maxcompute_endpoint",
      "maxcompute_project",
    ]);
    const j = named(mature, "analytics-realtime-flink-metrics-job").inputs as Record<string, any>;
    expect(j).toMatchObject({ namespace: "photo-analytics-test-flink-default", restoreStrategy: { kind: "NONE" }, stopStrategy: "NONE" });
    expect(j.localVariables[0].name).toBe("photo_analytics_sql_version");
  });

  it("keeps no secret in any input", () => {
    for (const r of ofType(mature, "alicloud:realtimecompute/deployment:Deployment")) expect(JSON.stringify(r.inputs)).not.toMatch(/'password' = '[^$]/);
  });
});

describe("dataworks-flink config", () => {
  it("fails when the workspace network is not set, naming each key", async () => {
    await expect(planOf({ "photo-analytics:stage": "mature", "photo-analytics:realtime": { engine: "dataworks-flink" } })).rejects.toThrow(
      /realtime\.flink\.vpcId: required with realtime.engine "dataworks-flink"/,
    );
  });
  it("a realtime table without a primary key (a source table with none) is a config problem naming its key", () => {
    const config = loadStackConfig(input({ "photo-analytics:stage": "mature", "photo-analytics:realtime": FLINK_CONFIG }));
    const i = config.tables.findIndex((t) => t.realtime);
    const noKey = { ...config, tables: config.tables.map((t, k) => (k === i ? { ...t, primaryKey: [] } : t)) };
    expect(checkFlinkRules(config)).toEqual([]);
    expect(checkFlinkRules(noKey).map((p) => p.message)).toEqual([
      `photo-analytics:tables[${i}].primaryKey: ${config.tables[i].name} is a realtime table without a primary key; DataWorks realtime sync writes a primary-key Delta table that upserts by it: add a PRIMARY KEY in MySQL or set tables[${i}].primaryKey`,
    ]);
  });
});
