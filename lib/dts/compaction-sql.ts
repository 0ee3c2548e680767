/**
 * The daily compaction of the DTS tables of one realtime table, and the script that moves a job's
 * tables aside before a new job starts. Pure: no Pulumi, no I/O.
 *
 * Why: `<table>_log` gains a partition per minute (1,440 a day); MaxCompute reads at most 10,000
 * partitions in one query and holds at most 60,000 in one table (doc 73771), so a log read whole
 * fails after about a week and the table itself fills up in 41 days. Each day the compaction
 * writes `<table>_compacted` partition `ds = ${bizdate}`: the latest image per key over the newest
 * earlier image (`MAX_PT`), the log from that image's day on, and the baseline, tombstones kept.
 * It then drops images older than `compactedRetentionDays` and log partitions older than
 * `logRetentionDays` (ALTER TABLE ... DROP PARTITION with filter conditions, one partition column
 * per condition, doc 73771 "删除分区"). Readers (the view, merge-sql.ts) take the newest image and
 * the log from its day on.
 *
 * Safe by construction:
 * - The image is a max per key over a union, so merging an image with changes it already holds
 *   gives the same image: a rerun, an overlap of days, or a catch-up after missed days is exact.
 * - It starts from the newest image there is (`MAX_PT`), not from "yesterday's": a missed day
 *   never makes it start from nothing.
 * - Logs are dropped only after the image of the same run is written (the node stops at the first
 *   failing statement), and only days older than that image by `logRetentionDays` (>= 2, so a
 *   UTC-partitioned log against a local bizdate is covered).
 * - No LIFECYCLE on `_compacted` or `_log`: a lifecycle would also reclaim partitions while the
 *   compaction is down; the explicit drops remove only what an image already holds.
 */
import { SourceSchema, findTable } from "../config/source-schema";
import { cronKindProblem } from "../config/cron";
import {
  DTS_MERGE_COLUMNS,
  LOG_PARTITIONS_PER_DAY,
  MAX_PARTITIONS_PER_TABLE,
  RealtimeSqlOptions,
  attachedColumns,
  compactedTableSql,
  dtsTableNames,
  rankedImagesSql,
} from "./merge-sql";
import { FULL_SCAN, MergeColumns, RealtimeTableSpec } from "../realtime/merge-sql";
import { mcIdent } from "../maxcompute/ods-tables";

/** Settings of the compaction. */
export interface CompactionOptions extends RealtimeSqlOptions {
  /**
   * After writing the image of `bizdate`, log partitions of days on or before `bizdate -
   * logRetentionDays` are dropped (2-38). Every reader needs only the newest image's day on;
   * more days only help someone reading the raw log. The table holds about (logRetentionDays + 1)
   * x 1,440 partitions (tests/realtime-compaction.test.ts: 11,040 for 7). @default 7
   */
  readonly logRetentionDays?: number;
  /** Images of days on or before `bizdate - compactedRetentionDays` are dropped (1-30); older images are only for looking back. @default 7 */
  readonly compactedRetentionDays?: number;
  /** Daily Quartz cron of the node, after midnight so the day's log is complete. @default "00 20 00 * * ?" */
  readonly cron?: string;
}

/** Defaults of {@link CompactionOptions}. */
export const COMPACTION_DEFAULTS = { logRetentionDays: 7, compactedRetentionDays: 7, cron: "00 20 00 * * ?" } as const;

/** Bounds of the retention settings, from the partition limits (see {@link checkCompactionOptions}). */
export const LOG_RETENTION_DAYS_RANGE = { min: 2, max: Math.floor(MAX_PARTITIONS_PER_TABLE / LOG_PARTITIONS_PER_DAY) - 3 } as const;
export const COMPACTED_RETENTION_DAYS_RANGE = { min: 1, max: 30 } as const;

/** Problems with the options, as messages naming the option, the value and what is allowed. */
export function checkCompactionOptions(o: CompactionOptions): string[] {
  const problems: string[] = [];
  const intIn = (key: string, v: number | undefined, r: { min: number; max: number }, why: string): void => {
    if (v !== undefined && (!Number.isInteger(v) || v < r.min || v > r.max)) {
      problems.push(`compaction ${key} is ${v}; allowed: a whole number from ${r.min} to ${r.max} (${why})`);
    }
  };
  intIn(
    "logRetentionDays",
    o.logRetentionDays,
    LOG_RETENTION_DAYS_RANGE,
    `readers need the newest image's day and the day before may still be written (UTC partitions against a local bizdate); (days + 3) x ${LOG_PARTITIONS_PER_DAY} partitions must stay within MaxCompute's ${MAX_PARTITIONS_PER_TABLE} per table`,
  );
  intIn("compactedRetentionDays", o.compactedRetentionDays, COMPACTED_RETENTION_DAYS_RANGE, "images older than the newest are kept only for looking back");
  const cronProblem = o.cron === undefined ? undefined : cronKindProblem("compaction cron", o.cron, "daily");
  if (cronProblem) problems.push(cronProblem);
  return problems;
}

/** Throws the problems of {@link checkCompactionOptions}, joined, if there are any. */
export function assertCompactionOptions(o: CompactionOptions): void {
  const problems = checkCompactionOptions(o);
  if (problems.length > 0) throw new Error(problems.join("; "));
}

/** Scheduling parameters of the node (DataWorks: `$bizdate` is yesterday; `$[yyyymmdd-N]` is N days before the run). */
export function compactionParameters(o: CompactionOptions = {}): Record<string, string> {
  const logDays = o.logRetentionDays ?? COMPACTION_DEFAULTS.logRetentionDays;
  const imageDays = o.compactedRetentionDays ?? COMPACTION_DEFAULTS.compactedRetentionDays;
  // bizdate = run day - 1; the cut-offs are bizdate - N = run day - (N + 1).
  return { bizdate: "$bizdate", log_cutoff: `$[yyyymmdd-${logDays + 1}]`, compacted_cutoff: `$[yyyymmdd-${imageDays + 1}]` };
}

/**
 * The partition filters that drop every log partition on or before `${log_cutoff}` (yyyymmdd):
 * three statements because a drop condition may name only one partition column each.
 */
export function logDropSql(table: string, options: RealtimeSqlOptions = {}): string {
  const [y, m, d] = attachedColumns(options.naming ?? "legacy").day.map((c) => `CAST(${mcIdent(c)} AS BIGINT)`);
  const part = (from: number, len: number): string => `CAST(SUBSTR('\${log_cutoff}', ${from}, ${len}) AS BIGINT)`;
  const log = mcIdent(dtsTableNames(table).log);
  return (
    `ALTER TABLE ${log} DROP IF EXISTS PARTITION (${y} < ${part(1, 4)});\n` +
    `ALTER TABLE ${log} DROP IF EXISTS PARTITION (${y} = ${part(1, 4)}, ${m} < ${part(5, 2)});\n` +
    `ALTER TABLE ${log} DROP IF EXISTS PARTITION (${y} = ${part(1, 4)}, ${m} = ${part(5, 2)}, ${d} <= ${part(7, 2)});\n`
  );
}

/**
 * The part of a compaction script common to the engines: writes image `ds = ${bizdate}` of
 * `compacted` (the latest image per key of `ranked`, merge-sql.ts `rankedImagesFrom`, tombstones kept),
 * then drops images on or before `${compacted_cutoff}`. The engine then drops its log partitions.
 */
export function compactedImageSql(compacted: string, cols: readonly string[], merge: MergeColumns, ranked: string): string {
  return (
    FULL_SCAN +
    `INSERT OVERWRITE TABLE ${mcIdent(compacted)} PARTITION (ds = '\${bizdate}')\n` +
    `SELECT ${cols.join(", ")}, ${[...merge.order, merge.afterFlag].join(", ")}\n` +
    `FROM (\n` +
    ranked +
    `) ranked\n` +
    `WHERE ${merge.rank} = 1;\n` +
    `ALTER TABLE ${mcIdent(compacted)} DROP IF EXISTS PARTITION (ds < '\${compacted_cutoff}');\n`
  );
}

/** The compaction script of one table (parameters: {@link compactionParameters}). */
export function compactionSql(
  schema: SourceSchema,
  spec: RealtimeTableSpec,
  options: CompactionOptions = {},
  schemaLabel = "the source schema snapshot",
): string {
  assertCompactionOptions(options);
  const names = dtsTableNames(spec.name);
  const ranked = rankedImagesSql(schema, spec, options, "  "); // checks the spec against the table first
  const cols = findTable(schema, spec.name)!.columns.map((c) => mcIdent(c.name));
  return (
    `-- Generated by lib/dts/compaction-sql.ts from ${schemaLabel}: do not edit by hand.\n` +
    `-- ${names.compacted} partition \${bizdate}: the latest image per key (${spec.primaryKey.join(", ")}) over the newest earlier image,\n` +
    `-- ${names.log} from that image's day on, and ${names.base}; deletes kept as tombstones. Then old images and\n` +
    `-- log partitions are dropped (parameters: bizdate=$bizdate, log_cutoff and compacted_cutoff = days kept before it).\n` +
    compactedTableSql(schema, spec, options) +
    compactedImageSql(names.compacted, cols, DTS_MERGE_COLUMNS, ranked) +
    logDropSql(spec.name, options)
  );
}

/** A DataWorks node, in the shape of lib/dataworks/layer-sql.ts `LayerNodePlan`. */
export interface CompactionNodePlan {
  readonly name: string;
  readonly folder: string;
  readonly script: string;
  readonly cron: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly instanceMode: "T+1";
  readonly after: readonly string[];
  readonly description: string;
  readonly sources: readonly string[];
}

/** Name of the compaction node of `table` (the table it writes). */
export function compactionNodeName(table: string): string {
  return dtsTableNames(table).compacted;
}

/** What differs between the engines' compaction nodes ({@link compactionNodePlans}). */
export interface CompactionNodeEngine {
  /** The node's name: the compacted table it writes. */
  readonly name: (table: string) => string;
  readonly script: (spec: RealtimeTableSpec) => string;
  /** What the node folds, for its description ("Daily compaction of <source> into ..."). */
  readonly source: (table: string) => string;
}

/** One daily compaction node per realtime table (`realtime` not false), on any engine. */
export function compactionNodePlans(
  tables: readonly (RealtimeTableSpec & { readonly realtime?: boolean })[],
  options: CompactionOptions,
  engine: CompactionNodeEngine,
): CompactionNodePlan[] {
  return tables
    .filter((t) => t.realtime !== false)
    .map((t) => ({
      name: engine.name(t.name),
      folder: "realtime",
      script: engine.script(t),
      cron: options.cron ?? COMPACTION_DEFAULTS.cron,
      parameters: compactionParameters(options),
      instanceMode: "T+1" as const,
      after: [],
      description: `Daily compaction of ${engine.source(t.name)} into ${engine.name(t.name)}; drops compacted log partitions`,
      sources: [t.name],
    }));
}

/**
 * One daily compaction node per realtime table. To be added to the realtime layer's nodes
 * (lib/dataworks/layer-sql.ts `realtimePlans`) whenever DTS is the engine.
 */
export function compactionPlans(
  schema: SourceSchema,
  tables: readonly (RealtimeTableSpec & { readonly realtime?: boolean })[],
  options: CompactionOptions = {},
): CompactionNodePlan[] {
  assertCompactionOptions(options);
  return compactionNodePlans(tables, options, {
    name: compactionNodeName,
    script: (t) => compactionSql(schema, t, options),
    source: (table) => `DTS ${dtsTableNames(table).base} + ${dtsTableNames(table).log}`,
  });
}

/**
 * The script run before a new DTS job starts over a project that holds an earlier job's tables
 * (realtime switched on again, or the job replaced): renames `<table>_base`, `_log` and
 * `_compacted` to `<name>_e${epoch}` (epoch: yyyymmdd of the switch, or any new suffix). Nothing
 * is dropped; the old tables stay readable. The new job then creates fresh tables and a fresh
 * baseline, which is the whole truth at that moment: nothing from before it can come back.
 */
export function reenableSql(tables: readonly string[]): string {
  const sorted = [...tables].sort();
  const lines = sorted.flatMap((t) => {
    const n = dtsTableNames(t);
    return [n.base, n.log, n.compacted].map((x) => `ALTER TABLE ${mcIdent(x)} RENAME TO ${mcIdent(`${x}_e\${epoch}`)};`);
  });
  return (
    `-- Generated by lib/dts/compaction-sql.ts: do not edit by hand.\n` +
    `-- Run BEFORE switching realtime on again (or before any new DTS job over these tables), after the old job is gone:\n` +
    `-- renames the old job's tables aside (nothing is dropped), so the new job starts on fresh tables and its baseline\n` +
    `-- supersedes everything older. Replace \${epoch} with today's date, e.g.\n` +
    `--   sed 's/\${epoch}/20260301/g' reenable.sql > /tmp/reenable.sql && odpscmd -f /tmp/reenable.sql\n` +
    `-- A table that does not exist (never synced) fails its line; the others still need renaming.\n` +
    lines.join("\n") +
    "\n"
  );
}
