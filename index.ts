/** Entry point for `pulumi up`: runs the program (stack.ts) and exports its outputs. */
import { buildStack } from "./stack";

const outputs = buildStack();

export const stage = outputs.stage;
export const region = outputs.region;
export const maxcomputeProject = outputs.maxcomputeProject;
export const dataworksWorkspaceId = outputs.dataworksWorkspaceId;
export const layers = outputs.layers;
export const tables = outputs.tables;
export const webTracking = outputs.webTracking;
export const dtsWriter = outputs.dtsWriter;
