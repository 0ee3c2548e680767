/** The data-flow picture (lib/plan/data-flow.ts) from real plans, its diff marks, and docs/data-flow.md. */
import * as fs from "fs";
import * as path from "path";
import { planStack } from "../cli/plan";
import { DATA_FLOW_FILE, dataFlowDoc } from "../cli/data-flow-docs";
import { dataFlow, dataFlowMermaid, dataFlowText, diffDataFlow, DataFlow, flowChanged } from "../lib/plan/data-flow";
import { plan, res } from "./cost-fixtures";

const edgesOf = (f: DataFlow) => f.edges.map((e) => `${label(f, e.from)} -> ${label(f, e.to)}`);
const label = (f: DataFlow, id: string) => f.nodes.find((n) => n.id === id)!.label;

describe("data flow of a plan", () => {
  let initial: DataFlow;
  let mature: DataFlow;
  beforeAll(async () => {
    initial = dataFlow((await planStack("prod", undefined, "initial")).plan);
    mature = dataFlow((await planStack("prod", undefined, "mature")).plan);
  }, 60_000);

  it("carries each source table through its loads to its ODS tables and the reports that read them", () => {
    expect(edgesOf(initial)).toEqual(
      expect.arrayContaining([
        "users -> DataWorks DI daily (T+1)",
        "DataWorks DI daily (T+1) -> ods_users_d",
        "ods_users_d -> ads_new_users_d",
        "ods_page_views_d -> ads_dau_d",
        "web / mini-program events -> SLS web tracking",
        "SLS web tracking -> SLS logstore user_events",
        "SLS export to MaxCompute (T+1) -> ods_user_events_sls",
      ]),
    );
    expect(edgesOf(initial).filter((e) => /hourly|DTS/.test(e))).toEqual([]);
    expect(initial.nodes.filter((n) => n.kind === "report").map((n) => n.label)).toEqual(
      expect.arrayContaining(["ads_dau_d", "ads_funnel_d", "ads_new_users_d", "ads_photos_d"]),
    );
  });

  it("at mature adds the hourly loads, DTS, the realtime views, compaction and snapshots", () => {
    expect(edgesOf(mature)).toEqual(
      expect.arrayContaining([
        "page_views -> DataWorks DI hourly",
        "DataWorks DI hourly -> ods_page_views_h",
        "ods_page_views_h -> dws_page_views_agg_h",
        "users -> DTS binlog (seconds)",
        "DTS binlog (seconds) -> users_log",
        "users_log -> users_compacted",
        "users_compacted -> users_realtime",
        "users_realtime -> dwd_users_snapshot_h",
      ]),
    );
    // Only the realtime tables go through DTS.
    expect(edgesOf(mature).filter((e) => e.endsWith("-> DTS binlog (seconds)"))).toEqual([
      "page_views -> DTS binlog (seconds)",
      "photo_records -> DTS binlog (seconds)",
      "users -> DTS binlog (seconds)",
    ]);
  });

  it("a diff marks what the change adds and removes, in Mermaid (classDef/class) and in text", () => {
    const up = diffDataFlow(initial, mature);
    expect(flowChanged(up)).toBe(true);
    expect(up.nodes.filter((n) => n.change === "removed")).toEqual([]);
    expect(up.nodes.find((n) => n.label === "DTS binlog (seconds)")?.change).toBe("added");
    const md = dataFlowMermaid(up);
    expect(md).toMatch(/^flowchart LR\n/);
    expect(md).toContain("classDef added");
    expect(md).toMatch(/\n {2}class n\d+(,n\d+)* added/);
    expect(dataFlowText(up)).toContain("  +DataWorks DI hourly -> +ods_guide_usage_h, +ods_page_views_h, +ods_photo_records_h");

    const down = diffDataFlow(mature, initial);
    expect(down.nodes.filter((n) => n.change === "added")).toEqual([]);
    expect(dataFlowMermaid(down)).toMatch(/\n {2}class n\d+(,n\d+)* removed/);
    expect(dataFlowMermaid(down)).toContain("-.->");
    expect(flowChanged(diffDataFlow(mature, mature))).toBe(false);
    expect(dataFlowMermaid(diffDataFlow(mature, mature))).not.toContain("classDef");
  });

  it("is deterministic", async () => {
    expect(dataFlow((await planStack("prod", undefined, "mature")).plan)).toEqual(mature);
  });
});

describe("table names in the picture", () => {
  it("a mixed-case MySQL table reaches its ODS table by the name the generator gives it (lower-cased), and on to its reports", () => {
    const p = {
      ...plan(
        [
          res("alicloud:dataworks/diJob:DiJob", "analytics-sync-daily-incremental"),
          res("pulumi-nodejs:dynamic/dataworks:DataWorksNode", "analytics-nodes-daily-ads_logs_d", {
            name: "ads_logs_d",
            script: "SELECT COUNT(*) FROM ods_userlogs_d",
          }),
        ],
        "initial",
      ),
      outputs: { tables: [{ name: "UserLogs", tier: "daily", realtime: false }] },
    };
    expect(dataFlowText(dataFlow(p))).toEqual([
      "  UserLogs -> DataWorks DI daily (T+1)",
      "  DataWorks DI daily (T+1) -> ods_userlogs_d",
      "  ods_userlogs_d -> ads_logs_d",
    ]);
  });
});

describe("docs/data-flow.md", () => {
  it("is the generator's output (run npm run docs:data-flow)", async () => {
    expect(fs.readFileSync(path.join(__dirname, "..", DATA_FLOW_FILE), "utf8")).toBe(await dataFlowDoc());
  }, 60_000);
});
