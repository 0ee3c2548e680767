/**
 * The identity DTS writes MaxCompute as, as data: a RAM user of its own with no RAM policy at all
 * (MaxCompute authorizes data access inside the project, not through RAM), a MaxCompute project
 * role that holds only what DTS needs on the tables it writes, and the user's AccessKey. Pure:
 * `components/dts/dts-writer.ts` declares the resources.
 *
 * Why a RAM user and not a role: DTS's MaxCompute destination takes an AccessKey pair only.
 * ConfigureDtsJob's `DestinationEndpointUserName`/`Password` are "the AccessKey ID / secret" for a
 * MaxCompute destination, and `DestinationEndpointRole` is "required if you migrate or synchronize
 * data across Alibaba Cloud accounts" (the cross-account role, not a write identity); DTS's guide
 * suggests "a RAM user ... instead of using the root account AccessKey"
 * (https://www.alibabacloud.com/help/en/dts/user-guide/synchronize-data-from-an-apsaradb-rds-for-mysql-instance-to-a-maxcompute-project-new).
 *
 * What the role grants, and why (the guide's own list is published as a screenshot; its
 * permissions table starts "MaxCompute | 待同步项目的CREATE TABLE、…",
 * https://help.aliyun.com/document_detail/213152.htm):
 * - on the project: `CreateTable` (DTS creates `<table>_base` and `<table>_log`: the documented
 *   permission); `CreateInstance`, because MaxCompute's CreateTable, Alter and Update "need the
 *   project's CreateInstance ... without it the operation cannot complete" (MaxCompute permissions,
 *   https://help.aliyun.com/document_detail/27935.htm); `List`, for DTS's precheck of same-name
 *   tables in the destination ("检查目标数据库中是否有同名的表", the job's default target-table mode);
 * - on `<table>_base` and `<table>_log` of the realtime tables only: `Describe` (table metadata),
 *   `Alter` (a `_log` partition per minute, `ADD COLUMN` propagated from MySQL) and `Update` (write
 *   rows): the writer set MaxCompute documents for a tunnel writer (the SLS export's grant is the
 *   same three actions). DTS owns the tables it creates anyway; the grant keeps a re-created job
 *   working when the tables already exist. No `Select` and no `Drop`: DTS never reads or drops
 *   them, and the compaction and `_realtime` views run as the workspace's identity, not as DTS.
 *   No grant on `<table>_compacted`, the views or any ODS/DWS/ADS table.
 */
import type { PolicyDocument } from "./policy-document";
import { dtsTableNames } from "../dts/merge-sql";
import { maxcomputeProjectResource, maxcomputeTableResource } from "./policy-document";

/** Name of the MaxCompute project role DTS writes with (public contract: renaming replaces it). */
export const DTS_WRITER_ROLE = "dts_writer";
/** Project-level MaxCompute actions the writer holds. */
export const DTS_WRITER_PROJECT_ACTIONS = ["CreateTable", "CreateInstance", "List"] as const;
/** Table-level MaxCompute actions the writer holds on `<table>_base` and `<table>_log`. */
export const DTS_WRITER_TABLE_ACTIONS = ["Describe", "Alter", "Update"] as const;

/** The tables DTS writes for the realtime tables: `<t>_base` and `<t>_log`, sorted by table. */
export function dtsWrittenTables(tables: readonly string[]): string[] {
  return [...tables].sort().flatMap((t) => {
    const n = dtsTableNames(t);
    return [n.base, n.log];
  });
}

/**
 * Policy of {@link DTS_WRITER_ROLE} (MaxCompute policy-based access control, the form
 * `alicloud.maxcompute.Role` `policy` takes): the project actions on the project, the table
 * actions on DTS's own tables, nothing else.
 */
export function dtsWriterPolicy(project: string, tables: readonly string[]): PolicyDocument {
  if (tables.length === 0) throw new Error("dtsWriterPolicy: no realtime tables; the writer is built only with at least one");
  return {
    Version: "1",
    Statement: [
      { Effect: "Allow", Action: DTS_WRITER_PROJECT_ACTIONS.map((a) => `odps:${a}`), Resource: [maxcomputeProjectResource(project)] },
      {
        Effect: "Allow",
        Action: DTS_WRITER_TABLE_ACTIONS.map((a) => `odps:${a}`),
        Resource: dtsWrittenTables(tables).map((t) => maxcomputeTableResource(project, t)),
      },
    ],
  };
}

/** RAM user names: 1-64 characters, letters, digits, `.`, `_`, `-` (RAM CreateUser `UserName`). */
export const RAM_USER_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** The writer's RAM user: one per stack, named after its MaxCompute project (unique in the account). */
export function dtsWriterUserName(project: string): string {
  const name = `${project}-dts-writer`;
  if (!RAM_USER_NAME.test(name)) throw new Error(`RAM user name ${JSON.stringify(name)} is not 1-64 letters, digits, ".", "_" or "-"`);
  return name;
}

/**
 * The MaxCompute user name of a RAM user, `RAM$<account id>:<RAM user id>` (MaxCompute "add user":
 * "RAM user | RAM$<account_id>:<RAM_user_id>", https://help.aliyun.com/en/maxcompute/user-guide/add-user).
 * The provider's RAM user id is the UserId (resource_alicloud_ram_user.go: `d.SetId(response.User.UserId)`).
 */
export function maxcomputeUserOfRamUser(accountId: string, userId: string): string {
  return `RAM$${accountId}:${userId}`;
}

/**
 * The AccessKey generations the stack keeps for the writer: the one new jobs get (`generation`)
 * and, until it is retired, the one before it (the running job may still use it). RAM allows two
 * AccessKeys per user, so never more than two. Ascending.
 */
export function writerKeyGenerations(generation: number, retiredThrough: number): number[] {
  if (!Number.isInteger(generation) || generation < 1) throw new Error(`writerKeyGeneration is ${generation}; allowed: an integer >= 1`);
  if (retiredThrough >= generation) throw new Error(`retiredWriterKeyGeneration is ${retiredThrough}; allowed: 0 to ${generation - 1}`);
  const oldest = Math.max(1, generation - 1, retiredThrough + 1);
  const out: number[] = [];
  for (let g = oldest; g <= generation; g++) out.push(g);
  return out;
}

/** What the `dtsWriter` stack output says about the mode in use (secrets never included). */
export type DtsWriterSummary =
  | {
      readonly mode: "managed";
      readonly ramUser: string;
      readonly maxcomputeRole: string;
      readonly keyGeneration: number;
      readonly keptKeyGenerations: readonly number[];
    }
  | { readonly mode: "accessKey"; readonly from: "config maxcomputeAccessKeyId / maxcomputeAccessKeySecret" };
