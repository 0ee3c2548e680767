/**
 * JSON Schema (draft-07, checked by ajv) of the stack config as a stack file
 * holds it: one property per `photo-analytics:<key>`. Defaults are not applied
 * here (see `load.ts` and the stage catalog); this says only what is allowed.
 */
import { BATCH_TIERS, SECRET_KEYS, SOURCE_INSTANCE_TYPES, STAGES } from "./types";
import { REALTIME_CONFIG_SCHEMA } from "./realtime-schema";
import { COST_CONFIG_SCHEMA } from "../cost/config";
import { TRACKING_EXTRA_SCHEMA_PROPERTIES } from "../sls/tracking-config";

// The realtime block is owned by lib/realtime (its own $id is dropped when embedded).
const { $id: _realtimeId, ...REALTIME_SCHEMA } = REALTIME_CONFIG_SCHEMA;
void _realtimeId;

const identifier = { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,63}$" } as const;
const secretString = { type: "string", minLength: 1 } as const;

export const REGION_PATTERN = "^[a-z]{2}(-[a-z0-9]+)+$";

/** The schema of every `photo-analytics:*` key. */
export const CONFIG_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  additionalProperties: false,
  required: ["stage", "source", "warehouse", "dataworks"],
  properties: {
    stage: { type: "string", enum: [...STAGES] },
    source: {
      type: "object",
      additionalProperties: false,
      required: ["host", "user"],
      properties: {
        host: { type: "string", minLength: 1, maxLength: 255, pattern: "^[A-Za-z0-9.:_-]+$" },
        port: { type: "integer", minimum: 1, maximum: 65535 },
        database: { type: "string", pattern: "^[A-Za-z0-9_$]{1,64}$" },
        user: { type: "string", minLength: 1, maxLength: 32 },
        instanceType: { type: "string", enum: [...SOURCE_INSTANCE_TYPES] },
        instanceId: { type: "string", pattern: "^(rm|i|pgm|dg)-[a-z0-9]+$" },
        region: { type: "string", pattern: REGION_PATTERN },
        vpcId: { type: "string", pattern: "^vpc-[a-z0-9]+$" },
        schemaFile: { type: "string", minLength: 1 },
        manageAccount: {
          type: "object",
          additionalProperties: false,
          properties: {
            adminHost: { type: "string", minLength: 1, maxLength: 255, pattern: "^[A-Za-z0-9.:_-]+$" },
            adminPort: { type: "integer", minimum: 1, maximum: 65535 },
            accountHost: { type: "string", minLength: 1, maxLength: 255, pattern: "^[A-Za-z0-9.%_:-]+$" },
          },
        },
      },
    },
    tables: {
      type: "array",
      minItems: 1,
      maxItems: 5000,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name"],
        properties: {
          name: identifier,
          primaryKey: { type: "array", minItems: 1, items: identifier },
          incrementalColumn: identifier,
          tier: { type: "string", enum: [...BATCH_TIERS] },
          realtime: { type: "boolean" },
        },
      },
    },
    warehouse: {
      type: "object",
      additionalProperties: false,
      required: ["projectName"],
      properties: {
        // MaxCompute project names: 3-28 characters, letters, digits and underscores, starting with a letter.
        projectName: { type: "string", pattern: "^[a-z][a-z0-9_]{2,27}$" },
        lifecycleDays: { type: "integer", minimum: 1, maximum: 37231 },
        timezone: { type: "string", pattern: "^[A-Za-z]+(/[A-Za-z_+-]+)*$" },
        quota: { type: "string", minLength: 1 },
      },
    },
    dataworks: {
      type: "object",
      additionalProperties: false,
      required: ["resourceGroup"],
      properties: {
        workspaceName: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9_]{2,27}$" },
        resourceGroup: { type: "string", minLength: 1, maxLength: 128 },
        requestedCu: { type: "number", minimum: 0.5, maximum: 64 },
        dailyCron: { type: "string", pattern: "^\\S+( \\S+){5,6}$" },
        hourlyCron: { type: "string", pattern: "^\\S+( \\S+){5,6}$" },
      },
    },
    realtime: REALTIME_SCHEMA,
    tracking: {
      type: "object",
      additionalProperties: false,
      properties: {
        enabled: { type: "boolean" },
        // A letter first: the events table's ROS stack is named after it (ROS stack names start with a letter).
        projectName: { type: "string", pattern: "^[a-z][a-z0-9-]{1,61}[a-z0-9]$" },
        // At most 55 characters: the SLS engine adds a "<logstore>_metrics" logstore (SLS allows 63).
        logstore: { type: "string", pattern: "^[a-z0-9][a-z0-9_-]{1,53}[a-z0-9]$" },
        retentionDays: { type: "integer", minimum: 1, maximum: 3650 },
        shardCount: { type: "integer", minimum: 1, maximum: 64 },
        dauFloor: { type: "integer", minimum: 0 },
        ...TRACKING_EXTRA_SCHEMA_PROPERTIES,
      },
    },
    budget: {
      type: "object",
      additionalProperties: false,
      properties: {
        monthlyCny: { type: "number", exclusiveMinimum: 0 },
      },
    },
    cost: COST_CONFIG_SCHEMA,
    ...Object.fromEntries(SECRET_KEYS.map((k) => [k, secretString])),
  },
} as const;

/** Top-level keys whose stack-file value is a string (anything else is parsed as JSON). */
export const STRING_KEYS: ReadonlySet<string> = new Set(
  Object.entries(CONFIG_SCHEMA.properties)
    .filter(([, s]) => (s as { type: string }).type === "string")
    .map(([k]) => k),
);
