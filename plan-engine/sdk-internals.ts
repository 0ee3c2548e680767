/**
 * The one place the offline plan reaches into the Pulumi SDK past its public API. Each entry
 * names the SDK file, what the plan uses from it and why; `sdkInternalProblems()` checks them all
 * (tests/sdk-internals.test.ts), so an SDK upgrade that moves one fails with a message naming it
 * instead of a plan that silently records less. Loaded lazily: lean-sdk.ts must be installed
 * before any SDK file loads.
 */
import Module from "module";

/** The part of a `RegisterResourceRequest` (google-protobuf message) the recorder reads. */
export interface RegisterRequestLike {
  getType(): string;
  getName(): string;
  getPropertydependenciesMap(): { forEach(f: (deps: { getUrnsList(): string[] }, key: string) => void): void };
}
export interface MonitorLike {
  registerResource(req: RegisterRequestLike, callback: (...args: unknown[]) => void): unknown;
}

export interface SdkInternals {
  /** runtime/settings: waits for the mocked program's outstanding registrations. */
  readonly settings: { waitForRPCs: () => Promise<void>; getMonitor: () => MonitorLike | undefined };
  /**
   * runtime/closure/serializeClosure: serializes a dynamic provider's code (`dynamic.Resource`
   * looks `serializeFunction` up at each construction); a plan replaces it.
   */
  readonly closure: { serializeFunction: (...args: unknown[]) => Promise<unknown> };
  /** resource: `Resource.stackTrace`, the source position of every resource; a plan switches it off. */
  readonly resource: { Resource: { stackTrace: (skip: number) => unknown[] } };
  /** runtime/debuggable: the promise-leak bookkeeping of every resource; a plan switches it off. */
  readonly debuggable: { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };
}

/** Each internal: its SDK module, the members the plan needs, and what for. */
export const SDK_INTERNALS: readonly { key: keyof SdkInternals; module: string; members: readonly string[]; usedBy: string }[] = [
  {
    key: "settings",
    module: "@pulumi/pulumi/runtime/settings",
    members: ["waitForRPCs", "getMonitor"],
    usedBy: "record-plan.ts: wait for the program, read the registrations' property dependencies",
  },
  {
    key: "closure",
    module: "@pulumi/pulumi/runtime/closure/serializeClosure",
    members: ["serializeFunction"],
    usedBy: "record-plan.ts: skip serializing dynamic providers",
  },
  { key: "resource", module: "@pulumi/pulumi/resource", members: ["Resource.stackTrace"], usedBy: "record-plan.ts: no source positions under mocks" },
  {
    key: "debuggable",
    module: "@pulumi/pulumi/runtime/debuggable",
    members: ["debuggablePromise"],
    usedBy: "record-plan.ts: no promise-leak tracking under mocks",
  },
];

let loaded: SdkInternals | undefined;

/** The SDK internals (loaded at the first call). */
export function sdkInternals(): SdkInternals {
  if (loaded) return loaded;
  const out: Record<string, unknown> = {};
  for (const i of SDK_INTERNALS) out[i.key] = require(i.module);
  return (loaded = out as unknown as SdkInternals);
}

/** Node's module loader (`Module._load`), which lean-sdk.ts wraps to defer what a plan does not use. */
export type ModuleLoad = (request: string, parent: NodeModule | undefined, isMain: boolean) => unknown;
export const moduleLoader = Module as unknown as { _load: ModuleLoad };

/** What no longer holds, one message per internal, naming the SDK version: [] when all hold. */
export function sdkInternalProblems(): string[] {
  const version = (require("@pulumi/pulumi/package.json") as { version: string }).version;
  const problems: string[] = [];
  if (typeof moduleLoader._load !== "function")
    problems.push(`node ${process.version}: Module._load is not a function (used by lean-sdk.ts to defer SDK modules)`);
  for (const i of SDK_INTERNALS) {
    let mod: Record<string, unknown>;
    try {
      mod = require(i.module) as Record<string, unknown>;
    } catch (e) {
      problems.push(`@pulumi/pulumi ${version}: ${i.module} cannot be loaded (${(e as Error).message.split("\n")[0]}); used by ${i.usedBy}`);
      continue;
    }
    for (const m of i.members) {
      const value = m.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], mod);
      if (typeof value !== "function") problems.push(`@pulumi/pulumi ${version}: ${i.module} has no function ${m}; used by ${i.usedBy}`);
    }
  }
  return problems;
}
