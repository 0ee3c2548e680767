/**
 * `TableColumns`: the columns of a layer's MaxCompute tables beyond what ROS created, and the
 * tables' lifecycle, as a Pulumi dynamic resource over the MaxCompute REST API
 * (providers/maxcompute/client.ts).
 *
 * The ROS stacks create each ODS table with its creation-time columns and lifecycle and never
 * change it (`ALIYUN::MaxCompute::Table` has no editable property; lib/maxcompute/table-ledger.ts).
 * Columns added to the source later, and a changed `warehouse.lifecycleDays`, reach MaxCompute here:
 * - create / update: for every table, read its schema (`GET /projects/{p}/tables/{t}`) and run
 *   `ALTER TABLE ADD COLUMNS` with the desired columns the server lacks, then
 *   `ALTER TABLE ... SET LIFECYCLE <days>` when its lifecycle (the Schema JSON's `lifecycle`) is not
 *   `lifecycleDays` ("Lifecycle management operations", https://www.alibabacloud.com/help/doc-detail/73769.htm).
 *   Idempotent: a second run, or a run after a sync engine (DTS) already added the column, submits
 *   nothing. A column whose type on the server differs is refused (never altered), naming the runbook.
 * - read (`pulumi refresh`): the tables' columns and lifecycle as MaxCompute has them, so a column
 *   dropped or retyped by hand, or a lifecycle changed by hand, shows as drift and the next `up`
 *   puts it back (or refuses the type).
 * - delete: nothing. Columns and tables are data: the stack never drops them.
 * - diff (pure, lib/maxcompute/column-changes.ts): an update when a desired column is not in the
 *   state with its type, or a table's lifecycle in the state is not `lifecycleDays`; never a
 *   replacement (the resource has no cloud identity of its own).
 *
 * Credentials: the one chain (providers/common/credentials.ts), with the stack's
 * `alicloud:accessKey` / `alicloud:secretKey` / `alicloud:securityToken` first; never in inputs
 * or state. Column comments are used when a column is added; later comment changes are not applied.
 */
import { configCredentials, hasUnknown } from "../common/dynamic";
import * as pulumi from "@pulumi/pulumi";
import {
  addColumnsSql,
  columnChanges,
  columnsCovered,
  lifecycleChange,
  lifecycleCovered,
  TableColumnsSpec,
  validateColumnsSpec,
} from "../../lib/maxcompute/column-changes";
import { Credentials, resolveCredentials } from "../common/credentials";
import { DEFAULT_SQL_POLLING, MaxComputeClient } from "./client";
import { pollingFromEnv, PollingPolicy } from "../common/polling";

/** Resolved inputs of a TableColumns resource. */
export interface TableColumnsInputs {
  /** Region of the MaxCompute project, e.g. `cn-shanghai`. */
  readonly region: string;
  /** MaxCompute REST endpoint (`https://service.<region>.maxcompute.aliyun.com/api`, or the VPC one). */
  readonly endpoint: string;
  /** MaxCompute project. */
  readonly project: string;
  /** Every table of the layer with every column it must have, in MaxCompute order. */
  readonly tables: readonly TableColumnsSpec[];
  /** Lifecycle every table must have, in days (1-37231); absent: the tables' lifecycle is left as it is. */
  readonly lifecycleDays?: number;
}

/**
 * State: the inputs (each table with its lifecycle as applied; read: the columns and lifecycle as
 * MaxCompute has them) and the SQL instances last run.
 */
export interface TableColumnsState extends TableColumnsInputs {
  /** `ALTER TABLE` statements the last create/update ran, with their instance ids (`<id>: <sql>`); [] when nothing was missing. */
  readonly altered: readonly string[];
}

/** Dynamic resource module and type: the URN type is `pulumi-nodejs:dynamic/maxcompute:TableColumns`. */
export const TABLE_COLUMNS_MODULE = "maxcompute";
export const TABLE_COLUMNS_TYPE = "TableColumns";

/** Environment variables overriding the SQL polling (tests use a few milliseconds). */
export const SQL_POLL_ENV = "PHOTO_ANALYTICS_MAXCOMPUTE_POLL_MS";
export const SQL_TIMEOUT_ENV = "PHOTO_ANALYTICS_MAXCOMPUTE_TIMEOUT_MS";

/** The SQL polling: the defaults, or their environment overrides. Throws naming a bad value. */
export function sqlPolling(env: Readonly<Record<string, string | undefined>>): PollingPolicy {
  return pollingFromEnv(env, DEFAULT_SQL_POLLING, { intervalEnv: SQL_POLL_ENV, timeoutEnv: SQL_TIMEOUT_ENV });
}

/** The dynamic provider. Exported for tests, which drive it against a fake MaxCompute. */
export class TableColumnsProvider implements pulumi.dynamic.ResourceProvider {
  /** Credentials from the stack's alicloud config, when `configure` was given some (memory only). */
  private configCredentials?: Partial<Credentials>;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.configCredentials = configCredentials(req);
  }

  private client(endpoint: string): MaxComputeClient {
    const explicit = this.configCredentials;
    return new MaxComputeClient({ endpoint, credentials: () => resolveCredentials(explicit), polling: sqlPolling(process.env) });
  }

  async check(_olds: unknown, news: Record<string, any>): Promise<pulumi.dynamic.CheckResult> {
    const inputs: TableColumnsInputs = {
      region: String(news.region ?? ""),
      endpoint: String(news.endpoint ?? ""),
      project: String(news.project ?? ""),
      tables: (news.tables ?? []) as TableColumnsSpec[],
      ...(news.lifecycleDays !== undefined ? { lifecycleDays: news.lifecycleDays as number } : {}),
    };
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const k of ["region", "endpoint", "project"] as const) if (!inputs[k]) failures.push({ property: k, reason: `${k} is required` });
    if (!hasUnknown(inputs.tables) && !hasUnknown(inputs.lifecycleDays)) {
      for (const p of validateColumnsSpec(inputs.tables, inputs.lifecycleDays)) {
        failures.push({ property: p.key === "lifecycleDays" ? "lifecycleDays" : "tables", reason: `${p.key}: ${p.message}` });
      }
    }
    return { inputs, failures };
  }

  async diff(_id: string, olds: TableColumnsState, news: TableColumnsInputs): Promise<pulumi.dynamic.DiffResult> {
    const moved = olds.project !== news.project || olds.endpoint !== news.endpoint || olds.region !== news.region;
    const lifecycle = news.lifecycleDays !== undefined && !lifecycleCovered(olds.tables ?? [], news.lifecycleDays);
    return { changes: moved || lifecycle || !columnsCovered(olds.tables ?? [], news.tables), replaces: [], deleteBeforeReplace: false };
  }

  /**
   * Adds what is missing on every table and sets the lifecycle where it differs; returns the
   * statements run and the tables with their lifecycle after the run. Throws before any ALTER
   * on a type conflict or a missing table.
   */
  private async apply(inputs: TableColumnsInputs): Promise<{ altered: string[]; tables: TableColumnsSpec[] }> {
    const client = this.client(inputs.endpoint);
    const statements: string[] = [];
    const tables: TableColumnsSpec[] = [];
    const problems: string[] = [];
    for (const t of inputs.tables) {
      const server = await client.getTable(inputs.project, t.name);
      if (!server) {
        problems.push(`${inputs.project}.${t.name} does not exist in MaxCompute (its ROS stack creates it; check the stack's events)`);
        continue;
      }
      const { add, conflicts } = columnChanges(t, server.columns);
      problems.push(...conflicts);
      if (add.length > 0) statements.push(addColumnsSql(t.name, add));
      const lifecycle = inputs.lifecycleDays !== undefined ? lifecycleChange(t.name, inputs.lifecycleDays, server.lifecycleDays) : undefined;
      if (lifecycle) statements.push(lifecycle);
      const days = inputs.lifecycleDays ?? server.lifecycleDays;
      tables.push({ name: t.name, columns: t.columns, ...(days !== undefined ? { lifecycleDays: days } : {}) });
    }
    if (problems.length > 0) throw new Error(`MaxCompute columns of ${inputs.project}: nothing was altered:\n  - ${problems.join("\n  - ")}`);
    const altered: string[] = [];
    for (const sql of statements) {
      const { instanceId } = await client.runSql(inputs.project, sql);
      altered.push(`${instanceId}: ${sql}`);
    }
    return { altered, tables };
  }

  async create(inputs: TableColumnsInputs): Promise<pulumi.dynamic.CreateResult> {
    const { altered, tables } = await this.apply(inputs);
    return { id: inputs.project, outs: { ...inputs, tables, altered } satisfies TableColumnsState };
  }

  async update(_id: string, _olds: TableColumnsState, news: TableColumnsInputs): Promise<pulumi.dynamic.UpdateResult> {
    const { altered, tables } = await this.apply(news);
    return { outs: { ...news, tables, altered } satisfies TableColumnsState };
  }

  async read(id: string, props: TableColumnsState): Promise<pulumi.dynamic.ReadResult> {
    const client = this.client(props.endpoint);
    const tables: TableColumnsSpec[] = [];
    for (const t of props.tables) {
      const server = await client.getTable(props.project, t.name);
      const columns = server ? server.columns.map((c) => ({ name: c.name, type: c.type, comment: c.comment })) : [];
      tables.push({ name: t.name, columns, ...(server?.lifecycleDays !== undefined ? { lifecycleDays: server.lifecycleDays } : {}) });
    }
    return { id, props: { ...props, tables } };
  }

  /** Nothing: columns and tables are data, never dropped by the stack. */
  async delete(): Promise<void> {}
}

/** The provider instance every TableColumns uses (one serialization for all). */
export const tableColumnsProvider = new TableColumnsProvider();

/** Arguments of {@link TableColumns}. */
export interface TableColumnsArgs {
  /** Region of the MaxCompute project, e.g. `cn-shanghai`. Updated in place. */
  readonly region: pulumi.Input<string>;
  /** MaxCompute REST endpoint. Updated in place. @default `https://service.<region>.maxcompute.aliyun.com/api` (set by the warehouse) */
  readonly endpoint: pulumi.Input<string>;
  /** MaxCompute project. Updated in place (the columns are then added in the new project). */
  readonly project: pulumi.Input<string>;
  /** Tables and every column each must have, in MaxCompute order; missing columns are added, others never dropped. */
  readonly tables: pulumi.Input<TableColumnsSpec[]>;
  /**
   * Lifecycle every table must have, in days (1-37231), set with `ALTER TABLE ... SET LIFECYCLE`
   * where it differs. Updated in place. Lowering it lets MaxCompute reclaim the older partitions.
   * @default the tables' lifecycle is left as it is
   */
  readonly lifecycleDays?: pulumi.Input<number>;
}

/** The added columns and the lifecycle of a layer's tables (dynamic resource; `pulumi-nodejs:dynamic/maxcompute:TableColumns`). See {@link TableColumnsProvider}. */
export class TableColumns extends pulumi.dynamic.Resource {
  /** `<instance id>: <ALTER TABLE ...>` of the statements the last create/update ran. */
  declare readonly altered: pulumi.Output<string[]>;

  constructor(name: string, args: TableColumnsArgs, opts?: pulumi.CustomResourceOptions) {
    super(tableColumnsProvider, name, { ...args, altered: undefined }, opts, TABLE_COLUMNS_MODULE, TABLE_COLUMNS_TYPE);
  }
}
