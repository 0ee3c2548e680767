import { quoteIdent } from "../endpoint";
import { TableFacts } from "../information-schema";
import { fail, notApplicable, pass, PreflightCheck } from "./types";

/** How a table's rows are identified for CDC: the primary key, or a unique key over NOT NULL columns. */
export function rowIdentity(t: TableFacts): { key?: string; problem?: string } {
  if (t.primaryKey.length > 0) return { key: `PRIMARY KEY (${t.primaryKey.join(", ")})` };
  const notNull = new Set(t.columns.filter((c) => !c.nullable).map((c) => c.name));
  const usable = t.uniqueKeys.find((k) => k.columns.every((c) => notNull.has(c)));
  if (usable) return { key: `UNIQUE KEY ${usable.name} (${usable.columns.join(", ")}), all NOT NULL` };
  if (t.uniqueKeys.length > 0) {
    const k = t.uniqueKeys[0];
    return {
      problem: `no primary key; unique key ${k.name} (${k.columns.join(", ")}) has nullable column(s) ${k.columns.filter((c) => !notNull.has(c)).join(", ")}`,
    };
  }
  return { problem: "no primary key, no unique key" };
}

/** The ALTER TABLE that gives `t` a row identity. */
export function primaryKeyFix(database: string, t: TableFacts): string {
  const name = `${quoteIdent(database)}.${quoteIdent(t.name)}`;
  if (t.uniqueKeys.length > 0) {
    // ADD PRIMARY KEY makes the columns NOT NULL (fails if a NULL is stored: fix the data first).
    return `ALTER TABLE ${name} ADD PRIMARY KEY (${t.uniqueKeys[0].columns.map(quoteIdent).join(", ")});`;
  }
  const taken = new Set(t.columns.map((c) => c.name.toLowerCase()));
  const col = ["id", "row_id", "dts_row_id"].find((c) => !taken.has(c)) ?? "dts_row_id";
  return `ALTER TABLE ${name} ADD COLUMN ${quoteIdent(col)} BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY;`;
}

/** DTS and the merge views need to identify rows: without a key, updates and deletes duplicate rows. */
export const tablePrimaryKey: PreflightCheck = {
  id: "table-primary-key",
  title: "Every realtime table has a primary key or a NOT NULL unique key",
  scope: "realtime",
  run: ({ database }, ctx) => {
    const byName = new Map(database.tables.map((t) => [t.name, t]));
    const present = ctx.realtimeTables.filter((t) => byName.has(t)).map((t) => byName.get(t)!);
    if (present.length === 0) return notApplicable("none of the realtime tables exists (see table-exists)");
    const bad = present.map((t) => ({ t, id: rowIdentity(t) })).filter((x) => x.id.problem);
    if (bad.length === 0) return pass(`${present.length} realtime tables have a primary key or NOT NULL unique key`);
    return fail(bad.map((b) => `${b.t.name}: ${b.id.problem}`).join("; "), bad.map((b) => primaryKeyFix(ctx.database, b.t)).join("\n"));
  },
};
