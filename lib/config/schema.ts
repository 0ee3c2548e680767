/**
 * JSON Schema (draft-07, checked by ajv in strict mode) of the stack config as a
 * stack file holds it: one property per `photo-analytics:<key>`. It says what is
 * allowed and, in `description`, what each key means (units and ranges); the
 * `RawConfig` type is derived from it (raw-config.ts) and so is the config
 * reference (docs/config-reference.md, `npm run docs:config`). Defaults are not
 * here: they live in defaults.ts, merged under the user's values.
 */
import { ALERT_CHANNELS, BATCH_TIERS, SOURCE_INSTANCE_TYPES, STAGES } from "./types";
import { REALTIME_CONFIG_SCHEMA } from "./realtime-schema";
import { REGION_IDS } from "./regions";

// The realtime block is owned by lib/realtime (its own $id is dropped when embedded).
const { $id: _realtimeId, ...REALTIME_SCHEMA } = REALTIME_CONFIG_SCHEMA;
void _realtimeId;

/** A RAM role ARN (the tracking export and Scheduled SQL roles). */
export const ROLE_ARN = "^acs:ram::[0-9]+:role/[A-Za-z0-9._-]+$";

/**
 * JSON Schema (draft-07) of the extra keys, to merge into the `tracking`
 * object's `properties` in the stack config schema.
 */
export const TRACKING_EXTRA_SCHEMA_PROPERTIES = {
  alertActionPolicyId: { type: "string", minLength: 1, maxLength: 128, description: "SLS action policy the DAU alert notifies." },
  timeZone: {
    type: "string",
    pattern: "^[+-](0[0-9]|1[0-4])[0-5][0-9]$",
    description: 'UTC offset "today" and the export\'s day partitions are computed in, e.g. "+0800".',
  },
  metricsRetentionDays: {
    type: "integer",
    minimum: 1,
    maximum: 3650,
    description: "Retention of the per-minute metrics logstore of the SLS realtime engine, days (1-3650).",
  },
  scheduledSqlRoleArn: { type: "string", pattern: ROLE_ARN, description: "RAM role the realtime engine's Scheduled SQL runs as." },
  export: {
    type: "object",
    additionalProperties: false,
    description: "The T+1 export of the tracking logstore into MaxCompute.",
    properties: {
      enabled: { type: "boolean", description: "Ship the tracking events into MaxCompute." },
      table: {
        type: "string",
        pattern: "^[a-z][a-z0-9_]{0,127}$",
        description: "MaxCompute table the export writes (created by the stack, partitioned by day).",
      },
      bufferIntervalSeconds: { type: "integer", enum: [1800, 3600], description: "Partition-time granularity of the export, seconds: 1800 or 3600." },
      roleArn: { type: "string", pattern: ROLE_ARN, description: "RAM role SLS assumes to read the logstore and write MaxCompute." },
    },
  },
} as const;

const identifier = { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,63}$" } as const;
const secretString = (description: string) => ({ type: "string", minLength: 1, description }) as const;
const cronString = (description: string) => ({ type: "string", minLength: 1, description }) as const;

/**
 * The schema of every `photo-analytics:*` key, but for `cost`, whose schema the cost model owns: the
 * full schema the config is validated with is lib/stack/schema.ts's `CONFIG_SCHEMA`.
 */
export const CONFIG_CORE_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  additionalProperties: false,
  required: ["stage", "source", "warehouse", "dataworks"],
  properties: {
    stage: { type: "string", enum: [...STAGES], description: "Which layers exist (stage catalog): initial = daily, growth = + hourly, mature = + realtime." },
    source: {
      type: "object",
      additionalProperties: false,
      required: ["host", "user"],
      description: "The MySQL source.",
      properties: {
        host: {
          type: "string",
          minLength: 1,
          maxLength: 255,
          pattern: "^[A-Za-z0-9.:_-]+$",
          description: "Host name or IP that DTS and DataWorks connect to (for RDS: the instance's internal endpoint).",
        },
        port: { type: "integer", minimum: 1, maximum: 65535, description: "MySQL port (1-65535)." },
        database: { type: "string", pattern: "^[A-Za-z0-9_$]{1,64}$", description: "Source database." },
        user: { type: "string", minLength: 1, maxLength: 32, description: "The sync account (DTS / DataWorks); its password is the secret sourcePassword." },
        instanceType: { type: "string", enum: [...SOURCE_INSTANCE_TYPES], description: "How DTS reaches the source (DTS sourceEndpointInstanceType)." },
        instanceId: {
          type: "string",
          pattern: "^(rm|i|pgm|dg)-[a-z0-9]+$",
          description: "RDS (rm-...), ECS (i-...) or gateway instance id; required for RDS and ECS.",
        },
        region: {
          type: "string",
          enum: [...REGION_IDS],
          description: "Region of the source: an Alibaba Cloud region id, as `alicloud:region` (lib/config/regions.ts).",
        },
        vpcId: { type: "string", pattern: "^vpc-[a-z0-9]+$", description: "VPC connected to the source; required for EXPRESS (VPN / Express Connect)." },
        schemaFile: { type: "string", minLength: 1, description: "Schema snapshot the warehouse tables are derived from, relative to the project root." },
        manageAccount: {
          type: "object",
          additionalProperties: false,
          description:
            "Create and keep the sync account on a self-managed source (admin credentials: SOURCE_ADMIN_USER / SOURCE_ADMIN_PASSWORD where pulumi up runs). Absent: the account is managed by hand.",
          properties: {
            adminHost: {
              type: "string",
              minLength: 1,
              maxLength: 255,
              pattern: "^[A-Za-z0-9.:_-]+$",
              description: "Host the admin connection uses from where pulumi up runs.",
            },
            adminPort: { type: "integer", minimum: 1, maximum: 65535, description: "Port of the admin connection." },
            accountHost: { type: "string", minLength: 1, maxLength: 255, pattern: "^[A-Za-z0-9.%_:-]+$", description: "Host pattern of the sync account." },
          },
        },
      },
    },
    tables: {
      type: "array",
      minItems: 1,
      maxItems: 5000,
      description: "The synced tables (1-5000); each overrides the stage catalog's tier and realtime set.",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name"],
        properties: {
          name: { ...identifier, description: "Source table name." },
          primaryKey: { type: "array", minItems: 1, items: identifier, description: "Primary key columns." },
          incrementalColumn: {
            ...identifier,
            description: "Column that grows on insert/update (DATETIME, TIMESTAMP, DATE or integer), for incremental loads; required for hourly tables.",
          },
          tier: { type: "string", enum: [...BATCH_TIERS], description: "Batch tier in this stage (every table is also kept daily)." },
          realtime: { type: "boolean", description: "In the realtime set (synced by the realtime layer whenever it is on)." },
        },
      },
    },
    warehouse: {
      type: "object",
      additionalProperties: false,
      required: ["projectName"],
      description: "MaxCompute.",
      properties: {
        // MaxCompute project names: 3-28 characters, letters, digits and underscores, starting with a letter.
        projectName: {
          type: "string",
          pattern: "^[a-z][a-z0-9_]{2,27}$",
          description: "MaxCompute project name: 3-28 characters, lower-case letters, digits and _, starting with a letter; globally unique.",
        },
        lifecycleDays: {
          type: "integer",
          minimum: 1,
          maximum: 37231,
          description:
            "Lifecycle of the ODS and events tables' partitions, days (1-37231). A change reaches existing tables with ALTER TABLE ... SET LIFECYCLE; pin tablesCreatedWithLifecycleDays first (docs/maxcompute-schema-changes.md).",
        },
        tablesCreatedWithLifecycleDays: {
          type: "integer",
          minimum: 1,
          maximum: 37231,
          description:
            "Lifecycle, days, the ROS templates create the tables with (ALIYUN::MaxCompute::Table Lifecycle, not editable in ROS). Never change it once tables exist; set it to the current lifecycleDays before changing lifecycleDays.",
        },
        timezone: { type: "string", pattern: "^[A-Za-z]+(/[A-Za-z_+-]+)*$", description: "Project time zone (IANA)." },
        quota: { type: "string", minLength: 1, description: "Compute quota." },
        tableLedgerFile: {
          type: "string",
          minLength: 1,
          description:
            "The ODS table ledger (creation-time definitions and added columns; lib/maxcompute/table-ledger.ts), relative to the project root. npm run ddl appends to it.",
        },
      },
    },
    dataworks: {
      type: "object",
      additionalProperties: false,
      required: ["resourceGroup"],
      description: "DataWorks.",
      properties: {
        workspaceName: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9_]{2,27}$", description: "DataWorks workspace name (3-28 characters)." },
        resourceGroup: {
          type: "string",
          minLength: 1,
          maxLength: 128,
          description: "Serverless resource group identifier (Serverless_res_group_...) the DI jobs run on.",
        },
        requestedCu: { type: "number", minimum: 0.5, maximum: 64, description: "Compute units each batch DI job requests (0.5-64)." },
        // Checked by the one Quartz cron parser (lib/dataworks/cron.ts), rule "dataworks-crons".
        dailyCron: cronString('Daily (T+1) load schedule, a daily Quartz cron "ss mm hh * * ?".'),
        hourlyCron: cronString('Hourly load schedule, an hourly Quartz cron "ss mm * * * ?".'),
      },
    },
    realtime: { ...REALTIME_SCHEMA, description: "The realtime layer (CDC of the realtime tables into MaxCompute)." },
    tracking: {
      type: "object",
      additionalProperties: false,
      description: "Front-end tracking on SLS.",
      properties: {
        enabled: { type: "boolean", description: "Build the tracking project and logstore." },
        // A letter first: the events table's ROS stack is named after it (ROS stack names start with a letter).
        projectName: { type: "string", pattern: "^[a-z][a-z0-9-]{1,61}[a-z0-9]$", description: "SLS project name (3-63: lower case, digits, -)." },
        // At most 55 characters: the SLS engine adds a "<logstore>_metrics" logstore (SLS allows 63).
        logstore: { type: "string", pattern: "^[a-z0-9][a-z0-9_-]{1,53}[a-z0-9]$", description: "The tracking logstore (web tracking on)." },
        retentionDays: { type: "integer", minimum: 1, maximum: 3650, description: "Retention of the tracking logstore, days (1-3650)." },
        shardCount: { type: "integer", minimum: 1, maximum: 64, description: "Shards of the tracking logstore at creation (1-64)." },
        dauFloor: { type: "integer", minimum: 0, description: "Alert when distinct users over the last hour fall below this; 0 = no alert." },
        ...TRACKING_EXTRA_SCHEMA_PROPERTIES,
      },
    },
    budget: {
      type: "object",
      additionalProperties: false,
      description: "Cost control.",
      properties: {
        monthlyCny: { type: "number", exclusiveMinimum: 0, description: "Monthly budget, CNY; the monthly-budget policy fails above it." },
      },
    },
    freshness: {
      type: "object",
      additionalProperties: false,
      description: "Freshness objectives per tier: alerted (DataWorks, DTS, SLS) and checked by npm run verify (docs/first-hour.md).",
      properties: {
        dailyDeadline: {
          type: "string",
          pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$",
          description: "T+1: yesterday's ds partition of every daily ODS table and ADS report is complete by this time, HH:mm in warehouse.timezone.",
        },
        hourlyGraceMinutes: {
          type: "integer",
          minimum: 1,
          maximum: 59,
          description: "Hourly: the previous hour's ds/hh partition is complete this many minutes past the hour (1-59).",
        },
        slsMetricsMaxAgeMinutes: {
          type: "integer",
          minimum: 1,
          maximum: 60,
          description: "Realtime on SLS: the newest per-minute metric is at most this old, minutes (1-60).",
        },
        eventsMaxAgeMinutes: {
          type: "integer",
          minimum: 1,
          maximum: 1440,
          description: "Tracking: the logstore received an event within this many minutes (1-1440).",
        },
      },
    },
    alerts: {
      type: "object",
      additionalProperties: false,
      description: "Who the freshness alerts reach (DataWorks DI alarm rules and node alert rules; DTS phones are realtime.dts.alertPhones).",
      properties: {
        channels: {
          type: "array",
          minItems: 1,
          uniqueItems: true,
          items: { type: "string", enum: [...ALERT_CHANNELS] },
          description: "Notification channels: Mail, Sms, Phone (SMS and phone calls may be billed: docs/cost-model.md).",
        },
        receiverUids: {
          type: "array",
          maxItems: 20,
          uniqueItems: true,
          items: { type: "string", pattern: "^[0-9]{6,20}$" },
          description: "Alibaba Cloud account or RAM user UIDs notified (digits); empty: only the nodes' owner.",
        },
        ownerUid: { type: "string", pattern: "^[0-9]{6,20}$", description: "Owner UID of the DataWorks node alert rules (digits)." },
        repeatIntervalMinutes: {
          type: "integer",
          minimum: 5,
          maximum: 10000,
          description: "Minimum minutes between two notifications of one alert (5-10000).",
        },
      },
    },
    // The cost model owns its schema (lib/cost/config.ts): lib/stack/schema.ts puts it here.
    cost: { type: "object", description: "Sizes and price overrides of the cost model (lib/cost/config.ts)." },
    // Secrets (SECRET_KEYS): set with "pulumi config set --secret <key>".
    sourcePassword: secretString("Password of the sync account (secret)."),
    maxcomputeAccessKeyId: secretString("AccessKey id DTS writes MaxCompute with (secret), with realtime.dts.writer accessKey only."),
    maxcomputeAccessKeySecret: secretString("AccessKey secret DTS writes MaxCompute with (secret), with realtime.dts.writer accessKey only."),
    datahubAccessKeyId: secretString("AccessKey id Canal writes DataHub's Kafka endpoint with (secret), with realtime.engine canal-datahub only."),
    datahubAccessKeySecret: secretString("AccessKey secret Canal writes DataHub's Kafka endpoint with (secret), with realtime.engine canal-datahub only."),
  },
} as const;

/** Top-level keys whose stack-file value is a string (anything else is parsed as JSON). */
export const STRING_KEYS: ReadonlySet<string> = new Set(
  Object.entries(CONFIG_CORE_SCHEMA.properties)
    .filter(([, s]) => (s as { type: string }).type === "string")
    .map(([k]) => k),
);
