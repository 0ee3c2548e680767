/**
 * Realtime tables without a primary key, as config problems naming `tables[i].primaryKey`: the
 * engines that merge or upsert by the key (Canal, DataWorks realtime sync) share this check.
 */
import { Problem, problem } from "./problem";
import { PROJECT, StackConfig } from "./types";

/** One problem per realtime table with no primary key; `why` says what the engine does with the key. */
export function missingPrimaryKeyProblems(config: Pick<StackConfig, "tables">, why: string): Problem[] {
  return config.tables
    .map((t, i) => [t, i] as const)
    .filter(([t]) => t.realtime && t.primaryKey.length === 0)
    .map(([t, i]) =>
      problem(
        `${PROJECT}:tables[${i}].primaryKey`,
        `${PROJECT}:tables[${i}].primaryKey: ${t.name} is a realtime table without a primary key; ${why}: add a PRIMARY KEY in MySQL or set tables[${i}].primaryKey`,
        { allowed: "one or more columns" },
      ),
    );
}
