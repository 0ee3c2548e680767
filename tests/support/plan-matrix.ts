/**
 * The plan matrix: the example stacks (dev, prod) at every stage and with every realtime
 * engine, recorded with the real program under mocks. Its JSON is kept under
 * tests/golden/plans/ so that a reorganisation can prove that no URN and no input changed.
 * Regenerate deliberately with `UPDATE_GOLDEN=1 npx jest tests/plan-matrix.test.ts`.
 */
import * as path from "path";
import { stackConfig } from "../../project-files";
import { recordPlan } from "../../plan-engine/record-plan";
import { stableJson } from "../../lib/plan/render";
import { STAGES, Stage } from "../../lib/config/types";

export const MATRIX_STACKS = ["dev", "prod"] as const;
export const MATRIX_ENGINES = ["dts", "sls"] as const;
export const GOLDEN_DIR = path.join(__dirname, "..", "golden", "plans");

export interface MatrixCase {
  readonly stack: (typeof MATRIX_STACKS)[number];
  readonly stage: Stage;
  readonly engine: (typeof MATRIX_ENGINES)[number];
  readonly file: string;
}

export const MATRIX: MatrixCase[] = MATRIX_STACKS.flatMap((stack) =>
  STAGES.flatMap((stage) => MATRIX_ENGINES.map((engine) => ({ stack, stage, engine, file: `${stack}-${stage}-${engine}.json` }))),
);

/** The plan JSON of one case, or the program's error text when the config is refused. */
export async function matrixPlanText(c: MatrixCase): Promise<string> {
  const input = stackConfig(c.stack, undefined, c.stage);
  const key = "photo-analytics:realtime";
  const realtime = input.values[key] ? (JSON.parse(input.values[key]) as Record<string, unknown>) : {};
  const values: Record<string, string> = { ...input.values, [key]: JSON.stringify({ ...realtime, engine: c.engine }) };
  const secretKeys = new Set(input.secretKeys);
  // dev brings no MaxCompute AccessKey pair, so DTS writes as the managed writer there; prod brings one (realtime.dts.writer accessKey).
  return stableJson(await recordPlan({ stack: c.stack, config: { values, secretKeys } }));
}
