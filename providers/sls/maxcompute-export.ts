/**
 * `pulumi-nodejs:dynamic/sls:MaxComputeExport`: an SLS -> MaxCompute shipping job
 * (SLS API `CreateMaxComputeExport`, 2020-12-30), which has no Terraform or
 * Pulumi resource. A Pulumi dynamic provider over the official SDK
 * `@alicloud/sls20201230`.
 *
 * - Credentials come from the project's one chain (providers/common/credentials.ts),
 *   resolved when the provider runs: first the stack's `alicloud:accessKey` /
 *   `alicloud:secretKey` (`alicloud:securityToken`), which the Pulumi engine hands
 *   to a dynamic provider's `configure` with the rest of the stack config
 *   (pulumi/pulumi#17673, #17697); then `ALIBABA_CLOUD_*`, `ALICLOUD_*`, OIDC,
 *   the `aliyun` CLI and `~/.alibabacloud/credentials` profiles, the ECS RAM role.
 *   They are never inputs, so no secret is ever stored in the state and a rotated
 *   key is used at once, by `delete` and `read` too. The job itself writes
 *   MaxCompute with a RAM role (`odpsRoleArn`), never with an AccessKey.
 * - `read` (refresh) maps `GetMaxComputeExport` back onto the inputs, with the
 *   values SLS normalizes or adds (server defaults, times, `scheduleId`) set
 *   aside, so a console edit shows as drift and a fresh job diffs as no change
 *   (GetMaxComputeExport and MaxComputeExport struct:
 *   https://help.aliyun.com/zh/sls/developer-reference/api-sls-2020-12-30-getmaxcomputeexport,
 *   https://alibabacloud.com/help/en/sls/developer-reference/api-sls-2020-12-30-struct-maxcomputeexport,
 *   https://help.aliyun.com/zh/sls/developer-reference/api-sls-2020-12-30-struct-maxcomputeexportconfigurationsink).
 */
import * as pulumi from "@pulumi/pulumi";
import { Credentials } from "../common/credentials";
import { initFailed } from "../common/dynamic";
import { getExport, MaxComputeExportBody, MaxComputeExportConfiguration, MaxComputeExportRequest, SlsClient } from "./client";

export type { MaxComputeExportBody } from "./client";

/** Resolved inputs of the export (what the provider receives). */
export interface MaxComputeExportInputs {
  /** SLS region, e.g. `cn-shanghai`. */
  readonly region: string;
  /**
   * SLS endpoint. `host[:port]`, or `http(s)://host[:port]` for a custom one.
   * @default "<region>.log.aliyuncs.com"
   */
  readonly endpoint?: string;
  /** SLS project. */
  readonly project: string;
  /** Export job name, unique in the project (lower case letters, digits, `-`, `_`; 2-64). Forces replacement. */
  readonly exportName: string;
  readonly displayName: string;
  readonly description?: string;
  /** Source logstore. */
  readonly logstore: string;
  /** RAM role SLS assumes to read the logstore. */
  readonly roleArn: string;
  /** RAM role SLS assumes to write MaxCompute. */
  readonly odpsRoleArn: string;
  readonly odpsProject: string;
  readonly odpsTable: string;
  readonly odpsEndpoint: string;
  readonly odpsTunnelEndpoint: string;
  /** Log fields written to the table's columns, in column order. */
  readonly fields: string[];
  /** Log fields (or `__partition_time__`) written to the partition columns. */
  readonly partitionColumn: string[];
  /** strftime format of `__partition_time__`, e.g. `%Y%m%d`. */
  readonly partitionTimeFormat: string;
  /** UTC offset of the partition time, e.g. `+0800`. */
  readonly timeZone: string;
  /** Partition time granularity, seconds: 1800 or 3600. @default 1800 */
  readonly bufferIntervalSeconds: number;
  /** Ship logs received from this epoch second on. 1 = everything the logstore still holds. @default 1 */
  readonly fromTime: number;
}

/** Outputs: the inputs plus what SLS reports. */
export interface MaxComputeExportOutputs extends MaxComputeExportInputs {
  /** `RUNNING`, `STOPPED`, ... as `GetMaxComputeExport` reports it. */
  readonly status: string;
}

/** Dynamic resource module and type: the URN type is `pulumi-nodejs:dynamic/sls:MaxComputeExport`. */
export const EXPORT_MODULE = "sls";
export const EXPORT_TYPE = "MaxComputeExport";

/** Inputs whose change needs a new job (the name is the job's identity). */
export const EXPORT_REPLACE_KEYS = ["region", "endpoint", "project", "exportName"] as const;

/** Every declared input, in the order of {@link MaxComputeExportInputs}: what `diff` compares. */
export const EXPORT_INPUT_KEYS = [
  "region",
  "endpoint",
  "project",
  "exportName",
  "displayName",
  "description",
  "logstore",
  "roleArn",
  "odpsRoleArn",
  "odpsProject",
  "odpsTable",
  "odpsEndpoint",
  "odpsTunnelEndpoint",
  "fields",
  "partitionColumn",
  "partitionTimeFormat",
  "timeZone",
  "bufferIntervalSeconds",
  "fromTime",
] as const satisfies readonly (keyof MaxComputeExportInputs)[];

/** The inputs as SLS holds them: the optional ones with the value a job gets when they are left out. */
export function normalizeExportInputs(i: MaxComputeExportInputs): MaxComputeExportInputs {
  return { ...i, endpoint: i.endpoint || `${i.region}.log.aliyuncs.com`, description: i.description ?? "" };
}

/**
 * The inputs a job read back from SLS stands for. Where the job is (region, endpoint,
 * project, name) is not in the body: it comes from `at`. Only what the stack sets is
 * mapped; what SLS adds (createTime, lastModifiedTime, scheduleId, the deprecated
 * `odpsAccessKeyId`/`odpsAccessSecret`, `timeFormatType`, `filterInvalid`, `toTime`) is not
 * an input. `bufferInterval` is a string in the API and a number here.
 */
export function inputsFromExport(
  body: MaxComputeExportBody,
  at: Pick<MaxComputeExportInputs, "region" | "endpoint" | "project" | "exportName">,
): MaxComputeExportInputs {
  const c = body.configuration ?? {};
  const s = c.sink ?? {};
  const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : []);
  const roleArn = str(c.roleArn).trim();
  return normalizeExportInputs({
    region: at.region,
    endpoint: at.endpoint,
    project: at.project,
    exportName: at.exportName,
    displayName: str(body.displayName),
    description: str(body.description),
    logstore: str(c.logstore),
    roleArn,
    odpsRoleArn: str(s.odpsRolearn).trim(),
    odpsProject: str(s.odpsProject),
    odpsTable: str(s.odpsTable),
    odpsEndpoint: str(s.odpsEndpoint),
    odpsTunnelEndpoint: str(s.odpsTunnelEndpoint),
    fields: list(s.fields),
    partitionColumn: list(s.partitionColumn),
    partitionTimeFormat: str(s.partitionTimeFormat),
    timeZone: str(s.timeZone),
    // SLS's default when a job was created without one.
    bufferIntervalSeconds: s.bufferInterval === undefined || s.bufferInterval === "" ? 1800 : Number(s.bufferInterval),
    fromTime: typeof c.fromTime === "number" ? c.fromTime : Number(c.fromTime ?? 0),
  });
}

/** Stack config the engine passes to `configure` (the SDK's dynamic-provider `Config`). */
interface StackConfigReader {
  get(key: string): string | undefined;
}

/** The credentials of the chain's first step, from the stack's `alicloud:*` config; undefined when not set. */
export function stackCredentials(config: StackConfigReader): Partial<Credentials> | undefined {
  const accessKeyId = config.get("alicloud:accessKey");
  const accessKeySecret = config.get("alicloud:secretKey");
  if (!accessKeyId || !accessKeySecret) return undefined;
  const securityToken = config.get("alicloud:securityToken");
  return { accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}) };
}

/** The `configuration` object of Create/UpdateMaxComputeExport. */
export function exportConfiguration(i: MaxComputeExportInputs): MaxComputeExportConfiguration {
  return {
    logstore: i.logstore,
    roleArn: i.roleArn,
    fromTime: i.fromTime,
    toTime: 0,
    sink: {
      odpsEndpoint: i.odpsEndpoint,
      odpsTunnelEndpoint: i.odpsTunnelEndpoint,
      odpsProject: i.odpsProject,
      odpsTable: i.odpsTable,
      odpsRolearn: i.odpsRoleArn,
      fields: [...i.fields],
      partitionColumn: [...i.partitionColumn],
      partitionTimeFormat: i.partitionTimeFormat,
      timeFormatType: "StrfTimeFormat",
      timeZone: i.timeZone,
      bufferInterval: String(i.bufferIntervalSeconds),
      filterInvalid: true,
    },
  };
}

/** The state after a create or update: the inputs as SLS holds them, and the job's status. */
function outputsOf(inputs: MaxComputeExportInputs, now: MaxComputeExportBody | undefined): MaxComputeExportOutputs {
  return { ...normalizeExportInputs(inputs), status: now?.status ?? "" };
}

/**
 * The dynamic provider. Exported for tests, which drive it against a fake SLS. Methods run
 * in the engine's dynamic-provider process; they use nothing but what they import.
 */
export class MaxComputeExportProvider implements pulumi.dynamic.ResourceProvider {
  /** The stack's alicloud credentials, when `configure` found some (kept in memory only). */
  private explicit?: Partial<Credentials>;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.explicit = stackCredentials(req.config);
  }

  private client(at: MaxComputeExportInputs): Promise<SlsClient> {
    return SlsClient.connect(at, this.explicit);
  }

  /**
   * Creates the job. A job that an earlier attempt with an unknown outcome made is adopted and
   * updated to these inputs (SlsClient.createMaxComputeExport), so a re-run never makes a second.
   */
  async create(inputs: MaxComputeExportInputs): Promise<pulumi.dynamic.CreateResult> {
    const client = await this.client(inputs);
    const id = `${inputs.project}:${inputs.exportName}`;
    const { adopted } = await client.createMaxComputeExport(inputs.project, exportRequest(inputs));
    try {
      if (adopted) await client.updateMaxComputeExport(inputs.project, inputs.exportName, exportRequest(inputs));
      const now = await client.getMaxComputeExport(inputs.project, inputs.exportName);
      return { id, outs: outputsOf(inputs, now) };
    } catch (e) {
      // The job exists: Pulumi keeps it in the state (status unknown). An adopted job whose update
      // failed is kept with an empty displayName, a state that differs from the inputs, so the
      // next up updates it.
      throw initFailed(e, id, { ...outputsOf(inputs, undefined), ...(adopted ? { displayName: "" } : {}) });
    }
  }

  async read(id: string, props: MaxComputeExportOutputs): Promise<pulumi.dynamic.ReadResult> {
    const now = await getExport(props, this.explicit);
    if (!now) return { id: undefined as unknown as string, props: {} };
    return { id, props: { ...inputsFromExport(now, props), status: now.status ?? "" } };
  }

  async diff(_id: string, olds: MaxComputeExportOutputs, news: MaxComputeExportInputs): Promise<pulumi.dynamic.DiffResult> {
    // Only the declared inputs, normalized alike: not "status", not what SLS adds, and not the
    // host's "__provider" (the serialized code), which changes with every SDK or module update
    // and must not turn into an update of the export.
    const o = normalizeExportInputs(olds);
    const n = normalizeExportInputs(news);
    const changed = EXPORT_INPUT_KEYS.filter((k) => JSON.stringify(o[k]) !== JSON.stringify(n[k]));
    const replaces = changed.filter((k) => (EXPORT_REPLACE_KEYS as readonly string[]).includes(k));
    // No status: the last create could not read the job back (kept as an initialization error); update and read it.
    const unread = olds.status === "" && replaces.length === 0;
    return { changes: changed.length > 0 || unread, replaces, deleteBeforeReplace: replaces.length > 0 };
  }

  async update(_id: string, _olds: MaxComputeExportOutputs, news: MaxComputeExportInputs): Promise<pulumi.dynamic.UpdateResult> {
    const client = await this.client(news);
    await client.updateMaxComputeExport(news.project, news.exportName, exportRequest(news));
    const now = await client.getMaxComputeExport(news.project, news.exportName);
    return { outs: outputsOf(news, now) };
  }

  async delete(_id: string, props: MaxComputeExportOutputs): Promise<void> {
    await (await this.client(props)).deleteMaxComputeExport(props.project, props.exportName);
  }
}

/** What Create/UpdateMaxComputeExport send for the inputs. */
function exportRequest(i: MaxComputeExportInputs): MaxComputeExportRequest {
  return { name: i.exportName, displayName: i.displayName, description: i.description ?? "", configuration: exportConfiguration(i) };
}

/** The provider every {@link MaxComputeExport} uses. */
export const maxComputeExportProvider = new MaxComputeExportProvider();

/** Args of the export resource: the inputs, each may come from another resource. */
export type MaxComputeExportArgs = {
  [K in keyof MaxComputeExportInputs]: pulumi.Input<MaxComputeExportInputs[K]>;
};

/** An SLS -> MaxCompute export job. */
export class MaxComputeExport extends pulumi.dynamic.Resource {
  public readonly status!: pulumi.Output<string>;
  public readonly exportName!: pulumi.Output<string>;

  constructor(name: string, args: MaxComputeExportArgs, opts?: pulumi.CustomResourceOptions) {
    super(maxComputeExportProvider, name, { status: undefined, ...args }, opts, EXPORT_MODULE, EXPORT_TYPE);
  }
}
