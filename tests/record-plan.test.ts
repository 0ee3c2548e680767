/**
 * The offline plan's engine: a program that throws is reported once, and the next plan in the
 * same process is unaffected; the SDK's debugging aids it switches off while a program runs
 * change nothing in the plan and are back afterwards.
 */
import { recordPlan } from "../plan-engine/record-plan";
import { ProgramError } from "../plan-engine/program-error";
import { stackConfig } from "../project-files";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "fs";
import { join } from "path";

describe("recordPlan", () => {
  it("rethrows a program's error and records the next plan normally", async () => {
    await expect(
      recordPlan({
        stack: "x",
        config: { values: {}, secretKeys: new Set() },
        program: () => {
          throw new Error("boom");
        },
      }),
    ).rejects.toThrow("boom");
    const dev = await recordPlan({ stack: "dev", config: stackConfig("dev") });
    expect(dev.stage).toBe("initial");
    expect(dev.resources.filter((r) => r.type === "alicloud:maxcompute/project:Project").map((r) => r.name)).toEqual(["analytics-warehouse-project"]);
  });
  it("turns a RunError (rejected config) into a ProgramError with its message only", async () => {
    const run = recordPlan({
      stack: "x",
      config: { values: {}, secretKeys: new Set() },
      program: () => {
        throw new pulumi.RunError("invalid stack configuration (1 problem)");
      },
    });
    await expect(run).rejects.toBeInstanceOf(ProgramError);
    await expect(
      recordPlan({
        stack: "x",
        config: { values: {}, secretKeys: new Set() },
        program: () => {
          throw new pulumi.RunError("again");
        },
      }),
    ).rejects.toThrow("again");
  });
  it("records the same plan with the SDK's source positions and promise tracking on, and restores them after", async () => {
    const sdkResource = require("@pulumi/pulumi/resource") as { Resource: { stackTrace: unknown } };
    const sdkDebuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };
    const originals = [sdkResource.Resource.stackTrace, sdkDebuggable.debuggablePromise, Error.stackTraceLimit];
    const config = stackConfig("prod", undefined, "mature");
    const seen: unknown[] = [];
    const program = () => {
      seen.push([sdkResource.Resource.stackTrace === originals[0], sdkDebuggable.debuggablePromise === originals[1], Error.stackTraceLimit]);
      return (require("../stack") as typeof import("../stack")).buildStack();
    };
    const lean = await recordPlan({ stack: "prod", config, program });
    process.env.PHOTO_ANALYTICS_PLAN_STACKS = "1";
    try {
      const full = await recordPlan({ stack: "prod", config, program });
      expect(full).toEqual(lean);
    } finally {
      delete process.env.PHOTO_ANALYTICS_PLAN_STACKS;
    }
    // The whole program: as many resources as the golden plan of prod/mature (tests/plan-matrix.test.ts holds it to the program).
    expect(lean.resources.length).toBe(
      (JSON.parse(readFileSync(join(__dirname, "golden", "plans", "prod-mature-dts.json"), "utf8")) as { resources: unknown[] }).resources.length,
    );
    // Off while the first program ran, on in the second; restored after both.
    expect(seen).toEqual([
      [false, false, 0],
      [true, true, originals[2]],
    ]);
    expect([sdkResource.Resource.stackTrace, sdkDebuggable.debuggablePromise, Error.stackTraceLimit]).toEqual(originals);
  }, 60_000);
});
