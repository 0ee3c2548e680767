/**
 * Replacements the real provider makes and the stack plans for (issue 24): a changed warehouse
 * comment replaces the MaxCompute project (a plan error: data), a changed Canal file replaces the
 * container group delete first, and the DTS delay alarm's type read back from another rule is
 * no change. Each row read in terraform-provider-alicloud (file and commit in the test names).
 */
import { diffPlans } from "../lib/plan/diff";
import { Plan, PlannedResource } from "../lib/plan/types";
import { named, ofType, planOf } from "./support/plan";
import { CANAL_VALUES } from "./support/canal";
import { DELAY_ALARM_OPTIONS } from "../components/dts/realtime-sync";

/** `plan` with the inputs of the resource named `name` changed by `f`. */
function withInputs(plan: Plan, name: string, f: (inputs: Record<string, any>) => void): Plan {
  return {
    ...plan,
    resources: plan.resources.map((r): PlannedResource => {
      if (r.name !== name) return r;
      const inputs = JSON.parse(JSON.stringify(r.inputs)) as Record<string, any>;
      f(inputs);
      return { ...r, inputs };
    }),
  };
}

let dts: Plan;
let canal: Plan;
beforeAll(async () => {
  dts = await planOf({ "photo-analytics:stage": "mature" });
  canal = await planOf({ "photo-analytics:stage": "mature", ...CANAL_VALUES });
}, 120_000);

describe("maxcompute/project comment is ForceNew (resource_alicloud_maxcompute_project.go @28ee93bc, v1.289.0)", () => {
  it("fails the plan when the warehouse comment changes: the project holds data and would be replaced", () => {
    const after = withInputs(dts, "analytics-warehouse-project", (i) => (i.comment = "photo-analytics warehouse, renamed"));
    const d = diffPlans(dts, after);
    expect(d.replaced.map((r) => [r.name, r.forcing])).toEqual([["analytics-warehouse-project", ["comment"]]]);
    expect(d.errors.map((e) => [e.kind, e.name, e.paths])).toEqual([["data-replaced", "analytics-warehouse-project", ["comment"]]]);
    expect(d.errors[0].message).toContain("resource_alicloud_maxcompute_project.go @28ee93bc63fa0e5f919a21fc1711bde8c45d7b44 (v1.289.0");
  });

  it("a quota change stays an update, no error", () => {
    const d = diffPlans(
      dts,
      withInputs(dts, "analytics-warehouse-project", (i) => (i.defaultQuota = "other_quota")),
    );
    expect(d.updated.map((r) => [r.name, r.paths])).toEqual([["analytics-warehouse-project", ["defaultQuota"]]]);
    expect(d.errors).toEqual([]);
  });
});

describe("Canal server: eci/containerGroup volumes are ForceNew (resource_alicloud_eci_container_group.go @28ee93bc, v1.289.0)", () => {
  it("is replaced delete first, so two Canal servers never share the position store and topics", () => {
    const [group] = ofType(canal, "alicloud:eci/containerGroup:ContainerGroup");
    expect(group.name).toBe("analytics-canal-group");
    expect(group.deleteBeforeReplace).toBe(true);
  });

  it("carries its volumes as one secret (the files hold the passwords): the offline plan cannot show a volume change", () => {
    expect(named(canal, "analytics-canal-group").inputs.volumes).toBe("[secret]");
  });

  it("a volume change is a replacement when the inputs are readable (what pulumi preview sees)", () => {
    const group = named(canal, "analytics-canal-group");
    const volumes = [
      { name: "canal-conf", type: "ConfigFileVolume", configFileVolumeConfigFileToPaths: [{ path: "canal.properties", content: "YQ==" }] },
      { name: "canal-data", type: "NFSVolume", nfsVolumeServer: "abc.cn-shanghai.nas.aliyuncs.com", nfsVolumePath: "/canal", nfsVolumeReadOnly: false },
    ];
    const plain = withInputs(canal, group.name, (i) => (i.volumes = volumes));
    const moved = withInputs(plain, group.name, (i) => (i.volumes[1].nfsVolumePath = "/canal-2"));
    const edited = withInputs(plain, group.name, (i) => (i.volumes[0].configFileVolumeConfigFileToPaths[0].content = "Yg=="));
    expect(diffPlans(plain, moved).replaced.map((r) => [r.name, r.forcing])).toEqual([[group.name, ["volumes[1].nfsVolumePath"]]]);
    expect(diffPlans(plain, edited).replaced.map((r) => [r.name, r.forcing])).toEqual([
      [group.name, ["volumes[0].configFileVolumeConfigFileToPaths[0].content"]],
    ]);
  });

  it("a changed image is an update in place", () => {
    const after = withInputs(canal, "analytics-canal-group", (i) => (i.containers[0].image = "registry-vpc.cn-shanghai.aliyuncs.com/pa/canal-datahub:1.1.6"));
    expect(diffPlans(canal, after).updated.map((r) => [r.name, r.paths])).toEqual([["analytics-canal-group", ["containers[0].image"]]]);
  });
});

describe("DTS delay alarm: type read from MonitorRules[0] (resource_alicloud_dts_job_monitor_rule.go @0a25b6c6)", () => {
  it("ignores type after create and re-creates the alarm on a threshold, phone or state change", () => {
    const alarm = named(dts, "analytics-realtime-delay-alarm");
    expect(alarm.inputs.type).toBe("delay");
    expect(alarm.ignoreChanges).toEqual(["type"]);
    expect(alarm.replaceOnChanges).toEqual(["delayRuleTime", "phone", "state"]);
    expect(DELAY_ALARM_OPTIONS).toEqual({ ignoreChanges: ["type"], replaceOnChanges: ["delayRuleTime", "phone", "state"] });
  });

  it("a type flipped to another rule's (error) is no change, never a replacement", () => {
    const read = withInputs(dts, "analytics-realtime-delay-alarm", (i) => (i.type = "error"));
    const d = diffPlans(read, dts);
    expect([d.replaced, d.updated, d.errors]).toEqual([[], [], []]);
  });

  it("a new threshold is planned as a re-creation (Create sends the program's delay type)", () => {
    const after = withInputs(dts, "analytics-realtime-delay-alarm", (i) => (i.delayRuleTime = "600"));
    expect(diffPlans(dts, after).replaced.map((r) => [r.name, r.forcing])).toEqual([["analytics-realtime-delay-alarm", ["delayRuleTime"]]]);
  });
});
