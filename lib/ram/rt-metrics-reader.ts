/**
 * The identity the SLS import reads the realtime metrics feed as, as data: a RAM user with no RAM
 * policy (MaxCompute authorizes data access inside the project), a MaxCompute project role that may
 * only read `rt_metrics_feed`, and the user's AccessKey. Pure: components/sls/realtime-metrics.ts
 * declares the resources.
 *
 * Why a RAM user: the SLS MaxCompute import source takes an AccessKey pair and no role
 * (`AliyunMaxComputeSource`: `accessKeyID`, `accessKeySecret`, aliyun-log-java-sdk
 * common/AliyunMaxComputeSource.java). What the role grants: `Describe` (table metadata), `Select`
 * and `Download` (reading the rows through the Tunnel the import uses; MaxCompute permissions,
 * https://help.aliyun.com/document_detail/27935.htm) on the feed only. No project action, no other table.
 */
import type { PolicyDocument } from "./policy-document";
import { maxcomputeTableResource } from "./policy-document";
import { RAM_USER_NAME } from "./dts-writer";
import { RT_FEED_TABLE } from "../metrics/rt-metrics";

/** Name of the MaxCompute project role the import reads with (public contract: renaming replaces it). */
export const RT_READER_ROLE = "rt_metrics_reader";
/** Table-level MaxCompute actions the reader holds on the feed. */
export const RT_READER_TABLE_ACTIONS = ["Describe", "Select", "Download"] as const;

/** Policy of {@link RT_READER_ROLE}: read the feed, nothing else. */
export function rtReaderPolicy(project: string): PolicyDocument {
  return {
    Version: "1",
    Statement: [{ Effect: "Allow", Action: RT_READER_TABLE_ACTIONS.map((a) => `odps:${a}`), Resource: [maxcomputeTableResource(project, RT_FEED_TABLE)] }],
  };
}

/** The reader's RAM user: one per stack, named after its MaxCompute project (unique in the account). */
export function rtReaderUserName(project: string): string {
  const name = `${project}-rt-reader`;
  if (!RAM_USER_NAME.test(name)) throw new Error(`RAM user name ${JSON.stringify(name)} is not 1-64 letters, digits, ".", "_" or "-"`);
  return name;
}
