/**
 * create -> read -> diff = no change for the MaxCompute export: the fake SLS answers
 * GetMaxComputeExport as SLS does (server defaults filled in, `bufferInterval` as a string,
 * createTime/lastModifiedTime/scheduleId/status added: the MaxComputeExport struct,
 * https://alibabacloud.com/help/en/sls/developer-reference/api-sls-2020-12-30-struct-maxcomputeexport
 * and the sink struct,
 * https://help.aliyun.com/zh/sls/developer-reference/api-sls-2020-12-30-struct-maxcomputeexportconfigurationsink),
 * so a second `up` after a refresh is a no-op, while an edit made in the console shows as
 * drift that the next `up` puts back.
 */
import { MaxComputeExportInputs, maxComputeExportProvider as provider } from "../providers/sls/maxcompute-export";
import { exampleExportInputs, FakeSls, routeHostsToLocalhost, startFakeSls, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from "./support/fake-sls";

let fake: FakeSls;
let undoDns: () => void;
const savedEnv = { ...process.env };
const inputs = (over: Partial<MaxComputeExportInputs> = {}) => exampleExportInputs(fake.port, over);
const JOB = "photo-tracking/user-events-to-maxcompute";

beforeAll(async () => {
  fake = await startFakeSls();
  undoDns = routeHostsToLocalhost("sls.test");
});
afterAll(async () => {
  undoDns();
  await fake.close();
  expect(fake.modelViolations).toEqual([]); // held to the official SLS models
});
beforeEach(async () => {
  fake.requests.length = 0;
  fake.exports.clear();
  await provider.configure!({ config: { get: () => undefined, require: () => "" } } as never);
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = TEST_ACCESS_KEY_ID;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = TEST_ACCESS_KEY_SECRET;
});
afterEach(() => {
  process.env = { ...savedEnv };
});

/** `pulumi up`, `pulumi refresh`, `pulumi up` again: the second up's diff. */
async function upRefreshUp(first: MaxComputeExportInputs, second: MaxComputeExportInputs = first) {
  const created = await provider.create!(first);
  const refreshed = await provider.read!(created.id, created.outs);
  return { created, refreshed, diff: await provider.diff!(created.id, refreshed.props, second) };
}

describe("MaxCompute export: create -> read -> diff", () => {
  it("a second up after a refresh is a no-op", async () => {
    const { created, refreshed, diff } = await upRefreshUp(inputs());
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    // read maps the job back onto exactly the declared inputs, plus the status.
    expect(refreshed.props).toEqual(created.outs);
    expect(Object.keys(refreshed.props)).not.toEqual(expect.arrayContaining(["createTime"]));
  });

  it("a second up without a refresh is a no-op too (create's outputs diff clean)", async () => {
    const created = await provider.create!(inputs());
    expect(await provider.diff!(created.id, created.outs, inputs())).toMatchObject({ changes: false });
  });

  it.each([
    ['no description (SLS answers "")', { description: undefined }],
    ['a 3600 s buffer (SLS answers "3600")', { bufferIntervalSeconds: 3600 }],
  ])("no change after a refresh with %s", async (_label, over) => {
    expect((await upRefreshUp(inputs(over))).diff).toMatchObject({ changes: false });
  });

  it("no change when the endpoint is left to its default (<region>.log.aliyuncs.com)", async () => {
    const olds = { ...inputs(), endpoint: "cn-shanghai.log.aliyuncs.com", status: "RUNNING" };
    expect(await provider.diff!("id", olds, inputs({ endpoint: undefined }))).toMatchObject({ changes: false });
  });

  it("shows an edit made in the console as drift, updated in place", async () => {
    const created = await provider.create!(inputs());
    const job = fake.exports.get(JOB) as any;
    job.configuration.sink.odpsTable = "edited_in_console";
    job.configuration.sink.bufferInterval = "3600";
    const refreshed = await provider.read!(created.id, created.outs);
    expect(refreshed.props).toMatchObject({ odpsTable: "edited_in_console", bufferIntervalSeconds: 3600 });
    const diff = await provider.diff!(created.id, refreshed.props, inputs());
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await provider.update!(created.id, refreshed.props, inputs());
    const again = await provider.read!(created.id, created.outs);
    expect(await provider.diff!(created.id, again.props, inputs())).toMatchObject({ changes: false });
  });

  it("keeps the job's status from GetMaxComputeExport, without a diff on it", async () => {
    const created = await provider.create!(inputs());
    (fake.exports.get(JOB) as any).status = "STOPPED";
    const refreshed = await provider.read!(created.id, created.outs);
    expect(refreshed.props.status).toBe("STOPPED");
    expect(await provider.diff!(created.id, refreshed.props, inputs())).toMatchObject({ changes: false });
  });

  it("reports a job deleted outside the stack as gone, so the next up creates it", async () => {
    const created = await provider.create!(inputs());
    fake.exports.clear();
    expect((await provider.read!(created.id, created.outs)).id).toBeUndefined();
  });
});
