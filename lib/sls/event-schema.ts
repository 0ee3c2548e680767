/**
 * The tracked-event contract: one JSON Schema (`tracking-event.schema.json`) that the
 * logstore index, the dashboard/alert SQL, the MaxCompute export and the
 * browser example are all derived from or checked against. Pure: no Pulumi.
 */
import type { ErrorObject } from "ajv";
import { ValidatorSpec, validatorFor } from "../schema-validator";
import eventSchemaJson from "./tracking-event.schema.json";

/** SLS field index types the schema may ask for. */
export type SlsIndexType = "text" | "long" | "double";

/** One event field as the schema describes it. */
export interface EventField {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  /** How SLS indexes the field. */
  readonly slsIndexType: SlsIndexType;
  /** Whether the field gets an analytic (SQL) index. Defaults to true. */
  readonly analytics: boolean;
  /** Column type in the MaxCompute table the T+1 export writes. */
  readonly maxcomputeType: "STRING" | "BIGINT" | "DOUBLE";
}

/** The event JSON Schema, as data. */
export const EVENT_SCHEMA: Readonly<Record<string, unknown>> = eventSchemaJson;

/** A web-tracking POST carries at most this many logs (SLS PutLogs / web tracking limit). */
export const MAX_LOGS_PER_REQUEST = 4096;
/** A web-tracking POST body is at most this many bytes (3 MB). */
export const MAX_BYTES_PER_REQUEST = 3 * 1024 * 1024;

interface RawProperty {
  description?: string;
  "x-sls-index"?: { type: SlsIndexType; analytics?: boolean };
  "x-maxcompute-type"?: EventField["maxcomputeType"];
}

/** The event's fields in schema order. Throws if a property lacks its index or column annotation. */
export function eventFields(schema: Readonly<Record<string, unknown>> = EVENT_SCHEMA): EventField[] {
  const properties = schema.properties as Record<string, RawProperty>;
  const required = new Set((schema.required as string[]) ?? []);
  return Object.entries(properties).map(([name, p]) => {
    const index = p["x-sls-index"];
    const mcType = p["x-maxcompute-type"];
    if (!index || !["text", "long", "double"].includes(index.type)) {
      throw new Error(`event schema property "${name}": x-sls-index.type is ${JSON.stringify(index?.type)}; allowed: "text", "long", "double"`);
    }
    if (!mcType || !["STRING", "BIGINT", "DOUBLE"].includes(mcType)) {
      throw new Error(`event schema property "${name}": x-maxcompute-type is ${JSON.stringify(mcType)}; allowed: "STRING", "BIGINT", "DOUBLE"`);
    }
    return {
      name,
      description: p.description ?? "",
      required: required.has(name),
      slsIndexType: index.type,
      analytics: index.analytics ?? true,
      maxcomputeType: mcType,
    };
  });
}

// strictRequired off: the if/then `required: ["page_name"]` refers to a property defined at the top level.
const EVENT_AJV_OPTIONS = { allErrors: true, strict: true, strictRequired: false } as const;
// Annotations only: they drive the index and the export, not validation.
const EVENT_KEYWORDS = [
  { keyword: "x-sls-index", schemaType: "object" },
  { keyword: "x-maxcompute-type", schemaType: "string" },
] as const;

/** The event schema's validator (generated ahead of time by scripts/build.js; lib/schema-validator.ts). */
export const EVENT_VALIDATOR: ValidatorSpec = { id: "trackingEvent", schema: EVENT_SCHEMA, options: EVENT_AJV_OPTIONS, keywords: EVENT_KEYWORDS };

/** Result of a validation: `ok`, or the errors as readable lines. */
export interface ValidationResult {
  readonly ok: boolean;
  readonly errors: readonly string[];
}

function toLines(errors: ErrorObject[] | null | undefined, prefix: string): string[] {
  return (errors ?? []).map((e) => `${prefix}${e.instancePath || "/"} ${e.message ?? "is invalid"}${e.params ? ` (${JSON.stringify(e.params)})` : ""}`);
}

/** Validates one event (one log of a web-tracking request) against the event schema. */
export function validateEvent(event: unknown): ValidationResult {
  const compiledEvent = validatorFor(EVENT_VALIDATOR);
  const ok = compiledEvent(event) as boolean;
  return { ok, errors: ok ? [] : toLines(compiledEvent.errors, "event") };
}

/** JSON Schema of a web-tracking request body (`POST /logstores/<logstore>/track`). */
export const WEB_TRACKING_PAYLOAD_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["__logs__"],
  properties: {
    __logs__: { type: "array", minItems: 1, maxItems: MAX_LOGS_PER_REQUEST, items: { $ref: EVENT_SCHEMA.$id as string } },
    __topic__: { type: "string" },
    __source__: { type: "string" },
    __tags__: { type: "object", additionalProperties: { type: "string" } },
  },
} as const;

/** The request body's validator: the payload schema, with the event schema it refers to. */
export const WEB_TRACKING_PAYLOAD_VALIDATOR: ValidatorSpec = {
  id: "webTrackingPayload",
  schema: WEB_TRACKING_PAYLOAD_SCHEMA,
  refs: [EVENT_SCHEMA],
  options: EVENT_AJV_OPTIONS,
  keywords: EVENT_KEYWORDS,
};

/**
 * Validates a whole web-tracking request body: its byte size, its shape, the
 * log count limit and every log against the event schema.
 */
export function validateWebTrackingBody(body: string | Buffer): ValidationResult {
  const bytes = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  const errors: string[] = [];
  if (bytes > MAX_BYTES_PER_REQUEST) {
    errors.push(`body is ${bytes} bytes; a web-tracking request carries at most ${MAX_BYTES_PER_REQUEST} bytes (3 MB)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString());
  } catch (e) {
    return { ok: false, errors: [...errors, `body is not JSON: ${(e as Error).message}`] };
  }
  const compiledPayload = validatorFor(WEB_TRACKING_PAYLOAD_VALIDATOR);
  if (!compiledPayload(parsed)) errors.push(...toLines(compiledPayload.errors, "body"));
  return { ok: errors.length === 0, errors };
}
