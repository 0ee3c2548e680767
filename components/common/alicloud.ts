/**
 * The @pulumi/alicloud namespaces the program uses, each loaded on its own. The package's index
 * loads all of its ~160 namespaces (about 80 ms at every start, `pulumi up` and the offline plan
 * alike); components import their resources from here instead. A namespace a component needs
 * is added here (the type checker says so).
 */
export * as datahub from "@pulumi/alicloud/datahub";
export * as dataworks from "@pulumi/alicloud/dataworks";
export * as dts from "@pulumi/alicloud/dts";
export * as eci from "@pulumi/alicloud/eci";
export * as ims from "@pulumi/alicloud/ims";
export * as log from "@pulumi/alicloud/log";
export * as maxcompute from "@pulumi/alicloud/maxcompute";
export * as ram from "@pulumi/alicloud/ram";
export * as rds from "@pulumi/alicloud/rds";
export * as realtimecompute from "@pulumi/alicloud/realtimecompute";
export * as ros from "@pulumi/alicloud/ros";
export * as sls from "@pulumi/alicloud/sls";
import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/alicloud/getCallerIdentity";

/** The deploying account's id (offline plans mock invokes with no result: a placeholder, not "undefined"). */
export function callerAccountId(parent: pulumi.Resource): pulumi.Output<string> {
  return getCallerIdentityOutput({ parent }).apply((c) => c.accountId ?? "<account-id>");
}
