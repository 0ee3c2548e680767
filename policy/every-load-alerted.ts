import type { StackValidationPolicy } from "@pulumi/policy";
import { TYPES } from "../lib/plan/type-tokens";
import { diLayer } from "../lib/cost/rules";

/** The types the policy reads (plan and preview alike). */
export const ALERTED_TYPES = {
  diJob: TYPES.dataworksDiJob,
  diAlarmRule: TYPES.dataworksDiAlarmRule,
  node: TYPES.DataWorksNode,
  workflow: TYPES.DataWorksWorkflow,
  nodeAlertRule: TYPES.NodeAlertRule,
} as const;

/**
 * Folders (under the stack's DataWorks folder) of the nodes that must have an Error rule, and what
 * each holds: T+1 reports, hourly aggregates, and the realtime layer's merge views, hourly
 * snapshots and daily log compaction (per-node resources of stacks from before workflows).
 */
export const WATCHED_FOLDERS = { ads: "report", hourly: "report", realtime: "realtime" } as const;
/** Layers of the workflows whose inner nodes must each be listed by an Error rule, and what they hold. */
export const WATCHED_LAYERS = { daily: "report", hourly: "report", realtime: "realtime" } as const;

/**
 * Every load and every report node has an alert (the freshness objectives, alerted as code:
 * components/monitoring/freshness-alerts.ts): each real-time DI job a failure rule (`DiAlarmRule`
 * named `<jobName>-failure`, metric Heartbeat); each batch DI job a layer whose workflow's nodes
 * (they check the job's partitions first and fail while its load has not landed) have an `Error`
 * NodeAlertRule, since DataWorks takes DI alarm rules only for real-time sync jobs; each report
 * node and each realtime-layer node (an inner node of its layer's workflow) an `Error`
 * NodeAlertRule listing it. Matched by name: the ids are known only after deployment.
 */
export const everyLoadAlerted: StackValidationPolicy = {
  name: "every-load-alerted",
  description:
    "Every real-time DI job has a failure alarm, every batch DI job an alerted layer that reads it, and every report node (ads, hourly) and realtime-layer node an error alert rule.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const of = (t: string) => args.resources.filter((r) => r.type === t);
    const failureRules = new Set(
      of(ALERTED_TYPES.diAlarmRule)
        .filter((r) => r.props.metricType === "Heartbeat")
        .map((r) => String(r.props.diAlarmRuleName)),
    );
    const errorRules = of(ALERTED_TYPES.nodeAlertRule).filter((r) => r.props.type === "Error");
    const watchedLayers = new Set(
      of(ALERTED_TYPES.workflow)
        .filter((wf) => {
          const nodes: unknown[] = Array.isArray(wf.props.nodes) ? wf.props.nodes : [];
          const names = nodes.map((n) => String((n as { name?: unknown }).name));
          return (
            names.length > 0 && errorRules.some((r) => Array.isArray(r.props.nodeNames) && r.props.nodeNames.some((n: unknown) => names.includes(String(n))))
          );
        })
        .map((wf) => String(wf.props.layer ?? "")),
    );
    for (const job of of(ALERTED_TYPES.diJob)) {
      const name = String(job.props.jobName);
      // The cost model's reading of a DI job's layer: its migration type, then its schedule.
      const layer = diLayer({ inputs: job.props });
      if (layer === "realtime") {
        if (!failureRules.has(`${name}-failure`)) {
          report(
            `${job.name}: DI job ${name} has no failure alarm (a DiAlarmRule "${name}-failure", metricType Heartbeat): a failed load would go unnoticed`,
            job.urn,
          );
        }
        continue;
      }
      if (!watchedLayers.has(layer)) {
        report(
          `${job.name}: batch DI job ${name} loads the ${layer} layer, which has no workflow with an Error alert rule over its nodes: ` +
            `a failed load would go unnoticed (a batch load is watched through the nodes that read it; DataWorks takes DI alarm rules only for real-time sync jobs)`,
          job.urn,
        );
      }
      // A DI alarm rule named after a batch job watches it: DataWorks would refuse it at `pulumi up`.
      for (const a of of(ALERTED_TYPES.diAlarmRule).filter((r) => String(r.props.diAlarmRuleName).startsWith(`${name}-`))) {
        report(
          `${a.name}: DI alarm rule ${String(a.props.diAlarmRuleName)} is on the batch DI job ${name}: DataWorks takes DI alarm rules only for ` +
            `real-time sync jobs (CreateDIAlarmRule), so it would be refused at pulumi up; a batch load is watched through the ${layer} layer's node rules`,
          a.urn,
        );
      }
    }
    const watched = new Set(errorRules.flatMap((r) => (Array.isArray(r.props.nodeNames) ? r.props.nodeNames.map(String) : [])));
    for (const wf of of(ALERTED_TYPES.workflow)) {
      const layer = String(wf.props.layer ?? "");
      if (!Object.prototype.hasOwnProperty.call(WATCHED_LAYERS, layer)) continue;
      const kind = WATCHED_LAYERS[layer as keyof typeof WATCHED_LAYERS];
      const nodes: unknown[] = Array.isArray(wf.props.nodes) ? wf.props.nodes : [];
      for (const n of nodes) {
        const name = String((n as { name?: unknown }).name);
        if (!watched.has(name)) {
          report(
            `${wf.name}: ${kind} node ${name} of workflow ${String(wf.props.name)} has no Error alert rule (NodeAlertRule type Error listing it): ${kind === "report" ? "a failed report" : "a failed view, snapshot or compaction"} would go unnoticed`,
            wf.urn,
          );
        }
      }
    }
    for (const node of of(ALERTED_TYPES.node)) {
      const folder =
        String(node.props.folderPath ?? "")
          .split("/")
          .pop() ?? "";
      if (!Object.prototype.hasOwnProperty.call(WATCHED_FOLDERS, folder)) continue;
      const kind = WATCHED_FOLDERS[folder as keyof typeof WATCHED_FOLDERS];
      const name = String(node.props.name);
      if (!watched.has(name)) {
        report(
          `${node.name}: ${kind} node ${name} has no Error alert rule (NodeAlertRule type Error listing it): ${kind === "report" ? "a failed report" : "a failed view, snapshot or compaction"} would go unnoticed`,
          node.urn,
        );
      }
    }
  },
};
