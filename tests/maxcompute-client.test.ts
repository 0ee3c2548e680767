/**
 * The MaxCompute REST client (providers/maxcompute/client.ts) against fixed signature vectors
 * and the local fake (tests/support/fake-maxcompute.ts).
 *
 * Signature: aliyun/aliyun-odps-python-sdk odps/accounts.py `_build_canonical_str` /
 * `AliyunAccount.sign_request` (commit 15ec52961701720bd8d38ac425d5d6c4a51f2c9d); STS header:
 * `StsAccount.sign_request` (`authorization-sts-token`). SQL instances: odps/models/instance.py.
 * The vectors below were computed with Python's hmac/hashlib/base64, not with the client.
 */
import {
  authorizationHeader,
  canonicalString,
  MaxComputeApiError,
  MaxComputeClient,
  MaxComputeSqlError,
  sqlJobXml,
  xmlElements,
} from "../providers/maxcompute/client";
import { FakeMaxCompute } from "./support/fake-maxcompute";

const DATE = "Mon, 30 Nov 2026 10:00:00 GMT";
const POLL = { intervalMs: 2, factor: 2, maxIntervalMs: 8, timeoutMs: 5_000 };

describe("ODPS signature", () => {
  it("signs a GET with an empty-valued query parameter (`?taskstatus`)", () => {
    const c = canonicalString("GET", "/projects/p/instances/ID", { taskstatus: "" }, { Date: DATE });
    expect(c).toBe(`GET\n\n\n${DATE}\n/projects/p/instances/ID?taskstatus`);
    expect(authorizationHeader("id", "secret", c)).toBe("ODPS id:j4Rd5HGlDiMAqyaXKXC2v1zgLpc=");
  });

  it("signs content-type and x-odps-* headers and query parameters, sorted by name", () => {
    const c = canonicalString(
      "POST",
      "/projects/p/instances",
      { "x-odps-a": "1", curr_project: "p" },
      { Date: DATE, "Content-Type": "application/xml", "x-odps-user-agent": "pa", Accept: "*/*" },
    );
    expect(c).toBe(`POST\n\napplication/xml\n${DATE}\nx-odps-a:1\nx-odps-user-agent:pa\n/projects/p/instances?curr_project=p&x-odps-a=1`);
    expect(authorizationHeader("id", "secret", c)).toBe("ODPS id:uz2Tx+yHxScNLx3cOtfwa8f6Z1E=");
  });

  it("builds the SQL job body pyodps sends (priority 9, one SQL task, type system 2, CDATA query)", () => {
    const xml = sqlJobXml("ALTER TABLE `t` ADD COLUMNS (`c` BIGINT COMMENT 'a ]]> b');");
    expect(xml).toContain("<Instance><Job><Priority>9</Priority><Tasks><SQL><Name>AnonymousSQLTask</Name>");
    expect(xml).toContain('{"odps.sql.type.system.odps2":"true"}');
    expect(xml).toContain("<DAG><RunMode>Sequence</RunMode></DAG></Job></Instance>");
    expect(xmlElements(xml, "Query")[0].text).toBe("ALTER TABLE `t` ADD COLUMNS (`c` BIGINT COMMENT 'a ]]> b');");
  });
});

describe("client against the fake MaxCompute", () => {
  let fake: FakeMaxCompute;
  let endpoint: string;
  const client = (creds = { accessKeyId: "AKID", accessKeySecret: "s3cret" }) =>
    new MaxComputeClient({ endpoint, credentials: async () => creds, polling: POLL });

  beforeEach(async () => {
    fake = new FakeMaxCompute("AKID", "s3cret");
    endpoint = await fake.start();
    fake.createTable("pa", "ods_users_d", [
      ["id", "bigint"],
      ["score", "decimal(5,2)"],
    ]);
  });
  afterEach(async () => {
    await fake.stop();
    expect(fake.modelViolations).toEqual([]); // held to the MaxCompute models (pyodps)
  });

  it("reads a table's schema (types upper-cased), and undefined for a missing table", async () => {
    expect(await client().getTable("pa", "ods_users_d")).toEqual({
      name: "ods_users_d",
      columns: [
        { name: "id", type: "BIGINT", comment: "" },
        { name: "score", type: "DECIMAL(5,2)", comment: "" },
      ],
      partitions: [{ name: "ds", type: "STRING", comment: "" }],
      lifecycleDays: 30,
    });
    expect(await client().getTable("pa", "nope")).toBeUndefined();
    expect(fake.requests.every((r) => r.signatureValid)).toBe(true);
  });

  it("reads the lifecycle from the Schema JSON's `lifecycle` (pyodps TableSchema.lifecycle); -1 is none", async () => {
    // pyodps odps/models/table.py @00d6b57: lifecycle = JSONNodeField('lifecycle', parse_callback=int).
    // A table without one reports -1 (daidong123654/aliyun-odps-php-sdk TableService.php getTable doc comment @e3e955f).
    fake.createTable("pa", "forever", [["id", "bigint"]], [], -1);
    expect((await client().getTable("pa", "forever"))?.lifecycleDays).toBeUndefined();
    fake.createTable("pa", "yearly", [["id", "bigint"]], [], 365);
    expect((await client().getTable("pa", "yearly"))?.lifecycleDays).toBe(365);
  });

  it("runs SQL: submits the job, polls until Terminated, checks the task succeeded", async () => {
    const r = await client().runSql("pa", "ALTER TABLE `ods_users_d` ADD COLUMNS (`phone` STRING COMMENT 'mobile');");
    expect(r.instanceId).toMatch(/fake$/);
    expect(fake.tables.get("pa.ods_users_d")!.columns.map((c) => c.name)).toEqual(["id", "score", "phone"]);
    expect(fake.requests.map((q) => `${q.method} ${q.resource.replace(r.instanceId, "ID")}`)).toEqual([
      "POST /projects/pa/instances",
      "GET /projects/pa/instances/ID",
      "GET /projects/pa/instances/ID",
      "GET /projects/pa/instances/ID",
      "GET /projects/pa/instances/ID?taskstatus",
      "GET /projects/pa/instances/ID?result",
    ]);
  });

  it("fails with the instance id and MaxCompute's error text when the task fails", async () => {
    await client().runSql("pa", "ALTER TABLE `ods_users_d` ADD COLUMNS (`phone` STRING);");
    const e = await client()
      .runSql("pa", "ALTER TABLE `ods_users_d` ADD COLUMNS (`phone` STRING);")
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MaxComputeSqlError);
    expect((e as MaxComputeSqlError).instanceId).toMatch(/fake$/);
    expect((e as Error).message).toContain("AnonymousSQLTask FAILED: ODPS-0130071:[1,1] Semantic analysis exception - column phone already exists");
  });

  it("gives up after the timeout, naming the instance that may still run", async () => {
    fake.runningPolls = 1_000_000;
    const c = new MaxComputeClient({
      endpoint,
      credentials: async () => ({ accessKeyId: "AKID", accessKeySecret: "s3cret" }),
      polling: { ...POLL, timeoutMs: 30 },
    });
    await expect(c.runSql("pa", "ALTER TABLE `ods_users_d` ADD COLUMNS (`x` INT);")).rejects.toThrow(
      /MaxCompute instance \d+fake is still Running after 30 ms/,
    );
  });

  it("surfaces API errors with code, message and request id (a wrong secret)", async () => {
    const e = await client({ accessKeyId: "AKID", accessKeySecret: "wrong" })
      .getTable("pa", "ods_users_d")
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MaxComputeApiError);
    expect((e as MaxComputeApiError).status).toBe(403);
    expect((e as Error).message).toMatch(/^MaxCompute GetTable failed: SignatureNotMatch \(HTTP 403\): The request signature .* \[request id req-err-\d+\]$/);
  });

  it("sends the STS token in authorization-sts-token, outside the signature", async () => {
    await fake.stop();
    fake = new FakeMaxCompute("STS.ID", "sts-secret", "the-token");
    endpoint = await fake.start();
    fake.createTable("pa", "t", [["id", "bigint"]]);
    await expect(client({ accessKeyId: "STS.ID", accessKeySecret: "sts-secret" }).getTable("pa", "t")).rejects.toThrow(/SignatureNotMatch/);
    const withToken = client({ accessKeyId: "STS.ID", accessKeySecret: "sts-secret", securityToken: "the-token" } as never);
    expect((await withToken.getTable("pa", "t"))?.columns).toEqual([{ name: "id", type: "BIGINT", comment: "" }]);
    expect(fake.requests.at(-1)).toMatchObject({ signatureValid: true, stsToken: "the-token" });
  });
});
