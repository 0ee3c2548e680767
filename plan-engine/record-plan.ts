/**
 * The offline plan's engine: runs the real program (`index.ts`) in-process
 * under `pulumi.runtime.setMocks`, with a stack's config, and records every
 * resource it registers (URN, type, parent, inputs, options). Options are not
 * given to mocks, so a stack transformation captures them.
 *
 * This module uses the Pulumi SDK (it is the one place that does, with the
 * program); everything that reads a plan afterwards is pure.
 */
// First: the SDK is loaded without what only `pulumi up` and the Automation API use.
import "./lean-sdk";
import * as pulumi from "@pulumi/pulumi";
// Not re-exported by the SDK's index: the language host calls it before disconnecting.
import { ConfigInput } from "../lib/config/load";
import { PROJECT } from "../lib/config/types";
import { COMPUTED_MARKER, Plan, PlannedResource, SECRET_MARKER } from "../lib/plan/types";
import { ProgramError } from "./program-error";
import { sdkInternals } from "./sdk-internals";

/** The SDK internals the recorder swaps or reads (./sdk-internals.ts, the one adapter). */
const sdk = sdkInternals();

/** What a dynamic provider's code serializes to in an offline plan (which prints "[dynamic provider]" for it). */
const UNSERIALIZED_PROVIDER = { text: "[dynamic provider: not serialized in an offline plan]", containsSecrets: false };

/** The SDK's marker for a secret value in serialized properties. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

interface Captured {
  type: string;
  name: string;
  /** The resource and its parent: their URNs are set after the transformation runs. */
  resource: pulumi.Resource;
  parent?: pulumi.Resource;
  protect: boolean;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  aliases: string[];
  ignoreChanges: string[];
  replaceOnChanges: string[];
  /** `dependsOn` as the program gave it (resources, or Outputs of them), resolved to URNs after the run. */
  dependsOn: unknown;
}

/** Replaces secrets (sentinel-wrapped or marked) by `SECRET_MARKER`; sorts keys; drops dynamic-provider code. */
export function maskValue(v: unknown): unknown {
  // Outputs unknown during preview (ids of resources not yet created) arrive as undefined.
  if (v === undefined || pulumi.isUnknown(v)) return COMPUTED_MARKER;
  if (Array.isArray(v)) return v.map(maskValue);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SECRET_SIG] === SECRET_SIG_VALUE) return SECRET_MARKER;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) {
      if (k === "__provider") {
        out[k] = "[dynamic provider]";
        continue;
      }
      out[k] = maskValue(o[k]);
    }
    return out;
  }
  return v;
}

/** Resolves an Output with `apply`; an Output unknown in preview resolves to undefined (apply would never run). */
async function resolve<T>(o: pulumi.Output<T> | undefined): Promise<T | undefined> {
  if (!o) return undefined;
  const known = await (o as unknown as { isKnown: Promise<boolean> }).isKnown;
  if (!known) return undefined;
  return new Promise((res) => o.apply((x) => res(x)));
}

function aliasText(a: unknown): string {
  if (typeof a === "string") return a;
  if (a && typeof a === "object") {
    const o = a as Record<string, unknown>;
    return JSON.stringify(
      Object.fromEntries(
        Object.keys(o)
          .sort()
          .filter((k) => typeof o[k] === "string" || typeof o[k] === "boolean")
          .map((k) => [k, o[k]]),
      ),
    );
  }
  return String(a);
}

let recorder:
  | {
      captured: Captured[];
      inputs: Map<string, { inputs: unknown; custom: boolean }>;
      /** Per `type::name`: the mock URNs of the resources its inputs reference (the SDK's property dependencies). */
      inputDependencies: Map<string, Set<string>>;
    }
  | undefined;

function captureOptions(args: pulumi.ResourceTransformationArgs): undefined {
  const o = args.opts as pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions;
  recorder?.captured.push({
    type: args.type,
    name: args.name,
    resource: args.resource,
    parent: o.parent,
    protect: o.protect === true,
    retainOnDelete: o.retainOnDelete === true,
    deleteBeforeReplace: o.deleteBeforeReplace === true,
    aliases: (o.aliases ?? []).map(aliasText),
    ignoreChanges: [...(o.ignoreChanges ?? [])],
    replaceOnChanges: [...(o.replaceOnChanges ?? [])],
    dependsOn: o.dependsOn,
  });
  return undefined;
}

/** The resources of a `dependsOn` option (a resource, a list, or Outputs of either), as the SDK accepts it. */
async function dependsOnResources(d: unknown): Promise<pulumi.Resource[]> {
  if (d === undefined || d === null) return [];
  if (pulumi.Output.isInstance(d)) return dependsOnResources(await resolve(d as pulumi.Output<unknown>));
  if (Array.isArray(d)) return (await Promise.all(d.map(dependsOnResources))).flat();
  if (d instanceof Promise) return dependsOnResources(await d);
  return pulumi.Resource.isInstance(d) ? [d] : [];
}

/**
 * Wraps the monitor's `registerResource` so that each request's property dependencies are kept
 * (the mock URNs of the resources every input references, components expanded to their
 * resources as the SDK sends them); the request then goes to the monitor unchanged.
 */
function recordInputDependencies(): void {
  const monitor = sdk.settings.getMonitor();
  if (!monitor) return;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const urns = new Set<string>();
    req.getPropertydependenciesMap().forEach((deps) => deps.getUrnsList().forEach((u) => urns.add(u)));
    recorder?.inputDependencies.set(`${req.getType()}::${req.getName()}`, urns);
    return register(req, callback);
  };
}

/** Options for {@link recordPlan}. */
export interface RecordOptions {
  readonly stack: string;
  readonly config: ConfigInput;
  /** The program. @default `buildStack` (what index.ts runs; loaded only when used) */
  readonly program?: () => object;
}

/** Sets `obj[key]` to `value` while a program runs (when `on`); returns what puts the old value back. */
function swap<T extends object, K extends keyof T>(on: boolean, obj: T, key: K, value: T[K]): () => void {
  const old = obj[key];
  if (on) obj[key] = value;
  return () => {
    obj[key] = old;
  };
}

/**
 * Switches off, while a program runs under mocks, what no plan reads, and returns what switches
 * it back on. The SDK captures `new Error().stack` for every promise and resource (leak
 * debugging, source positions; under ts-node each capture is source-mapped) and tracks every
 * promise for a leak report: none of it reaches a plan (mocks take no source positions and the
 * run awaits every RPC); PHOTO_ANALYTICS_PLAN_STACKS=1 keeps all of it (same plan, tested). Each
 * dynamic provider's code is masked, not serialized: Pulumi's closure serialization (a V8
 * inspector session, a TypeScript parse and a walk of every module for each provider) was half
 * of a plan's time; tests/provider-serialization.test.ts proves every provider serializes for
 * `pulumi up`, and PHOTO_ANALYTICS_PLAN_SERIALIZE=1 serializes here too. Tests that register
 * components under their own mocks use it as well (tests/support/mocks.ts), keeping the stacks of
 * their own errors (`keepErrorStacks`).
 */
export function leanRuntime(opts: { keepErrorStacks?: boolean } = {}): () => void {
  const stacksOff = process.env.PHOTO_ANALYTICS_PLAN_STACKS !== "1";
  const serializeOff = process.env.PHOTO_ANALYTICS_PLAN_SERIALIZE !== "1";
  const restore = [
    swap(stacksOff && !opts.keepErrorStacks, Error, "stackTraceLimit", 0),
    swap(stacksOff, sdk.resource.Resource, "stackTrace", () => []),
    swap(stacksOff, sdk.debuggable, "debuggablePromise", (p) => p),
    swap(serializeOff, sdk.closure, "serializeFunction", async () => UNSERIALIZED_PROVIDER),
  ];
  return () => {
    for (const undo of restore.reverse()) undo();
  };
}

/** Runs the program once and returns its plan; several plans can be recorded in one process. */
export async function recordPlan(opts: RecordOptions): Promise<Plan> {
  const captured: Captured[] = [];
  const inputs = new Map<string, { inputs: unknown; custom: boolean }>();
  const inputDependencies = new Map<string, Set<string>>();
  recorder = { captured, inputs, inputDependencies };

  pulumi.runtime.setAllConfig({ ...opts.config.values }, [...opts.config.secretKeys]);
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        recorder?.inputs.set(`${args.type}::${args.name}`, { inputs: args.inputs, custom: args.custom === true });
        // No ids: as in a first `pulumi preview`, values derived from ids are unknown ("[computed]").
        return { id: undefined, state: { ...args.inputs } };
      },
      call() {
        return {};
      },
    },
    PROJECT,
    opts.stack,
    true,
  );
  // setMocks made a new monitor for this run: its requests are recorded from here on.
  recordInputDependencies();
  let exportsObj: Record<string, unknown> = {};
  const restoreRuntime = leanRuntime();
  // An error the program throws is kept here and rethrown once the stack has settled: thrown
  // inside runInPulumiStack it would also reject the root Stack's outputs, a promise no one
  // awaits under mocks (the language host reports it; here it would crash the process).
  let programError: unknown;
  try {
    // As the language host does: a root Stack resource, the root transformation, then the program.
    await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation(captureOptions);
      try {
        exportsObj = { ...(opts.program ?? (require("../stack") as typeof import("../stack")).buildStack)() };
      } catch (e) {
        programError = e;
      }
      return exportsObj;
    });
    // Let every registration of this run reach the mock monitor before anything else runs: a
    // failed run's late Stack outputs would otherwise land on the next run's monitor ("unknown resource").
    await sdk.settings.waitForRPCs();
    if (programError !== undefined) throw programError;
  } catch (e) {
    if (e instanceof pulumi.RunError || (e as Error).name === "RunError") throw new ProgramError((e as Error).message);
    throw e;
  } finally {
    restoreRuntime();
  }

  // The mock monitor builds URNs from the immediate parent's type only; Pulumi's engine uses
  // the whole chain of parent types (without the root Stack). Rebuild the real URNs.
  const byMockUrn = new Map<string, Captured & { mockUrn: string; parentMockUrn: string | null }>();
  for (const c of captured) {
    const mockUrn = await resolve(c.resource.urn);
    if (mockUrn === undefined || byMockUrn.has(mockUrn)) continue;
    byMockUrn.set(mockUrn, { ...c, mockUrn, parentMockUrn: (await resolve(c.parent?.urn)) ?? null });
  }
  const qualifiedType = (mockUrn: string | null): string | undefined => {
    const c = mockUrn === null ? undefined : byMockUrn.get(mockUrn);
    if (!c) return undefined;
    const parentType = qualifiedType(c.parentMockUrn);
    return parentType ? `${parentType}$${c.type}` : c.type;
  };
  const realUrn = (mockUrn: string | null): string | null => {
    const c = mockUrn === null ? undefined : byMockUrn.get(mockUrn);
    return c ? `urn:pulumi:${opts.stack}::${PROJECT}::${qualifiedType(mockUrn)}::${c.name}` : null;
  };
  // Dependencies as real URNs, sorted: the explicit `dependsOn` as given (a component stays one
  // entry), and the resources the inputs reference (the SDK's property dependencies).
  const urnsOf = (mockUrns: Iterable<string>): string[] => [...new Set([...mockUrns].map((u) => realUrn(u)).filter((u): u is string => u !== null))].sort();
  const resources: PlannedResource[] = [];
  for (const c of byMockUrn.values()) {
    const key = `${c.type}::${c.name}`;
    const explicit: string[] = [];
    for (const d of await dependsOnResources(c.dependsOn)) {
      const u = await resolve(d.urn);
      if (u !== undefined) explicit.push(u);
    }
    resources.push({
      urn: realUrn(c.mockUrn) as string,
      type: c.type,
      name: c.name,
      parent: realUrn(c.parentMockUrn),
      inputs: maskValue(inputs.get(key)?.inputs ?? {}) as Record<string, unknown>,
      protect: c.protect,
      retainOnDelete: c.retainOnDelete,
      deleteBeforeReplace: c.deleteBeforeReplace,
      aliases: c.aliases,
      ignoreChanges: c.ignoreChanges,
      replaceOnChanges: c.replaceOnChanges,
      dependsOn: urnsOf(explicit),
      inputDependencies: urnsOf(inputDependencies.get(key) ?? []),
      component: inputs.get(key)?.custom !== true,
    });
  }
  const outputs: Record<string, unknown> = {};
  for (const k of Object.keys(exportsObj).sort()) {
    const v = exportsObj[k];
    outputs[k] = maskValue(pulumi.Output.isInstance(v) ? await resolveSecretAware(v) : v);
  }
  recorder = undefined;
  const stage = String(outputs.stage ?? "");
  const region = String(outputs.region ?? "");
  resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return { stack: opts.stack, stage, region, resources, outputs };
}

async function resolveSecretAware(o: pulumi.Output<unknown>): Promise<unknown> {
  const secret = await (o as unknown as { isSecret: Promise<boolean> }).isSecret;
  if (secret) return SECRET_MARKER;
  return resolve(o);
}
