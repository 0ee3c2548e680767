/**
 * The SLS client (`@alicloud/sls20201230`, 2020-12-30) the MaxComputeExport provider and
 * `npm run verify` use: building it with the project's credentials chain, and reading a
 * shipping job. Without the Pulumi SDK, so that `verify` does not load it.
 */
import { Credentials, resolveCredentials } from "../common/credentials";
import { isNotFound as isNotFoundError } from "../common/errors";

/** Where a job is: the SLS region, and the endpoint when not the region's public one. */
interface SlsEndpoint {
  readonly region: string;
  readonly endpoint?: string;
}

/** `GetMaxComputeExport`'s body (the MaxComputeExport struct), as far as the provider reads it. */
export interface MaxComputeExportBody {
  readonly name?: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly status?: string;
  readonly configuration?: {
    readonly logstore?: string;
    readonly roleArn?: string;
    readonly fromTime?: number;
    readonly toTime?: number;
    readonly sink?: Record<string, unknown>;
  };
}

/**
 * Builds the SDK client for an endpoint, with credentials from the chain (`explicit` first:
 * the stack's alicloud config). Rejects with the chain's message when no source answers.
 */
export async function slsClient(inputs: SlsEndpoint, explicit?: Partial<Credentials>): Promise<any> {
  let credentials: Credentials;
  try {
    credentials = await resolveCredentials(explicit);
  } catch (e) {
    throw new Error(`SLS MaxCompute export: ${(e as Error).message}`);
  }
  // Required at run time, not import time, so the serialized provider loads them where it runs.
  const Sls = require("@alicloud/sls20201230");
  const { $OpenApiUtil } = require("@alicloud/openapi-core");
  let endpoint = inputs.endpoint || `${inputs.region}.log.aliyuncs.com`;
  let protocol = "https";
  const m = /^(https?):\/\/(.+?)\/?$/.exec(endpoint);
  if (m) {
    protocol = m[1];
    endpoint = m[2];
  }
  const config = new $OpenApiUtil.Config({
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    securityToken: credentials.securityToken,
    regionId: inputs.region,
    endpoint,
    protocol,
  });
  return new Sls.default(config);
}

/**
 * Whether the SLS API answered that the job (or its project) does not exist: `JobNotExist` or
 * `ProjectNotExist` (providers/common/errors.ts `NOT_FOUND_CODES.SLS`). A wrong AccessKey
 * (`InvalidAccessKeyId.NotFound`, `Unauthorized`, `SignatureNotMatch`), a bare 404 and no answer
 * at all (DNS `ENOTFOUND`) are errors: a refresh never drops a live export from state for them.
 */
export function isNotFound(e: unknown): boolean {
  return isNotFoundError(e, "SLS");
}

/** Reads the job; undefined when it does not exist. */
export async function getExport(
  i: SlsEndpoint & { readonly project: string; readonly exportName: string },
  explicit?: Partial<Credentials>,
): Promise<MaxComputeExportBody | undefined> {
  try {
    const res = await (await slsClient(i, explicit)).getMaxComputeExport(i.project, i.exportName);
    // The SDK's model keeps the API's field names; toMap() gives the plain JSON body.
    const body = res.body;
    return (typeof body?.toMap === "function" ? body.toMap() : body) ?? {};
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
