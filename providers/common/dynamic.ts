/**
 * What every dynamic provider of the project shares: the marker Pulumi hands a provider for an
 * input not known yet (preview), and the stack's alicloud credentials the engine passes to
 * `configure` (the first step of the one chain, providers/common/credentials.ts; kept in memory
 * only, never in inputs or state).
 */
import type * as pulumi from "@pulumi/pulumi";
import { Credentials } from "./credentials";

/** The value Pulumi gives a dynamic provider for an input not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value holds an input not known yet. */
export function hasUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (v && typeof v === "object") return Object.values(v).some(hasUnknown);
  return false;
}

/** The stack's `alicloud:accessKey` / `secretKey` / `securityToken` from a `configure` request (undefined when not set). */
export function configCredentials(req: pulumi.dynamic.ConfigureRequest): Partial<Credentials> {
  return {
    accessKeyId: req.config.get("alicloud:accessKey"),
    accessKeySecret: req.config.get("alicloud:secretKey"),
    securityToken: req.config.get("alicloud:securityToken"),
  };
}

/**
 * An error that tells Pulumi the resource exists but did not finish initializing (the
 * dynamic-provider host reports an error carrying `id` as ErrorResourceInitFailed): the engine
 * keeps `properties` as the resource's state and the next `up` diffs and updates it, instead of
 * creating it again. `properties` must carry `__provider` (spread from the inputs) or later
 * operations cannot load the provider.
 */
export function initFailed(e: unknown, id: string, properties: object): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  return Object.assign(err, { id, properties, reasons: [err.message] });
}
