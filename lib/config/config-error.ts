/**
 * Config error formatting: one `Problem` per schema error, worded as the project
 * words every error (the key path, the value seen, what is allowed, a did-you-mean
 * when a close name exists), never a secret value; and `ConfigError`, which lists them.
 */
import { ErrorObject } from "ajv";
import { closest } from "./suggest";
import { Problem, show } from "./problem";
import { PROJECT, SECRET_KEYS, SECRET_PLACEHOLDER } from "./types";
import { REALTIME_PATTERN_WORDS } from "./realtime-schema";

const SECRET_SET: ReadonlySet<string> = new Set(SECRET_KEYS);
/** Keys that look like a password put in the wrong place: never echo their values. */
const SECRETISH = /pass(word)?|secret|access_?key|token|pwd/i;

/**
 * Every problem found in a stack's config. `message` lists them one per line; a message
 * found twice (e.g. by the schema and a rule) is listed once.
 */
export class ConfigError extends Error {
  /** The messages, one per problem, in the order found. */
  readonly problems: readonly string[];
  /** The problems (key, value, allowed, message). */
  readonly details: readonly Problem[];
  constructor(found: readonly Problem[]) {
    const seen = new Set<string>();
    const details = found.filter((p) => !seen.has(p.message) && seen.add(p.message));
    const problems = details.map((p) => p.message);
    super(`invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` + problems.map((p) => `  - ${p}`).join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
    this.details = details;
  }
}

/** Human descriptions of the patterns, by schema path (what is allowed, in words). */
const PATTERN_HELP: Record<string, string> = {
  "/properties/warehouse/properties/projectName":
    "3-28 characters: lower-case letters, digits and _, starting with a letter (MaxCompute project names are global)",
  "/properties/dataworks/properties/workspaceName": "3-28 characters: letters, digits and _, starting with a letter",
  "/properties/source/properties/host": "a host name or IP address",
  "/properties/source/properties/database": "1-64 characters: letters, digits, _ and $",
  "/properties/source/properties/instanceId": "an RDS (rm-...), ECS (i-...), PolarDB (pgm-...) or DG (dg-...) instance id",
  "/properties/source/properties/vpcId": "a VPC id (vpc-...)",
  "/properties/tracking/properties/projectName": "3-63 characters: lower-case letters, digits and -, starting with a letter, not ending with -",
  "/properties/tracking/properties/logstore":
    "3-55 characters: lower-case letters, digits, _ and - (the SLS engine adds <logstore>_metrics, and SLS allows 63)",
  "/properties/warehouse/properties/timezone": "an IANA time zone such as Asia/Shanghai",
  "/properties/tracking/properties/timeZone": "a UTC offset such as +0800",
  "/properties/tracking/properties/scheduledSqlRoleArn": "a RAM role ARN such as acs:ram::1234567890123456:role/aliyunlogetlrole",
  "/properties/tracking/properties/export/properties/roleArn": "a RAM role ARN such as acs:ram::1234567890123456:role/aliyunlogdefaultrole",
  "/properties/tracking/properties/export/properties/table": "a MaxCompute table name: lower-case letters, digits and _, starting with a letter",
};
for (const [k, v] of Object.entries(REALTIME_PATTERN_WORDS)) PATTERN_HELP[`/properties/realtime${k}`] = v;
const IDENTIFIER_HELP = "a MySQL identifier: letters, digits and _, not starting with a digit, at most 64 characters";

function keyPath(instancePath: string): string {
  // "/source/port" -> "photo-analytics:source.port"; "/tables/2/name" -> "photo-analytics:tables[2].name"
  const parts = instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let out = PROJECT;
  parts.forEach((p, i) => {
    if (/^\d+$/.test(p)) out += `[${p}]`;
    else out += i === 0 ? `:${p}` : `.${p}`;
  });
  return out;
}

function isSecretPath(instancePath: string): boolean {
  const top = instancePath.split("/")[1];
  return SECRET_SET.has(top);
}

/**
 * The message for a value outside a fixed list (a schema `enum`, or `alicloud:region` outside
 * lib/config/regions.ts): the key, the value seen, a did-you-mean when one is close, every allowed value.
 */
export function notOneOfMessage(at: string, seen: string, value: unknown, allowed: readonly string[]): string {
  const guess = typeof value === "string" ? closest(value, allowed) : undefined;
  return `${at}: ${seen} is not allowed; ${guess ? `did you mean "${guess}"? ` : ""}allowed values: ${allowed.map((a) => JSON.stringify(a)).join(", ")}`;
}

/** One ajv error as a problem: the key path, the value seen (never a secret) and what is allowed. */
export function formatAjvError(e: ErrorObject, data: unknown, schema: object): Problem {
  const secret = isSecretPath(e.instancePath);
  const value = secret ? undefined : valueAt(data, e.instancePath);
  return { key: keyPath(e.instancePath), ...(secret || value === undefined ? {} : { value }), message: ajvMessage(e, data, schema) };
}

function ajvMessage(e: ErrorObject, data: unknown, schema: object): string {
  const at = keyPath(e.instancePath);
  const seen = isSecretPath(e.instancePath) ? SECRET_PLACEHOLDER : show(valueAt(data, e.instancePath));
  switch (e.keyword) {
    case "additionalProperties": {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(schemaAt(schema, e.schemaPath) ?? {});
      const where = e.instancePath === "" ? `${PROJECT}:${extra}` : `${at}.${extra}`;
      const guess = closest(extra, allowed);
      let hint = guess ? `did you mean "${guess}"? ` : "";
      if (SECRETISH.test(extra)) {
        hint = `secrets go in their own keys (${SECRET_KEYS.join(", ")}), set with "pulumi config set --secret <key>"; `;
      }
      return `${where}: unknown key; ${hint}allowed keys: ${allowed.join(", ")}`;
    }
    case "required": {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const where = e.instancePath === "" ? `${PROJECT}:${missing}` : `${at}.${missing}`;
      return `${where}: required, not set`;
    }
    case "enum":
      return notOneOfMessage(at, seen, valueAt(data, e.instancePath), (e.params as { allowedValues: string[] }).allowedValues);
    case "pattern": {
      const schemaPath = e.schemaPath.replace(/^#/, "").replace(/\/pattern$/, "");
      const help = PATTERN_HELP[schemaPath] ?? (/\/(name|incrementalColumn)$|\/primaryKey\/items$/.test(schemaPath) ? IDENTIFIER_HELP : undefined);
      const pattern = (e.params as { pattern: string }).pattern;
      return `${at}: ${seen} is not allowed; expected ${help ?? "a value"} (pattern ${pattern})`;
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const s = schemaAt(schema, e.schemaPath.replace(/\/[a-zA-Z]+$/, "")) as Record<string, number>;
      const lo = s.minimum !== undefined ? `>= ${s.minimum}` : s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : undefined;
      const hi = s.maximum !== undefined ? `<= ${s.maximum}` : s.exclusiveMaximum !== undefined ? `< ${s.exclusiveMaximum}` : undefined;
      return `${at}: ${seen} is out of range; allowed: ${[lo, hi].filter(Boolean).join(" and ")}`;
    }
    case "type":
      return `${at}: ${seen} has the wrong type; expected ${(e.params as { type: string }).type}`;
    case "minLength":
    case "maxLength":
      return `${at}: ${seen} has the wrong length; ${e.keyword === "minLength" ? "at least" : "at most"} ${(e.params as { limit: number }).limit} characters allowed`;
    case "minItems":
    case "maxItems":
      return `${at}: ${e.keyword === "minItems" ? "at least" : "at most"} ${(e.params as { limit: number }).limit} items allowed, got ${(valueAt(data, e.instancePath) as unknown[]).length}`;
    case "uniqueItems":
      return `${at}: items must be unique; ${seen} repeats one`;
    default:
      return `${at}: ${seen} ${e.message ?? "is not allowed"}`;
  }
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const p of pointer.split("/").slice(1)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[p.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return cur;
}

function schemaAt(schema: object, schemaPath: string): Record<string, unknown> | undefined {
  // "#/properties/source/additionalProperties" -> properties of that object
  const parts = schemaPath.replace(/^#\/?/, "").split("/").filter(Boolean);
  let cur: unknown = schema;
  const last = parts[parts.length - 1];
  const walk = last === "additionalProperties" ? parts.slice(0, -1) : parts;
  for (const p of walk) cur = (cur as Record<string, unknown>)[p];
  if (last === "additionalProperties") return (cur as { properties: Record<string, unknown> }).properties;
  return cur as Record<string, unknown>;
}
