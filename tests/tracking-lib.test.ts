/** Pure tracking modules: the event schema, queries, SLS objects, config and costs. */
import { EVENT_SCHEMA, eventFields, MAX_BYTES_PER_REQUEST, MAX_LOGS_PER_REQUEST, validateEvent, validateWebTrackingBody } from "../lib/sls/event-schema";
import { dauAlertCondition, dauLastHourQuery, fieldsUsed, perMinuteMetricsScript, realtimeMetricQueries, startOfTodayExpr } from "../lib/sls/queries";
import { dashboardCharList, exportColumns, exportTableTemplate, indexFieldSearches } from "../lib/sls/sls-objects";
import { checkTrackingRules, TRACKING_RULES, utcOffsetSeconds } from "../lib/sls/tracking-config";
import { TRACKING_EXTRA_SCHEMA_PROPERTIES } from "../lib/config/schema";
import { resolveTrackingExtra, TRACKING_EXTRA_DEFAULTS } from "../lib/config/defaults";
import Ajv from "ajv";

const good = {
  event_name: "page_view",
  user_id: "u-1",
  session_id: "abcdefgh1234",
  page_name: "home",
  client_time: "1764000000000",
  platform: "web",
  event_params: JSON.stringify({ a: 1 }),
};

describe("event schema", () => {
  it("accepts a well-formed event", () => {
    expect(validateEvent(good)).toEqual({ ok: true, errors: [] });
  });

  it.each([
    ["user_id is missing", { user_id: undefined }, /must have required property 'user_id'/],
    ["page_view has no page_name", { page_name: undefined }, /must have required property 'page_name'/],
    ["client_time is seconds, not ms", { client_time: "1764000000" }, /client_time must match pattern/],
    ["client_time is a number (the SDK sends strings)", { client_time: 1764000000000 }, /client_time must be string/],
    ["event_name has upper case", { event_name: "PageView" }, /event_name must match pattern/],
    ["platform is unknown", { platform: "tv" }, /platform must be equal to one of the allowed values/],
    ["event_params is not a JSON object", { event_params: "[1]" }, /event_params must match pattern/],
    ["an unknown field is sent", { extra: "x" }, /must NOT have additional properties/],
  ])("fails when %s", (_l, change, message) => {
    const event: Record<string, unknown> = { ...good, ...change };
    for (const k of Object.keys(event)) if (event[k] === undefined) delete event[k];
    const r = validateEvent(event);
    expect(r.ok).toBe(false);
    expect(r.errors.join("\n")).toMatch(message);
  });

  it("allows non-page_view events without page_name", () => {
    const { page_name: _p, ...rest } = good;
    expect(validateEvent({ ...rest, event_name: "photo_upload" }).ok).toBe(true);
  });

  it("annotates every field with an SLS index type and a MaxCompute type", () => {
    expect(eventFields().map((f) => [f.name, f.slsIndexType, f.maxcomputeType, f.required])).toEqual([
      ["event_name", "text", "STRING", true],
      ["user_id", "text", "STRING", true],
      ["session_id", "text", "STRING", true],
      ["page_name", "text", "STRING", false],
      ["client_time", "long", "BIGINT", true],
      ["platform", "text", "STRING", false],
      ["app_version", "text", "STRING", false],
      ["page_url", "text", "STRING", false],
      ["event_params", "text", "STRING", false],
    ]);
  });

  it("fails when a property lacks its index annotation, naming it", () => {
    const broken = { ...EVENT_SCHEMA, properties: { x: { type: "string", "x-maxcompute-type": "STRING" } } };
    expect(() => eventFields(broken)).toThrow(/property "x": x-sls-index.type is undefined; allowed/);
  });
});

describe("web-tracking body", () => {
  const body = (logs: unknown[], extra: object = {}) => JSON.stringify({ __logs__: logs, ...extra });

  it("accepts a body in the SLS web-tracking format", () => {
    expect(validateWebTrackingBody(body([good], { __topic__: "t", __source__: "s", __tags__: { k: "v" } }))).toEqual({ ok: true, errors: [] });
  });
  it("fails when it carries more than 4,096 logs", () => {
    const r = validateWebTrackingBody(body(Array(MAX_LOGS_PER_REQUEST + 1).fill(good)));
    expect(r.errors.join()).toMatch(/__logs__ must NOT have more than 4096 items/);
  });
  it("fails when it is over 3 MB", () => {
    const big = { ...good, event_params: JSON.stringify({ t: "x".repeat(1000 * 1000) }) };
    const r = validateWebTrackingBody(body([big, big, big, big]));
    expect(r.errors[0]).toMatch(new RegExp(`at most ${MAX_BYTES_PER_REQUEST} bytes`));
  });
  it("fails when a log breaks the event schema, pointing at it", () => {
    const r = validateWebTrackingBody(body([good, { ...good, user_id: "" }]));
    expect(r.errors.join()).toMatch(/\/__logs__\/1\/user_id must NOT have fewer than 1 characters/);
  });
  it("fails when the body is not JSON", () => {
    expect(validateWebTrackingBody("nope").errors[0]).toMatch(/body is not JSON/);
  });
});

describe("queries", () => {
  it("computes today's start at the configured offset", () => {
    expect(startOfTodayExpr("+0800")).toBe("CAST(floor((to_unixtime(now()) + 28800) / 86400) * 86400 - 28800 AS bigint)");
    expect(startOfTodayExpr("-0530")).toContain("+ -19800");
  });

  it("generates the seed's four realtime metrics", () => {
    expect(realtimeMetricQueries().map((q) => [q.id, q.start, fieldsUsed(q.query)])).toEqual([
      ["online_users_5m", "-300s", ["user_id"]],
      ["dau_today", "-86400s", ["user_id"]],
      ["photos_last_hour", "-3600s", ["event_name"]],
      ["funnel_today", "-86400s", ["event_name", "user_id", "page_name"]],
    ]);
    expect(realtimeMetricQueries()[0].query).toBe("* | SELECT COUNT(DISTINCT user_id) AS online_users FROM log WHERE __time__ >= to_unixtime(now()) - 300");
  });

  it("every field the queries use has an analytic index", () => {
    const analytic = new Set(
      indexFieldSearches()
        .filter((f) => f.enableAnalytics)
        .map((f) => f.name),
    );
    const all = [...realtimeMetricQueries().map((q) => q.query), dauLastHourQuery().query, perMinuteMetricsScript()];
    for (const f of all.flatMap(fieldsUsed)) expect(analytic).toContain(f);
  });

  it.each([[0], [-3], [1.5]])("fails when the alert floor is %p", (floor) => {
    expect(() => dauAlertCondition(floor)).toThrow(/tracking.dauFloor is .*; the alert needs an integer >= 1/);
  });
});

describe("SLS objects", () => {
  it("indexes text fields with the default tokenizer and no case sensitivity", () => {
    const f = indexFieldSearches().find((x) => x.name === "user_id")!;
    expect(f).toMatchObject({ type: "text", enableAnalytics: true, caseSensitive: false });
    expect(indexFieldSearches().find((x) => x.name === "event_params")!.enableAnalytics).toBe(false);
  });

  it("lays out dashboard charts on a 2-column grid", () => {
    const charts = JSON.parse(
      dashboardCharList(
        "user_events",
        realtimeMetricQueries().map((query) => ({ query, type: "number" as const })),
      ),
    );
    expect(charts.map((c: any) => [c.display.xPos, c.display.yPos])).toEqual([
      [0, 0],
      [6, 0],
      [0, 6],
      [6, 6],
    ]);
  });

  it("writes a MaxCompute table with one column per event field plus receive time and client IP", () => {
    expect(
      exportColumns()
        .slice(-2)
        .map((c) => [c.name, c.logField]),
    ).toEqual([
      ["log_time", "__time__"],
      ["client_ip", "__tag__:__client_ip__"],
    ]);
    const t = JSON.parse(exportTableTemplate("dw", "ods_user_events_sls", 365));
    expect(t.ROSTemplateFormatVersion).toBe("2015-09-01");
    expect(t.Resources.EventsTable.Properties.Schema.Columns).toHaveLength(eventFields().length + 2);
  });
});

describe("tracking extra config", () => {
  const ajv = new Ajv({ strict: true });
  const validate = ajv.compile({ type: "object", additionalProperties: false, properties: TRACKING_EXTRA_SCHEMA_PROPERTIES });

  it("merges user values over the defaults", () => {
    expect(resolveTrackingExtra()).toEqual(TRACKING_EXTRA_DEFAULTS);
    expect(resolveTrackingExtra({ export: { table: "ods_events" } }).export).toEqual({ ...TRACKING_EXTRA_DEFAULTS.export, table: "ods_events" });
  });
  it("its schema accepts the defaults and rejects bad values", () => {
    expect(validate(TRACKING_EXTRA_DEFAULTS)).toBe(true);
    expect(validate({ timeZone: "Asia/Shanghai" })).toBe(false);
    expect(validate({ export: { bufferIntervalSeconds: 600 } })).toBe(false);
    expect(validate({ export: { roleArn: "aliyunlogdefaultrole" } })).toBe(false);
  });
  it.each([
    ["+0800", 28800],
    ["-0530", -19800],
    ["+0000", 0],
  ])("parses %s", (tz, s) => {
    expect(utcOffsetSeconds(tz)).toBe(s);
  });
  it("fails on a zone name, saying what is allowed", () => {
    expect(() => utcOffsetSeconds("Asia/Shanghai")).toThrow(/tracking.timeZone is "Asia\/Shanghai"; allowed: a UTC offset like "\+0800"/);
  });
});

describe("tracking rules", () => {
  it("have unique ids", () => {
    const ids = TRACKING_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it("passes the defaults of every engine", () => {
    for (const engine of ["dts", "sls"] as const) {
      expect(checkTrackingRules({ tracking: { enabled: true, dauFloor: 0 }, realtime: { enabled: true, engine } })).toEqual([]);
    }
  });
  it("fails when the SLS engine is chosen with tracking disabled", () => {
    expect(checkTrackingRules({ tracking: { enabled: false, dauFloor: 0 }, realtime: { enabled: true, engine: "sls" } })).toEqual([
      {
        key: "photo-analytics:tracking.enabled",
        value: false,
        allowed: 'true while realtime.engine is "sls"',
        message: expect.stringMatching(/^photo-analytics:realtime.engine is "sls" .* tracking.enabled is false/),
      },
    ]);
  });
  it("fails when a DAU floor is set with tracking disabled", () => {
    const [p] = checkTrackingRules({ tracking: { enabled: false, dauFloor: 5 }, realtime: { enabled: false, engine: "dts" } });
    expect(p).toMatchObject({ key: "photo-analytics:tracking.dauFloor", value: 5, allowed: "0 while tracking.enabled is false" });
    expect(p.message).toMatch(/^photo-analytics:tracking.dauFloor is 5 but tracking.enabled is false/);
  });
});
