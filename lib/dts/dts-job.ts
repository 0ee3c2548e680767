/**
 * The pure parts of the DTS synchronization job: `dbList`, `reserve` and the
 * source endpoint fields, derived from the config. Pure: no Pulumi imports;
 * secrets (source password, AccessKey pair) are added by the component.
 *
 * Formats checked against DTS "Description of the objects to migrate,
 * synchronize or subscribe" (doc 209545), "Reserve parameter" (doc 273111) and
 * the `alicloud.dts.SynchronizationJob` arguments in @pulumi/alicloud 3.108.
 */
import { SourceConfig, SourceInstanceType, TableConfig } from "../config/types";

/**
 * The DTS job's name: `<MaxCompute project, _ as ->-realtime` (`photo-analytics-prod-realtime`).
 * DTS looks jobs up by name (DescribeDtsJobs `Type=name`, as `npm run verify` does) within a
 * region of an account, so each stack's job needs its own; the destination project is the stack's
 * own and globally unique (MaxCompute project names are), and the ROS stacks of the warehouse are
 * named from it the same way. Updated in place when it changes (`dtsJobName` is in the provider's
 * Update: lib/plan/provider-behaviour.json), so renaming never replaces the job.
 */
export function dtsJobName(maxcomputeProject: string): string {
  return `${maxcomputeProject.replace(/_/g, "-")}-realtime`;
}

/** One table entry of a dbList: `name` is the table's name in the destination. */
export interface DbListTable {
  readonly name: string;
  readonly all: true;
}

/** A dbList document: source database -> {name, all, Table}. */
export type DbList = Record<string, { readonly name: string; readonly all: false; readonly Table: Record<string, DbListTable> }>;

/**
 * The dbList for `tables` of `database`: whole tables (`all: true`), same name in
 * MaxCompute (DTS appends `_base` / `_log` itself), the database itself not
 * synced whole (`all: false`) so new source tables are not picked up silently.
 * Tables are sorted by name so the JSON text depends only on the set: adding a
 * table to the realtime set changes only `dbList`, which the provider updates in
 * place (`ModifyDtsJob`), never replacing the job.
 */
export function buildDbList(database: string, tables: readonly string[]): DbList {
  if (tables.length === 0) throw new Error(`dbList for database "${database}": no tables; the realtime layer needs at least one table with realtime: true`);
  const dup = tables.find((t, i) => tables.indexOf(t) !== i);
  if (dup !== undefined) throw new Error(`dbList for database "${database}": table "${dup}" is listed twice`);
  const sorted = [...tables].sort();
  const Table: Record<string, DbListTable> = {};
  for (const t of sorted) Table[t] = { name: t, all: true };
  return { [database]: { name: database, all: false, Table } };
}

/** `dbList` as the JSON text the job takes. */
export function dbListJson(database: string, tables: readonly string[]): string {
  return JSON.stringify(buildDbList(database, tables));
}

/**
 * What DTS does when a destination table already exists (Reserve `targetTableMode`, doc 273111):
 * "0" fails the precheck, "2" ignores and continues. The stack uses "0". A new job always writes a
 * new full baseline; into an existing `<table>_base` that baseline would sit beside the old one, and
 * a row deleted while no job ran has no DELETE in any log, so the merge would bring it back
 * (docs/realtime-dts.md, "Switching realtime off and on"). With "0" a new job over the old
 * tables fails its precheck instead; `sql/maxcompute/realtime/reenable.sql` first renames the old
 * `_base` / `_log` / `_compacted` tables aside (it never drops one), then `pulumi up` again.
 */
export const TARGET_TABLE_MODE = "0";

/**
 * The naming rule of the additional columns DTS adds to `<table>_log` (doc "Modify the naming
 * rules for additional columns": legacy `record_id` ... `modifytime_minute`, or the `new_dts_sync_`
 * prefix). It is a per-task console option; no Reserve key that selects it is documented (doc
 * 273111 lists none), so `reserve` does not name it and the task keeps the legacy names DTS uses
 * when the option is not chosen. The generated SQL reads the legacy names, and fails to compile
 * (unknown column `record_id`) rather than read wrong data if a task was created with the new rule.
 */
export const ATTACHED_COLUMN_NAMING = "legacy" as const;

/**
 * The job's `reserve` JSON text. Write-once: the provider has no update for `reserve` and never
 * reads it back (resource_alicloud_dts_synchronization_job.go @ 02fad2a78560a09e2a21bbc369e9eba3519aed14,
 * and `reserve` is in its tests' ImportStateVerifyIgnore), so a changed text updates the state and
 * calls no API: it reaches only jobs created after the change. It matters only at a job's
 * precheck; the job of a stack deployed with "2" keeps it harmlessly (its precheck is past).
 */
export function reserveJson(): string {
  return JSON.stringify({ targetTableMode: TARGET_TABLE_MODE });
}

/** Source endpoint arguments of the job, without the password. Undefined fields are left off. */
export interface SourceEndpointArgs {
  readonly sourceEndpointEngineName: "MySQL";
  readonly sourceEndpointInstanceType: SourceInstanceType;
  readonly sourceEndpointRegion: string;
  readonly sourceEndpointUserName: string;
  readonly sourceEndpointInstanceId?: string;
  readonly sourceEndpointIp?: string;
  readonly sourceEndpointPort?: string;
}

/**
 * How each access method addresses the source (job argument docs): RDS by
 * instance id; ECS by ECS instance id + port; OTHER (public IP) by IP + port;
 * EXPRESS (VPN / Express Connect) and CEN by IP + port + the VPC id connected to
 * the source; DG (database gateway) by IP + port + gateway id.
 */
const NEEDS: Readonly<Record<SourceInstanceType, { id?: "instanceId" | "vpcId"; ip: boolean; port: boolean }>> = {
  RDS: { id: "instanceId", ip: false, port: false },
  ECS: { id: "instanceId", ip: false, port: true },
  OTHER: { ip: true, port: true },
  EXPRESS: { id: "vpcId", ip: true, port: true },
  CEN: { id: "vpcId", ip: true, port: true },
  DG: { id: "instanceId", ip: true, port: true },
};

/** The config key each access method needs for `sourceEndpointInstanceId`, if any. */
export function sourceIdKey(instanceType: SourceInstanceType): "instanceId" | "vpcId" | undefined {
  return NEEDS[instanceType].id;
}

/** Source endpoint arguments for `source`. Throws naming the key when a required id is missing. */
export function sourceEndpoint(source: SourceConfig): SourceEndpointArgs {
  const need = NEEDS[source.instanceType];
  const id = need.id ? source[need.id] : undefined;
  if (need.id && !id) {
    throw new Error(`photo-analytics:source.${need.id} is required when source.instanceType is "${source.instanceType}" (DTS sourceEndpointInstanceId)`);
  }
  return {
    sourceEndpointEngineName: "MySQL",
    sourceEndpointInstanceType: source.instanceType,
    sourceEndpointRegion: source.region,
    sourceEndpointUserName: source.user,
    ...(id ? { sourceEndpointInstanceId: id } : {}),
    ...(need.ip ? { sourceEndpointIp: source.host } : {}),
    ...(need.port ? { sourceEndpointPort: String(source.port) } : {}),
  };
}

/** The realtime tables of a resolved table list, in config order. */
export function realtimeTables(tables: readonly TableConfig[]): TableConfig[] {
  return tables.filter((t) => t.realtime);
}
