import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isSecretAt } from "./config";

/** Input names that carry credentials (not SLS index `token`, the tokenizer delimiters). */
export const SECRET_NAME = /(password|passwd|secret|access_?key|credential|private_?key)|[a-z_]token$/i;
/** An Alibaba Cloud AccessKey id anywhere in a string. */
export const ACCESS_KEY_ID = /\bLTAI[0-9A-Za-z]{12,30}\b/;

function findPlaintext(value: unknown, container: Record<string, unknown>, key: string, path: string, out: string[]): void {
  if (isSecretAt(container, key)) return;
  if (typeof value === "string") {
    if (value !== "" && SECRET_NAME.test(key) && !/^\[(computed|secret)\]$/.test(value)) {
      out.push(`${path} is a credential in plain text`);
    } else if (ACCESS_KEY_ID.test(value)) {
      out.push(`${path} contains an AccessKey id (LTAI...) in plain text`);
    } else if (/^[{[]/.test(value)) {
      // JSON documents (connectionProperties, dbList): look inside.
      try {
        const inner = JSON.parse(value) as unknown;
        if (inner !== null && typeof inner === "object") walk(inner as Record<string, unknown>, `${path}<`, out, ">");
      } catch {
        /* not JSON */
      }
    }
    return;
  }
  if (value !== null && typeof value === "object") walk(value as Record<string, unknown>, `${path}.`, out, "");
}

function walk(obj: Record<string, unknown>, prefix: string, out: string[], suffix: string): void {
  for (const k of Object.keys(obj)) {
    const path = Array.isArray(obj) ? `${prefix.replace(/\.$/, "")}[${k}]${suffix}` : `${prefix}${k}${suffix}`;
    findPlaintext(obj[k], obj, k, path, out);
  }
}

/** No input that looks like a credential is in plain text: it must be a secret Output. */
export const noPlaintextSecrets: ResourceValidationPolicy = {
  name: "no-plaintext-secrets",
  description: "Inputs that look like credentials (password, secret, access key, token; LTAI... ids) are secret Outputs, never plain text.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    const found: string[] = [];
    walk(args.props, "", found, "");
    for (const f of found) {
      report(`${args.name}: ${f}; pass it as a secret (config.requireSecret / pulumi.secret) so it is encrypted in state and masked in previews`);
    }
  },
};
