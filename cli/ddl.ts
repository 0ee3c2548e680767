/**
 * `npm run ddl -- --url mysql://user@host:port/db | --stack <name> [--tables a,b] [--out sql/]`
 *   writes sql/mysql/<db>.schema.json and sql/maxcompute/ods/<db>.{daily,hourly}.sql, <db>.mapping.md
 * `npm run ddl -- ... --check`
 *   compares the live source with those files (exit codes: the table below).
 */
import * as path from "path";
import * as fs from "fs";
import { CommandError, defineCommand, UsageError } from "./command";
import { readSchemaSnapshot, staleFiles, writeFiles } from "../project-files";
import { resolveSource } from "./source-options";
import { ddlPaths, diffSchemas, formatSchemaDiff, generateDdlFiles } from "../lib/source/ddl";
import { readLiveSchema } from "../providers/source/live-schema";
import { appendToLedger, formatTableLedger, LedgerError, parseTableLedger, resolveOdsTables, SchemaChangeError } from "../lib/maxcompute/table-ledger";
import { odsTable } from "../lib/maxcompute/ods-tables";
import { BATCH_TIERS } from "../lib/config/types";
import { EXIT } from "../lib/exit-codes";

/** Lifecycle written into sql/maxcompute/ods (the warehouse.lifecycleDays default). */
const DEFAULT_SQL_LIFECYCLE_DAYS = 365;

interface Options {
  stack?: string;
  url?: string;
  tables?: string;
  out: string;
  check?: boolean;
  lifecycleDays?: string;
  passwordStdin?: boolean;
}

export const command = defineCommand<Options>({
  name: "ddl",
  summary: "Generate MaxCompute DDL from the live MySQL schema, or check sql/ for drift",
  options: (p) =>
    p
      .option("--stack <name>", "read the source from Pulumi.<name>.yaml")
      .option("--url <url>", "mysql://user@host:port/database")
      .option("--tables <list>", "comma-separated tables (default: the stack's tables, or every base table)")
      .option("--out <dir>", "output directory", "sql")
      .option("--check", "compare the live source with the files in --out; exit 2 on drift")
      .option("--lifecycle-days <days>", "ODS partition lifecycle (default: the stack's warehouse.lifecycleDays, else 365)")
      .option("--password-stdin", "read the password from the first line of stdin (else MYSQL_PWD)"),
  exitCodes: {
    0: "files written; with --check: no drift",
    1: "bad option or stack file, the source could not be read, or --check found no snapshot to compare with",
    2: "a change MaxCompute cannot apply in place (nothing written); with --check: drift (column-level diff printed)",
  },
  examples: ["MYSQL_PWD=... npm run ddl -- --stack prod", "npm run ddl -- --url mysql://pa_sync@10.0.3.21:3306/photo_assistant --check"],
  run: async (o, { io, root }) => {
    const src = await resolveSource({ ...o, stage: undefined }, io, root);
    if (o.lifecycleDays !== undefined && !/^[1-9]\d{0,4}$/.test(o.lifecycleDays)) {
      throw new UsageError(`--lifecycle-days "${o.lifecycleDays}" is not allowed; expected an integer from 1 to 99999`);
    }
    // sql/ is shared by every stack (dev and prod keep partitions for different times): its files
    // use the default lifecycle, the stacks deploy their own warehouse.lifecycleDays.
    const lifecycleDays = o.lifecycleDays ? Number(o.lifecycleDays) : DEFAULT_SQL_LIFECYCLE_DAYS;
    const outDir = path.resolve(root, o.out);
    const explicitTables = o.tables !== undefined;
    let live;
    try {
      live = await readLiveSchema(src.endpoint, src.tables);
    } catch (e) {
      const err = e as { code?: string; message?: string };
      throw new CommandError(
        `cannot read the schema of ${src.endpoint.user}@${src.endpoint.host}:${src.endpoint.port}/${src.endpoint.database}: ${err.code ? `${err.code}: ` : ""}${err.message}`,
      );
    }
    const files = generateDdlFiles(live.schema, { lifecycleDays });
    const p = ddlPaths(live.schema.database);
    // The table ledger (lib/maxcompute/table-ledger.ts): new tables and columns are appended; a change
    // MaxCompute cannot apply in place is refused here, before any file is written.
    const ledgerRel = path.join("maxcompute", "ods", `${live.schema.database}.ledger.json`);
    const ledgerFile = path.join(outDir, ledgerRel);
    let ledgerText: string | undefined;
    let ledgerProblem: string | undefined;
    try {
      const current = fs.existsSync(ledgerFile)
        ? parseTableLedger(fs.readFileSync(ledgerFile, "utf8"), path.join(o.out, ledgerRel))
        : { database: live.schema.database, tables: {} };
      const ods = live.schema.tables.flatMap((t) => BATCH_TIERS.map((layer) => odsTable(t, layer, lifecycleDays)));
      const next = appendToLedger(current, ods);
      resolveOdsTables(ods, next, path.join(o.out, ledgerRel));
      ledgerText = formatTableLedger(next);
    } catch (e) {
      if (!(e instanceof SchemaChangeError || e instanceof LedgerError)) throw e;
      ledgerProblem = e.message;
    }
    if (ledgerText !== undefined) files.push({ path: ledgerRel, content: ledgerText });
    if (!o.check && ledgerProblem !== undefined) throw new CommandError(`nothing written: ${ledgerProblem}`, EXIT.changes);
    if (!o.check) {
      writeFiles(outDir, files);
      const n = live.schema.tables.reduce((s, t) => s + t.columns.length, 0);
      io.stdout(`wrote ${files.map((f) => path.join(o.out, f.path)).join(", ")} (${live.schema.tables.length} tables, ${n} columns)\n`);
      return EXIT.ok;
    }
    const snapshotFile = path.join(outDir, p.snapshot);
    if (!fs.existsSync(snapshotFile)) {
      throw new CommandError(
        `${live.schema.database}: no snapshot at ${path.join(o.out, p.snapshot)} to compare with; write it with npm run ddl -- --out ${o.out}`,
      );
    }
    const recorded = readSchemaSnapshot(snapshotFile);
    const changes = diffSchemas(recorded, live.schema, src.tables);
    io.stdout(formatSchemaDiff(live.schema.database, changes));
    // Generated files are compared only for a whole-database run (a --tables run generates a subset).
    const stale = explicitTables ? [] : staleFiles(outDir, files);
    if (stale.length > 0) {
      io.stdout(`generated files out of date: ${stale.map((s) => path.join(o.out, s)).join(", ")}; regenerate with npm run ddl -- --out ${o.out}\n`);
    }
    if (ledgerProblem !== undefined) io.stdout(`${ledgerProblem}\n`);
    return changes.length > 0 || stale.length > 0 || ledgerProblem !== undefined ? EXIT.changes : EXIT.ok;
  },
});

export const main = command.main;
