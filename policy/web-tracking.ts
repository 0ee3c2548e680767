import type { ResourceValidationPolicy } from "@pulumi/policy";
import { DATA_TYPES } from "../lib/plan/data-types";
import { configSchema, PhotoAnalyticsPolicyConfig, POLICY_DEFAULTS } from "./config";

/** Web tracking (anonymous public write) only on the tracking logstore. */
export const webTrackingOnlyTracking: ResourceValidationPolicy = {
  name: "web-tracking-only-tracking-logstore",
  description: "Web tracking (anonymous public write) is enabled only on the tracking logstore.",
  enforcementLevel: "mandatory",
  configSchema: configSchema("trackingLogstore"),
  validateResource: (args, report) => {
    if (args.type !== DATA_TYPES.logstore || args.props.enableWebTracking !== true) return;
    const allowed = args.getConfig<PhotoAnalyticsPolicyConfig>().trackingLogstore ?? POLICY_DEFAULTS.trackingLogstore;
    const name = args.props.logstoreName;
    if (name !== allowed) {
      report(
        `${args.name}: logstore ${JSON.stringify(name)} has enableWebTracking: true; anyone can write to it. Only the tracking logstore ${JSON.stringify(allowed)} may`,
      );
    }
  },
};
