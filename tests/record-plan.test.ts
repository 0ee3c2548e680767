/** The offline plan's engine: a program that throws is reported once, and the next plan in the same process is unaffected. */
import { ProgramError, recordPlan } from "../cli/record-plan";
import { stackConfig } from "../cli/common";
import * as pulumi from "@pulumi/pulumi";

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
});
