/**
 * The README is an entrance: at most 250 lines, every link resolves, no figure that goes stale
 * (test counts), every command listed, the exit codes as lib/exit-codes.ts has them
 * (docs/architecture.md's type map: tests/type-tokens.test.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { COMMANDS } from "../cli/commands";
import { EXIT_CODE_MEANINGS } from "../lib/exit-codes";

const ROOT = path.join(__dirname, "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const ARCHITECTURE = fs.readFileSync(path.join(ROOT, "docs", "architecture.md"), "utf8");

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
});
