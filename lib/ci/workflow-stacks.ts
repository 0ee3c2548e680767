/**
 * The stacks the GitHub workflows deploy and preview: each `jobs.<job>.strategy.matrix.stack`
 * list of .github/workflows/deploy.yml and pr-preview.yml, in deploy order (deploy.yml runs
 * them one at a time, in that order). `npm run init` adds a new stack before the last entry
 * (the last deploys last: keep prod there); tests/workflows.test.ts checks that every
 * Pulumi.<stack>.yaml is in every list.
 */
import YAML, { isMap, isSeq, isScalar } from "yaml";

/** The workflows (relative to the project root) whose matrices list the stacks. */
export const STACK_MATRIX_WORKFLOWS = [".github/workflows/deploy.yml", ".github/workflows/pr-preview.yml"] as const;

/** Each job's `strategy.matrix.stack` list in a workflow's text, by job id. */
export function workflowStackLists(text: string): Record<string, string[]> {
  const doc = YAML.parseDocument(text);
  const jobs = doc.get("jobs");
  const out: Record<string, string[]> = {};
  if (!isMap(jobs)) return out;
  for (const pair of jobs.items) {
    const list = isMap(pair.value) ? pair.value.getIn(["strategy", "matrix", "stack"]) : undefined;
    if (isSeq(list)) out[String(isScalar(pair.key) ? pair.key.value : pair.key)] = list.items.map((i) => String(isScalar(i) ? i.value : i));
  }
  return out;
}

/**
 * `text` with `stack` added to every stack list that lacks it, before the list's last entry
 * (comments and layout kept); `changed` false when every list has it already.
 */
export function addStackToWorkflow(text: string, stack: string): { text: string; changed: boolean } {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`not valid YAML: ${doc.errors[0].message.split("\n")[0]}`);
  const jobs = doc.get("jobs");
  let changed = false;
  if (isMap(jobs)) {
    for (const pair of jobs.items) {
      const list = isMap(pair.value) ? pair.value.getIn(["strategy", "matrix", "stack"]) : undefined;
      if (!isSeq(list) || list.items.some((i) => isScalar(i) && i.value === stack)) continue;
      list.items.splice(Math.max(0, list.items.length - 1), 0, doc.createNode(stack));
      changed = true;
    }
  }
  return { text: changed ? doc.toString({ lineWidth: 0, flowCollectionPadding: false }) : text, changed };
}
