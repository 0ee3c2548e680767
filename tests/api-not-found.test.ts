/**
 * "Gone" is one classification for every client (providers/common/errors.ts `NOT_FOUND_CODES`):
 * only each API's exact not-found codes. A wrong AccessKey is an error, never "gone", whether
 * the API says so its own way (each fake's answer) or as the OpenAPI gateway does,
 * `InvalidAccessKeyId.NotFound` at HTTP 404: the answer a status or a /NotFound/ rule read as
 * "the object is gone", which made a refresh drop a live resource from state.
 */
import * as http from "http";
import { AddressInfo } from "net";
import { ApiService, NOT_FOUND_CODES, isNotFound } from "../providers/common/errors";
import { DataWorksClient } from "../providers/dataworks/client";
import { DiJobRunProvider } from "../providers/dataworks/di-job-run";
import { maxComputeExportProvider as exportProvider } from "../providers/sls/maxcompute-export";
import { MaxComputeClient } from "../providers/maxcompute/client";
import { DatahubClient } from "../providers/datahub/client";
import { DTS_ENDPOINT_ENV, DtsClient } from "../providers/dts/client";
import { useFakeDataWorks } from "./support/dataworks-env";
import { exampleExportInputs, routeHostsToLocalhost, startFakeSls, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from "./support/fake-sls";
import { FakeMaxCompute } from "./support/fake-maxcompute";
import { FakeDatahub } from "./support/fake-datahub";

/** The OpenAPI gateway's answer to an AccessKey id it does not know. */
const WRONG_KEY = { code: "InvalidAccessKeyId.NotFound", message: "Specified access key is not found." };

/** A server on 127.0.0.1 that answers every request with one status, content type and body. */
async function stub(status: number, contentType: string, body: string): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(status, { "content-type": contentType, "x-log-requestid": "stub", "x-datahub-request-id": "stub", "x-odps-request-id": "stub" });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const SERVICES = Object.keys(NOT_FOUND_CODES) as ApiService[];

describe("isNotFound: each API's exact not-found codes, nothing else", () => {
  it.each(SERVICES.flatMap((s) => NOT_FOUND_CODES[s].map((code) => [s, code] as const)))("%s: %s is gone", (service, code) => {
    expect(isNotFound({ code, statusCode: 404 }, service)).toBe(true);
    expect(isNotFound({ code, statusCode: 400, service }, undefined)).toBe(true);
  });

  it.each([
    ["InvalidAccessKeyId.NotFound", 404],
    ["InvalidAccessKeyId", 401],
    ["Unauthorized", 403],
    ["SignatureNotMatch", 401],
    ["SignatureDoesNotMatch", 400],
    ["NotFound", 404],
    ["InvalidAction.NotFound", 404],
    ["HTTP404", 404],
    ["Invalid.PipelineRun.StageNotExists", 400],
  ])("fails when the answer is %s (HTTP %s): an error for every API, never gone", (code, statusCode) => {
    for (const s of SERVICES) expect([s, isNotFound({ code, statusCode }, s)]).toEqual([s, false]);
    expect(isNotFound({ code, statusCode })).toBe(false);
  });

  it("one API's not-found code is not another's, and no answer at all is never gone", () => {
    expect(isNotFound({ code: "JobNotExist", statusCode: 404 }, "DataWorks")).toBe(false);
    expect(isNotFound({ code: "500130", statusCode: 400 }, "SLS")).toBe(false);
    expect(isNotFound(Object.assign(new Error("getaddrinfo ENOTFOUND x.invalid"), { code: "ENOTFOUND" }), "SLS")).toBe(false);
    expect(isNotFound({ statusCode: 404 }, "MaxCompute")).toBe(false);
  });
});

describe("DataWorks client (OpenAPI 2024-05-18)", () => {
  const env = useFakeDataWorks();

  it("fails when the AccessKey id is unknown: GetDIJob rejects, the DiJobRun's refresh rejects (the run stays in state)", async () => {
    const jobId = env.fake.addDiJob("123", "pa_ods_daily_incremental", "Running");
    const wrong = await DataWorksClient.connect("cn-hangzhou", { accessKeyId: "LTAI-wrong", accessKeySecret: "x" });
    await expect(wrong.getDIJob({ projectId: "123", id: jobId })).rejects.toMatchObject({ code: "InvalidAccessKeyId.NotFound", statusCode: 404 });
    await expect(wrong.getNode({ projectId: "123", id: "7000000000000000001" })).rejects.toMatchObject({ code: "InvalidAccessKeyId.NotFound" });
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "LTAI-wrong";
    const provider = new DiJobRunProvider();
    const state = { diJobId: `123:${jobId}`, region: "cn-hangzhou", jobVersion: "v1", jobStatus: "Running", startedVersion: "v1" };
    await expect(provider.read(state.diJobId, state)).rejects.toMatchObject({ code: "InvalidAccessKeyId.NotFound" });
  });

  it("a job that is gone (500130) reads as gone", async () => {
    const client = await DataWorksClient.connect("cn-hangzhou");
    await expect(client.getDIJob({ projectId: "123", id: "999" })).resolves.toBeUndefined();
  });
});

describe("SLS client (@alicloud/sls20201230)", () => {
  const saved = { ...process.env };
  let undoDns: () => void;
  beforeAll(() => (undoDns = routeHostsToLocalhost("sls.test")));
  afterAll(() => undoDns());
  beforeEach(async () => {
    await exportProvider.configure!({ config: { get: () => undefined, require: () => "" } } as never);
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = TEST_ACCESS_KEY_ID;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = TEST_ACCESS_KEY_SECRET;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it("fails when the key is unknown (404 InvalidAccessKeyId.NotFound): the export's refresh rejects instead of dropping it", async () => {
    const s = await stub(404, "application/json", JSON.stringify({ errorCode: WRONG_KEY.code, errorMessage: WRONG_KEY.message }));
    try {
      const inputs = exampleExportInputs(s.port);
      await expect(exportProvider.read!("photo-tracking/user-events-to-maxcompute", inputs as never)).rejects.toMatchObject({ code: WRONG_KEY.code });
      await expect(exportProvider.delete!("photo-tracking/user-events-to-maxcompute", inputs as never)).rejects.toMatchObject({ code: WRONG_KEY.code });
    } finally {
      await s.close();
    }
  });

  it("fails when the secret is wrong (the fake's 401 SignatureNotMatch); a missing job (JobNotExist) reads as gone", async () => {
    const fake = await startFakeSls();
    try {
      const inputs = exampleExportInputs(fake.port);
      // Gone: no id, so Pulumi drops it from state.
      expect(await exportProvider.read!("photo-tracking/user-events-to-maxcompute", inputs as never)).toMatchObject({ id: undefined, props: {} });
      process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "wrong-secret";
      await expect(exportProvider.read!("photo-tracking/user-events-to-maxcompute", inputs as never)).rejects.toMatchObject({ code: "SignatureNotMatch" });
    } finally {
      await fake.close();
    }
  });
});

describe("MaxCompute client (ODPS REST)", () => {
  const creds = (accessKeyId: string, accessKeySecret: string) => async () => ({ accessKeyId, accessKeySecret });

  it("fails when the key is wrong (the fake's 403 SignatureNotMatch); a missing table (NoSuchObject) reads as gone", async () => {
    const fake = new FakeMaxCompute("AKID", "s3cret");
    const endpoint = await fake.start();
    try {
      expect(await new MaxComputeClient({ endpoint, credentials: creds("AKID", "s3cret") }).getTable("pa", "nope")).toBeUndefined();
      const wrong = new MaxComputeClient({ endpoint, credentials: creds("AKID", "wrong") });
      await expect(wrong.getTable("pa", "nope")).rejects.toMatchObject({ status: 403, code: "SignatureNotMatch" });
      await expect(wrong.listPartitions("pa", "nope")).rejects.toMatchObject({ status: 403 });
    } finally {
      fake.stop();
    }
  });

  it("fails on 404 InvalidAccessKeyId.NotFound; a 404 naming no code is NoSuchObject, as pyodps reads it", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${WRONG_KEY.code}</Code><Message>${WRONG_KEY.message}</Message><RequestId>r1</RequestId></Error>`;
    const s = await stub(404, "application/xml", xml);
    const bare = await stub(404, "text/plain", "");
    try {
      await expect(new MaxComputeClient({ endpoint: s.url, credentials: creds("a", "b") }).getTable("pa", "t")).rejects.toMatchObject({ code: WRONG_KEY.code });
      expect(await new MaxComputeClient({ endpoint: bare.url, credentials: creds("a", "b") }).getTable("pa", "t")).toBeUndefined();
    } finally {
      await s.close();
      await bare.close();
    }
  });
});

describe("DataHub client (REST)", () => {
  const client = (endpoint: string, accessKeySecret: string) =>
    new DatahubClient({ endpoint, credentials: async () => ({ accessKeyId: "AKID", accessKeySecret }) });

  it("fails when the key is wrong (the fake's 403 Unauthorized); a missing connector (NoSuchConnector) reads as gone", async () => {
    const fake = new FakeDatahub("AKID", "s3cret");
    const endpoint = await fake.start();
    try {
      expect(await client(endpoint, "s3cret").getConnector("p", "t", "c1")).toBeUndefined();
      await expect(client(endpoint, "wrong").getConnector("p", "t", "c1")).rejects.toMatchObject({ code: "Unauthorized", statusCode: 403 });
      await expect(client(endpoint, "wrong").deleteConnector("p", "t", "c1")).rejects.toMatchObject({ code: "Unauthorized" });
    } finally {
      await fake.stop();
    }
  });

  it("fails on 404 InvalidAccessKeyId.NotFound (a 404 is not gone without NoSuch*)", async () => {
    const s = await stub(404, "application/json", JSON.stringify({ ErrorCode: WRONG_KEY.code, ErrorMessage: WRONG_KEY.message }));
    try {
      await expect(client(s.url, "s3cret").getConnector("p", "t", "c1")).rejects.toMatchObject({ code: WRONG_KEY.code, statusCode: 404 });
    } finally {
      await s.close();
    }
  });
});

describe("DTS client (OpenAPI 2020-01-01)", () => {
  it("fails on 404 InvalidAccessKeyId.NotFound: DescribeDtsJobs rejects, never an empty list", async () => {
    const s = await stub(404, "application/json", JSON.stringify({ RequestId: "r1", Code: WRONG_KEY.code, Message: WRONG_KEY.message }));
    try {
      const dts = new DtsClient("cn-hangzhou", { accessKeyId: "LTAI-wrong", accessKeySecret: "x" }, { [DTS_ENDPOINT_ENV]: s.url });
      await expect(dts.describeSyncJobsByName("photo-analytics-prod-realtime")).rejects.toMatchObject({ code: WRONG_KEY.code, statusCode: 404 });
    } finally {
      await s.close();
    }
  });
});
