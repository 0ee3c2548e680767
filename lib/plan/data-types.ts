/**
 * Resource types that hold data: the stack never deletes or replaces them
 * (protected, retained on delete). Everything else is sync or compute and may
 * be removed on demotion. Used by the promotion checks, policies and tests.
 */
export const DATA_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  "alicloud:maxcompute/project:Project",
  // ROS stacks of ALIYUN::MaxCompute::Table resources (the ODS tables).
  "alicloud:ros/stack:Stack",
  "alicloud:log/project:Project",
  "alicloud:log/store:Store",
  // The DataWorks workspace holds the team's nodes and run history.
  "alicloud:dataworks/project:Project",
]);

export function isDataResource(type: string): boolean {
  return DATA_RESOURCE_TYPES.has(type);
}
