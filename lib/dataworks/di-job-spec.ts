/**
 * Data Integration job specs for the batch layers, as data (pure): which jobs a
 * layer needs, which tables each loads and the rules it applies. The
 * `BatchSync` component turns each spec into one `alicloud.dataworks.DiJob`.
 *
 * Settings that force replacement of a DI job (`jobName`, `migrationType`,
 * `jobSettings`, `resourceSettings`, data source settings) depend only on the
 * layer and the mode, never on the stage or the table list, so adding a table
 * or promoting a stage only updates `tableMappings` / `transformationRules`
 * (updatable) or creates a job.
 */
import { BatchTier, TableConfig } from "../config/types";
import { LAYER_SUFFIX } from "../maxcompute/ods-tables";

export type LoadMode = "incremental" | "full";

export interface TransformationRule {
  readonly ruleName: string;
  readonly ruleActionType: string;
  readonly ruleTargetType: string;
  readonly ruleExpression: string;
}

export interface DiJobSpec {
  /** Suffix of the Pulumi logical name: `incremental` / `full` (daily), the table name (hourly). */
  readonly key: string;
  readonly mode: LoadMode;
  readonly layer: BatchTier;
  readonly jobName: string;
  readonly migrationType: "FullAndOfflineIncremental" | "Full";
  readonly cycleMigrationType: "OfflineIncremental" | "Full";
  readonly scheduleParameters: string;
  readonly tables: readonly TableConfig[];
  readonly transformationRules: readonly TransformationRule[];
  /** Rule names per table, in table order. */
  readonly tableRules: readonly { table: string; rules: readonly string[] }[];
}

/** DataWorks scheduling parameters each layer's jobs take (the incremental window). */
export const SCHEDULE_PARAMETERS: Readonly<Record<BatchTier, string>> = {
  // bizdate is yesterday (T+1): the job at 00:30 loads the whole previous day.
  daily: "bizdate=$bizdate",
  // The previous full hour: the job at hh:05 loads [hh-1:00, hh:00).
  hourly: "bizdate=$[yyyymmdd-1/24] hh=$[hh24-1/24] start=$[yyyymmddhh24-1/24] end=$[yyyymmddhh24]",
};

/** The MySQL WHERE condition that selects one load window of `column`. */
export function incrementalWhere(layer: BatchTier, column: string): string {
  const c = `\`${column}\``;
  return layer === "daily"
    ? `${c} >= STR_TO_DATE('\${bizdate}', '%Y%m%d') AND ${c} < DATE_ADD(STR_TO_DATE('\${bizdate}', '%Y%m%d'), INTERVAL 1 DAY)`
    : `${c} >= STR_TO_DATE('\${start}', '%Y%m%d%H') AND ${c} < STR_TO_DATE('\${end}', '%Y%m%d%H')`;
}

/** Which tables a layer loads: daily loads every table, hourly the hourly-tier ones. */
export function layerTables(layer: BatchTier, tables: readonly TableConfig[]): TableConfig[] {
  return layer === "daily" ? [...tables] : tables.filter((t) => t.tier === "hourly");
}

/**
 * The DI jobs of a layer (none when it has no tables). `prefix` names the jobs in DataWorks.
 * Daily: one incremental job and one full job for all tables (the daily table set does
 * not depend on the stage). Hourly: one job per table, so that a table becoming hourly
 * on promotion creates a job and never updates an existing one.
 */
export function diJobSpecs(layer: BatchTier, tables: readonly TableConfig[], prefix: string, cron: string): DiJobSpec[] {
  const selected = layerTables(layer, tables);
  const groups: { key: string; mode: LoadMode; tables: TableConfig[] }[] =
    layer === "daily"
      ? [
          { key: "incremental", mode: "incremental", tables: selected.filter((t) => t.incrementalColumn !== undefined) },
          { key: "full", mode: "full", tables: selected.filter((t) => t.incrementalColumn === undefined) },
        ]
      : selected.map((t) => ({ key: t.name, mode: "incremental" as const, tables: [t] }));
  const specs: DiJobSpec[] = [];
  for (const { key, mode, tables: ts } of groups) {
    if (ts.length === 0) continue;
    const rename: TransformationRule = {
      ruleName: `rename_ods_${layer}`,
      ruleActionType: "Rename",
      ruleTargetType: "Table",
      ruleExpression: JSON.stringify({ expression: `ods_${"${srcTableName}"}_${LAYER_SUFFIX[layer]}` }),
    };
    const schedule: TransformationRule = {
      ruleName: `schedule_${layer}`,
      ruleActionType: "DefineCycleScheduleSettings",
      ruleTargetType: "Table",
      ruleExpression: JSON.stringify({ cronExpress: cron, cycleType: layer === "daily" ? "1" : "0" }),
    };
    const conditions: TransformationRule[] =
      mode === "incremental"
        ? ts.map((t) => ({
            ruleName: `incremental_${layer}_${t.name}`,
            ruleActionType: "DefineIncrementalCondition",
            ruleTargetType: "Table",
            ruleExpression: JSON.stringify({ where: incrementalWhere(layer, t.incrementalColumn as string) }),
          }))
        : [];
    const keys: TransformationRule[] = ts
      .filter((t) => t.primaryKey.length > 0)
      .map((t) => ({
        ruleName: `primary_key_${t.name}`,
        ruleActionType: "DefinePrimaryKey",
        ruleTargetType: "Table",
        ruleExpression: JSON.stringify({ columns: t.primaryKey }),
      }));
    specs.push({
      key,
      mode,
      layer,
      jobName: `${prefix}_ods_${layer}_${key}`,
      migrationType: mode === "incremental" ? "FullAndOfflineIncremental" : "Full",
      cycleMigrationType: mode === "incremental" ? "OfflineIncremental" : "Full",
      scheduleParameters: SCHEDULE_PARAMETERS[layer],
      tables: ts,
      transformationRules: [rename, schedule, ...conditions, ...keys],
      tableRules: ts.map((t) => ({
        table: t.name,
        rules: [
          rename.ruleName,
          schedule.ruleName,
          ...(mode === "incremental" ? [`incremental_${layer}_${t.name}`] : []),
          ...(t.primaryKey.length > 0 ? [`primary_key_${t.name}`] : []),
        ],
      })),
    });
  }
  return specs;
}
