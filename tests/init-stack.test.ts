/** The new stack file `npm run init` writes (lib/config/init-stack.ts) and its workflow lists (lib/ci/workflow-stacks.ts). */
import * as fs from "fs";
import * as path from "path";
import { derivedProjectName, initStackText } from "../lib/config/init-stack";
import { parseStackFile } from "../lib/config/stack-file";
import { addStackToWorkflow, workflowStackLists } from "../lib/ci/workflow-stacks";
import { loadStackConfig } from "../project-files";

const ROOT = path.join(__dirname, "..");
const prod = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");

describe("init's stack file", () => {
  it.each([
    ["staging", "photo_analytics_staging"],
    ["Team-A.eu", "photo_analytics_team_a_eu"],
    ["a-very-long-stack-name-for-testing", "photo_analytics_a_very_long"],
  ])("derives the project name of %s: %s (3-28 characters, lower case)", (stack, name) => {
    expect(derivedProjectName(stack)).toBe(name);
    expect(name).toMatch(/^[a-z][a-z0-9_]{2,27}$/);
  });
  it("from the template: validates as the plan does, secrets placeholders with the command, DECIDE marks", () => {
    const r = initStackText({ stack: "qa", source: { host: "10.1.2.3", port: 3307, user: "sync", database: "photo_assistant" } });
    const input = parseStackFile(r.text, "Pulumi.qa.yaml");
    const config = loadStackConfig(input);
    expect([config.stage, config.source.host, config.source.port, config.source.user, config.warehouse.projectName]).toEqual([
      "initial",
      "10.1.2.3",
      3307,
      "sync",
      "photo_analytics_qa",
    ]);
    expect([...(input.placeholderSecrets ?? [])]).toEqual(["photo-analytics:sourcePassword"]);
    expect(r.secrets).toEqual(["photo-analytics:sourcePassword"]);
    expect(r.decide.map((d) => d.key)).toEqual([
      "alicloud:region",
      "photo-analytics:source",
      "photo-analytics:warehouse.projectName",
      "photo-analytics:dataworks.resourceGroup",
    ]);
    expect(r.text).toContain("  # DECIDE (secret): pulumi config set --secret sourcePassword --stack qa\n  photo-analytics:sourcePassword:\n");
  });
  it("from another stack: every secure value replaced, names re-derived, the other stack's header dropped, its comments kept", () => {
    const r = initStackText({ stack: "staging", from: { stack: "prod", text: prod }, stage: "growth" });
    expect(r.text).not.toMatch(/v1:/);
    expect(r.text).not.toContain("# prod: the complete example");
    expect(r.text).toContain("# The seven tables of photo_assistant, with the seed's tiers.");
    const input = parseStackFile(r.text, "Pulumi.staging.yaml");
    expect([...(input.placeholderSecrets ?? [])].sort()).toEqual([
      "photo-analytics:maxcomputeAccessKeyId",
      "photo-analytics:maxcomputeAccessKeySecret",
      "photo-analytics:sourcePassword",
    ]);
    const c = loadStackConfig(input);
    expect([c.stage, c.warehouse.projectName, c.dataworks.workspaceName, c.tracking.projectName]).toEqual([
      "growth",
      "photo_analytics_staging",
      "photo_analytics_staging",
      "photo-analytics-staging-tracking",
    ]);
  });
  it("gives a Canal engine its own position path on the NAS", () => {
    const text = prod.replace("    engine: dts\n", "    engine: canal-datahub\n    canalDatahub:\n      nasServer: nas.example\n      nasPath: /canal\n");
    expect(initStackText({ stack: "staging", from: { stack: "prod", text } }).text).toContain("      nasPath: /canal/staging\n");
  });
  it("fails on a stack name Pulumi or the derived names cannot take", () => {
    expect(() => initStackText({ stack: "1x" })).toThrow(
      'stack name "1x" is not allowed; expected a letter, then letters, digits, "_", "." or "-" (at most 100)',
    );
  });
});

describe("the workflows' stack lists", () => {
  const deploy = fs.readFileSync(path.join(ROOT, ".github", "workflows", "deploy.yml"), "utf8");
  it("a new stack goes before the last one, comments and every other line kept; a second add changes nothing", () => {
    const before = workflowStackLists(deploy).deploy;
    const added = "qa-new";
    expect(before).not.toContain(added);
    const { text, changed } = addStackToWorkflow(deploy, added);
    expect(changed).toBe(true);
    const after = [...before.slice(0, -1), added, before[before.length - 1]];
    expect(workflowStackLists(text)).toEqual({ deploy: after });
    const removed = (t: string) => t.split("\n").filter((l) => !deploy.split("\n").includes(l));
    expect(removed(text)).toEqual([`        stack: [${after.join(", ")}]`]);
    expect(addStackToWorkflow(text, added)).toEqual({ text, changed: false });
  });
});
