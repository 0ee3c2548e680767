/**
 * `ComputeResource`: a compute resource bound to a DataWorks workspace (Data
 * Studio runs ODPS SQL nodes on it), as a Pulumi dynamic resource over the
 * DataWorks OpenAPI 2024-05-18 CreateComputeResource / GetComputeResource /
 * UpdateComputeResource / DeleteComputeResource
 * (https://help.aliyun.com/zh/dataworks/developer-reference/api-dataworks-public-2024-05-18-createcomputeresource),
 * because @pulumi/alicloud 3.108 has no such resource
 * (node_modules/@pulumi/alicloud/dataworks/: DataSource, DataSourceSharedRule,
 * DiAlarmRule, DiJob, DwResourceGroup, Folder, Network, Project, ProjectMember).
 *
 * - The connection properties are compared the way GetComputeResource answers
 *   them: keys in lowerCamel case (`envType`, `regionId`: its documented
 *   answer, while the request example uses `EnvType`, `RegionId`), values of
 *   `envType` / `authType` without case (documented "不区分大小写" / "忽略大小写"),
 *   and only the keys the stack sets (the server adds its own).
 * - `name`, `type`, `projectId`, `region` replace the resource; the connection
 *   and description update it in place.
 *
 * Credentials: providers/common/credentials.ts; never in inputs or state.
 */
import * as pulumi from "@pulumi/pulumi";
import { Credentials } from "../common/credentials";
import { configCredentials, hasUnknown } from "../common/dynamic";
import { DataWorksClient } from "./client";

/** Inputs of a ComputeResource (after `check`). */
export interface ComputeResourceInputs {
  readonly projectId: string;
  readonly region: string;
  /** Letters, digits and `_`, not starting with a digit or `_`, at most 255 chars. */
  readonly name: string;
  /** e.g. `maxcompute`. */
  readonly type: string;
  /** e.g. `UrlMode`. */
  readonly connectionPropertiesMode: string;
  /** The connection, keys in lowerCamel case, e.g. `{project, regionId, endpointMode, authType, envType}`. */
  readonly connectionProperties: Readonly<Record<string, string>>;
  readonly description: string;
}

/** State of a ComputeResource. */
export interface ComputeResourceState extends ComputeResourceInputs {
  /** The compute resource's id in DataWorks. */
  readonly computeResourceId: string;
}

const NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,254}$/;
/** Keys whose values DataWorks reads without case. */
const CASELESS_VALUES = ["envType", "authType"];
/** Keys of a compute resource whose change needs a new one. */
export const COMPUTE_RESOURCE_REPLACE_KEYS = ["projectId", "region", "name", "type"] as const;

function lowerCamel(k: string): string {
  return k.charAt(0).toLowerCase() + k.slice(1);
}

/** The connection properties as compared: lowerCamel keys, caseless values where DataWorks ignores case. */
export function canonicalConnection(props: Readonly<Record<string, unknown>>, keys?: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) {
    const key = lowerCamel(k);
    if (keys && !keys.includes(key)) continue;
    const value = String(v ?? "");
    out[key] = CASELESS_VALUES.includes(key) ? value.toLowerCase() : value;
  }
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((k) => [k, out[k]]),
  );
}

function normalizeInputs(raw: Record<string, any>): ComputeResourceInputs {
  const props = (raw.connectionProperties ?? {}) as Record<string, unknown>;
  return {
    projectId: raw.projectId === undefined ? "" : String(raw.projectId),
    region: String(raw.region ?? ""),
    name: String(raw.name ?? ""),
    type: String(raw.type ?? "maxcompute"),
    connectionPropertiesMode: String(raw.connectionPropertiesMode ?? "UrlMode"),
    connectionProperties: Object.fromEntries(Object.entries(props).map(([k, v]) => [lowerCamel(k), String(v)])),
    description: String(raw.description ?? ""),
  };
}

/** The ComputeResource dynamic provider. */
export class ComputeResourceProvider implements pulumi.dynamic.ResourceProvider {
  private credentials?: Partial<Credentials>;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.credentials = configCredentials(req);
  }

  async check(_olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
    const inputs = normalizeInputs(news);
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!hasUnknown(news.projectId) && !/^\d+$/.test(inputs.projectId)) {
      failures.push({ property: "projectId", reason: `projectId "${inputs.projectId}" must be the numeric DataWorks workspace id` });
    }
    if (!inputs.region) failures.push({ property: "region", reason: "region (e.g. cn-hangzhou) is required" });
    if (!hasUnknown(news.name) && !NAME_RE.test(inputs.name)) {
      failures.push({ property: "name", reason: `name "${inputs.name}" must start with a letter and hold only letters, digits and _ (at most 255 chars)` });
    }
    if (!hasUnknown(news.connectionProperties) && !inputs.connectionProperties.envType) {
      failures.push({ property: "connectionProperties", reason: "connectionProperties.envType (Dev or Prod) is required" });
    }
    return { inputs, failures };
  }

  async diff(_id: string, olds: ComputeResourceState, news: ComputeResourceInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces = COMPUTE_RESOURCE_REPLACE_KEYS.filter((k) => olds[k] !== news[k]);
    const updated =
      olds.connectionPropertiesMode !== news.connectionPropertiesMode ||
      olds.description !== news.description ||
      JSON.stringify(canonicalConnection(olds.connectionProperties)) !== JSON.stringify(canonicalConnection(news.connectionProperties));
    const sameWorkspace = olds.projectId === news.projectId && olds.region === news.region;
    return {
      changes: replaces.length > 0 || updated,
      replaces: [...replaces],
      // A workspace refuses two compute resources with one name.
      deleteBeforeReplace: replaces.length > 0 && sameWorkspace && olds.name === news.name,
    };
  }

  async create(inputs: ComputeResourceInputs): Promise<pulumi.dynamic.CreateResult> {
    const client = await DataWorksClient.connect(inputs.region, this.credentials);
    const id = await client.createComputeResource({
      projectId: inputs.projectId,
      name: inputs.name,
      type: inputs.type,
      connectionPropertiesMode: inputs.connectionPropertiesMode,
      connectionProperties: JSON.stringify(inputs.connectionProperties),
      description: inputs.description,
    });
    return { id, outs: { ...inputs, computeResourceId: id } satisfies ComputeResourceState };
  }

  async read(id: string, props?: ComputeResourceState): Promise<pulumi.dynamic.ReadResult> {
    const projectId = props?.projectId ?? "";
    const region = props?.region ?? "";
    const live = await (await DataWorksClient.connect(region, this.credentials)).getComputeResource({ projectId, id });
    if (!live) return {};
    // Keep only the keys the stack manages, in the stack's spelling when the value is the same.
    const managed = Object.keys(props?.connectionProperties ?? {});
    const liveProps = canonicalConnection(live.connectionProperties, managed.length > 0 ? managed : undefined);
    const wanted = canonicalConnection(props?.connectionProperties ?? {});
    const connectionProperties: Record<string, string> = {};
    for (const [k, v] of Object.entries(liveProps)) connectionProperties[k] = wanted[k] === v ? (props?.connectionProperties[k] ?? v) : v;
    const state: ComputeResourceState = {
      projectId,
      region,
      name: live.name,
      type: live.type.toLowerCase() === (props?.type ?? "").toLowerCase() ? (props?.type ?? live.type) : live.type,
      connectionPropertiesMode: live.connectionPropertiesMode,
      connectionProperties,
      description: live.description,
      computeResourceId: id,
    };
    const { computeResourceId: _omit, ...inputs } = state;
    return { id, props: state, inputs };
  }

  async update(id: string, _olds: ComputeResourceState, news: ComputeResourceInputs): Promise<pulumi.dynamic.UpdateResult> {
    const client = await DataWorksClient.connect(news.region, this.credentials);
    await client.updateComputeResource({
      projectId: news.projectId,
      id,
      connectionPropertiesMode: news.connectionPropertiesMode,
      connectionProperties: JSON.stringify(news.connectionProperties),
      description: news.description,
    });
    return { outs: { ...news, computeResourceId: id } satisfies ComputeResourceState };
  }

  async delete(id: string, props: ComputeResourceState): Promise<void> {
    await (await DataWorksClient.connect(props.region, this.credentials)).deleteComputeResource({ projectId: props.projectId, id });
  }
}

/** Arguments of a ComputeResource. */
export interface ComputeResourceArgs {
  /** DataWorks workspace id. Changing it replaces the resource. */
  readonly projectId: pulumi.Input<number | string>;
  /** Region of the workspace, e.g. `cn-hangzhou`. Changing it replaces the resource. */
  readonly region: pulumi.Input<string>;
  /** Name in the workspace (letters, digits, `_`; at most 255 chars). Changing it replaces the resource. */
  readonly name: pulumi.Input<string>;
  /** Compute engine type. Changing it replaces the resource. @default "maxcompute" */
  readonly type?: pulumi.Input<string>;
  /** @default "UrlMode" */
  readonly connectionPropertiesMode?: pulumi.Input<string>;
  /** Connection, keys in lowerCamel case; `envType` (`Dev` | `Prod`) is required. Updated in place. */
  readonly connectionProperties: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** @default "" */
  readonly description?: pulumi.Input<string>;
}

/** The provider instance every ComputeResource uses. */
export const computeResourceProvider = new ComputeResourceProvider();

/** A DataWorks compute resource (dynamic resource; type `pulumi-nodejs:dynamic/dataworks:ComputeResource`). */
export class ComputeResource extends pulumi.dynamic.Resource {
  /** The compute resource's id in DataWorks. */
  declare readonly computeResourceId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, args: ComputeResourceArgs, opts?: pulumi.CustomResourceOptions) {
    super(computeResourceProvider, name, { ...args, computeResourceId: undefined }, opts, "dataworks", "ComputeResource");
  }
}
