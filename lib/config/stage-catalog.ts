/**
 * The stage catalog: the seed's defaults as data (DESIGN.md "Stages"). A stage
 * says which layers exist and which of the default tables each layer carries;
 * the stack config overrides any table's tier under it (`tables[].tier`,
 * `tables[].realtime`) and switches realtime on or off (`realtime.enabled`).
 */
import { BatchTier, Stage, STAGES, StackConfig } from "./types";

/** One layer of the pipeline. */
export type Layer = "daily" | "hourly" | "realtime";

/** A stage's defaults. */
export interface StageDefaults {
  /** Layers the stage turns on. `daily` is always on: every table keeps its T+1 history. */
  readonly layers: readonly Layer[];
  /** Default tables whose batch tier is `hourly` in this stage (others: `daily`). */
  readonly hourlyTables: readonly string[];
  /** Default tables synced by the realtime layer when it is on. */
  readonly realtimeTables: readonly string[];
  /** The seed's monthly cost estimate, CNY (for comparison in README and plan). */
  readonly seedMonthlyCny: number;
  /** When the seed says to use it. */
  readonly when: string;
}

/** The seven tables of `photo_assistant`, with the column the batch layers load increments by. */
export const DEFAULT_TABLES: readonly { name: string; incrementalColumn: string }[] = [
  { name: "users", incrementalColumn: "updated_time" },
  { name: "photo_records", incrementalColumn: "updated_time" },
  { name: "guide_usage", incrementalColumn: "created_time" },
  { name: "page_views", incrementalColumn: "created_time" },
  { name: "feedback", incrementalColumn: "updated_time" },
  { name: "advice_views", incrementalColumn: "created_time" },
  { name: "user_events", incrementalColumn: "created_time" },
];

/** The seed's three core tables, loaded hourly from `growth` on. */
const CORE_HOURLY = ["photo_records", "page_views", "guide_usage"];
/** The tables the seed's realtime queries read (online users, DAU, photos last hour, funnel). */
const REALTIME_DEFAULT = ["users", "photo_records", "page_views"];

export const STAGE_CATALOG: Readonly<Record<Stage, StageDefaults>> = {
  initial: { layers: ["daily"], hourlyTables: [], realtimeTables: [], seedMonthlyCny: 100, when: "first 3 months" },
  growth: { layers: ["daily", "hourly"], hourlyTables: CORE_HOURLY, realtimeTables: [], seedMonthlyCny: 280, when: "months 3-6" },
  mature: {
    layers: ["daily", "hourly", "realtime"],
    hourlyTables: CORE_HOURLY,
    realtimeTables: REALTIME_DEFAULT,
    seedMonthlyCny: 1180,
    when: "after 6 months",
  },
};

/** Position of a stage in promotion order (initial = 0). */
export function stageIndex(stage: Stage): number {
  return STAGES.indexOf(stage);
}

/** Whether a stage turns a layer on by default. */
export function stageHasLayer(stage: Stage, layer: Layer): boolean {
  return STAGE_CATALOG[stage].layers.includes(layer);
}

/** A table's batch tier in a stage, before overrides. Tables outside the default set are daily. */
export function defaultTier(stage: Stage, table: string): BatchTier {
  return STAGE_CATALOG[stage].hourlyTables.includes(table) ? "hourly" : "daily";
}

/** Whether a table is in the realtime set of a stage by default. */
export function defaultRealtime(stage: Stage, table: string): boolean {
  return STAGE_CATALOG[stage].realtimeTables.includes(table);
}

/**
 * The layers a resolved config builds (the `layers` stack output): `daily` always,
 * `hourly` when a table is loaded hourly, `realtime` when the realtime layer is on and
 * has tables. Overrides count, so this can differ from the stage's catalog layers.
 */
export function builtLayers(config: Pick<StackConfig, "tables" | "realtime">): Layer[] {
  return [
    "daily",
    ...(config.tables.some((t) => t.tier === "hourly") ? (["hourly"] as const) : []),
    ...(config.realtime.enabled && config.tables.some((t) => t.realtime) ? (["realtime"] as const) : []),
  ];
}
