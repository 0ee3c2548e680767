import { loadStackConfig, readStackFile } from "../project-files";
import { ConfigError } from "../lib/config/load";

import { input, baseDoc, toInput, configProblems } from "./support/config";
import { TRACKING_EXTRA_DEFAULTS } from "../lib/config/defaults";
import { CONFIG_DEFAULTS, DERIVED_DEFAULTS } from "../lib/config/defaults";
import { problem } from "../lib/config/problem";
import { QUARTZ_CRON_SHAPE } from "../lib/config/cron";

const CLASS_MESSAGE =
  'photo-analytics:realtime.dts.instanceClass is "micro", which carries fewer than 200 records/s, but realtime.dts.peakRecordsPerSecond is 3000: use "medium" or larger, or leave instanceClass unset to get the smallest class that fits';

const problems = configProblems;

describe("loadConfig: valid configs", () => {
  it("resolves the example dev stack with the seed's defaults", () => {
    const c = loadStackConfig(readStackFile("Pulumi.dev.yaml"));
    expect(c.stage).toBe("initial");
    expect(c.region).toBe("cn-shanghai");
    expect(c.source).toMatchObject({
      host: "10.0.3.21",
      port: 3306,
      database: "photo_assistant",
      user: "pa_sync",
      instanceType: "OTHER",
      region: "cn-shanghai",
    });
    expect(c.tables.map((t) => t.name)).toEqual(["users", "photo_records", "guide_usage", "page_views", "feedback", "advice_views", "user_events"]);
    expect(c.tables.every((t) => t.tier === "daily")).toBe(true);
    expect(c.tables.filter((t) => t.hourlyTable).map((t) => t.name)).toEqual(["photo_records", "guide_usage", "page_views"]);
    // The stage catalog makes them hourly at growth: the hourly DI job they share.
    expect(c.tables.filter((t) => t.hourlySince !== undefined).map((t) => [t.name, t.hourlySince])).toEqual([
      ["photo_records", "growth"],
      ["guide_usage", "growth"],
      ["page_views", "growth"],
    ]);
    expect(c.tables.filter((t) => t.realtime).map((t) => t.name)).toEqual(["users", "photo_records", "page_views"]);
    expect(c.tables.find((t) => t.name === "users")).toEqual({
      name: "users",
      primaryKey: ["id"],
      incrementalColumn: "updated_time",
      tier: "daily",
      realtime: true,
      hourlyTable: false,
    });
    expect(c.warehouse).toEqual({
      projectName: "photo_analytics_dev",
      lifecycleDays: 90,
      tablesCreatedWithLifecycleDays: 90,
      timezone: "Asia/Shanghai",
      quota: "os_PayAsYouGoQuota",
      tableLedgerFile: "sql/maxcompute/ods/photo_assistant.ledger.json",
    });
    expect(c.dataworks).toEqual({
      workspaceName: "photo_analytics_dev",
      resourceGroup: "Serverless_res_group_dev_0001",
      requestedCu: 2,
      dailyCron: "00 30 00 * * ?",
      hourlyCron: "00 05 * * * ?",
    });
    expect(c.realtime.enabled).toBe(false);
    expect(c.secretsSet).toEqual(["sourcePassword"]);
  });

  it("resolves the complete prod example", () => {
    const c = loadStackConfig(readStackFile("Pulumi.prod.yaml"));
    expect(c.source).toMatchObject({ instanceType: "RDS", instanceId: "rm-uf6wjk5xxxxxxxxxx" });
    expect(c.realtime.dts).toEqual({
      instanceClass: "micro",
      paymentType: "PayAsYouGo",
      subscriptionMonths: undefined,
      peakRecordsPerSecond: 150,
      delayThresholdSeconds: 10,
      alertPhones: ["13800000000"],
      // prod brings its own AccessKey pair: the writer stays "accessKey".
      writer: "accessKey",
      writerKeyGeneration: 1,
      retiredWriterKeyGeneration: 0,
    });
    expect(c.tracking).toEqual({
      enabled: true,
      projectName: "photo-analytics-prod-tracking",
      logstore: "user_events",
      retentionDays: 90,
      shardCount: 2,
      dauFloor: 50,
      extra: TRACKING_EXTRA_DEFAULTS,
    });
    expect(c.budget.monthlyCny).toBe(1500);
  });

  it.each([
    ["initial", [], false],
    ["growth", ["photo_records", "guide_usage", "page_views"], false],
    ["mature", ["photo_records", "guide_usage", "page_views"], true],
  ] as const)("stage %s: hourly tables %j, realtime on = %s", (stage, hourly, realtime) => {
    const c = loadStackConfig(input({ "photo-analytics:stage": stage }));
    expect(c.tables.filter((t) => t.tier === "hourly").map((t) => t.name)).toEqual(hourly);
    expect(c.realtime.enabled).toBe(realtime);
  });

  it("a per-table tier override applies in every stage", () => {
    const tables = [
      { name: "users", tier: "hourly", incrementalColumn: "updated_time" },
      { name: "page_views", tier: "daily", incrementalColumn: "created_time" },
    ];
    for (const stage of ["initial", "growth", "mature"]) {
      const c = loadStackConfig(input({ "photo-analytics:stage": stage, "photo-analytics:tables": tables }));
      expect(c.tables.map((t) => [t.name, t.tier, t.hourlyTable, t.hourlySince])).toEqual([
        ["users", "hourly", true, "initial"],
        ["page_views", "daily", false, undefined],
      ]);
    }
  });

  it("realtime can be switched on before mature and off in mature", () => {
    expect(loadStackConfig(input({ "photo-analytics:stage": "growth", "photo-analytics:realtime": { enabled: true } })).realtime.enabled).toBe(true);
    expect(loadStackConfig(input({ "photo-analytics:stage": "mature", "photo-analytics:realtime": { enabled: false } })).realtime.enabled).toBe(false);
  });

  it("sizes the DTS instance from the peak record rate when no class is given", () => {
    const cls = (peak: number) => loadStackConfig(input({ "photo-analytics:realtime": { dts: { peakRecordsPerSecond: peak } } })).realtime.dts.instanceClass;
    expect([cls(100), cls(200), cls(201), cls(2000), cls(4000), cls(9000)]).toEqual(["micro", "small", "small", "small", "medium", "large"]);
  });
});

describe("loadConfig: invalid configs", () => {
  it("fails when the stage is not a stage, with a did-you-mean", () => {
    expect(problems(input({ "photo-analytics:stage": "grwoth" }))).toEqual([
      'photo-analytics:stage: "grwoth" is not allowed; did you mean "growth"? allowed values: "initial", "growth", "mature"',
    ]);
  });

  it("fails on unknown keys at the top and inside objects, naming the closest key", () => {
    expect(
      problems(
        input({
          "photo-analytics:stag": "initial",
          "photo-analytics:source": { hots: "db", user: "u", host: "h" },
        }),
      ),
    ).toEqual([
      'photo-analytics:stag: unknown key; did you mean "stage"? allowed keys: stage, source, tables, warehouse, dataworks, realtime, tracking, budget, freshness, alerts, cost, sourcePassword, maxcomputeAccessKeyId, maxcomputeAccessKeySecret, datahubAccessKeyId, datahubAccessKeySecret',
      'photo-analytics:source.hots: unknown key; did you mean "host"? allowed keys: host, port, database, user, instanceType, instanceId, region, vpcId, schemaFile, manageAccount',
    ]);
  });

  it("reports every violation at once with the value seen and what is allowed", () => {
    const p = problems(
      input({
        "photo-analytics:source": { host: "h", user: "u", port: 70000, instanceType: "rds" },
        "photo-analytics:warehouse": { projectName: "Photo-Analytics", lifecycleDays: 0 },
        "photo-analytics:dataworks": {},
      }),
    );
    expect(p).toEqual([
      "photo-analytics:source.port: 70000 is out of range; allowed: >= 1 and <= 65535",
      'photo-analytics:source.instanceType: "rds" is not allowed; did you mean "RDS"? allowed values: "RDS", "ECS", "OTHER", "EXPRESS", "CEN", "DG"',
      'photo-analytics:warehouse.projectName: "Photo-Analytics" is not allowed; expected 3-28 characters: lower-case letters, digits and _, starting with a letter (MaxCompute project names are global) (pattern ^[a-z][a-z0-9_]{2,27}$)',
      "photo-analytics:warehouse.lifecycleDays: 0 is out of range; allowed: >= 1 and <= 37231",
      "photo-analytics:dataworks.resourceGroup: required, not set",
    ]);
  });

  it("fails when required keys are missing", () => {
    const doc = baseDoc();
    delete doc["photo-analytics:warehouse"];
    delete doc["alicloud:region"];
    expect(problems(toInput(doc))).toEqual([
      'alicloud:region: required, not set; run "pulumi config set alicloud:region cn-shanghai" (or your region)',
      "photo-analytics:warehouse: required, not set",
    ]);
  });

  it("fails on a wrong type, showing the value", () => {
    expect(problems(input({ "photo-analytics:source": { host: "h", user: "u", port: "3306x" } }))).toEqual([
      'photo-analytics:source.port: "3306x" has the wrong type; expected integer',
    ]);
  });

  it("fails when a secret is stored in plain text, without printing it", () => {
    const i = input({ "photo-analytics:sourcePassword": "hunter2-plain" }, [
      "photo-analytics:maxcomputeAccessKeyId",
      "photo-analytics:maxcomputeAccessKeySecret",
    ]);
    const p = problems(i);
    expect(p).toEqual([
      'photo-analytics:sourcePassword: is stored in plain text in the stack config; a secret must be encrypted: run "pulumi config set --secret sourcePassword <value>" (the plain value is not shown here; remove it from the stack file)',
    ]);
    expect(p.join("\n")).not.toContain("hunter2-plain");
  });

  it("fails when a password is put inside the source object, without echoing it", () => {
    const p = problems(input({ "photo-analytics:source": { host: "h", user: "u", password: "s3cr3t-value" } }));
    expect(p).toEqual([
      'photo-analytics:source.password: unknown key; secrets go in their own keys (sourcePassword, maxcomputeAccessKeyId, maxcomputeAccessKeySecret, datahubAccessKeyId, datahubAccessKeySecret), set with "pulumi config set --secret <key>"; allowed keys: host, port, database, user, instanceType, instanceId, region, vpcId, schemaFile, manageAccount',
    ]);
    expect(p.join("\n")).not.toContain("s3cr3t-value");
  });

  it("fails when the source password is not set at all", () => {
    const doc = baseDoc();
    delete doc["photo-analytics:sourcePassword"];
    expect(problems(toInput(doc))).toEqual([
      'photo-analytics:sourcePassword: required, not set; the sync account\'s password: run "pulumi config set --secret sourcePassword <password>"',
    ]);
  });

  it("fails when a table is not in the source schema, naming the closest", () => {
    expect(problems(input({ "photo-analytics:tables": [{ name: "page_view" }] }))[0]).toBe(
      'photo-analytics:tables[0].name: "page_view" is not a table of source database "photo_assistant" (' +
        `sql/mysql/photo_assistant.schema.json); did you mean "page_views"? tables: advice_views, feedback, guide_usage, page_views, photo_records, user_events, users`,
    );
  });

  it("fails on unknown key columns and a non-temporal incremental column", () => {
    expect(
      problems(
        input({
          "photo-analytics:tables": [
            { name: "users", primaryKey: ["uid"], incrementalColumn: "nickname" },
            { name: "page_views", incrementalColumn: "created_tme" },
          ],
        }),
      ),
    ).toEqual([
      'photo-analytics:tables[0].primaryKey[0]: "uid" is not a column of users; did you mean "id"? columns: id, user_id, nickname, source, total_quota, used_quota, register_time, last_login_time, updated_time',
      'photo-analytics:tables[0].incrementalColumn: "nickname" is varchar(64); an incremental column must be a DATETIME, TIMESTAMP, DATE or integer column that grows on insert/update',
      'photo-analytics:tables[1].incrementalColumn: "created_tme" is not a column of page_views; did you mean "created_time"? columns: id, user_id, page_name, referrer, stay_ms, created_time',
    ]);
  });

  it("fails when an hourly table has no incremental column, and on duplicate tables", () => {
    expect(problems(input({ "photo-analytics:tables": [{ name: "users", tier: "hourly" }, { name: "users" }] }))).toEqual([
      'photo-analytics:tables[1].name: "users" is listed twice (also tables[0]); each table may appear once',
      'photo-analytics:tables[0].incrementalColumn: required when users is loaded hourly (tier "hourly"): an hourly load reads only the rows changed in the last hour; set incrementalColumn or use tier "daily"',
    ]);
  });

  it("fails when an RDS source has no instance id, or an id of the wrong kind", () => {
    expect(problems(input({ "photo-analytics:source": { host: "h", user: "u", instanceType: "RDS" } }))).toEqual([
      'photo-analytics:source.instanceId: required when source.instanceType is "RDS" (the RDS instance id, rm-...)',
    ]);
    expect(problems(input({ "photo-analytics:source": { host: "h", user: "u", instanceType: "RDS", instanceId: "i-abc" } }))).toEqual([
      'photo-analytics:source.instanceId: "i-abc" is not an RDS instance id; with instanceType "RDS" it must start with "rm-"',
    ]);
  });

  it("fails when the canal-datahub engine lacks its settings and secrets, naming each", () => {
    expect(problems(input({ "photo-analytics:stage": "mature", "photo-analytics:realtime": { engine: "canal-datahub" } }))).toEqual([
      'photo-analytics:realtime.canalDatahub.kafkaBootstrapServers: required with realtime.engine "canal-datahub", not set; expected DataHub\'s Kafka endpoint of the region, host:port',
      'photo-analytics:realtime.canalDatahub.image: required with realtime.engine "canal-datahub", not set; expected a Canal server image built from DataHub\'s Canal package',
      'photo-analytics:realtime.canalDatahub.vswitchId: required with realtime.engine "canal-datahub", not set; expected a vSwitch id ("vsw-...") in the VPC that reaches the source',
      'photo-analytics:realtime.canalDatahub.securityGroupId: required with realtime.engine "canal-datahub", not set; expected a security group id ("sg-...") allowed to reach MySQL',
      'photo-analytics:realtime.canalDatahub.nasServer: required with realtime.engine "canal-datahub", not set; expected a NAS mount target in the same VPC (Canal\'s positions)',
      'photo-analytics:datahubAccessKeyId: required with realtime.engine "canal-datahub", not set; Canal authenticates to DataHub\'s Kafka endpoint with this AccessKey (SASL PLAIN): run "pulumi config set --secret datahubAccessKeyId <value>"',
      'photo-analytics:datahubAccessKeySecret: required with realtime.engine "canal-datahub", not set; Canal authenticates to DataHub\'s Kafka endpoint with this AccessKey (SASL PLAIN): run "pulumi config set --secret datahubAccessKeySecret <value>"',
    ]);
  });

  it("fails when DTS is on without the MaxCompute AccessKey pair", () => {
    const doc = baseDoc();
    delete doc["photo-analytics:maxcomputeAccessKeySecret"];
    doc["photo-analytics:stage"] = "mature";
    expect(problems(toInput(doc))).toEqual([
      "photo-analytics:maxcomputeAccessKeySecret not set; the DTS job needs them when realtime.enabled is true: pulumi config set --secret photo-analytics:maxcomputeAccessKeySecret <value>",
    ]);
  });

  it("fails when the chosen DTS class cannot carry the configured peak", () => {
    expect(
      problems(input({ "photo-analytics:stage": "mature", "photo-analytics:realtime": { dts: { instanceClass: "micro", peakRecordsPerSecond: 3000 } } })),
    ).toEqual([CLASS_MESSAGE]);
  });

  it("fails on out-of-range delay thresholds and malformed phone numbers", () => {
    expect(problems(input({ "photo-analytics:realtime": { dts: { delayThresholdSeconds: 0, alertPhones: ["call me"] } } }))).toEqual([
      "photo-analytics:realtime.dts.delayThresholdSeconds: 0 is out of range; allowed: >= 1 and <= 3600",
      'photo-analytics:realtime.dts.alertPhones[0]: "call me" is not allowed; expected an 11-digit mainland China mobile number (1[3-9]xxxxxxxxx, no +86, spaces or dashes) (pattern ^1[3-9][0-9]{9}$)',
    ]);
  });
});

describe("loadConfig: tracking keys owned by lib/tracking", () => {
  it("accepts and resolves the tracking extras over their defaults", () => {
    const c = loadStackConfig(input({ "photo-analytics:tracking": { dauFloor: 10, timeZone: "+0900", export: { table: "ods_events_sls" } } }));
    expect(c.tracking.extra).toEqual({ ...TRACKING_EXTRA_DEFAULTS, timeZone: "+0900", export: { ...TRACKING_EXTRA_DEFAULTS.export, table: "ods_events_sls" } });
  });

  it("fails on a malformed tracking time zone and on a DAU floor with tracking off", () => {
    expect(problems(input({ "photo-analytics:tracking": { timeZone: "Asia/Tokyo" } }))).toEqual([
      'photo-analytics:tracking.timeZone: "Asia/Tokyo" is not allowed; expected a UTC offset such as +0800 (pattern ^[+-](0[0-9]|1[0-4])[0-5][0-9]$)',
    ]);
    expect(problems(input({ "photo-analytics:tracking": { enabled: false, dauFloor: 5 } }))).toEqual([
      "photo-analytics:tracking.dauFloor is 5 but tracking.enabled is false; the DAU alert needs tracking (set dauFloor to 0 or enable tracking)",
    ]);
  });
});

describe("loadConfig: managed sync account", () => {
  it("defaults the admin host and port to the source's and the account host to %", () => {
    const c = loadStackConfig(input({ "photo-analytics:source": { host: "db.internal", port: 3307, user: "u", manageAccount: {} } }));
    expect(c.source.manageAccount).toEqual({ adminHost: "db.internal", adminPort: 3307, accountHost: "%" });
  });

  it("fails for an RDS source", () => {
    expect(problems(input({ "photo-analytics:source": { host: "h", user: "u", instanceType: "RDS", instanceId: "rm-1", manageAccount: {} } }))).toEqual([
      'photo-analytics:source.manageAccount: set, but source.instanceType is "RDS"; an RDS account is created in the RDS console or with alicloud.rds.Account, not over SQL: remove manageAccount',
    ]);
  });
});

describe("loadConfig: one source of defaults (lib/config/defaults.ts)", () => {
  it("warehouse.tablesCreatedWithLifecycleDays follows lifecycleDays until it is set (then a lifecycle change leaves it)", () => {
    const w = (warehouse: Record<string, unknown>) =>
      loadStackConfig(input({ "photo-analytics:warehouse": { projectName: "photo_analytics_test", ...warehouse } })).warehouse;
    expect(w({ lifecycleDays: 90 })).toMatchObject({ lifecycleDays: 90, tablesCreatedWithLifecycleDays: 90 });
    expect(w({ lifecycleDays: 730, tablesCreatedWithLifecycleDays: 90 })).toMatchObject({ lifecycleDays: 730, tablesCreatedWithLifecycleDays: 90 });
    expect(() => w({ tablesCreatedWithLifecycleDays: 0 })).toThrow(
      "photo-analytics:warehouse.tablesCreatedWithLifecycleDays: 0 is out of range; allowed: >= 1 and <= 37231",
    );
  });

  it("resolves every unset key to CONFIG_DEFAULTS", () => {
    const c = loadStackConfig(input());
    const D = CONFIG_DEFAULTS;
    expect(c.source).toMatchObject({ port: D.source.port, database: D.source.database, instanceType: D.source.instanceType });
    expect(c.warehouse).toEqual({
      projectName: "photo_analytics_test",
      ...D.warehouse,
      tablesCreatedWithLifecycleDays: D.warehouse.lifecycleDays,
      tableLedgerFile: "sql/maxcompute/ods/photo_assistant.ledger.json",
    });
    expect(c.dataworks).toEqual({ workspaceName: "photo_analytics_test", resourceGroup: "Serverless_res_group_test", ...D.dataworks });
    expect(c.realtime).toEqual({
      enabled: false,
      engine: D.realtime.engine,
      metrics: D.realtime.metrics,
      alerts: D.realtime.alerts,
      // The base document brings the AccessKey pair, so the writer is "accessKey".
      dts: { ...D.realtime.dts, instanceClass: "micro", subscriptionMonths: undefined, writer: "accessKey" },
      flink: { ...D.realtime.flink, vpcId: undefined, vswitchIds: [], zoneId: undefined, ossBucket: undefined },
      canalDatahub: {
        ...D.realtime.canalDatahub,
        kafkaBootstrapServers: undefined,
        image: undefined,
        vswitchId: undefined,
        securityGroupId: undefined,
        nasServer: undefined,
      },
    });
    const { enabled, logstore, retentionDays, shardCount, dauFloor, ...extra } = D.tracking;
    expect(c.tracking).toEqual({
      enabled,
      projectName: "photo-analytics-test-tracking",
      logstore,
      retentionDays,
      shardCount,
      dauFloor,
      extra: { ...extra, export: { ...extra.export } },
    });
  });

  it("documents in words every default it derives from other keys", () => {
    expect(Object.keys(DERIVED_DEFAULTS)).toEqual(
      expect.arrayContaining([
        "source.region",
        "source.schemaFile",
        "dataworks.workspaceName",
        "realtime.enabled",
        "realtime.dts.instanceClass",
        "tracking.projectName",
      ]),
    );
  });
});

describe("loadConfig: crons read by the one Quartz cron parser", () => {
  it.each([
    ["dailyCron", "00 15 02 * * ?"],
    ["hourlyCron", "00 20 * * * ?"],
  ])("accepts a %s of its kind", (k, cron) => {
    const c = loadStackConfig(input({ "photo-analytics:dataworks": { resourceGroup: "rg", [k]: cron } }));
    expect(c.dataworks[k as "dailyCron" | "hourlyCron"]).toBe(cron);
  });

  it.each([
    [
      "dailyCron",
      "00 05 * * * ?",
      `photo-analytics:dataworks.dailyCron: "00 05 * * * ?" is not allowed; expected a daily Quartz cron ${QUARTZ_CRON_SHAPE.daily}`,
    ],
    [
      "hourlyCron",
      "00 30 00 * * ?",
      `photo-analytics:dataworks.hourlyCron: "00 30 00 * * ?" is not allowed; expected an hourly Quartz cron ${QUARTZ_CRON_SHAPE.hourly}`,
    ],
    [
      "dailyCron",
      "0 30 1 * * ? 2030",
      `photo-analytics:dataworks.dailyCron: "0 30 1 * * ? 2030" is not allowed; expected a daily Quartz cron ${QUARTZ_CRON_SHAPE.daily}`,
    ],
  ])("fails when %s is %p", (k, cron, message) => {
    expect(problems(input({ "photo-analytics:dataworks": { resourceGroup: "rg", [k]: cron } }))).toEqual([message]);
  });
});

describe("ConfigError: the one problem shape", () => {
  it("keeps the key, the value seen and what is allowed beside each message, never a secret", () => {
    const i = input({ "photo-analytics:warehouse": { projectName: "photo_analytics_test", lifecycleDays: 0 }, "photo-analytics:sourcePassword": "" });
    let err: ConfigError | undefined;
    try {
      loadStackConfig(i);
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.details).toContainEqual({
      key: "photo-analytics:warehouse.lifecycleDays",
      value: 0,
      message: "photo-analytics:warehouse.lifecycleDays: 0 is out of range; allowed: >= 1 and <= 37231",
    });
    expect(err!.details.map((p) => p.message)).toEqual(err!.problems);
  });

  it("lists a message found twice once", () => {
    expect(new ConfigError([problem("k", "m"), problem("k", "m", { value: 1 })]).problems).toEqual(["m"]);
  });
});

describe("tracking: validated in config only (the Tracking component takes resolved values)", () => {
  it.each([
    ["projectName has upper case", { projectName: "Photo-track" }, "photo-analytics:tracking.projectName"],
    ["projectName starts with a digit", { projectName: "1photo-track" }, "photo-analytics:tracking.projectName"],
    ["logstore is too short", { logstore: "ue" }, "photo-analytics:tracking.logstore"],
    ["retentionDays is 0", { retentionDays: 0 }, "photo-analytics:tracking.retentionDays"],
    ["shardCount is 300", { shardCount: 300 }, "photo-analytics:tracking.shardCount"],
    ["dauFloor is negative", { dauFloor: -1 }, "photo-analytics:tracking.dauFloor"],
    ["the export role is not a RAM role ARN", { export: { roleArn: "aliyunlogdefaultrole" } }, "photo-analytics:tracking.export.roleArn"],
  ])("fails when %s, naming the key", (_what, tracking, key) => {
    const found = problems(input({ "photo-analytics:tracking": { enabled: true, ...tracking } }));
    expect(found.some((p) => p.startsWith(key))).toBe(true);
  });
});
