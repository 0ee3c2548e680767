/**
 * How RAM authorizes each product the stack calls: its RAM code, whether RAM checks the
 * resource (granularity RESOURCE: statements name ARNs) or only the operation (OPERATION:
 * Resource must be "*"), the ARN forms, and the page each fact was read from. Pure data.
 */

export type RamCode = "odps" | "log" | "dataworks" | "dts" | "ros" | "ram" | "sts";

export interface ProductAuth {
  readonly product: string;
  readonly granularity: "RESOURCE" | "OPERATION";
  /** ARN templates, `{region}`, `{account}` and a product name placeholder. */
  readonly arns: readonly string[];
  readonly source: string;
}

export const PRODUCT_AUTH: Readonly<Record<RamCode, ProductAuth>> = {
  odps: {
    product: "MaxCompute",
    granularity: "RESOURCE",
    arns: ["acs:odps:{region}:{account}:projects/{project}"],
    // "The RAM code (RamCode) for MaxCompute is odps,maxcompute, and the supported authorization granularity is RESOURCE."
    source: "https://help.aliyun.com/zh/maxcompute/user-guide/api-maxcompute-2022-01-04-ram",
  },
  log: {
    product: "Simple Log Service",
    granularity: "RESOURCE",
    arns: ["acs:log:{region}:{account}:project/{project}", "acs:log:{region}:{account}:project/{project}/logstore/{logstore}"],
    source: "https://help.aliyun.com/en/sls/developer-reference/resource-list",
  },
  dataworks: {
    product: "DataWorks",
    granularity: "OPERATION",
    arns: ["*"],
    // "The RAM code (RamCode) for DataWorks is dataworks, and the supported authorization granularity is OPERATION."
    source: "https://help.aliyun.com/en/dataworks/developer-reference/api-dataworks-public-2024-05-18-ram",
  },
  dts: {
    product: "Data Transmission Service",
    granularity: "RESOURCE",
    arns: ["acs:dts:{region}:{account}:instance/{instanceId}"],
    // "Only resource-level authorization is supported. Action-level authorization is not supported."
    source: "https://help.aliyun.com/en/dts/developer-reference/ram-authorization",
  },
  ros: {
    product: "Resource Orchestration Service",
    granularity: "RESOURCE",
    arns: ["acs:ros:{region}:{account}:stack/{stackId}"],
    source: "https://alibabacloud.com/help/en/ros/ram-authorization",
  },
  ram: {
    product: "Resource Access Management",
    granularity: "RESOURCE",
    arns: ["acs:ram::{account}:role/{roleName}", "acs:ram::{account}:user/{userName}", "acs:ram::{account}:policy/{policyName}"],
    source: "https://help.aliyun.com/zh/ram/developer-reference/api-ram-2015-05-01-ram",
  },
  sts: {
    product: "Security Token Service",
    granularity: "RESOURCE",
    arns: ["acs:ram::{account}:role/{roleName}"],
    source: "https://help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-assumerolewithoidc",
  },
};
