/** The provider-behaviour table: shape, coverage of every type and input the stack plans, and the rows the diff relies on. */
import * as fs from "fs";
import * as path from "path";
import forcing from "../lib/plan/replacement-forcing-inputs.json";
import { PROVIDER_BEHAVIOUR, ProviderBehaviourError, classifyPath, parseProviderBehaviour } from "../lib/plan/provider-behaviour-table";
import { REPLACE_KEYS, UPDATE_KEYS } from "../lib/dataworks/flowspec";
import { EXPORT_REPLACE_KEYS } from "../providers/sls/maxcompute-export";
import { FLINK_JOB_STOP_REPLACE_KEYS } from "../providers/flink/job-stop";
import { Plan } from "../lib/plan/types";
import { TYPE_TOKENS } from "../lib/plan/type-tokens";
import { planOf } from "./support/plan";
import { FLINK_CONFIG } from "./support/flink";
import { CANAL_VALUES } from "./support/canal";

const GOLDEN = path.resolve(__dirname, "golden/plans");
const golden: Plan[] = fs
  .readdirSync(GOLDEN)
  .filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(fs.readFileSync(path.join(GOLDEN, f), "utf8")));
const b = (type: string) => PROVIDER_BEHAVIOUR.types.get(type)!;

describe("provider-behaviour table", () => {
  it("has a row with a source for every cloud resource type in the golden plans", () => {
    const types = new Set(golden.flatMap((p) => p.resources.filter((r) => !r.component).map((r) => r.type)));
    expect([...types].filter((t) => !PROVIDER_BEHAVIOUR.types.has(t))).toEqual([]);
    for (const t of types) expect(b(t).source).toMatch(/\.go @[0-9a-f]{7,40}|providers\/|replacement-forcing-inputs\.json/);
  });

  it("reads every alicloud row at one provider version, and says which version @pulumi/alicloud bundles", () => {
    const pinned = "@28ee93bc63fa0e5f919a21fc1711bde8c45d7b44 (v1.289.0";
    const alicloud = [...PROVIDER_BEHAVIOUR.types.values()].filter((r) => r.type.startsWith("alicloud:"));
    expect(
      alicloud.filter((r) => !/^aliyun\/terraform-provider-alicloud alicloud\/resource_alicloud_\w+\.go @/.test(r.source) || !r.source.includes(pinned)),
    ).toEqual([]);
    // No other provider commit is named: one version per row, the same for all.
    expect(alicloud.filter((r) => (r.source.match(/@[0-9a-f]{7,40}/g) ?? []).length !== 1).map((r) => r.type)).toEqual([]);
    const about = (require("../lib/plan/provider-behaviour.json") as { about: string }).about;
    expect(about).toContain("terraform-provider-alicloud v1.289.0 (commit 28ee93bc63fa0e5f919a21fc1711bde8c45d7b44");
    // The bundled build, from the newest "Available since" of the SDK's API docs.
    const pkg = require("@pulumi/alicloud/package.json") as { version: string };
    expect(pkg.version).toBe("3.108.0");
    expect(about).toContain("@pulumi/alicloud 3.108.0 bundles a newer build, v1.294.0");
  });

  it("has a row for every cloud type the program (every engine) or the bootstrap creates (lib/plan/type-tokens.ts)", () => {
    const cloud = TYPE_TOKENS.filter((t) => /^(alicloud:|pulumi-nodejs:dynamic\/)/.test(t.token)).map((t) => t.token);
    expect(cloud.filter((t) => !PROVIDER_BEHAVIOUR.types.has(t))).toEqual([]);
  });

  it.each([
    ["dataworks-flink", { "photo-analytics:realtime": FLINK_CONFIG }],
    ["canal-datahub", CANAL_VALUES],
  ])("classifies every input the %s engine's plan at mature sets (the golden plans hold dts and sls)", async (_engine, values) => {
    const p = await planOf({ "photo-analytics:stage": "mature", ...values });
    const unknown = p.resources
      .filter((r) => !r.component)
      .flatMap((r) =>
        Object.keys(r.inputs)
          .filter((k) => !PROVIDER_BEHAVIOUR.types.has(r.type) || classifyPath(b(r.type), k, []).effect === "unknown")
          .map((k) => `${r.type} ${k}`),
      );
    expect(unknown).toEqual([]);
  });

  it("classifies every input the golden plans set (replace, update, dropped or ignored; never unknown)", () => {
    const unknown = new Set<string>();
    for (const p of golden)
      for (const r of p.resources.filter((x) => !x.component))
        for (const k of Object.keys(r.inputs)) if (classifyPath(b(r.type), k, []).effect === "unknown") unknown.add(`${r.type} ${k}`);
    expect([...unknown]).toEqual([]);
  });

  it("keeps the old replacement-forcing data: each input is still forcing, or reclassified from the newer source with a reason", () => {
    const reclassified: Record<string, string> = {
      // resource_alicloud_log_store.go @7ad8ff65: the DiffSuppressFunc hides every change after create.
      "alicloud:log/store:Store shardCount": "dropped",
    };
    for (const [type, inputs] of Object.entries(forcing).filter(([k]) => k !== "about") as [string, string[]][]) {
      for (const input of inputs) {
        const row = b(type);
        const effect = row.forcesReplacementWhenAddedOrRemoved.includes(input) ? "replace" : classifyPath(row, input, []).effect;
        expect([`${type} ${input}`, effect]).toEqual([`${type} ${input}`, reclassified[`${type} ${input}`] ?? "replace"]);
      }
    }
  });

  it("the project's dynamic providers' rows are their diff functions' key lists", () => {
    expect(b("pulumi-nodejs:dynamic/dataworks:DataWorksNode").forcesReplacement).toEqual([...REPLACE_KEYS]);
    expect(b("pulumi-nodejs:dynamic/dataworks:DataWorksNode").updates).toEqual([...UPDATE_KEYS]);
    expect(b("pulumi-nodejs:dynamic/sls:MaxComputeExport").forcesReplacement).toEqual([...EXPORT_REPLACE_KEYS]);
    expect(b("pulumi-nodejs:dynamic/flink:FlinkJobStop").forcesReplacement).toEqual([...FLINK_JOB_STOP_REPLACE_KEYS]);
  });

  it.each([
    ["alicloud:ros/stack:Stack", "templateBody<Resources.OdsUsersD>", [], "dropped"],
    ["alicloud:ros/stack:Stack", "templateBody<Resources.OdsUsersD>", ["parameters"], "update"],
    ["alicloud:ros/stack:Stack", "templateBody", ["timeoutInMinutes"], "update"],
    ["alicloud:ros/stack:Stack", "deletionProtection", [], "replace"],
    ["alicloud:dts/synchronizationJob:SynchronizationJob", "reserve<targetTableMode>", ["dbList"], "dropped"],
    ["alicloud:dts/synchronizationJob:SynchronizationJob", "dbList<photo_assistant.Table.users>", [], "update"],
    ["alicloud:dts/synchronizationInstance:SynchronizationInstance", "instanceClass", [], "dropped"],
    ["alicloud:dataworks/diJob:DiJob", "jobSettings.cycleScheduleSettings.cycleMigrationType", [], "replace"],
    ["alicloud:dataworks/diJob:DiJob", "jobSettings.cycleScheduleSettings.scheduleParameters", [], "update"],
    ["alicloud:dataworks/diJob:DiJob", "jobSettings", [], "replace"],
    ["alicloud:dataworks/diJob:DiJob", "tableMappings[2].sourceObjectSelectionRules[0].expression", [], "update"],
    ["alicloud:log/store:Store", "shardCount", [], "dropped"],
    // resource_alicloud_maxcompute_project.go @28ee93bc (v1.289.0): comment is ForceNew (schema), sent by Create only.
    ["alicloud:maxcompute/project:Project", "comment", [], "replace"],
    ["alicloud:maxcompute/project:Project", "defaultQuota", [], "update"],
    // resource_alicloud_eci_container_group.go @28ee93bc (v1.289.0): every volumes field but type is ForceNew.
    ["alicloud:eci/containerGroup:ContainerGroup", "volumes[0].configFileVolumeConfigFileToPaths[1].content", [], "replace"],
    ["alicloud:eci/containerGroup:ContainerGroup", "volumes[1].nfsVolumePath", [], "replace"],
    ["alicloud:eci/containerGroup:ContainerGroup", "volumes[1].type", [], "update"],
    ["alicloud:eci/containerGroup:ContainerGroup", "volumes[0].flexVolumeOptions", [], "dropped"],
    ["alicloud:eci/containerGroup:ContainerGroup", "containers[0].name", [], "replace"],
    ["alicloud:eci/containerGroup:ContainerGroup", "containers[0].image", [], "update"],
    ["alicloud:eci/containerGroup:ContainerGroup", "containers[0].livenessProbes[0].successThreshold", [], "replace"],
    ["alicloud:log/store:Store", "retentionPeriod", [], "update"],
    ["alicloud:sls/scheduledSql:ScheduledSql", "scheduledSqlConfiguration.script", [], "update"],
    ["alicloud:sls/scheduledSql:ScheduledSql", "scheduledSqlConfiguration.sourceLogstore", [], "replace"],
    ["pulumi-nodejs:dynamic/sls:MaxComputeExport", "__provider", [], "ignored"],
  ])("%s: a change to %s (with %j) is %s", (type, p, also, effect) => {
    expect(classifyPath(b(type), p, [p.split("<")[0], ...also]).effect).toBe(effect);
  });

  it("fails when a row has no source, an unknown normalization, or an input both dropped and updated", () => {
    const bad = {
      types: {
        "x:y:Z": {
          forcesReplacement: ["a"],
          updates: ["b"],
          dropped: [{ input: "b", unlessChanged: ["c"], reason: "r" }],
          normalized: [{ input: "a", kind: "fuzzy", reason: "r" }],
        },
      },
    };
    expect(() => parseProviderBehaviour(bad)).toThrow(ProviderBehaviourError);
    expect(() => parseProviderBehaviour(bad)).toThrow(
      [
        'types["x:y:Z"].dropped[0]: b is also listed in updates',
        'types["x:y:Z"].dropped[0].unlessChanged: c is not an updated input (allowed: b)',
        'types["x:y:Z"].normalized[0].kind: "fuzzy" is not allowed; allowed: json, unordered, caseInsensitive, computed, mapped, canonical, readFromFirstRule',
        'types["x:y:Z"].source: expected a non-empty text, got undefined',
      ].join("\n  "),
    );
  });
});
