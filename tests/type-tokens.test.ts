/**
 * Type tokens written once (lib/plan/type-tokens.ts): every type of every plan (dev and prod,
 * every stage and engine, read from the golden plans, and the bootstrap program) has its entry, each entry's files exist and
 * define or create it, docs/architecture.md's type map is rendered from the table, and no other
 * source file writes a token out.
 */
import * as fs from "fs";
import * as path from "path";
import { GOLDEN_DIR, MATRIX } from "./support/plan-matrix";
import { recordPlan } from "../plan-engine/record-plan";
import { buildBootstrap } from "../bootstrap/program";
import { TYPE_TOKENS, typeMapMarkdown } from "../lib/plan/type-tokens";

const ROOT = path.join(__dirname, "..");
const DOC = path.join(ROOT, "docs", "architecture.md");
const START = "<!-- type-map: rendered from lib/plan/type-tokens.ts -->";
const END = "<!-- type-map: end -->";

/** What a file must contain to define (components, dynamic providers) or create (alicloud) a type. */
function evidence(token: string, key: string): string {
  const alicloud = /^alicloud:([a-zA-Z]+)\/[a-zA-Z]+:([A-Za-z]+)$/.exec(token);
  if (alicloud) return `alicloud.${alicloud[1]}.${alicloud[2]}(`;
  const dynamic = /^pulumi-nodejs:dynamic\/[a-z]+:([A-Za-z]+)$/.exec(token);
  if (dynamic) return dynamic[1];
  return `TYPES.${key}`;
}

describe("type tokens", () => {
  it("every type of every plan and of the bootstrap program has an entry", async () => {
    const types = new Set<string>();
    // The matrix's golden plans: tests/plan-matrix.test.ts holds them byte-identical to what the program plans.
    for (const c of MATRIX)
      for (const r of (JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, c.file), "utf8")) as { resources: { type: string }[] }).resources) types.add(r.type);
    const boot = await recordPlan({
      stack: "ci",
      config: { values: { "photo-analytics:repository": "acme/pa" }, secretKeys: new Set() },
      program: buildBootstrap,
    });
    for (const r of boot.resources) types.add(r.type);
    const known = new Set(TYPE_TOKENS.map((e) => e.token));
    expect([...types].filter((t) => !known.has(t)).sort()).toEqual([]);
  });
  it.each(TYPE_TOKENS.filter((e) => e.files.length > 0).map((e) => [e.token, e.key, e.files] as const))(
    "%s: its files define or create it",
    (token, key, files) => {
      const found = files.some((f) => fs.existsSync(path.join(ROOT, f)) && fs.readFileSync(path.join(ROOT, f), "utf8").includes(evidence(token, key)));
      expect([token, found]).toEqual([token, true]);
    },
  );
  it("docs/architecture.md's type map is rendered from the table (UPDATE_DOCS=1 rewrites it)", () => {
    const doc = fs.readFileSync(DOC, "utf8");
    const [a, b] = [doc.indexOf(START), doc.indexOf(END)];
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    const want = `${START}\n${typeMapMarkdown()}\n${END}`;
    if (process.env.UPDATE_DOCS === "1") fs.writeFileSync(DOC, doc.slice(0, a) + want + doc.slice(b + END.length));
    expect(fs.readFileSync(DOC, "utf8")).toContain(want);
  });
  it("no other source file writes a token out", () => {
    const tokens = TYPE_TOKENS.map((e) => e.token);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) walk(rel);
        else if (rel.endsWith(".ts") && rel !== path.join("lib", "plan", "type-tokens.ts")) {
          const text = fs.readFileSync(path.join(ROOT, rel), "utf8");
          for (const t of tokens) if (text.includes(`"${t}"`)) offenders.push(`${rel}: ${t}`);
        }
      }
    };
    for (const d of ["lib", "components", "providers", "policy", "cli", "plan-engine", "bootstrap"]) walk(d);
    expect(offenders).toEqual([]);
  });
});
