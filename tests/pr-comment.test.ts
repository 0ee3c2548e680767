/** The one sticky PR comment (lib/plan/pr-comment.ts) stays under GitHub's limit, even for 1,000 tables. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { recordPlan } from "../plan-engine/record-plan";
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
  it("writes the comment from <stack>=<file> arguments (a file path may hold '=') and names a malformed argument", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pa-prc-"));
    const err: string[] = [];
    const out: string[] = [];
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) };
    try {
      const md = path.join(dir, "a=b.md");
      fs.writeFileSync(md, "#### dev\n\nno changes\n");
      const file = path.join(dir, "comment.md");
      expect(await prCommentCommand(["--title", "## t", "--out", file, `dev=${md}`], io)).toBe(0);
      expect(fs.readFileSync(file, "utf8")).toContain("no changes");
      expect(out).toEqual([`wrote ${file} (1 stack, ${fs.readFileSync(file, "utf8").length} characters)\n`]);
      expect(await prCommentCommand(["--title", "## t", "--out", file, "plans/dev.md"], io)).toBe(1);
      expect(await prCommentCommand(["--title", "## t", "--out", file, "dev=nosuch.md"], io)).toBe(1);
      expect(err).toEqual([
        'pr-comment: argument "plans/dev.md": expected <stack>=<file> (the stack\'s name and its Markdown diff), e.g. prod=plans/prod.md\n',
        'pr-comment: argument "dev=nosuch.md": cannot read nosuch.md (ENOENT)\n',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
