import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, PhotoAnalyticsPolicyConfig, POLICY_DEFAULTS } from "./config";
import { TYPES } from "../lib/plan/type-tokens";

/**
 * The resource types only one realtime engine builds, by engine: they bill by the hour (DTS
 * instance, Flink workspace and job, realtime DI CUs) whether they sync or not.
 */
export const ENGINE_RESOURCE_TYPES: Readonly<Record<string, (type: string, urn: string) => boolean>> = {
  dts: (type) => type.startsWith("alicloud:dts/"),
  "dataworks-flink": (type, urn) => type.startsWith("alicloud:realtimecompute/") || type === TYPES.MetricTables || urn.includes(TYPES.RealtimeFlink),
  // The Canal container bills per second, the DataHub topics per shard-day.
  "canal-datahub": (type, urn) =>
    type.startsWith("alicloud:datahub/") ||
    type.startsWith("alicloud:eci/") ||
    type === TYPES.Connector ||
    urn.includes(TYPES.CanalServer) ||
    urn.includes(TYPES.DatahubStream),
};

/**
 * Realtime resources exist only when the realtime layer is on and its engine is the one that
 * builds them (the policy's name is kept: it is the id stacks reference).
 */
export const dtsWhereCalledFor: ResourceValidationPolicy = {
  name: "dts-only-where-called-for",
  description:
    "Realtime engine resources (DTS; Flink and the realtime DI job; DataHub, the Canal container and the connectors) exist only when the realtime layer is on with the engine that builds them.",
  enforcementLevel: "mandatory",
  configSchema: configSchema("stage", "realtimeEnabled", "realtimeEngine"),
  validateResource: (args, report) => {
    const owner = Object.entries(ENGINE_RESOURCE_TYPES).find(([, is]) => is(args.type, args.urn))?.[0];
    if (owner === undefined) return;
    const c = args.getConfig<PhotoAnalyticsPolicyConfig>();
    const enabled = c.realtimeEnabled ?? POLICY_DEFAULTS.realtimeEnabled;
    const engine = c.realtimeEngine ?? POLICY_DEFAULTS.realtimeEngine;
    const stage = c.stage ?? "(unknown)";
    const what = owner === "dts" ? "a DTS resource" : `a ${owner} engine resource`;
    if (!enabled) {
      report(
        `${args.name} (${args.type}) is ${what} but the realtime layer is off (stage ${stage}, realtime.enabled false); ${owner === "dts" ? "DTS" : "it"} bills by the hour: remove it or enable realtime`,
      );
    } else if (engine !== owner) {
      report(
        `${args.name} (${args.type}) is ${what} but realtime.engine is ${JSON.stringify(engine)} (stage ${stage}); only engine "${owner}" uses ${owner === "dts" ? "DTS" : "it"}`,
      );
    }
  },
};
