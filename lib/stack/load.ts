/**
 * The stack config loader: lib/config's loader with the full schema (./schema.ts) and the rules
 * the other folders register: each realtime engine's (DTS, DataWorks realtime sync + Flink, Canal +
 * DataHub) and tracking's. lib/config imports none of them; they import lib/config.
 */
import { ConfigChecks, ConfigInput, loadConfigWith, SnapshotReader } from "../config/load";
import { StackConfig } from "../config/types";
import { ValidatorSpec } from "../schema-validator";
import { checkRealtimeRules } from "../dts/realtime-rules";
import { checkFlinkRules } from "../flink/flink-rules";
import { checkCanalDatahubRules } from "../canal/canal-rules";
import { checkTrackingRules } from "../sls/tracking-config";
import { CONFIG_SCHEMA } from "./schema";

/** The config's validator (compiled ahead of time for the commands: scripts/validators.js). */
export const CONFIG_VALIDATOR: ValidatorSpec = { id: "config", schema: CONFIG_SCHEMA, options: { allErrors: true, strict: true, allowUnionTypes: true } };

/** The schema and every registered rule. */
export const STACK_CONFIG_CHECKS: ConfigChecks = {
  validator: CONFIG_VALIDATOR,
  rules: [(c) => checkRealtimeRules(c.config), (c) => checkFlinkRules(c.config), (c) => checkCanalDatahubRules(c.config), (c) => checkTrackingRules(c.config)],
};

/** Validates and resolves a stack's config: every problem at once (ConfigError), before any resource. */
export function loadConfig(input: ConfigInput, readSnapshot: SnapshotReader): StackConfig {
  return loadConfigWith(input, readSnapshot, STACK_CONFIG_CHECKS);
}
