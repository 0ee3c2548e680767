/**
 * The fakes are held to the official API models (tests/support/api-models/*.json, generated from
 * the official TypeScript SDK by tests/support/api-models/generate.ts, or written from the
 * official REST SDKs for MaxCompute and DataHub): every action a client calls has a model with
 * its source; the checker fails a request with a field the request model lacks, in another place
 * than the SDK puts it, of another type, or without a required one, and an answer with a field the
 * response model lacks or of another type; ids stay strings (19 digits do not survive Number()).
 */
import * as fs from "fs";
import * as path from "path";
import { DATAWORKS_ACTIONS, DataWorksClient } from "../providers/dataworks/client";
import { ApiInteger, parseApiJson, stringifyApiJson } from "../providers/common/json";
import { SDK_ACTIONS } from "./support/api-models/actions";
import { ApiProduct, checkRequest, checkResponse, loadModels, parseJson, stringifyJson } from "./support/api-models/check";
import { FakeDataWorks } from "./support/fake-dataworks";

const ROOT = path.join(__dirname, "..");
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");
const PRODUCTS: ApiProduct[] = ["dataworks", "dts", "sls", "flink", "bss", "maxcompute", "datahub"];

/** Actions a client sends, read from its source. */
function actionsIn(file: string): string[] {
  const text = read(file);
  const found = new Set<string>();
  for (const m of text.matchAll(/\baction: "(\w+)"/g)) found.add(m[1]);
  for (const m of text.matchAll(/\bthis\.(?:call|read|remove|request)(?:<[^>]*>)?\(\s*"(\w+)"/g)) found.add(m[1]);
  return [...found].sort();
}

describe("model files", () => {
  it.each(PRODUCTS)("%s names its source: repository, commit, files", (p) => {
    const m = loadModels(p);
    expect(m.source.repository).toMatch(/^[\w-]+\/[\w.-]+$/);
    expect(m.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(m.source.files.length).toBeGreaterThan(0);
    expect(Object.keys(m.actions).length).toBeGreaterThan(0);
    // Every model a field names is in the file.
    const refs = JSON.stringify(m).match(/"model":"(\w+)"/g) ?? [];
    for (const r of refs) expect(Object.keys(m.models)).toContain(r.slice(9, -1));
  });

  it("the SDK products' files hold exactly the actions listed for the generator, read at one commit", () => {
    const commits = new Set<string>();
    for (const [dir, spec] of Object.entries(SDK_ACTIONS)) {
      const m = JSON.parse(read(`tests/support/api-models/${spec.file}`));
      expect([dir, Object.keys(m.actions).sort()]).toEqual([dir, [...spec.actions].sort()]);
      expect(m.source.directory).toBe(`${dir}/src`);
      commits.add(m.source.commit);
    }
    expect(commits.size).toBe(1);
  });
});

describe("every action a client calls is modelled", () => {
  it.each([
    ["dataworks", "providers/dataworks/client.ts"],
    ["dts", "providers/dts/client.ts"],
    ["sls", "providers/sls/client.ts"],
    ["flink", "providers/flink/client.ts"],
    ["bss", "providers/bss/client.ts"],
    ["maxcompute", "providers/maxcompute/client.ts"],
    ["datahub", "providers/datahub/client.ts"],
  ] as [ApiProduct, string][])("%s (%s)", (product, file) => {
    const called = actionsIn(file);
    expect(called.length).toBeGreaterThan(0);
    expect(called.filter((a) => !loadModels(product).actions[a])).toEqual([]);
  });

  it("DataWorks: each action goes with the SDK's method and where the SDK puts each parameter", () => {
    const m = loadModels("dataworks");
    for (const [action, shape] of Object.entries(DATAWORKS_ACTIONS)) {
      const model = m.actions[action];
      expect([action, shape.method]).toEqual([action, model.method]);
      for (const [param, f] of Object.entries(model.request)) {
        const where = shape.in === "query" || ("query" in shape && (shape.query as readonly string[]).includes(param)) ? "query" : "body";
        expect([action, param, where]).toEqual([action, param, f.in]);
      }
    }
  });
});

describe("checker", () => {
  const dw = loadModels("dataworks");

  it("passes a request as the SDK sends it", () => {
    expect(checkRequest(dw, "CreateNode", { method: "POST", form: { ProjectId: "123", Scene: "DATAWORKS_PROJECT", Spec: "{}" } })).toEqual([]);
  });
  it("fails when the product sends a field the request model lacks", () => {
    expect(checkRequest(dw, "CreateNode", { method: "POST", form: { ProjectId: "1", Scene: "S", Spec: "{}", Owner: "me" } })).toEqual([
      expect.stringContaining("body parameter Owner is not in the request model"),
    ]);
  });
  it("fails when a parameter travels elsewhere than the SDK puts it, or with another method", () => {
    expect(checkRequest(dw, "StartDIJob", { method: "POST", form: { Id: "5" } })).toEqual([
      "StartDIJob: sent as POST, the SDK sends GET",
      "StartDIJob: Id sent in the body, the SDK sends it in the query",
    ]);
  });
  it("fails when a type differs or a required parameter is missing", () => {
    expect(checkRequest(dw, "GetPipelineRun", { method: "GET", query: { Id: "p-1", ProjectId: "abc" } })).toEqual([
      'GetPipelineRun ProjectId: string "abc", the model says number',
    ]);
    expect(checkRequest(dw, "GetPipelineRun", { method: "GET", query: { Id: "p-1" } })).toEqual(["GetPipelineRun: required parameter ProjectId not sent"]);
  });
  it("checks a JSON (shrink) parameter against the original model", () => {
    const trigger = JSON.stringify({ Type: "Error", Target: { Type: "Task", Ids: ["1"] }, Extra: 1 });
    expect(checkRequest(dw, "CreateAlertRule", { method: "POST", query: { Name: "n", Owner: "1", Enabled: "true", TriggerCondition: trigger } })).toEqual([
      'CreateAlertRule TriggerCondition.Target.Ids[0]: string "1", the model says number',
      expect.stringContaining("CreateAlertRule TriggerCondition.Extra: not a field of CreateAlertRuleRequestTriggerCondition"),
    ]);
  });
  it("fails when a fake answers a field the response model lacks, or another type", () => {
    expect(checkResponse(dw, "GetNode", { RequestId: "r", Node: { Id: "7000000000000000001", Name: "n", Spec: "{}" } })).toEqual([]);
    expect(checkResponse(dw, "GetNode", { RequestId: "r", Node: { Id: "1", Color: "red" } })).toEqual([
      expect.stringContaining("GetNode answer.Node.Color: not a field of GetNodeResponseBodyNode"),
    ]);
    expect(checkResponse(dw, "GetNode", { RequestId: "r", Node: { Id: 7 } })).toEqual(["GetNode answer.Node.Id: number 7, the model says string"]);
  });
  it("MaxCompute (XML, pyodps): an element the model lacks, a second of a single element, the table Schema's JSON", () => {
    const mc = loadModels("maxcompute");
    const schema = JSON.stringify({ columns: [{ name: "id", type: "bigint", comment: "" }], partitionKeys: [], lifecycle: 30 });
    expect(checkResponse(mc, "GetTable", `<Table><Name>t</Name><Schema><![CDATA[${schema}]]></Schema></Table>`)).toEqual([]);
    expect(checkResponse(mc, "GetTable", `<Table><Name>t</Name><Colour>red</Colour></Table>`)).toEqual([
      expect.stringContaining("GetTable answer.Table.Colour: not an element of Table"),
    ]);
    expect(checkResponse(mc, "GetInstance", `<Instance><Status>Running</Status><Status>Terminated</Status></Instance>`)).toEqual([
      "GetInstance answer.Instance.Status: 2 elements, the model says one",
    ]);
    const bad = JSON.stringify({ columns: [{ name: "id", kind: "bigint" }] });
    expect(checkResponse(mc, "GetTable", `<Table><Schema><![CDATA[${bad}]]></Schema></Table>`)).toEqual([
      expect.stringContaining("GetTable answer.Table.Schema.columns[0].kind: not a field of TableColumn"),
    ]);
  });
  it("DataHub (REST, Python SDK): an answer without what the SDK reads without a default fails", () => {
    const dh = loadModels("datahub");
    const config = { PartitionMode: "SYSTEM_TIME", PartitionConfig: '[{"key":"ds","value":"%Y%m%d"}]' };
    expect(checkResponse(dh, "GetConnector", { Type: "sink_odps", State: "CONNECTOR_RUNNING", Config: config, ShardContexts: [] })).toEqual([]);
    expect(checkResponse(dh, "GetConnector", { ConnectorId: "c1", State: "CONNECTOR_RUNNING", Config: config })).toEqual([
      "GetConnector answer.Type: required by GetConnectorResult, not sent",
      "GetConnector answer.ShardContexts: required by GetConnectorResult, not sent",
    ]);
  });
  it("fails an integer beyond 2^53 written as a JSON number from a double (its digits are gone)", () => {
    // What a fake writing Number("7000000000000000001") would send.
    expect(checkResponse(dw, "GetDIJob", { PagingInfo: { Id: Number("7000000000000000001") } })).toEqual([
      "GetDIJob answer.PagingInfo.Id: 7000000000000000000 is an integer beyond 2^53 (digits lost); a JSON client cannot read it back",
    ]);
  });
});

describe("ids stay strings", () => {
  const ID = "7000000000000000001";

  it("a 19-digit id does not survive Number() or JSON.parse", () => {
    expect(String(Number(ID))).not.toBe(ID);
    expect(String(JSON.parse(`{"Id":${ID}}`).Id)).not.toBe(ID);
  });
  it("the clients read it as its digits and write it as a JSON number from its digits", () => {
    expect((parseApiJson(`{"Ids":[${ID}, 12], "Name":"a 123456789012345678901 b"}`) as { Ids: unknown[] }).Ids).toEqual([ID, 12]);
    expect(parseApiJson(`{"Name":"x ${ID}"}`)).toEqual({ Name: `x ${ID}` });
    expect(stringifyApiJson({ Ids: [new ApiInteger(ID)], Type: "Task" })).toBe(`{"Ids":[${ID}],"Type":"Task"}`);
    expect(() => new ApiInteger("12a")).toThrow('"12a" is not an integer id');
  });
  it("the fakes read and write it without losing digits", () => {
    expect(stringifyJson(parseJson(`{"Ids":[${ID}]}`))).toBe(`{"Ids":[${ID}]}`);
  });
  it("a node created in the fake DataWorks reads back with the same 19-digit id", async () => {
    const fake = new FakeDataWorks("LTAI-models", "models-secret");
    const url = await fake.start();
    try {
      const client = new DataWorksClient({
        region: "cn-shanghai",
        credentials: { accessKeyId: "LTAI-models", accessKeySecret: "models-secret" },
        env: { PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: url },
      });
      const spec = JSON.stringify({ version: "1.1.0", kind: "Node", spec: { nodes: [{ name: "n1", script: { runtime: { command: "ODPS_SQL" } } }] } });
      const id = await client.createNode({ projectId: "4711", spec, scene: "DATAWORKS_PROJECT" });
      expect(id).toMatch(/^\d{19}$/);
      expect((await client.getNode({ projectId: "4711", id }))?.id).toBe(id);
      expect(await client.listNodesByName({ projectId: "4711", name: "n1" })).toEqual([expect.objectContaining({ id })]);
    } finally {
      await fake.stop();
    }
    expect(fake.modelViolations).toEqual([]);
  });
});
