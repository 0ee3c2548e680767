/**
 * The `photo-analytics` policy pack (CrossGuard):
 *   pulumi preview --policy-pack policy --policy-pack-config policy-config.json
 * (write the config with `npm run --silent policy-config -- --stack <name>`).
 * The policies live one per file; `policies.ts` lists them.
 */
import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES } from "./policies";

new PolicyPack("photo-analytics", { policies: [...ALL_POLICIES] });
