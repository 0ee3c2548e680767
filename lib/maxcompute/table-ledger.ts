/**
 * The ODS table ledger (`sql/maxcompute/ods/<database>.ledger.json`): per MaxCompute table,
 * the definition it was CREATED with, and the columns added to it later. Committed and
 * append-only. Pure: project-files.ts reads the file, the program hands the value in.
 *
 * Why a ledger: ROS creates the tables (`ALIYUN::MaxCompute::Table`), and no property of that
 * resource type is editable (https://www.alibabacloud.com/help/doc-detail/260286.htm: every
 * property "Editable: No"). A changed column list in a table's ROS definition therefore means a
 * replacement, which the stacks disable (`replacementOption: "Disabled"`): the whole UpdateStack
 * would fail, or, with replacement on, drop the table and its data. So the ROS template must keep
 * each table's ORIGINAL definition forever, while later columns reach MaxCompute through
 * `ALTER TABLE ... ADD COLUMNS` (providers/maxcompute/table-columns.ts). The original definition
 * cannot be derived from the current source schema (it has moved on), and a Pulumi program cannot
 * read its previous state, so it is recorded here, reviewed in the PR that changes the schema.
 * (The alternative, "the template only ever carries creation-time columns of new tables", needs
 * the same record to know which tables are new.) The ledger is not per stack: a stack that first
 * deploys a table late creates it with the ledger's creation columns and adds the rest, which
 * ends with the same table.
 *
 * The check (`resolveOdsTables`) compares the desired tables (from the schema snapshot) with the
 * ledger and refuses what MaxCompute cannot apply in place; see docs/maxcompute-schema-changes.md.
 */
import { MaxComputeColumn, MaxComputeTable } from "./ods-tables";

/** One table in the ledger. */
export interface LedgerTable {
  /** Table comment at creation (the ROS `Comment`). */
  readonly comment: string;
  /** Columns at creation, in order (the ROS `Schema.Columns`). Never edited. */
  readonly columns: readonly MaxComputeColumn[];
  /** Partition columns at creation (the ROS `Schema.Partitions`). Never edited. */
  readonly partitions: readonly MaxComputeColumn[];
  /** Columns added later with ALTER TABLE ADD COLUMNS, in the order they were added. Append only. */
  readonly added: readonly MaxComputeColumn[];
  /**
   * 1 for the definition the table was created with. Raised by hand, with the entry rewritten to
   * the table's new shape, after a refused change was applied manually (the only edit that is not
   * an append; docs/maxcompute-schema-changes.md): the ROS resource then gets a new logical id.
   * @default 1
   */
  readonly generation?: number;
}

/** The whole ledger of one source database. */
export interface TableLedger {
  /** The MySQL database the ODS tables load from. */
  readonly database: string;
  /** MaxCompute table name -> entry. */
  readonly tables: Readonly<Record<string, LedgerTable>>;
}

/** A ledger with the file it was read from (relative to the project root, for messages). */
export interface LedgerFile {
  readonly ledger: TableLedger;
  readonly file: string;
}

/** The ledger file could not be used: the message names the file and the key. */
export class LedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LedgerError";
  }
}

function parseColumns(v: unknown, at: string, file: string): MaxComputeColumn[] {
  if (!Array.isArray(v)) throw new LedgerError(`${file}: ${at} must be an array of {name, type, comment}; got ${JSON.stringify(v)}`);
  return v.map((c: unknown, i) => {
    const o = c as Record<string, unknown>;
    if (!o || typeof o.name !== "string" || typeof o.type !== "string" || !o.name || !o.type || (o.comment !== undefined && typeof o.comment !== "string")) {
      throw new LedgerError(`${file}: ${at}[${i}] must be {name: string, type: string, comment?: string}; got ${JSON.stringify(c)}`);
    }
    return { name: o.name, type: o.type, comment: (o.comment as string | undefined) ?? "" };
  });
}

/** Parses the ledger file's text. Throws `LedgerError` naming the file and the bad key. */
export function parseTableLedger(text: string, file: string): TableLedger {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new LedgerError(`${file}: not JSON (${(e as Error).message})`);
  }
  const d = doc as Record<string, unknown>;
  if (!d || typeof d !== "object" || typeof d.database !== "string" || !d.tables || typeof d.tables !== "object" || Array.isArray(d.tables)) {
    throw new LedgerError(`${file}: expected {"database": "<mysql database>", "tables": {"<table>": {...}}}`);
  }
  const tables: Record<string, LedgerTable> = {};
  for (const [name, raw] of Object.entries(d.tables as Record<string, unknown>)) {
    const t = raw as Record<string, unknown>;
    if (!t || typeof t !== "object") throw new LedgerError(`${file}: tables.${name} must be an object`);
    if (t.generation !== undefined && !(Number.isInteger(t.generation) && (t.generation as number) >= 1)) {
      throw new LedgerError(`${file}: tables.${name}.generation must be an integer >= 1; got ${JSON.stringify(t.generation)}`);
    }
    tables[name] = {
      ...(t.generation !== undefined && t.generation !== 1 ? { generation: t.generation as number } : {}),
      comment: typeof t.comment === "string" ? t.comment : "",
      columns: parseColumns(t.columns, `tables.${name}.columns`, file),
      partitions: parseColumns(t.partitions ?? [], `tables.${name}.partitions`, file),
      added: parseColumns(t.added ?? [], `tables.${name}.added`, file),
    };
  }
  return { database: d.database, tables };
}

/** The ledger's file text: tables in name order, one column a line (what `npm run ddl` writes; diffs stay readable). */
export function formatTableLedger(ledger: TableLedger): string {
  const col = (c: MaxComputeColumn) => `{"name": ${JSON.stringify(c.name)}, "type": ${JSON.stringify(c.type)}, "comment": ${JSON.stringify(c.comment)}}`;
  const list = (cs: readonly MaxComputeColumn[]) => (cs.length === 0 ? "[]" : `[\n${cs.map((c) => `        ${col(c)}`).join(",\n")}\n      ]`);
  const names = Object.keys(ledger.tables).sort();
  const tables = names.map((n) => {
    const t = ledger.tables[n];
    const fields = [
      ...(t.generation !== undefined && t.generation !== 1 ? [`      "generation": ${t.generation}`] : []),
      `      "comment": ${JSON.stringify(t.comment)}`,
      `      "columns": ${list(t.columns)}`,
      `      "partitions": ${list(t.partitions)}`,
      `      "added": ${list(t.added)}`,
    ];
    return `    ${JSON.stringify(n)}: {\n${fields.join(",\n")}\n    }`;
  });
  return `{\n  "database": ${JSON.stringify(ledger.database)},\n  "tables": {${tables.length === 0 ? "}" : `\n${tables.join(",\n")}\n  }`}\n}\n`;
}

/** The ledger entry a new table gets: its current definition, nothing added. */
export function ledgerEntry(t: MaxComputeTable): LedgerTable {
  const col = (c: MaxComputeColumn) => ({ name: c.name, type: c.type, comment: c.comment });
  return { comment: t.comment, columns: t.columns.map(col), partitions: t.partitions.map(col), added: [] };
}

/**
 * The ledger with `tables` recorded: new tables get their entry, new columns are appended to
 * `added`. Existing entries are never edited (append only). What a generator (`npm run ddl`)
 * writes after a schema change; refused changes are not "recorded" (resolve them first).
 */
export function appendToLedger(ledger: TableLedger, tables: readonly MaxComputeTable[]): TableLedger {
  const out: Record<string, LedgerTable> = { ...ledger.tables };
  for (const t of tables) {
    const entry = out[t.name];
    if (!entry) {
      out[t.name] = ledgerEntry(t);
      continue;
    }
    const known = new Set([...entry.columns, ...entry.added].map((c) => c.name));
    const fresh = t.columns.filter((c) => !known.has(c.name)).map((c) => ({ name: c.name, type: c.type, comment: c.comment }));
    if (fresh.length > 0) out[t.name] = { ...entry, added: [...entry.added, ...fresh] };
  }
  return { database: ledger.database, tables: Object.fromEntries(Object.keys(out).map((k) => [k, out[k]])) };
}

/** Kinds of problems: the first five are changes MaxCompute cannot apply in place; the last two mean "update the ledger". */
export type SchemaProblemKind =
  "column-dropped" | "column-renamed" | "column-type-changed" | "column-reordered" | "partition-changed" | "table-not-in-ledger" | "column-not-in-ledger";

/** One refused change. */
export interface SchemaProblem {
  readonly kind: SchemaProblemKind;
  readonly table: string;
  /** The column concerned, when there is one. */
  readonly column?: string;
  readonly message: string;
}

/** A desired table resolved against the ledger. */
export interface ResolvedOdsTable {
  /** The definition the ROS template carries: the creation-time one (never changes once recorded). */
  readonly ros: MaxComputeTable;
  /** Every column the table must have, in MaxCompute order: creation columns, then added ones. */
  readonly columns: readonly MaxComputeColumn[];
  /** Columns beyond the creation definition (ALTER TABLE ADD COLUMNS), in order. */
  readonly added: readonly MaxComputeColumn[];
}

/** Runbook of the changes refused here. */
export const SCHEMA_CHANGES_RUNBOOK = "docs/maxcompute-schema-changes.md";

const norm = (type: string) => type.replace(/\s+/g, "").toUpperCase();
const sameColumn = (a: MaxComputeColumn, b: MaxComputeColumn) => a.name === b.name && norm(a.type) === norm(b.type);
const col = (c: MaxComputeColumn) => JSON.stringify({ name: c.name, type: c.type, comment: c.comment });

/** Whether the names of `sub`, in the order `order` has them, keep the order of `sub`. */
function keepsOrder(sub: readonly string[], order: readonly string[]): boolean {
  const kept = order.filter((n) => sub.includes(n));
  const expected = sub.filter((n) => order.includes(n));
  return kept.every((n, i) => n === expected[i]);
}

/**
 * Resolves one desired table (from the schema snapshot) against its ledger entry: what ROS
 * keeps, what ALTER TABLE adds, and every change that cannot be applied in place.
 */
export function resolveOdsTable(
  desired: MaxComputeTable,
  entry: LedgerTable | undefined,
  file: string,
): { resolved?: ResolvedOdsTable; problems: SchemaProblem[] } {
  const t = desired.name;
  if (!entry) {
    return {
      problems: [
        {
          kind: "table-not-in-ledger",
          table: t,
          message: `${t}: new table, not in the table ledger ${file}; add "${t}": ${JSON.stringify(ledgerEntry(desired))} to its "tables" (the ROS template creates the table with exactly these columns, forever)`,
        },
      ],
    };
  }
  const problems: SchemaProblem[] = [];
  const refuse = (kind: SchemaProblemKind, message: string, column?: string) =>
    problems.push({
      kind,
      table: t,
      ...(column ? { column } : {}),
      message: `${t}: ${message}; MaxCompute cannot apply this in place: see ${SCHEMA_CHANGES_RUNBOOK}`,
    });

  const recorded = [...entry.columns, ...entry.added];
  const byName = new Map(desired.columns.map((c) => [c.name, c] as const));
  const recordedNames = new Set(recorded.map((c) => c.name));
  const fresh = desired.columns.filter((c) => !recordedNames.has(c.name));

  for (const r of recorded) {
    const now = byName.get(r.name);
    if (!now) {
      const candidates = fresh.filter((f) => norm(f.type) === norm(r.type)).map((f) => `\`${f.name}\``);
      if (candidates.length > 0) {
        refuse("column-renamed", `column \`${r.name}\` ${r.type} is gone and ${candidates.join(" or ")} of the same type is new: a rename`, r.name);
      } else {
        refuse("column-dropped", `column \`${r.name}\` ${r.type} is gone from the source (dropped); the stack never drops a column`, r.name);
      }
    } else if (norm(now.type) !== norm(r.type)) {
      refuse(
        "column-type-changed",
        `column \`${r.name}\` changes type from ${r.type} to ${now.type}; the stack changes no column type (unsupported conversions fail with ODPS-0130071, and a narrowing loses data)`,
        r.name,
      );
    }
  }
  const desiredOrder = desired.columns.map((c) => c.name);
  for (const [part, label] of [
    [entry.columns, "created"],
    [entry.added, "added"],
  ] as const) {
    const names = part.map((c) => c.name);
    if (!keepsOrder(names, desiredOrder)) {
      const now = desiredOrder.filter((n) => names.includes(n));
      refuse("column-reordered", `the ${label} columns change order from (${names.filter((n) => now.includes(n)).join(", ")}) to (${now.join(", ")})`);
    }
  }
  const parts = (cs: readonly MaxComputeColumn[]) => cs.map((c) => `${c.name} ${c.type}`).join(", ");
  if (entry.partitions.length !== desired.partitions.length || entry.partitions.some((p, i) => !sameColumn(p, desired.partitions[i]))) {
    refuse("partition-changed", `partition columns change from (${parts(entry.partitions)}) to (${parts(desired.partitions)})`);
  }
  for (const f of fresh) {
    problems.push({
      kind: "column-not-in-ledger",
      table: t,
      column: f.name,
      message: `${t}: new column \`${f.name}\` is not in the table ledger ${file}; append ${col(f)} to tables.${t}.added (the stack adds it with ALTER TABLE ADD COLUMNS, at the end of the table)`,
    });
  }
  if (problems.length > 0) return { problems };

  // Comments of the current source win for ADD COLUMNS; types are the recorded ones (equal, checked above).
  const withComment = (c: MaxComputeColumn): MaxComputeColumn => ({ ...c, comment: byName.get(c.name)?.comment ?? c.comment });
  return {
    problems,
    resolved: {
      ros: {
        ...desired,
        comment: entry.comment,
        columns: entry.columns,
        partitions: entry.partitions,
        ...(entry.generation && entry.generation > 1 ? { rosGeneration: entry.generation } : {}),
      },
      columns: recorded.map(withComment),
      added: entry.added.map(withComment),
    },
  };
}

/** Changes refused before anything is registered: the message lists every one. */
export class SchemaChangeError extends Error {
  constructor(readonly problems: readonly SchemaProblem[]) {
    super(
      `the MaxCompute ODS tables cannot follow the source schema (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was deployed:\n` +
        problems.map((p) => `  - [${p.kind}] ${p.message}`).join("\n"),
    );
    this.name = "SchemaChangeError";
  }
}

/** Resolves every desired table; throws `SchemaChangeError` listing every problem of every table. */
export function resolveOdsTables(desired: readonly MaxComputeTable[], ledger: TableLedger, file: string): ResolvedOdsTable[] {
  const problems: SchemaProblem[] = [];
  const out: ResolvedOdsTable[] = [];
  for (const d of desired) {
    const r = resolveOdsTable(d, ledger.tables[d.name], file);
    problems.push(...r.problems);
    if (r.resolved) out.push(r.resolved);
  }
  if (problems.length > 0) throw new SchemaChangeError(problems);
  return out;
}
