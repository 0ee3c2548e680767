import { quoteIdent } from "../endpoint";
import { pass, PreflightCheck, warn } from "./types";

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** Character sets that are (a subset of) UTF-8: copied to MaxCompute STRING byte for byte. */
export const UTF8_CHARSETS: readonly string[] = ["utf8mb4", "utf8mb3", "utf8", "ascii"];

/**
 * Text in other character sets is converted to UTF-8 on the way to MaxCompute. That is
 * right only if the declared charset is the real one (latin1 columns often hold UTF-8
 * bytes, which then arrive double-encoded), so it is a warning with the conversion.
 */
export const charset: PreflightCheck = {
  id: "charset",
  title: "Text columns use a UTF-8 character set",
  scope: "all",
  run: ({ database, server }, ctx) => {
    const wanted = new Set(ctx.tables);
    const other = new Map<string, Set<string>>();
    let textColumns = 0;
    for (const t of database.tables) {
      if (!wanted.has(t.name)) continue;
      for (const c of t.columns) {
        if (c.charset === null || c.charset === "binary") continue;
        textColumns++;
        if (!UTF8_CHARSETS.includes(c.charset.toLowerCase())) {
          const set = other.get(t.name) ?? new Set<string>();
          set.add(`${c.name} ${c.charset}`);
          other.set(t.name, set);
        }
      }
    }
    const serverCs = server.variables.character_set_server;
    if (other.size === 0)
      return pass(`${textColumns} text columns, all UTF-8 (database default ${database.defaultCharset ?? "?"}, character_set_server ${serverCs ?? "?"})`);
    const tables = [...other.keys()].sort();
    const columns = [...other.values()].reduce((n, set) => n + set.size, 0);
    const listed = tables
      .slice(0, 10)
      .map((t) => `${t} (${[...other.get(t)!].join(", ")})`)
      .join("; ");
    return warn(
      `${plural(columns, "text column")} in ${plural(tables.length, "table")} ${columns === 1 ? "is" : "are"} not UTF-8: ${listed}${tables.length > 10 ? "; ..." : ""}`,
      tables.map((t) => `ALTER TABLE ${quoteIdent(ctx.database)}.${quoteIdent(t)} CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`).join("\n"),
    );
  },
};
