/**
 * The jest projects (jest.config.js): a unit test imports nothing that makes a test slow or
 * dependent on the machine (a MariaDB server, the browser, a spawned process, property runs, the
 * 1,000-table stack);
 * every file the integration list names exists, and needs to be there.
 */
import * as fs from "fs";
import * as path from "path";

const DIR = __dirname;
const config = require("../jest.config.js") as { projects: { displayName: string; testRegex?: string }[] };
const integration = new RegExp(config.projects.find((p) => p.displayName === "integration")!.testRegex!);
// This file names the marks as text: it is not checked against them.
const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".test.ts") && f !== path.basename(__filename));

/** What makes a test integration, as import or call patterns. */
const INTEGRATION_MARKS: [string, RegExp][] = [
  ["a MariaDB server", /support\/mariadb|startMariaDb/],
  ["the browser", /playwright/],
  ["a spawned process", /child_process|support\/project-copy|support\/workflow-runner/],
  ["property runs", /from "fast-check"/],
  ["the generated 1,000-table stack", /generatedConfig\(1000\b/],
  ["the FlinkSQL grammar (ANTLR)", /from "dt-sql-parser"/],
  ["closure serialization of every provider", /PHOTO_ANALYTICS_PLAN_SERIALIZE = "1"/],
];

const marks = (f: string) => {
  const text = fs.readFileSync(path.join(DIR, f), "utf8");
  return INTEGRATION_MARKS.filter(([, re]) => re.test(text)).map(([what]) => what);
};

describe("jest projects", () => {
  it.each(files.filter((f) => !integration.test(`/tests/${f}`)))("unit test %s needs no server, browser, process, property run or 1,000-table plan", (f) => {
    expect(marks(f)).toEqual([]);
  });
  it.each(files.filter((f) => integration.test(`/tests/${f}`)))("integration test %s is integration for a reason", (f) => {
    expect(marks(f).length).toBeGreaterThan(0);
  });
  it("the integration list names existing test files", () => {
    const names = /\(([^)]+)\)/.exec(integration.source)![1].split("|");
    for (const n of names) expect([n, files.some((f) => f.startsWith(n))]).toEqual([n, true]);
  });
});
