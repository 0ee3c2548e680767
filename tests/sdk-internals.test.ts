/**
 * The Pulumi SDK internals the offline plan uses (plan-engine/sdk-internals.ts, the one adapter):
 * every one still exists in the installed SDK. An SDK upgrade that moves one fails here, naming
 * the module, the member, the SDK version and what the plan used it for.
 */
import * as fs from "fs";
import * as path from "path";
import { SDK_INTERNALS, sdkInternalProblems } from "../plan-engine/sdk-internals";

const ROOT = path.join(__dirname, "..");

describe("Pulumi SDK internals the plan engine uses", () => {
  it("all exist in the installed SDK", () => {
    expect(sdkInternalProblems()).toEqual([]);
  });
  it("a moved internal is named with the SDK version and its use", () => {
    const version = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    const saved = SDK_INTERNALS[1].members;
    (SDK_INTERNALS[1] as { members: readonly string[] }).members = ["serializeFunctionMoved"];
    try {
      expect(sdkInternalProblems()).toEqual([
        `@pulumi/pulumi ${version}: @pulumi/pulumi/runtime/closure/serializeClosure has no function serializeFunctionMoved; used by record-plan.ts: skip serializing dynamic providers`,
      ]);
    } finally {
      (SDK_INTERNALS[1] as { members: readonly string[] }).members = saved;
    }
  });
  it("only the adapter requires SDK files past the package's public entry points", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) walk(rel);
        else if (rel.endsWith(".ts") && rel !== path.join("plan-engine", "sdk-internals.ts")) {
          if (/require\("@pulumi\/pulumi\/(runtime|resource|output)/.test(fs.readFileSync(path.join(ROOT, rel), "utf8"))) offenders.push(rel);
        }
      }
    };
    for (const d of ["plan-engine", "cli", "components", "providers", "lib", "bench"]) walk(d);
    expect(offenders).toEqual([]);
  });
});
