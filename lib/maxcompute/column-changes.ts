/**
 * What the TableColumns resource (providers/maxcompute/table-columns.ts) does to a table, as
 * pure functions: the columns missing on the server, the `ALTER TABLE ADD COLUMNS` statement,
 * and whether desired columns are covered by a known state. Only additions are ever applied:
 * a column the server has and the stack does not want is left alone (never dropped), and a
 * column whose type differs is a conflict to resolve by hand (docs/maxcompute-schema-changes.md).
 */
import { MaxComputeColumn } from "./ods-tables";
import { SCHEMA_CHANGES_RUNBOOK } from "./table-ledger";

/** The columns one table must have, in MaxCompute order. */
export interface TableColumnsSpec {
  readonly name: string;
  readonly columns: readonly MaxComputeColumn[];
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

function quote(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** `ALTER TABLE \`t\` ADD COLUMNS (\`c\` TYPE COMMENT '...', ...);` (MaxCompute "Column operations"). */
export function addColumnsSql(table: string, columns: readonly MaxComputeColumn[]): string {
  const cols = columns.map((c) => `\`${c.name}\` ${c.type}${c.comment ? ` COMMENT ${quote(c.comment)}` : ""}`).join(", ");
  return `ALTER TABLE \`${table}\` ADD COLUMNS (${cols});`;
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

/** Problems of a spec, as `{key, message}`: names, types, column count. */
export function validateColumnsSpec(tables: readonly TableColumnsSpec[]): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
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
