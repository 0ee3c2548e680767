/**
 * The SLS MaxCompute export provider finds its credentials through the project's one chain
 * (providers/common/credentials.ts), from every source, and signs with what it found: the
 * fake SLS recomputes the signature with the test secret, so a request it accepts proves
 * the key pair reached the SDK.
 *
 * Sources: the stack's `alicloud:accessKey`/`alicloud:secretKey`, handed to the dynamic
 * provider's `configure` by the engine (pulumi/pulumi#17673, #17697); `ALIBABA_CLOUD_*`;
 * `ALICLOUD_*` (the alicloud provider's names); the credentials file
 * `~/.alibabacloud/credentials` and the `aliyun` CLI's `~/.aliyun/config.json`
 * (@alicloud/credentials 2.4 default chain, dist/src/providers/profile.js, cli_profile.js).
 */
import * as fs from "fs";
import * as path from "path";
import { maxComputeExportProvider as provider, stackCredentials } from "../providers/sls/maxcompute-export";
import { exampleExportInputs, FakeSls, routeHostsToLocalhost, startFakeSls, TEST_ACCESS_KEY_ID, TEST_ACCESS_KEY_SECRET } from "./support/fake-sls";

let fake: FakeSls;
let undoDns: () => void;
let home: string;
const savedEnv = { ...process.env };
// The module object itself (an `import * as` namespace is read-only).
const os = require("os") as { tmpdir: () => string; homedir: () => string };
const realHomedir = os.homedir;

/** Every variable a chain step reads, so each test starts from no credentials at all. */
const CHAIN_VARIABLES = [
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "ALIBABA_CLOUD_SECURITY_TOKEN",
  "ALICLOUD_ACCESS_KEY",
  "ALICLOUD_SECRET_KEY",
  "ALICLOUD_SECURITY_TOKEN",
  "ALIBABA_CLOUD_ROLE_ARN",
  "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
  "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
  "ALIBABA_CLOUD_CREDENTIALS_FILE",
  "ALIBABA_CLOUD_PROFILE",
  "ALIBABA_CLOUD_CONFIG_FILE",
  "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
  "ALIBABA_CLOUD_ECS_METADATA",
  "ALIBABA_CLOUD_CREDENTIALS_URI",
];

/** A stack config as the engine hands it to `configure`. */
const stackConfig = (values: Record<string, string>) => ({ config: { get: (k: string) => values[k], require: (k: string) => values[k] } }) as never;

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
  for (const k of CHAIN_VARIABLES) delete process.env[k];
  // No instance metadata lookups from a test machine.
  process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
  home = fs.mkdtempSync(path.join(os.tmpdir(), "sls-home-"));
  process.env.HOME = home;
  // Jest's process.env is a copy that never reaches libuv, so os.homedir() would still
  // answer the real HOME: point it at the temp HOME too (the SDK calls it on every lookup).
  os.homedir = () => home;
  await provider.configure!(stackConfig({}));
});
afterEach(() => {
  os.homedir = realHomedir;
  process.env = { ...savedEnv };
  fs.rmSync(home, { recursive: true, force: true });
});

/** Creates the job and returns what the fake saw of the create request. */
async function createAndInspect() {
  await provider.create!(exampleExportInputs(fake.port));
  const create = fake.requests.find((r) => r.method === "POST")!;
  return { problems: create.problems, keyId: /^LOG ([^:]+):/.exec(String(create.headers.authorization))?.[1], token: create.headers["x-acs-security-token"] };
}

describe("MaxCompute export provider: credentials from each source of the chain", () => {
  it("uses ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET", async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = TEST_ACCESS_KEY_ID;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = TEST_ACCESS_KEY_SECRET;
    expect(await createAndInspect()).toMatchObject({ problems: [], keyId: TEST_ACCESS_KEY_ID });
  });

  it("uses ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY (the alicloud provider's names)", async () => {
    process.env.ALICLOUD_ACCESS_KEY = TEST_ACCESS_KEY_ID;
    process.env.ALICLOUD_SECRET_KEY = TEST_ACCESS_KEY_SECRET;
    expect(await createAndInspect()).toMatchObject({ problems: [], keyId: TEST_ACCESS_KEY_ID });
  });

  it("sends the STS token of the environment with the temporary key pair", async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = TEST_ACCESS_KEY_ID;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = TEST_ACCESS_KEY_SECRET;
    process.env.ALIBABA_CLOUD_SECURITY_TOKEN = "sts-token";
    expect(await createAndInspect()).toMatchObject({ problems: [], token: "sts-token" });
  });

  it("uses the stack's alicloud:accessKey / alicloud:secretKey from configure, before the environment", async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "LTAIenvironment00";
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "wrong-for-the-fake";
    await provider.configure!(stackConfig({ "alicloud:accessKey": TEST_ACCESS_KEY_ID, "alicloud:secretKey": TEST_ACCESS_KEY_SECRET }));
    expect(await createAndInspect()).toMatchObject({ problems: [], keyId: TEST_ACCESS_KEY_ID });
  });

  it("uses the stack's credentials for delete and read too (they are never in the state)", async () => {
    await provider.configure!(stackConfig({ "alicloud:accessKey": TEST_ACCESS_KEY_ID, "alicloud:secretKey": TEST_ACCESS_KEY_SECRET }));
    const created = await provider.create!(exampleExportInputs(fake.port));
    expect(JSON.stringify(created.outs)).not.toContain(TEST_ACCESS_KEY_SECRET);
    await expect(provider.read!(created.id, created.outs)).resolves.toMatchObject({ id: created.id });
    await provider.delete!(created.id, created.outs);
    expect(fake.exports.size).toBe(0);
    expect(fake.requests.map((r) => r.problems)).toEqual(fake.requests.map(() => []));
  });

  it("uses the default profile of ~/.alibabacloud/credentials under HOME", async () => {
    fs.mkdirSync(path.join(home, ".alibabacloud"));
    fs.writeFileSync(
      path.join(home, ".alibabacloud", "credentials"),
      `[default]\ntype = access_key\naccess_key_id = ${TEST_ACCESS_KEY_ID}\naccess_key_secret = ${TEST_ACCESS_KEY_SECRET}\n`,
    );
    expect(await createAndInspect()).toMatchObject({ problems: [], keyId: TEST_ACCESS_KEY_ID });
  });

  it("uses the aliyun CLI's current profile in ~/.aliyun/config.json under HOME", async () => {
    fs.mkdirSync(path.join(home, ".aliyun"));
    fs.writeFileSync(
      path.join(home, ".aliyun", "config.json"),
      JSON.stringify({
        current: "deploy",
        profiles: [{ name: "deploy", mode: "AK", access_key_id: TEST_ACCESS_KEY_ID, access_key_secret: TEST_ACCESS_KEY_SECRET, region_id: "cn-shanghai" }],
      }),
    );
    expect(await createAndInspect()).toMatchObject({ problems: [], keyId: TEST_ACCESS_KEY_ID });
  });

  it("fails without credentials, naming every source to set, before any request", async () => {
    await expect(provider.create!(exampleExportInputs(fake.port))).rejects.toThrow(
      /SLS MaxCompute export: no Alibaba Cloud credentials: set the stack's alicloud:accessKey and alicloud:secretKey.*ALIBABA_CLOUD_ACCESS_KEY_ID.*ALICLOUD_ACCESS_KEY.*OIDC.*~\/\.alibabacloud\/credentials/,
    );
    expect(fake.requests).toHaveLength(0);
  });
});

describe("stackCredentials (configure's first step)", () => {
  it.each([
    ["both keys", { "alicloud:accessKey": "id", "alicloud:secretKey": "s" }, { accessKeyId: "id", accessKeySecret: "s" }],
    [
      "with a token",
      { "alicloud:accessKey": "id", "alicloud:secretKey": "s", "alicloud:securityToken": "t" },
      { accessKeyId: "id", accessKeySecret: "s", securityToken: "t" },
    ],
    ["only the id (incomplete: the chain goes on)", { "alicloud:accessKey": "id" }, undefined],
    ["nothing", {}, undefined],
  ])("%s", (_label, values, expected) => {
    expect(stackCredentials({ get: (k: string) => (values as Record<string, string>)[k] })).toEqual(expected);
  });
});
