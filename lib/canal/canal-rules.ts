/**
 * Rules of the `canal-datahub` realtime engine over the resolved config, as data (one shape:
 * lib/config/problem.ts). Pure: no Pulumi imports.
 */
import { Problem, Rule, problem, runRules } from "../config/problem";
import { engineBuilds } from "../config/realtime";
import { PROJECT, StackConfig } from "../config/types";
import { missingPrimaryKeyProblems } from "../config/primary-keys";

const P = `${PROJECT}:realtime.canalDatahub`;

const canalDatahubOn = (c: StackConfig) => engineBuilds(c, "canal-datahub");

/** The engine's rules; each applies only while the engine is on. */
export const CANAL_DATAHUB_RULES: readonly Rule<StackConfig>[] = [
  {
    id: "canal-datahub-settings-set",
    // The container needs a network and a durable volume the stack cannot choose, and the Kafka
    // endpoint differs per region and network (DataHub "Kafka compatibility").
    check: (c) => {
      if (!canalDatahubOn(c)) return [];
      const s = c.realtime.canalDatahub;
      const missing: [string, string][] = [];
      if (!s.kafkaBootstrapServers) missing.push(["kafkaBootstrapServers", "DataHub's Kafka endpoint of the region, host:port"]);
      if (!s.image) missing.push(["image", "a Canal server image built from DataHub's Canal package"]);
      if (!s.vswitchId) missing.push(["vswitchId", 'a vSwitch id ("vsw-...") in the VPC that reaches the source']);
      if (!s.securityGroupId) missing.push(["securityGroupId", 'a security group id ("sg-...") allowed to reach MySQL']);
      if (!s.nasServer) missing.push(["nasServer", "a NAS mount target in the same VPC (Canal's positions)"]);
      return missing.map(([k, allowed]) =>
        problem(`${P}.${k}`, `${P}.${k}: required with realtime.engine "canal-datahub", not set; expected ${allowed}`, { allowed }),
      );
    },
  },
  {
    id: "canal-datahub-secrets-set",
    check: (c) =>
      !canalDatahubOn(c)
        ? []
        : (["datahubAccessKeyId", "datahubAccessKeySecret"] as const)
            .filter((k) => !c.secretsSet.includes(k))
            .map((k) =>
              problem(
                `${PROJECT}:${k}`,
                `${PROJECT}:${k}: required with realtime.engine "canal-datahub", not set; Canal authenticates to DataHub's Kafka endpoint with this AccessKey (SASL PLAIN): run "pulumi config set --secret ${k} <value>"`,
                { allowed: "a secret" },
              ),
            ),
  },
  {
    id: "canal-datahub-primary-keys",
    // canal.mq.partitionHash keeps one key's changes on one shard, in order; without a key the merge cannot pick the latest row.
    check: (c) => (!canalDatahubOn(c) ? [] : missingPrimaryKeyProblems(c, "Canal routes each key's changes to one shard by it")),
  },
];

/** Every problem of the engine's settings. */
export function checkCanalDatahubRules(config: StackConfig): Problem[] {
  return runRules(CANAL_DATAHUB_RULES, config);
}
