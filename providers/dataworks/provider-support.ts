/**
 * What every DataWorks dynamic provider shares: credentials from the stack's
 * alicloud config (handed to `configure`, kept in memory only) resolved
 * through the one chain (providers/common/credentials.ts), and the marker
 * Pulumi uses for inputs not known yet (preview).
 */
import * as pulumi from "@pulumi/pulumi";
import { Credentials } from "../common/credentials";
import { DataWorksClient } from "./client";

/** The value Pulumi gives a dynamic provider for an input not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value holds an input not known yet. */
export function hasUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (v && typeof v === "object") return Object.values(v).some(hasUnknown);
  return false;
}

/** The stack's alicloud credentials from a `configure` request (undefined values when not set). */
export function configCredentials(req: pulumi.dynamic.ConfigureRequest): Partial<Credentials> {
  return {
    accessKeyId: req.config.get("alicloud:accessKey"),
    accessKeySecret: req.config.get("alicloud:secretKey"),
    securityToken: req.config.get("alicloud:securityToken"),
  };
}

/** A DataWorks client for a region, credentials through the one chain. */
export function connect(region: string, explicit?: Partial<Credentials>): Promise<DataWorksClient> {
  return DataWorksClient.connect(region, explicit);
}
