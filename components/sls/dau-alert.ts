/** The DAU alert: fires when distinct users over the last hour drop below `dauFloor`. */
import * as alicloud from "../common/alicloud";
import { dauAlertCondition, dauLastHourQuery } from "../../lib/sls/queries";
import { TrackingScope } from "./tracking-scope";

/** Alert name inside the SLS project (stable: renaming replaces it). */
export const DAU_ALERT_NAME = "dau-below-floor";

/** `${name}-dau-alert`, every 5 minutes over the last hour of the tracking logstore. */
export function createDauAlert(scope: TrackingScope, index: alicloud.log.StoreIndex): alicloud.sls.Alert {
  const { name, parent, args: a, projectName, logstoreName } = scope;
  const extra = a.extra;
  const q = dauLastHourQuery();
  const condition = dauAlertCondition(a.dauFloor);
  return new alicloud.sls.Alert(
    `${name}-dau-alert`,
    {
      projectName,
      alertName: DAU_ALERT_NAME,
      displayName: `DAU over the last hour below ${a.dauFloor}`,
      description: `Distinct users in ${a.logstore} over the last hour fell below ${a.dauFloor}: tracking broken or traffic dropped.`,
      status: "ENABLED",
      schedule: { type: "FixedRate", interval: "5m", runImmdiately: false, timeZone: extra.timeZone, delay: 0 },
      configuration: {
        version: "2.0",
        type: "default",
        dashboard: "internal-alert-analysis",
        queryLists: [
          {
            storeType: "log",
            region: a.region,
            project: projectName,
            store: logstoreName,
            query: q.query,
            timeSpanType: "Relative",
            start: "-60m",
            end: "now",
            powerSqlMode: "auto",
            chartTitle: q.title,
          },
        ],
        groupConfiguration: { type: "no_group", fields: [] },
        conditionConfiguration: { condition, countCondition: "" },
        severityConfigurations: [{ severity: 8, evalCondition: { condition, countCondition: "" } }],
        threshold: 1,
        noDataFire: false,
        noDataSeverity: 8,
        sendResolved: true,
        autoAnnotation: true,
        annotations: [
          { key: "title", value: `${a.logstore}: DAU over the last hour below ${a.dauFloor}` },
          { key: "desc", value: "distinct users in the last hour: ${dau_last_hour}" },
        ],
        labels: [{ key: "app", value: "photo-analytics" }],
        policyConfiguration: {
          alertPolicyId: "sls.builtin.dynamic",
          actionPolicyId: extra.alertActionPolicyId,
          repeatInterval: "1h",
        },
      },
    },
    { ...parent, dependsOn: [index] },
  );
}
