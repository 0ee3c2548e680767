/**
 * JSON Schema (draft-07, ajv) of the `photo-analytics:realtime` config value,
 * for the lead's config schema to reference: the stack-file edge check. Domain
 * rules over the resolved config live in rules.ts. Pure: no Pulumi imports.
 */
import { DTS_INSTANCE_CLASSES, DTS_WRITER_MODES, REALTIME_ENGINES } from "./types";
import { ALERT_PHONES_MAX, DELAY_THRESHOLD_MAX_SECONDS, DELAY_THRESHOLD_MIN_SECONDS } from "../dts/realtime-rules";
import { DTS_MAX_RPS } from "../dts/instance-classes";

/** Subscription lengths DTS sells, in months (1-9 monthly, then 1, 2, 3 or 5 years). */
export const DTS_SUBSCRIPTION_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 60] as const;

/** Schema of `photo-analytics:realtime`. */
export const REALTIME_CONFIG_SCHEMA = {
  $id: "photo-analytics/realtime",
  type: "object",
  additionalProperties: false,
  properties: {
    enabled: { type: "boolean", description: "Whether the realtime layer exists now." },
    engine: { type: "string", enum: [...REALTIME_ENGINES], description: "Realtime engine; only dts and sls build resources today." },
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
  },
} as const;

/** What each pattern allows, in words, by schema path (for error messages). */
export const REALTIME_PATTERN_WORDS: Readonly<Record<string, string>> = {
  "/properties/dts/properties/alertPhones/items": "an 11-digit mainland China mobile number (1[3-9]xxxxxxxxx, no +86, spaces or dashes)",
};
