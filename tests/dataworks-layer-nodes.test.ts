/**
 * LayerNodes under Pulumi mocks, per stage: one DataWorksWorkflow per layer (no per-node
 * resource), and its exact inner nodes: names, schedules, parameters and dependencies.
 */
import * as pulumi from "@pulumi/pulumi";
import { LOAD_CHECK_RERUN } from "../lib/dataworks/layer-sql";
import { Stage, STAGES, TableConfig } from "../lib/config/types";
import { minutesBetween } from "../lib/dataworks/flowspec";
import { DataWorksLayer, layerSql } from "../lib/dataworks/layer-sql";
import { readLayerSqlFiles, readSchemaSnapshot } from "../project-files";

const SQL_FILES = readLayerSqlFiles();
import { DEFAULT_TABLES, defaultRealtime, defaultTier, STAGE_CATALOG, stageHasLayer } from "../lib/config/stage-catalog";
import { setTestMocks } from "./support/mocks";

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, any>;
  parent?: string;
}
const recorded: Recorded[] = [];

setTestMocks({
  newResource: (args) => {
    recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
    return { id: `${args.name}-id`, state: { ...args.inputs, nodeId: `${args.name}-id` } };
  },
  call: (args) => args.inputs,
});

// Imported after setMocks so the component registers against the mocks.

const { LayerNodes } = require("../components/dataworks/layer-nodes") as typeof import("../components/dataworks/layer-nodes");

const schema = readSchemaSnapshot("sql/mysql/photo_assistant.schema.json");
const WORKFLOW_TYPE = "pulumi-nodejs:dynamic/dataworks:DataWorksWorkflow";
const NODE_TYPE = "pulumi-nodejs:dynamic/dataworks:DataWorksNode";

function tablesFor(stage: Stage): TableConfig[] {
  return DEFAULT_TABLES.map((t) => ({
    name: t.name,
    primaryKey: ["id"],
    incrementalColumn: t.incrementalColumn,
    tier: defaultTier(stage, t.name),
    realtime: stageHasLayer(stage, "realtime") && defaultRealtime(stage, t.name),
    hourlyTable: STAGES.some((s) => defaultTier(s, t.name) === "hourly"),
  }));
}

function build(name: string, stage: Stage, layer: DataWorksLayer) {
  return new LayerNodes(name, {
    projectId: 123456,
    workspaceName: "pa_ws",
    region: "cn-hangzhou",
    layer,
    tables: tablesFor(stage),
    schedule: { dailyCron: "00 30 00 * * ?", hourlyCron: "00 05 * * * ?", timezone: "Asia/Shanghai" },
    datasourceName: "photo_analytics_odps",
    sqlFiles: SQL_FILES,
    resourceGroup: "Serverless_res_group_1",
    sourceSchema: schema,
  });
}

/** Waits until every node of the component is registered (resolving through apply, not promise()). */
function settled(c: InstanceType<typeof LayerNodes>): Promise<string[]> {
  return new Promise((resolve) => pulumi.all([c.workflow!.workflowId]).apply((ids) => resolve(ids)));
}

/** The layer's first workflow as registered. */
function workflowOf(name: string): Recorded {
  const wfs = recorded.filter((r) => r.type === WORKFLOW_TYPE && r.name === `${name}-workflow`);
  expect(wfs).toHaveLength(1);
  return wfs[0];
}

/** Every workflow of the layer: `<name>-workflow`, then one per other schedule period (`<name>-workflow-<period>`). */
function workflowsOf(name: string): Recorded[] {
  return recorded
    .filter((r) => r.type === WORKFLOW_TYPE && (r.name === `${name}-workflow` || r.name.startsWith(`${name}-workflow-`)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The inner nodes of the layer's workflow, each with the workflow's location, named `<component>-<node>`. */
async function nodesOf(name: string, stage: Stage, layer: DataWorksLayer): Promise<Recorded[]> {
  const c = build(name, stage, layer);
  await settled(c);
  expect(recorded.filter((r) => r.type === NODE_TYPE && r.name.startsWith(`${name}-`))).toEqual([]);
  return workflowsOf(name).flatMap((wf) =>
    (wf.inputs.nodes as Record<string, any>[]).map((n) => ({
      type: WORKFLOW_TYPE,
      name: `${name}-${n.name}`,
      inputs: { ...n, projectId: wf.inputs.projectId, region: wf.inputs.region, folderPath: wf.inputs.folderPath, __provider: wf.inputs.__provider },
    })),
  );
}

const EXPECTED: Record<DataWorksLayer, Record<Stage, string[]>> = {
  daily: {
    initial: ["ads_dau_d", "ads_new_users_d", "ads_photos_d", "ads_funnel_d"],
    growth: ["ads_dau_d", "ads_new_users_d", "ads_photos_d", "ads_funnel_d"],
    mature: ["ads_dau_d", "ads_new_users_d", "ads_photos_d", "ads_funnel_d"],
  },
  hourly: {
    initial: [],
    growth: ["dws_photo_records_agg_h", "dws_guide_usage_agg_h", "dws_page_views_agg_h"],
    mature: ["dws_photo_records_agg_h", "dws_guide_usage_agg_h", "dws_page_views_agg_h"],
  },
  realtime: {
    initial: [],
    growth: [],
    mature: [
      "users_realtime",
      "dwd_users_snapshot_h",
      "photo_records_realtime",
      "dwd_photo_records_snapshot_h",
      "page_views_realtime",
      "dwd_page_views_snapshot_h",
      // The DTS log compaction, one per realtime table (lib/dts/compaction-sql.ts).
      "users_compacted",
      "photo_records_compacted",
      "page_views_compacted",
      // The rt_* metrics every 5 minutes (lib/metrics/rt-metrics.ts).
      "rt_metrics",
    ],
  },
};

const cases = STAGES.flatMap((stage) => STAGE_CATALOG[stage].layers.map((layer) => [stage, layer] as const));

describe.each(cases)("stage %s, layer %s", (stage, layer) => {
  const name = `${stage}-${layer}`;
  let nodes: Recorded[];
  beforeAll(async () => {
    nodes = await nodesOf(name, stage, layer);
  });

  it("creates one workflow <workspace>_<layer> per schedule period, after the workspace root, holding exactly the layer's nodes", () => {
    const wf = workflowOf(name);
    expect(wf.inputs).toMatchObject({
      layer,
      name: `pa_ws_${layer}`,
      folderPath: "photo-analytics",
      dependencies: ["pa_ws_root"],
      outputName: `pa_ws.pa_ws_${layer}`,
      instanceMode: layer === "realtime" ? "Immediately" : "T+1",
      // The earliest inner time of the period: views at :10, snapshots at :40.
      cron: { daily: "00 30 01 * * ?", hourly: "00 20 00-23/1 * * ?", realtime: "00 10 00-23/1 * * ?" }[layer],
    });
    // Inner nodes share their workflow's period (Data Studio): the realtime layer's daily compaction and its
    // every-5-minutes metrics node each have a workflow of their own.
    expect(workflowsOf(name).map((w) => [w.name, w.inputs.name, w.inputs.cron])).toEqual(
      layer === "realtime"
        ? [
            [`${name}-workflow`, "pa_ws_realtime", "00 10 00-23/1 * * ?"],
            [`${name}-workflow-daily`, "pa_ws_realtime_daily", "00 20 00 * * ?"],
            [`${name}-workflow-every5min`, "pa_ws_realtime_every5min", "00 00/5 * * * ?"],
          ]
        : [[`${name}-workflow`, `pa_ws_${layer}`, wf.inputs.cron]],
    );
    expect(nodes.map((n) => n.inputs.name)).toEqual(EXPECTED[layer][stage]);
    expect(nodes.map((n) => n.name).sort()).toEqual(EXPECTED[layer][stage].map((n) => `${name}-${n}`).sort());
    expect(nodes.map((n) => n.inputs.name).sort()).toEqual([...EXPECTED[layer][stage]].sort());
    expect(nodes).toHaveLength(EXPECTED[layer][stage].length);
  });

  it("puts every node in the workspace, region, data source and resource group given", () => {
    for (const n of nodes) {
      expect(n.inputs).toMatchObject({
        projectId: 123456,
        region: "cn-hangzhou",
        datasourceName: "photo_analytics_odps",
        resourceGroup: "Serverless_res_group_1",
        timezone: "Asia/Shanghai",
        outputName: `pa_ws.${n.inputs.name}`,
      });
      expect(n.inputs.folderPath).toBe("photo-analytics");
      expect(n.inputs.__provider).toEqual(expect.any(String));
      const { __provider: _code, ...inputs } = n.inputs;
      expect(JSON.stringify(inputs)).not.toMatch(/accessKey|secret/i);
    }
  });

  it("schedules each node after the load it reads, with the matching parameters, waiting for its partitions", () => {
    for (const n of nodes) {
      if (layer === "daily") {
        expect(n.inputs.cron).toBe("00 30 01 * * ?");
        expect(minutesBetween("00 30 00 * * ?", n.inputs.cron)).toBe(60);
        expect(n.inputs.parameters).toEqual({ bizdate: "$bizdate" });
        // A report checks the daily partitions it reads first, and DataWorks reruns it until they exist.
        expect(n.inputs.script).toMatch(/^-- load check: .*\nDESC ods_\w+_d PARTITION \(ds = '\$\{bizdate\}'\);\n/);
        expect(n.inputs.script.endsWith(layerSql(SQL_FILES, `ads/${n.inputs.name}.sql`))).toBe(true);
        expect(n.inputs.rerun).toEqual(LOAD_CHECK_RERUN.daily);
        // The workflow waits for the root; inside it, a report waits for its load's partitions only.
        expect(n.inputs.dependencies).toEqual([]);
      } else if (layer === "hourly") {
        // DataWorks' own hourly form (SDK CronExpress doc: "00 15 00-23/1 * * ?").
        expect(n.inputs.cron).toBe("00 20 00-23/1 * * ?");
        expect(n.inputs.parameters).toEqual({ bizdate: "$[yyyymmdd-1/24]", hh: "$[hh24-1/24]" });
        const table = n.inputs.name.replace(/^dws_/, "").replace(/_agg_h$/, "");
        expect(n.inputs.script).toMatch(
          new RegExp(`^-- load check: .*\\nDESC ods_${table}_h PARTITION \\(ds = '\\$\\{bizdate\\}', hh = '\\$\\{hh\\}'\\);\\n\\n`),
        );
        expect(n.inputs.script.endsWith(layerSql(SQL_FILES, `hourly-agg/${n.inputs.name}.sql`))).toBe(true);
        expect(n.inputs.rerun).toEqual(LOAD_CHECK_RERUN.hourly);
        expect(n.inputs.dependencies).toEqual([]);
      } else if (n.inputs.name.endsWith("_compacted")) {
        // Daily, after midnight: yesterday's log into yesterday's image; 7 days of log and images kept.
        expect(n.inputs).toMatchObject({
          cron: "00 20 00 * * ?",
          instanceMode: "T+1",
          parameters: { bizdate: "$bizdate", log_cutoff: "$[yyyymmdd-8]", compacted_cutoff: "$[yyyymmdd-8]" },
        });
        expect(n.inputs.script).toContain(`INSERT OVERWRITE TABLE \`${n.inputs.name}\` PARTITION (ds = '\${bizdate}')`);
      } else if (n.inputs.name === "rt_metrics") {
        // DataWorks minute scheduling every realtime.metrics.intervalMinutes (5): from the deploy on, no parameter; its
        // workflow waits for the workspace root.
        expect(n.inputs).toMatchObject({ cron: "00 00/5 * * * ?", instanceMode: "Immediately", parameters: {}, dependencies: [] });
        expect(n.inputs.script).toContain("INSERT OVERWRITE TABLE rt_metrics_feed");
      } else if (n.inputs.name.endsWith("_realtime")) {
        expect(n.inputs).toMatchObject({ cron: "00 10 00-23/1 * * ?", instanceMode: "Immediately", parameters: {}, dependencies: [] });
        expect(n.inputs.script).toContain(`CREATE OR REPLACE VIEW \`${n.inputs.name}\` AS`);
      } else {
        const table = n.inputs.name.replace(/^dwd_/, "").replace(/_snapshot_h$/, "");
        expect(n.inputs).toMatchObject({ cron: "00 40 00-23/1 * * ?", instanceMode: "T+1", parameters: { bizdate: "$[yyyymmdd]", hh: "$[hh24]" } });
        // Waits for its view node's output.
        expect(n.inputs.dependencies).toEqual([`pa_ws.${table}_realtime`]);
      }
    }
  });
});

describe("LayerNodes arguments", () => {
  it("adds upstream outputs to the dependencies of the layer's workflow", async () => {
    const c = new LayerNodes("up", {
      projectId: "1",
      workspaceName: "pa_ws",
      region: "cn-hangzhou",
      layer: "daily",
      tables: tablesFor("initial"),
      schedule: { dailyCron: "00 30 00 * * ?" },
      datasourceName: "odps",
      sqlFiles: SQL_FILES,
      upstreamOutputs: ["pa_ws.di_daily"],
    });
    await settled(c);
    const wf = workflowOf("up");
    expect(wf.inputs.dependencies).toEqual(["pa_ws_root", "pa_ws.di_daily"]);
    expect(wf.inputs.nodes.map((n: { resourceGroup: string }) => n.resourceGroup)).toEqual(["", "", "", ""]);
  });

  it("a daily layer whose reports read no synced table has no node and no workflow", () => {
    const c = new LayerNodes("empty", {
      projectId: "1",
      workspaceName: "pa_ws",
      region: "cn-hangzhou",
      layer: "daily",
      tables: [{ name: "t_other", primaryKey: ["id"], tier: "daily", realtime: false, hourlyTable: false }],
      schedule: { dailyCron: "00 30 00 * * ?" },
      datasourceName: "odps",
      sqlFiles: SQL_FILES,
    });
    expect([c.plans, c.workflows, c.workflow]).toEqual([[], [], undefined]);
  });

  it("fails when the daily layer has no dailyCron, naming the argument", () => {
    expect(
      () =>
        new LayerNodes("bad-daily", {
          projectId: "1",
          workspaceName: "pa_ws",
          region: "cn-hangzhou",
          layer: "daily",
          tables: tablesFor("initial"),
          schedule: {},
          datasourceName: "odps",
          sqlFiles: SQL_FILES,
        }),
    ).toThrow(/LayerNodes daily: schedule.dailyCron is required for the daily layer/);
  });

  it("fails when the realtime layer has no source schema", () => {
    expect(
      () =>
        new LayerNodes("bad-rt", {
          projectId: "1",
          workspaceName: "pa_ws",
          region: "cn-hangzhou",
          layer: "realtime",
          tables: tablesFor("mature"),
          schedule: {},
          datasourceName: "odps",
          sqlFiles: SQL_FILES,
        }),
    ).toThrow(/sourceSchema is required for the realtime layer/);
  });

  it("fails on an unknown layer", () => {
    expect(
      () =>
        new LayerNodes("bad-layer", {
          projectId: "1",
          workspaceName: "pa_ws",
          region: "cn-hangzhou",
          layer: "weekly" as DataWorksLayer,
          tables: [],
          schedule: {},
          datasourceName: "odps",
          sqlFiles: SQL_FILES,
        }),
    ).toThrow('layer "weekly" is not one of daily, hourly, realtime');
  });
});

describe("realtime layer on the canal-datahub engine", () => {
  it("builds the Canal merge views, the snapshots and one Canal compaction per realtime table", () => {
    const c = new LayerNodes("mature-canal", {
      projectId: 123456,
      workspaceName: "pa_ws",
      region: "cn-hangzhou",
      layer: "realtime",
      realtimeEngine: "canal-datahub",
      tables: tablesFor("mature"),
      schedule: {},
      datasourceName: "photo_analytics_odps",
      sqlFiles: SQL_FILES,
      sourceSchema: schema,
    });
    const names = c.plans.map((p) => p.name);
    expect(names.filter((n) => n.endsWith("_canal_compacted")).sort()).toEqual([
      "page_views_canal_compacted",
      "photo_records_canal_compacted",
      "users_canal_compacted",
    ]);
    expect(names.filter((n) => n.endsWith("_compacted") && !n.includes("_canal_"))).toEqual([]);
    const view = c.plans.find((p) => p.name === "users_realtime")!;
    expect(view.script).toContain("FROM `users_canal_log`");
    expect(view.script).not.toContain("users_base`");
    expect(view.description).toBe("Keeps the users_realtime merge view (Canal users_canal_base + users_canal_log) up to date");
    expect(names).toContain("dwd_users_snapshot_h");
  });
});
