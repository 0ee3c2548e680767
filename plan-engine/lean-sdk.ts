/**
 * Loads the Pulumi SDK for the offline plan without the parts only `pulumi up` and the
 * Automation API use. `@pulumi/pulumi`'s index loads its Automation API (execa, js-yaml, tmp,
 * ...) and its runtime loads what closure serialization needs: TypeScript (one 8.9 MB file)
 * and npm's arborist (pacote, sigstore, tuf, ...). That is about 0.4 s of the SDK's 0.5 s load,
 * and a plan uses none of it: it serializes no provider code (record-plan.ts) and runs no
 * Automation API.
 *
 * While this module is installed, those requests, when made by the SDK's own files, get a
 * stand-in that loads the real module at its first use (any property read, call or key
 * listing), so whatever does use one still gets the real thing: PHOTO_ANALYTICS_PLAN_SERIALIZE=1
 * serializes every provider through it (tests/lean-sdk.test.ts). `esModule` is what the
 * stand-in answers to `__esModule` before it loads: TypeScript's `__importStar` and
 * `__importDefault` helpers read it at import and would otherwise list the module's keys
 * (which loads it). PHOTO_ANALYTICS_PLAN_FULL_SDK=1 loads everything as plain Node does
 * (the benchmark's floor runs that way).
 *
 * Installed on import, so it must be imported before anything loads the SDK: record-plan.ts
 * imports it first; tests/lean-sdk.test.ts checks that a plan process leaves these modules
 * unloaded. Under Jest (its own module loader) it has no effect: tests/support/jest-lean-sdk.ts
 * gives Jest the same stand-ins.
 */
import * as path from "path";
import { moduleLoader } from "./sdk-internals";

/** Module requests deferred when the SDK makes them, and why each is not needed by a plan. */
export const DEFERRED: Readonly<Record<string, { esModule: boolean; usedBy: string }>> = {
  "./automation": { esModule: true, usedBy: "the Automation API (index.js exports it as pulumi.automation)" },
  typescript: { esModule: false, usedBy: "closure serialization (parseFunction, via typescript-shim)" },
  "@npmcli/arborist": { esModule: true, usedBy: "computeCodePaths (the packages a serialized closure ships)" },
  "normalize-package-data": { esModule: false, usedBy: "computeCodePaths" },
  fdir: { esModule: true, usedBy: "computeCodePaths (workspace globs)" },
  upath: { esModule: true, usedBy: "closure serialization and computeCodePaths (paths)" },
};

/** A stand-in for a module: the real one is loaded at the first operation that needs it. */
export function standIn(load: () => object, esModule: boolean): object {
  let real: object | undefined;
  const target = (): void => undefined;
  const get = (): object => (real ??= load());
  return new Proxy(target, {
    get: (_t, key) => (key === "__esModule" && real === undefined ? esModule : Reflect.get(get(), key)),
    has: (_t, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(get(), key);
      // A proxy may report a non-configurable property only if its target has it.
      if (d && !d.configurable && !Reflect.getOwnPropertyDescriptor(t, key)) Object.defineProperty(t, key, d);
      return d;
    },
    set: (_t, key, value) => Reflect.set(get(), key, value),
    defineProperty: (_t, key, d) => Reflect.defineProperty(get(), key, d),
    deleteProperty: (_t, key) => Reflect.deleteProperty(get(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(get()),
    apply: (_t, self, args) => Reflect.apply(get() as (...a: unknown[]) => unknown, self, args),
  });
}

let installed = false;

/** Installs the deferral (once). Returns false when PHOTO_ANALYTICS_PLAN_FULL_SDK=1 asks for the full SDK. */
export function installLeanSdk(): boolean {
  if (process.env.PHOTO_ANALYTICS_PLAN_FULL_SDK === "1") return false;
  if (installed) return true;
  installed = true;
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json")) + path.sep;
  const load = moduleLoader._load;
  moduleLoader._load = function (this: unknown, request, parent, isMain) {
    const deferred = Object.prototype.hasOwnProperty.call(DEFERRED, request) ? DEFERRED[request] : undefined;
    if (deferred && parent?.filename?.startsWith(sdkDir)) {
      return standIn(() => load.call(this, request, parent, false) as object, deferred.esModule);
    }
    return load.call(this, request, parent, isMain);
  };
  return true;
}

installLeanSdk();
