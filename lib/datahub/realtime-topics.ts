/**
 * DataHub objects of the Canal + DataHub realtime engine, as data: the project, one topic per
 * realtime table, and the DataHub -> MaxCompute connector of each topic. Pure: no Pulumi, no I/O.
 *
 * Topic schema. Canal writes through DataHub's Kafka-compatible endpoint, and "When you write
 * Kafka data to a Tuple topic, the topic schema must contain one or two columns of the STRING data
 * type. Otherwise, the write operation fails. If the schema has one column, only the value is
 * written" ("Kafka compatibility", help.aliyun.com/en/datahub/developer-reference/compatibility-with-kafka/).
 * So a topic cannot carry the table's typed columns: it has one STRING field holding Canal's flat
 * JSON message, and the typing happens in MaxCompute (the realtime views read the JSON with the
 * same MySQL -> MaxCompute mapping as the DDL generator, lib/maxcompute/type-mapping.ts).
 * {@link DATAHUB_FIELD_TYPES} records what a typed schema would use, for a future non-Kafka writer.
 */
import { mcIdent, mcString } from "../maxcompute/ods-tables";

/** The one field of every topic: Canal's flat JSON message (the Kafka record value). */
export const CANAL_MESSAGE_FIELD = "canal_message";

/** DataHub field types the provider accepts (resource_alicloud_datahub_topic.go: BIGINT, STRING, BOOLEAN, DOUBLE, TIMESTAMP). */
export const DATAHUB_FIELD_TYPES = ["BIGINT", "STRING", "BOOLEAN", "DOUBLE", "TIMESTAMP"] as const;
export type DatahubFieldType = (typeof DATAHUB_FIELD_TYPES)[number];

/**
 * The DataHub field type of a MaxCompute column type (lib/maxcompute/type-mapping.ts output), for
 * documentation and a future typed writer: integers -> BIGINT, FLOAT/DOUBLE -> DOUBLE, BOOLEAN ->
 * BOOLEAN, DATETIME/TIMESTAMP -> TIMESTAMP (microseconds), everything else (DECIMAL: exact digits;
 * DATE; STRING; BINARY as base64) -> STRING, which loses nothing.
 */
export function datahubFieldType(maxcomputeType: string): DatahubFieldType {
  const t = maxcomputeType.trim().toUpperCase();
  if (/^(TINYINT|SMALLINT|INT|BIGINT)$/.test(t)) return "BIGINT";
  if (t === "FLOAT" || t === "DOUBLE") return "DOUBLE";
  if (t === "BOOLEAN") return "BOOLEAN";
  if (t === "DATETIME" || t === "TIMESTAMP" || t === "TIMESTAMP_NTZ") return "TIMESTAMP";
  return "STRING";
}

/** Names of the DataHub and MaxCompute objects of one realtime table. */
export function canalTableNames(table: string): { topic: string; sinkTable: string } {
  return { topic: table, sinkTable: `${table}_canal_log` };
}

/** The DataHub project of a warehouse project (DataHub: 3-32 letters, digits and `_`). */
export function datahubProjectName(warehouseProject: string): string {
  return `${warehouseProject}_rt`;
}

/** Bounds the provider enforces (resource_alicloud_datahub_topic.go: shard_count 1-10, life_cycle 1-7). */
export const SHARD_COUNT_RANGE = { min: 1, max: 10 } as const;
export const TOPIC_LIFECYCLE_DAYS_RANGE = { min: 1, max: 7 } as const;

/**
 * Partitions the connector writes (PartitionMode SYSTEM_TIME: by the time DataHub received the
 * record), `ds`/`hh`/`mm` as the DataHub SDK's connector example does
 * (aliyun/aliyun-datahub-sdk-python docs, "connector操作": `("ds", "%Y%m%d"), ("hh", "%H"), ("mm", "%M")`).
 */
export const SINK_PARTITION_CONFIG: readonly (readonly [string, string])[] = [
  ["ds", "%Y%m%d"],
  ["hh", "%H"],
  ["mm", "%M"],
];
/** Minutes per `mm` partition value (the connector's TimeRange): one partition per 15 minutes. */
export const SINK_TIME_RANGE_MINUTES = 15;

/** The MaxCompute DDL of a sink table (the connector writes into an existing table). */
export function sinkTableDdl(table: string): string {
  const { sinkTable } = canalTableNames(table);
  return (
    `CREATE TABLE IF NOT EXISTS ${mcIdent(sinkTable)} (\n  ${mcIdent(CANAL_MESSAGE_FIELD)} STRING COMMENT 'Canal flat message (JSON)'\n)\n` +
    `COMMENT ${mcString(`${sinkTable}: Canal change messages of ${table}, written by the DataHub connector`)}\n` +
    `PARTITIONED BY (ds STRING, hh STRING, mm STRING);\n`
  );
}
