/**
 * The SLS client (Log Service API 2020-12-30 over the official SDK `@alicloud/sls20201230`, which
 * signs SLS's own way) for the MaxComputeExport provider and `npm run verify`: the shipping job's
 * Create/Get/Update/DeleteMaxComputeExport and GetHistograms, with typed answers. The one client
 * shape: every error is an {@link SlsApiError} (providers/common/errors.ts), throttling, 5xx and no
 * answer are retried by the one policy (providers/common/retry.ts; a create after an unknown
 * outcome first reads the job it may have made), the SDK's own retries are off.
 *
 * Endpoint: `<region>.log.aliyuncs.com` (the job's `endpoint` input when set), or
 * `PHOTO_ANALYTICS_SLS_ENDPOINT` (`http://host:port`, tests); the SDK addresses `<project>.<endpoint>`.
 * Without the Pulumi SDK, so that `verify` does not load it; the SLS SDK is loaded when a client is made.
 */
import type * as SlsSdk from "@alicloud/sls20201230";
import { Credentials, resolveCredentials } from "../common/credentials";
import { AlibabaApiError, isNotFound as isNotFoundError, mapOpenApiError } from "../common/errors";
import { CallRetry, readTimeoutFromEnv, realSleep, retryCall, retryPolicyFromEnv, RetryPolicy } from "../common/retry";

/** Points the client at another endpoint (tests): `http://host:port`. */
export const SLS_ENDPOINT_ENV = "PHOTO_ANALYTICS_SLS_ENDPOINT";

/** Where a project is: the SLS region, and the endpoint when not the region's public one. */
export interface SlsEndpoint {
  readonly region: string;
  readonly endpoint?: string;
}

/** `configuration.sink` of a MaxComputeExport (the MaxComputeExportConfigurationSink struct), as the stack sends and reads it. */
export interface MaxComputeExportSink {
  readonly odpsEndpoint?: string;
  readonly odpsTunnelEndpoint?: string;
  readonly odpsProject?: string;
  readonly odpsTable?: string;
  readonly odpsRolearn?: string;
  readonly fields?: readonly string[];
  readonly partitionColumn?: readonly string[];
  readonly partitionTimeFormat?: string;
  readonly timeFormatType?: string;
  readonly timeZone?: string;
  /** Seconds, as a string in the API. */
  readonly bufferInterval?: string;
  readonly filterInvalid?: boolean;
  readonly odpsAccessKeyId?: string;
  readonly odpsAccessSecret?: string;
}

/** `configuration` of a MaxComputeExport. */
export interface MaxComputeExportConfiguration {
  readonly logstore?: string;
  readonly roleArn?: string;
  readonly fromTime?: number;
  readonly toTime?: number;
  readonly sink?: MaxComputeExportSink;
}

/** `GetMaxComputeExport`'s body (the MaxComputeExport struct). */
export interface MaxComputeExportBody {
  readonly name?: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly status?: string;
  readonly createTime?: number;
  readonly lastModifiedTime?: number;
  readonly scheduleId?: string;
  readonly configuration?: MaxComputeExportConfiguration;
}

/** What Create/UpdateMaxComputeExport send. */
export interface MaxComputeExportRequest {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly configuration: MaxComputeExportConfiguration;
}

/** One bucket of GetHistograms. */
export interface HistogramBucket {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  /** `Complete` or `Incomplete`. */
  readonly progress: string;
}

/** An error answered by the SLS API (or raised before reaching it). */
export class SlsApiError extends AlibabaApiError {
  constructor(e: { action: string; code: string; message: string; requestId?: string; statusCode?: number }) {
    super({ service: "SLS", ...e });
    this.name = "SlsApiError";
  }
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

/** Options of an {@link SlsClient}. */
export interface SlsClientOptions extends SlsEndpoint {
  readonly credentials: Credentials;
  /** @default process.env (the endpoint, retry and timeout overrides) */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly retry?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default 30000, or PHOTO_ANALYTICS_API_READ_TIMEOUT_MS */
  readonly readTimeoutMs?: number;
}

const sdk = () => require("@alicloud/sls20201230") as typeof SlsSdk;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : v === undefined || v === null ? undefined : String(v));
const num = (v: unknown): number | undefined => (v === undefined || v === null || v === "" ? undefined : Number(v));

/** The plain JSON of an SDK model (`toMap()`), or the value itself. */
function plain(v: unknown): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  const m = v as { toMap?: () => Record<string, unknown> };
  return typeof m.toMap === "function" ? m.toMap() : (v as Record<string, unknown>);
}

/** A MaxComputeExport body read into its typed form (the fields the stack knows, as the API spells them). */
export function exportBody(v: unknown): MaxComputeExportBody {
  const b = plain(v) ?? {};
  const c = (b.configuration ?? {}) as Record<string, unknown>;
  const s = (c.sink ?? {}) as Record<string, unknown>;
  const list = (x: unknown): string[] | undefined => (Array.isArray(x) ? x.map((y) => String(y)) : undefined);
  const sink: MaxComputeExportSink = {
    odpsEndpoint: str(s.odpsEndpoint),
    odpsTunnelEndpoint: str(s.odpsTunnelEndpoint),
    odpsProject: str(s.odpsProject),
    odpsTable: str(s.odpsTable),
    odpsRolearn: str(s.odpsRolearn),
    fields: list(s.fields),
    partitionColumn: list(s.partitionColumn),
    partitionTimeFormat: str(s.partitionTimeFormat),
    timeFormatType: str(s.timeFormatType),
    timeZone: str(s.timeZone),
    bufferInterval: str(s.bufferInterval),
    filterInvalid: typeof s.filterInvalid === "boolean" ? s.filterInvalid : undefined,
  };
  return {
    name: str(b.name),
    displayName: str(b.displayName),
    description: str(b.description),
    status: str(b.status),
    createTime: num(b.createTime),
    lastModifiedTime: num(b.lastModifiedTime),
    scheduleId: str(b.scheduleId),
    configuration: {
      logstore: str(c.logstore),
      roleArn: str(c.roleArn),
      fromTime: num(c.fromTime),
      toTime: num(c.toTime),
      sink: Object.fromEntries(Object.entries(sink).filter(([, x]) => x !== undefined)) as MaxComputeExportSink,
    },
  };
}

/** The SLS calls of the stack, one method per action. */
export class SlsClient {
  private readonly client: SlsSdk.default;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly readTimeout: number;
  /** `http(s)://<endpoint>` (the project is prepended per call). */
  readonly endpoint: string;
  /** The host a project's calls go to (for messages). */
  host(project: string): string {
    return `${project}.${this.endpoint.replace(/^https?:\/\//, "")}`;
  }

  constructor(o: SlsClientOptions) {
    const env = o.env ?? process.env;
    let endpoint = env[SLS_ENDPOINT_ENV] || o.endpoint || `${o.region}.log.aliyuncs.com`;
    let protocol = "https";
    const m = /^(https?):\/\/(.+?)\/?$/.exec(endpoint);
    if (m) {
      protocol = m[1];
      endpoint = m[2];
    } else if (env[SLS_ENDPOINT_ENV]) {
      throw new Error(`${SLS_ENDPOINT_ENV}="${env[SLS_ENDPOINT_ENV]}" must look like http://host:port or https://host`);
    }
    this.endpoint = `${protocol}://${endpoint}`;
    this.retry = o.retry ?? retryPolicyFromEnv(env);
    this.sleep = o.sleep ?? realSleep;
    this.readTimeout = o.readTimeoutMs ?? readTimeoutFromEnv(env, 30_000);
    const { $OpenApiUtil } = require("@alicloud/openapi-core") as typeof import("@alicloud/openapi-core");
    this.client = new (sdk().default)(
      new $OpenApiUtil.Config({
        accessKeyId: o.credentials.accessKeyId,
        accessKeySecret: o.credentials.accessKeySecret,
        securityToken: o.credentials.securityToken,
        regionId: o.region,
        endpoint,
        protocol,
      }),
    );
  }

  /**
   * A client with credentials from the one chain (`explicit` first: the stack's alicloud config).
   * Rejects with the chain's message when no source answers.
   */
  static async connect(
    at: SlsEndpoint,
    explicit?: Partial<Credentials>,
    o: Omit<SlsClientOptions, "region" | "endpoint" | "credentials"> = {},
  ): Promise<SlsClient> {
    let credentials: Credentials;
    try {
      credentials = await resolveCredentials(explicit, o.env ?? process.env);
    } catch (e) {
      throw new Error(`SLS MaxCompute export: ${(e as Error).message}`);
    }
    return new SlsClient({ ...o, ...at, credentials });
  }

  /**
   * Creates the shipping job. After an unknown outcome (5xx, no answer) the job of that name, if
   * SLS has it now, is the one this call made: `adopted` says so (the caller then updates it to
   * what it wants), and no second create is sent. A job there before the call is
   * `JobAlreadyExist`, an error: the stack does not take over a job it did not make.
   */
  async createMaxComputeExport(project: string, req: MaxComputeExportRequest): Promise<{ adopted: boolean }> {
    const S = sdk();
    const request = new S.CreateMaxComputeExportRequest({
      name: req.name,
      displayName: req.displayName,
      description: req.description,
      configuration: this.configuration(req.configuration),
    });
    return this.call<{ adopted: boolean }>(
      "CreateMaxComputeExport",
      project,
      async (runtime) => {
        await this.client.createMaxComputeExportWithOptions(project, request, {}, runtime);
        return { adopted: false };
      },
      { idempotent: false, recover: async () => ((await this.getMaxComputeExport(project, req.name)) ? { adopted: true } : undefined) },
    );
  }

  /** The job; undefined when it (or its project) does not exist. */
  async getMaxComputeExport(project: string, name: string): Promise<MaxComputeExportBody | undefined> {
    try {
      return await this.call(
        "GetMaxComputeExport",
        project,
        async (runtime) => exportBody((await this.client.getMaxComputeExportWithOptions(project, name, {}, runtime)).body),
        { idempotent: true },
      );
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Replaces the job's display name, description and configuration. */
  async updateMaxComputeExport(project: string, name: string, req: Omit<MaxComputeExportRequest, "name">): Promise<void> {
    const S = sdk();
    const request = new S.UpdateMaxComputeExportRequest({
      displayName: req.displayName,
      description: req.description,
      configuration: this.configuration(req.configuration),
    });
    await this.call(
      "UpdateMaxComputeExport",
      project,
      async (runtime) => {
        await this.client.updateMaxComputeExportWithOptions(project, name, request, {}, runtime);
      },
      { idempotent: true },
    );
  }

  /** Deletes the job; a job (or project) already gone counts as deleted. */
  async deleteMaxComputeExport(project: string, name: string): Promise<void> {
    try {
      await this.call(
        "DeleteMaxComputeExport",
        project,
        async (runtime) => {
          await this.client.deleteMaxComputeExportWithOptions(project, name, {}, runtime);
        },
        { idempotent: true },
      );
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Log counts of a logstore between two epoch seconds, per bucket (GetHistograms). */
  async getHistograms(project: string, logstore: string, q: { from: number; to: number; query: string }): Promise<HistogramBucket[]> {
    const S = sdk();
    return this.call(
      "GetHistograms",
      project,
      async (runtime) => {
        const res = await this.client.getHistogramsWithOptions(project, logstore, new S.GetHistogramsRequest(q), {}, runtime);
        return (Array.isArray(res.body) ? res.body : []).map((b) => {
          const x = plain(b) ?? {};
          return { from: Number(x.from ?? 0), to: Number(x.to ?? 0), count: Number(x.count ?? 0), progress: str(x.progress) ?? "" };
        });
      },
      { idempotent: true },
    );
  }

  private configuration(c: MaxComputeExportConfiguration): SlsSdk.MaxComputeExportConfiguration {
    const S = sdk();
    return new S.MaxComputeExportConfiguration({ ...c, sink: new S.MaxComputeExportConfigurationSink({ ...c.sink }) });
  }

  /** One SDK call with the SDK's retries off, its errors mapped, through the one retry policy. */
  private call<T>(action: string, project: string, run: (runtime: RuntimeLike) => Promise<T>, retry: Omit<CallRetry<T>, "policy" | "sleep">): Promise<T> {
    const { RuntimeOptions } = require("@darabonba/typescript") as { RuntimeOptions: new (m: Record<string, unknown>) => RuntimeLike };
    // httpx times a reused (keep-alive) socket with the connect timeout: never longer than the read timeout.
    const runtime = new RuntimeOptions({ autoretry: false, maxAttempts: 1, readTimeout: this.readTimeout, connectTimeout: Math.min(10_000, this.readTimeout) });
    return retryCall(
      async () => {
        try {
          return await run(runtime);
        } catch (e) {
          throw mapOpenApiError(e, { action, endpoint: `${this.endpoint.replace(/\/\/.*/, "//")}${this.host(project)}` }, (x) => new SlsApiError(x));
        }
      },
      { ...retry, policy: this.retry, sleep: this.sleep },
    );
  }
}

/** The SDK's RuntimeOptions, as passed through. */
type RuntimeLike = Parameters<SlsSdk.default["getMaxComputeExportWithOptions"]>[3];

/** Reads the job; undefined when it does not exist (the verify and provider read path). */
export async function getExport(
  i: SlsEndpoint & { readonly project: string; readonly exportName: string },
  explicit?: Partial<Credentials>,
  o: Omit<SlsClientOptions, "region" | "endpoint" | "credentials"> = {},
): Promise<MaxComputeExportBody | undefined> {
  return (await SlsClient.connect(i, explicit, o)).getMaxComputeExport(i.project, i.exportName);
}
