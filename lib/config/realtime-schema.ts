/**
 * JSON Schema (draft-07, ajv) of the `photo-analytics:realtime` config value,
 * for the lead's config schema to reference: the stack-file edge check. Domain
 * rules over the resolved config live in rules.ts. Pure: no Pulumi imports.
 */
import { DTS_INSTANCE_CLASSES, DTS_WRITER_MODES, REALTIME_ENGINES } from "./types";
import { DTS_MAX_RPS } from "./dts-instance-classes";
import { MINUTE_CRON_INTERVALS } from "./cron";

/** Delay alarm bounds, seconds (DTS recommends 10 s or more to ride out network jitter). */
export const DELAY_THRESHOLD_MIN_SECONDS = 1;
export const DELAY_THRESHOLD_MAX_SECONDS = 3600;
/** DTS alarm phones: mainland China mobile numbers only, at most 10 (job and monitor rule docs). */
export const ALERT_PHONE_PATTERN = /^1[3-9][0-9]{9}$/;
export const ALERT_PHONES_MAX = 10;

/** Subscription lengths DTS sells, in months (1-9 monthly, then 1, 2, 3 or 5 years). */
export const DTS_SUBSCRIPTION_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 60] as const;

/** Schema of `photo-analytics:realtime`. */
export const REALTIME_CONFIG_SCHEMA = {
  $id: "photo-analytics/realtime",
  type: "object",
  additionalProperties: false,
  properties: {
    enabled: { type: "boolean", description: "Whether the realtime layer exists now." },
    engine: { type: "string", enum: [...REALTIME_ENGINES], description: "Realtime engine; dts, sls and dataworks-flink build resources today." },
    metrics: {
      type: "object",
      additionalProperties: false,
      description:
        "The realtime metrics (rt_* tables) on the dts and canal-datahub engines: one DataWorks node refreshes them on a minute schedule, SLS imports them (docs/realtime.md).",
      properties: {
        intervalMinutes: {
          type: "integer",
          enum: [...MINUTE_CRON_INTERVALS],
          description: `Minutes between two refreshes of the rt_* tables (and SLS imports): an interval DataWorks' minute scheduling accepts (${MINUTE_CRON_INTERVALS.join(", ")}).`,
        },
      },
    },
    alerts: {
      type: "object",
      additionalProperties: false,
      description:
        "SLS alerts on the realtime metrics (dts, canal-datahub), notified through the SLS action policy tracking.alertActionPolicyId, as the DAU alert; the rt_metrics node itself fails to alerts.* (docs/realtime.md).",
      properties: {
        dauDropPercent: {
          type: "integer",
          minimum: 1,
          maximum: 100,
          description: "Alert when today's DAU so far is more than this many percent below yesterday's at the same time (1-100).",
        },
        conversionFloorPercent: {
          type: "number",
          minimum: 0,
          maximum: 100,
          description:
            "Alert when today's conversion rate (the funnel's least-visited page, percent of the busiest page's users) falls below this (0-100; 0: no alert).",
        },
        minDau: {
          type: "integer",
          minimum: 1,
          description:
            "The DAU and conversion alerts judge only when the DAU compared (yesterday's at this time, resp. today's) is at least this: a quiet night does not page.",
        },
      },
    },
    canalDatahub: {
      type: "object",
      additionalProperties: false,
      description:
        "The canal-datahub engine: Canal in an ECI container -> DataHub topics (Kafka endpoint) -> MaxCompute connectors (docs/realtime-canal-datahub.md).",
      properties: {
        shardCount: { type: "integer", minimum: 1, maximum: 10, description: "Shards (Kafka partitions) per topic, 1-10. Changing it replaces the topics." },
        lifecycleDays: { type: "integer", minimum: 1, maximum: 7, description: "Days DataHub keeps a topic's records, 1-7." },
        kafkaBootstrapServers: {
          type: "string",
          pattern: "^[^:\\s,]+:[0-9]+(,[^:\\s,]+:[0-9]+)*$",
          description: "DataHub's Kafka endpoint for the region, host:port (DataHub 'Kafka compatibility' page).",
        },
        kafkaSecurityProtocol: { type: "string", enum: ["SASL_SSL", "SASL_PLAINTEXT"], description: "Kafka security protocol of the endpoint." },
        image: { type: "string", minLength: 1, description: "Canal server image built from DataHub's Canal package (keeps '.' in topic names)." },
        vswitchId: { type: "string", pattern: "^vsw-[a-z0-9]+$", description: "vSwitch in the source's VPC the Canal container runs in." },
        securityGroupId: { type: "string", pattern: "^sg-[a-z0-9]+$", description: "Security group of the Canal container (must reach MySQL)." },
        nasServer: { type: "string", minLength: 1, description: "NAS mount target holding Canal's binlog positions (durable across restarts)." },
        nasPath: { type: "string", pattern: "^/", description: "Directory on the NAS file system." },
        cpu: { type: "number", enum: [0.25, 0.5, 1, 2, 4], description: "vCPUs of the Canal container (ECI)." },
        memoryGiB: { type: "number", minimum: 0.5, maximum: 16, description: "Memory of the Canal container, GiB (ECI)." },
      },
    },
    dts: {
      type: "object",
      additionalProperties: false,
      description: "The DTS engine: CDC of the realtime tables into MaxCompute.",
      properties: {
        instanceClass: {
          type: "string",
          enum: [...DTS_INSTANCE_CLASSES],
          description: "DTS synchronization instance class.",
        },
        paymentType: {
          type: "string",
          enum: ["PayAsYouGo", "Subscription"],
          description: "How DTS is billed; pay-as-you-go lets the layer be removed after an event.",
        },
        subscriptionMonths: {
          type: "integer",
          enum: [...DTS_SUBSCRIPTION_MONTHS],
          description: "Length of a Subscription purchase, in months (1-9, 12, 24, 36, 60). Only with paymentType Subscription.",
        },
        peakRecordsPerSecond: {
          type: "integer",
          minimum: 1,
          maximum: DTS_MAX_RPS,
          description: `Expected peak change rate of the realtime tables, records per second (1-${DTS_MAX_RPS}).`,
        },
        delayThresholdSeconds: {
          type: "integer",
          minimum: DELAY_THRESHOLD_MIN_SECONDS,
          maximum: DELAY_THRESHOLD_MAX_SECONDS,
          description: `Delay alarm threshold, seconds (${DELAY_THRESHOLD_MIN_SECONDS}-${DELAY_THRESHOLD_MAX_SECONDS}).`,
        },
        writer: {
          type: "string",
          enum: [...DTS_WRITER_MODES],
          description:
            "Who DTS writes MaxCompute as: managed = a RAM user the stack creates, with a MaxCompute role on DTS's own tables and a stack-managed AccessKey; accessKey = the pair in maxcomputeAccessKeyId/maxcomputeAccessKeySecret (docs/realtime-dts.md).",
        },
        writerKeyGeneration: {
          type: "integer",
          minimum: 1,
          description:
            "Generation of the managed writer's AccessKey new DTS jobs get (1, 2, ...). Raising it creates a new key and keeps the previous one (rotation: docs/realtime-dts.md).",
        },
        retiredWriterKeyGeneration: {
          type: "integer",
          minimum: 0,
          description:
            "Managed writer keys up to this generation are deleted: set it to the previous generation once the running DTS job uses the new key (0: none retired).",
        },
        alertPhones: {
          type: "array",
          maxItems: ALERT_PHONES_MAX,
          uniqueItems: true,
          items: { type: "string", pattern: "^1[3-9][0-9]{9}$" },
          description: "Mainland China mobile numbers (at most 10) notified of delay and errors.",
        },
      },
    },
    flink: {
      type: "object",
      additionalProperties: false,
      description: "The dataworks-flink engine: DataWorks realtime DI into <table>_realtime Delta tables, and Flink SQL metrics (docs/realtime-engines.md).",
      properties: {
        vpcId: {
          type: "string",
          pattern: "^vpc-[a-z0-9]+$",
          description: "VPC of the Flink workspace (required with engine dataworks-flink; a change replaces the workspace).",
        },
        vswitchIds: {
          type: "array",
          minItems: 1,
          uniqueItems: true,
          items: { type: "string", pattern: "^vsw-[a-z0-9]+$" },
          description: "vSwitches of the Flink workspace, in zoneId (required with engine dataworks-flink).",
        },
        zoneId: {
          type: "string",
          pattern: "^[a-z]+-[a-z0-9-]+$",
          description: "Zone of the Flink workspace, e.g. cn-shanghai-l (required with engine dataworks-flink).",
        },
        ossBucket: {
          type: "string",
          pattern: "^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$",
          description:
            "Existing OSS bucket for the workspace's checkpoints and savepoints (required with engine dataworks-flink; never created or emptied by the stack).",
        },
        paymentType: {
          type: "string",
          enum: ["PayAsYouGo", "Subscription"],
          description: "How the Flink workspace is billed; PayAsYouGo lets the engine be removed after an event.",
        },
        cu: { type: "integer", minimum: 1, maximum: 1000, description: "Compute units of the Flink workspace (1 CU = 1 core + 4 GiB)." },
        parallelism: { type: "integer", minimum: 1, maximum: 64, description: "Parallelism of the metrics job." },
        engineVersion: { type: "string", pattern: "^vvr-", description: "VVR engine version of the metrics deployment, e.g. vvr-8.0.11-flink-1.17." },
        diRequestedCu: { type: "number", minimum: 0.5, maximum: 64, description: "Compute units of the realtime DI job." },
        delayThresholdSeconds: {
          type: "integer",
          minimum: 60,
          maximum: 86400,
          description: "Delay alarm threshold of the realtime DI job, seconds (60-86400).",
        },
      },
    },
  },
} as const;

/** What each pattern allows, in words, by schema path (for error messages). */
export const REALTIME_PATTERN_WORDS: Readonly<Record<string, string>> = {
  "/properties/dts/properties/alertPhones/items": "an 11-digit mainland China mobile number (1[3-9]xxxxxxxxx, no +86, spaces or dashes)",
};
