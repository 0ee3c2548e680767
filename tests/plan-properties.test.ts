/**
 * Property-based: random sequences of config changes, each planned with the real
 * program under mocks and diffed with the provider-behaviour table. For every step:
 * no change the provider would drop, no data resource replaced or deleted, and
 * every change of the recorded inputs visible in the diff (created, deleted,
 * replaced or updated: never dropped, never silent).
 *
 * Runs per property: PLAN_PROPERTY_RUNS; CI sets 1000 (about 75 s on 2 shared cores); the
 * local default is 300 (about 25 s), except the combined property (every step kind), which
 * runs 1000 unless PLAN_PROPERTY_RUNS says otherwise (about 50 s on 2 shared cores; the whole
 * file about 100 s).
 * Each distinct config is planned once (memoised), and each (before, after) pair diffed once,
 * so the cost grows with the number of distinct configs, not with the runs: the config space
 * here is small on purpose.
 *
 * Lifecycle: the modelled stack created its tables with BASE's lifecycle and pins it in
 * `warehouse.tablesCreatedWithLifecycleDays` (what docs/maxcompute-schema-changes.md says to do
 * before changing `warehouse.lifecycleDays`); the ROS templates keep it, and the new lifecycle
 * reaches the tables through TableColumns (ALTER TABLE ... SET LIFECYCLE).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { diffPlans, PlanDiff } from "../lib/plan/diff";
import { isDataResource } from "../lib/plan/data-types";
import { changedPaths } from "../lib/plan/diff";
import { Plan } from "../lib/plan/types";
import { BATCH_TIERS, STAGES, Stage } from "../lib/config/types";
import { DEFAULT_TABLES } from "../lib/config/stage-catalog";
import { planOf } from "./support/plan";
import { appendToLedger, formatTableLedger, parseTableLedger } from "../lib/maxcompute/table-ledger";
import { odsTable } from "../lib/maxcompute/ods-tables";
import { SourceSchema } from "../lib/config/source-schema";

/** Runs per property (CI: PLAN_PROPERTY_RUNS=1000). @default 300 */
const RUNS = Number(process.env.PLAN_PROPERTY_RUNS ?? 300);
/** Runs of the combined property (every step kind). @default 1000 */
const COMBINED_RUNS = Number(process.env.PLAN_PROPERTY_RUNS ?? 1000);

/** One stack config, reduced to what the sequences change. */
interface Model {
  readonly stage: Stage;
  /** Generated tables added to the schema snapshot and to `photo-analytics:tables` (0-2). */
  readonly extraTables: number;
  /** Columns added to `feedback` in the schema snapshot (0-1). */
  readonly extraColumns: number;
  /** `users` tier override. */
  readonly usersTier?: "daily" | "hourly";
  /** `feedback` realtime flag. */
  readonly feedbackRealtime?: boolean;
  /** `photo-analytics:realtime.enabled` (undefined: the stage's default). */
  readonly realtimeEnabled?: boolean;
  readonly lifecycleDays: number;
  readonly retentionDays: number;
}

const BASE: Model = { stage: "initial", extraTables: 0, extraColumns: 0, lifecycleDays: 365, retentionDays: 30 };

type Step =
  | { kind: "stage"; to: Stage }
  | { kind: "addTable" }
  | { kind: "addColumn" }
  | { kind: "tier"; to?: "daily" | "hourly" }
  | { kind: "realtimeFlag"; to?: boolean }
  | { kind: "realtime"; to?: boolean }
  | { kind: "lifecycle"; to: number }
  | { kind: "retention"; to: number };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pa-props-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const baseSnapshot = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../sql/mysql/photo_assistant.schema.json"), "utf8"));

/** The schema snapshot of a model, written once per (extraTables, extraColumns). */
function snapshotFile(m: Model): string {
  const file = path.join(tmp, `schema-t${m.extraTables}-c${m.extraColumns}.json`);
  if (fs.existsSync(file)) return file;
  const snap = JSON.parse(JSON.stringify(baseSnapshot));
  const feedback = snap.tables.find((t: { name: string }) => t.name === "feedback");
  for (let i = 1; i <= m.extraColumns; i++) feedback.columns.push({ name: `extra_${i}`, type: "varchar(64)", nullable: true, comment: `added column ${i}` });
  for (let i = 1; i <= m.extraTables; i++) {
    snap.tables.push({
      name: `extra_table_${i}`,
      comment: `generated table ${i}`,
      columns: [
        { name: "id", type: "bigint(20)", nullable: false, comment: "surrogate key" },
        { name: "label", type: "varchar(64)", nullable: true, comment: "a label" },
        { name: "updated_time", type: "datetime", nullable: false, comment: "row change time" },
      ],
      primaryKey: ["id"],
      uniqueKeys: [],
    });
  }
  fs.writeFileSync(file, JSON.stringify(snap, null, 2));
  return file;
}

const committedLedger = parseTableLedger(fs.readFileSync(path.resolve(__dirname, "../sql/maxcompute/ods/photo_assistant.ledger.json"), "utf8"), "ledger");

/**
 * The table ledger of a model, as `npm run ddl` leaves it after the schema change: the
 * committed ledger with the snapshot's ODS tables appended (new tables, new columns).
 */
function ledgerFile(m: Model): string {
  const file = path.join(tmp, `ledger-t${m.extraTables}-c${m.extraColumns}.json`);
  if (fs.existsSync(file)) return file;
  const snap = JSON.parse(fs.readFileSync(snapshotFile(m), "utf8")) as SourceSchema;
  const ods = snap.tables.flatMap((t) => BATCH_TIERS.map((layer) => odsTable(t, layer, 365)));
  fs.writeFileSync(file, formatTableLedger(appendToLedger(committedLedger, ods)));
  return file;
}

function overrides(m: Model): Record<string, unknown> {
  const tables = [
    ...DEFAULT_TABLES.map((t) => ({
      name: t.name,
      incrementalColumn: t.incrementalColumn,
      ...(t.name === "users" && m.usersTier ? { tier: m.usersTier } : {}),
      ...(t.name === "feedback" && m.feedbackRealtime !== undefined ? { realtime: m.feedbackRealtime } : {}),
    })),
    ...Array.from({ length: m.extraTables }, (_, i) => ({ name: `extra_table_${i + 1}`, incrementalColumn: "updated_time" })),
  ];
  return {
    "photo-analytics:stage": m.stage,
    "photo-analytics:source": { host: "10.0.0.5", port: 3306, database: "photo_assistant", user: "pa_sync", schemaFile: snapshotFile(m) },
    "photo-analytics:tables": tables,
    "photo-analytics:warehouse": {
      projectName: "photo_analytics_test",
      lifecycleDays: m.lifecycleDays,
      // Pinned at creation (BASE): changing lifecycleDays then leaves every ROS template as deployed.
      tablesCreatedWithLifecycleDays: BASE.lifecycleDays,
      tableLedgerFile: ledgerFile(m),
    },
    "photo-analytics:tracking": { retentionDays: m.retentionDays },
    ...(m.realtimeEnabled !== undefined ? { "photo-analytics:realtime": { enabled: m.realtimeEnabled } } : {}),
  };
}

const plans = new Map<string, Promise<Plan>>();
/** The plan of a model, recorded once. */
function planFor(m: Model): Promise<Plan> {
  const key = keyOf(m);
  if (!plans.has(key)) plans.set(key, planOf(overrides(m)));
  return plans.get(key)!;
}

function apply(m: Model, s: Step): Model {
  switch (s.kind) {
    case "stage":
      return { ...m, stage: s.to };
    case "addTable":
      return { ...m, extraTables: Math.min(2, m.extraTables + 1) };
    case "addColumn":
      return { ...m, extraColumns: Math.min(1, m.extraColumns + 1) };
    case "tier":
      return { ...m, usersTier: s.to };
    case "realtimeFlag":
      return { ...m, feedbackRealtime: s.to };
    case "realtime":
      return { ...m, realtimeEnabled: s.to };
    case "lifecycle":
      return { ...m, lifecycleDays: s.to };
    case "retention":
      return { ...m, retentionDays: s.to };
  }
}

const arbStage = fc.constantFrom(...STAGES);
/** Steps that leave every ROS template (the MaxCompute tables) as deployed. */
const tableNeutralStep: fc.Arbitrary<Step> = fc.oneof(
  arbStage.map((to): Step => ({ kind: "stage", to })),
  fc.constantFrom(undefined, true, false).map((to): Step => ({ kind: "realtimeFlag", to })),
  fc.constantFrom(undefined, false).map((to): Step => ({ kind: "realtime", to })),
  fc.constantFrom(30, 90).map((to): Step => ({ kind: "retention", to })),
);
const step = (extra: fc.Arbitrary<Step>): fc.Arbitrary<Step> => fc.oneof(tableNeutralStep, extra);
const arbTier = fc.constantFrom<"daily" | "hourly" | undefined>(undefined, "daily", "hourly").map((to): Step => ({ kind: "tier", to }));
const arbLifecycle = fc.constantFrom(365, 730).map((to): Step => ({ kind: "lifecycle", to }));
/** Every step kind, each equally likely. */
const anyStep: fc.Arbitrary<Step> = fc.oneof(
  arbStage.map((to): Step => ({ kind: "stage", to })),
  fc.constant<Step>({ kind: "addTable" }),
  fc.constant<Step>({ kind: "addColumn" }),
  arbTier,
  fc.constantFrom(undefined, true, false).map((to): Step => ({ kind: "realtimeFlag", to })),
  fc.constantFrom(undefined, false).map((to): Step => ({ kind: "realtime", to })),
  arbLifecycle,
  fc.constantFrom(30, 90).map((to): Step => ({ kind: "retention", to })),
);
const sequence = (s: fc.Arbitrary<Step>) => fc.tuple(arbStage, fc.array(s, { minLength: 3, maxLength: 5 }));

/** Every violation of the properties in one step, as readable lines. */
function violations(before: Plan, after: Plan, d: PlanDiff): string[] {
  const out = d.errors.map((e) => `${e.kind}: ${e.message}`);
  for (const r of d.replaced.filter((x) => isDataResource(x.type))) out.push(`data replaced: ${r.name}`);
  for (const r of d.deleted.filter((x) => !x.component && isDataResource(x.type))) out.push(`data deleted: ${r.name}`);
  for (const r of [...d.updated, ...d.dropped]) if (r.dropped.length > 0) out.push(`dropped: ${r.name} ${r.dropped.join(", ")}`);
  // Every recorded input change is in the diff as a replacement or an update.
  const visible = new Set([...d.replaced, ...d.updated].map((r) => r.urn));
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  for (const r of after.resources) {
    const o = old.get(r.urn);
    if (!o) continue;
    const paths = changedPaths(o.inputs, r.inputs).filter((p) => !(r.ignoreChanges ?? []).some((ic) => p === ic || p.startsWith(ic + ".")));
    if (paths.length > 0 && !visible.has(r.urn)) out.push(`not visible: ${r.name} ${paths.join(", ")}`);
  }
  return out;
}

const keyOf = (m: Model) => JSON.stringify(m, Object.keys(m).sort());
const checked = new Map<string, string[]>();
/** The violations of one step between two models, computed once per pair. */
async function stepViolations(m: Model, next: Model): Promise<{ after: Plan; v: string[] }> {
  const [before, after] = [await planFor(m), await planFor(next)];
  const key = `${keyOf(m)} -> ${keyOf(next)}`;
  if (!checked.has(key)) checked.set(key, violations(before, after, diffPlans(before, after)));
  return { after, v: checked.get(key)! };
}

async function checkSequence([start, steps]: [Stage, Step[]]): Promise<void> {
  let m: Model = { ...BASE, stage: start };
  await planFor(m);
  for (const s of steps) {
    const next = apply(m, s);
    const { after, v } = await stepViolations(m, next);
    if (v.length > 0) throw new Error(`step ${JSON.stringify(s)} from ${JSON.stringify(m)}:\n  ${v.join("\n  ")}`);
    // A config change the program turns into a plan change: a table or column reaches the warehouse.
    if (s.kind === "addTable" && next.extraTables > m.extraTables && JSON.stringify(after).indexOf(`extra_table_${next.extraTables}`) < 0) {
      throw new Error(`table extra_table_${next.extraTables} added to the config is nowhere in the plan`);
    }
    // The lifecycle reaches the tables through TableColumns; every ROS table keeps the creation one.
    for (const r of after.resources.filter((x) => x.type === TABLE_COLUMNS)) {
      if (r.inputs.lifecycleDays !== next.lifecycleDays)
        throw new Error(`${r.name} has lifecycleDays ${r.inputs.lifecycleDays}; config says ${next.lifecycleDays}`);
    }
    for (const [name, lifecycle] of rosTableLifecycles(after)) {
      if (lifecycle !== BASE.lifecycleDays) throw new Error(`ROS table ${name} has Lifecycle ${lifecycle}; it was created with ${BASE.lifecycleDays}`);
    }
    m = next;
  }
}

const TABLE_COLUMNS = "pulumi-nodejs:dynamic/maxcompute:TableColumns";
const lifecycles = new Map<Plan, [string, unknown][]>();
/** `[ROS table resource, Lifecycle]` of every ALIYUN::MaxCompute::Table in a plan's ROS templates (once per plan). */
function rosTableLifecycles(plan: Plan): [string, unknown][] {
  if (!lifecycles.has(plan)) {
    const out: [string, unknown][] = [];
    for (const r of plan.resources.filter((x) => x.type === "alicloud:ros/stack:Stack" && typeof x.inputs.templateBody === "string")) {
      const resources = (JSON.parse(r.inputs.templateBody as string).Resources ?? {}) as Record<string, { Type: string; Properties: { Lifecycle?: unknown } }>;
      for (const [id, res] of Object.entries(resources)) if (res.Type === "ALIYUN::MaxCompute::Table") out.push([`${r.name}/${id}`, res.Properties.Lifecycle]);
    }
    lifecycles.set(plan, out);
  }
  return lifecycles.get(plan)!;
}

const TIMEOUT = 600_000;
/** The combined property visits many more distinct configs (each planned once). */
const COMBINED_TIMEOUT = 1_800_000;

describe("random config-change sequences (plan + diff with the provider-behaviour table)", () => {
  it(
    "stages either way, realtime on/off, realtime flags, retention: nothing dropped, no data replaced or deleted, every change visible",
    async () => {
      await fc.assert(fc.asyncProperty(sequence(tableNeutralStep), checkSequence), { numRuns: RUNS, seed: 20261130 });
    },
    TIMEOUT,
  );

  // Tables and columns reach MaxCompute through the ROS template digest (new tables) and the
  // TableColumns resource (ALTER TABLE ADD COLUMNS); the table ledger keeps existing tables' ROS
  // definitions as created (lib/maxcompute/table-ledger.ts).
  it(
    "tables added (schema snapshot, ledger by npm run ddl, config): nothing dropped, the table reaches the plan",
    async () => {
      await fc.assert(fc.asyncProperty(sequence(step(fc.constant<Step>({ kind: "addTable" }))), checkSequence), { numRuns: RUNS, seed: 1 });
    },
    TIMEOUT,
  );

  it(
    "columns added to an existing table: nothing dropped, no table replaced",
    async () => {
      await fc.assert(fc.asyncProperty(sequence(step(fc.constant<Step>({ kind: "addColumn" }))), checkSequence), { numRuns: RUNS, seed: 2 });
    },
    TIMEOUT,
  );

  it(
    "tiers flipped: nothing dropped, no data replaced",
    async () => {
      await fc.assert(fc.asyncProperty(sequence(step(arbTier)), checkSequence), { numRuns: RUNS, seed: 3 });
    },
    TIMEOUT,
  );

  // The ROS templates keep the creation lifecycle (warehouse.tablesCreatedWithLifecycleDays); the
  // new one reaches the tables through TableColumns' lifecycleDays (ALTER TABLE ... SET LIFECYCLE).
  it(
    "lifecycle changed: nothing dropped, no table replaced, the new lifecycle reaches every TableColumns",
    async () => {
      await fc.assert(fc.asyncProperty(sequence(step(arbLifecycle)), checkSequence), { numRuns: RUNS, seed: 4 });
    },
    TIMEOUT,
  );

  it(
    "every step kind mixed (stages, tables, columns, tiers, realtime flags, realtime on/off, lifecycle, retention): nothing dropped, no data replaced or deleted, every change visible",
    async () => {
      await fc.assert(fc.asyncProperty(sequence(anyStep), checkSequence), { numRuns: COMBINED_RUNS, seed: 5 });
    },
    COMBINED_TIMEOUT,
  );
});
