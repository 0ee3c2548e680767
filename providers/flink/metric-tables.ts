/**
 * `MetricTables`: the MaxCompute PK Delta tables the Flink metrics job upserts into, created if
 * absent, as a Pulumi dynamic resource over the MaxCompute REST API (providers/maxcompute/client.ts,
 * the `TableColumns` way: SQL instances, the one credentials chain).
 *
 * The MaxCompute connector of Realtime Compute writes into existing tables only ("您需先创建好
 * MaxCompute表", https://help.aliyun.com/zh/maxcompute/use-realtime-compute-for-apache-flink), and a
 * PK Delta table is `PRIMARY KEY` + `TBLPROPERTIES ("transactional"="true")` (same page).
 * - create / update: runs each `CREATE TABLE IF NOT EXISTS` (lib/flink/flink-sql.ts): idempotent.
 * - read: nothing to compare (a table dropped by hand is created again by the next update).
 * - delete: nothing. The tables are data: switching the engine leaves them with their rows.
 * - diff: an update when the statements change; never a replacement.
 */
import * as pulumi from "@pulumi/pulumi";
import { configCredentials, hasUnknown } from "../common/dynamic";
import { Credentials, resolveCredentials } from "../common/credentials";
import { MaxComputeClient } from "../maxcompute/client";

export interface MetricTablesInputs {
  /** MaxCompute REST endpoint (`https://service.<region>.maxcompute.aliyun.com/api`). */
  readonly endpoint: string;
  readonly project: string;
  /** `CREATE TABLE IF NOT EXISTS ...` statements, one per table. */
  readonly statements: readonly string[];
}

export class MetricTablesProvider implements pulumi.dynamic.ResourceProvider {
  private credentials?: Partial<Credentials>;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.credentials = configCredentials(req);
  }

  async check(_olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
    const inputs: MetricTablesInputs = {
      endpoint: String(news.endpoint ?? ""),
      project: String(news.project ?? ""),
      statements: Array.isArray(news.statements) ? news.statements.map(String) : [],
    };
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!inputs.endpoint) failures.push({ property: "endpoint", reason: "endpoint is required" });
    if (!hasUnknown(news.project) && !inputs.project) failures.push({ property: "project", reason: "project is required" });
    const bad = inputs.statements.filter((s) => !/^CREATE TABLE IF NOT EXISTS /.test(s));
    if (bad.length > 0) failures.push({ property: "statements", reason: `only CREATE TABLE IF NOT EXISTS is run; got: ${bad[0].slice(0, 80)}` });
    return { inputs, failures };
  }

  async diff(_id: string, olds: MetricTablesInputs, news: MetricTablesInputs): Promise<pulumi.dynamic.DiffResult> {
    return { changes: JSON.stringify(olds) !== JSON.stringify(news), replaces: [], deleteBeforeReplace: false };
  }

  private async apply(inputs: MetricTablesInputs): Promise<void> {
    const explicit = this.credentials;
    const client = new MaxComputeClient({ endpoint: inputs.endpoint, credentials: () => resolveCredentials(explicit) });
    for (const sql of inputs.statements) await client.runSql(inputs.project, sql);
  }

  async create(inputs: MetricTablesInputs): Promise<pulumi.dynamic.CreateResult> {
    await this.apply(inputs);
    return { id: `${inputs.project}:metric-tables`, outs: inputs };
  }

  async update(_id: string, _olds: MetricTablesInputs, news: MetricTablesInputs): Promise<pulumi.dynamic.UpdateResult> {
    await this.apply(news);
    return { outs: news };
  }

  async delete(): Promise<void> {
    // The tables hold the metrics written so far: never dropped by the stack.
  }
}

export const metricTablesProvider = new MetricTablesProvider();

export interface MetricTablesArgs {
  readonly endpoint: pulumi.Input<string>;
  readonly project: pulumi.Input<string>;
  readonly statements: pulumi.Input<readonly string[]>;
}

/** The Flink sink tables (dynamic resource; type `pulumi-nodejs:dynamic/flink:MetricTables`). */
export class MetricTables extends pulumi.dynamic.Resource {
  constructor(name: string, args: MetricTablesArgs, opts?: pulumi.CustomResourceOptions) {
    super(metricTablesProvider, name, { ...args }, opts, "flink", "MetricTables");
  }
}
