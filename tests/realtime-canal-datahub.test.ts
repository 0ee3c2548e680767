/**
 * The canal-datahub engine: the Java .properties writer/parser (java.util.Properties#load rules),
 * the generated Canal files (golden files + round trip), and the DataHub Connector dynamic
 * resource against a fake DataHub (create -> read -> diff = no change; drift; delete).
 * Sources: alibaba/canal CanalKafkaProducer.java @ 049d6368b6606a8e99e3e9b2ce39dbf5baa5af7e (kafka.*
 * pass-through); aliyun-datahub-sdk-python datahub/auth/aliyun_account.py @ 16db73c8 (signature),
 * datahub/implement.py + models/params.py (connector calls).
 */
import * as fs from "fs";
import * as path from "path";
import { parseProperties, writeProperties } from "../lib/canal/properties";
import { CanalFilesSpec, canalProperties, instanceProperties } from "../lib/canal/canal-files";
import { DatahubConnectorProvider, DatahubConnectorInputs, connectorDiff } from "../providers/datahub/connector";
import { FakeDatahub } from "./support/fake-datahub";
import { FakeMaxCompute } from "./support/fake-maxcompute";
import { datahubFieldType } from "../lib/datahub/realtime-topics";

const GOLDEN = path.join(__dirname, "golden", "canal");
const golden = (name: string, text: string) => {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, text);
  expect(text).toBe(fs.readFileSync(file, "utf8"));
};

describe("Java .properties", () => {
  it.each([
    ["plain", "v"],
    ["leading spaces and trailing space ", "  two "],
    ["separators", "a=b:c#d!e"],
    ["backslashes and regex", "photo_assistant\\.users,mysql\\.slave_.*"],
    ["control and unicode", "tab\there\nnew line 中文 é"],
    ["jaas", 'org.apache.kafka.common.security.plain.PlainLoginModule required username="AK" password="p\\"w";'],
  ])("round-trips a value with %s", (_what, value) => {
    const text = writeProperties([{ entries: [{ key: "k.1", value }] }]);
    expect(parseProperties(text).get("k.1")).toBe(value);
  });

  it("reads what the JVM reads: comments, ':' and whitespace separators, continuation lines", () => {
    const p = parseProperties("# c\n! c\n  a = 1\nb:2\nc 3\nd=x\\\n    y\ne\\ f=g\n");
    expect([...p.entries()]).toEqual([
      ["a", "1"],
      ["b", "2"],
      ["c", "3"],
      ["d", "xy"],
      ["e f", "g"],
    ]);
  });

  it("fails when a key is written twice (the JVM would keep only the last)", () => {
    expect(() => writeProperties([{ entries: [{ key: "a", value: "1" }] }, { entries: [{ key: "a", value: "2" }] }])).toThrow(/written twice/);
  });
});

const SPEC: CanalFilesSpec = {
  destination: "photo_assistant",
  source: { host: "rm-abc.mysql.rds.aliyuncs.com", port: 3306, database: "photo_assistant", user: "sync", password: "s3cr=t#1" },
  tables: [
    { name: "users", primaryKey: ["id"], topic: "users" },
    { name: "page_views", primaryKey: ["id"], topic: "page_views" },
  ],
  datahubProject: "photo_analytics_rt",
  partitions: 1,
  kafka: { bootstrapServers: "dh-cn-shanghai-int-vpc.aliyuncs.com:9094", securityProtocol: "SASL_SSL", accessKeyId: "AKID", accessKeySecret: "AKSECRET" },
  dataDir: "/home/admin/canal-data",
};

describe("Canal files", () => {
  it("canal.properties matches its golden file and parses back to MQ mode with the durable file position store", () => {
    const text = canalProperties(SPEC);
    golden("canal.properties", text);
    const p = parseProperties(text);
    expect(p.get("canal.serverMode")).toBe("kafka");
    expect(p.get("canal.mq.flatMessage")).toBe("true");
    expect(p.get("canal.instance.global.spring.xml")).toBe("classpath:spring/file-instance.xml");
    expect(p.get("canal.file.data.dir")).toBe("/home/admin/canal-data");
    expect(p.get("kafka.sasl.jaas.config")).toBe('org.apache.kafka.common.security.plain.PlainLoginModule required username="AKID" password="AKSECRET";');
    expect(p.get("kafka.max.in.flight.requests.per.connection")).toBe("1");
  });

  it("instance.properties matches its golden file; the filter is the realtime tables only, one topic and partition hash each", () => {
    const text = instanceProperties(SPEC);
    golden("instance.properties", text);
    const p = parseProperties(text);
    expect(p.get("canal.instance.dbPassword")).toBe("s3cr=t#1");
    expect(p.get("canal.instance.filter.regex")).toBe("photo_assistant\\.page_views,photo_assistant\\.users");
    expect(p.get("canal.mq.dynamicTopic")).toBe("photo_analytics_rt.page_views:photo_assistant\\.page_views,photo_analytics_rt.users:photo_assistant\\.users");
    expect(p.get("canal.mq.partitionHash")).toBe("photo_assistant\\.page_views:id,photo_assistant\\.users:id");
  });

  it("fails when a realtime table has no primary key", () => {
    expect(() => instanceProperties({ ...SPEC, tables: [{ name: "t", primaryKey: [], topic: "t" }] })).toThrow(/no primary key/);
  });

  it("fails on a malformed Kafka endpoint, naming the key, the value and the form allowed", () => {
    expect(() => canalProperties({ ...SPEC, kafka: { ...SPEC.kafka, bootstrapServers: "dh-cn-shanghai.aliyuncs.com" } })).toThrow(
      'canal: realtime.canalDatahub.kafkaBootstrapServers is "dh-cn-shanghai.aliyuncs.com"; allowed: host:port[,host:port] (DataHub\'s Kafka endpoint)',
    );
  });
});

describe("DataHub field types (documented mapping)", () => {
  it.each([
    ["BIGINT", "BIGINT"],
    ["TINYINT", "BIGINT"],
    ["DOUBLE", "DOUBLE"],
    ["BOOLEAN", "BOOLEAN"],
    ["DATETIME", "TIMESTAMP"],
    ["DECIMAL(10,2)", "STRING"],
    ["DATE", "STRING"],
    ["BINARY", "STRING"],
  ])("%s -> %s", (mc, dh) => expect(datahubFieldType(mc)).toBe(dh));
});

describe("DataHub Connector dynamic resource against the fake DataHub", () => {
  let dh: FakeDatahub;
  let mc: FakeMaxCompute;
  let provider: DatahubConnectorProvider;
  let inputs: DatahubConnectorInputs;
  const env = { ...process.env };

  beforeEach(async () => {
    dh = new FakeDatahub("AKID", "s3cret");
    mc = new FakeMaxCompute("AKID", "s3cret");
    const dhEndpoint = await dh.start();
    const mcEndpoint = await mc.start();
    mc.createTable(
      "pa",
      "users_canal_log",
      [["canal_message", "string"]],
      [
        ["ds", "string"],
        ["hh", "string"],
        ["mm", "string"],
      ],
    );
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "AKID";
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "s3cret";
    provider = new DatahubConnectorProvider();
    inputs = {
      endpoint: dhEndpoint,
      project: "pa_rt",
      topic: "users",
      columnFields: ["canal_message"],
      sink: {
        Project: "pa",
        Table: "users_canal_log",
        OdpsEndpoint: mcEndpoint,
        TunnelEndpoint: "https://dt.cn-shanghai.maxcompute.aliyun.com",
        PartitionMode: "SYSTEM_TIME",
        TimeRange: 15,
        PartitionConfig: { ds: "%Y%m%d", hh: "%H", mm: "%M" },
      },
      sinkTableDdl: "CREATE TABLE IF NOT EXISTS `users_canal_log` (`canal_message` STRING);",
    };
  });
  afterEach(async () => {
    process.env = { ...env };
    await dh.stop();
    await mc.stop();
    expect([...dh.modelViolations, ...mc.modelViolations]).toEqual([]); // held to the DataHub and MaxCompute models
  });

  it("create -> read -> diff shows no change; every request is signed", async () => {
    const created = await provider.create(inputs);
    const read = await provider.read(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect((await provider.diff(created.id, read.props as never, inputs)).changes).toBe(false);
    expect(dh.requests.every((r) => r.signatureValid)).toBe(true);
    expect(dh.requests[0].body).toEqual({ Action: "Create", ColumnFields: ["canal_message"], Config: inputs.sink, SinkStartTime: -1 });
  });

  it("a sink changed in the console shows as drift, and up puts it back in place (updateconfig, no replacement)", async () => {
    const created = await provider.create(inputs);
    const c = [...dh.connectors.get("pa_rt/users")!.values()][0];
    c.config = { ...c.config, TimeRange: 60 };
    const read = await provider.read(created.id, created.outs);
    const d = await provider.diff(created.id, read.props as never, inputs);
    expect(d).toMatchObject({ changes: true, replaces: [] });
    await provider.update(created.id, read.props as never, inputs);
    expect((dh.connectors.get("pa_rt/users")!.get(c.id)!.config as { TimeRange: number }).TimeRange).toBe(15);
  });

  it("a changed topic or column fields replaces the connector", () => {
    const olds = { ...inputs, connectorId: "c1" };
    expect(connectorDiff(olds, { ...inputs, topic: "page_views" }).replaces).toEqual(["topic"]);
    expect(connectorDiff(olds, { ...inputs, columnFields: ["a"] }).replaces).toEqual(["columnFields"]);
  });

  it("delete removes the connector (twice is fine); a connector deleted by hand leaves the state on read", async () => {
    const created = await provider.create(inputs);
    await provider.delete(created.id, created.outs);
    await provider.delete(created.id, created.outs);
    expect(dh.connectors.get("pa_rt/users")!.size).toBe(0);
    expect((await provider.read(created.id, created.outs)).id).toBe("");
  });
});
