/**
 * The SLS -> MaxCompute export dynamic provider, driven against a local fake
 * SLS that checks what the official client (`@alicloud/sls20201230`) sends.
 */
import { MaxComputeExportInputs, maxComputeExportProvider as provider } from "../providers/sls/maxcompute-export";
import { exampleExportInputs, FakeSls, routeHostsToLocalhost, startFakeSls, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from "./support/fake-sls";

let fake: FakeSls;
let undoDns: () => void;
const savedEnv = { ...process.env };

const inputs = (over: Partial<MaxComputeExportInputs> = {}): MaxComputeExportInputs => exampleExportInputs(fake.port, over);

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
  // The provider is one object: forget the stack config a previous test configured.
  await provider.configure!({ config: { get: () => undefined, require: () => "" } } as never);
  delete process.env.ALICLOUD_ACCESS_KEY;
  delete process.env.ALICLOUD_SECRET_KEY;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = TEST_ACCESS_KEY_ID;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = TEST_ACCESS_KEY_SECRET;
});
afterEach(() => {
  process.env = { ...savedEnv };
});

describe("MaxCompute export provider against a fake SLS", () => {
  it("creates the job with a signed CreateMaxComputeExport the fake accepts", async () => {
    const res = await provider.create!(inputs());
    expect(res.id).toBe("photo-tracking:user-events-to-maxcompute");
    expect(res.outs.status).toBe("RUNNING");

    const [create, get] = fake.requests;
    expect(fake.requests).toHaveLength(2);
    expect(create.problems).toEqual([]);
    expect(create).toMatchObject({ method: "POST", path: "/maxcomputeexports", project: "photo-tracking" });
    expect(create.host).toBe(`photo-tracking.sls.test:${fake.port}`);
    expect(create.headers.authorization).toMatch(new RegExp(`^LOG ${TEST_ACCESS_KEY_ID}:`));
    expect(get).toMatchObject({ method: "GET", path: "/maxcomputeexports/user-events-to-maxcompute", problems: [] });

    const body = JSON.parse(create.body.toString());
    expect(body).toEqual({
      name: "user-events-to-maxcompute",
      displayName: "user_events to MaxCompute ods_user_events_sls",
      description: "test",
      configuration: {
        logstore: "user_events",
        roleArn: "acs:ram::1234567890:role/aliyunlogdefaultrole",
        fromTime: 1,
        toTime: 0,
        sink: {
          odpsEndpoint: "https://service.cn-shanghai-intranet.maxcompute.aliyun-inc.com/api",
          odpsTunnelEndpoint: "https://dt.cn-shanghai-intranet.maxcompute.aliyun-inc.com",
          odpsProject: "photo_dw",
          odpsTable: "ods_user_events_sls",
          odpsRolearn: "acs:ram::1234567890:role/aliyunlogdefaultrole",
          fields: [
            "event_name",
            "user_id",
            "session_id",
            "page_name",
            "client_time",
            "platform",
            "app_version",
            "page_url",
            "event_params",
            "__time__",
            "__tag__:__client_ip__",
          ],
          partitionColumn: ["__partition_time__"],
          partitionTimeFormat: "%Y%m%d",
          timeFormatType: "StrfTimeFormat",
          timeZone: "+0800",
          bufferInterval: "1800",
          filterInvalid: true,
        },
      },
    });
    expect(fake.exports.has("photo-tracking/user-events-to-maxcompute")).toBe(true);
  });

  it("reads the job's status, and reports a deleted job as gone", async () => {
    const created = await provider.create!(inputs());
    const read = await provider.read!(created.id, created.outs);
    expect(read).toEqual({ id: created.id, props: { ...created.outs, status: "RUNNING" } });
    fake.exports.clear();
    const gone = await provider.read!(created.id, created.outs);
    expect(gone.id).toBeUndefined();
  });

  it.each([
    ["no change", {}, { changes: false, replaces: [] }],
    ["table change updates in place", { odpsTable: "ods_events_v2" }, { changes: true, replaces: [] }],
    ["buffer change updates in place", { bufferIntervalSeconds: 3600 }, { changes: true, replaces: [] }],
    ["rename replaces", { exportName: "events-v2" }, { changes: true, replaces: ["exportName"] }],
    ["project change replaces", { project: "other-tracking" }, { changes: true, replaces: ["project"] }],
  ])("diff: %s", async (_label, over, expected) => {
    const olds = { ...inputs(), status: "RUNNING" };
    const diff = await provider.diff!("id", olds, inputs(over));
    expect(diff).toMatchObject(expected);
    expect(fake.requests).toHaveLength(0);
  });

  it("updates with a signed UpdateMaxComputeExport (PUT, no name in the body)", async () => {
    const created = await provider.create!(inputs());
    fake.requests.length = 0;
    const updated = await provider.update!(created.id, created.outs, inputs({ odpsTable: "ods_events_v2" }));
    const [put] = fake.requests;
    expect(put).toMatchObject({ method: "PUT", path: "/maxcomputeexports/user-events-to-maxcompute", problems: [] });
    const body = JSON.parse(put.body.toString());
    expect(body.name).toBeUndefined();
    expect(body.configuration.sink.odpsTable).toBe("ods_events_v2");
    expect(updated.outs.odpsTable).toBe("ods_events_v2");
    expect((fake.exports.get("photo-tracking/user-events-to-maxcompute") as any).configuration.sink.odpsTable).toBe("ods_events_v2");
  });

  it("deletes the job, and a second delete of a missing job succeeds", async () => {
    const created = await provider.create!(inputs());
    await provider.delete!(created.id, created.outs);
    expect(fake.exports.size).toBe(0);
    await expect(provider.delete!(created.id, created.outs)).resolves.toBeUndefined();
    const deletes = fake.requests.filter((r) => r.method === "DELETE");
    expect(deletes.map((d) => d.problems)).toEqual([[], []]);
  });

  it("fails when the signature does not match (wrong secret), naming the SLS error", async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "wrong";
    await expect(provider.create!(inputs())).rejects.toThrow(/SignatureNotMatch|signature mismatch/);
    expect(fake.exports.size).toBe(0);
  });

  it("fails when the job already exists (create is not silently idempotent)", async () => {
    await provider.create!(inputs());
    await expect(provider.create!(inputs())).rejects.toThrow(/JobAlreadyExist/);
  });
});

describe("diff ignores the host's serialized provider", () => {
  it("reports no change when only __provider differs", async () => {
    const olds = { ...inputs(), status: "RUNNING", __provider: "exports.handler = old" } as never;
    const news = { ...inputs(), __provider: "exports.handler = new" } as never;
    expect(await provider.diff!("user-events-to-maxcompute", olds, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });
});
