/**
 * The source database's schema as the stack reads it: a JSON snapshot
 * (`sql/mysql/<database>.schema.json`) of information_schema, written by
 * `npm run ddl` from a live server and checked for drift by `npm run ddl -- --check`.
 * Pure: no Pulumi, no MySQL driver, no file system (project-files.ts reads the file).
 */

/** One column, as information_schema.COLUMNS describes it. */
export interface SourceColumn {
  /** Column name. */
  readonly name: string;
  /** `COLUMN_TYPE`, lower case, e.g. `bigint(20) unsigned`, `varchar(64)`, `json`. */
  readonly type: string;
  /** `IS_NULLABLE = 'YES'`. */
  readonly nullable: boolean;
  /** `COLUMN_COMMENT`; empty when none. */
  readonly comment: string;
}

/** One base table. */
export interface SourceTable {
  readonly name: string;
  /** `TABLE_COMMENT`; empty when none. */
  readonly comment: string;
  readonly columns: readonly SourceColumn[];
  /** Primary key columns in key order; empty when the table has none. */
  readonly primaryKey: readonly string[];
  /** Unique keys (other than the primary key), each as its columns in key order. */
  readonly uniqueKeys: readonly (readonly string[])[];
}

/** A snapshot of one database. */
export interface SourceSchema {
  readonly database: string;
  readonly tables: readonly SourceTable[];
}

/** Where the snapshot of `database` lives, relative to the project root. */
export function schemaSnapshotFile(database: string): string {
  return `sql/mysql/${database}.schema.json`;
}

/** Parses snapshot text. Throws an error naming `file` when it is not a snapshot. */
export function parseSchemaSnapshot(text: string, file: string): SourceSchema {
  let parsed: SourceSchema;
  try {
    parsed = JSON.parse(text) as SourceSchema;
  } catch (e) {
    throw new Error(`source schema snapshot ${file} is not JSON (${(e as Error).message})`);
  }
  if (typeof parsed?.database !== "string" || !Array.isArray(parsed.tables)) {
    throw new Error(`source schema snapshot ${file} is not a snapshot: expected {"database": string, "tables": [...]}`);
  }
  return parsed;
}

/** Stable JSON text of a snapshot (tables and nothing else sorted by name; columns in ordinal order). */
export function formatSchemaSnapshot(schema: SourceSchema): string {
  const tables = [...schema.tables].sort((a, b) => a.name.localeCompare(b.name));
  return JSON.stringify({ database: schema.database, tables }, null, 2) + "\n";
}

/** The table named `name`, or undefined. */
export function findTable(schema: SourceSchema, name: string): SourceTable | undefined {
  return schema.tables.find((t) => t.name === name);
}

/** Where the ledger of `database` lives, relative to the project root. */
export function ledgerPath(database: string): string {
  return `sql/maxcompute/ods/${database}.ledger.json`;
}
