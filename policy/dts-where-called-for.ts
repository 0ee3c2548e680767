import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, PhotoAnalyticsPolicyConfig, POLICY_DEFAULTS } from "./config";

/**
 * DTS resources exist only when the realtime layer is on and its engine is
 * DTS: a DTS instance bills by the hour whether it syncs or not.
 */
export const dtsWhereCalledFor: ResourceValidationPolicy = {
  name: "dts-only-where-called-for",
  description: "DTS resources exist only when the stage (or realtime.enabled) turns the realtime layer on with engine dts.",
  enforcementLevel: "mandatory",
  configSchema: configSchema("stage", "realtimeEnabled", "realtimeEngine"),
  validateResource: (args, report) => {
    if (!args.type.startsWith("alicloud:dts/")) return;
    const c = args.getConfig<PhotoAnalyticsPolicyConfig>();
    const enabled = c.realtimeEnabled ?? POLICY_DEFAULTS.realtimeEnabled;
    const engine = c.realtimeEngine ?? POLICY_DEFAULTS.realtimeEngine;
    const stage = c.stage ?? "(unknown)";
    if (!enabled) {
      report(
        `${args.name} (${args.type}) is a DTS resource but the realtime layer is off (stage ${stage}, realtime.enabled false); DTS bills by the hour: remove it or enable realtime`,
      );
    } else if (engine !== "dts") {
      report(`${args.name} (${args.type}) is a DTS resource but realtime.engine is ${JSON.stringify(engine)} (stage ${stage}); only engine "dts" uses DTS`);
    }
  },
};
