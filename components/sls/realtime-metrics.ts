/**
 * The realtime metrics (`rt_*`, refreshed by the DataWorks `rt_metrics` node on the dts and
 * canal-datahub engines) in SLS: the read-only identity the import uses, the import of
 * `rt_metrics_feed` into the metrics logstore every `intervalMinutes`, and the anomaly alerts.
 * The dashboard charts over the imported rows are on the realtime dashboard (dashboards.ts).
 *
 * Provider behaviour (lib/plan/provider-behaviour.json, terraform-provider-alicloud v1.289.0 @28ee93bc):
 * - `alicloud.log.Ingestion` (resource_alicloud_log_ingestion.go): `project`, `ingestionName`,
 *   `logstore` ForceNew; `displayName`, `description`, `interval`, `runImmediately`, `timeZone` and
 *   `source` updated in place (UpdateIngestion sends the whole job). The schedule is always
 *   `FixedRate` every `interval`; `source` is sent as parsed JSON, unvalidated, and read back from
 *   GetIngestion (normalized JSON): the AccessKey pair is in it, so it is a Pulumi secret.
 * - `alicloud.sls.Alert`: as the DAU alert (dau-alert.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import { renderPolicy } from "../../lib/ram/policy-document";
import { createProjectRole, maxcomputeUserOf } from "../maxcompute/project-role";
import { RT_READER_ROLE, rtReaderPolicy, rtReaderUserName } from "../../lib/ram/rt-metrics-reader";
import { RT_IMPORT_NAME, RtAlert, rtAlerts, rtImportInterval, rtImportSource } from "../../lib/sls/rt-metrics";
import { TrackingScope } from "./tracking-scope";
import { RtMetricsArgs } from "./tracking-args";
import { createQueryAlert } from "./query-alert";

/** The feature's resources. */
export interface RtMetrics {
  readonly readerUser: alicloud.ram.User;
  readonly readerRole: alicloud.maxcompute.Role;
  readonly readerGrant: alicloud.maxcompute.RoleUserAttachment;
  readonly readerKey: alicloud.ram.AccessKey;
  readonly import: alicloud.log.Ingestion;
  readonly alerts: readonly alicloud.sls.Alert[];
}

/**
 * `${name}-rt-reader-user`, `-rt-reader-role`, `-rt-reader-grant`, `-rt-reader-key`, `-rt-import` and one
 * `-rt-*-alert` per alert of lib/sls/rt-metrics.ts `rtAlerts`.
 */
export function createRtMetrics(
  scope: TrackingScope,
  rt: RtMetricsArgs,
  metricsLogstore: alicloud.log.Store,
  metricsIndex: alicloud.log.StoreIndex,
): RtMetrics {
  const { name, parent, args: a, projectName } = scope;
  const extra = a.extra;
  const project = pulumi.output(rt.maxcomputeProject);

  const readerUser = new alicloud.ram.User(
    `${name}-rt-reader-user`,
    {
      name: project.apply(rtReaderUserName),
      displayName: "photo-analytics realtime metrics reader",
      comments: project.apply((p) => `SLS imports ${p}.rt_metrics_feed as this user; no RAM policy, no console login`),
      // Delete removes the user's AccessKey first.
      force: true,
    },
    parent,
  );
  const { role: readerRole, grant: readerGrant } = createProjectRole(
    `${name}-rt-reader-role`,
    `${name}-rt-reader-grant`,
    { project, roleName: RT_READER_ROLE, policy: project.apply((p) => renderPolicy(rtReaderPolicy(p))), member: maxcomputeUserOf(readerUser, parent.parent) },
    parent,
  );
  // No pgpKey / secretFile: the secret stays in the provider's Sensitive `secret` (an additional secret output of the SDK).
  const readerKey = new alicloud.ram.AccessKey(`${name}-rt-reader-key`, { userName: readerUser.name }, parent);

  const source = pulumi.secret(
    pulumi
      .all([project, readerKey.id, readerKey.secret])
      .apply(([p, id, secret]) => JSON.stringify({ ...rtImportSource(a.region, p, extra.timeZone), accessKeyID: id, accessKeySecret: secret ?? "" })),
  );
  const ingestion = new alicloud.log.Ingestion(
    `${name}-rt-import`,
    {
      project: projectName,
      logstore: metricsLogstore.logstoreName,
      ingestionName: RT_IMPORT_NAME,
      displayName: "Realtime metrics (rt_metrics_feed)",
      description: `Every ${rt.intervalMinutes} minutes: the rt_metrics_feed table of MaxCompute (written by the rt_metrics node) into the metrics logstore.`,
      interval: rtImportInterval(rt.intervalMinutes),
      runImmediately: true,
      timeZone: extra.timeZone,
      source,
    },
    { ...parent, dependsOn: [metricsIndex, readerGrant] },
  );

  const alerts = rtAlerts({ intervalMinutes: rt.intervalMinutes, ...rt.alerts, timeZone: extra.timeZone }).map((x) =>
    rtAlert(scope, x, metricsLogstore, metricsIndex, rt.intervalMinutes),
  );
  return { readerUser, readerRole, readerGrant, readerKey, import: ingestion, alerts };
}

/** One alert over the metrics logstore, checked every `intervalMinutes`, to the tracking action policy. */
function rtAlert(scope: TrackingScope, x: RtAlert, store: alicloud.log.Store, index: alicloud.log.StoreIndex, intervalMinutes: number): alicloud.sls.Alert {
  return createQueryAlert(
    scope,
    {
      suffix: x.suffix,
      alertName: x.name,
      displayName: x.title,
      description: x.description,
      intervalMinutes,
      store: store.logstoreName,
      query: x.query,
      condition: x.condition,
      annotations: { title: x.title, desc: x.detail },
    },
    index,
  );
}
