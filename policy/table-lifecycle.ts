import type { ResourceValidationPolicy } from "@pulumi/policy";
import { DATA_TYPES } from "../lib/plan/data-types";

interface RosTemplate {
  Resources?: Record<string, { Type?: string; Properties?: { Name?: string; Lifecycle?: unknown } }>;
}

/**
 * Every MaxCompute table (`ALIYUN::MaxCompute::Table` in a ROS template) has a
 * lifecycle: a positive whole number of days, so old partitions stop costing.
 */
export const tableLifecycle: ResourceValidationPolicy = {
  name: "maxcompute-table-lifecycle",
  description: "Every MaxCompute table has a lifecycle (a positive whole number of days).",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (args.type !== DATA_TYPES.rosStack) return;
    const body = args.props.templateBody;
    if (typeof body !== "string") return;
    let template: RosTemplate;
    try {
      template = JSON.parse(body) as RosTemplate;
    } catch {
      return; // YAML or unknown: other ROS stacks are not ours to judge
    }
    for (const [logical, res] of Object.entries(template.Resources ?? {})) {
      if (res.Type !== "ALIYUN::MaxCompute::Table") continue;
      const lc = res.Properties?.Lifecycle;
      if (typeof lc !== "number" || !Number.isInteger(lc) || lc < 1) {
        report(
          `${args.name}: table ${res.Properties?.Name ?? logical} has Lifecycle ${JSON.stringify(lc)}; set a whole number of days >= 1 (warehouse.lifecycleDays)`,
        );
      }
    }
  },
};
