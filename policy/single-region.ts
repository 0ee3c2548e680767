import type { StackValidationPolicy } from "@pulumi/policy";
import { configSchema, PhotoAnalyticsPolicyConfig } from "./config";

/** Inputs that name the region a resource lives in (the DTS source region may differ: it is the database's). */
export const REGION_INPUTS = ["region", "regionId", "destinationEndpointRegion"] as const;

/** Every resource of the stack is in one region (the stack's `alicloud:region`). */
export const singleRegion: StackValidationPolicy = {
  name: "single-region",
  description: "Every resource is in the stack's one region (alicloud:region).",
  enforcementLevel: "mandatory",
  configSchema: configSchema("region"),
  validateStack: (args, report) => {
    const seen: { urn: string; name: string; key: string; region: string }[] = [];
    for (const r of args.resources) {
      for (const key of REGION_INPUTS) {
        const v = r.props[key];
        if (typeof v === "string" && /^[a-z]{2}(-[a-z0-9]+)+$/.test(v)) seen.push({ urn: r.urn, name: r.name, key, region: v });
      }
    }
    let expected = args.getConfig<PhotoAnalyticsPolicyConfig>().region;
    if (expected === undefined) {
      const counts = new Map<string, number>();
      for (const s of seen) counts.set(s.region, (counts.get(s.region) ?? 0) + 1);
      expected = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    }
    for (const s of seen) {
      if (s.region !== expected) {
        report(`${s.name}: ${s.key} is ${s.region}, but the stack's region is ${expected}; one stack, one region (alicloud:region)`, s.urn);
      }
    }
  },
};
