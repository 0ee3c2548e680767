/**
 * Connections to the MySQL source (mysql2): the one place that opens them. The preflight,
 * the live-schema reader and the SyncAccount provider query through `Queryable`.
 */
import type * as mysql from "mysql2/promise";
import { Queryable, SourceEndpoint } from "../../lib/source/endpoint";

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
  // Loaded here: modules that only name the types (the sync-account provider in a plan) do not load mysql2.
  const c = await (require("mysql2/promise") as typeof mysql).createConnection({
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
