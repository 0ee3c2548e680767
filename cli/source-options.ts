/** What the preflight and ddl commands share: resolving the source from --url or --stack, and reading a password. */
import * as path from "path";
import { PROJECT, STAGES, Stage, StackConfig } from "../lib/config/types";
import { loadStackConfig, PROJECT_ROOT, readStackFile } from "../project-files";
import { parseMySqlUrl, SourceEndpoint } from "../lib/source/endpoint";
import { CommandIo, UsageError } from "./command";

/** `a,b , c` -> [a, b, c]; undefined stays undefined. */
export function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const list = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (list.length === 0) throw new UsageError(`--tables "${value}" names no table; expected a comma-separated list such as users,page_views`);
  return list;
}

export function parseStage(value: string): Stage {
  if (!(STAGES as readonly string[]).includes(value)) throw new UsageError(`--stage "${value}" is not a stage; allowed: ${STAGES.join(", ")}`);
  return value as Stage;
}

/** Loads and validates `Pulumi.<stack>.yaml` from the project root. */
export function loadStack(stack: string, root: string = PROJECT_ROOT, stage?: Stage, configFile?: string): StackConfig {
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new UsageError(`--stack "${stack}" is not a stack name; expected letters, digits, ".", "_" or "-"`);
  const input = readStackFile(configFile ?? path.join(root, `Pulumi.${stack}.yaml`));
  // The stack as it would be at `stage` (what promote is about to write): same as `pulumi config set`.
  const values = stage === undefined ? input.values : { ...input.values, [`${PROJECT}:stage`]: stage };
  return loadStackConfig({ ...input, values }, root);
}

/** The password: --password-stdin (first line), else MYSQL_PWD, else none. */
export async function readPassword(passwordStdin: boolean, io: CommandIo): Promise<string | undefined> {
  if (passwordStdin) return (await io.readStdin()).split(/\r?\n/)[0];
  return io.env.MYSQL_PWD;
}

export interface ResolvedSource {
  readonly endpoint: SourceEndpoint;
  readonly stage: Stage;
  readonly tables?: readonly string[];
  readonly realtimeTables?: readonly string[];
  /** `realtime.engine` (the grants check follows it). */
  readonly realtimeEngine?: string;
  readonly config?: StackConfig;
}

/**
 * --url or --stack (exactly one). With --stack: host, port, database and user from
 * `photo-analytics:source`, tables and realtime set from the stack's config.
 */
export async function resolveSource(
  opts: { url?: string; stack?: string; stage?: string; tables?: string; passwordStdin?: boolean; configFile?: string },
  io: CommandIo,
  root?: string,
): Promise<ResolvedSource> {
  if (!!opts.url === !!opts.stack) throw new UsageError("give exactly one of --url mysql://user@host:port/database or --stack <name>");
  const password = await readPassword(!!opts.passwordStdin, io);
  if (opts.url) {
    let endpoint: SourceEndpoint;
    try {
      endpoint = parseMySqlUrl(opts.url);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (endpoint.password !== undefined && password === undefined) {
      io.stderr("warning: a password in --url is visible in the process list and shell history; prefer MYSQL_PWD or --password-stdin\n");
    }
    return {
      endpoint: password !== undefined ? { ...endpoint, password } : endpoint,
      stage: parseStage(opts.stage ?? "mature"),
      tables: parseList(opts.tables),
    };
  }
  let config: StackConfig;
  try {
    config = loadStack(opts.stack!, root, opts.stage ? parseStage(opts.stage) : undefined, opts.configFile);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const stage = config.stage;
  const only = parseList(opts.tables);
  const tables = config.tables.map((t) => t.name).filter((t) => !only || only.includes(t));
  const realtimeTables = config.realtime.enabled ? config.tables.filter((t) => t.realtime && tables.includes(t.name)).map((t) => t.name) : [];
  const s = config.source;
  return {
    endpoint: { host: s.host, port: s.port, user: s.user, database: s.database, password },
    stage,
    tables,
    realtimeTables,
    realtimeEngine: config.realtime.engine,
    config,
  };
}
