/**
 * The Alibaba Cloud region ids a stack may name (`alicloud:region`, `source.region`): the one
 * list. A region id that is not on it is refused with a did-you-mean (`cn-shanghia` ->
 * `cn-shanghai`) before anything is registered; without the list a typo passed every check and
 * the single-region policy, and failed only at `pulumi up` (issue 22).
 *
 * Public-cloud regions, read from the region tables of Alibaba Cloud's documentation:
 * - Cloud Control API, Endpoints (https://www.alibabacloud.com/help/en/cloud-control-api/developer-reference/api-cloudcontrol-2022-08-30-endpoint,
 *   updated 2025-03-06): the China regions (Qingdao ... Chengdu, Ulanqab, Heyuan, Guangzhou, and the
 *   Nanjing and Fuzhou local regions, which a later version of that page marks decommissioned), and
 *   Asia Pacific ap-northeast-1/2, ap-southeast-1/3/5/6/7 (Australia (Sydney) ap-southeast-2 is closed);
 * - "Region IDs" / 常用Region查询 (https://www.alibabacloud.com/help/doc-detail/140601.html): us-west-1,
 *   us-east-1, eu-central-1, eu-west-1 (UK (London)), me-east-1 (UAE (Dubai));
 * - ApsaraVideo Live, Endpoints (https://help.aliyun.com/en/live/developer-reference/api-live-2016-11-01-endpoint):
 *   me-central-1 (Saudi Arabia (Riyadh));
 * - na-south-1 (Mexico): listed by the official SDKs' endpoint maps (e.g. the CBN and PolarDB
 *   clients' `_endpointMap`); no stored help page names it.
 * Finance and government clouds (`cn-shanghai-finance-1`, ...) are left out: this project has not
 * been checked against them. Pure.
 */

/** Every region id `alicloud:region` and `source.region` accept, grouped as Alibaba Cloud lists them. */
export const REGION_IDS = [
  // China
  "cn-qingdao",
  "cn-beijing",
  "cn-zhangjiakou",
  "cn-huhehaote",
  "cn-wulanchabu",
  "cn-hangzhou",
  "cn-shanghai",
  "cn-nanjing",
  "cn-fuzhou",
  "cn-shenzhen",
  "cn-heyuan",
  "cn-guangzhou",
  "cn-chengdu",
  "cn-hongkong",
  // Asia Pacific
  "ap-southeast-1",
  "ap-southeast-3",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ap-northeast-1",
  "ap-northeast-2",
  // Europe and Americas
  "us-west-1",
  "us-east-1",
  "eu-central-1",
  "eu-west-1",
  "na-south-1",
  // Middle East
  "me-east-1",
  "me-central-1",
] as const;
export type RegionId = (typeof REGION_IDS)[number];

const REGION_SET: ReadonlySet<string> = new Set(REGION_IDS);

/** Whether `value` is an Alibaba Cloud region id on {@link REGION_IDS}. */
export function isRegionId(value: unknown): value is RegionId {
  return typeof value === "string" && REGION_SET.has(value);
}
