/**
 * JSON Schema (draft-07, ajv) of the `photo-analytics:realtime` config value,
 * for the lead's config schema to reference: the stack-file edge check. Domain
 * rules over the resolved config live in rules.ts. Pure: no Pulumi imports.
 */
import { DTS_INSTANCE_CLASSES, REALTIME_ENGINES } from "./types";
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
    enabled: { type: "boolean", description: "Whether the realtime layer exists now. Defaults to true in stage mature, false otherwise." },
    engine: { type: "string", enum: [...REALTIME_ENGINES], description: 'Realtime engine. Defaults to "dts".' },
    dts: {
      type: "object",
      additionalProperties: false,
      properties: {
        instanceClass: {
          type: "string",
          enum: [...DTS_INSTANCE_CLASSES],
          description: "DTS synchronization instance class. Defaults to the smallest class that carries peakRecordsPerSecond.",
        },
        paymentType: {
          type: "string",
          enum: ["PayAsYouGo", "Subscription"],
          description: 'Defaults to "PayAsYouGo" (the layer can be removed after an event).',
        },
        subscriptionMonths: {
          type: "integer",
          enum: [...DTS_SUBSCRIPTION_MONTHS],
          description: "Length of a Subscription purchase, in months (1-9, 12, 24, 36, 60). Defaults to 1. Only with paymentType Subscription.",
        },
        peakRecordsPerSecond: {
          type: "integer",
          minimum: 1,
          maximum: DTS_MAX_RPS,
          description: `Expected peak change rate of the realtime tables, records per second (1-${DTS_MAX_RPS}). Defaults to 100.`,
        },
        delayThresholdSeconds: {
          type: "integer",
          minimum: DELAY_THRESHOLD_MIN_SECONDS,
          maximum: DELAY_THRESHOLD_MAX_SECONDS,
          description: `Delay alarm threshold, seconds (${DELAY_THRESHOLD_MIN_SECONDS}-${DELAY_THRESHOLD_MAX_SECONDS}). Defaults to 10.`,
        },
        alertPhones: {
          type: "array",
          maxItems: ALERT_PHONES_MAX,
          uniqueItems: true,
          items: { type: "string", pattern: "^1[3-9][0-9]{9}$" },
          description: "Mainland China mobile numbers notified of delay and errors. Defaults to none.",
        },
      },
    },
  },
} as const;

/** What each pattern allows, in words, by schema path (for error messages). */
export const REALTIME_PATTERN_WORDS: Readonly<Record<string, string>> = {
  "/properties/dts/properties/alertPhones/items": "an 11-digit mainland China mobile number (1[3-9]xxxxxxxxx, no +86, spaces or dashes)",
};
