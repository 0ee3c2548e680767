/**
 * photo-analytics: load and validate the stack config, build the platform for
 * its stage, export what users and tools need. Nothing is registered when the
 * config is invalid: every problem is reported at once.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadConfig } from "./lib/config/load";
import { runtimeConfigInput } from "./lib/config/pulumi-config";
import { Platform } from "./components/platform";

function load() {
  try {
    return loadConfig(runtimeConfigInput());
  } catch (e) {
    // RunError: Pulumi prints the message without a stack trace.
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

const config = load();
const cfg = new pulumi.Config();
const platform = new Platform("analytics", {
  config,
  secrets: {
    sourcePassword: cfg.requireSecret("sourcePassword"),
    maxcomputeAccessKeyId: cfg.getSecret("maxcomputeAccessKeyId"),
    maxcomputeAccessKeySecret: cfg.getSecret("maxcomputeAccessKeySecret"),
  },
});

export const stage = config.stage;
export const region = config.region;
export const maxcomputeProject = platform.warehouse.projectName;
export const dataworksWorkspaceId = platform.workspace.projectId;
export const layers = ["daily", ...(platform.hourlySync ? ["hourly"] : [])];
export const tables = config.tables.map((t) => ({ name: t.name, tier: t.tier, realtime: t.realtime && config.realtime.enabled }));
