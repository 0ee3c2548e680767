/**
 * NodeAlertRule against the fake DataWorks (CreateAlertRule / GetAlertRule / UpdateAlertRule /
 * DeleteAlertRule, 2024-05-18; request shape per CreateAlertRuleRequest.java of the official
 * SDK: TriggerCondition and Notification as JSON in the query): create -> read -> diff is no
 * change, `Target.Ids` are the layer's scheduling task ids (strings, written as JSON numbers from
 * their digits), an update goes in place, delete is idempotent; and the rules the alerts
 * component sends (lib/monitoring/alert-rules.ts).
 */
import { NodeAlertRuleInputs, NodeAlertRuleProvider, NodeAlertRuleState } from "../providers/dataworks/alert-rule";
import { nodeAlertRulePlans, realtimeNodeAlertRulePlans } from "../lib/monitoring/alert-rules";
import { CONFIG_DEFAULTS } from "../lib/config/defaults";
import { useFakeDataWorks } from "./support/dataworks-env";
import { parseJson } from "./support/api-models/check";

const env = useFakeDataWorks();
const F = CONFIG_DEFAULTS.freshness;
const A = { ...CONFIG_DEFAULTS.alerts, ownerUid: undefined };

function inputs(taskIds: string[], over: Partial<NodeAlertRuleInputs> = {}): NodeAlertRuleInputs {
  const p = nodeAlertRulePlans("photo_ws", "daily", F, A)[1];
  return {
    region: "cn-shanghai",
    projectId: "4711",
    name: p.name,
    owner: "1234567890",
    type: p.type,
    taskIds,
    nodeNames: ["ads_dau_d", "ads_funnel_d"],
    extension: p.extension,
    channels: [...p.channels],
    receivers: p.receivers.map((r) => ({ ...r })),
    intervalInMinutes: p.intervalInMinutes,
    maximum: p.maximum,
    ...over,
  };
}

describe("NodeAlertRule provider", () => {
  it("creates one rule over every task id of a layer, reads it back as no change, updates in place, deletes idempotently", async () => {
    // A task id beyond 2^53 too (the model says number[]): written from its digits, read back as the same string.
    const ids = ["700006680527", "9007199254740993"];
    const provider = new NodeAlertRuleProvider();
    const created = await provider.create(inputs(ids));
    expect(env.fake.actions).toEqual(["CreateAlertRule"]);
    const sent = env.fake.requests.find((r) => r.action === "CreateAlertRule")!;
    expect(sent.method).toBe("POST");
    expect(sent.signatureValid).toBe(true);
    expect(sent.query.Owner).toBe("1234567890");
    expect(sent.query.TriggerCondition).toContain(`"Ids":[700006680527,9007199254740993]`);
    expect(parseJson(sent.query.TriggerCondition)).toEqual({
      Type: "UnFinished",
      Target: { Type: "Task", Ids: [700006680527, BigInt("9007199254740993")] },
      Extension: { UnFinished: { UnFinishedTime: "06:00" } },
    });
    expect(JSON.parse(sent.query.Notification)).toEqual({
      Channels: ["Mail", "Sms"],
      Receivers: [{ ReceiverType: "TaskOwner" }],
      IntervalInMinutes: 30,
      Maximum: 3,
    });

    const state = created.outs as NodeAlertRuleState;
    const read = await provider.read(created.id, state);
    expect((read.props as NodeAlertRuleState).taskIds).toEqual(ids);
    const diff = await provider.diff(created.id, read.props as NodeAlertRuleState, inputs(ids));
    expect(diff.changes).toBe(false);

    const changed = inputs(ids, { intervalInMinutes: 60 });
    expect(await provider.diff(created.id, state, changed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await provider.update(created.id, state, changed);
    expect((env.fake.alertRules.get(created.id)!.Notification as { IntervalInMinutes: number }).IntervalInMinutes).toBe(60);

    await provider.delete(created.id, state);
    await provider.delete(created.id, state);
    expect(env.fake.alertRules.size).toBe(0);
    expect(await provider.read(created.id, state)).toEqual({});
  });

  it("fails check when a task id is not digits (a node id from before deployment, a number), naming the rule and the value", async () => {
    const provider = new NodeAlertRuleProvider();
    const r = await provider.check({}, { ...inputs([]), taskIds: ["", 7] });
    expect(r.failures).toEqual([
      {
        property: "taskIds",
        reason: 'NodeAlertRule photo_ws_daily_unfinished: taskIds ["",7] are not scheduling task ids (strings of digits; a node must be deployed to have one)',
      },
    ]);
    expect((await provider.check({}, inputs([]))).failures![0].reason).toMatch(/at least one task id is required \(taskIds \[\]\)/);
  });
});

describe("alert rule plans", () => {
  it("hourly nodes: an Error rule and CycleUnfinished with one (cycle, time) per hour at the grace minute", () => {
    const [error, deadline] = nodeAlertRulePlans("ws", "hourly", F, A);
    expect(error).toMatchObject({ name: "ws_hourly_error", type: "Error" });
    const cycles = (deadline.extension.CycleUnfinished as { CycleAndTime: { CycleId: number; Time: string }[] }).CycleAndTime;
    expect(cycles).toHaveLength(24);
    expect(cycles[0]).toEqual({ CycleId: 1, Time: "00:20" });
    expect(cycles[23]).toEqual({ CycleId: 24, Time: "23:20" });
  });
  it("realtime-layer nodes: one Error rule (no deadline: the engine's delay alarm is the realtime objective), to the same contacts", () => {
    const rules = realtimeNodeAlertRulePlans("ws", { ...A, receiverUids: ["1234567890123"], channels: ["Mail", "Sms"] });
    expect(rules).toEqual([
      {
        kind: "error",
        name: "ws_realtime_error",
        type: "Error",
        extension: { Error: { AutoRerunAlertEnabled: false } },
        channels: ["Mail", "Sms"],
        receivers: [{ ReceiverType: "AliUid", ReceiverValues: ["1234567890123"] }],
        intervalInMinutes: A.repeatIntervalMinutes,
        maximum: 10,
      },
    ]);
    // The same error rule the batch layers get, up to its name and daily maximum.
    const [hourlyError] = nodeAlertRulePlans("ws", "hourly", F, A);
    expect({ ...realtimeNodeAlertRulePlans("ws", A)[0], name: hourlyError.name }).toEqual(hourlyError);
  });
});
