/** The DAU alert: fires when distinct users over the last hour drop below `dauFloor`. */
import * as alicloud from "../common/alicloud";
import { dauAlertCondition, dauLastHourQuery } from "../../lib/sls/queries";
import { TrackingScope } from "./tracking-scope";
import { createQueryAlert } from "./query-alert";

/** Alert name inside the SLS project (stable: renaming replaces it). */
export const DAU_ALERT_NAME = "dau-below-floor";

/** `${name}-dau-alert`, every 5 minutes over the last hour of the tracking logstore. */
export function createDauAlert(scope: TrackingScope, index: alicloud.log.StoreIndex): alicloud.sls.Alert {
  const { args: a, logstoreName } = scope;
  const q = dauLastHourQuery();
  return createQueryAlert(
    scope,
    {
      suffix: "dau-alert",
      alertName: DAU_ALERT_NAME,
      displayName: `DAU over the last hour below ${a.dauFloor}`,
      description: `Distinct users in ${a.logstore} over the last hour fell below ${a.dauFloor}: tracking broken or traffic dropped.`,
      intervalMinutes: 5,
      store: logstoreName,
      query: { query: q.query, start: "-60m", end: "now", title: q.title },
      condition: dauAlertCondition(a.dauFloor),
      annotations: { title: `${a.logstore}: DAU over the last hour below ${a.dauFloor}`, desc: "distinct users in the last hour: ${dau_last_hour}" },
    },
    index,
  );
}
