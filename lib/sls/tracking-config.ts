/**
 * Tracking settings beyond the core tracking keys: a JSON Schema fragment registered under
 * `photo-analytics:tracking` and the cross-key rules. Their type (`TrackingExtraConfig`) is in
 * lib/config/types.ts and their defaults in lib/config/defaults.ts, with every other key's.
 * Pure: no Pulumi.
 */
import { Problem, Rule, runRules } from "../config/problem";
import { PROJECT, RealtimeEngine } from "../config/types";
import { engineOn } from "../config/realtime";

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
  readonly realtime: { readonly enabled: boolean; readonly engine: RealtimeEngine };
}

/**
 * Cross-key rules for tracking, as data in the one rule shape (lib/config/problem.ts):
 * each message names the keys, the values seen and what is allowed.
 */
export const TRACKING_RULES: readonly Rule<TrackingRuleInput>[] = [
  {
    id: "tracking-sls-engine-needs-tracking",
    check: (cfg) =>
      engineOn(cfg, "sls") && !cfg.tracking.enabled
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
