/**
 * The identities the stack itself creates and what they may do, per stage and realtime engine
 * (exact actions and resources), and the pure pieces behind them (lib/ram/dts-writer.ts,
 * lib/ram/maxcompute-role-policy.ts).
 */
import { STAGES } from "../lib/config/types";
import { renderPolicy } from "../lib/ram/policy-document";
import {
  DTS_WRITER_PROJECT_ACTIONS,
  DTS_WRITER_TABLE_ACTIONS,
  dtsWriterPolicy,
  dtsWriterUserName,
  dtsWrittenTables,
  maxcomputeUserOfRamUser,
  writerKeyGenerations,
} from "../lib/ram/dts-writer";
import { maxcomputeRoleProblems } from "../lib/ram/maxcompute-role-policy";
import { planOf } from "./support/plan";

describe("writerKeyGenerations", () => {
  it.each([
    [1, 0, [1]],
    [2, 0, [1, 2]],
    [2, 1, [2]],
    [3, 1, [2, 3]],
    [3, 2, [3]],
    [5, 0, [4, 5]], // never more than two: RAM allows two AccessKeys per user
  ])("generation %i, retired through %i keeps %j", (g, r, kept) => {
    expect(writerKeyGenerations(g, r)).toEqual(kept);
  });
  it("fails when the active generation is retired or below 1", () => {
    expect(() => writerKeyGenerations(2, 2)).toThrow("retiredWriterKeyGeneration is 2; allowed: 0 to 1");
    expect(() => writerKeyGenerations(0, 0)).toThrow("writerKeyGeneration is 0; allowed: an integer >= 1");
  });
});

describe("dtsWriterPolicy", () => {
  it("project actions on the project, table actions on <t>_base/<t>_log only, sorted by table", () => {
    expect(dtsWriterPolicy("photo_dw", ["users", "page_views"])).toEqual({
      Version: "1",
      Statement: [
        { Effect: "Allow", Action: ["odps:CreateTable", "odps:CreateInstance", "odps:List"], Resource: ["acs:odps:*:projects/photo_dw"] },
        {
          Effect: "Allow",
          Action: ["odps:Describe", "odps:Alter", "odps:Update"],
          Resource: [
            "acs:odps:*:projects/photo_dw/tables/page_views_base",
            "acs:odps:*:projects/photo_dw/tables/page_views_log",
            "acs:odps:*:projects/photo_dw/tables/users_base",
            "acs:odps:*:projects/photo_dw/tables/users_log",
          ],
        },
      ],
    });
    expect(DTS_WRITER_PROJECT_ACTIONS).not.toContain("All");
    expect(DTS_WRITER_TABLE_ACTIONS).not.toContain("Drop");
    expect(DTS_WRITER_TABLE_ACTIONS).not.toContain("Select");
    expect(dtsWrittenTables(["b", "a"])).toEqual(["a_base", "a_log", "b_base", "b_log"]);
  });
  it("is least-privilege by the pack's own check", () => {
    expect(maxcomputeRoleProblems({ type: "resource", policy: dtsWriterPolicy("photo_dw", ["users"]) }, "photo_dw")).toEqual([]);
  });
  it("fails with no tables", () => {
    expect(() => dtsWriterPolicy("p", [])).toThrow("dtsWriterPolicy: no realtime tables");
  });
});

describe("names", () => {
  it("the RAM user is named after the project; the MaxCompute user is RAM$<account id>:<user id>", () => {
    expect(dtsWriterUserName("photo_analytics_prod")).toBe("photo_analytics_prod-dts-writer");
    expect(() => dtsWriterUserName("x".repeat(60))).toThrow("is not 1-64 letters");
    expect(maxcomputeUserOfRamUser("5527000000000000", "276300000000001649")).toBe("RAM$5527000000000000:276300000000001649");
  });
});

describe("maxcomputeRoleProblems", () => {
  const doc = (Action: string[], Resource: string[]) => ({ Version: "1" as const, Statement: [{ Effect: "Allow" as const, Action, Resource }] });
  it.each([
    ["a project action on the project", doc(["odps:List"], ["acs:odps:*:projects/p"]), []],
    ["a table action on a named table", doc(["odps:Update"], ["acs:odps:*:projects/p/tables/t"]), []],
    [
      "odps:*",
      doc(["odps:*"], ["acs:odps:*:projects/p/tables/t"]),
      ['Action "odps:*": list the MaxCompute actions one by one (odps:CreateTable, odps:Update, ...)'],
    ],
    ["a RAM action", doc(["ram:CreateUser"], ["acs:odps:*:projects/p"]), ['Action "ram:CreateUser": a MaxCompute role policy holds odps:<Action> only']],
    [
      "every table",
      doc(["odps:Update"], ["acs:odps:*:projects/p/tables/*"]),
      [
        'Resource "acs:odps:*:projects/p/tables/*": allowed: acs:odps:*:projects/p or one object named below it (acs:odps:*:projects/p/tables/<table>), no wildcard',
      ],
    ],
    [
      "a project whose name starts with the stack's",
      doc(["odps:List"], ["acs:odps:*:projects/p2"]),
      ['Resource "acs:odps:*:projects/p2": allowed: acs:odps:*:projects/p or one object named below it (acs:odps:*:projects/p/tables/<table>), no wildcard'],
    ],
  ])("%s", (_what, policy, messages) => {
    expect(maxcomputeRoleProblems({ type: "resource", policy }, "p").map((x) => x.message)).toEqual(messages);
  });
});

/** Every identity and grant a plan holds: RAM users, AccessKeys, RAM policies, MaxCompute roles with their policies and members. */
async function identities(stage: string, engine: string, pair: boolean) {
  const over: Record<string, unknown> = { "photo-analytics:stage": stage, "photo-analytics:realtime": { enabled: true, engine } };
  if (!pair) Object.assign(over, { "photo-analytics:maxcomputeAccessKeyId": undefined, "photo-analytics:maxcomputeAccessKeySecret": undefined });
  const plan = await planOf(over);
  const pick = (t: string) => plan.resources.filter((r) => r.type === t);
  return {
    plan,
    ramUsers: pick("alicloud:ram/user:User").map((r) => r.inputs.name),
    accessKeys: pick("alicloud:ram/accessKey:AccessKey").map((r) => r.name),
    ramPolicies: plan.resources.filter((r) => /^alicloud:ram\/(policy|.*[aA]ttachment)/.test(r.type)).map((r) => r.name),
    roles: Object.fromEntries(
      pick("alicloud:maxcompute/role:Role").map((r) => [r.inputs.roleName, { type: r.inputs.type, policy: JSON.parse(String(r.inputs.policy)) }]),
    ),
    members: pick("alicloud:maxcompute/roleUserAttachment:RoleUserAttachment").map((r) => [r.inputs.roleName, r.inputs.user]),
  };
}

const PROJECT = "photo_analytics_test";
const EXPORT_ROLE = {
  type: "resource",
  policy: {
    Version: "1",
    Statement: [
      { Effect: "Allow", Action: ["odps:Describe", "odps:Alter", "odps:Update"], Resource: [`acs:odps:*:projects/${PROJECT}/tables/ods_user_events_sls`] },
    ],
  },
};
const DTS_ROLE = { type: "resource", policy: JSON.parse(renderPolicy(dtsWriterPolicy(PROJECT, ["page_views", "photo_records", "users"]))) };
/** The realtime metrics import's reader (components/sls/realtime-metrics.ts): reads rt_metrics_feed only. */
const RT_READER_ROLE = {
  type: "resource",
  policy: {
    Version: "1",
    Statement: [
      { Effect: "Allow", Action: ["odps:Describe", "odps:Select", "odps:Download"], Resource: [`acs:odps:*:projects/${PROJECT}/tables/rt_metrics_feed`] },
    ],
  },
};

describe("identities per stage and engine (plans of the real program)", () => {
  it.each(STAGES.flatMap((s) => [[s, "dts"] as const, [s, "sls"] as const]))("%s, realtime on %s, no AccessKey pair in config", async (stage, engine) => {
    const id = await identities(stage, engine, false);
    // SLS export: its RAM role writes one table, in every stage and engine.
    expect(id.roles.sls_export_writer).toEqual(EXPORT_ROLE);
    // No RAM policy anywhere: the writers are authorized inside MaxCompute.
    expect(id.ramPolicies).toEqual([]);
    if (engine === "dts") {
      // The DTS writer, and the reader the SLS import of the realtime metrics uses (an AccessKey source: no role).
      expect(id.ramUsers).toEqual([`${PROJECT}-dts-writer`, `${PROJECT}-rt-reader`]);
      expect(id.accessKeys).toEqual(["analytics-realtime-writer-key-1", "analytics-tracking-rt-reader-key"]);
      expect(id.roles.dts_writer).toEqual(DTS_ROLE);
      expect(id.roles.rt_metrics_reader).toEqual(RT_READER_ROLE);
      expect(Object.keys(id.roles).sort()).toEqual(["dts_writer", "rt_metrics_reader", "sls_export_writer"]);
      // The RAM user's id is known after deployment only.
      expect(id.members).toEqual([
        ["dts_writer", "[computed]"],
        ["sls_export_writer", "RAM$<account-id>:role/aliyunlogdefaultrole"],
        ["rt_metrics_reader", "[computed]"],
      ]);
      expect(id.plan.outputs.dtsWriter).toEqual({
        mode: "managed",
        ramUser: `${PROJECT}-dts-writer`,
        maxcomputeRole: "dts_writer",
        keyGeneration: 1,
        keptKeyGenerations: [1],
      });
    } else {
      expect(id.ramUsers).toEqual([]);
      expect(id.accessKeys).toEqual([]);
      expect(Object.keys(id.roles)).toEqual(["sls_export_writer"]);
      expect(id.plan.outputs.dtsWriter).toBeUndefined();
    }
  });

  it("with the pair in config DTS keeps writing with it: no writer identity, and the plan says so", async () => {
    const id = await identities("mature", "dts", true);
    // Only the realtime metrics reader (its own identity, whatever DTS writes with).
    expect(id.ramUsers).toEqual([`${PROJECT}-rt-reader`]);
    expect(id.accessKeys).toEqual(["analytics-tracking-rt-reader-key"]);
    expect(Object.keys(id.roles).sort()).toEqual(["rt_metrics_reader", "sls_export_writer"]);
    expect(id.plan.outputs.dtsWriter).toEqual({ mode: "accessKey", from: "config maxcomputeAccessKeyId / maxcomputeAccessKeySecret" });
    const job = id.plan.resources.find((r) => r.type === "alicloud:dts/synchronizationJob:SynchronizationJob")!;
    expect([job.inputs.destinationEndpointUserName, job.inputs.destinationEndpointPassword]).toEqual(["[secret]", "[secret]"]);
  });

  it("no secret value reaches the plan: the job's pair is [secret] or, before the key exists, [computed]", async () => {
    const id = await identities("mature", "dts", false);
    const job = id.plan.resources.find((r) => r.type === "alicloud:dts/synchronizationJob:SynchronizationJob")!;
    expect([job.inputs.destinationEndpointUserName, job.inputs.destinationEndpointPassword]).toEqual(["[computed]", "[computed]"]);
    const key = id.plan.resources.find((r) => r.type === "alicloud:ram/accessKey:AccessKey")!;
    expect(Object.keys(key.inputs)).toEqual(["userName"]);
  });
});
