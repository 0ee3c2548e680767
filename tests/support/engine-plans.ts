/** Plans of a stack's own file at stage mature with each realtime engine (the engines' configs from tests/support). */
import { recordPlan } from "../../plan-engine/record-plan";
import type { Plan } from "../../lib/plan/types";
import { readStackFile, stackFilePath } from "../../project-files";
import { CANAL_VALUES } from "./canal";
import { FLINK_CONFIG } from "./flink";

export const ENGINES = ["dts", "sls", "dataworks-flink", "canal-datahub"] as const;

/** The stack's own file at stage mature with `engine`, as the plan matrix does for dts and sls. */
export async function planMature(stack: "dev" | "prod", engine: (typeof ENGINES)[number]): Promise<Plan> {
  const file = readStackFile(stackFilePath(stack));
  const values: Record<string, string> = { ...file.values, "photo-analytics:stage": "mature" };
  const secretKeys = new Set(file.secretKeys);
  const realtime = values["photo-analytics:realtime"] ? (JSON.parse(values["photo-analytics:realtime"]) as Record<string, unknown>) : {};
  if (engine === "canal-datahub") {
    values["photo-analytics:realtime"] = JSON.stringify({ ...realtime, ...(CANAL_VALUES["photo-analytics:realtime"] as object) });
    for (const k of ["photo-analytics:datahubAccessKeyId", "photo-analytics:datahubAccessKeySecret"]) {
      values[k] = String(CANAL_VALUES[k]);
      secretKeys.add(k);
    }
  } else if (engine === "dataworks-flink") values["photo-analytics:realtime"] = JSON.stringify({ ...realtime, ...FLINK_CONFIG });
  else values["photo-analytics:realtime"] = JSON.stringify({ ...realtime, engine });
  return recordPlan({ stack, config: { values, secretKeys } });
}
