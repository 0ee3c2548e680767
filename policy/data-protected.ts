import type { ResourceValidationPolicy } from "@pulumi/policy";
import { DATA_RESOURCE_TYPES, DATA_TYPES } from "../lib/plan/data-types";

/**
 * Data resources (`DATA_TYPES`: the MaxCompute project, the ROS stacks holding
 * the MaxCompute tables, the SLS project and logstores, the DataWorks workspace) are protected and retained on delete, so that no stack
 * operation (demotion, rename, `pulumi destroy`) deletes data.
 * `retainOnDelete` is checked where the engine reports it (the offline plan;
 * CrossGuard 1.21 passes only `protect`).
 */
export const dataProtected: ResourceValidationPolicy = {
  name: "data-protected-retained",
  description: "MaxCompute project and tables, SLS project and logstores and the DataWorks workspace are protected and retained on delete.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (!DATA_RESOURCE_TYPES.has(args.type)) return;
    const opts = args.opts as typeof args.opts & { retainOnDelete?: boolean };
    if (opts.protect !== true) {
      report(`${args.name} (${args.type}) holds data but is not protected: set { protect: true } so no update or destroy can delete it`);
    }
    if (opts.retainOnDelete === false) {
      report(
        `${args.name} (${args.type}) holds data but is not retained on delete: set { retainOnDelete: true } so removing it from the program keeps the data`,
      );
    }
    if (args.type === DATA_TYPES.rosStack && args.props.retainAllResources !== true) {
      report(
        `${args.name}: ROS stack retainAllResources is ${JSON.stringify(args.props.retainAllResources)}; it must be true so the MaxCompute tables survive a deleted stack`,
      );
    }
  },
};
