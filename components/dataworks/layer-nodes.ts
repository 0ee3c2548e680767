import * as pulumi from "@pulumi/pulumi";
import { compactionPlans } from "../../lib/dts/compaction-sql";
import { canalCompactionPlans, canalRealtimeViewSql } from "../../lib/canal/merge-sql";
import { TableConfig } from "../../lib/config/types";
import { DEFAULT_RERUN, RerunPolicy } from "../../lib/dataworks/flowspec";
import { groupByPeriod, layerDependencyProblems, WorkflowNodeModel, workflowCron } from "../../lib/dataworks/workflow-spec";
import {
  DATAWORKS_LAYERS,
  DataWorksLayer,
  dailyReportPlans,
  hourlyAggregatePlans,
  LayerNodePlan,
  realtimePlans,
  realtimeViewSql,
  metricsNodePlan,
  DEFAULT_METRICS_INTERVAL_MINUTES,
  REALTIME_SCHEDULE,
  snapshotSql,
  LayerSqlFiles,
} from "../../lib/dataworks/layer-sql";
import { RealtimeSqlOptions } from "../../lib/dts/merge-sql";
import { SourceSchema } from "../../lib/config/source-schema";
import { DataWorksWorkflow } from "../../providers/dataworks/workflow";
import { TYPES } from "../../lib/plan/type-tokens";
import { rtFeedNodeSql, rtMetricsNodeSql } from "../../lib/metrics/rt-metrics";
import { flinkMetrics } from "../../lib/flink/flink-sql";

/** When a layer's nodes run, relative to the loads they read. */
export interface LayerSchedule {
  /** Daily DI load cron (`dataworks.dailyCron`); required for `daily`. */
  readonly dailyCron?: string;
  /** Hourly DI load cron (`dataworks.hourlyCron`); required for `hourly`. */
  readonly hourlyCron?: string;
  /** Minutes between the load and the nodes that read it. @default 60 (daily), 15 (hourly) */
  readonly delayMinutes?: number;
  /** Realtime: when the merge views are re-created. @default "00 10 * * * ?" */
  readonly viewCron?: string;
  /** Realtime: when the merged snapshots are taken. @default "00 40 * * * ?" */
  readonly snapshotCron?: string;
  /** Time zone of every cron. @default "Asia/Shanghai" */
  readonly timezone?: string;
}

/** Arguments of {@link LayerNodes}. */
export interface LayerNodesArgs {
  /** DataWorks workspace id (`Workspace.projectId`). */
  readonly projectId: pulumi.Input<number | string>;
  /** Workspace name (its identifier): node outputs are `<workspaceName>.<node>`, the root `<workspaceName>_root`. */
  readonly workspaceName: string;
  /** Region of the workspace (`alicloud:region`). */
  readonly region: string;
  /** Which layer's nodes to build. */
  readonly layer: DataWorksLayer;
  /** Every synced table (resolved config); the layer picks its own. */
  readonly tables: readonly TableConfig[];
  readonly schedule: LayerSchedule;
  /** Name of the workspace's MaxCompute data source the SQL runs on (`MAXCOMPUTE_DATA_SOURCE`). */
  readonly datasourceName: string;
  /** Scheduling resource group identifier. @default "" (the workspace default) */
  readonly resourceGroup?: string;
  /** DataWorks folder of the stack's workflows (one per layer, `<folder>/<workspaceName>_<layer>`). @default "photo-analytics" */
  readonly folderPath?: string;
  /**
   * Outputs of upstream nodes or workflows the layer's workflow also waits for (e.g. another
   * layer's workflow). @default [] (the workspace root only)
   */
  readonly upstreamOutputs?: pulumi.Input<string>[];
  /** Rerun policy of the workflow and of every node without its own. @default {mode: "Allowed", times: 3, intervalMs: 180000} */
  readonly rerun?: Partial<RerunPolicy>;
  /** Realtime: source schema snapshot the views and snapshot tables are generated from. Required for `realtime`. */
  readonly sourceSchema?: SourceSchema;
  /** Realtime: merge view SQL per table, instead of generating it from `sourceSchema`. */
  readonly viewSql?: Readonly<Record<string, string>>;
  /** Realtime: options of the view generator (DTS column naming). */
  readonly viewSqlOptions?: RealtimeSqlOptions;
  /**
   * Realtime: the engine whose change log the views merge: `dts` (`<t>_base` + `<t>_log`) or
   * `canal-datahub` (`<t>_canal_base` + Canal JSON in `<t>_canal_log`, lib/canal/merge-sql.ts).
   * Changing it rewrites the view and compaction nodes' scripts (the compaction node is renamed). @default "dts"
   */
  readonly realtimeEngine?: "dts" | "canal-datahub" | "dataworks-flink";
  /** Realtime: days a snapshot partition is kept. @default 7 */
  readonly snapshotLifecycleDays?: number;
  /**
   * Realtime: minutes between two runs of the metrics node (`rt_metrics`, lib/metrics/rt-metrics.ts), one of
   * DataWorks' minute intervals 5, 10, 15, 20, 30. Updated in place (its cron). @default 5
   */
  readonly metricsIntervalMinutes?: number;
  /** The `sql/maxcompute` files the daily and hourly nodes run, by path under it (stack.ts reads them). */
  readonly sqlFiles: LayerSqlFiles;
}

/**
 * The name of a layer's workflow in DataWorks: `<workspaceName>_<layer>`, and for nodes of another
 * schedule period than the layer's first node `<workspaceName>_<layer>_<period>` (e.g. the realtime
 * layer's daily compaction: `<workspaceName>_realtime_daily`).
 */
export function layerWorkflowName(workspaceName: string, layer: string, period?: string): string {
  return period ? `${workspaceName}_${layer}_${period}` : `${workspaceName}_${layer}`;
}

/**
 * One layer's DataWorks ODPS SQL nodes as a periodic workflow (a DataWorksWorkflow dynamic
 * resource, `<name>-workflow`): T+1 ADS reports (`daily`), hourly DWS aggregates (`hourly`), or
 * the `<table>_realtime` merge views and their hourly snapshots (`realtime`). Every LayerNodePlan of
 * the layer becomes an inner node with its own name, SQL, cron, parameters and rerun policy
 * (lib/dataworks/layer-sql.ts); a plan's `after` becomes a dependency inside the workflow. Inner
 * nodes of a workflow share its schedule period (Data Studio gives them no cycle of their own), so
 * nodes of another period get a workflow of their own in the same layer (`<name>-workflow-<period>`:
 * the realtime layer's daily compaction, a minute-level node). Imported, deployed and deleted whole.
 * Compute, not data: not protected; the tables the nodes write are kept.
 */
export class LayerNodes extends pulumi.ComponentResource {
  public static readonly TYPE = TYPES.LayerNodes;
  /** The layer's workflows: the first holds the nodes of the layer's first node's period. */
  public readonly workflows: readonly DataWorksWorkflow[];
  /** The layer's first workflow (`<name>-workflow`); undefined when the layer has no node. */
  public readonly workflow: DataWorksWorkflow | undefined;
  /** The workflows' names in DataWorks, in the same order. */
  public readonly workflowNames: readonly string[];
  /** What each inner node runs (for docs, plan and tests). */
  public readonly plans: readonly LayerNodePlan[];

  constructor(name: string, args: LayerNodesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(LayerNodes.TYPE, name, {}, opts);
    this.plans = this.plan(args);

    const folderRoot = args.folderPath ?? "photo-analytics";
    const output = (node: string) => `${args.workspaceName}.${node}`;
    const timezone = args.schedule.timezone ?? "Asia/Shanghai";
    const layerRerun: RerunPolicy = { ...DEFAULT_RERUN, ...(args.rerun ?? {}) };
    const problems = layerDependencyProblems(args.layer, this.plans);
    if (problems.length > 0) throw new pulumi.ResourceError(`LayerNodes ${args.layer}: ${problems.join("; ")}`, this);
    const groups = groupByPeriod(this.plans);
    const workflows: DataWorksWorkflow[] = [];
    const names: string[] = [];
    groups.forEach((g, i) => {
      const nodes: WorkflowNodeModel[] = g.nodes.map((p) => {
        return {
          name: p.name,
          script: p.script,
          cron: p.cron,
          timezone,
          instanceMode: p.instanceMode,
          parameters: { ...p.parameters },
          dependencies: p.after.map(output),
          outputName: output(p.name),
          // The load checks keep their own, longer rerun policy (they wait for a late load).
          rerun: { ...layerRerun, ...(p.rerun ?? {}) },
          datasourceName: args.datasourceName,
          resourceGroup: args.resourceGroup ?? "",
          description: p.description,
        };
      });
      const workflowName = layerWorkflowName(args.workspaceName, args.layer, i === 0 ? undefined : g.period);
      names.push(workflowName);
      workflows.push(
        new DataWorksWorkflow(
          i === 0 ? `${name}-workflow` : `${name}-workflow-${g.period}`,
          {
            projectId: args.projectId,
            region: args.region,
            layer: args.layer,
            // Where the stack's per-node resources put these nodes before workflows (migration in one `up`).
            formerFolderPaths: [...new Set(g.nodes.map((p) => `${folderRoot}/${p.folder}`))],
            name: workflowName,
            folderPath: folderRoot,
            description: `photo-analytics ${args.layer} layer${i === 0 ? "" : `, ${g.period} nodes`}`,
            cron: workflowCron(nodes),
            timezone,
            // Realtime views start right after deploy (their nodes are Immediately): the workflow must too.
            instanceMode: nodes.some((n) => n.instanceMode === "Immediately") ? "Immediately" : "T+1",
            rerun: layerRerun,
            dependencies: [`${args.workspaceName}_root`, ...(args.upstreamOutputs ?? [])],
            outputName: output(workflowName),
            nodes,
          },
          { parent: this },
        ),
      );
    });
    // A layer whose reports read no synced table has no node: then no workflow either.
    this.workflows = workflows;
    this.workflow = workflows[0];
    this.workflowNames = names;
    this.registerOutputs({ workflowIds: workflows.map((w) => w.workflowId) });
  }

  private plan(args: LayerNodesArgs): LayerNodePlan[] {
    if (!(DATAWORKS_LAYERS as readonly string[]).includes(args.layer)) {
      throw new pulumi.ResourceError(`layer "${args.layer}" is not one of ${DATAWORKS_LAYERS.join(", ")}`, this);
    }
    if (!args.workspaceName) throw new pulumi.ResourceError(`workspaceName is required (node outputs are <workspaceName>.<node>)`, this);
    const s = args.schedule;
    try {
      switch (args.layer) {
        case "daily":
          if (!s.dailyCron) throw new Error(`schedule.dailyCron is required for the daily layer (the daily load's cron, dataworks.dailyCron)`);
          return dailyReportPlans(args.tables, { dailyCron: s.dailyCron, delayMinutes: s.delayMinutes, sqlFiles: args.sqlFiles });
        case "hourly":
          if (!s.hourlyCron) throw new Error(`schedule.hourlyCron is required for the hourly layer (the hourly load's cron, dataworks.hourlyCron)`);
          return hourlyAggregatePlans(args.tables, { hourlyCron: s.hourlyCron, delayMinutes: s.delayMinutes, sqlFiles: args.sqlFiles });
        case "realtime": {
          const schema = args.sourceSchema;
          if (!schema) throw new Error(`sourceSchema is required for the realtime layer (the snapshot tables take the source columns)`);
          const realtime = args.tables.filter((t) => t.realtime);
          const lifecycle = args.snapshotLifecycleDays ?? REALTIME_SCHEDULE.snapshotLifecycleDays;
          if (args.realtimeEngine === "dataworks-flink") {
            // The Flink job keeps the rt_* tables and the <table>_realtime Delta tables itself: the layer's one node
            // copies the rt_* values into the feed SLS imports (lib/metrics/rt-metrics.ts rtFeedNodeSql).
            return [
              metricsNodePlan(
                rtFeedNodeSql(schema, args.tables),
                args.metricsIntervalMinutes ?? DEFAULT_METRICS_INTERVAL_MINUTES,
                realtime.map((t) => t.name),
              ),
            ];
          }
          const canal = args.realtimeEngine === "canal-datahub";
          return [
            ...realtimePlans(args.tables, {
              viewSql: args.viewSql ?? (canal ? canalRealtimeViewSql(schema, realtime) : realtimeViewSql(schema, realtime, args.viewSqlOptions)),
              snapshotSql: Object.fromEntries(realtime.map((t) => [t.name, snapshotSql(schema, t.name, lifecycle)])),
              viewCron: s.viewCron,
              snapshotCron: s.snapshotCron,
              ...(canal ? { viewSource: (t: string) => `Canal ${t}_canal_base + ${t}_canal_log` } : {}),
              // The rt_* metrics contract, from the change log of yesterday and today (lib/metrics/rt-metrics.ts),
              // when a metric's source tables are realtime.
              ...(flinkMetrics(
                schema,
                realtime.map((t) => t.name),
              ).length > 0
                ? { metricsSql: rtMetricsNodeSql(canal ? "canal-datahub" : "dts", schema, args.tables, args.viewSqlOptions) }
                : {}),
              metricsIntervalMinutes: args.metricsIntervalMinutes,
            }),
            // The daily compaction keeps every view's scan and every log table within MaxCompute's
            // partition limits (lib/dts/compaction-sql.ts; Canal's: lib/canal/merge-sql.ts).
            ...(canal ? canalCompactionPlans(schema, realtime) : compactionPlans(schema, realtime)),
          ];
        }
      }
    } catch (e) {
      if (e instanceof pulumi.ResourceError) throw e;
      throw new pulumi.ResourceError(`LayerNodes ${args.layer}: ${(e as Error).message}`, this);
    }
  }
}
