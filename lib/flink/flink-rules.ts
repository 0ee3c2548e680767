/**
 * Rules of the `dataworks-flink` realtime engine over the resolved config, as data (one shape:
 * lib/config/problem.ts). Pure: no Pulumi imports.
 */
import { Problem, Rule, problem, runRules, show } from "../config/problem";
import { engineBuilds } from "../config/realtime";
import { PROJECT, StackConfig } from "../config/types";
import { missingPrimaryKeyProblems } from "../config/primary-keys";

const P = `${PROJECT}:realtime.flink`;

const flinkEngineOn = (c: StackConfig) => engineBuilds(c, "dataworks-flink");

/** The engine's rules; each applies only while the engine is on. */
export const FLINK_RULES: readonly Rule<StackConfig>[] = [
  {
    id: "flink-network-set",
    // CreateInstance (foasconsole 2019-06-01) takes VpcId, VSwitchIds, ZoneId and Storage.Oss.Bucket,
    // all required and ForceNew in the provider (resource_alicloud_realtime_compute_vvp_instance.go
    // @03df1c3e3d5c918fe921b3ffd21f5ea0e95b596f): no default the stack could pick.
    check: (c) => {
      if (!flinkEngineOn(c)) return [];
      const f = c.realtime.flink;
      const missing: [string, string][] = [];
      if (!f.vpcId) missing.push(["vpcId", 'the VPC id ("vpc-...") of the Flink workspace']);
      if (f.vswitchIds.length === 0) missing.push(["vswitchIds", 'one or more vSwitch ids (["vsw-..."]) in zoneId']);
      if (!f.zoneId) missing.push(["zoneId", 'the zone of the vSwitches, e.g. "cn-shanghai-l"']);
      if (!f.ossBucket) missing.push(["ossBucket", "an existing OSS bucket name for checkpoints and savepoints"]);
      return missing.map(([k, allowed]) =>
        problem(`${P}.${k}`, `${P}.${k}: required with realtime.engine "dataworks-flink", not set; expected ${allowed}`, { allowed }),
      );
    },
  },
  {
    id: "flink-parallelism-fits",
    // One TaskManager slot per parallel subtask at 1 CU, plus the JobManager's 1 CU (lib/flink/deployment.ts).
    check: (c) => {
      if (!flinkEngineOn(c)) return [];
      const f = c.realtime.flink;
      const need = f.parallelism + 1;
      return f.cu >= need
        ? []
        : [
            problem(
              `${P}.cu`,
              `${P}.cu: ${show(f.cu)} is too small for parallelism ${f.parallelism}; the job needs ${need} CU (1 per TaskManager + 1 JobManager): set cu to ${need} or more`,
              { value: f.cu, allowed: `an integer >= ${need}` },
            ),
          ];
    },
  },
  {
    id: "flink-primary-keys",
    // The realtime DI job writes primary-key Delta tables, which upsert by the key (lib/flink/realtime-di-job.ts).
    check: (c) => (!flinkEngineOn(c) ? [] : missingPrimaryKeyProblems(c, "DataWorks realtime sync writes a primary-key Delta table that upserts by it")),
  },
];

/** Every problem of the engine's rules. */
export function checkFlinkRules(config: StackConfig): Problem[] {
  return runRules(FLINK_RULES, config);
}
