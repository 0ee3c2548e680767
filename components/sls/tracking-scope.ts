/**
 * What every feature of the `Tracking` component is built from: the
 * component's name (child logical names derive from it), the component as
 * parent, the resolved args, and the SLS names the features share.
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import { ResolvedTrackingArgs } from "./tracking-args";

/** Options shared by data resources (logstores, the MaxCompute table): never deleted by the stack. */
export const RESOURCE_OPTIONS_DATA = { protect: true, retainOnDelete: true } as const;

/** The context a feature builder receives from the component. */
export interface TrackingScope {
  /** The component's logical name: every child's name is `${name}-<stable suffix>`. */
  readonly name: string;
  /** `{ parent: component }`: children keep the component as parent, so their URNs never change. */
  readonly parent: { readonly parent: pulumi.Resource };
  readonly args: ResolvedTrackingArgs;
  /** The SLS project's name (from the project resource). */
  readonly projectName: pulumi.Output<string>;
  /** The tracking logstore's name (from the logstore resource). */
  readonly logstoreName: pulumi.Output<string>;
  /**
   * The RAM role ARN to use: `given` when configured, else `acs:ram::<this account>:role/<role>`.
   * `role` is the ARN's lower-case spelling of an SLS service role (e.g. `aliyunlogdefaultrole`).
   */
  roleArn(given: string | undefined, role: string): pulumi.Input<string>;
}

/** The `roleArn` of a scope: the caller's account id is looked up only when a default role is used. */
export function defaultRoleArn(parent: { readonly parent: pulumi.Resource }): TrackingScope["roleArn"] {
  return (given, role) => given ?? pulumi.interpolate`acs:ram::${alicloud.callerAccountId(parent.parent)}:role/${role}`;
}
