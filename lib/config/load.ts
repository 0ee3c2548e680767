/**
 * Stack config: raw key/value map (as Pulumi hands it to the program) ->
 * validated, defaulted `StackConfig`, in three steps: the JSON Schema at the edge
 * (schema.ts; errors worded by config-error.ts), the defaults merged under the
 * user's values (defaults.ts), then every rule set run the same way (rules.ts).
 * Every problem is collected and reported at once; nothing here registers a
 * resource, so the program fails before any.
 */
import { STRING_KEYS } from "./schema";
import { isRegionId, REGION_IDS } from "./regions";
import { Problem, problem, show } from "./problem";
import { checkConfigRules } from "./rules";
import type { RawConfig } from "./raw-config";
import { ConfigError, formatAjvError, notOneOfMessage } from "./config-error";
import { defaultSchemaFile, resolveConfig } from "./defaults";
import { PROJECT, SECRET_KEYS, SECRET_PLACEHOLDER, SecretKey, StackConfig } from "./types";
import { SourceSchema } from "./source-schema";
import { ValidatorSpec, validatorFor } from "../schema-validator";
import type { RuleContext } from "./rules";

export { ConfigError };

/** What the program (or the offline plan) hands to `loadConfig`. */
export interface ConfigInput {
  /** Every config value, keyed `namespace:key`, values as Pulumi stores them (objects as JSON text). */
  readonly values: Readonly<Record<string, string>>;
  /** Keys (`namespace:key`) whose values are secrets. */
  readonly secretKeys: ReadonlySet<string>;
  /** Secret keys whose `secure:` value is still the placeholder `npm run init` wrote (lib/config/stack-file.ts). */
  readonly placeholderSecrets?: ReadonlySet<string>;
}

/**
 * Reads the source schema snapshot the config names (`source.schemaFile`, a path relative
 * to the project root): the edges pass project-files.ts `snapshotReader`, tests a fixture.
 * Throws an error naming the file when it cannot be read.
 */
export type SnapshotReader = (file: string) => SourceSchema;

const PREFIX = `${PROJECT}:`;
const SECRET_SET: ReadonlySet<string> = new Set(SECRET_KEYS);

/** The config schema's validator (generated ahead of time by scripts/build.js; lib/schema-validator.ts). */
/**
 * What the loader validates with: the full schema (lib/stack/schema.ts composes it) and the rules
 * beyond this folder's own (the engines', tracking's), registered by lib/stack/load.ts, so that
 * lib/config imports none of the folders that import it.
 */
export interface ConfigChecks {
  readonly validator: ValidatorSpec;
  readonly rules: readonly ((ctx: RuleContext) => readonly Problem[])[];
}

/**
 * Parses the raw map into the stack-file document the schema describes.
 * Secret values are never kept: they become "[secret]".
 */
function toDocument(input: ConfigInput, problems: Problem[]): RawConfig {
  const doc: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(input.values)) {
    if (!fullKey.startsWith(PREFIX)) continue;
    const key = fullKey.slice(PREFIX.length);
    if (SECRET_SET.has(key)) {
      if (!input.secretKeys.has(fullKey)) {
        problems.push(
          problem(
            fullKey,
            `${fullKey}: is stored in plain text in the stack config; a secret must be encrypted: run "pulumi config set --secret ${key} <value>" (the plain value is not shown here; remove it from the stack file)`,
            { allowed: "an encrypted value (pulumi config set --secret)" },
          ),
        );
      }
      doc[key] = SECRET_PLACEHOLDER;
      continue;
    }
    if (STRING_KEYS.has(key)) {
      doc[key] = text;
      continue;
    }
    try {
      doc[key] = JSON.parse(text);
    } catch {
      // A plain string where an object/number is expected: let the schema report the type.
      doc[key] = text;
    }
  }
  return doc as unknown as RawConfig;
}

/**
 * Validates and resolves a stack's config. Throws `ConfigError` listing every
 * problem (key path, value seen, what is allowed); secret values never appear.
 */
/** Validates and resolves a stack's config with `checks` (lib/stack/load.ts `loadConfig` gives them). */
export function loadConfigWith(input: ConfigInput, readSnapshot: SnapshotReader, checks: ConfigChecks): StackConfig {
  const problems: Problem[] = [];
  const region = input.values["alicloud:region"];
  const regionAllowed = `an Alibaba Cloud region id: ${REGION_IDS.join(", ")}`;
  if (region === undefined) {
    problems.push(
      problem("alicloud:region", `alicloud:region: required, not set; run "pulumi config set alicloud:region cn-shanghai" (or your region)`, {
        allowed: regionAllowed,
      }),
    );
  } else if (!isRegionId(region)) {
    // The same list and wording as source.region's schema enum (lib/config/regions.ts).
    problems.push(
      problem("alicloud:region", notOneOfMessage("alicloud:region", show(region), region, REGION_IDS), {
        value: region,
        allowed: regionAllowed,
      }),
    );
  }
  const raw = toDocument(input, problems);
  const validateSchema = validatorFor(checks.validator);
  if (!validateSchema(raw)) {
    for (const e of validateSchema.errors ?? []) problems.push(formatAjvError(e, raw, checks.validator.schema));
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const schemaFile = defaultSchemaFile(raw);
  let schema: SourceSchema | undefined;
  try {
    schema = readSnapshot(schemaFile);
  } catch (e) {
    problems.push(problem(`${PROJECT}:source.schemaFile`, `${PROJECT}:source.schemaFile: ${(e as Error).message}`, { value: schemaFile }));
  }
  const secretsSet = SECRET_KEYS.filter((k) => input.values[`${PREFIX}${k}`] !== undefined) as SecretKey[];
  const config = resolveConfig(raw, { region: region as string, secretsSet, schema });
  const ctx = { raw, config, schema };
  problems.push(...checkConfigRules(ctx), ...checks.rules.flatMap((rule) => rule(ctx)));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
