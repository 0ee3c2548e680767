/**
 * Reads the running Pulumi program's config (values and which keys are
 * secret) into the pure loader's input. Kept apart from `load.ts` so that the
 * loader stays free of Pulumi.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigInput } from "./load";

/** The config Pulumi handed to this program (the CLI, or the offline plan's `setAllConfig`). */
export function runtimeConfigInput(): ConfigInput {
  const values = pulumi.runtime.allConfig();
  // isConfigSecret is exported by the SDK's runtime module but not typed.
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  const secretKeys = new Set(Object.keys(values).filter((k) => isSecret?.(k) === true));
  return { values, secretKeys };
}
