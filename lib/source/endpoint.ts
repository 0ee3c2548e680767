/**
 * Where the MySQL source is and how to connect to it: parsing `mysql://` URLs and
 * opening a mysql2 connection that counts the statements it runs.
 */
import * as mysql from "mysql2/promise";

/** A MySQL server and database to inspect. The password never comes from a URL printed anywhere. */
export interface SourceEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** From MYSQL_PWD, --password-stdin or a secret; never logged. */
  readonly password?: string;
}

/** Parses `mysql://user[:password]@host[:port]/database`. Throws naming the URL part that is wrong. */
export function parseMySqlUrl(url: string): SourceEndpoint {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--url "${redactUrl(url)}" is not a URL; expected mysql://user@host:3306/database`);
  }
  if (u.protocol !== "mysql:") {
    throw new Error(`--url protocol "${u.protocol}" is not allowed; expected mysql://user@host:3306/database`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (!u.hostname) throw new Error(`--url "${redactUrl(url)}" has no host; expected mysql://user@host:3306/database`);
  if (!u.username) throw new Error(`--url "${redactUrl(url)}" has no user; expected mysql://user@host:3306/database`);
  if (!database) throw new Error(`--url "${redactUrl(url)}" has no database; expected mysql://user@host:3306/database`);
  const port = u.port ? Number(u.port) : 3306;
  return {
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port,
    user: decodeURIComponent(u.username),
    database,
    password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}

/** The URL with any password replaced by `***`, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^(mysql:\/\/[^:@/]*):[^@/]*@/, "$1:***@");
}

/** `user@host:port/database`, for reports. */
export function describeEndpoint(e: SourceEndpoint): string {
  return `${e.user}@${e.host}:${e.port}/${e.database}`;
}

/** What the inspectors need from a connection: one statement at a time, rows back. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/** A Queryable over a mysql2 connection that counts statements (the preflight's cost is asserted in tests). */
export class CountingConnection implements Queryable {
  /** Statements sent so far. */
  statements: number;
  /** The SQL text of each statement, in order (for tests and `--verbose`). */
  readonly log: string[];
  readonly connection: mysql.Connection;

  // Fields are set in the constructor, not as class-field initializers: Pulumi's closure
  // serializer (the SyncAccount dynamic provider uses this class) drops initializers.
  constructor(connection: mysql.Connection) {
    this.connection = connection;
    this.statements = 0;
    this.log = [];
  }

  async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    this.statements++;
    this.log.push(sql);
    const [rows] = await this.connection.query(sql, params as unknown[] | undefined);
    return rows as T[];
  }

  end(): Promise<void> {
    return this.connection.end();
  }
}

/** Default connect timeout, milliseconds: long enough for a cross-region link, short enough for CI. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** Opens a connection with a bounded connect timeout. Rejects with mysql2's error (code, message). */
export async function connect(e: SourceEndpoint, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<CountingConnection> {
  const c = await mysql.createConnection({
    host: e.host,
    port: e.port,
    user: e.user,
    password: e.password,
    database: e.database,
    connectTimeout: connectTimeoutMs,
    // Numbers as strings: BIGINT UNSIGNED and DECIMAL values stay exact.
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  return new CountingConnection(c);
}

/** Quotes an identifier with backticks. */
export function quoteIdent(name: string): string {
  return "`" + name.replace(/`/g, "``") + "`";
}

/** Quotes a string literal for SQL text shown to people (fix statements). */
export function quoteString(value: string): string {
  return "'" + value.replace(/\\/g, "\\\\").replace(/'/g, "''") + "'";
}
