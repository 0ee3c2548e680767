/**
 * Pulumi mocks for tests that register components themselves (not through `recordPlan`): the
 * SDK's mocks, with the runtime a plan uses (`leanRuntime`: no stack capture per resource and
 * promise, dynamic providers not serialized; tests/provider-serialization.test.ts serializes
 * every provider). Call it before importing the components under test.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../lib/config/types";
import { leanRuntime } from "../../plan-engine/record-plan";

export function setTestMocks(mocks: pulumi.runtime.Mocks, opts: { stack?: string; preview?: boolean } = {}): void {
  void pulumi.runtime.setMocks(mocks, PROJECT, opts.stack ?? "test", opts.preview ?? false);
  afterAll(leanRuntime({ keepErrorStacks: true }));
}
