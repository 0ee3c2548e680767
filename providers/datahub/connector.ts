/**
 * `DatahubConnector`: the DataHub -> MaxCompute connector (`sink_odps`) of one topic, as a Pulumi
 * dynamic resource over the DataHub REST API (providers/datahub/client.ts). The alicloud provider
 * has no connector resource (resources: datahub Project, Topic, Subscription only).
 *
 * - create: makes sure the MaxCompute sink table exists (`CREATE TABLE IF NOT EXISTS`, the
 *   connector writes only into an existing table; never dropped), then creates the connector.
 * - read (`pulumi refresh`): the connector's column fields and sink config as DataHub has them, so a
 *   connector changed in the console shows as drift; a connector deleted there leaves the state.
 * - update: `updateconfig` with the desired sink config (table, endpoints, partitioning).
 * - diff (pure): project, topic, endpoint or column fields changed -> replacement (a connector
 *   belongs to one topic and its fields are fixed at create); a sink config change -> update.
 * - delete: deletes the connector only; the sink table and its data stay.
 *
 * Who writes MaxCompute: no AccessKey pair is sent (`AccessId`/`AccessKey` are optional in
 * `OdpsConnectorConfig.to_json`); DataHub then writes with its service role, which must be
 * authorized on the project (docs/realtime-canal-datahub.md; to verify on the first deploy).
 */
import * as pulumi from "@pulumi/pulumi";
import { configCredentials, hasUnknown } from "../common/dynamic";
import { Credentials, resolveCredentials } from "../common/credentials";
import { DatahubClient, OdpsSinkConfig } from "./client";
import { MaxComputeClient, DEFAULT_SQL_POLLING } from "../maxcompute/client";

/** Resolved inputs. */
export interface DatahubConnectorInputs {
  /** DataHub REST endpoint, e.g. `https://dh-cn-shanghai.aliyuncs.com`. */
  readonly endpoint: string;
  readonly project: string;
  readonly topic: string;
  /** Topic fields the connector copies, in sink-table column order. */
  readonly columnFields: readonly string[];
  readonly sink: Omit<OdpsSinkConfig, "AccessId" | "AccessKey">;
  /** `CREATE TABLE IF NOT EXISTS` of the sink table, run before the connector is created. */
  readonly sinkTableDdl: string;
}

/** State: the inputs (read: as DataHub has them) and the connector id. */
export interface DatahubConnectorState extends DatahubConnectorInputs {
  readonly connectorId: string;
}

export const DATAHUB_CONNECTOR_MODULE = "datahub";
export const DATAHUB_CONNECTOR_TYPE = "Connector";

/** Inputs whose change replaces the connector. */
export const CONNECTOR_REPLACE_KEYS = ["endpoint", "project", "topic", "columnFields"] as const;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The pure diff (exported for tests). */
export function connectorDiff(olds: DatahubConnectorState, news: DatahubConnectorInputs): pulumi.dynamic.DiffResult {
  const replaces = CONNECTOR_REPLACE_KEYS.filter((k) => !same(olds[k], news[k]));
  const sinkChanged = !same(olds.sink, news.sink);
  return { changes: replaces.length > 0 || sinkChanged, replaces: [...replaces], deleteBeforeReplace: true };
}

export class DatahubConnectorProvider implements pulumi.dynamic.ResourceProvider {
  private configCredentials?: Partial<Credentials>;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.configCredentials = configCredentials(req);
  }

  /**
   * The credentials the clients resolve at their first call. A method, not an arrow field: `pulumi up`
   * serializes the provider, and an arrow capturing `this` cannot be serialized
   * (tests/provider-serialization.test.ts).
   */
  private creds(): () => Promise<Credentials> {
    const explicit = this.configCredentials;
    return () => resolveCredentials(explicit);
  }

  private client(endpoint: string): DatahubClient {
    return new DatahubClient({ endpoint, credentials: this.creds() });
  }

  async check(_olds: unknown, news: Record<string, any>): Promise<pulumi.dynamic.CheckResult> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const k of ["endpoint", "project", "topic", "sinkTableDdl"]) if (!news[k]) failures.push({ property: k, reason: `${k} is required` });
    if (!hasUnknown(news.columnFields) && (!Array.isArray(news.columnFields) || news.columnFields.length === 0)) {
      failures.push({ property: "columnFields", reason: "columnFields: at least one topic field to copy" });
    }
    return { inputs: news, failures };
  }

  async diff(_id: string, olds: DatahubConnectorState, news: DatahubConnectorInputs): Promise<pulumi.dynamic.DiffResult> {
    return connectorDiff(olds, news);
  }

  async create(inputs: DatahubConnectorInputs): Promise<pulumi.dynamic.CreateResult> {
    const mc = new MaxComputeClient({ endpoint: inputs.sink.OdpsEndpoint, credentials: this.creds(), polling: DEFAULT_SQL_POLLING });
    if (!(await mc.getTable(inputs.sink.Project, inputs.sink.Table))) await mc.runSql(inputs.sink.Project, inputs.sinkTableDdl);
    const connectorId = await this.client(inputs.endpoint).createConnector(inputs.project, inputs.topic, inputs.columnFields, inputs.sink);
    return { id: `${inputs.project}/${inputs.topic}/${connectorId}`, outs: { ...inputs, connectorId } satisfies DatahubConnectorState };
  }

  async update(_id: string, olds: DatahubConnectorState, news: DatahubConnectorInputs): Promise<pulumi.dynamic.UpdateResult> {
    await this.client(news.endpoint).updateConnector(news.project, news.topic, olds.connectorId, news.sink);
    return { outs: { ...news, connectorId: olds.connectorId } satisfies DatahubConnectorState };
  }

  async read(id: string, props: DatahubConnectorState): Promise<pulumi.dynamic.ReadResult> {
    const info = await this.client(props.endpoint).getConnector(props.project, props.topic, props.connectorId);
    if (!info) return { id: "", props: {} };
    return { id, props: { ...props, columnFields: [...info.columnFields], sink: info.config } };
  }

  async delete(_id: string, props: DatahubConnectorState): Promise<void> {
    await this.client(props.endpoint).deleteConnector(props.project, props.topic, props.connectorId);
  }
}

export const datahubConnectorProvider = new DatahubConnectorProvider();

/** Arguments of {@link DatahubConnector}. */
export interface DatahubConnectorArgs {
  /** DataHub REST endpoint. Changing it replaces the connector. */
  readonly endpoint: pulumi.Input<string>;
  /** DataHub project (the topic's). Changing it replaces the connector. */
  readonly project: pulumi.Input<string>;
  /** Topic whose records the connector copies. Changing it replaces the connector. */
  readonly topic: pulumi.Input<string>;
  /** Topic fields copied, in sink-table column order. Changing them replaces the connector. */
  readonly columnFields: pulumi.Input<string[]>;
  /** Sink config: MaxCompute project and table, endpoints, partitioning. Updated in place. */
  readonly sink: pulumi.Input<Omit<OdpsSinkConfig, "AccessId" | "AccessKey">>;
  /** DDL of the sink table, run once when the table is missing. */
  readonly sinkTableDdl: pulumi.Input<string>;
}

/** A topic's DataHub -> MaxCompute connector (`pulumi-nodejs:dynamic/datahub:Connector`). See {@link DatahubConnectorProvider}. */
export class DatahubConnector extends pulumi.dynamic.Resource {
  declare readonly connectorId: pulumi.Output<string>;

  constructor(name: string, args: DatahubConnectorArgs, opts?: pulumi.CustomResourceOptions) {
    super(datahubConnectorProvider, name, { ...args, connectorId: undefined }, opts, DATAHUB_CONNECTOR_MODULE, DATAHUB_CONNECTOR_TYPE);
  }
}
