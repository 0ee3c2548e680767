/**
 * The configuration every photo-analytics policy reads (one object; each
 * policy's `configSchema` lists the keys it uses). `pulumi preview --policy-pack policy
 * --policy-pack-config policy-config.json` passes it per policy;
 * `npm run --silent policy-config -- --stack <name>` writes that file
 * from a stack's settings, and the offline plan builds the same object
 * (`lib/policy/evaluate.ts`). Pure.
 */
import type { CostConfigInput } from "../lib/cost/config";
import type { PriceFile } from "../lib/cost/price-file";
import { SECRET_PLACEHOLDER } from "../lib/config/types";
import { DATA_TYPES } from "../lib/plan/data-types";
import { CONFIG_DEFAULTS } from "../lib/config/defaults";

/** The one list of data resource types (lib/plan/data-types.ts), for the policies. */
export { DATA_TYPES };

export interface PhotoAnalyticsPolicyConfig {
  /** The stack's stage (`photo-analytics:stage`), shown in messages. */
  readonly stage?: string;
  /** The one region of the stack (`alicloud:region`). @default the region most resources use */
  readonly region?: string;
  /** Whether the realtime layer is on (`realtime.enabled`). @default false */
  readonly realtimeEnabled?: boolean;
  /** The realtime engine (`realtime.engine`). @default "dts" */
  readonly realtimeEngine?: string;
  /** The one logstore web tracking may be on (`tracking.logstore`). @default "user_events" */
  readonly trackingLogstore?: string;
  /** Smallest logstore retention allowed, days. @default 7 */
  readonly minRetentionDays?: number;
  /** Largest logstore retention allowed, days. @default 365 */
  readonly maxRetentionDays?: number;
  /** Monthly budget, CNY (`budget.monthlyCny`); without it the budget policy is not applicable. */
  readonly monthlyBudgetCny?: number;
  /** `photo-analytics:cost` (sizes and price overrides) for the budget policy. */
  readonly cost?: CostConfigInput;
  /** The stack region's price file (`prices/<region>.json`, `npm run prices -- --refresh`), as the plan prices with it. */
  readonly priceFile?: PriceFile;
}

/** Defaults of the policy config; the stack-config ones come from lib/config/defaults.ts. */
export const POLICY_DEFAULTS = {
  realtimeEnabled: false,
  realtimeEngine: CONFIG_DEFAULTS.realtime.engine,
  trackingLogstore: CONFIG_DEFAULTS.tracking.logstore,
  // A week covers a holiday weekend of events before they expire unread.
  minRetentionDays: 7,
  maxRetentionDays: 365,
} as const;

/** JSON Schema properties of each key, for the policies' `configSchema`. */
export const CONFIG_PROPERTIES = {
  stage: { type: "string" },
  region: { type: "string" },
  realtimeEnabled: { type: "boolean", default: POLICY_DEFAULTS.realtimeEnabled },
  realtimeEngine: { type: "string", default: POLICY_DEFAULTS.realtimeEngine },
  trackingLogstore: { type: "string", default: POLICY_DEFAULTS.trackingLogstore },
  minRetentionDays: { type: "integer", minimum: 1, default: POLICY_DEFAULTS.minRetentionDays },
  maxRetentionDays: { type: "integer", minimum: 1, default: POLICY_DEFAULTS.maxRetentionDays },
  monthlyBudgetCny: { type: "number", minimum: 0 },
  cost: { type: "object" },
  priceFile: { type: "object" },
} as const;

/** A `configSchema` with the given keys. */
export function configSchema(...keys: (keyof typeof CONFIG_PROPERTIES)[]): { properties: Record<string, object> } {
  return { properties: Object.fromEntries(keys.map((k) => [k, CONFIG_PROPERTIES[k]])) };
}

/**
 * Whether `obj[key]` is a secret: the offline plan's marker, or (under
 * `pulumi preview`) a value the policy SDK unwrapped from a secret. The SDK
 * hides secretness behind a proxy; its raw target holds `Secret` instances.
 */
export function isSecretAt(obj: Record<string, unknown>, key: string): boolean {
  if (obj[key] === SECRET_PLACEHOLDER) return true;
  const raw = rawTarget(obj)?.[key] as { constructor?: { name?: string } } | undefined;
  return raw !== null && typeof raw === "object" && raw.constructor?.name === "Secret";
}

function rawTarget(obj: Record<string, unknown>): Record<string, unknown> | undefined {
  try {
    const proxy = require("@pulumi/policy/proxy") as { isSpecialProxy: symbol; getSpecialProxyTarget: symbol };
    let t: Record<string | symbol, unknown> | undefined = obj;
    for (let i = 0; i < 4 && t && t[proxy.isSpecialProxy] === true; i++) {
      t = t[proxy.getSpecialProxyTarget] as Record<string | symbol, unknown> | undefined;
    }
    return t as Record<string, unknown> | undefined;
  } catch {
    return undefined;
  }
}
