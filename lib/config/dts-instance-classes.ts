/**
 * DTS synchronization instance classes: the record rate each carries and the
 * spelling each provider resource accepts. Pure: no Pulumi imports.
 *
 * Rates from DTS "Instance classes of data synchronization instances"
 * (help.aliyun.com / alibabacloud.com, doc 6bce7c): micro fewer than 200 rows/s,
 * small 2,000, medium 5,000, large 11,000, xlarge 17,000, 2xlarge 34,000
 * (4xlarge 68,000 exists but is not offered by this stack). DTS recommends
 * against micro in production; it is the default only because the default
 * load (100 records/s) fits it and the layer is often switched on for one event.
 */
import { DTS_INSTANCE_CLASSES, DtsInstanceClass } from "./types";

/** Maximum rows per second each class is specified for. `micro` carries *fewer than* 200. */
export const DTS_CLASS_MAX_RPS: Readonly<Record<DtsInstanceClass, number>> = {
  micro: 200,
  small: 2000,
  medium: 5000,
  large: 11000,
  xlarge: 17000,
  "2xlarge": 34000,
};

/** The highest rate any class offered here carries. */
export const DTS_MAX_RPS = DTS_CLASS_MAX_RPS["2xlarge"];

/** Whether `instanceClass` carries `recordsPerSecond` (micro strictly below 200, the others up to their maximum). */
export function classCarries(instanceClass: DtsInstanceClass, recordsPerSecond: number): boolean {
  const max = DTS_CLASS_MAX_RPS[instanceClass];
  return instanceClass === "micro" ? recordsPerSecond < max : recordsPerSecond <= max;
}

/**
 * The smallest class that carries `recordsPerSecond`, or undefined when none does
 * (above 34,000 records/s: split the tables over several instances).
 */
export function smallestInstanceClass(recordsPerSecond: number): DtsInstanceClass | undefined {
  return DTS_INSTANCE_CLASSES.find((c) => classCarries(c, recordsPerSecond));
}

/**
 * `instanceClass` as `alicloud.dts.SynchronizationInstance` accepts it: its
 * validator lists `xxlarge`, not `2xlarge` (terraform-provider-alicloud
 * resource_alicloud_dts_synchronization_instance.go).
 */
export function instanceClassForInstance(instanceClass: DtsInstanceClass): string {
  return instanceClass === "2xlarge" ? "xxlarge" : instanceClass;
}

/**
 * `instanceClass` as `alicloud.dts.SynchronizationJob` spells it, or undefined for `micro`: the
 * job's validator lists small..4xlarge (`2xlarge` spelled so) but not `micro`. The stack never sets
 * it (components/dts/realtime-sync.ts: on the job it calls TransferInstanceClass UPGRADE, even at
 * create); this is the class to pick when upgrading the job in the DTS console.
 */
export function instanceClassForJob(instanceClass: DtsInstanceClass): string | undefined {
  return instanceClass === "micro" ? undefined : instanceClass;
}

/** Classes in size order, for "upgrade only" checks. */
export function classRank(instanceClass: DtsInstanceClass): number {
  return DTS_INSTANCE_CLASSES.indexOf(instanceClass);
}
