/**
 * lib/dataworks/openapi.ts against the local fake DataWorks endpoint: what the
 * official client sends, how answers and errors come back.
 */
import {
  backoffMs,
  DataWorksApiError,
  DataWorksClient,
  DEFAULT_RETRY,
  resolveCredentials,
  resolveEndpoint,
} from "../lib/dataworks/openapi";
import { FakeDataWorks } from "./support/fake-dataworks";

const AK = { accessKeyId: "LTAI-test-id", accessKeySecret: "test-secret-value" };
const SPEC = JSON.stringify({
  version: "1.1.0",
  kind: "Node",
  spec: {
    nodes: [
      {
        name: "ads_dau_d",
        script: { runtime: { command: "ODPS_SQL" }, content: "SELECT '${bizdate}' AS ds, COUNT(*) FROM t WHERE a <> 'x&y=z' /* ! * ( ) */;" },
        trigger: { type: "Scheduler", cron: "00 30 01 * * ?" },
      },
    ],
  },
});

let fake: FakeDataWorks;
let sleeps: number[];
let client: DataWorksClient;

beforeEach(async () => {
  fake = new FakeDataWorks(AK.accessKeyId, AK.accessKeySecret);
  const url = await fake.start();
  sleeps = [];
  client = new DataWorksClient({
    region: "cn-hangzhou",
    credentials: AK,
    env: { PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: url },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
});

afterEach(async () => {
  await fake.stop();
});

describe("requests sent by the official client", () => {
  it("CreateNode: POST / with action, version 2024-05-18, a valid ACS3 signature and the form body", async () => {
    const id = await client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" });
    expect(id).toMatch(/^\d+$/);
    expect(fake.requests).toHaveLength(1);
    const r = fake.requests[0];
    expect(r).toMatchObject({ method: "POST", path: "/", action: "CreateNode", version: "2024-05-18", signatureValid: true });
    expect(r.auth).toMatchObject({ algorithm: "ACS3-HMAC-SHA256", accessKeyId: AK.accessKeyId });
    expect(r.headers.authorization).not.toContain(AK.accessKeySecret);
    expect(r.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(r.form).toEqual({ ProjectId: "123456", Scene: "DATAWORKS_PROJECT", Spec: SPEC });
    expect(JSON.parse(r.form.Spec)).toEqual(JSON.parse(SPEC));
  });

  it("GetNode: GET with Id and ProjectId as query parameters, answered with the stored Spec", async () => {
    const id = await client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" });
    const node = await client.getNode({ projectId: "123456", id });
    const r = fake.requests[1];
    expect(r).toMatchObject({ method: "GET", action: "GetNode", version: "2024-05-18", signatureValid: true, query: { Id: id, ProjectId: "123456" } });
    expect(node).toMatchObject({ id, name: "ads_dau_d", projectId: "123456" });
    expect(JSON.parse(node!.spec).spec.nodes[0].script.content).toBe(JSON.parse(SPEC).spec.nodes[0].script.content);
  });

  it("UpdateNode and DeleteNode: POST with Id, ProjectId (and Spec)", async () => {
    const id = await client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" });
    await client.updateNode({ projectId: "123456", id, spec: SPEC });
    await client.deleteNode({ projectId: "123456", id });
    expect(fake.actions).toEqual(["CreateNode", "UpdateNode", "DeleteNode"]);
    expect(fake.requests[1].form).toEqual({ Id: id, ProjectId: "123456", Spec: SPEC });
    expect(fake.requests[2].form).toEqual({ Id: id, ProjectId: "123456" });
    expect(fake.requests.every((r) => r.signatureValid)).toBe(true);
    expect(fake.nodes.size).toBe(0);
  });
});

describe("answers", () => {
  it("GetNode of a node that is gone is undefined, not an error", async () => {
    await expect(client.getNode({ projectId: "123456", id: "42" })).resolves.toBeUndefined();
  });

  it("DeleteNode of a node that is gone succeeds", async () => {
    await expect(client.deleteNode({ projectId: "123456", id: "42" })).resolves.toBeUndefined();
  });

  it("fails with the API's error code, HTTP status, message and request id", async () => {
    await client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" });
    const err = await client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" }).catch((e) => e);
    expect(err).toBeInstanceOf(DataWorksApiError);
    expect(err).toMatchObject({ action: "CreateNode", code: "Invalid.Node.NameDuplicate", statusCode: 400, requestId: "FAKE-REQ-0002" });
    expect(err.message).toBe(
      "DataWorks CreateNode failed: Invalid.Node.NameDuplicate (HTTP 400): a node named ads_dau_d already exists in project 123456 [request id FAKE-REQ-0002]",
    );
  });

  it("fails with SignatureDoesNotMatch when signed with the wrong secret", async () => {
    const bad = new DataWorksClient({
      region: "cn-hangzhou",
      credentials: { ...AK, accessKeySecret: "wrong" },
      env: { PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: fake.url },
    });
    await expect(bad.createNode({ projectId: "1", spec: SPEC, scene: "DATAWORKS_PROJECT" })).rejects.toThrow(
      /^DataWorks CreateNode failed: SignatureDoesNotMatch \(HTTP 400\): .* \[request id FAKE-REQ-0001\]$/,
    );
    expect(fake.nodes.size).toBe(0);
  });

  it("retries throttling with growing, bounded backoff, then succeeds", async () => {
    fake.failNext("CreateNode", { status: 400, code: "Throttling.User", message: "Request was denied due to user flow control." }, 3);
    const id = await client.createNode({ projectId: "123456", spec: SPEC, scene: "DATAWORKS_PROJECT" });
    expect(id).toMatch(/^\d+$/);
    expect(fake.actions).toEqual(["CreateNode", "CreateNode", "CreateNode", "CreateNode"]);
    expect(sleeps).toHaveLength(3);
    expect(sleeps[0]).toBeGreaterThanOrEqual(400);
    expect(sleeps[0]).toBeLessThanOrEqual(500);
    expect(sleeps[1]).toBeGreaterThanOrEqual(800);
    expect(sleeps[2]).toBeGreaterThanOrEqual(1600);
    expect(fake.nodes.size).toBe(1);
  });

  it("gives up after maxAttempts throttled answers, naming the code, attempts and last request id", async () => {
    fake.failNext("UpdateNode", { status: 503, code: "ServiceUnavailable", message: "The request has failed due to a temporary failure of the server." }, 10);
    const err = await client.updateNode({ projectId: "1", id: "2", spec: SPEC }).catch((e) => e);
    expect(fake.actions).toEqual(Array(DEFAULT_RETRY.maxAttempts).fill("UpdateNode"));
    expect(err.message).toBe(
      "DataWorks UpdateNode failed: ServiceUnavailable (HTTP 503): The request has failed due to a temporary failure of the server. " +
        "(still throttled after 5 attempts) [request id FAKE-REQ-0005]",
    );
  });

  it("does not retry other errors", async () => {
    fake.failNext("CreateNode", { status: 400, code: "InvalidParameter.Spec", message: "bad spec" });
    await expect(client.createNode({ projectId: "1", spec: SPEC, scene: "DATAWORKS_PROJECT" })).rejects.toThrow(
      "DataWorks CreateNode failed: InvalidParameter.Spec (HTTP 400): bad spec [request id FAKE-REQ-0001]",
    );
    expect(fake.actions).toEqual(["CreateNode"]);
    expect(sleeps).toEqual([]);
  });

  it("fails naming the endpoint when nothing answers", async () => {
    const url = fake.url;
    await fake.stop();
    const err = await client.getNode({ projectId: "1", id: "2" }).catch((e) => e);
    expect(err).toBeInstanceOf(DataWorksApiError);
    expect(err.message).toContain(`DataWorks GetNode failed:`);
    expect(err.message).toContain(`could not reach ${url}`);
  });
});

describe("backoffMs", () => {
  it("doubles from the base and stops at the cap", () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, DEFAULT_RETRY, none))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(backoffMs(1, DEFAULT_RETRY, () => 1)).toBe(400);
  });
});

describe("resolveCredentials", () => {
  it("prefers ALIBABA_CLOUD_* over ALICLOUD_* over config", () => {
    expect(
      resolveCredentials(
        { ALIBABA_CLOUD_ACCESS_KEY_ID: "a", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "b", ALICLOUD_ACCESS_KEY: "c", ALICLOUD_SECRET_KEY: "d" },
        { accessKeyId: "e", accessKeySecret: "f" },
      ),
    ).toEqual({ accessKeyId: "a", accessKeySecret: "b" });
    expect(resolveCredentials({ ALICLOUD_ACCESS_KEY: "c", ALICLOUD_SECRET_KEY: "d", ALICLOUD_SECURITY_TOKEN: "t" })).toEqual({
      accessKeyId: "c",
      accessKeySecret: "d",
      securityToken: "t",
    });
    expect(resolveCredentials({}, { accessKeyId: "e", accessKeySecret: "f" })).toEqual({ accessKeyId: "e", accessKeySecret: "f" });
  });

  it("fails naming the variables to set when there are none", () => {
    expect(() => resolveCredentials({ ALIBABA_CLOUD_ACCESS_KEY_ID: "only-id" })).toThrow(
      /MissingCredentials: no Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/,
    );
  });
});

describe("resolveEndpoint", () => {
  it("uses dataworks.<region>.aliyuncs.com over HTTPS", () => {
    expect(resolveEndpoint("cn-shanghai", {})).toEqual({ protocol: "HTTPS", endpoint: "dataworks.cn-shanghai.aliyuncs.com" });
  });
  it("takes the override from PHOTO_ANALYTICS_DATAWORKS_ENDPOINT", () => {
    expect(resolveEndpoint("cn-shanghai", { PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: "http://127.0.0.1:8123" })).toEqual({
      protocol: "HTTP",
      endpoint: "127.0.0.1:8123",
    });
  });
  it("fails on a malformed override or region", () => {
    expect(() => resolveEndpoint("cn-shanghai", { PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: "127.0.0.1:8123" })).toThrow(/must look like http:\/\/host:port/);
    expect(() => resolveEndpoint("Hangzhou", {})).toThrow(/region "Hangzhou" is not an Alibaba Cloud region id/);
  });
});
