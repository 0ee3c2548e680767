/**
 * The one credentials chain of every dynamic provider and API client (DataWorks, SLS,
 * MaxCompute, DTS): the same sources, in the same order, as the alicloud provider and the
 * Alibaba Cloud SDKs, through Alibaba's own `@alicloud/credentials`:
 *
 * 1. explicit values: the stack's `alicloud:accessKey` / `alicloud:secretKey`
 *    (`alicloud:securityToken`), handed to a resource as secret inputs;
 * 2. `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET` (`ALIBABA_CLOUD_SECURITY_TOKEN`);
 * 3. the alicloud provider's `ALICLOUD_ACCESS_KEY` / `ALICLOUD_SECRET_KEY` (`ALICLOUD_SECURITY_TOKEN`);
 * 4. `@alicloud/credentials`' default chain after its environment step: OIDC
 *    (`ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE`:
 *    GitHub Actions without stored keys), the `aliyun` CLI profile (`~/.aliyun/config.json`),
 *    the credentials file (`~/.alibabacloud/credentials`), the ECS RAM role (instance metadata;
 *    off when `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`), a credentials URI.
 *
 * Values are never logged and never stored in state. Dynamic providers `require` this
 * module inside their methods (closure serialization), so it imports nothing at load time
 * but the SDK.
 */

/** An AccessKey pair, with an STS token when temporary. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

/** No source in the chain gave credentials: the message names every variable and file that was tried. */
export class MissingCredentialsError extends Error {
  /** The message without the SDK's detail: what a command prints. */
  readonly summary: string;
  constructor(detail?: string) {
    const summary =
      "no Alibaba Cloud credentials: set the stack's alicloud:accessKey and alicloud:secretKey (pulumi config set --secret), " +
      "or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY, " +
      "or ALIBABA_CLOUD_ROLE_ARN + ALIBABA_CLOUD_OIDC_PROVIDER_ARN + ALIBABA_CLOUD_OIDC_TOKEN_FILE (OIDC), " +
      "or a profile in ~/.aliyun/config.json or ~/.alibabacloud/credentials, or run on ECS with a RAM role";
    super(summary + (detail ? ` (${detail})` : ""));
    this.summary = summary;
    this.name = "MissingCredentialsError";
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Steps 1-3 of the chain: explicit values, then the two sets of environment variables. Pure. */
export function staticCredentials(env: Env, explicit?: Partial<Credentials>): Credentials | undefined {
  const sources: [string | undefined, string | undefined, string | undefined][] = [
    [explicit?.accessKeyId, explicit?.accessKeySecret, explicit?.securityToken],
    [env.ALIBABA_CLOUD_ACCESS_KEY_ID, env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, env.ALIBABA_CLOUD_SECURITY_TOKEN],
    [env.ALICLOUD_ACCESS_KEY, env.ALICLOUD_SECRET_KEY, env.ALICLOUD_SECURITY_TOKEN],
  ];
  for (const [id, secret, token] of sources) {
    if (id && secret) return { accessKeyId: id, accessKeySecret: secret, ...(token ? { securityToken: token } : {}) };
  }
  return undefined;
}

/**
 * Resolves credentials through the whole chain. Rejects with `MissingCredentialsError` when
 * no source answers. `env` is read for steps 2-3; step 4 reads `process.env` (the SDK's).
 */
export async function resolveCredentials(explicit?: Partial<Credentials>, env: Env = process.env): Promise<Credentials> {
  const found = staticCredentials(env, explicit);
  if (found) return found;
  const sdk = require("@alicloud/credentials");
  const Credential = sdk.default ?? sdk;
  let model: { accessKeyId?: string; accessKeySecret?: string; securityToken?: string };
  try {
    model = await new Credential().getCredential();
  } catch (e) {
    throw new MissingCredentialsError((e as Error).message.split("\n")[0]);
  }
  if (!model.accessKeyId || !model.accessKeySecret) throw new MissingCredentialsError();
  return { accessKeyId: model.accessKeyId, accessKeySecret: model.accessKeySecret, ...(model.securityToken ? { securityToken: model.securityToken } : {}) };
}
