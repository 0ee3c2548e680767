/**
 * The full JSON Schema of the stack config: lib/config's core schema with the sections other
 * folders own put in their place (the cost model's `cost`). The validator, the error messages and
 * the config reference (docs/config-reference.md) read this one.
 */
import { CONFIG_CORE_SCHEMA } from "../config/schema";
import { COST_CONFIG_SCHEMA } from "../cost/config";

export const CONFIG_SCHEMA = {
  ...CONFIG_CORE_SCHEMA,
  properties: {
    ...CONFIG_CORE_SCHEMA.properties,
    cost: { ...COST_CONFIG_SCHEMA, description: CONFIG_CORE_SCHEMA.properties.cost.description },
  },
} as const;
