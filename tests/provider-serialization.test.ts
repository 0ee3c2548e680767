/**
 * Every dynamic provider of the stack serializes as `pulumi up` serializes it: the offline plan
 * masks providers (plan-engine/record-plan.ts `leanRuntime`), so this test plans prod at stage
 * mature with each realtime engine under PHOTO_ANALYTICS_PLAN_SERIALIZE=1, which runs Pulumi's closure
 * serialization for every dynamic resource, and checks that each one serialized to a module
 * exporting the provider, with no credential in its text. (It found the DataHub connector's
 * provider unserializable: an arrow field capturing `this`.) And serialized providers, loaded as the
 * provider host loads them, run. Integration: serialization takes seconds.
 */
import * as pulumi from "@pulumi/pulumi";
import { sdkInternals } from "../plan-engine/sdk-internals";
import { maxComputeExportProvider } from "../providers/sls/maxcompute-export";
import { planMature } from "./support/engine-plans";
import { exampleExportInputs, TEST_ACCESS_KEY_SECRET } from "./support/fake-sls";
import { loadSerialized } from "./support/serialized";

const sdk = sdkInternals();
const serializeFunction = sdk.closure.serializeFunction;
const serialized: { text: string }[] = [];

beforeAll(() => {
  process.env.PHOTO_ANALYTICS_PLAN_SERIALIZE = "1";
  sdk.closure.serializeFunction = async (...args: unknown[]) => {
    const out = (await serializeFunction(...args)) as { text: string };
    serialized.push(out);
    return out;
  };
});
afterAll(() => {
  delete process.env.PHOTO_ANALYTICS_PLAN_SERIALIZE;
  sdk.closure.serializeFunction = serializeFunction;
});

const types = new Set<string>();

describe("every dynamic provider serializes for pulumi up", () => {
  it.each(["dts", "sls", "canal-datahub", "dataworks-flink"] as const)(
    "with the %s engine",
    async (engine) => {
      const plan = await planMature("prod", engine);
      for (const r of plan.resources) if (r.type.startsWith("pulumi-nodejs:dynamic/")) types.add(r.type);
      for (const s of serialized) {
        expect(s.text).toMatch(/exports\.handler = /);
        expect(s.text).not.toMatch(/AccessKeySecret["']?\s*[:=]\s*["'][^"']+["']|LTAI[0-9A-Za-z]{12,}/);
      }
    },
    120_000,
  );
  it("serialized one provider per dynamic resource type (the SDK serializes a provider object once per process)", () => {
    expect(types.size).toBeGreaterThanOrEqual(10);
    expect(serialized).toHaveLength(types.size);
  });
});

describe("a serialized provider runs as the provider host loads it", () => {
  it("MaxCompute export: serializes without credentials, requires the official SDK at run time, and the loaded provider diffs", async () => {
    const sf = await pulumi.runtime.serializeFunction(() => maxComputeExportProvider, { allowSecrets: false });
    expect(sf.text).toContain('require("@alicloud/sls20201230")');
    expect(sf.text).not.toContain(TEST_ACCESS_KEY_SECRET);
    const loaded = loadSerialized<typeof maxComputeExportProvider>(sf, "__serialized_export__.js");
    const inputs = (over = {}) => exampleExportInputs(1, over);
    const olds = { ...inputs(), status: "RUNNING" } as never;
    expect(await loaded.diff!("user-events-to-maxcompute", olds, inputs())).toMatchObject({ changes: false });
    expect(await loaded.diff!("user-events-to-maxcompute", olds, inputs({ project: "other" }))).toMatchObject({ changes: true, replaces: ["project"] });
  });
});
