/** The realtime layer's MaxCompute SQL: merge views and metrics, from table specs and the snapshot. */
import { SourceSchema, findTable } from "../lib/config/source-schema";
import { readSchemaSnapshot } from "../project-files";
import { REALTIME_METRICS, attachedColumns, generateRealtimeSql, mergeViewSql, metricSql, metricTables } from "../lib/dts/merge-sql";
import { seedRealtimeSpecs } from "../lib/dts/seed-sql";

const schema = readSchemaSnapshot("sql/mysql/photo_assistant.schema.json");
const specs = seedRealtimeSpecs(schema);
const columnsOf = (s: SourceSchema, table: string): string[] => findTable(s, table)!.columns.map((c) => c.name);
/** Every back-quoted identifier in a statement. */
const quoted = (sql: string): string[] => [...sql.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
/** The SQL without comment lines. */
// Comments and session settings (SET ...; tested in maxcompute-sql.test.ts) are not the query.
const body = (sql: string): string => sql.replace(/^--.*\n/gm, "").replace(/^SET .*;\n/gm, "");

describe("default realtime set", () => {
  it("is the tables the seed's realtime metrics read", () => {
    expect(metricTables()).toEqual(["page_views", "photo_records", "users"]);
  });
});

describe("merge views", () => {
  it.each(specs.map((s) => [s.name, s]))("%s_realtime has the merge structure: newest image, log from its day on, baseline", (name, spec) => {
    const sql = body(mergeViewSql(schema, spec));
    const cols = columnsOf(schema, name)
      .map((c) => `\`${c}\``)
      .join(", ");
    const view = sql.slice(sql.indexOf("CREATE OR REPLACE VIEW"));
    expect(view).toContain(`CREATE OR REPLACE VIEW \`${name}_realtime\` AS\nSELECT ${cols}\nFROM (`);
    expect(view).toContain(`FROM \`${name}_compacted\`\n    WHERE ds = MAX_PT('${name}_compacted') AND dts_record_id >= 0\n`);
    expect(view).toContain(
      `FROM \`${name}_log\`\n    WHERE (CAST(\`modifytime_year\` AS BIGINT) * 10000 + CAST(\`modifytime_month\` AS BIGINT) * 100 + CAST(\`modifytime_day\` AS BIGINT)) >= CAST(MAX_PT('${name}_compacted') AS BIGINT)\n`,
    );
    expect(view).toContain(`FROM \`${name}_base\``);
    expect((view.match(/UNION ALL/g) ?? []).length).toBe(2);
    expect(view).toContain(`SELECT CAST(\`record_id\` AS BIGINT) AS dts_record_id, \`after_flag\` AS dts_after_flag, ${cols}\n`);
    expect(view).toContain(`SELECT CAST(0 AS BIGINT) AS dts_record_id, 'Y' AS dts_after_flag, ${cols}\n`);
    expect(view.trimEnd().endsWith("WHERE dts_rank = 1 AND dts_after_flag = 'Y';")).toBe(true);
    expect((view.match(/;/g) ?? []).length).toBe(1);
    // Before the view: the compacted table and its seed image, so the view compiles before the first compaction.
    expect(sql.indexOf(`CREATE TABLE IF NOT EXISTS \`${name}_compacted\``)).toBe(0);
    expect(sql).toContain(`INSERT OVERWRITE TABLE \`${name}_compacted\` PARTITION (ds = '00000000')`);
  });

  it.each(specs.map((s) => [s.name, s]))(
    "%s_realtime partitions by the primary key and ranks by record_id, then after_flag (DTS's documented merge)",
    (_name, spec) => {
      const sql = mergeViewSql(schema, spec);
      expect(sql).toContain(
        `ROW_NUMBER() OVER (PARTITION BY ${spec.primaryKey.map((k) => `\`${k}\``).join(", ")} ORDER BY dts_record_id DESC, dts_after_flag DESC) AS dts_rank`,
      );
    },
  );

  it.each(specs.map((s) => [s.name, s]))("%s_realtime references only its table's columns and DTS's tables and columns", (name, spec) => {
    const allowed = new Set([
      ...columnsOf(schema, name),
      `${name}_realtime`,
      `${name}_base`,
      `${name}_log`,
      `${name}_compacted`,
      "record_id",
      "after_flag",
      "modifytime_year",
      "modifytime_month",
      "modifytime_day",
    ]);
    expect(quoted(body(mergeViewSql(schema, spec))).filter((id) => !allowed.has(id))).toEqual([]);
  });

  it("uses the seed's keys: id for all three, updated_time for users and photo_records, created_time for page_views", () => {
    expect(specs).toEqual([
      { name: "page_views", primaryKey: ["id"], incrementalColumn: "created_time" },
      { name: "photo_records", primaryKey: ["id"], incrementalColumn: "updated_time" },
      { name: "users", primaryKey: ["id"], incrementalColumn: "updated_time" },
    ]);
  });

  it("partitions by every column of a composite key", () => {
    const sql = mergeViewSql(schema, { name: "users", primaryKey: ["id", "user_id"] });
    expect(sql).toContain("PARTITION BY `id`, `user_id` ORDER BY dts_record_id DESC, dts_after_flag DESC)");
  });

  it("reads the new_dts_sync_ columns under the new naming rule", () => {
    const sql = mergeViewSql(schema, specs[2], { naming: "new" });
    expect(sql).toContain("CAST(`new_dts_sync_record_id` AS BIGINT) AS dts_record_id, `new_dts_sync_after_flag` AS dts_after_flag");
    expect(attachedColumns("new").all).toContain("new_dts_sync_modifytime_minute");
  });

  it("fails when the table is not in the snapshot", () => {
    expect(() => mergeViewSql(schema, { name: "orders", primaryKey: ["id"] })).toThrow(
      /^realtime table "orders" is not a table of source database "photo_assistant"; tables: /,
    );
  });

  it("fails when the table has no primary key", () => {
    expect(() => mergeViewSql(schema, { name: "users", primaryKey: [] })).toThrow(/^realtime table "users": no primary key/);
  });

  it("fails when a key column is not a column", () => {
    expect(() => mergeViewSql(schema, { name: "users", primaryKey: ["uid"] })).toThrow(
      'realtime table "users": primary key column "uid" is not a column; columns: id, user_id,',
    );
  });

  it("fails when the incremental column is not a column", () => {
    expect(() => mergeViewSql(schema, { name: "page_views", primaryKey: ["id"], incrementalColumn: "updated_time" })).toThrow(
      'realtime table "page_views": incrementalColumn "updated_time" is not a column',
    );
  });

  it("fails when a source column clashes with a DTS additional column, suggesting the new naming rule", () => {
    const clashing: SourceSchema = {
      database: "db",
      tables: [
        {
          name: "t",
          comment: "",
          primaryKey: ["id"],
          uniqueKeys: [],
          columns: [
            { name: "id", type: "bigint", nullable: false, comment: "" },
            { name: "record_id", type: "bigint", nullable: false, comment: "" },
          ],
        },
      ],
    };
    expect(() => mergeViewSql(clashing, { name: "t", primaryKey: ["id"] })).toThrow(/column\(s\) record_id clash with .*; use the "new" naming rule$/);
    expect(() => mergeViewSql(clashing, { name: "t", primaryKey: ["id"] }, { naming: "new" })).not.toThrow();
  });
});

describe("metrics", () => {
  it.each(REALTIME_METRICS.map((m) => [m.id, m]))("%s reads only declared columns that exist in its table, through the view", (_id, metric) => {
    const sql = body(metricSql(schema, metric));
    const cols = columnsOf(schema, metric.table);
    for (const c of metric.columns) expect(cols).toContain(c);
    const ids = quoted(sql);
    expect(ids).toContain(`${metric.table}_realtime`);
    expect(ids.filter((id) => id !== `${metric.table}_realtime` && !metric.columns.includes(id))).toEqual([]);
    expect(new Set(ids.filter((id) => id !== `${metric.table}_realtime`))).toEqual(new Set(metric.columns));
    // Never the raw DTS tables: deletes and updates are only right through the merge.
    expect(sql).not.toMatch(/_base`|_log`/);
    expect((sql.match(/;/g) ?? []).length).toBe(1);
  });

  it("online users: distinct users with a page view in the last 5 minutes", () => {
    expect(
      body(
        metricSql(
          schema,
          REALTIME_METRICS.find((m) => m.id === "online_users_now")!,
        ),
      ),
    ).toBe("SELECT COUNT(DISTINCT `user_id`) AS online_users\nFROM `page_views_realtime`\nWHERE `created_time` >= DATEADD(GETDATE(), -5, 'mi');\n");
  });

  it("DAU: the seed's, distinct users with a page view created today (midnight to the next: a clock ahead is not today)", () => {
    expect(
      body(
        metricSql(
          schema,
          REALTIME_METRICS.find((m) => m.id === "dau_today")!,
        ),
      ),
    ).toBe(
      "SELECT COUNT(DISTINCT `user_id`) AS realtime_dau\nFROM `page_views_realtime`\n" +
        "WHERE `created_time` >= DATETRUNC(GETDATE(), 'dd') AND `created_time` < DATEADD(DATETRUNC(GETDATE(), 'dd'), 1, 'dd');\n",
    );
  });

  it("photos in the last hour", () => {
    expect(
      body(
        metricSql(
          schema,
          REALTIME_METRICS.find((m) => m.id === "photos_last_hour")!,
        ),
      ),
    ).toBe("SELECT COUNT(*) AS last_hour_photos\nFROM `photo_records_realtime`\nWHERE `created_time` >= DATEADD(GETDATE(), -1, 'hh');\n");
  });

  it("funnel: per page today, share of the busiest page, ORDER BY with LIMIT", () => {
    const sql = body(
      metricSql(
        schema,
        REALTIME_METRICS.find((m) => m.id === "funnel_today")!,
      ),
    );
    expect(sql).toContain("GROUP BY `page_name`");
    expect(sql).toContain("ROUND(page_users * 100.0 / MAX(page_users) OVER (), 2) AS conversion_rate_pct");
    expect(sql).toMatch(/ORDER BY page_users DESC\nLIMIT \d+;\n$/);
  });

  it("fails when a metric reads a column its table lacks", () => {
    const bad = { ...REALTIME_METRICS[0], id: "bad", columns: ["user_id", "visited_at"] };
    expect(() => metricSql(schema, bad)).toThrow('realtime metric "bad" reads page_views.visited_at, which is not a column; columns: id, user_id,');
  });

  it("fails when a metric uses a column it did not declare", () => {
    const bad = { ...REALTIME_METRICS[0], id: "bad", columns: ["created_time"] };
    expect(() => metricSql(schema, bad)).toThrow('realtime metric "bad" uses column "user_id" without declaring it in columns');
  });
});

describe("generateRealtimeSql", () => {
  it("writes one view per realtime table, one file per metric, and apply.sql with the views only", () => {
    const { files, skippedMetrics } = generateRealtimeSql(schema, specs);
    expect(files.map((f) => f.path)).toEqual([
      "views/page_views_realtime.sql",
      "views/photo_records_realtime.sql",
      "views/users_realtime.sql",
      ...REALTIME_METRICS.map((m) => `metrics/${m.id}.sql`),
      "apply.sql",
    ]);
    expect(skippedMetrics).toEqual([]);
    const apply = files.find((f) => f.path === "apply.sql")!.content;
    expect((apply.match(/CREATE OR REPLACE VIEW/g) ?? []).length).toBe(3);
    expect(apply).not.toMatch(/COUNT\(/);
  });

  it("leaves out the metrics whose table is not realtime, saying why", () => {
    const { files, skippedMetrics } = generateRealtimeSql(
      schema,
      specs.filter((s) => s.name !== "page_views"),
    );
    expect(files.map((f) => f.path)).not.toContain("views/page_views_realtime.sql");
    expect(skippedMetrics.map((s) => s.id)).toEqual(["online_users_now", "dau_today", "funnel_today"]);
    expect(skippedMetrics[0].reason).toBe("reads page_views, which is not a realtime table; add it to the realtime set (tables[].realtime: true)");
  });

  it("is deterministic whatever the order of the specs", () => {
    expect(generateRealtimeSql(schema, [...specs].reverse())).toEqual(generateRealtimeSql(schema, specs));
  });
});
