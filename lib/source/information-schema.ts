/**
 * Reads a database's tables, columns and keys from information_schema in a fixed number
 * of statements (one per information_schema table, whatever the number of tables), and
 * turns them into the project's SourceSchema snapshot.
 */
import type { SourceColumn, SourceSchema, SourceTable } from "../config/source-schema";
import type { Queryable } from "./endpoint";
import type { Flavor } from "./server";

export interface ColumnFacts extends SourceColumn {
  /** `CHARACTER_SET_NAME` (null for non-text columns). */
  readonly charset: string | null;
}

export interface KeyFacts {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface TableFacts {
  readonly name: string;
  /** `BASE TABLE`, `VIEW`, `SYSTEM VERSIONED` (MariaDB), `SEQUENCE`... */
  readonly type: string;
  readonly engine: string | null;
  readonly collation: string | null;
  readonly comment: string;
  readonly columns: readonly ColumnFacts[];
  readonly primaryKey: readonly string[];
  /** Unique keys other than the primary key, by index name. */
  readonly uniqueKeys: readonly KeyFacts[];
}

export interface DatabaseFacts {
  readonly name: string;
  /** False when information_schema.SCHEMATA has no row (absent, or no privilege on it). */
  readonly exists: boolean;
  readonly defaultCharset: string | null;
  /** Tables and views, sorted by name (only those asked for, when a list was given). */
  readonly tables: readonly TableFacts[];
}

/** Table types DTS and Data Integration sync as tables. */
export function isBaseTable(t: TableFacts): boolean {
  return t.type === "BASE TABLE" || t.type === "SYSTEM VERSIONED";
}

function str(v: unknown): string {
  return v === null || v === undefined ? "" : Buffer.isBuffer(v) ? v.toString("utf8") : String(v);
}

function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : str(v);
}

/**
 * Reads `database` (restricted to `tables` when given). Statements: SCHEMATA, TABLES,
 * COLUMNS, STATISTICS, and on MariaDB CHECK_CONSTRAINTS (its JSON columns are LONGTEXT
 * with a `json_valid()` check; they are reported as `json`, as MySQL does).
 */
export async function readDatabase(q: Queryable, database: string, flavor: Flavor, tables?: readonly string[]): Promise<DatabaseFacts> {
  const filter = tables && tables.length > 0 ? " AND TABLE_NAME IN (?)" : "";
  const params = (extra: unknown[] = []): unknown[] => (filter ? [database, tables, ...extra] : [database, ...extra]);

  const schemata = await q.query("SELECT DEFAULT_CHARACTER_SET_NAME AS cs FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [database]);
  const tableRows = await q.query(
    `SELECT TABLE_NAME AS t, TABLE_TYPE AS type, ENGINE AS engine, TABLE_COLLATION AS coll, TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?${filter}`,
    params(),
  );
  const columnRows = await q.query(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_COMMENT AS comment, CHARACTER_SET_NAME AS cs FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?${filter} ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    params(),
  );
  const indexRows = await q.query(
    `SELECT TABLE_NAME AS t, INDEX_NAME AS i, NON_UNIQUE AS nu, COLUMN_NAME AS c FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?${filter} ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    params(),
  );
  const jsonColumns = new Set<string>();
  if (flavor === "mariadb") {
    const checks = await q.query(
      `SELECT TABLE_NAME AS t, CHECK_CLAUSE AS cc FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?${filter}`,
      params(),
    );
    for (const r of checks) {
      const m = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(str(r.cc).trim());
      if (m) jsonColumns.add(`${str(r.t)}\u0000${m[1].replace(/``/g, "`")}`);
    }
  }

  const columns = new Map<string, ColumnFacts[]>();
  for (const r of columnRows) {
    const t = str(r.t);
    const name = str(r.c);
    let type = str(r.type);
    if (jsonColumns.has(`${t}\u0000${name}`) && /^longtext$/i.test(type)) type = "json";
    const list = columns.get(t) ?? [];
    list.push({ name, type, nullable: str(r.nullable) === "YES", comment: str(r.comment), charset: strOrNull(r.cs) });
    columns.set(t, list);
  }
  const indexes = new Map<string, Map<string, { unique: boolean; columns: string[] }>>();
  for (const r of indexRows) {
    const t = str(r.t);
    const byName = indexes.get(t) ?? new Map();
    const i = str(r.i);
    const entry = byName.get(i) ?? { unique: Number(r.nu) === 0, columns: [] };
    // Functional key parts have a NULL COLUMN_NAME (MySQL 8); they cannot identify rows for DTS.
    entry.columns.push(r.c === null ? "" : str(r.c));
    byName.set(i, entry);
    indexes.set(t, byName);
  }

  const out: TableFacts[] = tableRows.map((r) => {
    const name = str(r.t);
    const idx = indexes.get(name) ?? new Map<string, { unique: boolean; columns: string[] }>();
    const pk = idx.get("PRIMARY");
    const uniqueKeys = [...idx.entries()]
      .filter(([n, v]) => n !== "PRIMARY" && v.unique && !v.columns.includes(""))
      .map(([n, v]) => ({ name: n, columns: v.columns }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return {
      name,
      type: str(r.type),
      engine: strOrNull(r.engine),
      collation: strOrNull(r.coll),
      comment: str(r.type) === "VIEW" ? "" : str(r.comment),
      columns: columns.get(name) ?? [],
      primaryKey: pk ? pk.columns : [],
      uniqueKeys,
    };
  });
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    name: database,
    exists: schemata.length > 0,
    defaultCharset: schemata.length > 0 ? strOrNull(schemata[0].cs) : null,
    tables: out,
  };
}

/** The snapshot (sql/mysql/<database>.schema.json format) of the base tables in `db`. */
export function toSourceSchema(db: DatabaseFacts): SourceSchema {
  const tables: SourceTable[] = db.tables.filter(isBaseTable).map((t) => ({
    name: t.name,
    comment: t.comment,
    columns: t.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, comment: c.comment })),
    primaryKey: [...t.primaryKey],
    uniqueKeys: t.uniqueKeys.map((k) => [...k.columns]),
  }));
  return { database: db.name, tables };
}
