/** Reading a live database's schema snapshot (for `npm run ddl`): a fixed number of statements. */
import type { SourceSchema } from "../../lib/config/source-schema";
import { SourceEndpoint } from "../../lib/source/endpoint";
import { connect } from "./mysql";
import { readDatabase, toSourceSchema } from "../../lib/source/information-schema";
import { parseServerVersion } from "../../lib/source/server";

/** The snapshot of `endpoint.database` (restricted to `tables`), and the statements it took. */
export async function readLiveSchema(endpoint: SourceEndpoint, tables?: readonly string[]): Promise<{ schema: SourceSchema; statements: number }> {
  const c = await connect(endpoint);
  try {
    const [v] = await c.query<{ v: string; c: string }>("SELECT VERSION() AS v, @@version_comment AS c");
    const db = await readDatabase(c, endpoint.database, parseServerVersion(String(v.v), String(v.c ?? "")).flavor, tables);
    if (!db.exists)
      throw new Error(`database ${endpoint.database} not found on ${endpoint.host}:${endpoint.port} (absent, or ${endpoint.user} has no privilege on it)`);
    const schema = toSourceSchema(db);
    const missing = (tables ?? []).filter((t) => !schema.tables.some((x) => x.name === t));
    if (missing.length > 0) throw new Error(`--tables: not base tables of ${endpoint.database}: ${missing.join(", ")}`);
    return { schema, statements: c.statements };
  } finally {
    await c.end().catch(() => undefined);
  }
}
