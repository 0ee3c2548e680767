/**
 * DTS synchronization instance classes and the record rate each carries
 * (DTS "instance classes of data synchronization instances": micro 200 records/s,
 * small 2,000, medium 5,000, large 10,000; xlarge and 2xlarge for higher rates).
 */
import { DTS_INSTANCE_CLASSES, DtsInstanceClass } from "./types";

/** Records per second each class is specified for. */
export const DTS_CLASS_RECORDS_PER_SECOND: Readonly<Record<DtsInstanceClass, number>> = {
  micro: 200,
  small: 2000,
  medium: 5000,
  large: 10000,
  xlarge: 20000,
  "2xlarge": 50000,
};

/** The smallest class that carries `recordsPerSecond`; the largest if none does. */
export function smallestDtsClass(recordsPerSecond: number): DtsInstanceClass {
  return DTS_INSTANCE_CLASSES.find((c) => DTS_CLASS_RECORDS_PER_SECOND[c] >= recordsPerSecond) ?? "2xlarge";
}
