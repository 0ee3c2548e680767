/** The dataworks-flink engine's test config (`photo-analytics:realtime`): the network the Flink workspace needs. */
export const FLINK_CONFIG = {
  engine: "dataworks-flink",
  flink: { vpcId: "vpc-test1", vswitchIds: ["vsw-test1"], zoneId: "cn-shanghai-l", ossBucket: "photo-analytics-flink-state" },
};
