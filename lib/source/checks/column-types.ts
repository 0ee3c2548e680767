import { quoteIdent } from "../endpoint";
import { mapMySqlType, MAXCOMPUTE_DECIMAL_MAX_PRECISION, MAXCOMPUTE_DECIMAL_MAX_SCALE, parseColumnType } from "../../maxcompute/type-mapping";
import { pass, PreflightCheck, warn } from "./types";

/**
 * Columns whose type has no faithful MaxCompute mapping (lib/type-mapping.ts fidelity
 * `lossy`): they are synced with the documented fallback, so this warns, never fails.
 */
export const columnTypes: PreflightCheck = {
  id: "column-types",
  title: "Column types have a faithful MaxCompute mapping",
  scope: "all",
  run: ({ database }, ctx) => {
    const wanted = new Set(ctx.tables);
    let columns = 0;
    let widened = 0;
    const lossy: { table: string; column: string; type: string; nullable: boolean; comment: string; to: string; rule: string; reason: string }[] = [];
    for (const t of database.tables) {
      if (!wanted.has(t.name)) continue;
      for (const c of t.columns) {
        columns++;
        const m = mapMySqlType(c.type);
        if (m.fidelity === "widened") widened++;
        if (m.fidelity === "lossy")
          lossy.push({
            table: t.name,
            column: c.name,
            type: c.type,
            nullable: c.nullable,
            comment: c.comment,
            to: m.maxComputeType,
            rule: m.rule,
            reason: m.reason,
          });
      }
    }
    const summary = `${columns} columns mapped: ${columns - widened - lossy.length} exact, ${widened} widened, ${lossy.length} lossy`;
    if (lossy.length === 0) return pass(summary);
    const fixes = lossy.map((l) => {
      if (l.rule === "decimal-too-wide") {
        const { args } = parseColumnType(l.type);
        const scale = Math.min(Number(args[1] ?? 0), MAXCOMPUTE_DECIMAL_MAX_SCALE);
        return `ALTER TABLE ${quoteIdent(ctx.database)}.${quoteIdent(l.table)} MODIFY ${quoteIdent(l.column)} DECIMAL(${MAXCOMPUTE_DECIMAL_MAX_PRECISION},${scale})${l.nullable ? "" : " NOT NULL"}; -- only if every stored value fits; otherwise accept STRING`;
      }
      return `-- ${l.table}.${l.column}: accept the ${l.to} fallback (${l.reason})`;
    });
    return warn(`${summary}: ${lossy.map((l) => `${l.table}.${l.column} ${l.type} -> ${l.to} (${l.rule})`).join("; ")}`, fixes.join("\n"));
  },
};
