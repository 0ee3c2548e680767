/**
 * `npm run plan -- --stack dev [--stage growth] [--config-file f] [--format text|json|markdown]
 *                  [--against plan.json | --against-stage initial]`
 *
 * The offline plan: runs index.ts under Pulumi mocks with a stack's config (no
 * credentials, no Pulumi CLI) and prints the resources, or the diff against
 * another plan. Exit codes: 0 no changes (or a plan printed), 2 changes (diff
 * mode), 1 error (including a diff with errors: a change the provider would drop,
 * a data resource replaced or deleted).
 */
import * as fs from "fs";
import { Command, Option } from "commander";
import { STAGES, Stage } from "../lib/config/types";
import { loadStackConfig } from "../project-files";
import { recordPlan } from "./record-plan";
import { renderMarkdown, renderText, stableJson } from "../lib/plan/render";
import { diffJson, diffPlans, hasChanges, hasErrors, renderDiffMarkdown, renderDiffText } from "../lib/plan/diff";
import { Plan } from "../lib/plan/types";
import { dataFlow, dataFlowMermaid, dataFlowText, diffDataFlow } from "../lib/plan/data-flow";
import { ConfigInput } from "../lib/config/load";
import { StackConfig } from "../lib/config/types";
import { costConfigFromValues } from "../lib/cost/config";
import { costDelta, estimate, CostEstimate } from "../lib/cost/model";
import { costDeltaLinesMarkdown, costDeltaLinesText, costLinesMarkdown, costLinesText } from "../lib/cost/render";
import { evaluatePlan, policyConfigForStack } from "../policy/evaluate";
import { policyLinesMarkdown, policyLinesText } from "../policy/render";
import { EXIT, parseOptions, reportError, stackConfig } from "./common";

type Format = "text" | "json" | "markdown";

interface Options {
  stack: string;
  stage?: Stage;
  configFile?: string;
  format: Format;
  against?: string;
  againstStage?: Stage;
}

/** A recorded plan with the config it was made from. */
export interface StackPlan {
  readonly plan: Plan;
  readonly input: ConfigInput;
  readonly config: StackConfig;
}

/** Records the plan of a stack (config validated first: nothing runs on bad config). */
export async function planStack(stack: string, configFile?: string, stage?: Stage): Promise<StackPlan> {
  const input = stackConfig(stack, configFile, stage);
  const config = loadStackConfig(input);
  return { plan: await recordPlan({ stack, config: input }), input, config };
}

/** Monthly cost estimate of a plan, from the stack's `photo-analytics:cost` sizes and prices. */
function costOf(p: Plan, input: ConfigInput): CostEstimate {
  const cost = costConfigFromValues(input.values);
  return estimate(p, cost.sizes, cost.prices, cost.options);
}

function readPlanFile(file: string): Plan {
  let plan: Plan;
  try {
    plan = JSON.parse(fs.readFileSync(file, "utf8")) as Plan;
  } catch (e) {
    throw new Error(
      `--against ${file}: cannot read a plan (${(e as Error).message.split("\n")[0]}); write one with "npm run plan -- --stack <name> --format json > ${file}"`,
    );
  }
  if (!Array.isArray(plan.resources)) throw new Error(`--against ${file}: not a plan: expected {"resources": [...]} as printed by --format json`);
  return plan;
}

/** The cost delta and policy verdicts shown under a diff (plan --against*, promote). */
export async function reviewLines(before: Plan, after: StackPlan, md: boolean): Promise<{ lines: string[]; delta: unknown; verdicts: unknown }> {
  const verdicts = await evaluatePlan(after.plan, policyConfigForStack(after.config, after.input.values));
  const delta = costDelta(costOf(before, after.input), costOf(after.plan, after.input));
  const lines = ["", ...(md ? costDeltaLinesMarkdown : costDeltaLinesText)(delta), "", ...(md ? policyLinesMarkdown : policyLinesText)(verdicts)];
  return { lines, delta, verdicts };
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("plan")
    .description("Offline plan of a photo-analytics stack: resources, or the diff against another plan")
    .requiredOption("--stack <name>", "stack name; reads Pulumi.<name>.yaml")
    .addOption(new Option("--stage <stage>", "plan as if the stack were at this stage").choices([...STAGES]))
    .option("--config-file <path>", "stack settings file to read instead of Pulumi.<stack>.yaml")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
    .option("--against <plan.json>", "diff against a plan saved with --format json")
    .addOption(new Option("--against-stage <stage>", "diff against this stack at another stage").choices([...STAGES]).conflicts("against"));
  const opts = parseOptions<Options>(program, argv);
  if (typeof opts === "number") return opts;
  try {
    const current = await planStack(opts.stack, opts.configFile, opts.stage);
    const { plan, input, config } = current;
    const md = opts.format === "markdown";
    if (opts.against === undefined && opts.againstStage === undefined) {
      const est = costOf(plan, input);
      const verdicts = await evaluatePlan(plan, policyConfigForStack(config, input.values));
      const extra = [
        "",
        ...(md ? costLinesMarkdown : costLinesText)(est, { budgetCny: config.budget.monthlyCny, prices: costConfigFromValues(input.values).prices }),
        "",
        ...(md ? policyLinesMarkdown : policyLinesText)(verdicts),
      ];
      const text = opts.format === "json" ? stableJson({ ...plan, cost: est, policies: verdicts }) : md ? renderMarkdown(plan, extra) : renderText(plan, extra);
      process.stdout.write(text);
      return EXIT.ok;
    }
    const before = opts.against !== undefined ? readPlanFile(opts.against) : (await planStack(opts.stack, opts.configFile, opts.againstStage)).plan;
    const diff = diffPlans(before, plan);
    const { lines: review, delta, verdicts } = await reviewLines(before, current, md);
    const flow = diffDataFlow(dataFlow(before), dataFlow(plan));
    const picture = md
      ? ["", "#### Data flow (added in green, removed in red)", "", "```mermaid", dataFlowMermaid(flow), "```"]
      : ["", "Data flow (+ added, - removed):", ...dataFlowText(flow)];
    const extra = [...picture, ...review];
    const text =
      opts.format === "json"
        ? stableJson({ ...(diffJson(diff) as object), cost: delta, policies: verdicts })
        : md
          ? renderDiffMarkdown(diff, extra)
          : renderDiffText(diff, extra);
    process.stdout.write(text);
    if (hasErrors(diff)) {
      // The diff is printed in full; the errors are what the real providers would drop or the data they would lose.
      process.stderr.write(
        `error: ${diff.errors.length} change${diff.errors.length > 1 ? "s" : ""} would not deploy as planned:\n${diff.errors.map((e) => `  ${e.message}\n`).join("")}`,
      );
      return EXIT.error;
    }
    return hasChanges(diff) ? EXIT.changes : EXIT.ok;
  } catch (e) {
    return reportError(e);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    // exitCode, not exit(): a large plan written to a pipe must be flushed first.
    process.exitCode = code;
  });
}
