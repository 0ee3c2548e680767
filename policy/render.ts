/** Lines for the plan's `extra`: policy verdicts in text and Markdown. Pure. */
import { PolicyVerdict } from "./evaluate";

const MARK = { pass: "pass", fail: "FAIL", "not-applicable": "n/a" } as const;

/** `Policies: 7 pass, 1 FAIL, 0 n/a` then one line per policy and one per violation. */
export function policyLinesText(verdicts: readonly PolicyVerdict[]): string[] {
  const count = (s: PolicyVerdict["status"]) => verdicts.filter((v) => v.status === s).length;
  const out = ["", `Policies (photo-analytics pack): ${count("pass")} pass, ${count("fail")} fail, ${count("not-applicable")} not applicable`];
  for (const v of verdicts) {
    out.push(`  [${MARK[v.status]}] ${v.policy}${v.status === "not-applicable" && v.reason ? ` (${v.reason})` : ""}`);
    for (const x of v.violations) out.push(`      ${x.message}`);
  }
  return out;
}

/** A Markdown table of verdicts, violations listed under it. */
export function policyLinesMarkdown(verdicts: readonly PolicyVerdict[]): string[] {
  const icon = { pass: "✅", fail: "❌", "not-applicable": "➖" } as const;
  const out = ["#### Policies", "", "| | policy | level | |", "|---|---|---|---|"];
  for (const v of verdicts)
    out.push(`| ${icon[v.status]} | \`${v.policy}\` | ${v.enforcementLevel} | ${v.status === "not-applicable" ? (v.reason ?? "") : v.description} |`);
  const failed = verdicts.filter((v) => v.violations.length > 0);
  if (failed.length > 0) {
    out.push("");
    for (const v of failed) for (const x of v.violations) out.push(`- **${v.policy}**: ${x.message}`);
  }
  return out;
}
