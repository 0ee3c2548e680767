/**
 * The README is an entrance: at most 250 lines, every link resolves, no figure that goes stale
 * (test counts), every command listed, the exit codes as lib/exit-codes.ts has them; and
 * docs/architecture.md's type -> file map leads from every resource type in the plans (dev and
 * prod, every stage and engine) to the file that defines or creates it.
 */
import * as fs from "fs";
import * as path from "path";
import { MATRIX, matrixPlanText } from "./support/plan-matrix";
import { COMMANDS } from "../cli/commands";
import { EXIT_CODE_MEANINGS } from "../lib/exit-codes";

const ROOT = path.join(__dirname, "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const ARCHITECTURE = fs.readFileSync(path.join(ROOT, "docs", "architecture.md"), "utf8");

/** `| \`type\` | \`file\` ... |` rows of docs/architecture.md's type map. */
function typeMap(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of ARCHITECTURE.split("\n")) {
    const m = /^\|\s*(`[^|]+:[^|]+)\|\s*(.+?)\s*\|\s*$/.exec(line);
    if (!m) continue;
    const files = [...m[2].matchAll(/`([^`]+\.ts)`/g)].map((x) => x[1]);
    for (const t of m[1].matchAll(/`([^`]+:[^`]+)`/g)) map.set(t[1], files);
  }
  return map;
}

/** What a file must contain to be the one that defines (components, dynamic providers) or creates (alicloud) a type. */
function evidence(type: string): string {
  const alicloud = /^alicloud:([a-zA-Z]+)\/[a-zA-Z]+:([A-Za-z]+)$/.exec(type);
  if (alicloud) return `alicloud.${alicloud[1]}.${alicloud[2]}(`;
  const dynamic = /^pulumi-nodejs:dynamic\/[a-z]+:([A-Za-z]+)$/.exec(type);
  if (dynamic) return dynamic[1];
  return type;
}

describe("README", () => {
  it("is at most 250 lines, every line counted", () => {
    expect(README.split("\n").length).toBeLessThanOrEqual(250);
  });
  it("lists every command and the tools", () => {
    for (const name of [...Object.keys(COMMANDS), "build"])
      expect([name, README.includes(`| \`${name}`) || README.includes(`, \`${name}`)]).toEqual([name, true]);
  });
  it("quotes the exit codes of lib/exit-codes.ts, and says the README's two commands", () => {
    const rows = Object.entries(EXIT_CODE_MEANINGS).map(([c, m]) => `| ${c} | ${m} |`);
    expect(README).toContain(["| exit | meaning |", "|---|---|", ...rows].join("\n"));
    expect(README).toContain("./scripts/plan.sh      # the main job");
    expect(README).toContain("./scripts/test.sh      # the whole test suite");
  });
  it.each([
    ["docs/source-database.md", ["**0** every\ncheck passed", "**2** a check failed", "**1** bad\narguments", "exit 2 on drift", "(exit code 2)"]],
    ["docs/first-hour.md", ["**0** healthy", "**3** late or broken, **2** cannot check, **1** a bad option"]],
  ])("%s quotes the exit codes the commands use", (file, quotes) => {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    for (const q of quotes) expect([q, text.includes(q)]).toEqual([q, true]);
    expect(text).not.toContain("cli/exit.ts");
  });
  it.each([
    ["README.md", README],
    ["docs/architecture.md", ARCHITECTURE],
  ])("%s links only to files that exist", (file, text) => {
    const links = [...text.matchAll(/\]\((?!https?:)([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]);
    expect(file === "README.md" ? links.length : 6).toBeGreaterThan(5);
    expect(links.filter((l) => !fs.existsSync(path.join(ROOT, path.dirname(file), l)))).toEqual([]);
  });
  it("quotes no test count (a figure that goes stale)", () => {
    expect(README).not.toMatch(/\d+ (tests|suites) passed|Tests:\s+\d+/);
  });
  it("maps every resource type of the plans to the file that defines or creates it", async () => {
    const types = new Set<string>();
    for (const c of MATRIX) {
      const text = await matrixPlanText(c);
      for (const r of (JSON.parse(text) as { resources: { type: string }[] }).resources) types.add(r.type);
    }
    const map = typeMap();
    const missing = [...types].filter((t) => !map.has(t)).sort();
    expect(missing).toEqual([]);
    for (const t of types) {
      const files = map.get(t)!;
      expect(files.length).toBeGreaterThan(0);
      const found = files.some((f) => fs.existsSync(path.join(ROOT, f)) && fs.readFileSync(path.join(ROOT, f), "utf8").includes(evidence(t)));
      if (!found) throw new Error(`docs/architecture.md maps ${t} to ${files.join(", ")}, but none of them contains ${evidence(t)}`);
    }
  });
});
