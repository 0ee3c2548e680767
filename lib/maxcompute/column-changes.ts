/**
 * What the TableColumns resource (providers/maxcompute/table-columns.ts) does to a table, as
 * pure functions: the columns missing on the server, the `ALTER TABLE ADD COLUMNS` statement,
 * the `ALTER TABLE ... SET LIFECYCLE` statement when the table's lifecycle differs, and whether
 * desired columns and lifecycle are covered by a known state. Only additions are ever applied:
 * a column the server has and the stack does not want is left alone (never dropped), and a
 * column whose type differs is a conflict to resolve by hand (docs/maxcompute-schema-changes.md).
 */
import { MaxComputeColumn, columnLine, mcIdent } from "./ods-tables";
import { SCHEMA_CHANGES_RUNBOOK } from "./table-ledger";

/** The columns one table must have, in MaxCompute order. */
export interface TableColumnsSpec {
  readonly name: string;
  readonly columns: readonly MaxComputeColumn[];
  /**
   * The table's lifecycle in days as last applied or read (state only; inputs give one
   * `lifecycleDays` for every table). Absent: not known, or the table has none.
   */
  readonly lifecycleDays?: number;
}

/** Type text compared case- and space-insensitively (`decimal(5, 2)` = `DECIMAL(5,2)`). */
export function normalizeType(type: string): string {
  return type.replace(/\s+/g, "").toUpperCase();
}

/** Columns of `desired` the server lacks (to add, in desired order), and columns whose type differs. */
export function columnChanges(desired: TableColumnsSpec, server: readonly MaxComputeColumn[]): { add: MaxComputeColumn[]; conflicts: string[] } {
  const have = new Map(server.map((c) => [c.name.toLowerCase(), c] as const));
  const add: MaxComputeColumn[] = [];
  const conflicts: string[] = [];
  for (const c of desired.columns) {
    const s = have.get(c.name.toLowerCase());
    if (!s) add.push(c);
    else if (normalizeType(s.type) !== normalizeType(c.type)) {
      conflicts.push(
        `${desired.name}.${c.name} is ${normalizeType(s.type)} in MaxCompute but ${normalizeType(c.type)} in the stack; see ${SCHEMA_CHANGES_RUNBOOK}`,
      );
    }
  }
  return { add, conflicts };
}

/** `ALTER TABLE \`t\` ADD COLUMNS (\`c\` TYPE COMMENT '...', ...);` (MaxCompute "Column operations"). */
export function addColumnsSql(table: string, columns: readonly MaxComputeColumn[]): string {
  return `ALTER TABLE ${mcIdent(table)} ADD COLUMNS (${columns.map(columnLine).join(", ")});`;
}

/**
 * `ALTER TABLE \`t\` SET LIFECYCLE <days>;`: MaxCompute "Lifecycle management operations",
 * https://www.alibabacloud.com/help/doc-detail/73769.htm (`ALTER TABLE table_name SET lifecycle days;`,
 * days a positive integer). Lowering it lets the next daily scan reclaim the older partitions.
 */
export function setLifecycleSql(table: string, days: number): string {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`lifecycle of ${table} is ${days}; allowed: an integer >= 1 (days)`);
  return `ALTER TABLE ${mcIdent(table)} SET LIFECYCLE ${days};`;
}

/**
 * The SET LIFECYCLE statement a table needs: when the server's lifecycle (`serverDays`, undefined
 * when the table has none) is not `desiredDays`; undefined when it already is.
 */
export function lifecycleChange(table: string, desiredDays: number, serverDays: number | undefined): string | undefined {
  return serverDays === desiredDays ? undefined : setLifecycleSql(table, desiredDays);
}

/** Whether every table of `tables` (a known state) is known to have `days` as its lifecycle. */
export function lifecycleCovered(tables: readonly TableColumnsSpec[], days: number): boolean {
  return tables.every((t) => t.lifecycleDays === days);
}

/** Whether every desired column of every desired table is in `known` with the same type. */
export function columnsCovered(known: readonly TableColumnsSpec[], desired: readonly TableColumnsSpec[]): boolean {
  const byName = new Map(known.map((t) => [t.name, t] as const));
  return desired.every((t) => {
    const k = byName.get(t.name);
    return k !== undefined && columnChanges(t, k.columns).add.length === 0 && columnChanges(t, k.columns).conflicts.length === 0;
  });
}

/** MaxCompute names: letters, digits, `_`, starting with a letter or `_`, at most 128 characters. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** MaxCompute allows at most 1,200 columns per table (MaxCompute SQL limits). */
export const MAXCOMPUTE_MAX_COLUMNS = 1200;

/** Lifecycle range the stack accepts, days (the config schema's `warehouse.lifecycleDays` bounds). */
export const LIFECYCLE_DAYS_MAX = 37231;

/** Problems of a spec, as `{key, message}`: names, types, column count, and the lifecycle when given. */
export function validateColumnsSpec(tables: readonly TableColumnsSpec[], lifecycleDays?: number): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  if (lifecycleDays !== undefined && !(Number.isInteger(lifecycleDays) && lifecycleDays >= 1 && lifecycleDays <= LIFECYCLE_DAYS_MAX)) {
    out.push({ key: "lifecycleDays", message: `lifecycleDays is ${JSON.stringify(lifecycleDays)}; allowed: an integer 1-${LIFECYCLE_DAYS_MAX} (days)` });
  }
  tables.forEach((t, i) => {
    if (!NAME.test(t.name)) out.push({ key: `tables[${i}].name`, message: `table name "${t.name}" must be letters, digits and _ (at most 128)` });
    if (t.columns.length > MAXCOMPUTE_MAX_COLUMNS)
      out.push({ key: `tables[${i}].columns`, message: `${t.name} has ${t.columns.length} columns; MaxCompute allows ${MAXCOMPUTE_MAX_COLUMNS}` });
    t.columns.forEach((c, j) => {
      if (!NAME.test(c.name))
        out.push({ key: `tables[${i}].columns[${j}].name`, message: `column name "${c.name}" of ${t.name} must be letters, digits and _ (at most 128)` });
      if (!/^[A-Za-z][A-Za-z0-9_(), <>:]*$/.test(c.type))
        out.push({ key: `tables[${i}].columns[${j}].type`, message: `column type "${c.type}" of ${t.name}.${c.name} is not a MaxCompute type` });
    });
  });
  return out;
}
