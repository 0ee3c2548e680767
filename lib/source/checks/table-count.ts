import { fail, pass, PreflightCheck } from "./types";

/** DTS rejects a task selecting more than 1,000 tables when names are mapped (DTS limits page). */
export const MAX_TABLES_PER_DTS_TASK = 1000;

export const tableCount: PreflightCheck = {
  id: "table-count",
  title: "At most 1,000 tables per DTS task",
  scope: "realtime",
  run: (_facts, ctx) => {
    const n = ctx.realtimeTables.length;
    return n <= MAX_TABLES_PER_DTS_TASK
      ? pass(`${n} tables in the DTS task (limit ${MAX_TABLES_PER_DTS_TASK})`)
      : fail(
          `${n} tables in the DTS task (limit ${MAX_TABLES_PER_DTS_TASK} when table names are mapped)`,
          `Split the realtime tables into ${Math.ceil(n / MAX_TABLES_PER_DTS_TASK)} DTS tasks of <= ${MAX_TABLES_PER_DTS_TASK} tables, or sync the whole database (dbList {"${ctx.database}": {"all": true}}) without renaming tables.`,
        );
  },
};
