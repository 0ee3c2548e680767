/**
 * Promotion invariants over every ordered pair of stages, for the default
 * config and with per-table tier overrides: promotion only creates; demotion
 * removes sync/compute only; data resources stay protected and retained.
 */
import { diffPlans, hasChanges } from "../lib/plan/diff";
import { isDataResource } from "../lib/plan/data-types";
import { Plan } from "../lib/plan/types";
import { STAGES, Stage } from "../lib/config/types";
import { planOf } from "./support/plan";
import { FLINK_CONFIG } from "./support/flink";
import { CANAL_VALUES } from "./support/canal";

const VARIANTS: Record<string, Record<string, unknown>> = {
  defaults: {},
  "tier overrides": {
    "photo-analytics:tables": [
      { name: "users", incrementalColumn: "updated_time", tier: "hourly", realtime: true },
      { name: "photo_records", incrementalColumn: "updated_time", tier: "daily", realtime: true },
      { name: "page_views", incrementalColumn: "created_time", realtime: false },
      { name: "feedback" },
    ],
  },
  "sls engine": { "photo-analytics:realtime": { engine: "sls" } },
  "dataworks-flink engine": { "photo-analytics:realtime": FLINK_CONFIG },
  "canal-datahub engine": CANAL_VALUES,
};

const plans: Record<string, Record<Stage, Plan>> = {};
beforeAll(async () => {
  for (const [variant, overrides] of Object.entries(VARIANTS)) {
    plans[variant] = {} as Record<Stage, Plan>;
    for (const stage of STAGES) plans[variant][stage] = await planOf({ ...overrides, "photo-analytics:stage": stage });
  }
}, 120000);

const WORKFLOW = "pulumi-nodejs:dynamic/dataworks:DataWorksWorkflow";
const RULE = "pulumi-nodejs:dynamic/dataworks:NodeAlertRule";

/**
 * The in-place updates a stage change may make: a layer's workflow gaining (promotion) or losing
 * (demotion) inner nodes, every node both plans have unchanged, and the layer's rules listing them;
 * nothing else. Returns what breaks that (empty when nothing does).
 */
function nonLayerUpdates(
  from: Plan,
  to: Plan,
  updated: readonly { urn: string; type: string; name: string; paths: readonly string[] }[],
  promoting: boolean,
): string[] {
  const problems: string[] = [];
  const find = (p: Plan, urn: string) => p.resources.find((r) => r.urn === urn)!;
  for (const u of updated) {
    const [a, b] = [find(from, u.urn).inputs, find(to, u.urn).inputs];
    if (u.type === WORKFLOW) {
      if (u.paths.some((x) => !x.startsWith("nodes"))) problems.push(`${u.name}: ${u.paths.join(", ")}`);
      const byName = (l: unknown) => new Map((l as { name: string }[]).map((n) => [n.name, JSON.stringify(n)]));
      const [na, nb] = [byName(a.nodes), byName(b.nodes)];
      const [small, big] = promoting ? [na, nb] : [nb, na];
      for (const [name, text] of small) if (big.get(name) !== text) problems.push(`${u.name}: node ${name} changed or removed`);
    } else if (u.type === RULE) {
      if (u.paths.some((x) => !x.startsWith("nodeNames"))) problems.push(`${u.name}: ${u.paths.join(", ")}`);
      const [small, big] = promoting ? [a.nodeNames as string[], b.nodeNames as string[]] : [b.nodeNames as string[], a.nodeNames as string[]];
      if (!small.every((n) => big.includes(n))) problems.push(`${u.name}: nodeNames not a superset`);
    } else problems.push(`${u.name} (${u.type}): ${u.paths.join(", ")}`);
  }
  return problems;
}

const pairs: [string, Stage, Stage][] = [];
for (const v of Object.keys(VARIANTS)) for (const a of STAGES) for (const b of STAGES) if (a !== b) pairs.push([v, a, b]);

describe.each(pairs)("%s: %s -> %s", (variant, from, to) => {
  const promoting = STAGES.indexOf(to) > STAGES.indexOf(from);

  it(promoting ? "only creates resources" : "removes sync/compute only, keeps every data resource", () => {
    const d = diffPlans(plans[variant][from], plans[variant][to]);
    expect(d.replaced).toEqual([]);
    // Only a layer's workflow and its rules change in place, gaining (or, demoting, losing) inner nodes.
    expect(nonLayerUpdates(plans[variant][from], plans[variant][to], d.updated, promoting)).toEqual([]);
    // Nothing the provider would drop, no data resource replaced or deleted (the provider-behaviour table).
    expect(d.dropped).toEqual([]);
    expect(d.errors).toEqual([]);
    if (promoting) {
      expect(d.deleted).toEqual([]);
    } else {
      expect(d.created).toEqual([]);
      expect(d.deleted.filter((r) => isDataResource(r.type))).toEqual([]);
    }
    for (const r of plans[variant][to].resources.filter((x) => isDataResource(x.type))) {
      expect([r.name, r.protect, r.retainOnDelete]).toEqual([r.name, true, true]);
    }
  });
});

describe("stable names", () => {
  it.each(STAGES)("planning %s twice gives the same plan (the program is deterministic: no spurious diff on a second up)", async (stage) => {
    const again = await planOf({ "photo-analytics:stage": stage });
    expect(hasChanges(diffPlans(plans.defaults[stage], again))).toBe(false);
  });

  it("growth adds exactly the hourly sync and its layer's workflow; mature adds DTS and the realtime workflow", () => {
    const g = diffPlans(plans.defaults.initial, plans.defaults.growth);
    expect(g.updated).toEqual([]);
    expect(g.created.map((r) => r.name).sort()).toEqual([
      // The hourly layer's two rules (error, deadline); the hourly DI job of the tables growth makes hourly (no DI
      // alarm rule: DataWorks takes those only for real-time sync jobs).
      "analytics-alerts-hourly-deadline",
      "analytics-alerts-hourly-error",
      "analytics-nodes-hourly",
      "analytics-nodes-hourly-workflow",
      "analytics-sync-hourly",
      "analytics-sync-hourly-since_growth",
      "analytics-sync-hourly-since_growth-run",
    ]);
    const m = diffPlans(plans.defaults.growth, plans.defaults.mature);
    expect(
      m.created
        .map((r) => r.type)
        .filter((t) => t.startsWith("alicloud:"))
        .sort(),
    ).toEqual([
      // One monitor rule per job: the provider keys a rule by its job id (lib/plan/provider-behaviour.json).
      "alicloud:dts/jobMonitorRule:JobMonitorRule",
      "alicloud:dts/synchronizationInstance:SynchronizationInstance",
      "alicloud:dts/synchronizationJob:SynchronizationJob",
      // The realtime metrics in SLS: the import, its reader (user, key, MaxCompute role and grant) and 3 alerts.
      "alicloud:log/ingestion:Ingestion",
      "alicloud:maxcompute/role:Role",
      "alicloud:maxcompute/roleUserAttachment:RoleUserAttachment",
      "alicloud:ram/accessKey:AccessKey",
      "alicloud:ram/user:User",
      "alicloud:sls/alert:Alert",
      "alicloud:sls/alert:Alert",
      "alicloud:sls/alert:Alert",
    ]);
    // Promotion only adds: nothing that exists is updated (the dashboard carries the rt_* charts at every stage).
    expect(m.updated).toEqual([]);
  });

  it("the sls engine never creates DTS resources", () => {
    for (const s of STAGES) expect(plans["sls engine"][s].resources.filter((r) => r.type.startsWith("alicloud:dts/"))).toEqual([]);
  });
});

describe("realtime for a big event", () => {
  it("switching realtime off in mature removes only DTS, the realtime nodes and their alert rules, and the metrics import, reader and alerts; on again re-creates them", async () => {
    const off = await planOf({ "photo-analytics:stage": "mature", "photo-analytics:realtime": { enabled: false } });
    const d = diffPlans(plans.defaults.mature, off);
    expect(d.created).toEqual([]);
    expect(d.updated).toEqual([]);
    expect(d.replaced).toEqual([]);
    const removable = (r: { type: string; name: string }) =>
      r.type.startsWith("alicloud:dts/") ||
      r.name.startsWith("analytics-nodes-realtime") ||
      r.name.startsWith("analytics-alerts-realtime-") ||
      r.name.startsWith("analytics-tracking-rt-") ||
      r.name === "analytics-realtime";
    expect(d.deleted.filter((r) => !removable(r))).toEqual([]);
    expect(d.deleted.filter((r) => r.type.startsWith("alicloud:dts/"))).toHaveLength(3);
    // The realtime layer's Error rule (over its 10 nodes: 3 tables x view, snapshot, compaction, and rt_metrics) goes with its workflows.
    expect(d.deleted.filter((r) => r.name.startsWith("analytics-alerts-realtime-")).map((r) => [r.type, (r.inputs.nodeNames as string[]).length])).toEqual([
      ["pulumi-nodejs:dynamic/dataworks:NodeAlertRule", 10],
    ]);
    // The import, its reader and the 3 alerts; the metrics logstore (data) and the dashboard stay.
    expect(
      d.deleted
        .filter((r) => r.name.startsWith("analytics-tracking-rt-"))
        .map((r) => r.name.replace("analytics-tracking-", ""))
        .sort(),
    ).toEqual([
      "rt-conversion-alert",
      "rt-dau-drop-alert",
      "rt-import",
      "rt-reader-grant",
      "rt-reader-key",
      "rt-reader-role",
      "rt-reader-user",
      "rt-stale-alert",
    ]);
    // The realtime layer's three workflows: hourly (views, snapshots), daily (compactions), every 5 minutes (rt_metrics).
    expect(
      d.deleted
        .filter((r) => r.type === "pulumi-nodejs:dynamic/dataworks:DataWorksWorkflow")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["analytics-nodes-realtime-workflow", "analytics-nodes-realtime-workflow-daily", "analytics-nodes-realtime-workflow-every5min"]);
    const on = diffPlans(off, plans.defaults.mature);
    expect(on.created.map((r) => r.urn).sort()).toEqual(d.deleted.map((r) => r.urn).sort());
  });
});

describe("switching the realtime engine in mature (dts <-> dataworks-flink <-> canal-datahub <-> sls, both ways)", () => {
  const ENGINES = ["defaults", "dataworks-flink engine", "canal-datahub engine", "sls engine"] as const;
  const switches: [string, string][] = [];
  for (const a of ENGINES) for (const b of ENGINES) if (a !== b) switches.push([a, b]);

  it.each(switches)("%s -> %s removes and adds sync/compute only, never a data resource", (from, to) => {
    const d = diffPlans(plans[from].mature, plans[to].mature);
    expect(d.replaced).toEqual([]);
    expect(d.dropped).toEqual([]);
    // The SLS engine's per-minute metrics logstore is data: it exists whatever the engine, so no
    // switch creates or deletes a data resource.
    expect(d.errors).toEqual([]);
    expect(d.deleted.filter((r) => isDataResource(r.type)).map((r) => r.name)).toEqual([]);
    expect(d.created.filter((r) => isDataResource(r.type)).map((r) => r.name)).toEqual([]);
  });

  it("canal-datahub -> dts leaves no DataHub, ECI or connector resource, dts -> canal-datahub no DTS", () => {
    const off = diffPlans(plans["canal-datahub engine"].mature, plans.defaults.mature);
    const canalTypes = (t: string) => t.startsWith("alicloud:datahub/") || t.startsWith("alicloud:eci/") || t === "pulumi-nodejs:dynamic/datahub:Connector";
    expect(plans.defaults.mature.resources.filter((r) => canalTypes(r.type))).toEqual([]);
    expect(off.deleted.filter((r) => canalTypes(r.type)).length).toBe(plans["canal-datahub engine"].mature.resources.filter((r) => canalTypes(r.type)).length);
    expect(plans["canal-datahub engine"].mature.resources.filter((r) => r.type.startsWith("alicloud:dts/"))).toEqual([]);
  });

  it("dataworks-flink -> dts leaves no Flink or realtime DI resource, dts -> dataworks-flink no DTS", () => {
    const off = diffPlans(plans["dataworks-flink engine"].mature, plans.defaults.mature);
    expect(
      off.deleted
        .map((r) => r.type)
        .filter((t) => t.startsWith("alicloud:"))
        .sort(),
    ).toEqual([
      "alicloud:dataworks/diAlarmRule:DiAlarmRule",
      "alicloud:dataworks/diAlarmRule:DiAlarmRule",
      "alicloud:dataworks/diJob:DiJob",
      "alicloud:realtimecompute/deployment:Deployment",
      "alicloud:realtimecompute/job:Job",
      "alicloud:realtimecompute/vvpInstance:VvpInstance",
    ]);
    expect(plans["dataworks-flink engine"].mature.resources.filter((r) => r.type.startsWith("alicloud:dts/"))).toEqual([]);
  });
});
