/**
 * The policies of the `photo-analytics` pack, one per file. Imported by the
 * pack (`index.ts`) and by the offline plan (`lib/policy/evaluate.ts`), so both
 * run the same code. Type-only imports of `@pulumi/policy`.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { dataProtected } from "./data-protected";
import { dtsWhereCalledFor } from "./dts-where-called-for";
import { everyLoadAlerted } from "./every-load-alerted";
import { logstoreRetention } from "./logstore-retention";
import { monthlyBudget } from "./monthly-budget";
import { noPlaintextSecrets } from "./no-plaintext-secrets";
import { ramLeastPrivilege } from "./ram-least-privilege";
import { singleRegion } from "./single-region";
import { tableLifecycle } from "./table-lifecycle";
import { webTrackingOnlyTracking } from "./web-tracking";

export const RESOURCE_POLICIES: readonly ResourceValidationPolicy[] = [
  dataProtected,
  webTrackingOnlyTracking,
  noPlaintextSecrets,
  dtsWhereCalledFor,
  tableLifecycle,
  logstoreRetention,
];

export const STACK_POLICIES: readonly StackValidationPolicy[] = [singleRegion, monthlyBudget, ramLeastPrivilege, everyLoadAlerted];

export const ALL_POLICIES: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = [...RESOURCE_POLICIES, ...STACK_POLICIES];
