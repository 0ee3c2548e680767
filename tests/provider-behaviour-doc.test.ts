/** docs/provider-behaviour.md is the provider-behaviour table rendered; regenerate with UPDATE_DOCS=1. */
import * as fs from "fs";
import * as path from "path";
import { renderProviderBehaviourMarkdown } from "../lib/plan/provider-behaviour-table";

const FILE = path.join(__dirname, "..", "docs", "provider-behaviour.md");

it("docs/provider-behaviour.md equals the rendered table (UPDATE_DOCS=1 rewrites it)", () => {
  const text = renderProviderBehaviourMarkdown();
  if (process.env.UPDATE_DOCS === "1") fs.writeFileSync(FILE, text);
  expect(fs.readFileSync(FILE, "utf8")).toBe(text);
  expect(text).toContain("| `alicloud:ros/stack:Stack` |");
  expect(text).toContain("`templateBody` unless `disableRollback`/`parameters`/`ramRoleName`/`stackPolicyBody`/`timeoutInMinutes` changes");
});
