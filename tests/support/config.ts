/** Builders of stack configs for tests: a valid base and precise mutations of it. */
import { ConfigError, ConfigInput } from "../../lib/config/load";
import { loadStackConfig } from "../../project-files";
import { PROJECT, SECRET_KEYS, SourceConfig } from "../../lib/config/types";

export const SECRET_KEYS_ALL = SECRET_KEYS.map((k) => `${PROJECT}:${k}`);

/** A resolved MySQL source for tests that build StackConfig values directly. */
export const TEST_SOURCE: SourceConfig = {
  host: "203.0.113.10",
  port: 3306,
  database: "photo_assistant",
  user: "dts_user",
  instanceType: "OTHER",
  region: "cn-shanghai",
  schemaFile: "sql/mysql/photo_assistant.schema.json",
};

/** A valid stack file document (`config:` section) as plain data. */
export function baseDoc(): Record<string, unknown> {
  return {
    "alicloud:region": "cn-shanghai",
    "photo-analytics:stage": "initial",
    "photo-analytics:source": { host: "10.0.0.5", port: 3306, database: "photo_assistant", user: "pa_sync" },
    "photo-analytics:sourcePassword": "[secret]",
    "photo-analytics:maxcomputeAccessKeyId": "[secret]",
    "photo-analytics:maxcomputeAccessKeySecret": "[secret]",
    "photo-analytics:warehouse": { projectName: "photo_analytics_test" },
    "photo-analytics:dataworks": { resourceGroup: "Serverless_res_group_test" },
  };
}

/** Turns a document into the loader's input (objects as JSON text, as Pulumi stores them). */
export function toInput(doc: Record<string, unknown>, secretKeys: string[] = SECRET_KEYS_ALL): ConfigInput {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (v === undefined) continue;
    values[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return { values, secretKeys: new Set(secretKeys.filter((k) => k in values)) };
}

/** A valid input with some keys replaced (undefined removes a key). */
export function input(overrides: Record<string, unknown> = {}, secretKeys?: string[]): ConfigInput {
  return toInput({ ...baseDoc(), ...overrides }, secretKeys);
}

/** The problems the loader reports for `i` (fails the test when it accepts the config). */
export function configProblems(i: ConfigInput): string[] {
  try {
    loadStackConfig(i);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error("expected the config to be rejected");
}
