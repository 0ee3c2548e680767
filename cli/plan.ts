/**
 * `npm run plan -- --stack dev [--stage growth] [--config-file f] [--format text|json|markdown]
 *                  [--against plan.json | --against-stage initial]`
 *
 * The offline plan: runs index.ts under Pulumi mocks with a stack's config (no
 * credentials, no Pulumi CLI) and prints the resources, or the diff against
 * another plan (exit codes: the command's table below, from lib/exit-codes.ts).
 */
import * as fs from "fs";
import { Option } from "commander";
import { STAGES, Stage } from "../lib/config/types";
import { loadStackConfig, readPriceFile } from "../project-files";
import { recordPlan } from "../plan-engine/record-plan";
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
import { stackConfig } from "../project-files";
import { CommandError, defineCommand } from "./command";
import { EXIT } from "../lib/exit-codes";
import { placeholderSecretWarnings } from "../lib/config/stack-file";

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

/** The price file of the stack's region (`prices/<region>.json`, `npm run prices -- --refresh`), if any. */
const priceFileOf = (input: ConfigInput) => readPriceFile(input.values["alicloud:region"]);

/** Monthly cost estimate of a plan, from the stack's `photo-analytics:cost` sizes and prices over its region's price file. */
function costOf(p: Plan, input: ConfigInput): CostEstimate {
  const cost = costConfigFromValues(input.values, priceFileOf(input));
  return estimate(p, cost.sizes, cost.prices, cost.options);
}

/**
 * A plan saved with `--format json`. `{"resources": []}` is the empty plan (a stack that does
 * not exist yet: everything shows as created); stack, stage, region and outputs may be absent.
 */
export function readPlanFile(file: string): Plan {
  const howTo = `write one with "npm run plan -- --stack <name> --format json > ${file}", or {"resources": []} for a stack that does not exist yet`;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new CommandError(`--against ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); ${howTo}`);
  }
  let doc: Partial<Plan>;
  try {
    doc = JSON.parse(text) as Partial<Plan>;
  } catch (e) {
    throw new CommandError(`--against ${file}: not JSON (${(e as Error).message.split("\n")[0]}); ${howTo}`);
  }
  if (typeof doc !== "object" || doc === null || !Array.isArray(doc.resources)) {
    throw new CommandError(`--against ${file}: not a plan: expected an object with "resources": [...]; ${howTo}`);
  }
  const bad = doc.resources.findIndex((r) => typeof r !== "object" || r === null || typeof r.urn !== "string" || typeof r.type !== "string");
  if (bad >= 0) throw new CommandError(`--against ${file}: resources[${bad}] is not a planned resource (needs "urn" and "type"); ${howTo}`);
  const outputs = typeof doc.outputs === "object" && doc.outputs !== null ? doc.outputs : {};
  return { stack: doc.stack ?? "", stage: doc.stage ?? "", region: doc.region ?? "", resources: doc.resources, outputs };
}

/**
 * What a reviewer must see before `pulumi up` (the plan, its diff and promote print them): the
 * cost model's warnings (e.g. DataWorks Basic edition's 100 OpenAPI calls a day) and the secrets
 * still holding the placeholder `npm run init` wrote.
 */
export function planWarnings(p: StackPlan): string[] {
  return [...costOf(p.plan, p.input).warnings, ...placeholderSecretWarnings(p.input, p.plan.stack)];
}

function warningLines(warnings: readonly string[], md: boolean): string[] {
  if (warnings.length === 0) return [];
  return md ? ["", "#### Warnings", "", ...warnings.map((w) => `> :warning: ${w}`)] : ["", "Warnings:", ...warnings.map((w) => `  warning: ${w}`)];
}

/** The cost delta and policy verdicts shown under a diff (plan --against*, promote). */
export async function reviewLines(before: Plan, after: StackPlan, md: boolean): Promise<{ lines: string[]; delta: unknown; verdicts: unknown }> {
  const verdicts = await evaluatePlan(after.plan, policyConfigForStack(after.config, after.input.values, priceFileOf(after.input)));
  const delta = costDelta(costOf(before, after.input), costOf(after.plan, after.input));
  const lines = [
    ...warningLines(planWarnings(after), md),
    "",
    ...(md ? costDeltaLinesMarkdown : costDeltaLinesText)(delta),
    "",
    ...(md ? policyLinesMarkdown : policyLinesText)(verdicts),
  ];
  return { lines, delta, verdicts };
}

export const command = defineCommand<Options>({
  name: "plan",
  summary: "Offline plan of a photo-analytics stack (no credentials, no Pulumi CLI): resources, cost and policies, or the diff against another plan",
  options: (p) =>
    p
      .requiredOption("--stack <name>", "stack name; reads Pulumi.<name>.yaml")
      .addOption(new Option("--stage <stage>", "plan as if the stack were at this stage").choices([...STAGES]))
      .option("--config-file <path>", "stack settings file to read instead of Pulumi.<stack>.yaml")
      .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
      .option("--against <plan.json>", 'diff against a plan saved with --format json ({"resources": []}: a new stack)')
      .addOption(new Option("--against-stage <stage>", "diff against this stack at another stage").choices([...STAGES]).conflicts("against")),
  exitCodes: {
    0: "the plan printed; with --against*: no changes",
    1: "bad option, bad config, an unreadable --against file, or a diff with errors (a change the provider would drop, a data resource replaced or deleted)",
    2: "with --against*: changes",
  },
  examples: [
    "npm run plan -- --stack dev",
    "npm run plan -- --stack prod --stage mature --format markdown",
    "npm run plan -- --stack prod --format json > base.json && npm run plan -- --stack prod --against base.json",
  ],
  run: async (opts, { io }) => {
    const against = opts.against !== undefined ? readPlanFile(opts.against) : undefined;
    const current = await planStack(opts.stack, opts.configFile, opts.stage);
    const { plan, input, config } = current;
    const md = opts.format === "markdown";
    if (against === undefined && opts.againstStage === undefined) {
      const est = costOf(plan, input);
      const verdicts = await evaluatePlan(plan, policyConfigForStack(config, input.values, priceFileOf(input)));
      const extra = [
        "",
        ...(md ? costLinesMarkdown : costLinesText)(est, {
          budgetCny: config.budget.monthlyCny,
          prices: costConfigFromValues(input.values, priceFileOf(input)).prices,
        }),
        ...warningLines(placeholderSecretWarnings(input, plan.stack), md),
        "",
        ...(md ? policyLinesMarkdown : policyLinesText)(verdicts),
      ];
      const text =
        opts.format === "json"
          ? stableJson({ ...plan, cost: est, policies: verdicts, warnings: planWarnings(current) })
          : md
            ? renderMarkdown(plan, extra)
            : renderText(plan, extra);
      io.stdout(text);
      return EXIT.ok;
    }
    const before = against ?? (await planStack(opts.stack, opts.configFile, opts.againstStage)).plan;
    const diff = diffPlans(before, plan);
    const { lines: review, delta, verdicts } = await reviewLines(before, current, md);
    const flow = diffDataFlow(dataFlow(before), dataFlow(plan));
    const picture = md
      ? ["", "#### Data flow (added in green, removed in red)", "", "```mermaid", dataFlowMermaid(flow), "```"]
      : ["", "Data flow (+ added, - removed):", ...dataFlowText(flow)];
    const extra = [...picture, ...review];
    const text =
      opts.format === "json"
        ? stableJson({ ...(diffJson(diff) as object), cost: delta, policies: verdicts, warnings: planWarnings(current) })
        : md
          ? renderDiffMarkdown(diff, extra)
          : renderDiffText(diff, extra);
    io.stdout(text);
    if (hasErrors(diff)) {
      // The diff is printed in full; the errors are what the real providers would drop or the data they would lose.
      throw new CommandError(
        `${diff.errors.length} change${diff.errors.length > 1 ? "s" : ""} would not deploy as planned:\n${diff.errors.map((e) => `  ${e.message}`).join("\n")}`,
      );
    }
    return hasChanges(diff) ? EXIT.changes : EXIT.ok;
  },
});

export const main = command.main;
