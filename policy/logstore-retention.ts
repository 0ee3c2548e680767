import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, DATA_TYPES, PhotoAnalyticsPolicyConfig, POLICY_DEFAULTS } from "./config";

/** Logstore retention within the configured bounds (storage is billed per GB-day). */
export const logstoreRetention: ResourceValidationPolicy = {
  name: "logstore-retention-bounds",
  description: "Every logstore's retentionPeriod is within [minRetentionDays, maxRetentionDays].",
  enforcementLevel: "mandatory",
  configSchema: configSchema("minRetentionDays", "maxRetentionDays"),
  validateResource: (args, report) => {
    if (args.type !== DATA_TYPES.logstore) return;
    const c = args.getConfig<PhotoAnalyticsPolicyConfig>();
    const min = c.minRetentionDays ?? POLICY_DEFAULTS.minRetentionDays;
    const max = c.maxRetentionDays ?? POLICY_DEFAULTS.maxRetentionDays;
    const days = args.props.retentionPeriod;
    if (typeof days !== "number" || days < min || days > max) {
      report(
        `${args.name}: logstore ${JSON.stringify(args.props.logstoreName)} retentionPeriod is ${JSON.stringify(days)}; allowed ${min}-${max} days (tracking.retentionDays)`,
      );
    }
  },
};
