/**
 * The tracking logstore: the log project, the logstore the browser SDK writes
 * to (web tracking on, and only there), and its field index (derived from the
 * event schema).
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import { indexFieldSearches } from "../../lib/sls/sls-objects";
import { ResolvedTrackingArgs } from "./tracking-args";
import { RESOURCE_OPTIONS_DATA } from "./tracking-scope";

/** The project, the tracking logstore and its index, with the names the other features use. */
export interface TrackingLogstore {
  readonly project: alicloud.log.Project;
  readonly logstore: alicloud.log.Store;
  readonly index: alicloud.log.StoreIndex;
  readonly projectName: pulumi.Output<string>;
  readonly logstoreName: pulumi.Output<string>;
}

/** Creates `${name}-project`, `${name}-logstore` and `${name}-index` under `parent`. */
export function createTrackingLogstore(name: string, a: ResolvedTrackingArgs, parent: { readonly parent: pulumi.Resource }): TrackingLogstore {
  const project = new alicloud.log.Project(
    `${name}-project`,
    { projectName: a.projectName, description: "photo-analytics: front-end events (web tracking) and realtime metrics" },
    { ...parent, ...RESOURCE_OPTIONS_DATA },
  );
  const projectName = project.projectName.apply((p) => p ?? a.projectName);

  const logstore = new alicloud.log.Store(
    `${name}-logstore`,
    {
      projectName,
      logstoreName: a.logstore,
      retentionPeriod: a.retentionDays,
      shardCount: a.shardCount,
      autoSplit: true,
      maxSplitShardCount: 64,
      // SQL analytics (dashboard, alert, Scheduled SQL) needs the standard mode.
      mode: "standard",
      // Adds __tag__:__client_ip__ and __tag__:__receive_time__ (the export writes the IP).
      appendMeta: true,
      // Anonymous public write: only this logstore.
      enableWebTracking: true,
    },
    { ...parent, ...RESOURCE_OPTIONS_DATA },
  );
  const logstoreName = logstore.logstoreName.apply((l) => l ?? a.logstore);

  const index = new alicloud.log.StoreIndex(`${name}-index`, { project: projectName, logstore: logstoreName, fieldSearches: indexFieldSearches() }, parent);

  return { project, logstore, index, projectName, logstoreName };
}
