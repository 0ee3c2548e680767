/**
 * The `dataworks-flink` engine's sync, as data (pure): one DataWorks whole-database realtime DI
 * job (CreateDIJob, DataWorks 2024-05-18, `MigrationType` `FullAndRealtimeIncremental` "全量和实时
 * 增量，整库实时", https://help.aliyun.com/zh/dataworks/developer-reference/api-dataworks-public-2024-05-18-createdijob)
 * carrying every realtime table from MySQL into MaxCompute.
 *
 * Where `<table>_realtime` comes from: the job's schema migration creates the destination tables
 * ("结构迁移：自动在目标端建立与源端匹配的数据库对象"), and a whole-database realtime job into
 * MaxCompute writes Delta tables only ("整库实时仅支持Delta Table类型的表", DataWorks
 * "整库实时同步任务配置", https://help.aliyun.com/zh/dataworks/user-guide/configure-a-data-synchronization-solution-in-data-integration).
 * The stack names them (`Rename` `${srcTableName}_realtime`) and gives each its primary key
 * (`DefinePrimaryKey` `{"columns":[...]}`: the rule shapes of the CreateDIJob / UpdateDIJob
 * `TransformationRules.RuleExpression` doc), and sets no `DefinePartitionKey`: the seed's realtime
 * tables are not partitioned. So `<table>_realtime` is the PK Delta table itself (upserts applied
 * by MaxCompute), not a merge view, and it is never owned by the stack: switching the engine off
 * leaves it with its data, like DTS's `_base`/`_log`.
 *
 * The alternative, pre-creating the tables (ROS or `TableColumns`-style DDL), was not taken: a
 * table the stack creates only for this engine would be deleted from the plan when the engine
 * changes, which the promotion invariants forbid for data.
 */
import type { TableConfig } from "../config/types";
import { definitionVersion, type TransformationRule } from "../dataworks/di-job-spec";
import { REALTIME_TABLE_SUFFIX } from "../config/realtime";

/** What the component turns into one `alicloud.dataworks.DiJob` (+ DiJobRun + alarm rules). */
export interface RealtimeDiJobSpec {
  readonly jobName: string;
  readonly migrationType: "FullAndRealtimeIncremental";
  readonly tables: readonly TableConfig[];
  readonly transformationRules: readonly TransformationRule[];
  /** Rule names per table, in table order. */
  readonly tableRules: readonly { table: string; rules: readonly string[] }[];
}

/** The realtime DI job of `tables` (those with `realtime: true`); `prefix` is the workspace name. */
export function realtimeDiJobSpec(tables: readonly TableConfig[], prefix: string): RealtimeDiJobSpec {
  const ts = tables.filter((t) => t.realtime);
  if (ts.length === 0) throw new Error("the realtime DI job needs at least one table with realtime: true");
  const noKey = ts.filter((t) => t.primaryKey.length === 0).map((t) => t.name);
  if (noKey.length > 0) {
    throw new Error(
      `realtime tables need a primary key (a PK Delta table upserts by it): ${noKey.join(", ")} have none; set tables[].primaryKey or take them out of the realtime set`,
    );
  }
  const rename: TransformationRule = {
    ruleName: "rename_realtime",
    ruleActionType: "Rename",
    ruleTargetType: "Table",
    ruleExpression: JSON.stringify({ expression: `\${srcTableName}${REALTIME_TABLE_SUFFIX}` }),
  };
  const keys: TransformationRule[] = ts.map((t) => ({
    ruleName: `primary_key_${t.name}`,
    ruleActionType: "DefinePrimaryKey",
    ruleTargetType: "Table",
    ruleExpression: JSON.stringify({ columns: t.primaryKey }),
  }));
  return {
    jobName: `${prefix}_realtime`,
    migrationType: "FullAndRealtimeIncremental",
    tables: ts,
    transformationRules: [rename, ...keys],
    tableRules: ts.map((t) => ({ table: t.name, rules: [rename.ruleName, `primary_key_${t.name}`] })),
  };
}

/** Fingerprint of the job's definition (`rt1-` + 16 hex): its DiJobRun restarts the job when it changes. */
export function realtimeDiJobVersion(spec: RealtimeDiJobSpec, settings: Readonly<Record<string, unknown>> = {}): string {
  return definitionVersion(
    "rt1",
    {
      jobName: spec.jobName,
      migrationType: spec.migrationType,
      tables: spec.tables.map((t) => t.name),
      transformationRules: spec.transformationRules,
      tableRules: spec.tableRules,
    },
    settings,
  );
}
