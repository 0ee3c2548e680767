/**
 * The one sticky PR comment (lib/plan/pr-comment.ts) stays under GitHub's limit for the generated
 * 1,000-table stack (bench/plan-case.ts): a scale test, in the integration project.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { recordPlan } from "../plan-engine/record-plan";
import { generatedConfig } from "../bench/plan-case";
import { diffPlans, renderDiffMarkdown } from "../lib/plan/diff";
import { dataFlow, dataFlowMermaid, diffDataFlow } from "../lib/plan/data-flow";
import { GITHUB_COMMENT_LIMIT, prComment } from "../lib/plan/pr-comment";
import { Plan } from "../lib/plan/types";
import { SMALL_DIFF as small } from "./support/pr-comment";

describe("PR comment at scale", () => {
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
