/**
 * `pulumi-nodejs:dynamic/sls:MaxComputeExport`: an SLS -> MaxCompute shipping job
 * (SLS API `CreateMaxComputeExport`, 2020-12-30), which has no Terraform or
 * Pulumi resource. A Pulumi dynamic provider over the official SDK
 * `@alicloud/sls20201230`.
 *
 * Credentials are read when the provider runs, from the environment the
 * alicloud provider also reads (`ALIBABA_CLOUD_ACCESS_KEY_ID` /
 * `ALIBABA_CLOUD_ACCESS_KEY_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN`, or
 * `ALICLOUD_ACCESS_KEY` / `ALICLOUD_SECRET_KEY` / `ALICLOUD_SECURITY_TOKEN`),
 * so no secret is ever stored in the state. The job itself writes MaxCompute
 * with a RAM role (`odpsRoleArn`), never with an AccessKey.
 */
import * as pulumi from "@pulumi/pulumi";

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

/** Builds the SDK client for an endpoint, with credentials from the environment. */
export function slsClient(inputs: Pick<MaxComputeExportInputs, "region" | "endpoint">): any {
  // Required at run time, not import time, so the serialized provider loads them where it runs.

  const Sls = require("@alicloud/sls20201230");

  const { $OpenApiUtil } = require("@alicloud/openapi-core");
  const env = process.env;
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? env.ALICLOUD_ACCESS_KEY;
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? env.ALICLOUD_SECRET_KEY;
  const securityToken = env.ALIBABA_CLOUD_SECURITY_TOKEN ?? env.ALICLOUD_SECURITY_TOKEN;
  if (!accessKeyId || !accessKeySecret) {
    throw new Error(
      "SLS MaxCompute export: no credentials; set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET " +
        "(or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY) for `pulumi up`",
    );
  }
  let endpoint = inputs.endpoint || `${inputs.region}.log.aliyuncs.com`;
  let protocol = "https";
  const m = /^(https?):\/\/(.+?)\/?$/.exec(endpoint);
  if (m) {
    protocol = m[1];
    endpoint = m[2];
  }
  const config = new $OpenApiUtil.Config({
    accessKeyId,
    accessKeySecret,
    securityToken,
    regionId: inputs.region,
    endpoint,
    protocol,
  });
  return new Sls.default(config);
}

/** The `configuration` object of Create/UpdateMaxComputeExport. */
export function exportConfiguration(i: MaxComputeExportInputs): Record<string, unknown> {
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

function isNotFound(e: unknown): boolean {
  const err = e as { statusCode?: number; code?: string; data?: { statusCode?: number } };
  return err?.statusCode === 404 || err?.data?.statusCode === 404 || /NotExist|NotFound/i.test(String(err?.code ?? ""));
}

/** Reads the job; undefined when it does not exist. */
export async function getExport(i: MaxComputeExportInputs): Promise<{ status: string; configuration: any } | undefined> {
  try {
    const res = await slsClient(i).getMaxComputeExport(i.project, i.exportName);
    return { status: res.body?.status ?? "", configuration: res.body?.configuration };
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** The dynamic provider. Exported for tests, which drive it against a fake SLS. */
export const maxComputeExportProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: MaxComputeExportInputs): Promise<pulumi.dynamic.CreateResult> {
    const Sls = require("@alicloud/sls20201230");
    const request = new Sls.CreateMaxComputeExportRequest({
      name: inputs.exportName,
      displayName: inputs.displayName,
      description: inputs.description ?? "",
      configuration: new Sls.MaxComputeExportConfiguration({
        ...exportConfiguration(inputs),
        sink: new Sls.MaxComputeExportConfigurationSink(exportConfiguration(inputs).sink),
      }),
    });
    await slsClient(inputs).createMaxComputeExport(inputs.project, request);
    const now = await getExport(inputs);
    return { id: `${inputs.project}:${inputs.exportName}`, outs: { ...inputs, status: now?.status ?? "" } };
  },

  async read(id: string, props: MaxComputeExportOutputs): Promise<pulumi.dynamic.ReadResult> {
    const now = await getExport(props);
    if (!now) return { id: undefined as unknown as string, props: {} };
    return { id, props: { ...props, status: now.status } };
  },

  async diff(_id: string, olds: MaxComputeExportOutputs, news: MaxComputeExportInputs): Promise<pulumi.dynamic.DiffResult> {
    // Only the declared inputs: the host adds "__provider" (the serialized code), which changes
    // with every SDK or module update and must not turn into an update of the export.
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)].filter((k) => k !== "status" && !k.startsWith("__")));
    const changed = [...keys].filter((k) => JSON.stringify((olds as any)[k]) !== JSON.stringify((news as any)[k]));
    const replaces = changed.filter((k) => (EXPORT_REPLACE_KEYS as readonly string[]).includes(k));
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async update(_id: string, _olds: MaxComputeExportOutputs, news: MaxComputeExportInputs): Promise<pulumi.dynamic.UpdateResult> {
    const Sls = require("@alicloud/sls20201230");
    const request = new Sls.UpdateMaxComputeExportRequest({
      displayName: news.displayName,
      description: news.description ?? "",
      configuration: new Sls.MaxComputeExportConfiguration({
        ...exportConfiguration(news),
        sink: new Sls.MaxComputeExportConfigurationSink(exportConfiguration(news).sink),
      }),
    });
    await slsClient(news).updateMaxComputeExport(news.project, news.exportName, request);
    const now = await getExport(news);
    return { outs: { ...news, status: now?.status ?? "" } };
  },

  async delete(_id: string, props: MaxComputeExportOutputs): Promise<void> {
    try {
      await slsClient(props).deleteMaxComputeExport(props.project, props.exportName);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  },
};

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
