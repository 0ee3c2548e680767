/**
 * Running the generated MaxCompute SQL of the realtime layers (lib/dts, lib/canal) against
 * MariaDB, and the one-table source both engine simulators change.
 *
 * The translation is minimal and covers exactly the dialect features the generators use:
 * MAX_PT -> MAX(ds), INSERT OVERWRITE -> materialise + delete + insert (a rerun reads the very
 * partition it overwrites), DROP PARTITION with filters -> DELETE, BIGINT casts -> SIGNED,
 * GET_JSON_OBJECT -> JSON_VALUE, `LATERAL VIEW POSEXPLODE(FROM_JSON(..., 'array<map<string,string>>'))`
 * -> JSON_TABLE over `$.data[*]` with FOR ORDINALITY, `row['col']` -> JSON_VALUE(row, '$.col').
 */
import { SourceSchema } from "../../lib/source/source-schema";
import { RealtimeTableSpec } from "../../lib/dts/merge-sql";

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

/** Splits `a, b(c, d), e` at top-level commas. */
export function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let cur = "";
  for (const ch of s) {
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

/** MaxCompute script -> MariaDB statements; throws on a `${param}` left unbound. */
export function toMaria(script: string, params: Record<string, string> = {}): string[] {
  let text = script
    .split("\n")
    .filter((l) => !l.startsWith("--") && !l.startsWith("SET "))
    .join("\n");
  for (const [k, v] of Object.entries(params)) text = text.split(`\${${k}}`).join(v);
  const unbound = text.match(/\$\{[^}]*\}/);
  if (unbound) throw new Error(`unbound parameter ${unbound[0]} in the script`);
  text = text
    .replace(/MAX_PT\('([^']+)'\)/g, "(SELECT MAX(ds) FROM `$1`)")
    .replace(/ AS BIGINT\)/g, " AS SIGNED)")
    .replace(
      /LATERAL VIEW POSEXPLODE\(FROM_JSON\(GET_JSON_OBJECT\(([^,]+), '\$\.data'\), 'array<map<string,string>>'\)\) (\w+) AS (\w+), (\w+)/g,
      "CROSS JOIN JSON_TABLE($1, '$$.data[*]' COLUMNS ($3 FOR ORDINALITY, $4 JSON PATH '$$')) $2",
    )
    .replace(/canal_row\['(\w+)'\]/g, "JSON_VALUE(canal_row, '$$.$1')")
    .replace(/GET_JSON_OBJECT\(/g, "JSON_VALUE(");
  const out: string[] = [];
  for (const raw of text.split(/;\n/)) {
    const stmt = raw.trim();
    if (!stmt) continue;
    const create = stmt.match(/^CREATE TABLE IF NOT EXISTS (`[^`]+`) \(\n([\s\S]*?)\n\)\nCOMMENT '[^']*'(\nPARTITIONED BY \(ds STRING\))?$/);
    const overwrite = stmt.match(/^INSERT OVERWRITE TABLE (`[^`]+`) PARTITION \(ds = '(\d+)'\)\n([\s\S]*)$/);
    const drop = stmt.match(/^ALTER TABLE (`[^`]+`) DROP IF EXISTS PARTITION \(([\s\S]*)\)$/);
    if (create) {
      out.push(`CREATE TABLE IF NOT EXISTS ${create[1]} (\n${create[2].replace(/ STRING/g, " VARCHAR(255)")}${create[3] ? ",\n  ds VARCHAR(8)" : ""})`);
    } else if (overwrite) {
      // Materialise first: a rerun reads the very partition it overwrites (MAX_PT).
      out.push(
        "DROP TEMPORARY TABLE IF EXISTS mc_overwrite",
        `CREATE TEMPORARY TABLE mc_overwrite LIKE ${overwrite[1]}`,
        "ALTER TABLE mc_overwrite DROP COLUMN ds",
        `INSERT INTO mc_overwrite ${overwrite[3]}`,
        `DELETE FROM ${overwrite[1]} WHERE ds = '${overwrite[2]}'`,
        `INSERT INTO ${overwrite[1]} SELECT mc_overwrite.*, '${overwrite[2]}' FROM mc_overwrite`,
      );
    } else if (drop) {
      out.push(
        `DELETE FROM ${drop[1]} WHERE ${splitTop(drop[2])
          .map((c) => `(${c})`)
          .join(" AND ")}`,
      );
    } else out.push(stmt);
  }
  return out;
}
