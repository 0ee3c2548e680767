/** What several commands share: a stack's settings with its stage replaced. */
import { ConfigInput } from "../lib/config/load";
import { PROJECT, Stage } from "../lib/config/types";
import { readStackFile, stackFilePath } from "../project-files";

/** Reads the stack's settings (or `configFile`), with the stage replaced when `stage` is given. */
export function stackConfig(stack: string, configFile?: string, stage?: Stage, root?: string): ConfigInput {
  const input = readStackFile(configFile ?? stackFilePath(stack, root));
  if (stage === undefined) return input;
  return { ...input, values: { ...input.values, [`${PROJECT}:stage`]: stage } };
}
