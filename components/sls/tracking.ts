/**
 * `photo-analytics:sls:Tracking`: front-end event tracking on SLS, and the SLS
 * realtime engine. One component; each feature is built in the file named
 * after it, always with this component as parent (the URNs never change):
 *
 * - tracking-logstore.ts: a log project and the tracking logstore (web
 *   tracking on, and only there), its field index (derived from the event schema);
 * - dashboards.ts: a dashboard with the seed's realtime metrics (and, with the
 *   SLS engine, the per-minute trend dashboard);
 * - dau-alert.ts: an alert when DAU over the last hour drops below `dauFloor`;
 * - per-minute-metrics.ts, with `realtimeMetrics` (realtime enabled, engine
 *   `sls`): a per-minute metrics logstore filled by Scheduled SQL;
 * - realtime-metrics.ts, with `rtMetrics` (engines dts and canal-datahub): the `rt_*` metrics
 *   imported from MaxCompute into the metrics logstore, and their alerts;
 * - events-export.ts, with `maxcomputeProject`: the T+1 path, an SLS ->
 *   MaxCompute export into a day-partitioned table the component creates through
 *   ROS, and the MaxCompute grant that lets the export's RAM role write it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import { MaxComputeExport } from "../../providers/sls/maxcompute-export";
import { TrackingArgs } from "./tracking-args";
import { defaultRoleArn, TrackingScope } from "./tracking-scope";
import { createTrackingLogstore } from "./tracking-logstore";
import { createRealtimeDashboard } from "./dashboards";
import { createDauAlert } from "./dau-alert";
import { createPerMinuteMetrics } from "./per-minute-metrics";
import { createEventsExport } from "./events-export";
import { createRtMetrics, RtMetrics } from "./realtime-metrics";
import { TYPES } from "../../lib/plan/type-tokens";

export type { TrackingArgs } from "./tracking-args";
export { DASHBOARD_NAME, TREND_DASHBOARD_NAME } from "./dashboards";
export { DAU_ALERT_NAME } from "./dau-alert";
export { SCHEDULED_SQL_NAME } from "./per-minute-metrics";
export { EXPORT_NAME } from "./events-export";

/** Where the browser SDK sends events (`@aliyun-sls/web-track-browser` options). */
export interface WebTrackingTarget {
  readonly host: string;
  readonly project: string;
  readonly logstore: string;
}

/** Front-end tracking on SLS (see the module comment). */
export class Tracking extends pulumi.ComponentResource {
  /** Type token (lib/plan/type-tokens.ts). */
  public static readonly TYPE = TYPES.Tracking;
  public readonly project: alicloud.log.Project;
  public readonly logstore: alicloud.log.Store;
  public readonly index: alicloud.log.StoreIndex;
  public readonly dashboard: alicloud.log.Dashboard;
  public readonly dauAlert?: alicloud.sls.Alert;
  public readonly metricsLogstore?: alicloud.log.Store;
  public readonly scheduledSql?: alicloud.sls.ScheduledSql;
  /** The realtime metrics' reader, import and alerts (with `rtMetrics`). */
  public readonly rtMetrics?: RtMetrics;
  public readonly exportTable?: alicloud.ros.Stack;
  /** The MaxCompute grant that lets the export's RAM role write the export table. */
  public readonly exportWriterGrant?: alicloud.maxcompute.RoleUserAttachment;
  public readonly maxcomputeExport?: MaxComputeExport;
  /** Options for the browser SDK: `{host, project, logstore}`. */
  public readonly webTracking: pulumi.Output<WebTrackingTarget>;

  constructor(name: string, args: TrackingArgs, opts?: pulumi.ComponentResourceOptions) {
    super(Tracking.TYPE, name, {}, opts);
    const a = args;
    const parent = { parent: this };

    const store = createTrackingLogstore(name, a, parent);
    this.project = store.project;
    this.logstore = store.logstore;
    this.index = store.index;
    const scope: TrackingScope = { name, parent, args: a, projectName: store.projectName, logstoreName: store.logstoreName, roleArn: defaultRoleArn(parent) };

    this.dashboard = createRealtimeDashboard(scope, this.index);
    if (a.dauFloor > 0) this.dauAlert = createDauAlert(scope, this.index);

    const metrics = createPerMinuteMetrics(scope, this.index);
    this.metricsLogstore = metrics.metricsLogstore;
    this.scheduledSql = metrics.scheduledSql;

    if (a.rtMetrics) {
      if (!metrics.metricsLogstore || !metrics.metricsIndex) {
        throw new pulumi.ResourceError(`Tracking ${name}: args.rtMetrics needs the metrics logstore (args.metricsStore true): the import writes into it`, this);
      }
      this.rtMetrics = createRtMetrics(scope, a.rtMetrics, metrics.metricsLogstore, metrics.metricsIndex);
    }

    if (a.maxcomputeProject !== undefined && a.extra.export.enabled) {
      const exp = createEventsExport(scope, a.maxcomputeProject, this.logstore);
      this.exportTable = exp.exportTable;
      this.exportWriterGrant = exp.writerGrant;
      this.maxcomputeExport = exp.maxcomputeExport;
    }

    this.webTracking = pulumi
      .all([store.projectName, store.logstoreName])
      .apply(([project, logstore]) => ({ host: `${a.region}.log.aliyuncs.com`, project, logstore }));

    this.registerOutputs({ webTracking: this.webTracking });
  }
}
