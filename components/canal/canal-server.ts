/**
 * The Canal server of the canal-datahub engine: one ECI container group in the source's VPC.
 *
 * Why ECI and not ECS: Canal is one long-running JVM with two config files; an ECI container group
 * (alicloud.eci.ContainerGroup) runs it in a vSwitch of the source's VPC, restarts it on failure
 * (`restartPolicy: Always`), checks it (TCP liveness probe on the metrics port) and bills per
 * vCPU/GiB-second with no OS to patch. It reaches a VPC-internal MySQL like an ECS instance would.
 * ECS + cloud-init would only be needed for a source reachable from one host's IP (an allow-list).
 *
 * Files: canal.properties and instance.properties come from lib/canal/canal-files.ts and are
 * mounted as a ConfigFile volume (content base64, ECI CreateContainerGroup
 * `Volume.N.ConfigFileVolume.ConfigFileToPath.N.Content`). They hold the MySQL password and the
 * DataHub AccessKey, so the whole content is a Pulumi secret (plans show "[secret]").
 * Positions: Canal's file meta manager writes `meta.dat` under the NAS volume, so a restarted or
 * replaced container resumes from its last binlog position.
 */
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "../common/alicloud";
import { CANAL_CONF_DIR, CANAL_METRICS_PORT, CanalFilesSpec, canalProperties, instanceProperties } from "../../lib/canal/canal-files";
import { TYPES } from "../../lib/plan/type-tokens";

/** Where the NAS volume is mounted: Canal's data dir (positions, table-meta history). */
export const CANAL_DATA_DIR = "/home/admin/canal-data";
/** Where the generated files are mounted; copied over the deployer's conf/ at start (mounting on conf/ would hide its spring/ and logback.xml). */
export const CANAL_STACK_CONF_DIR = "/home/admin/canal-stack";

/**
 * The container's command: copy the generated files into the deployer's conf/, start Canal
 * (bin/startup.sh runs the JVM in the background), and follow its log so the container lives as
 * long as the shell; the liveness probe restarts it when the JVM stops answering.
 */
export function canalCommand(destination: string): string[] {
  const conf = CANAL_CONF_DIR;
  return [
    "sh",
    "-c",
    `mkdir -p ${conf}/${destination} && cp ${CANAL_STACK_CONF_DIR}/canal.properties ${conf}/canal.properties && ` +
      `cp ${CANAL_STACK_CONF_DIR}/${destination}/instance.properties ${conf}/${destination}/instance.properties && ` +
      `/home/admin/canal-server/bin/startup.sh && exec tail -F /home/admin/canal-server/logs/canal/canal.log`,
  ];
}

export interface CanalServerArgs {
  /** Container image (DataHub's Canal build). Changing it replaces the container group. */
  readonly image: string;
  readonly vswitchId: string;
  readonly securityGroupId: string;
  /** vCPUs (ECI sizes 0.25-4). @default 1 */
  readonly cpu: number;
  /** Memory, GiB. @default 2 */
  readonly memoryGiB: number;
  readonly nasServer: string;
  readonly nasPath: string;
  /** Everything but the secrets and the data dir. */
  readonly files: Omit<CanalFilesSpec, "dataDir" | "source" | "kafka"> & {
    readonly source: Omit<CanalFilesSpec["source"], "password">;
    readonly kafka: Omit<CanalFilesSpec["kafka"], "accessKeyId" | "accessKeySecret">;
  };
  readonly sourcePassword: pulumi.Input<string>;
  readonly datahubAccessKeyId: pulumi.Input<string>;
  readonly datahubAccessKeySecret: pulumi.Input<string>;
}

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

export class CanalServer extends pulumi.ComponentResource {
  /** Type token (lib/plan/type-tokens.ts). */
  public static readonly TYPE = TYPES.CanalServer;
  readonly containerGroup: alicloud.eci.ContainerGroup;

  constructor(name: string, args: CanalServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CanalServer.TYPE, name, {}, opts);
    const spec = pulumi.all([args.sourcePassword, args.datahubAccessKeyId, args.datahubAccessKeySecret]).apply(([password, id, secret]): CanalFilesSpec => ({
      ...args.files,
      dataDir: CANAL_DATA_DIR,
      source: { ...args.files.source, password },
      kafka: { ...args.files.kafka, accessKeyId: id, accessKeySecret: secret },
    }));
    const files = pulumi.secret(
      spec.apply((s) => [
        { path: "canal.properties", content: b64(canalProperties(s)) },
        { path: `${s.destination}/instance.properties`, content: b64(instanceProperties(s)) },
      ]),
    );
    // resource_alicloud_eci_container_group.go: container_group_name, security_group_id, vswitch_id,
    // restart_policy (Always | Never | OnFailure), cpu, memory, containers, volumes.
    // Replaced delete first: every `volumes` field but `type` is ForceNew, the ConfigFile volume's
    // `config_file_volume_config_file_to_paths` (content, path) and the NFS server/path included
    // (resource_alicloud_eci_container_group.go @28ee93bc63fa0e5f919a21fc1711bde8c45d7b44, v1.289.0, schema), so
    // any change of Canal's files replaces the group. Created first, the new Canal would run beside
    // the old one on the same position store (meta.dat on the NAS volume) and the same topics:
    // every change message twice. Deleted first, the new server resumes from the old one's position.
    this.containerGroup = new alicloud.eci.ContainerGroup(
      `${name}-group`,
      {
        containerGroupName: name.replace(/[^a-z0-9-]/g, "-").slice(0, 128),
        securityGroupId: args.securityGroupId,
        vswitchId: args.vswitchId,
        restartPolicy: "Always",
        cpu: args.cpu,
        memory: args.memoryGiB,
        containers: [
          {
            name: "canal-server",
            image: args.image,
            imagePullPolicy: "IfNotPresent",
            commands: canalCommand(args.files.destination),
            cpu: args.cpu,
            memory: args.memoryGiB,
            ports: [{ port: CANAL_METRICS_PORT, protocol: "TCP" }],
            volumeMounts: [
              { name: "canal-conf", mountPath: CANAL_STACK_CONF_DIR, readOnly: true },
              { name: "canal-data", mountPath: CANAL_DATA_DIR, readOnly: false },
            ],
            // The metrics port answers once the server runs; 3 misses in a row restart the container.
            livenessProbes: [
              { tcpSockets: [{ port: CANAL_METRICS_PORT }], initialDelaySeconds: 60, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
            ],
          },
        ],
        volumes: [
          { name: "canal-conf", type: "ConfigFileVolume", configFileVolumeConfigFileToPaths: files },
          { name: "canal-data", type: "NFSVolume", nfsVolumeServer: args.nasServer, nfsVolumePath: args.nasPath, nfsVolumeReadOnly: false },
        ],
      },
      { parent: this, deleteBeforeReplace: true },
    );
    this.registerOutputs({ containerGroupId: this.containerGroup.id });
  }
}
