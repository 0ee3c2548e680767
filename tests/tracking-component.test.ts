import { createHash } from "crypto";
/**
 * The Tracking component under Pulumi mocks: exact child types, inputs,
 * options and counts, per stage/engine combination.
 */
import * as pulumi from "@pulumi/pulumi";
import { setTestMocks } from "./support/mocks";

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, any>;
}
const created: Recorded[] = [];
const options = new Map<string, { protect: boolean; retainOnDelete: boolean; ignoreChanges: string[] }>();

setTestMocks({
  newResource: (args) => {
    created.push({ type: args.type, name: args.name, inputs: args.inputs });
    return { id: `${args.name}-id`, state: args.inputs };
  },
  call: (args) => {
    if (args.token === "alicloud:index/getCallerIdentity:getCallerIdentity") {
      return { accountId: "1234567890", arn: "acs:ram::1234567890:root", identityType: "Account", id: "x" };
    }
    return args.inputs;
  },
});

import { Tracking, TrackingArgs } from "../components/sls/tracking";
import { fieldsUsed, realtimeMetricQueries, dauLastHourQuery, perMinuteMetricsScript } from "../lib/sls/queries";
import { rtDashboardQueries } from "../lib/sls/rt-metrics";
import { resolveTrackingExtra } from "../lib/config/defaults";
import { exportColumns } from "../lib/sls/sls-objects";

const recordOptions: pulumi.ResourceTransformation = (a) => {
  options.set(a.name, {
    protect: a.opts.protect === true,
    retainOnDelete: a.opts.retainOnDelete === true,
    ignoreChanges: a.opts.ignoreChanges ?? [],
  });
  return undefined;
};

/** What config resolves for a tracking section with only a project name (defaults from lib/config/defaults.ts). */
const BASE: TrackingArgs = {
  region: "cn-shanghai",
  projectName: "photo-dw-tracking",
  logstore: "user_events",
  retentionDays: 30,
  shardCount: 2,
  dauFloor: 0,
  realtimeMetrics: false,
  metricsStore: false,
  exportLifecycleDays: 365,
  exportTableCreatedWithLifecycleDays: 365,
  extra: resolveTrackingExtra(undefined),
};

/** Builds the component and waits for every registration. */
async function build(args: Partial<TrackingArgs> = {}, name = "tracking"): Promise<{ t: Tracking; res: Recorded[] }> {
  created.length = 0;
  options.clear();
  const t = new Tracking(name, { ...BASE, ...args }, { transformations: [recordOptions] });
  await new Promise<void>((resolve) => t.webTracking.apply(() => resolve()));
  // Let the remaining registrations (dependsOn chains, applies) settle.
  await new Promise((r) => setTimeout(r, 300));
  return { t, res: [...created] };
}

const types = (res: Recorded[]) => res.map((r) => r.type).sort();
const one = (res: Recorded[], type: string, name?: string) => {
  const found = res.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(found).toHaveLength(1);
  return found[0];
};

describe("Tracking component", () => {
  it.each([
    [
      "initial/growth, no alert",
      {},
      [Tracking.TYPE, "alicloud:log/dashboard:Dashboard", "alicloud:log/project:Project", "alicloud:log/store:Store", "alicloud:log/storeIndex:StoreIndex"],
    ],
    [
      "with a DAU floor",
      { dauFloor: 50 },
      [
        Tracking.TYPE,
        "alicloud:log/dashboard:Dashboard",
        "alicloud:log/project:Project",
        "alicloud:log/store:Store",
        "alicloud:log/storeIndex:StoreIndex",
        "alicloud:sls/alert:Alert",
      ],
    ],
    [
      "mature with realtime engine sls",
      { realtimeMetrics: true },
      [
        Tracking.TYPE,
        "alicloud:log/dashboard:Dashboard",
        "alicloud:log/dashboard:Dashboard",
        "alicloud:log/project:Project",
        "alicloud:log/store:Store",
        "alicloud:log/store:Store",
        "alicloud:log/storeIndex:StoreIndex",
        "alicloud:log/storeIndex:StoreIndex",
        "alicloud:sls/scheduledSql:ScheduledSql",
      ],
    ],
    [
      "with the T+1 export",
      { maxcomputeProject: "photo_dw" },
      [
        Tracking.TYPE,
        "alicloud:log/dashboard:Dashboard",
        "alicloud:log/project:Project",
        "alicloud:log/store:Store",
        "alicloud:log/storeIndex:StoreIndex",
        "alicloud:maxcompute/role:Role",
        "alicloud:maxcompute/roleUserAttachment:RoleUserAttachment",
        "alicloud:ros/stack:Stack",
        "pulumi-nodejs:dynamic/maxcompute:TableColumns",
        "pulumi-nodejs:dynamic/sls:MaxComputeExport",
      ],
    ],
  ])("%s: exact child types and counts", async (_label, args, expected) => {
    const { res } = await build(args as Partial<TrackingArgs>);
    expect(types(res)).toEqual([...expected].sort());
  });

  it("creates no DTS or other realtime resources with the SLS engine", async () => {
    const { res } = await build({ realtimeMetrics: true, dauFloor: 10, maxcomputeProject: "photo_dw" });
    expect(res.filter((r) => /dts|datahub|flink/i.test(r.type))).toEqual([]);
  });

  it("derives child names from the component name", async () => {
    const { res } = await build({ realtimeMetrics: true, dauFloor: 10, maxcomputeProject: "photo_dw" }, "prod-tracking");
    expect(res.map((r) => r.name).sort()).toEqual(
      [
        "prod-tracking",
        "prod-tracking-dashboard",
        "prod-tracking-dau-alert",
        "prod-tracking-events-table",
        "prod-tracking-events-table-columns",
        "prod-tracking-export-writer",
        "prod-tracking-export-writer-role",
        "prod-tracking-index",
        "prod-tracking-logstore",
        "prod-tracking-maxcompute-export",
        "prod-tracking-metrics-index",
        "prod-tracking-metrics-logstore",
        "prod-tracking-per-minute",
        "prod-tracking-project",
        "prod-tracking-trend-dashboard",
      ].sort(),
    );
  });

  it("creates the project and the tracking logstore with exact inputs, protected and retained", async () => {
    const { res } = await build({ retentionDays: 90, shardCount: 4 });
    expect(one(res, "alicloud:log/project:Project").inputs).toEqual({
      projectName: "photo-dw-tracking",
      description: "photo-analytics: front-end events (web tracking) and realtime metrics",
    });
    expect(one(res, "alicloud:log/store:Store").inputs).toEqual({
      projectName: "photo-dw-tracking",
      logstoreName: "user_events",
      retentionPeriod: 90,
      shardCount: 4,
      autoSplit: true,
      maxSplitShardCount: 64,
      mode: "standard",
      appendMeta: true,
      enableWebTracking: true,
    });
    for (const name of ["tracking-project", "tracking-logstore"]) {
      expect(options.get(name)).toMatchObject({ protect: true, retainOnDelete: true });
    }
    expect(options.get("tracking-index")).toMatchObject({ protect: false, retainOnDelete: false });
  });

  it("turns web tracking on for the tracking logstore only", async () => {
    const { res } = await build({ realtimeMetrics: true });
    const stores = res.filter((r) => r.type === "alicloud:log/store:Store");
    expect(stores.map((s) => [s.inputs.logstoreName, s.inputs.enableWebTracking]).sort()).toEqual([
      ["user_events", true],
      ["user_events_metrics", false],
    ]);
    expect(options.get("tracking-metrics-logstore")).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("indexes every field the dashboard, the alert and the Scheduled SQL use, with analytics", async () => {
    const { res } = await build({ realtimeMetrics: true, dauFloor: 5 });
    const index = res.find((r) => r.type === "alicloud:log/storeIndex:StoreIndex" && r.name === "tracking-index")!;
    expect(index.inputs.project).toBe("photo-dw-tracking");
    expect(index.inputs.logstore).toBe("user_events");
    expect(index.inputs.fullText).toBeUndefined();
    const analytic = new Set(index.inputs.fieldSearches.filter((f: any) => f.enableAnalytics).map((f: any) => f.name));

    const dashboard = one(res, "alicloud:log/dashboard:Dashboard", "tracking-dashboard");
    const charts = JSON.parse(dashboard.inputs.charList);
    const alert = one(res, "alicloud:sls/alert:Alert");
    const sql = one(res, "alicloud:sls/scheduledSql:ScheduledSql");
    const queries: string[] = [
      ...charts.map((c: any) => c.search.query),
      ...alert.inputs.configuration.queryLists.map((q: any) => q.query),
      sql.inputs.scheduledSqlConfiguration.script,
    ];
    const used = new Set(queries.flatMap(fieldsUsed));
    expect([...used].sort()).toEqual(["event_name", "page_name", "user_id"]);
    for (const f of used) expect(analytic).toContain(f);
    expect(index.inputs.fieldSearches.find((f: any) => f.name === "client_time")).toEqual({
      name: "client_time",
      type: "long",
      enableAnalytics: true,
    });
  });

  it("puts the seed's four realtime metrics on the dashboard as SLS SQL, and beside them the rt_* metrics of the metrics logstore", async () => {
    const { res } = await build();
    const dashboard = one(res, "alicloud:log/dashboard:Dashboard");
    expect(dashboard.inputs).toMatchObject({
      projectName: "photo-dw-tracking",
      dashboardName: "realtime-metrics",
      attribute: JSON.stringify({ type: "grid" }),
    });
    const charts = JSON.parse(dashboard.inputs.charList);
    expect(charts.map((c: any) => [c.title, c.type, c.search.logstore, c.search.query, c.search.start, c.search.end])).toEqual([
      ...realtimeMetricQueries("+0800").map((q) => [q.title, q.id === "funnel_today" ? "table" : "number", "user_events", q.query, q.start, "now"]),
      // Always there (empty until an import fills them): promotion and engine switches never rewrite the dashboard.
      ...rtDashboardQueries(5).map((q) => [q.title, q.columns.length > 1 ? "table" : "number", "user_events_metrics", q.query, q.start, "now"]),
    ]);
  });

  it("alerts when DAU over the last hour drops below the floor", async () => {
    const { res } = await build({ dauFloor: 50 });
    const alert = one(res, "alicloud:sls/alert:Alert");
    expect(alert.inputs).toMatchObject({
      projectName: "photo-dw-tracking",
      alertName: "dau-below-floor",
      status: "ENABLED",
      schedule: { type: "FixedRate", interval: "5m", timeZone: "+0800" },
      configuration: {
        version: "2.0",
        type: "default",
        conditionConfiguration: { condition: "dau_last_hour < 50", countCondition: "" },
        severityConfigurations: [{ severity: 8, evalCondition: { condition: "dau_last_hour < 50", countCondition: "" } }],
        policyConfiguration: { alertPolicyId: "sls.builtin.dynamic", actionPolicyId: "sls.builtin", repeatInterval: "1h" },
        queryLists: [
          {
            storeType: "log",
            region: "cn-shanghai",
            project: "photo-dw-tracking",
            store: "user_events",
            query: dauLastHourQuery().query,
            timeSpanType: "Relative",
            start: "-60m",
            end: "now",
          },
        ],
      },
    });
  });

  it("builds the SLS realtime engine: per-minute Scheduled SQL into a metrics logstore", async () => {
    const { res } = await build({ realtimeMetrics: true, scheduleStartEpochSeconds: 1767225600 });
    const sql = one(res, "alicloud:sls/scheduledSql:ScheduledSql");
    expect(sql.inputs.scheduledSqlConfiguration).toMatchObject({ fromTime: 1767225600, toTime: 0 });
    // Set once: a later `up` must not move the start (a past start backfills).
    expect(options.get("tracking-per-minute")!.ignoreChanges).toEqual(["scheduledSqlConfiguration.fromTime"]);
    expect(sql.inputs).toMatchObject({
      project: "photo-dw-tracking",
      scheduledSqlName: "per-minute-metrics",
      schedule: { type: "Cron", cronExpression: "* * * * *", timeZone: "+0800", delay: 30 },
      scheduledSqlConfiguration: {
        script: perMinuteMetricsScript(),
        sqlType: "searchQuery",
        sourceLogstore: "user_events",
        destProject: "photo-dw-tracking",
        destLogstore: "user_events_metrics",
        destEndpoint: "cn-shanghai-intranet.log.aliyuncs.com",
        roleArn: "acs:ram::1234567890:role/aliyunlogetlrole",
        destRoleArn: "acs:ram::1234567890:role/aliyunlogetlrole",
        fromTimeExpr: "@m-1m",
        toTimeExpr: "@m",
        dataFormat: "log2log",
      },
    });
    const metricsStore = one(res, "alicloud:log/store:Store", "tracking-metrics-logstore");
    expect(metricsStore.inputs).toMatchObject({ logstoreName: "user_events_metrics", retentionPeriod: 30, shardCount: 1 });
  });

  it("uses configured role ARNs instead of the default roles", async () => {
    const extra = resolveTrackingExtra({
      scheduledSqlRoleArn: "acs:ram::42:role/sql",
      export: { roleArn: "acs:ram::42:role/export" },
    });
    const { res } = await build({ realtimeMetrics: true, maxcomputeProject: "photo_dw", extra });
    expect(one(res, "alicloud:sls/scheduledSql:ScheduledSql").inputs.scheduledSqlConfiguration.roleArn).toBe("acs:ram::42:role/sql");
    const exp = one(res, "pulumi-nodejs:dynamic/sls:MaxComputeExport");
    expect([exp.inputs.roleArn, exp.inputs.odpsRoleArn]).toEqual(["acs:ram::42:role/export", "acs:ram::42:role/export"]);
  });

  it("export lifecycle changed: the table's ROS template keeps its creation lifecycle; TableColumns carries the new one", async () => {
    const before = await build({ maxcomputeProject: "photo_dw", exportLifecycleDays: 90, exportTableCreatedWithLifecycleDays: 90 });
    const after = await build({ maxcomputeProject: "photo_dw", exportLifecycleDays: 730, exportTableCreatedWithLifecycleDays: 90 });
    const stack = (r: typeof before) => one(r.res, "alicloud:ros/stack:Stack").inputs;
    expect(stack(after).templateBody).toBe(stack(before).templateBody);
    expect(stack(after).parameters).toEqual(stack(before).parameters);
    expect(JSON.parse(stack(after).templateBody).Resources.EventsTable.Properties.Lifecycle).toBe(90);
    expect(one(after.res, "pulumi-nodejs:dynamic/maxcompute:TableColumns").inputs.lifecycleDays).toBe(730);
  });

  it("ships user_events to a day-partitioned MaxCompute table (ROS) with the export", async () => {
    const { res } = await build({ maxcomputeProject: "photo_dw", exportLifecycleDays: 180, exportTableCreatedWithLifecycleDays: 180 });
    const stack = one(res, "alicloud:ros/stack:Stack");
    expect(stack.inputs).toMatchObject({
      stackName: "photo-dw-tracking-events-table",
      deletionProtection: "Enabled",
      retainAllResources: true,
    });
    expect(options.get("tracking-events-table")).toMatchObject({ protect: true, retainOnDelete: true });
    const table = JSON.parse(stack.inputs.templateBody).Resources.EventsTable;
    expect(table.Type).toBe("ALIYUN::MaxCompute::Table");
    expect(table.Properties).toMatchObject({ Project: "photo_dw", Name: "ods_user_events_sls", IfNotExists: true, Lifecycle: 180 });
    expect(table.Properties.Schema.Partitions).toEqual([{ Name: "ds", Type: "STRING", Comment: "day, yyyymmdd" }]);
    expect(table.Properties.Schema.Columns.map((c: any) => `${c.Name} ${c.Type}`)).toEqual(exportColumns().map((c) => `${c.name} ${c.type}`));
    // A changed template reaches UpdateStack: the provider sends templateBody only with a `parameters`
    // change (alicloud/resource_alicloud_ros_stack.go @30c7bd7), so the template's sha256 rides in them.
    expect(stack.inputs.parameters).toEqual([
      { parameterKey: "TemplateDigest", parameterValue: createHash("sha256").update(stack.inputs.templateBody).digest("hex") },
    ]);
    expect(JSON.parse(stack.inputs.templateBody).Parameters).toEqual({ TemplateDigest: expect.objectContaining({ Type: "String" }) });

    // The lifecycle reaches the table through TableColumns (ALTER TABLE ... SET LIFECYCLE,
    // https://www.alibabacloud.com/help/doc-detail/73769.htm), protected and retained like the table.
    const lifecycle = one(res, "pulumi-nodejs:dynamic/maxcompute:TableColumns");
    expect(lifecycle.name).toBe("tracking-events-table-columns");
    expect(lifecycle.inputs).toMatchObject({
      region: "cn-shanghai",
      endpoint: "https://service.cn-shanghai.maxcompute.aliyun.com/api",
      project: "photo_dw",
      lifecycleDays: 180,
      tables: [{ name: "ods_user_events_sls", columns: exportColumns().map((c) => ({ name: c.name, type: c.type, comment: c.comment })) }],
    });
    expect(options.get("tracking-events-table-columns")).toMatchObject({ protect: true, retainOnDelete: true });

    const exp = one(res, "pulumi-nodejs:dynamic/sls:MaxComputeExport");
    const { __provider, ...inputs } = exp.inputs;
    expect(typeof __provider).toBe("string");
    expect(inputs).toEqual({
      status: undefined,
      region: "cn-shanghai",
      endpoint: "cn-shanghai.log.aliyuncs.com",
      project: "photo-dw-tracking",
      exportName: "user-events-to-maxcompute",
      displayName: "user_events to MaxCompute ods_user_events_sls",
      description: "photo-analytics T+1 path for front-end events",
      logstore: "user_events",
      roleArn: "acs:ram::1234567890:role/aliyunlogdefaultrole",
      odpsRoleArn: "acs:ram::1234567890:role/aliyunlogdefaultrole",
      odpsProject: "photo_dw",
      odpsTable: "ods_user_events_sls",
      odpsEndpoint: "https://service.cn-shanghai-intranet.maxcompute.aliyun-inc.com/api",
      odpsTunnelEndpoint: "https://dt.cn-shanghai-intranet.maxcompute.aliyun-inc.com",
      fields: exportColumns().map((c) => c.logField),
      partitionColumn: ["__partition_time__"],
      partitionTimeFormat: "%Y%m%d",
      timeZone: "+0800",
      bufferIntervalSeconds: 1800,
      fromTime: 1,
    });
    // No secret (AccessKey) is ever an input of the export.
    expect(JSON.stringify(inputs)).not.toMatch(/accessKey|secret/i);
  });

  // SLS writes MaxCompute as the export's RAM role, which needs Describe, Alter and Update on
  // the table: https://www.alibabacloud.com/help/en/log-service/latest/write-data-to-maxcompute-by-using-a-default-role
  // (alicloud/resource_alicloud_max_compute_role.go @ 47511266efe5cf0282a1ecd6349de53bc78c2383,
  // alicloud/resource_alicloud_max_compute_role_user_attachment.go @ 2a0ec277b0ff4846f24e35300d62edc0708520aa).
  it("grants AliyunLogDefaultRole Describe, Alter and Update on the export table, and only on it", async () => {
    const { res } = await build({ maxcomputeProject: "photo_dw" });
    const role = one(res, "alicloud:maxcompute/role:Role");
    expect(role.name).toBe("tracking-export-writer-role");
    const { policy, ...roleInputs } = role.inputs;
    expect(roleInputs).toEqual({ projectName: "photo_dw", roleName: "sls_export_writer", type: "resource" });
    expect(JSON.parse(policy)).toEqual({
      Version: "1",
      Statement: [
        {
          Effect: "Allow",
          Action: ["odps:Describe", "odps:Alter", "odps:Update"],
          Resource: ["acs:odps:*:projects/photo_dw/tables/ods_user_events_sls"],
        },
      ],
    });
    expect(one(res, "alicloud:maxcompute/roleUserAttachment:RoleUserAttachment").inputs).toEqual({
      projectName: "photo_dw",
      roleName: "sls_export_writer",
      user: "RAM$1234567890:role/aliyunlogdefaultrole",
    });
    // Not data: removing the export removes the grant.
    expect(options.get("tracking-export-writer")).toMatchObject({ protect: false, retainOnDelete: false });
  });

  it("grants the custom export role when one is configured, and follows a renamed table", async () => {
    const extra = resolveTrackingExtra({ export: { roleArn: "acs:ram::42:role/export-writer", table: "ods_events_v2" } });
    const { res } = await build({ maxcomputeProject: "photo_dw", extra });
    expect(one(res, "alicloud:maxcompute/roleUserAttachment:RoleUserAttachment").inputs.user).toBe("RAM$42:role/export-writer");
    expect(JSON.parse(one(res, "alicloud:maxcompute/role:Role").inputs.policy).Statement[0].Resource).toEqual([
      "acs:odps:*:projects/photo_dw/tables/ods_events_v2",
    ]);
  });

  it("skips the export when it is disabled in config", async () => {
    const { res } = await build({ maxcomputeProject: "photo_dw", extra: resolveTrackingExtra({ export: { enabled: false } }) });
    expect(res.filter((r) => /ros\/stack|maxcompute\/role|MaxComputeExport/.test(r.type))).toEqual([]);
  });

  it("exposes the browser SDK target", async () => {
    const { t } = await build();
    const target = await new Promise((resolve) => t.webTracking.apply(resolve));
    expect(target).toEqual({ host: "cn-shanghai.log.aliyuncs.com", project: "photo-dw-tracking", logstore: "user_events" });
  });
});
