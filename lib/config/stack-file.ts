/**
 * Reads a Pulumi stack settings file (`Pulumi.<stack>.yaml`) into the loader's
 * input without decrypting anything: each `secure:` value becomes
 * `SECRET_PLACEHOLDER` and its key is marked secret.
 */
import YAML from "yaml";
import { PROJECT, SECRET_PLACEHOLDER } from "./types";
import { ConfigInput } from "./load";

/** Stands in for every encrypted value in an offline plan (defined once, in ./types). */
export { SECRET_PLACEHOLDER };

export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

/**
 * The `secure:` value `npm run init` writes for a secret the user must still set. Pulumi cannot
 * decrypt it, so `pulumi up` stops on it before deploying anything; the offline plan accepts it
 * (as every `secure:` value) and warns with the command to run.
 */
export function initSecretPlaceholder(key: string, stack: string): string {
  return `${INIT_PLACEHOLDER_PREFIX} ${secretSetCommand(key, stack)}`;
}

/** The command that sets a secret of a stack (`key` with or without the project's namespace). */
export function secretSetCommand(key: string, stack: string): string {
  return `pulumi config set --secret ${key.replace(`${PROJECT}:`, "")} --stack ${stack}`;
}
const INIT_PLACEHOLDER_PREFIX = "unset (npm run init):";

/** One warning per secret still holding the init placeholder, naming the command that sets it. */
export function placeholderSecretWarnings(input: ConfigInput, stack: string): string[] {
  return [...(input.placeholderSecrets ?? [])]
    .sort()
    .map(
      (key) =>
        `${key} is the placeholder npm run init wrote: set it with "${secretSetCommand(key, stack)}" before pulumi up (which cannot decrypt the placeholder)`,
    );
}

function isSecure(v: unknown): v is { secure: string } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { secure?: unknown }).secure === "string";
}

/** Replaces nested `secure:` values; reports whether any was found. */
function stripSecure(v: unknown): { value: unknown; secret: boolean } {
  if (isSecure(v)) return { value: SECRET_PLACEHOLDER, secret: true };
  if (Array.isArray(v)) {
    const parts = v.map(stripSecure);
    return { value: parts.map((p) => p.value), secret: parts.some((p) => p.secret) };
  }
  if (typeof v === "object" && v !== null) {
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = stripSecure(x);
      out[k] = p.value;
      secret ||= p.secret;
    }
    return { value: out, secret };
  }
  return { value: v, secret: false };
}

/** Parses stack-file text. Keys without a namespace belong to the project (as Pulumi reads them). */
export function parseStackFile(text: string, file: string): ConfigInput {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new StackFileError(`${file}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const config = (doc as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new StackFileError(`${file}: "config" must be a mapping of keys to values, got ${Array.isArray(config) ? "a list" : typeof config}`);
  }
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const placeholderSecrets = new Set<string>();
  for (const [rawKey, rawValue] of Object.entries(config)) {
    const key = rawKey.includes(":") ? rawKey : `${PROJECT}:${rawKey}`;
    const { value, secret } = stripSecure(rawValue);
    if (secret) secretKeys.add(key);
    if (isSecure(rawValue) && rawValue.secure.startsWith(INIT_PLACEHOLDER_PREFIX)) placeholderSecrets.add(key);
    values[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return placeholderSecrets.size > 0 ? { values, secretKeys, placeholderSecrets } : { values, secretKeys };
}
