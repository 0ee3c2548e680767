/**
 * Docs quote the plan: every total in docs/ is a generated block (tests/support/cost-figures.ts)
 * equal to what the current plan prints, every seed figure is a verbatim quote of the planning
 * document (docs/seed/), and no other amount slips into the prose. A page that drifts fails here;
 * `UPDATE_DOCS=1 npx jest tests/docs-cost-figures.test.ts` rewrites the blocks.
 */
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_PRICES } from "../lib/cost/prices";
import { BLOCKS, ROOT, SEED_FILE, SEED_ENGINE_QUOTES, SEED_STAGE_QUOTES } from "./support/cost-figures";

const DOCS = path.join(ROOT, "docs");
const pages = fs
  .readdirSync(DOCS)
  .filter((f) => f.endsWith(".md"))
  .map((f) => path.join(DOCS, f));
const SEED = fs.readFileSync(SEED_FILE, "utf8");
const BLOCK = /(<!-- cost-figures:([a-z-]+)[^>]*-->)\n([\s\S]*?)\n?(<!-- \/cost-figures -->)/g;

/** A page's text with its generated blocks taken out. */
const prose = (text: string) => text.replace(BLOCK, "");

describe("docs quote the plan", () => {
  beforeAll(() => jest.spyOn(Date, "now").mockReturnValue(Date.UTC(2026, 10, 30, 10, 0, 0)));
  afterAll(() => jest.restoreAllMocks());

  it("has each generated block on a page, every block current", async () => {
    const seen = new Set<string>();
    for (const file of pages) {
      const text = fs.readFileSync(file, "utf8");
      let updated = text;
      for (const m of text.matchAll(BLOCK)) {
        const [whole, head, name, body, tail] = m;
        expect(Object.keys(BLOCKS)).toContain(name);
        seen.add(name);
        const fresh = await BLOCKS[name]();
        if (process.env.UPDATE_DOCS === "1") updated = updated.replace(whole, `${head}\n${fresh}\n${tail}`);
        else expect(`${path.relative(ROOT, file)} ${name}:\n${body}`).toBe(`${path.relative(ROOT, file)} ${name}:\n${fresh}`);
      }
      if (process.env.UPDATE_DOCS === "1" && updated !== text) fs.writeFileSync(file, updated);
    }
    expect([...seen].sort()).toEqual(Object.keys(BLOCKS).sort());
  }, 120_000);

  it("quotes the seed verbatim: every 「」 quote is in docs/seed/, and the blocks' seed figures too", () => {
    for (const q of [...Object.values(SEED_ENGINE_QUOTES), ...Object.values(SEED_STAGE_QUOTES)].flatMap((s) => s.match(/「[^」]+」/g)!)) {
      expect([q, SEED.includes(q.slice(1, -1))]).toEqual([q, true]);
    }
    for (const file of pages) {
      for (const m of fs.readFileSync(file, "utf8").matchAll(/「([^」]+)」/g)) {
        expect([path.relative(ROOT, file), m[1], SEED.includes(m[1])]).toEqual([path.relative(ROOT, file), m[1], true]);
      }
    }
  });

  it("has no amount in the prose but unit prices of lib/cost/prices.ts, per-unit rates and ¥0; seed figures only in 「」", () => {
    const prices = new Set(DEFAULT_PRICES.map((p) => p.cny));
    const bad: string[] = [];
    for (const file of pages) {
      const text = prose(fs.readFileSync(file, "utf8")).replace(/「[^」]+」/g, "");
      for (const m of text.matchAll(/[¥￥]\s?([\d,]+(?:\.\d+)?)(\s*\/|\s+per\b)?/g)) {
        const n = Number(m[1].replace(/,/g, ""));
        const ok = m[0].startsWith("¥") && (n === 0 || m[2] !== undefined || prices.has(n));
        if (!ok) bad.push(`${path.relative(ROOT, file)}: ${m[0].trim()}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("calls the freshness deadlines the project's defaults: the seed sets none", () => {
    for (const file of pages)
      expect([path.relative(ROOT, file), /defaults from the seed/i.test(fs.readFileSync(file, "utf8"))]).toEqual([path.relative(ROOT, file), false]);
    expect(SEED).not.toMatch(/06:00|20 ?分钟/);
  });
});
