/**
 * The program: load and validate the stack config, build the platform for its
 * stage, return the stack outputs. `index.ts` runs it for `pulumi up`; the
 * offline plan runs the same function under mocks. Nothing is registered when
 * the config is invalid: every problem is reported at once.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigInput } from "./lib/config/load";
import { loadStackConfig, readLayerSqlFiles, readTableLedger } from "./project-files";
import { odsLayerTables } from "./lib/maxcompute/ods-tables";
import { LedgerError, resolveOdsTables, SchemaChangeError } from "./lib/maxcompute/table-ledger";
import { Platform } from "./components/platform";
import { builtLayers, Layer } from "./lib/config/stage-catalog";
import { PLATFORM_NAME } from "./lib/config/types";

/** Stack outputs. */
export interface StackOutputs {
  stage: string;
  region: string;
  maxcomputeProject: pulumi.Output<string>;
  dataworksWorkspaceId: pulumi.Output<number>;
  /** Layers built: `daily`, `hourly` when a table is hourly, `realtime` when realtime is on and has tables. */
  layers: Layer[];
  tables: { name: string; tier: string; realtime: boolean }[];
  /** Browser SDK options `{host, project, logstore}` (examples/web-tracking reads them). */
  webTracking?: pulumi.Output<unknown>;
  /** Who DTS writes MaxCompute as (`realtime.dts.writer`), while the DTS layer exists; never a secret. */
  dtsWriter?: pulumi.Output<unknown>;
}

/** The config Pulumi handed to this program (the CLI, or the offline plan's `setAllConfig`). */
export function runtimeConfigInput(): ConfigInput {
  const values = pulumi.runtime.allConfig();
  // isConfigSecret is exported by the SDK's runtime module but not typed.
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  const secretKeys = new Set(Object.keys(values).filter((k) => isSecret?.(k) === true));
  return { values, secretKeys };
}

export function buildStack(): StackOutputs {
  let config;
  let tableLedger;
  try {
    config = loadStackConfig(runtimeConfigInput());
    // ODS schema changes MaxCompute cannot apply in place (and tables or columns missing from the
    // table ledger) are refused here, before anything is registered (lib/maxcompute/table-ledger.ts).
    tableLedger = readTableLedger(config.warehouse.tableLedgerFile, config.source.database);
    const ods = odsLayerTables(config);
    resolveOdsTables([...ods.daily, ...ods.hourly], tableLedger.ledger, tableLedger.file);
  } catch (e) {
    // RunError: Pulumi prints the message without a stack trace.
    if (e instanceof ConfigError || e instanceof SchemaChangeError || e instanceof LedgerError) throw new pulumi.RunError(e.message);
    throw e;
  }
  const cfg = new pulumi.Config();
  const platform = new Platform(PLATFORM_NAME, {
    config,
    sqlFiles: readLayerSqlFiles(),
    tableLedger,
    secrets: {
      sourcePassword: cfg.requireSecret("sourcePassword"),
      maxcomputeAccessKeyId: cfg.getSecret("maxcomputeAccessKeyId"),
      maxcomputeAccessKeySecret: cfg.getSecret("maxcomputeAccessKeySecret"),
      datahubAccessKeyId: cfg.getSecret("datahubAccessKeyId"),
      datahubAccessKeySecret: cfg.getSecret("datahubAccessKeySecret"),
    },
  });
  return {
    stage: config.stage,
    region: config.region,
    maxcomputeProject: platform.warehouse.projectName,
    dataworksWorkspaceId: platform.workspace.projectId,
    layers: builtLayers(config),
    tables: config.tables.map((t) => ({ name: t.name, tier: t.tier, realtime: t.realtime && config.realtime.enabled })),
    webTracking: platform.tracking?.webTracking,
    // Absent (not "[computed]") when the DTS layer is not built.
    ...(platform.realtime ? { dtsWriter: platform.realtime.writerSummary } : {}),
  };
}
