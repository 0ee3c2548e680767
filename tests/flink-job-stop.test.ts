/**
 * FlinkJobStop: a changed metrics SQL replaces the Flink job (`local_variables` is ForceNew), and
 * the provider's Delete is a bare DeleteJob, which refuses a running job
 * (resource_alicloud_realtime_compute_job.go @579f232f). The stop resource, deleted before the Job,
 * stops it and waits for CANCELLED, against a fake of the ververica 2022-07-18 API.
 */
import { FlinkJobStopProvider, FlinkJobStopInputs } from "../providers/flink/job-stop";
import { FLINK_ENDPOINT_ENV, FlinkClient } from "../providers/flink/client";
import { UNKNOWN } from "../providers/common/dynamic";
import { FakeFlink } from "./support/fake-flink";
import { orderedAfter } from "../lib/plan/dependencies";
import { named, planOf } from "./support/plan";
import { FLINK_CONFIG } from "./support/flink";

const AK = { id: "LTAI-flink-test", secret: "flink-test-secret" };
const WS = "a1b2c3d4e5";
const NS = "pa-ws-flink-default";
const KEYS = [FLINK_ENDPOINT_ENV, "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "PHOTO_ANALYTICS_FLINK_STOP_POLL_MS"];

let fake: FakeFlink;
const saved: Record<string, string | undefined> = {};
beforeEach(async () => {
  fake = new FakeFlink(AK.id);
  const url = await fake.start();
  for (const k of KEYS) saved[k] = process.env[k];
  Object.assign(process.env, {
    [FLINK_ENDPOINT_ENV]: url,
    ALIBABA_CLOUD_ACCESS_KEY_ID: AK.id,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK.secret,
    PHOTO_ANALYTICS_FLINK_STOP_POLL_MS: "1",
  });
});
afterEach(async () => {
  await fake.stop();
  expect(fake.modelViolations).toEqual([]); // held to the official SDK models
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const provider = new FlinkJobStopProvider();
const state = (jobId: string, over: Partial<FlinkJobStopInputs> = {}): FlinkJobStopInputs => ({
  region: "cn-shanghai",
  workspace: WS,
  namespace: NS,
  jobId,
  stopStrategy: "NONE",
  ...over,
});
/** What the alicloud provider's Delete sends: DELETE .../jobs/{jobId} alone. */
async function deleteJob(jobId: string): Promise<number> {
  const res = await fetch(`${process.env[FLINK_ENDPOINT_ENV]}/api/v2/namespaces/${NS}/jobs/${jobId}`, {
    method: "DELETE",
    headers: {
      "x-acs-action": "DeleteJob",
      "x-acs-version": "2022-07-18",
      workspace: WS,
      authorization: `ACS3-HMAC-SHA256 Credential=${AK.id},SignedHeaders=host,Signature=x`,
    },
  });
  return res.status;
}

describe("FlinkJobStop delete: StopJob, then GetJob until CANCELLED", () => {
  it("without it the provider's DeleteJob is refused while the job runs", async () => {
    const jobId = fake.addJob(WS, NS);
    expect(await deleteJob(jobId)).toBe(400);
    expect(fake.jobs.get(jobId)!.status).toBe("RUNNING");
  });

  it("stops a running job (workspace header, .../jobs/{id}:stop, stopStrategy NONE) and waits until it is CANCELLED; DeleteJob then succeeds", async () => {
    const jobId = fake.addJob(WS, NS);
    await provider.delete(`${WS}:${NS}:${jobId}`, state(jobId));
    expect(fake.requests.map((r) => [r.action, r.method, r.path, r.workspace])).toEqual([
      ["GetJob", "GET", `/api/v2/namespaces/${NS}/jobs/${jobId}`, WS],
      ["StopJob", "POST", `/api/v2/namespaces/${NS}/jobs/${jobId}:stop`, WS],
      ["GetJob", "GET", `/api/v2/namespaces/${NS}/jobs/${jobId}`, WS],
      ["GetJob", "GET", `/api/v2/namespaces/${NS}/jobs/${jobId}`, WS],
    ]);
    expect(fake.requests[1].body).toEqual({ stopStrategy: "NONE" });
    expect(fake.jobs.get(jobId)!.status).toBe("CANCELLED");
    expect(await deleteJob(jobId)).toBe(200);
  });

  it.each(["CANCELLED", "FAILED", "FINISHED"])("a job already %s is left alone (one GetJob)", async (status) => {
    const jobId = fake.addJob(WS, NS, status);
    await provider.delete(`${WS}:${NS}:${jobId}`, state(jobId));
    expect(fake.actions).toEqual(["GetJob"]);
  });

  it("a job CANCELLING already is waited for, not stopped again", async () => {
    const jobId = fake.addJob(WS, NS, "CANCELLING");
    await provider.delete(`${WS}:${NS}:${jobId}`, state(jobId));
    expect(fake.actions).toEqual(["GetJob", "GetJob"]);
    expect(fake.jobs.get(jobId)!.status).toBe("CANCELLED");
  });

  it("a job that is gone (990301) is done", async () => {
    await expect(provider.delete("x", state("00000000-0000-4000-8000-000000000999"))).resolves.toBeUndefined();
    expect(fake.actions).toEqual(["GetJob"]);
  });

  it("fails when the job never stops, naming it and the console step", async () => {
    const jobId = fake.addJob(WS, NS);
    fake.jobs.get(jobId)!.stuck = true;
    await expect(provider.delete("x", state(jobId))).rejects.toThrow(`Flink job ${jobId} is still CANCELLING`);
  });

  it("fails when the AccessKey is wrong: an error (InvalidAccessKeyId.NotFound), never a job taken as gone", async () => {
    const jobId = fake.addJob(WS, NS);
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "LTAI-wrong";
    await expect(provider.delete("x", state(jobId))).rejects.toMatchObject({ code: "InvalidAccessKeyId.NotFound", statusCode: 404 });
    const client = new FlinkClient({ region: "cn-shanghai", credentials: { accessKeyId: "LTAI-wrong", accessKeySecret: "x" } });
    await expect(client.getJob({ workspace: WS, namespace: NS, jobId })).rejects.toMatchObject({ code: "InvalidAccessKeyId.NotFound" });
    expect(fake.jobs.get(jobId)!.status).toBe("RUNNING");
  });
});

describe("FlinkJobStop diff and check", () => {
  it("a new job (unknown while the Job is replaced) replaces it, delete first: so it is deleted, and stops the job, before the Job", async () => {
    const olds = state("job-1");
    expect(await provider.diff("x", olds, { ...olds, jobId: UNKNOWN })).toEqual({ changes: true, replaces: ["jobId"], deleteBeforeReplace: true });
    expect(await provider.diff("x", olds, { ...olds, jobId: "job-2" })).toMatchObject({ replaces: ["jobId"] });
    expect(await provider.diff("x", olds, olds)).toMatchObject({ changes: false, replaces: [] });
    expect(await provider.diff("x", olds, { ...olds, stopStrategy: "STOP_WITH_SAVEPOINT" })).toMatchObject({ changes: true, replaces: [] });
  });

  it("creates with no API call", async () => {
    expect(await provider.create(state("job-1"))).toEqual({ id: `${WS}:${NS}:job-1`, outs: state("job-1") });
    expect(fake.requests).toEqual([]);
  });

  it("fails on a missing workspace or an unknown stop strategy; an unknown jobId (preview) passes", async () => {
    const res = await provider.check({}, { region: "cn-shanghai", workspace: "", namespace: NS, jobId: UNKNOWN, stopStrategy: "KILL" });
    expect(res.failures).toEqual([
      { property: "workspace", reason: "workspace is required" },
      { property: "stopStrategy", reason: 'stopStrategy "KILL" is not one of NONE, STOP_WITH_SAVEPOINT, STOP_WITH_DRAIN' },
    ]);
  });
});

describe("in the plan (dataworks-flink, mature)", () => {
  it("the stop resource takes the Job's jobId (deleted before the Job) and the Job is replaced delete first", async () => {
    const plan = await planOf({ "photo-analytics:stage": "mature", "photo-analytics:realtime": FLINK_CONFIG });
    const job = named(plan, "analytics-realtime-flink-metrics-job");
    const stop = named(plan, "analytics-realtime-flink-metrics-job-stop");
    const workspace = named(plan, "analytics-realtime-flink-workspace");
    expect(stop.type).toBe("pulumi-nodejs:dynamic/flink:FlinkJobStop");
    // The job's own namespace; workspace and jobId are the workspace's and the Job's outputs (unknown in a plan).
    expect(stop.inputs).toEqual({
      region: "cn-shanghai",
      namespace: job.inputs.namespace,
      stopStrategy: "NONE",
      jobId: "[computed]",
      workspace: "[computed]",
      __provider: "[dynamic provider]",
    });
    expect(stop.inputDependencies).toEqual([job.urn, workspace.urn].sort());
    expect(orderedAfter(plan, stop.urn).has(job.urn)).toBe(true);
    expect(job.deleteBeforeReplace).toBe(true);
  }, 60_000);
});
