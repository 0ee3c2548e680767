/**
 * Running the MaxCompute SQL the stack deploys (the realtime merge and compaction of lib/dts and
 * lib/canal, the layer nodes of lib/dataworks/layer-sql.ts and sql/maxcompute/, the realtime metrics)
 * against MariaDB, and the one-table source both engine simulators change.
 *
 * The translation is minimal: it covers exactly the dialect features that SQL uses, and each rule
 * is stated once, in {@link TRANSLATION_RULES} (text rules, in order) and in {@link FUNCTION_RULES}
 * (function calls, rewritten paren-aware, innermost first). Statement forms MariaDB lacks:
 *
 * - `CREATE TABLE IF NOT EXISTS t (...) [COMMENT '...'] [PARTITIONED BY (...)] [LIFECYCLE n]`: the
 *   partition columns become the last columns, comments and lifecycle are dropped, `STRING` is
 *   `VARCHAR(255)` (the SQL's values are short; a longer one fails loudly in strict mode).
 * - `INSERT OVERWRITE TABLE t PARTITION (k = 'v', ...) SELECT ...`: materialise the SELECT first (a
 *   rerun may read the very partition it overwrites, e.g. through MAX_PT), delete the partition's rows,
 *   insert with the partition values appended, and record the partition in `mc_partitions`: a
 *   MaxCompute partition exists even when it holds no row, and MariaDB rows cannot say so.
 * - `DESC t PARTITION (k = 'v', ...)` (the nodes' load check): fails with SQLSTATE 45000 when
 *   `mc_partitions` does not list the partition, as MaxCompute fails on a missing partition.
 * - `ALTER TABLE t DROP IF EXISTS PARTITION (filters)`: deletes the matching rows (the registry keeps
 *   its entry: only the ODS tables are load-checked, and nothing drops their partitions).
 * - A PK Delta table, `CREATE TABLE IF NOT EXISTS t (c T [NOT NULL], ..., PRIMARY KEY (...)) TBLPROPERTIES (...)`
 *   on one line (lib/flink/flink-sql.ts `metricTablesDdl`): the same table with its primary key.
 *   `INSERT INTO TABLE t` upserts by that key in MaxCompute ("transactional" tables with a PRIMARY KEY),
 *   so it becomes `REPLACE INTO t`: the same upsert on a table with a key, a plain insert without one.
 * - `INSERT OVERWRITE TABLE t SELECT ...` on a table without partitions: the SELECT materialised first,
 *   then every row replaced.
 */
import { SourceSchema } from "../../lib/config/source-schema";
import { RealtimeTableSpec } from "../../lib/realtime/merge-sql";

/** The source table both simulators change: `shop.users`. */
export const USERS_SCHEMA: SourceSchema = {
  database: "shop",
  tables: [
    {
      name: "users",
      comment: "users",
      primaryKey: ["id"],
      uniqueKeys: [],
      columns: [
        { name: "id", type: "bigint", nullable: false, comment: "" },
        { name: "nickname", type: "varchar(64)", nullable: true, comment: "" },
        { name: "updated_time", type: "datetime", nullable: false, comment: "" },
      ],
    },
  ],
};
export const USERS_SPEC: RealtimeTableSpec = { name: "users", primaryKey: ["id"], incrementalColumn: "updated_time" };

export interface UserRow {
  id: number;
  nickname: string | null;
  updated_time: string;
}

export const DAY = 86_400;
/** yyyymmdd of an epoch-seconds instant (UTC). */
export const ymd = (t: number): string => new Date(t * 1000).toISOString().slice(0, 10).replace(/-/g, "");
export const addDays = (d: string, n: number): string => ymd(Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8)) / 1000 + n * DAY);
/** `yyyy-mm-dd hh:mm:ss` of an epoch-seconds instant (UTC). */
export const dt = (t: number): string => new Date(t * 1000).toISOString().slice(0, 19).replace("T", " ");

/** Splits `a, b(c, d), e` at top-level commas (not inside parentheses or '...' literals, which may hold \' escapes). */
export function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let escaped = false;
  let cur = "";
  for (const ch of s) {
    if (quote && escaped) {
      escaped = false;
      cur += ch;
      continue;
    }
    if (quote && ch === "\\") escaped = true;
    if (ch === "'") quote = !quote;
    if (!quote && ch === "(") depth++;
    if (!quote && ch === ")") depth--;
    if (!quote && depth === 0 && ch === ",") {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** What a script runs against, besides its parameters. */
export interface MariaOptions {
  /** The instant `GETDATE()` returns, `yyyy-mm-dd hh:mm:ss` in the project's time zone. A script calling GETDATE() without it throws. */
  readonly now?: string;
}

/** MaxCompute `TO_CHAR` date format elements -> MariaDB `DATE_FORMAT` ones (MaxCompute's `hh` is the 24-hour clock). */
const DATE_FORMAT_ELEMENTS: readonly [string, string][] = [
  ["yyyy", "%Y"],
  ["mm", "%m"],
  ["dd", "%d"],
  ["hh", "%H"],
  ["mi", "%i"],
  ["ss", "%s"],
];

/** MaxCompute `DATEADD` / `DATETRUNC` units -> MariaDB interval units. */
const DATE_UNITS: Readonly<Record<string, string>> = { yyyy: "YEAR", mm: "MONTH", dd: "DAY", hh: "HOUR", mi: "MINUTE", ss: "SECOND" };

function unquote(arg: string, fn: string): string {
  const m = arg.match(/^'([^']*)'$/);
  if (!m) throw new Error(`${fn}: expected a string literal, got ${arg}`);
  return m[1];
}

function dateUnit(arg: string, fn: string): string {
  const unit = DATE_UNITS[unquote(arg, fn)];
  if (!unit) throw new Error(`${fn}: unit ${arg} is not one of ${Object.keys(DATE_UNITS).join(", ")}`);
  return unit;
}

/** Function calls MaxCompute has and MariaDB spells differently: name -> rewrite of the (already rewritten) arguments. */
const FUNCTION_RULES: Readonly<Record<string, (args: string[], o: MariaOptions) => string>> = {
  /** The newest partition with data: the largest `ds` among the table's rows. */
  MAX_PT: ([t]) => `(SELECT MAX(ds) FROM \`${unquote(t, "MAX_PT")}\`)`,
  /** The script's clock: a fixed instant the caller chooses. */
  GETDATE: (_args, o) => {
    if (o.now === undefined) throw new Error("the script calls GETDATE(): pass options.now");
    return `TIMESTAMP'${o.now}'`;
  },
  /** Only the day is used (`'dd'`): midnight of the day. */
  DATETRUNC: ([x, unit]) => {
    if (unquote(unit, "DATETRUNC") !== "dd") throw new Error(`DATETRUNC: only 'dd' is translated, got ${unit}`);
    return `CAST(DATE(${x}) AS DATETIME)`;
  },
  DATEADD: ([x, n, unit]) => `(${x} + INTERVAL (${n}) ${dateUnit(unit, "DATEADD")})`,
  TO_CHAR: ([x, format]) => {
    let f = unquote(format, "TO_CHAR");
    for (const [mc, maria] of DATE_FORMAT_ELEMENTS) f = f.split(mc).join(maria);
    return `DATE_FORMAT(${x}, '${f}')`;
  },
  GET_JSON_OBJECT: ([json, path]) => `JSON_VALUE(${json}, ${path})`,
};

/** Text rules, applied in order after the function rules. */
const TRANSLATION_RULES: readonly [RegExp, string][] = [
  // MaxCompute's 64-bit integer cast, and its narrower integer casts (MariaDB casts to SIGNED only).
  [/ AS BIGINT\)/g, " AS SIGNED)"],
  [/ AS (?:TINYINT|SMALLINT|INT)\)/g, " AS SIGNED)"],
  // Canal's message rows: one row per element of `data` with its position.
  [
    /LATERAL VIEW POSEXPLODE\(FROM_JSON\(JSON_VALUE\(([^,]+), '\$\.data'\), 'array<map<string,string>>'\)\) (\w+) AS (\w+), (\w+)/g,
    "CROSS JOIN JSON_TABLE($1, '$$.data[*]' COLUMNS ($3 FOR ORDINALITY, $4 JSON PATH '$$')) $2",
  ],
  [/canal_row\['(\w+)'\]/g, "JSON_VALUE(canal_row, '$$.$1')"],
  // Upsert by primary key (see the module comment).
  [/^INSERT INTO TABLE /gm, "REPLACE INTO "],
];

/** Index just past the `)` closing the `(` at `open`, skipping string literals and back-quoted names. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === "`") {
      let end = i + 1;
      while (end < text.length && text[end] !== ch) end += ch === "'" && text[end] === "\\" ? 2 : 1;
      i = end;
    } else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i + 1;
  }
  throw new Error(`unbalanced parentheses in: ${text.slice(open, open + 80)}`);
}

/** Applies FUNCTION_RULES to every call in `text`, arguments first. */
function rewriteFunctions(text: string, o: MariaOptions): string {
  const call = new RegExp(`(?<![\\w.\`])(${Object.keys(FUNCTION_RULES).join("|")})\\s*\\(`, "g");
  let out = "";
  let from = 0;
  for (;;) {
    call.lastIndex = from;
    const m = call.exec(text);
    if (!m) return out + text.slice(from);
    const open = m.index + m[0].length - 1;
    const end = closingParen(text, open);
    const inner = text.slice(open + 1, end - 1);
    const args = inner.trim() === "" ? [] : splitTop(inner).map((a) => rewriteFunctions(a, o));
    out += text.slice(from, m.index) + FUNCTION_RULES[m[1]](args, o);
    from = end;
  }
}

/** `k = 'v', ...` -> [[k, v], ...]. */
function partitionSpec(spec: string): [string, string][] {
  return splitTop(spec).map((p) => {
    const m = p.match(/^`?(\w+)`?\s*=\s*'([^']*)'$/);
    if (!m) throw new Error(`partition spec element ${p} is not <column> = '<value>'`);
    return [m[1], m[2]];
  });
}

const bare = (name: string): string => name.replace(/`/g, "");
/** MaxCompute's name of a partition: `ds=20260301/hh=05`. */
const partitionName = (spec: [string, string][]): string => spec.map(([k, v]) => `${k}=${v}`).join("/");

const PARTITION_REGISTRY = "CREATE TABLE IF NOT EXISTS mc_partitions (tbl VARCHAR(128) NOT NULL, part VARCHAR(255) NOT NULL, PRIMARY KEY (tbl, part))";

/** MaxCompute column type -> MariaDB column type. */
const columnType = (type: string): string => (type.toUpperCase() === "STRING" ? "VARCHAR(255)" : type);

/** A column definition without its COMMENT: `` `name` TYPE ``. */
function columnDef(def: string): string {
  const m = def.match(/^(`[^`]+`|\w+)\s+(\w+(?:\(\d+(?:,\s*\d+)?\))?)/);
  if (!m) throw new Error(`column definition ${def} is not <name> <type> [COMMENT '...']`);
  return `${m[1]} ${columnType(m[2])}`;
}

function createTable(name: string, body: string, tail: string): string {
  const partitions = tail.match(/PARTITIONED BY \(((?:[^()']|'(?:[^'\\]|\\.)*')*)\)/);
  const rest = tail
    .replace(/PARTITIONED BY \(((?:[^()']|'(?:[^'\\]|\\.)*')*)\)/, "")
    .replace(/COMMENT '(?:[^'\\]|\\.)*'/, "")
    .replace(/LIFECYCLE \d+/, "")
    .trim();
  if (rest) throw new Error(`CREATE TABLE ${name}: clause not translated: ${rest}`);
  const cols = [...splitTop(body), ...(partitions ? splitTop(partitions[1]) : [])].filter(Boolean).map(columnDef);
  return `CREATE TABLE IF NOT EXISTS ${name} (\n  ${cols.join(",\n  ")}\n)`;
}

/** A PK Delta table's one-line DDL: the columns (STRING as VARCHAR) and the primary key; the table properties dropped. */
function createDeltaTable(name: string, body: string): string {
  const parts = splitTop(body).map((p) => {
    if (/^PRIMARY KEY \(/.test(p)) return p;
    const m = p.match(/^(`[^`]+`|\w+)\s+(\w+)(\s+NOT NULL)?$/);
    if (!m) throw new Error(`Delta table ${name}: column definition ${p} is not <name> <type> [NOT NULL]`);
    return `${m[1]} ${columnType(m[2])}${m[3] ?? ""}`;
  });
  return `CREATE TABLE IF NOT EXISTS ${name} (${parts.join(", ")})`;
}

/** `INSERT OVERWRITE` of a table without partitions: materialise the SELECT, then replace every row. */
function overwriteTable(table: string, select: string): string[] {
  return [
    "DROP TEMPORARY TABLE IF EXISTS mc_overwrite",
    `CREATE TEMPORARY TABLE mc_overwrite LIKE ${table}`,
    `INSERT INTO mc_overwrite ${select}`,
    `DELETE FROM ${table}`,
    `INSERT INTO ${table} SELECT * FROM mc_overwrite`,
  ];
}

function insertOverwrite(table: string, spec: [string, string][], select: string): string[] {
  const where = spec.map(([k, v]) => `${k} = '${v}'`).join(" AND ");
  return [
    PARTITION_REGISTRY,
    "DROP TEMPORARY TABLE IF EXISTS mc_overwrite",
    `CREATE TEMPORARY TABLE mc_overwrite LIKE ${table}`,
    `ALTER TABLE mc_overwrite ${spec.map(([k]) => `DROP COLUMN ${k}`).join(", ")}`,
    `INSERT INTO mc_overwrite ${select}`,
    `DELETE FROM ${table} WHERE ${where}`,
    `INSERT INTO ${table} SELECT mc_overwrite.*, ${spec.map(([, v]) => `'${v}'`).join(", ")} FROM mc_overwrite`,
    `INSERT IGNORE INTO mc_partitions VALUES ('${bare(table)}', '${partitionName(spec)}')`,
  ];
}

function describePartition(table: string, spec: [string, string][]): string[] {
  const what = `${bare(table)} partition ${partitionName(spec)}`;
  return [
    PARTITION_REGISTRY,
    `BEGIN NOT ATOMIC IF NOT EXISTS (SELECT 1 FROM mc_partitions WHERE tbl = '${bare(table)}' AND part = '${partitionName(spec)}') ` +
      `THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'DESC: no such partition: ${what}'; END IF; END`,
  ];
}

/** MaxCompute script -> MariaDB statements; throws on a `${param}` left unbound. */
export function toMaria(script: string, params: Record<string, string> = {}, options: MariaOptions = {}): string[] {
  let text = script
    .split("\n")
    .filter((l) => !l.trim().startsWith("--") && !l.startsWith("SET "))
    .join("\n");
  for (const [k, v] of Object.entries(params)) text = text.split(`\${${k}}`).join(v);
  const unbound = text.match(/\$\{[^}]*\}/);
  if (unbound) throw new Error(`unbound parameter ${unbound[0]} in the script`);
  text = rewriteFunctions(text, options);
  for (const [pattern, replacement] of TRANSLATION_RULES) text = text.replace(pattern, replacement);
  const out: string[] = [];
  for (const raw of text.split(/;\n/)) {
    const stmt = raw.trim().replace(/;$/, "");
    if (!stmt) continue;
    const create = stmt.match(/^CREATE TABLE IF NOT EXISTS (`[^`]+`|\w+) \(\n([\s\S]*?)\n\)\n?([\s\S]*)$/);
    const overwrite = stmt.match(/^INSERT OVERWRITE TABLE (`[^`]+`|\w+) PARTITION \(([^)]*)\)\n([\s\S]*)$/);
    const describe = stmt.match(/^DESC (`[^`]+`|\w+) PARTITION \(([^)]*)\)$/);
    const drop = stmt.match(/^ALTER TABLE (`[^`]+`|\w+) DROP IF EXISTS PARTITION \(([\s\S]*)\)$/);
    const delta = stmt.match(/^CREATE TABLE IF NOT EXISTS (`[^`]+`|\w+) \((.*)\) TBLPROPERTIES \([^)]*\)$/);
    const overwriteAll = stmt.match(/^INSERT OVERWRITE TABLE (`[^`]+`|\w+)\n([\s\S]*)$/);
    if (delta) out.push(createDeltaTable(delta[1], delta[2]));
    else if (overwriteAll) out.push(...overwriteTable(overwriteAll[1], overwriteAll[2]));
    else if (create) out.push(createTable(create[1], create[2], create[3]));
    else if (overwrite) out.push(...insertOverwrite(overwrite[1], partitionSpec(overwrite[2]), overwrite[3]));
    else if (describe) out.push(...describePartition(describe[1], partitionSpec(describe[2])));
    else if (drop) {
      out.push(
        `DELETE FROM ${drop[1]} WHERE ${splitTop(drop[2])
          .map((c) => `(${c})`)
          .join(" AND ")}`,
      );
    } else out.push(stmt);
  }
  return out;
}
