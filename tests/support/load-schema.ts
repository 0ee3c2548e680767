/**
 * Loads a fixture SQL file (as other projects wrote it, unedited) into one database:
 * splits statements the way the mysql client does (quotes, comments, `DELIMITER` blocks),
 * skips `source` lines (data files not included), replaces placeholders such as thirtybees'
 * `PREFIX_`, and drops `CREATE/DROP DATABASE|SCHEMA` and `USE` so everything lands in the
 * database given.
 */
import * as fs from "fs";
import * as path from "path";
import type { Connection } from "mysql2/promise";

export interface LoadOptions {
  /** Text replacements applied before splitting, e.g. `{ PREFIX_: "tb_" }`. */
  readonly replace?: Readonly<Record<string, string>>;
  /** Skip INSERT/REPLACE/UPDATE/DELETE statements (schema only; faster). @default true */
  readonly schemaOnly?: boolean;
}

/** Splits SQL text into statements, honouring quotes, comments and `DELIMITER` lines. */
export function splitSqlStatements(sql: string): string[] {
  const out: string[] = [];
  let delimiter = ";";
  let cur = "";
  let i = 0;
  let atLineStart = true;
  while (i < sql.length) {
    if (atLineStart) {
      const lineEnd = sql.indexOf("\n", i) === -1 ? sql.length : sql.indexOf("\n", i);
      const line = sql.slice(i, lineEnd);
      const d = /^\s*delimiter\s+(\S+)\s*$/i.exec(line);
      if (d && cur.trim() === "") {
        delimiter = d[1];
        i = lineEnd + 1;
        continue;
      }
      if (/^\s*source\s+/i.test(line) && cur.trim() === "") {
        i = lineEnd + 1;
        continue;
      }
    }
    const c = sql[i];
    atLineStart = false;
    if (c === "\n") {
      atLineStart = true;
      cur += c;
      i++;
      continue;
    }
    // Line comments (kept out of the statement).
    if ((c === "-" && sql[i + 1] === "-" && /\s/.test(sql[i + 2] ?? " ")) || c === "#") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end;
      continue;
    }
    // Block comments: version-conditional ones (/*! ... */) are SQL and stay.
    if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      if (sql[i + 2] === "!") cur += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === "'" || c === '"' || c === "`") {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === "\\" && c !== "`") {
          j += 2;
          continue;
        }
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      cur += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (sql.startsWith(delimiter, i)) {
      if (cur.trim() !== "") out.push(cur.trim());
      cur = "";
      i += delimiter.length;
      continue;
    }
    cur += c;
    i++;
  }
  if (cur.trim() !== "") out.push(cur.trim());
  return out;
}

const DATABASE_STATEMENT = /^(create|drop)\s+(database|schema)\b|^use\s+/i;
const DATA_STATEMENT = /^(insert|replace|update|delete)\b/i;

/** The statements of `file` that `loadSchemaFile` runs, in order. */
export function fixtureStatements(file: string, options: LoadOptions = {}): string[] {
  let text = fs.readFileSync(file, "utf8");
  for (const [from, to] of Object.entries(options.replace ?? {})) text = text.split(from).join(to);
  const schemaOnly = options.schemaOnly ?? true;
  return splitSqlStatements(text).filter((s) => !DATABASE_STATEMENT.test(s) && !(schemaOnly && DATA_STATEMENT.test(s)));
}

/** (Re)creates `database` and runs `file` in it. Returns the number of statements run. */
export async function loadSchemaFile(admin: Connection, database: string, file: string, options: LoadOptions = {}): Promise<number> {
  const statements = fixtureStatements(file, options);
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.query(`CREATE DATABASE \`${database}\` DEFAULT CHARACTER SET utf8mb4`);
  await admin.query(`USE \`${database}\``);
  for (const s of statements) {
    try {
      await admin.query(s);
    } catch (e) {
      throw new Error(`${path.basename(file)}: ${(e as Error).message}\nin: ${s.slice(0, 300)}`);
    }
  }
  return statements.length;
}

/**
 * The real MySQL schemas (`tests/fixtures/mysql-schemas`: a byte-for-byte copy of the
 * workplace's shared fixtures, with their licenses and SOURCES.md, so a clean clone tests alone).
 */
export const FIXTURES_DIR = path.resolve(__dirname, "..", "fixtures", "mysql-schemas");

/** Every fixture file with the database it is loaded into and the replacements it needs. */
export const FIXTURE_DATABASES: readonly { database: string; file: string; replace?: Record<string, string> }[] = [
  { database: "sakila", file: "sakila/sakila-mv-schema.sql" },
  { database: "employees", file: "employees/employees.sql" },
  { database: "thirtybees", file: "thirtybees/db_schema.sql", replace: { PREFIX_: "tb_" } },
  ...["charset_test", "column_type_test", "customer", "inventory", "mysql_inventory_wo_pk"].map((n) => ({
    database: `flinkcdc_${n}`,
    file: `flink-cdc/${n}.sql`,
  })),
  ...[
    "binary_column_test",
    "decimal_column_test",
    "enum_column_test",
    "geometry_test_5",
    "json_test",
    "table_column_comment_test",
    "timestamp_column_test",
    "tinyint_test",
    "unsigned_integer_test",
    "year_test",
  ].map((n) => ({ database: `debezium_${n}`, file: `debezium/${n}.sql` })),
];

/** The project's own source schema file. */
export const PHOTO_ASSISTANT_SQL = path.resolve(__dirname, "..", "..", "sql", "mysql", "photo_assistant.sql");

/** Loads `photo_assistant` into `database` (default `photo_assistant`). */
export function loadPhotoAssistant(admin: Connection, database = "photo_assistant"): Promise<number> {
  return loadSchemaFile(admin, database, PHOTO_ASSISTANT_SQL);
}

/** Loads one fixture by its database name from FIXTURE_DATABASES. */
export function loadFixture(admin: Connection, database: string, options: LoadOptions = {}): Promise<number> {
  const f = FIXTURE_DATABASES.find((x) => x.database === database);
  if (!f) throw new Error(`unknown fixture database "${database}"; known: ${FIXTURE_DATABASES.map((x) => x.database).join(", ")}`);
  return loadSchemaFile(admin, database, path.join(FIXTURES_DIR, f.file), { ...options, replace: { ...f.replace, ...options.replace } });
}

/** Creates `count` small tables `t0000..` (id PK, a few typed columns) in `database`, 200 per statement batch. */
export async function createManyTables(admin: Connection, database: string, count: number): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.query(`CREATE DATABASE \`${database}\` DEFAULT CHARACTER SET utf8mb4`);
  for (let i = 0; i < count; i += 200) {
    const batch: string[] = [];
    for (let j = i; j < Math.min(count, i + 200); j++) {
      const n = String(j).padStart(4, "0");
      batch.push(
        `CREATE TABLE \`${database}\`.t${n} (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'key', name VARCHAR(64) NOT NULL COMMENT 'name', amount DECIMAL(10,2) NULL, created DATETIME NOT NULL, UNIQUE KEY uk_name (name)) ENGINE=InnoDB COMMENT 'table ${n}'`,
      );
    }
    await admin.query(batch.join(";\n"));
  }
}
