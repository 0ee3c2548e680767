/**
 * The Canal server's configuration files, generated from the stack config: `canal.properties`
 * (the server: MQ mode towards DataHub's Kafka-compatible endpoint, where positions are kept) and
 * `<destination>/instance.properties` (the source, the table filter, the topic routing). Pure: the
 * secrets arrive as plain strings and the caller keeps the result a Pulumi secret.
 *
 * Keys and their meaning (alibaba/canal, deployer/src/main/resources/canal.properties and
 * example/instance.properties; the Kafka producer
 * connector/kafka-connector/.../CanalKafkaProducer.java @ 049d6368b6606a8e99e3e9b2ce39dbf5baa5af7e
 * passes every `kafka.`-prefixed key, prefix removed, to the Kafka producer and sends flat messages
 * as JSON values with a null key):
 * - MQ mode: `canal.serverMode = kafka`, `canal.mq.flatMessage = true` (one JSON object per binlog
 *   event: `data` rows, `type` INSERT/UPDATE/DELETE, `es` binlog time in ms, `id`, `pkNames`).
 * - DataHub's Kafka endpoint: SASL PLAIN with the AccessKey pair ("Canal plug-in",
 *   help.aliyun.com/zh/datahub/developer-reference/datahub-plug-in-for-canal); the JAAS text goes
 *   in `kafka.sasl.jaas.config` (a Kafka client property) instead of a separate file. A Kafka topic
 *   is `<DataHub project>.<topic>` ("Kafka compatibility",
 *   help.aliyun.com/en/datahub/developer-reference/compatibility-with-kafka/); open-source Canal
 *   replaces `.` with `_` in dynamic topic names (`entry.getKey().replace('.', '_')` in
 *   CanalKafkaProducer.send), which is why the image must be DataHub's Canal build (docs).
 * - Ordering: `canal.mq.partitionHash` routes every change of one primary key to one partition
 *   (= one DataHub shard), and `kafka.max.in.flight.requests.per.connection = 1` keeps a retry
 *   from reordering (the comment in CanalKafkaProducer.send says so).
 * - Position store: `spring/file-instance.xml` keeps the binlog position in
 *   `${canal.file.data.dir}/<destination>/meta.dat`, flushed every `canal.file.flush.period` ms;
 *   the data dir is the container's NAS mount, so a restarted or re-created container resumes.
 */
import { PropertySection, writeProperties } from "./properties";

/** A realtime table as Canal routes it. */
export interface CanalTable {
  readonly name: string;
  /** Primary key columns: the partition hash (one key, one shard, in order). */
  readonly primaryKey: readonly string[];
  /** DataHub topic of the table (in `datahubProject`). */
  readonly topic: string;
}

/** Everything the two files hold. */
export interface CanalFilesSpec {
  /** Canal instance ("destination") name: the folder of instance.properties. */
  readonly destination: string;
  readonly source: { readonly host: string; readonly port: number; readonly database: string; readonly user: string; readonly password: string };
  readonly tables: readonly CanalTable[];
  readonly datahubProject: string;
  /** Partitions (= DataHub shards) of every topic. */
  readonly partitions: number;
  readonly kafka: {
    /** DataHub's Kafka endpoint, `host:port`. */
    readonly bootstrapServers: string;
    /** `SASL_SSL` or `SASL_PLAINTEXT`. */
    readonly securityProtocol: string;
    readonly accessKeyId: string;
    readonly accessKeySecret: string;
  };
  /** Directory of positions and table-meta history (the durable volume's mount path). */
  readonly dataDir: string;
}

/** The metrics port Canal serves in every mode (the container's health check connects to it). */
export const CANAL_METRICS_PORT = 11112;
/** Where the files are mounted in the container (the deployer's conf directory). */
export const CANAL_CONF_DIR = "/home/admin/canal-server/conf";

const regexQuote = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`);

/** `<schema>\.<table>`: Canal's filter and routing patterns are Java regexes. */
export function tablePattern(database: string, table: string): string {
  return `${regexQuote(database)}\\.${regexQuote(table)}`;
}

/** The Kafka topic name of a DataHub topic. */
export function kafkaTopic(project: string, topic: string): string {
  return `${project}.${topic}`;
}

function checkSpec(s: CanalFilesSpec): void {
  if (s.tables.length === 0) throw new Error("canal: no realtime table; the instance would replicate nothing");
  for (const t of s.tables) {
    if (t.primaryKey.length === 0) throw new Error(`canal: table "${t.name}" has no primary key; partitionHash needs one to keep each key's changes in order`);
  }
  if (!/^[^:\s]+:\d+(,[^:\s]+:\d+)*$/.test(s.kafka.bootstrapServers)) {
    throw new Error(
      `canal: realtime.canalDatahub.kafkaBootstrapServers is "${s.kafka.bootstrapServers}"; allowed: host:port[,host:port] (DataHub's Kafka endpoint)`,
    );
  }
}

const jaas = (id: string, secret: string): string =>
  `org.apache.kafka.common.security.plain.PlainLoginModule required username="${id.replace(/["\\]/g, "\\$&")}" password="${secret.replace(/["\\]/g, "\\$&")}";`;

/** `conf/canal.properties`. */
export function canalProperties(s: CanalFilesSpec): string {
  checkSpec(s);
  const sections: PropertySection[] = [
    {
      comment: "Generated by lib/canal/canal-files.ts from the stack config: do not edit in the container.\nServer",
      entries: [
        { key: "canal.id", value: "1" },
        { key: "canal.port", value: "11111" },
        { key: "canal.metrics.pull.port", value: String(CANAL_METRICS_PORT) },
        { key: "canal.serverMode", value: "kafka" },
        { key: "canal.destinations", value: s.destination },
        { key: "canal.conf.dir", value: "../conf" },
        // No hot reload: the files change only with a new container (the stack replaces it).
        { key: "canal.auto.scan", value: "false" },
        { key: "canal.instance.global.mode", value: "spring" },
        { key: "canal.instance.global.lazy", value: "false" },
      ],
    },
    {
      comment: "Durable position store: meta.dat under the NAS-backed data dir, flushed every second",
      entries: [
        { key: "canal.instance.global.spring.xml", value: "classpath:spring/file-instance.xml" },
        { key: "canal.file.data.dir", value: s.dataDir },
        { key: "canal.file.flush.period", value: "1000" },
      ],
    },
    {
      comment: "Only row changes reach the topics: no DDL, DCL, statement-format DML or transaction markers",
      entries: [
        { key: "canal.instance.filter.query.dcl", value: "true" },
        { key: "canal.instance.filter.query.dml", value: "true" },
        { key: "canal.instance.filter.query.ddl", value: "true" },
        { key: "canal.instance.filter.transaction.entry", value: "true" },
      ],
    },
    {
      comment: "MQ: flat JSON messages",
      entries: [
        { key: "canal.mq.flatMessage", value: "true" },
        { key: "canal.mq.canalBatchSize", value: "50" },
        { key: "canal.mq.canalGetTimeout", value: "100" },
        { key: "canal.mq.database.hash", value: "false" },
      ],
    },
    {
      comment: "DataHub's Kafka-compatible endpoint (SASL PLAIN with the AccessKey pair)",
      entries: [
        { key: "kafka.bootstrap.servers", value: s.kafka.bootstrapServers },
        { key: "kafka.acks", value: "all" },
        { key: "kafka.retries", value: "3" },
        { key: "kafka.max.in.flight.requests.per.connection", value: "1" },
        { key: "kafka.security.protocol", value: s.kafka.securityProtocol },
        { key: "kafka.sasl.mechanism", value: "PLAIN" },
        { key: "kafka.sasl.jaas.config", value: jaas(s.kafka.accessKeyId, s.kafka.accessKeySecret) },
      ],
    },
  ];
  return writeProperties(sections);
}

/** `conf/<destination>/instance.properties`. */
export function instanceProperties(s: CanalFilesSpec): string {
  checkSpec(s);
  const tables = [...s.tables].sort((a, b) => a.name.localeCompare(b.name));
  const sections: PropertySection[] = [
    {
      comment:
        "Generated by lib/canal/canal-files.ts from the stack config: do not edit in the container.\nSource (MySQL); the position starts at the source's current binlog position on first start",
      entries: [
        { key: "canal.instance.master.address", value: `${s.source.host}:${s.source.port}` },
        { key: "canal.instance.dbUsername", value: s.source.user },
        { key: "canal.instance.dbPassword", value: s.source.password },
        { key: "canal.instance.connectionCharset", value: "UTF-8" },
        { key: "canal.instance.gtidon", value: "false" },
        { key: "canal.instance.tsdb.enable", value: "true" },
      ],
    },
    {
      comment: "Only the realtime tables",
      entries: [
        { key: "canal.instance.filter.regex", value: tables.map((t) => tablePattern(s.source.database, t.name)).join(",") },
        { key: "canal.instance.filter.black.regex", value: "mysql\\.slave_.*" },
      ],
    },
    {
      comment: "One DataHub topic per table; every change of a primary key to one partition (shard)",
      entries: [
        { key: "canal.mq.topic", value: kafkaTopic(s.datahubProject, tables[0].topic) },
        {
          key: "canal.mq.dynamicTopic",
          value: tables.map((t) => `${kafkaTopic(s.datahubProject, t.topic)}:${tablePattern(s.source.database, t.name)}`).join(","),
        },
        { key: "canal.mq.partitionsNum", value: String(s.partitions) },
        { key: "canal.mq.partitionHash", value: tables.map((t) => `${tablePattern(s.source.database, t.name)}:${t.primaryKey.join("^")}`).join(",") },
      ],
    },
  ];
  return writeProperties(sections);
}
