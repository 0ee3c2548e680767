/**
 * Where the MySQL source is and how to connect to it: parsing `mysql://` URLs and
 * quoting identifiers. Pure: providers/source/mysql.ts opens connections.
 */

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

/** Quotes an identifier with backticks. */
export function quoteIdent(name: string): string {
  return "`" + name.replace(/`/g, "``") + "`";
}
