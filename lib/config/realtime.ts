/**
 * "Is this realtime engine on?", asked one way: every rule, component, command and check reads
 * these (the engines' records are in ./types.ts, REALTIME_ENGINE_RECORDS). Pure.
 */
import { REALTIME_ENGINE_RECORDS, RealtimeEngine, StackConfig } from "./types";

/** The part of a config these read (tests and rules pass partial configs). */
type RealtimeView = { readonly realtime: Pick<StackConfig["realtime"], "enabled" | "engine"> };

/** The engine is the stack's choice and the realtime layer is on (its config rules apply). */
export function engineOn(c: RealtimeView, engine: RealtimeEngine): boolean {
  return c.realtime.enabled && c.realtime.engine === engine;
}

/** The engine is on and has tables to sync: it builds its resources now. */
export function engineBuilds(c: RealtimeView & Pick<StackConfig, "tables">, engine: RealtimeEngine): boolean {
  return engineOn(c, engine) && c.tables.some((t) => t.realtime);
}

/** The realtime layer is on with an engine that reads the binlog (the source preflight's realtime checks apply). */
export function readsBinlogNow(c: RealtimeView): boolean {
  return c.realtime.enabled && REALTIME_ENGINE_RECORDS[c.realtime.engine].readsBinlog;
}

/** Suffix of a table's name in the realtime layer. */
export const REALTIME_TABLE_SUFFIX = "_realtime";

/** What a table is called in the realtime layer, on every engine: the merge view (DTS, Canal) or the Delta table (Flink). */
export function realtimeTableName(table: string): string {
  return `${table}${REALTIME_TABLE_SUFFIX}`;
}
