/**
 * Stack config: raw key/value map (as Pulumi hands it to the program) ->
 * validated, defaulted `StackConfig`. Every problem is collected and reported at
 * once; nothing here registers a resource, so the program fails before any.
 */
import Ajv, { ErrorObject } from "ajv";
import { CONFIG_SCHEMA, REGION_PATTERN, STRING_KEYS } from "./schema";
import { closest } from "./suggest";
import { show } from "./problem";
import { DOMAIN_RULES, RawConfig } from "./rules";
import { PROJECT, SECRET_KEYS, SECRET_PLACEHOLDER, SecretKey, StackConfig, Stage, TableConfig, DtsInstanceClass, STAGES } from "./types";
import { DEFAULT_TABLES, defaultRealtime, defaultTier, stageHasLayer } from "./stage-catalog";
import { findTable, schemaSnapshotFile, SourceSchema } from "../source/source-schema";
import { smallestInstanceClass } from "../dts/instance-classes";
import { REALTIME_PATTERN_WORDS } from "./realtime-schema";
import { checkRealtimeRules } from "../dts/realtime-rules";
import { resolveTrackingExtra, trackingRuleErrors } from "../sls/tracking-config";

/** The tracking keys owned by lib/tracking/config.ts (everything but the core ones). */
function trackingExtraOf(t: RawConfig["tracking"]): Parameters<typeof resolveTrackingExtra>[0] {
  if (!t) return {};
  const { enabled: _e, projectName: _p, logstore: _l, retentionDays: _r, shardCount: _s, dauFloor: _d, ...extra } = t;
  void [_e, _p, _l, _r, _s, _d];
  return extra as Parameters<typeof resolveTrackingExtra>[0];
}

/** Every problem found in a stack's config. `message` lists them one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` + problems.map((p) => `  - ${p}`).join("\n"));
    this.name = "ConfigError";
  }
}

/** What the program (or the offline plan) hands to `loadConfig`. */
export interface ConfigInput {
  /** Every config value, keyed `namespace:key`, values as Pulumi stores them (objects as JSON text). */
  readonly values: Readonly<Record<string, string>>;
  /** Keys (`namespace:key`) whose values are secrets. */
  readonly secretKeys: ReadonlySet<string>;
}

/**
 * Reads the source schema snapshot the config names (`source.schemaFile`, a path relative
 * to the project root): the edges pass project-files.ts `snapshotReader`, tests a fixture.
 * Throws an error naming the file when it cannot be read.
 */
export type SnapshotReader = (file: string) => SourceSchema;

const PREFIX = `${PROJECT}:`;
const SECRET_SET: ReadonlySet<string> = new Set(SECRET_KEYS);
/** Keys that look like a password put in the wrong place: never echo their values. */
const SECRETISH = /pass(word)?|secret|access_?key|token|pwd/i;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateSchema = ajv.compile(CONFIG_SCHEMA);

/** Human descriptions of the patterns, by schema path (what is allowed, in words). */
const PATTERN_HELP: Record<string, string> = {
  "/properties/warehouse/properties/projectName":
    "3-28 characters: lower-case letters, digits and _, starting with a letter (MaxCompute project names are global)",
  "/properties/dataworks/properties/workspaceName": "3-28 characters: letters, digits and _, starting with a letter",
  "/properties/source/properties/host": "a host name or IP address",
  "/properties/source/properties/database": "1-64 characters: letters, digits, _ and $",
  "/properties/source/properties/instanceId": "an RDS (rm-...), ECS (i-...), PolarDB (pgm-...) or DG (dg-...) instance id",
  "/properties/source/properties/region": "an Alibaba Cloud region id such as cn-shanghai",
  "/properties/source/properties/vpcId": "a VPC id (vpc-...)",
  "/properties/dataworks/properties/dailyCron": 'a Quartz cron expression of 6 or 7 fields, e.g. "00 30 00 * * ?"',
  "/properties/dataworks/properties/hourlyCron": 'a Quartz cron expression of 6 or 7 fields, e.g. "00 05 * * * ?"',
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

function formatAjvError(e: ErrorObject, data: unknown): string {
  const at = keyPath(e.instancePath);
  const seen = isSecretPath(e.instancePath) ? SECRET_PLACEHOLDER : show(valueAt(data, e.instancePath));
  switch (e.keyword) {
    case "additionalProperties": {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(schemaAt(e.schemaPath) ?? {});
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
    case "enum": {
      const allowed = (e.params as { allowedValues: string[] }).allowedValues;
      const value = valueAt(data, e.instancePath);
      const guess = typeof value === "string" ? closest(value, allowed) : undefined;
      return `${at}: ${seen} is not allowed; ${guess ? `did you mean "${guess}"? ` : ""}allowed values: ${allowed.map((a) => JSON.stringify(a)).join(", ")}`;
    }
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
      const s = schemaAt(e.schemaPath.replace(/\/[a-zA-Z]+$/, "")) as Record<string, number>;
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

function schemaAt(schemaPath: string): Record<string, unknown> | undefined {
  // "#/properties/source/additionalProperties" -> properties of that object
  const parts = schemaPath.replace(/^#\/?/, "").split("/").filter(Boolean);
  let cur: unknown = CONFIG_SCHEMA;
  const last = parts[parts.length - 1];
  const walk = last === "additionalProperties" ? parts.slice(0, -1) : parts;
  for (const p of walk) cur = (cur as Record<string, unknown>)[p];
  if (last === "additionalProperties") return (cur as { properties: Record<string, unknown> }).properties;
  return cur as Record<string, unknown>;
}

/**
 * Parses the raw map into the stack-file document the schema describes.
 * Secret values are never kept: they become "[secret]".
 */
function toDocument(input: ConfigInput, problems: string[]): RawConfig {
  const doc: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(input.values)) {
    if (!fullKey.startsWith(PREFIX)) continue;
    const key = fullKey.slice(PREFIX.length);
    if (SECRET_SET.has(key)) {
      if (!input.secretKeys.has(fullKey)) {
        problems.push(
          `${fullKey}: is stored in plain text in the stack config; a secret must be encrypted: run "pulumi config set --secret ${key} <value>" (the plain value is not shown here; remove it from the stack file)`,
        );
      }
      doc[key] = SECRET_PLACEHOLDER;
      continue;
    }
    if (STRING_KEYS.has(key)) {
      doc[key] = text;
      continue;
    }
    try {
      doc[key] = JSON.parse(text);
    } catch {
      // A plain string where an object/number is expected: let the schema report the type.
      doc[key] = text;
    }
  }
  return doc as unknown as RawConfig;
}

function resolveTables(raw: RawConfig, stage: Stage, schema: SourceSchema | undefined): TableConfig[] {
  type Spec = NonNullable<RawConfig["tables"]>[number];
  const specs: Spec[] = raw.tables ?? DEFAULT_TABLES.map((t) => ({ name: t.name, incrementalColumn: t.incrementalColumn }));
  const hourlyOn = stageHasLayer(stage, "hourly");
  return specs.map((spec) => {
    const source = schema ? findTable(schema, spec.name) : undefined;
    const fallbackIncremental = DEFAULT_TABLES.find((d) => d.name === spec.name)?.incrementalColumn;
    const tier = spec.tier ?? (hourlyOn ? defaultTier(stage, spec.name) : "daily");
    return {
      name: spec.name,
      primaryKey: spec.primaryKey ?? source?.primaryKey ?? [],
      incrementalColumn: spec.incrementalColumn ?? (raw.tables ? undefined : fallbackIncremental),
      tier,
      realtime: spec.realtime ?? defaultRealtime("mature", spec.name),
      hourlyTable: spec.tier !== undefined ? spec.tier === "hourly" : STAGES.some((s) => defaultTier(s, spec.name) === "hourly"),
    };
  });
}

/**
 * Validates and resolves a stack's config. Throws `ConfigError` listing every
 * problem (key path, value seen, what is allowed); secret values never appear.
 */
export function loadConfig(input: ConfigInput, readSnapshot: SnapshotReader): StackConfig {
  const problems: string[] = [];
  const region = input.values["alicloud:region"];
  if (region === undefined) {
    problems.push(`alicloud:region: required, not set; run "pulumi config set alicloud:region cn-shanghai" (or your region)`);
  } else if (!new RegExp(REGION_PATTERN).test(region)) {
    problems.push(`alicloud:region: ${show(region)} is not allowed; expected an Alibaba Cloud region id such as cn-shanghai`);
  }
  const raw = toDocument(input, problems);
  if (!validateSchema(raw)) {
    for (const e of validateSchema.errors ?? []) problems.push(formatAjvError(e, raw));
  }
  if (problems.length > 0) throw new ConfigError(dedupe(problems));

  const stage = raw.stage as Stage;
  const database = raw.source.database ?? "photo_assistant";
  const schemaFile = raw.source.schemaFile ?? schemaSnapshotFile(database);
  let schema: SourceSchema | undefined;
  try {
    schema = readSnapshot(schemaFile);
  } catch (e) {
    problems.push(`${PROJECT}:source.schemaFile: ${(e as Error).message}`);
  }
  const tables = resolveTables(raw, stage, schema);
  const realtimeEnabled = raw.realtime?.enabled ?? stageHasLayer(stage, "realtime");
  const peak = raw.realtime?.dts?.peakRecordsPerSecond ?? 100;
  const secretsSet = SECRET_KEYS.filter((k) => input.values[`${PREFIX}${k}`] !== undefined) as SecretKey[];
  const warehouseName = raw.warehouse.projectName;
  const config: StackConfig = {
    stage,
    region: region as string,
    source: {
      host: raw.source.host,
      port: raw.source.port ?? 3306,
      database,
      user: raw.source.user,
      instanceType: raw.source.instanceType ?? "OTHER",
      instanceId: raw.source.instanceId,
      region: raw.source.region ?? (region as string),
      vpcId: raw.source.vpcId,
      schemaFile,
      manageAccount:
        raw.source.manageAccount === undefined
          ? undefined
          : {
              adminHost: raw.source.manageAccount.adminHost ?? raw.source.host,
              adminPort: raw.source.manageAccount.adminPort ?? raw.source.port ?? 3306,
              accountHost: raw.source.manageAccount.accountHost ?? "%",
            },
    },
    tables,
    warehouse: {
      projectName: warehouseName,
      lifecycleDays: raw.warehouse.lifecycleDays ?? 365,
      timezone: raw.warehouse.timezone ?? "Asia/Shanghai",
      quota: raw.warehouse.quota ?? "os_PayAsYouGoQuota",
    },
    dataworks: {
      workspaceName: raw.dataworks.workspaceName ?? warehouseName,
      resourceGroup: raw.dataworks.resourceGroup,
      requestedCu: raw.dataworks.requestedCu ?? 2,
      dailyCron: raw.dataworks.dailyCron ?? "00 30 00 * * ?",
      hourlyCron: raw.dataworks.hourlyCron ?? "00 05 * * * ?",
    },
    realtime: {
      enabled: realtimeEnabled,
      engine: raw.realtime?.engine ?? "dts",
      dts: {
        // Above the largest class, keep "2xlarge": a realtime rule reports the rate it cannot carry.
        instanceClass: (raw.realtime?.dts?.instanceClass ?? smallestInstanceClass(peak) ?? "2xlarge") as DtsInstanceClass,
        paymentType: raw.realtime?.dts?.paymentType ?? "PayAsYouGo",
        subscriptionMonths: raw.realtime?.dts?.subscriptionMonths ?? (raw.realtime?.dts?.paymentType === "Subscription" ? 1 : undefined),
        peakRecordsPerSecond: peak,
        delayThresholdSeconds: raw.realtime?.dts?.delayThresholdSeconds ?? 10,
        alertPhones: raw.realtime?.dts?.alertPhones ?? [],
      },
    },
    tracking: {
      enabled: raw.tracking?.enabled ?? true,
      projectName: raw.tracking?.projectName ?? `${warehouseName.replace(/_/g, "-")}-tracking`,
      logstore: raw.tracking?.logstore ?? "user_events",
      retentionDays: raw.tracking?.retentionDays ?? 30,
      shardCount: raw.tracking?.shardCount ?? 2,
      dauFloor: raw.tracking?.dauFloor ?? 0,
      extra: resolveTrackingExtra(trackingExtraOf(raw.tracking)),
    },
    budget: { monthlyCny: raw.budget?.monthlyCny },
    secretsSet,
    // When the snapshot cannot be read a problem is already recorded and nothing is returned.
    sourceSchema: schema ?? { database, tables: [] },
  };
  for (const rule of DOMAIN_RULES) {
    problems.push(...rule.check({ raw, config, schema }));
  }
  problems.push(...checkRealtimeRules(config).map((p) => p.message));
  problems.push(...trackingRuleErrors(config).map((m) => `${PROJECT}:${m}`));
  if (problems.length > 0) throw new ConfigError(dedupe(problems));
  return config;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}
