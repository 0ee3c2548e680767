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
import { createHash } from "crypto";
import { BatchTier, STAGES, TableConfig } from "../config/types";
import { LAYER_PARTITIONS, LAYER_SUFFIX } from "../maxcompute/ods-tables";
import { quoteIdent } from "../source/endpoint";
import { cronKindProblem, dataWorksCron } from "../config/cron";

export type LoadMode = "incremental" | "full";

export interface TransformationRule {
  readonly ruleName: string;
  readonly ruleActionType: string;
  readonly ruleTargetType: string;
  readonly ruleExpression: string;
}

export interface DiJobSpec {
  /** Suffix of the Pulumi logical name: `incremental` / `full` (daily), `since_<stage>` (hourly). */
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
  // bizdate is yesterday (T+1): the job at 00:30 loads what changed since the previous day began.
  daily: "bizdate=$bizdate",
  // The previous hour: the job at hh:05 loads what changed since hh-1:00. `end` is no longer read
  // (incrementalWhere) but stays: scheduleParameters is in jobSettings, and a changed jobSettings
  // replaces the job.
  hourly: "bizdate=$[yyyymmdd-1/24] hh=$[hh24-1/24] start=$[yyyymmddhh24-1/24] end=$[yyyymmddhh24]",
};

/**
 * `DefineCycleScheduleSettings.cycleType`: DataWorks' scheduler enum
 * `CycleType { DAY(0), NOT_DAY(1), NOT_DAY_SEQ(2) }` (Alibaba Cloud's DataWorks
 * migration tool, aliyun/dataworks-spec client/migrationx,
 * `com.aliyun.dataworks.migrationx.domain.dataworks.objects.types.CycleType`): a
 * daily job is `"0"`, an hourly one `"1"`. (The stack sent them the other way
 * round before; the SDK's only example, `{"cronExpress":" * * * * * *", "cycleType":"1"}`,
 * names no meaning.)
 */
export const CYCLE_TYPE: Readonly<Record<BatchTier, "0" | "1">> = { daily: "0", hourly: "1" };

/**
 * The values written into each layer's partition columns, from the scheduling
 * parameters (`SCHEDULE_PARAMETERS`): the day (and hour) the job loads.
 */
export const PARTITION_VALUES: Readonly<Record<BatchTier, Readonly<Record<string, string>>>> = {
  daily: { ds: "${bizdate}" },
  hourly: { ds: "${bizdate}", hh: "${hh}" },
};

/**
 * The MySQL WHERE condition of a load of `column`: the rows changed since the period began (the day
 * `bizdate`, the hour `start`), up to the moment the load reads them, with no upper bound. So a row
 * of the period changed again after its end but before the load (a photo uploaded at 23:59:58 and
 * analysed at 00:00:03) is loaded into the period's partition with the image it has then, instead
 * of leaving it for the next period's partition, where no report of its own period looks (the
 * reports keep their period's rows by created time; tests/sql-week.test.ts). A backfill of an old
 * period then loads every row changed since it began, which is what its reports need as well.
 */
export function incrementalWhere(layer: BatchTier, column: string): string {
  const c = quoteIdent(column);
  return layer === "daily" ? `${c} >= STR_TO_DATE('\${bizdate}', '%Y%m%d')` : `${c} >= STR_TO_DATE('\${start}', '%Y%m%d%H')`;
}

/** Which tables a layer loads: daily loads every table, hourly the hourly-tier ones. */
export function layerTables(layer: BatchTier, tables: readonly TableConfig[]): TableConfig[] {
  return layer === "daily" ? [...tables] : tables.filter((t) => t.tier === "hourly");
}

/**
 * The DI jobs of a layer (none when it has no tables). `prefix` names the jobs in DataWorks.
 * Daily: one incremental job and one full job for all tables (the daily table set does not
 * depend on the stage). Hourly: one incremental job per stage a table becomes hourly at
 * (`since_<stage>`: every hourly table has an incremental column, lib/config/rules.ts), so a
 * promotion creates the job of the tables it makes hourly and never changes an existing one;
 * with the defaults, one job (`since_growth`: the three core tables). A table moved to or from
 * tier `hourly` in the config updates its job in place, and the job's DiJobRun restarts it (as a
 * change of the daily job's tables does). Not one job per table: every DataWorks OpenAPI call
 * counts against Basic Edition's 100 a day (a job costs 3 calls to create, 2 to refresh:
 * lib/dataworks/api-budget.ts), and a batch job has no alarm rule of its own to keep apart (its
 * loads are watched through the nodes that read them, lib/monitoring/alert-rules.ts).
 */
export function diJobSpecs(layer: BatchTier, tables: readonly TableConfig[], prefix: string, cron: string): DiJobSpec[] {
  const selected = layerTables(layer, tables);
  const groups: { key: string; mode: LoadMode; tables: TableConfig[] }[] =
    layer === "daily"
      ? [
          { key: "incremental", mode: "incremental", tables: selected.filter((t) => t.incrementalColumn !== undefined) },
          { key: "full", mode: "full", tables: selected.filter((t) => t.incrementalColumn === undefined) },
        ]
      : STAGES.map((since) => ({
          key: `since_${since}`,
          mode: "incremental" as const,
          tables: selected.filter((t) => (t.hourlySince ?? "initial") === since),
        }));
  const cronProblem = cronKindProblem(`the ${layer} DI jobs' cron`, cron, layer);
  if (cronProblem) throw new Error(cronProblem);
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
      // DataWorks' own cron form (hourly `00 05 00-23/1 * * ?`), and its DAY=0 / NOT_DAY=1 cycle types.
      ruleExpression: JSON.stringify({ cronExpress: dataWorksCron(cron), cycleType: CYCLE_TYPE[layer] }),
    };
    // The ODS tables exist already (ROS, lib/maxcompute/ods-tables.ts), partitioned by `ds` (daily) or
    // `ds, hh` (hourly); DataWorks' default partition column is `pt`. Name the partition columns
    // (DefinePartitionKey, `{"columns":[...]}`) and fill them from the scheduling parameters
    // (AddColumn, `{"columns":[{"columnName","columnValueType":"Constant","columnValue"}]}`): both
    // shapes from the CreateDIJob / UpdateDIJob `TransformationRules.RuleExpression` doc
    // (https://help.aliyun.com/zh/dataworks/developer-reference/api-dataworks-public-2024-05-18-createdijob).
    const partitionColumns = LAYER_PARTITIONS[layer].map((p) => p.name);
    const partitionValues: TransformationRule = {
      ruleName: `partition_values_${layer}`,
      ruleActionType: "AddColumn",
      ruleTargetType: "Table",
      ruleExpression: JSON.stringify({
        columns: partitionColumns.map((name) => ({ columnName: name, columnValueType: "Constant", columnValue: PARTITION_VALUES[layer][name] })),
      }),
    };
    const partitionKey: TransformationRule = {
      ruleName: `partition_key_${layer}`,
      ruleActionType: "DefinePartitionKey",
      ruleTargetType: "Table",
      ruleExpression: JSON.stringify({ columns: partitionColumns }),
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
      transformationRules: [rename, schedule, partitionValues, partitionKey, ...conditions, ...keys],
      tableRules: ts.map((t) => ({
        table: t.name,
        rules: [
          rename.ruleName,
          schedule.ruleName,
          partitionValues.ruleName,
          partitionKey.ruleName,
          ...(mode === "incremental" ? [`incremental_${layer}_${t.name}`] : []),
          ...(t.primaryKey.length > 0 ? [`primary_key_${t.name}`] : []),
        ],
      })),
    });
  }
  return specs;
}

/**
 * A short, stable fingerprint of everything that makes up a DI job (`v1-` + 16
 * hex digits of a SHA-256 over the spec and the settings the component adds):
 * the job's `DiJobRun` restarts the job when it changes, because an updated
 * offline job runs its new definition only once restarted.
 */
export function diJobVersion(spec: DiJobSpec, settings: Readonly<Record<string, unknown>> = {}): string {
  return definitionVersion(
    "v1",
    {
      jobName: spec.jobName,
      migrationType: spec.migrationType,
      cycleMigrationType: spec.cycleMigrationType,
      scheduleParameters: spec.scheduleParameters,
      tables: spec.tables.map((t) => t.name),
      transformationRules: spec.transformationRules,
      tableRules: spec.tableRules,
    },
    settings,
  );
}

/**
 * DDL the DI jobs replay from MySQL: columns added are added to the target table; destructive DDL
 * is ignored, never replayed (`jobSettings.ddlHandlingSettings`, DataWorks CreateDIJob).
 */
export const DDL_HANDLING_SETTINGS = [
  { type: "AddColumn", action: "Normal" },
  { type: "DropColumn", action: "Ignore" },
  { type: "DropTable", action: "Ignore" },
  { type: "TruncateTable", action: "Ignore" },
] as const;

/** The `tableMappings` of a whole-database DI job: one exact table of one database each, with the rules named for it. */
export function diTableMappings(
  spec: {
    readonly tables: readonly { readonly name: string }[];
    readonly tableRules: readonly { readonly rules: readonly string[] }[];
    readonly transformationRules: readonly TransformationRule[];
  },
  sourceDataSourceName: string,
  database: string,
): { sourceObjectSelectionRules: Record<string, string>[]; transformationRules: { ruleName: string; ruleActionType: string; ruleTargetType: string }[] }[] {
  const rulesByName = new Map(spec.transformationRules.map((r) => [r.ruleName, r]));
  return spec.tables.map((t, i) => ({
    sourceObjectSelectionRules: [
      { action: "Include", expressionType: "Exact", objectType: "Datasource", expression: sourceDataSourceName },
      { action: "Include", expressionType: "Exact", objectType: "Database", expression: database },
      { action: "Include", expressionType: "Exact", objectType: "Table", expression: t.name },
    ],
    transformationRules: spec.tableRules[i].rules.map((n) => {
      const r = rulesByName.get(n)!;
      return { ruleName: r.ruleName, ruleActionType: r.ruleActionType, ruleTargetType: r.ruleTargetType };
    }),
  }));
}

/** A fingerprint (`<prefix>-` + 16 hex digits of SHA-256) of a job definition's fields, settings in key order. */
export function definitionVersion(prefix: string, fields: Readonly<Record<string, unknown>>, settings: Readonly<Record<string, unknown>> = {}): string {
  const canon = JSON.stringify({
    ...fields,
    settings: Object.keys(settings)
      .sort()
      .map((k) => [k, settings[k]]),
  });
  return `${prefix}-${createHash("sha256").update(canon).digest("hex").slice(0, 16)}`;
}
