/** An SLS alert over one logstore query, as the stack's alerts are built (the DAU alert and the realtime metrics' alerts). */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import { TrackingScope } from "./tracking-scope";

/** What differs between the stack's SLS alerts. */
export interface QueryAlertSpec {
  /** Suffix of the Pulumi name (`<component>-<suffix>`). */
  readonly suffix: string;
  /** Alert name inside the SLS project (stable: renaming replaces it). */
  readonly alertName: string;
  readonly displayName: string;
  readonly description: string;
  /** Minutes between two checks. */
  readonly intervalMinutes: number;
  readonly store: pulumi.Input<string>;
  readonly query: { readonly query: string; readonly start: string; readonly end: string; readonly title: string };
  /** The fire condition over the query's row (`dauAlertCondition`, `rtAlerts`). */
  readonly condition: string;
  readonly annotations: { readonly title: string; readonly desc: string };
}

/** The alert, checked every `intervalMinutes`, severity 8, to the tracking action policy (`tracking.alertActionPolicyId`), after the logstore's index. */
export function createQueryAlert(scope: TrackingScope, x: QueryAlertSpec, index: alicloud.log.StoreIndex): alicloud.sls.Alert {
  const { name, parent, args: a, projectName } = scope;
  const extra = a.extra;
  const evalCondition = { condition: x.condition, countCondition: "" };
  return new alicloud.sls.Alert(
    `${name}-${x.suffix}`,
    {
      projectName,
      alertName: x.alertName,
      displayName: x.displayName,
      description: x.description,
      status: "ENABLED",
      schedule: { type: "FixedRate", interval: `${x.intervalMinutes}m`, runImmdiately: false, timeZone: extra.timeZone, delay: 0 },
      configuration: {
        version: "2.0",
        type: "default",
        dashboard: "internal-alert-analysis",
        queryLists: [
          {
            storeType: "log",
            region: a.region,
            project: projectName,
            store: x.store,
            query: x.query.query,
            timeSpanType: "Relative",
            start: x.query.start,
            end: x.query.end,
            powerSqlMode: "auto",
            chartTitle: x.query.title,
          },
        ],
        groupConfiguration: { type: "no_group", fields: [] },
        conditionConfiguration: evalCondition,
        severityConfigurations: [{ severity: 8, evalCondition }],
        threshold: 1,
        noDataFire: false,
        noDataSeverity: 8,
        sendResolved: true,
        autoAnnotation: true,
        annotations: [
          { key: "title", value: x.annotations.title },
          { key: "desc", value: x.annotations.desc },
        ],
        labels: [{ key: "app", value: "photo-analytics" }],
        policyConfiguration: { alertPolicyId: "sls.builtin.dynamic", actionPolicyId: extra.alertActionPolicyId, repeatInterval: "1h" },
      },
    },
    { ...parent, dependsOn: [index] },
  );
}
