/**
 * The DataHub side of the canal-datahub engine: one project, one TUPLE topic per realtime table
 * (one STRING field: Canal's flat message, the only schema DataHub's Kafka endpoint accepts for a
 * TUPLE topic, lib/datahub/realtime-topics.ts), and per topic a DataHub -> MaxCompute connector
 * (providers/datahub/connector.ts) writing `<table>_canal_log`. Topics hold records for
 * `lifecycleDays` only; the data lives in MaxCompute, whose sink tables are never dropped by the stack.
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import { CANAL_MESSAGE_FIELD, SINK_PARTITION_CONFIG, SINK_TIME_RANGE_MINUTES, canalTableNames, sinkTableDdl } from "../../lib/datahub/realtime-topics";
import { datahubEndpoint } from "../../providers/datahub/client";
import { DatahubConnector } from "../../providers/datahub/connector";
import { maxComputeEndpoint } from "../../providers/maxcompute/client";
import { TYPES } from "../../lib/plan/type-tokens";

export interface DatahubStreamArgs {
  readonly region: string;
  /** DataHub project name (3-32 letters, digits, `_`). Changing it replaces the project, topics and connectors. */
  readonly projectName: string;
  /** Realtime tables, one topic each. At least one. */
  readonly tables: readonly string[];
  /** Shards per topic, 1-10 (provider range). Changing it replaces the topics. */
  readonly shardCount: number;
  /** Days a topic keeps records, 1-7 (provider range). */
  readonly lifecycleDays: number;
  /** MaxCompute project the connectors write into (the warehouse's output: orders them after it). */
  readonly maxcomputeProject: pulumi.Input<string>;
}

/** Logical child names (public contract). */
export function datahubChildNames(name: string, table: string): { project: string; topic: string; connector: string } {
  return { project: `${name}-project`, topic: `${name}-topic-${table}`, connector: `${name}-connector-${table}` };
}

export class DatahubStream extends pulumi.ComponentResource {
  /** Type token (lib/plan/type-tokens.ts). */
  public static readonly TYPE = TYPES.DatahubStream;
  readonly project: alicloud.datahub.Project;
  readonly topics: Record<string, alicloud.datahub.Topic> = {};
  readonly connectors: Record<string, DatahubConnector> = {};

  constructor(name: string, args: DatahubStreamArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DatahubStream.TYPE, name, {}, opts);
    if (args.tables.length === 0)
      throw new pulumi.ResourceError(`DatahubStream ${name}: args.tables is empty; the engine needs one realtime table or more`, this);
    const child = { parent: this };
    // resource_alicloud_datahub_project.go: name (ForceNew), comment.
    this.project = new alicloud.datahub.Project(
      `${name}-project`,
      { name: args.projectName, comment: "photo-analytics realtime (Canal change messages)" },
      child,
    );
    const odpsEndpoint = maxComputeEndpoint(args.region);
    for (const table of [...args.tables].sort()) {
      const n = datahubChildNames(name, table);
      const { topic, sinkTable } = canalTableNames(table);
      // resource_alicloud_datahub_topic.go: project_name, name, record_type (TUPLE), record_schema
      // (field -> type), shard_count (1-10, ForceNew), life_cycle (1-7).
      this.topics[table] = new alicloud.datahub.Topic(
        n.topic,
        {
          projectName: this.project.name,
          name: topic,
          recordType: "TUPLE",
          recordSchema: { [CANAL_MESSAGE_FIELD]: "STRING" },
          shardCount: args.shardCount,
          lifeCycle: args.lifecycleDays,
          comment: `Canal flat messages of ${table}`,
        },
        child,
      );
      this.connectors[table] = new DatahubConnector(
        n.connector,
        {
          endpoint: datahubEndpoint(args.region),
          project: this.project.name,
          topic: this.topics[table].name,
          columnFields: [CANAL_MESSAGE_FIELD],
          sink: pulumi.output(args.maxcomputeProject).apply((p) => ({
            Project: p,
            Table: sinkTable,
            OdpsEndpoint: odpsEndpoint,
            TunnelEndpoint: `https://dt.${args.region}.maxcompute.aliyun.com`,
            PartitionMode: "SYSTEM_TIME" as const,
            TimeRange: SINK_TIME_RANGE_MINUTES,
            PartitionConfig: Object.fromEntries(SINK_PARTITION_CONFIG),
          })),
          sinkTableDdl: sinkTableDdl(table),
        },
        child,
      );
    }
    this.registerOutputs({ project: this.project.name });
  }
}
