/** The canal-datahub engine's test stack values: its settings and the DataHub AccessKey secrets. */
export const CANAL_VALUES: Record<string, unknown> = {
  "photo-analytics:realtime": {
    engine: "canal-datahub",
    canalDatahub: {
      kafkaBootstrapServers: "dh-cn-shanghai-int-vpc.aliyuncs.com:9094",
      image: "registry-vpc.cn-shanghai.aliyuncs.com/pa/canal-datahub:1.1.5",
      vswitchId: "vsw-abc",
      securityGroupId: "sg-abc",
      nasServer: "abc.cn-shanghai.nas.aliyuncs.com",
    },
  },
  "photo-analytics:datahubAccessKeyId": "AKID",
  "photo-analytics:datahubAccessKeySecret": "AKSECRET",
};
