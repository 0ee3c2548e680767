/**
 * Jest's setup file (jest.config.js `setupFiles`): the offline plan's lean SDK load
 * (plan-engine/lean-sdk.ts) for Jest's module registry, which Node's loader hook does not reach.
 * Every module the plan defers (the Automation API, TypeScript, npm's arborist, ...) is a
 * stand-in that loads the real module at its first use, so a test that does use one (closure
 * serialization, a TypeScript parse) gets the real thing; the others skip about 0.4 s of loading
 * per test file.
 */
import * as path from "path";
import { DEFERRED, standIn } from "../../plan-engine/lean-sdk";

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

for (const [request, { esModule }] of Object.entries(DEFERRED)) {
  // As the SDK's own files resolve the request: relative to its index, or from its directory.
  const file = require.resolve(request.startsWith(".") ? path.join(sdkDir, request) : request, { paths: [sdkDir] });
  jest.doMock(file, () => standIn(() => jest.requireActual(file), esModule));
}
