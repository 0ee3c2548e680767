/**
 * The stack outputs: `layers` names every layer the config builds, realtime included; `pulumi up`
 * (index.ts) exports every output the program returns.
 */
import * as fs from "fs";
import * as path from "path";
import { builtLayers } from "../lib/config/stage-catalog";
import { loadStackConfig } from "../project-files";
import { input } from "./support/config";
import { planOf } from "./support/plan";

const stageInput = (stage: string, over: Record<string, unknown> = {}) => input({ "photo-analytics:stage": stage, ...over });

describe("builtLayers", () => {
  it.each([
    ["initial", ["daily"]],
    ["growth", ["daily", "hourly"]],
    ["mature", ["daily", "hourly", "realtime"]],
  ])("%s builds %j by default", (stage, layers) => {
    expect(builtLayers(loadStackConfig(stageInput(stage)))).toEqual(layers);
  });

  it("leaves out realtime when realtime is off in mature", () => {
    expect(builtLayers(loadStackConfig(stageInput("mature", { "photo-analytics:realtime": { enabled: false } })))).toEqual(["daily", "hourly"]);
  });

  it("leaves out realtime when it is on but no table is realtime", () => {
    const c = loadStackConfig(stageInput("mature"));
    expect(builtLayers({ ...c, tables: c.tables.map((t) => ({ ...t, realtime: false })) })).toEqual(["daily", "hourly"]);
  });

  it("includes realtime when it is switched on before mature", () => {
    expect(builtLayers(loadStackConfig(stageInput("initial", { "photo-analytics:realtime": { enabled: true } })))).toEqual(["daily", "realtime"]);
  });

  it("includes hourly only when a table is loaded hourly", () => {
    const c = loadStackConfig(stageInput("growth"));
    expect(builtLayers({ ...c, tables: c.tables.map((t) => ({ ...t, tier: "daily" as const })) })).toEqual(["daily"]);
  });
});

describe("stack outputs", () => {
  it("the mature stack's layers output includes realtime", async () => {
    const plan = await planOf({ "photo-analytics:stage": "mature" });
    expect(plan.outputs.layers).toEqual(["daily", "hourly", "realtime"]);
  });
  it("index.ts exports every output the program returns (the offline plan records them all)", async () => {
    const plan = await planOf({ "photo-analytics:stage": "mature" });
    const exported = [...fs.readFileSync(path.join(__dirname, "..", "index.ts"), "utf8").matchAll(/^export const (\w+) = outputs\.(\w+);$/gm)];
    expect(exported.filter((m) => m[1] !== m[2])).toEqual([]);
    expect(exported.map((m) => m[1]).sort()).toEqual(Object.keys(plan.outputs).sort());
    expect(Object.keys(plan.outputs)).toContain("dtsWriter");
  });
});
