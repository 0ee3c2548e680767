/** docs/config-reference.md is generated from the config schema and the defaults module. */
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { configReference, referenceRows } from "../lib/stack/reference";
import { CONFIG_SCHEMA } from "../lib/stack/schema";
import { SECRET_KEYS } from "../lib/config/types";
import { CONFIG_REFERENCE_FILE } from "../cli/config-docs";
import type { RawConfig } from "../lib/config/raw-config";

describe("config reference", () => {
  it("the committed docs/config-reference.md is the generator's output (run npm run docs:config)", () => {
    expect(fs.readFileSync(path.join(__dirname, "..", CONFIG_REFERENCE_FILE), "utf8")).toBe(configReference());
  });

  it("describes every key of the schema", () => {
    const undocumented = referenceRows()
      .filter((r) => r.description === "")
      .map((r) => r.key);
    expect(undocumented).toEqual([]);
  });

  it("lists each secret key, and shows constant defaults as JSON", () => {
    const rows = new Map(referenceRows().map((r) => [r.key, r]));
    for (const k of SECRET_KEYS) expect(rows.get(k)?.type).toBe("string (secret)");
    expect(rows.get("source.port")?.default).toBe("`3306`");
    expect(rows.get("warehouse.projectName")).toMatchObject({ required: true, default: "" });
  });
});

describe("config schema", () => {
  it("compiles under ajv strict mode with its descriptions", () => {
    expect(() => new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(CONFIG_SCHEMA)).not.toThrow();
  });

  it("names each secret key (SECRET_KEYS) as a property", () => {
    expect(Object.keys(CONFIG_SCHEMA.properties)).toEqual(expect.arrayContaining([...SECRET_KEYS]));
  });

  it("derives RawConfig (a document the schema accepts type-checks as RawConfig)", () => {
    const doc: RawConfig = {
      stage: "growth",
      source: { host: "h", user: "u", instanceType: "RDS" },
      warehouse: { projectName: "pa_test" },
      dataworks: { resourceGroup: "rg", dailyCron: "00 30 00 * * ?" },
      tables: [{ name: "users", tier: "hourly", incrementalColumn: "updated_time" }],
    };
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(CONFIG_SCHEMA);
    expect(validate(doc)).toBe(true);
  });
});
