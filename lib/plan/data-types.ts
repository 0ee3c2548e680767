/**
 * The one list of resource types that hold data: the stack never deletes or
 * replaces them (protected, retained on delete). Everything else is sync or
 * compute and may be removed on demotion. Read by the promotion checks, the
 * plan, the policy pack (`data-protected-retained` and the policies that look
 * at tables and logstores) and the tests.
 */
import { TYPES } from "./type-tokens";
export const DATA_TYPES = {
  maxcomputeProject: TYPES.maxcomputeProject,
  /** ROS stacks of `ALIYUN::MaxCompute::Table` resources (the ODS tables). */
  rosStack: TYPES.rosStack,
  logProject: TYPES.logProject,
  logstore: TYPES.logStore,
  /** The DataWorks workspace holds the team's nodes and run history. */
  dataworksWorkspace: TYPES.dataworksProject,
} as const;

/** Every type of `DATA_TYPES`. */
export const DATA_RESOURCE_TYPES: ReadonlySet<string> = new Set(Object.values(DATA_TYPES));

export function isDataResource(type: string): boolean {
  return DATA_RESOURCE_TYPES.has(type);
}
