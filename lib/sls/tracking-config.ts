/**
 * Tracking settings beyond the core tracking keys: a JSON Schema fragment registered under
 * `photo-analytics:tracking` and the cross-key rules. Their type (`TrackingExtraConfig`) is in
 * lib/config/types.ts and their defaults in lib/config/defaults.ts, with every other key's.
 * Pure: no Pulumi.
 */
import { Problem, Rule, runRules } from "../config/problem";
import { PROJECT } from "../config/types";

const ROLE_ARN = "^acs:ram::[0-9]+:role/[A-Za-z0-9._-]+$";

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

/** Parses "+0800" / "-0530" into seconds east of UTC. */
export function utcOffsetSeconds(timeZone: string): number {
  const m = /^([+-])(\d{2})(\d{2})$/.exec(timeZone);
  if (!m) throw new Error(`tracking.timeZone is ${JSON.stringify(timeZone)}; allowed: a UTC offset like "+0800"`);
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60;
  return m[1] === "-" ? -seconds : seconds;
}

/** The part of the resolved config the tracking rules read. */
export interface TrackingRuleInput {
  readonly tracking: { readonly enabled: boolean; readonly dauFloor: number };
  readonly realtime: { readonly enabled: boolean; readonly engine: string };
}

/**
 * Cross-key rules for tracking, as data in the one rule shape (lib/config/problem.ts):
 * each message names the keys, the values seen and what is allowed.
 */
export const TRACKING_RULES: readonly Rule<TrackingRuleInput>[] = [
  {
    id: "tracking-sls-engine-needs-tracking",
    check: (cfg) =>
      cfg.realtime.enabled && cfg.realtime.engine === "sls" && !cfg.tracking.enabled
        ? [
            {
              key: `${PROJECT}:tracking.enabled`,
              value: false,
              allowed: 'true while realtime.engine is "sls"',
              message: `${PROJECT}:realtime.engine is "sls" with realtime.enabled true, but tracking.enabled is false; the SLS engine reads the tracking logstore: enable tracking or choose another engine`,
            },
          ]
        : [],
  },
  {
    id: "tracking-dau-floor-needs-tracking",
    check: (cfg) =>
      cfg.tracking.enabled || cfg.tracking.dauFloor === 0
        ? []
        : [
            {
              key: `${PROJECT}:tracking.dauFloor`,
              value: cfg.tracking.dauFloor,
              allowed: "0 while tracking.enabled is false",
              message: `${PROJECT}:tracking.dauFloor is ${cfg.tracking.dauFloor} but tracking.enabled is false; the DAU alert needs tracking (set dauFloor to 0 or enable tracking)`,
            },
          ],
  },
];

/** Every problem of the tracking rules, in rule order. */
export function checkTrackingRules(cfg: TrackingRuleInput): Problem[] {
  return runRules(TRACKING_RULES, cfg);
}
