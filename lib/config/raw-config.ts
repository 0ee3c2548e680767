/**
 * The stack-file document after the schema accepted it: derived from the JSON
 * Schema (schema.ts) with json-schema-to-ts, so the type and what ajv checks
 * cannot drift apart.
 */
import type { FromSchema } from "json-schema-to-ts";
import type { CONFIG_CORE_SCHEMA } from "./schema";

/** The stack-file document (`photo-analytics:*` keys), as the schema allows it; defaults not applied. */
export type RawConfig = FromSchema<typeof CONFIG_CORE_SCHEMA>;
