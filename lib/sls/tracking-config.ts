/**
 * Tracking settings beyond `TrackingConfig` (lib/config/types.ts): a JSON Schema
 * fragment for the lead to register under `photo-analytics:tracking`, the TS
 * type, the defaults, and the resolver. Pure: no Pulumi.
 */

/** `photo-analytics:tracking.export`: the T+1 path from the logstore into MaxCompute. */
export interface TrackingExportConfig {
  /** Ship `user_events` into MaxCompute. @default true */
  readonly enabled: boolean;
  /** MaxCompute table the export writes (created by the stack, partitioned by day). @default "ods_user_events_sls" */
  readonly table: string;
  /** Partition-time granularity of the export, in seconds: 1800 or 3600 (SLS `bufferInterval`). @default 1800 */
  readonly bufferIntervalSeconds: number;
  /**
   * RAM role SLS assumes to read the logstore and write MaxCompute.
   * @default "acs:ram::<account id>:role/aliyunlogdefaultrole" (the SLS default role)
   */
  readonly roleArn?: string;
}

/** The extra keys of `photo-analytics:tracking`. */
export interface TrackingExtraConfig {
  /** SLS action policy the DAU alert notifies. @default "sls.builtin" (the project's built-in action policy) */
  readonly alertActionPolicyId: string;
  /** UTC offset "today" and the export's day partitions are computed in. @default "+0800" (Asia/Shanghai) */
  readonly timeZone: string;
  /** Retention of the per-minute metrics logstore of the SLS realtime engine, in days. @default 30 */
  readonly metricsRetentionDays: number;
  /**
   * RAM role the realtime engine's Scheduled SQL runs as.
   * @default "acs:ram::<account id>:role/aliyunlogetlrole"
   */
  readonly scheduledSqlRoleArn?: string;
  readonly export: TrackingExportConfig;
}

/** Defaults of the extra keys. */
export const TRACKING_EXTRA_DEFAULTS: TrackingExtraConfig = {
  alertActionPolicyId: "sls.builtin",
  timeZone: "+0800",
  metricsRetentionDays: 30,
  export: { enabled: true, table: "ods_user_events_sls", bufferIntervalSeconds: 1800 },
};

const ROLE_ARN = "^acs:ram::[0-9]+:role/[A-Za-z0-9._-]+$";

/**
 * JSON Schema (draft-07) of the extra keys, to merge into the `tracking`
 * object's `properties` in the stack config schema.
 */
export const TRACKING_EXTRA_SCHEMA_PROPERTIES = {
  alertActionPolicyId: { type: "string", minLength: 1, maxLength: 128 },
  timeZone: { type: "string", pattern: "^[+-](0[0-9]|1[0-4])[0-5][0-9]$" },
  metricsRetentionDays: { type: "integer", minimum: 1, maximum: 3650 },
  scheduledSqlRoleArn: { type: "string", pattern: ROLE_ARN },
  export: {
    type: "object",
    additionalProperties: false,
    properties: {
      enabled: { type: "boolean" },
      table: { type: "string", pattern: "^[a-z][a-z0-9_]{0,127}$" },
      bufferIntervalSeconds: { type: "integer", enum: [1800, 3600] },
      roleArn: { type: "string", pattern: ROLE_ARN },
    },
  },
} as const;

/** Merges the user's values (already schema-validated) over the defaults. */
export function resolveTrackingExtra(
  raw: Partial<Omit<TrackingExtraConfig, "export">> & {
    export?: Partial<TrackingExportConfig>;
  } = {},
): TrackingExtraConfig {
  return {
    ...TRACKING_EXTRA_DEFAULTS,
    ...raw,
    export: { ...TRACKING_EXTRA_DEFAULTS.export, ...(raw.export ?? {}) },
  };
}

/** Parses "+0800" / "-0530" into seconds east of UTC. */
export function utcOffsetSeconds(timeZone: string): number {
  const m = /^([+-])(\d{2})(\d{2})$/.exec(timeZone);
  if (!m) throw new Error(`tracking.timeZone is ${JSON.stringify(timeZone)}; allowed: a UTC offset like "+0800"`);
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60;
  return m[1] === "-" ? -seconds : seconds;
}

/**
 * Cross-key rules for tracking, as data (for the lead's config validation):
 * each message names the keys, the values seen and what is allowed.
 */
export function trackingRuleErrors(cfg: { tracking: { enabled: boolean; dauFloor: number }; realtime: { enabled: boolean; engine: string } }): string[] {
  const rules = [
    {
      ok: !(cfg.realtime.enabled && cfg.realtime.engine === "sls" && !cfg.tracking.enabled),
      message:
        'realtime.engine is "sls" with realtime.enabled true, but tracking.enabled is false; the SLS engine reads the tracking logstore: enable tracking or choose another engine',
    },
    {
      ok: cfg.tracking.enabled || cfg.tracking.dauFloor === 0,
      message: `tracking.dauFloor is ${cfg.tracking.dauFloor} but tracking.enabled is false; the DAU alert needs tracking (set dauFloor to 0 or enable tracking)`,
    },
  ];
  return rules.filter((r) => !r.ok).map((r) => r.message);
}
