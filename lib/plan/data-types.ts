/**
 * The one list of resource types that hold data: the stack never deletes or
 * replaces them (protected, retained on delete). Everything else is sync or
 * compute and may be removed on demotion. Read by the promotion checks, the
 * plan, the policy pack (`data-protected-retained` and the policies that look
 * at tables and logstores) and the tests.
 */
export const DATA_TYPES = {
  maxcomputeProject: "alicloud:maxcompute/project:Project",
  /** ROS stacks of `ALIYUN::MaxCompute::Table` resources (the ODS tables). */
  rosStack: "alicloud:ros/stack:Stack",
  logProject: "alicloud:log/project:Project",
  logstore: "alicloud:log/store:Store",
  /** The DataWorks workspace holds the team's nodes and run history. */
  dataworksWorkspace: "alicloud:dataworks/project:Project",
} as const;

/** Every type of `DATA_TYPES`. */
export const DATA_RESOURCE_TYPES: ReadonlySet<string> = new Set(Object.values(DATA_TYPES));

export function isDataResource(type: string): boolean {
  return DATA_RESOURCE_TYPES.has(type);
}
