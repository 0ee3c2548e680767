/** The one sticky PR comment (lib/plan/pr-comment.ts) stays under GitHub's limit, even for 1,000 tables. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { recordPlan } from "../cli/record-plan";
import { generatedConfig } from "../bench/plan-case";
import { diffPlans, renderDiffMarkdown } from "../lib/plan/diff";
import { dataFlow, dataFlowMermaid, diffDataFlow } from "../lib/plan/data-flow";
import { GITHUB_COMMENT_LIMIT, prComment } from "../lib/plan/pr-comment";
import { Plan } from "../lib/plan/types";
import { main as prCommentCommand } from "../cli/pr-comment";

const small = [
  "### `dev`: stage `initial`",
  "",
  "**+1 to create, ~0 to update, +-0 to replace, -0 to delete, 30 unchanged**",
  "",
  "| change | resource | type |",
  "|---|---|---|",
  "| create | `x` | `t` |",
  "",
  "#### Monthly cost",
  "",
  "**¥38.87 → ¥40.00 (+¥1.13)**",
  "",
  "#### Policies",
  "",
  "| ✅ | `single-region` |",
].join("\n");

describe("PR comment", () => {
  it("keeps a small diff as it is", () => {
    const c = prComment("## plan", [{ stack: "dev", markdown: small, command: "npm run plan" }]);
    expect(c).toContain("#### Monthly cost\n\n**¥38.87 → ¥40.00 (+¥1.13)**");
    expect(c).not.toContain("<details>");
    expect(c).not.toContain("truncated");
  });

  it("fits the 1,000-table stack's whole diff and picture, with another stack, under 65,536 characters", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-comment-"));
    try {
      const plan = await recordPlan({ stack: "big", config: generatedConfig(1000, dir) });
      const empty: Plan = { stack: "big", stage: "initial", region: plan.region, resources: [], outputs: {} };
      const md = renderDiffMarkdown(diffPlans(empty, plan), [
        "",
        "#### Data flow (added in green, removed in red)",
        "",
        "```mermaid",
        dataFlowMermaid(diffDataFlow(dataFlow(empty), dataFlow(plan))),
        "```",
        "",
        "#### Monthly cost",
        "",
        "**¥0.00 → ¥900.00 (+¥900.00)**",
        "",
        "#### Policies",
        "",
        "| ✅ | `single-region` |",
      ]);
      expect(md.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
      const c = prComment("## photo-analytics offline plan", [
        { stack: "big", markdown: md, command: "npm run plan -- --stack big --format markdown --against base.json" },
        { stack: "dev", markdown: small, command: "npm run plan -- --stack dev" },
      ]);
      expect(c.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
      expect(c).toContain("<details>");
      expect(c).toMatch(/✂️ \*\*truncated\*\*: .*npm run plan -- --stack big --format markdown --against base\.json/);
      // The summary, cost delta and verdicts of both stacks stay; no half Mermaid block.
      expect(c).toContain("**+");
      expect(c).toContain("¥0.00 → ¥900.00");
      expect(c).toContain("**¥38.87 → ¥40.00 (+¥1.13)**");
      expect((c.match(/```/g) ?? []).length % 2).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("the pr-comment command", () => {
  it("writes the comment from <stack>=<file> arguments (a file path may hold '=') and names a malformed argument", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-prc-"));
    const err: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => (err.push(s), true)) as typeof process.stderr.write;
    try {
      const md = path.join(dir, "a=b.md");
      fs.writeFileSync(md, "#### dev\n\nno changes\n");
      const out = path.join(dir, "comment.md");
      expect(prCommentCommand(["--title", "## t", "--out", out, `dev=${md}`])).toBe(0);
      expect(fs.readFileSync(out, "utf8")).toContain("no changes");
      expect(prCommentCommand(["--title", "## t", "--out", out, "plans/dev.md"])).toBe(1);
      expect(prCommentCommand(["--title", "## t", "--out", out, "dev=nosuch.md"])).toBe(1);
      expect(err).toEqual([
        'error: argument "plans/dev.md": expected <stack>=<file> (the stack\'s name and its Markdown diff), e.g. prod=plans/prod.md\n',
        'error: argument "dev=nosuch.md": cannot read nosuch.md (ENOENT)\n',
      ]);
    } finally {
      process.stderr.write = write;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
