/**
 * `alicloud:region` and `source.region` are Alibaba Cloud region ids from the one list
 * (lib/config/regions.ts), refused with a did-you-mean in the config error formatter's words,
 * before the program registers anything (issue 22, item 7: `cn-shanghia` was accepted).
 */
import * as pulumi from "@pulumi/pulumi";
import { REGION_IDS } from "../lib/config/regions";
import { PROJECT } from "../lib/config/types";
import { loadStackConfig } from "../project-files";
import { input, configProblems } from "./support/config";

const ALLOWED = REGION_IDS.map((r) => JSON.stringify(r)).join(", ");

const problems = configProblems;

describe("alicloud:region is an Alibaba Cloud region id", () => {
  it("fails when alicloud:region is a typo, naming the key, the value, the likely region and every allowed one", () => {
    expect(problems(input({ "alicloud:region": "cn-shanghia" }))).toEqual([
      `alicloud:region: "cn-shanghia" is not allowed; did you mean "cn-shanghai"? allowed values: ${ALLOWED}`,
    ]);
  });

  it("fails without a did-you-mean when no region id is close", () => {
    expect(problems(input({ "alicloud:region": "mars-north-9" }))).toEqual([`alicloud:region: "mars-north-9" is not allowed; allowed values: ${ALLOWED}`]);
  });

  it("fails when source.region is a typo, in the same words", () => {
    expect(problems(input({ "photo-analytics:source": { host: "10.0.0.5", user: "pa_sync", region: "cn-hangzou" } }))).toEqual([
      `photo-analytics:source.region: "cn-hangzou" is not allowed; did you mean "cn-hangzhou"? allowed values: ${ALLOWED}`,
    ]);
  });

  it.each(["cn-shanghai", "cn-hangzhou", "ap-southeast-1", "eu-central-1", "na-south-1"])("passes with %s", (region) => {
    const c = loadStackConfig(input({ "alicloud:region": region }));
    expect(c.region).toBe(region);
    // source.region defaults to the stack's region.
    expect(c.source.region).toBe(region);
  });

  it("passes with every region id on the list (no duplicates, lower-case id shape)", () => {
    expect(new Set(REGION_IDS).size).toBe(REGION_IDS.length);
    for (const region of REGION_IDS) {
      expect(region).toMatch(/^[a-z]{2}-[a-z]+(-\d+)?$/);
      expect(loadStackConfig(input({ "alicloud:region": region })).region).toBe(region);
    }
  });

  it("fails before the program registers any resource", async () => {
    let registered = 0;
    await pulumi.runtime.setMocks(
      {
        newResource(args: pulumi.runtime.MockResourceArgs) {
          registered++;
          return { id: undefined, state: args.inputs };
        },
        call: () => ({}),
      },
      PROJECT,
      "test",
      true,
    );
    const i = input({ "alicloud:region": "cn-shanghia" });
    pulumi.runtime.setAllConfig({ ...i.values }, [...i.secretKeys]);
    const { buildStack } = require("../stack") as typeof import("../stack");
    expect(() => buildStack()).toThrow(
      new pulumi.RunError(
        `invalid stack configuration (1 problem):\n  - alicloud:region: "cn-shanghia" is not allowed; did you mean "cn-shanghai"? allowed values: ${ALLOWED}`,
      ),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(registered).toBe(0);
  });
});
