/**
 * MaxCompute ODS tables derived from the source schema, one definition per
 * (table, batch layer), rendered both as MaxCompute DDL (the `sql/maxcompute`
 * files, `npm run ddl`) and as the ROS template the warehouse deploys, so the
 * two can never disagree. Pure: no Pulumi.
 *
 * Naming: `ods_<table>_d` (daily, partition `ds`), `ods_<table>_h` (hourly,
 * partitions `ds`, `hh`). Every source column is kept, in order, with its
 * comment; types come from `lib/type-mapping.ts`.
 */
import { createHash } from "crypto";
import { mapMySqlType, TypeMapping } from "./type-mapping";
import { findTable, SourceTable } from "../config/source-schema";
import { BatchTier, StackConfig } from "../config/types";

export interface MaxComputeColumn {
  readonly name: string;
  /** MaxCompute type, e.g. `BIGINT`. */
  readonly type: string;
  readonly comment: string;
}

export interface MaxComputeTable {
  readonly name: string;
  readonly comment: string;
  readonly columns: readonly MaxComputeColumn[];
  readonly partitions: readonly MaxComputeColumn[];
  /** Days a partition is kept. */
  readonly lifecycleDays: number;
  /** Source table it is loaded from. */
  readonly sourceTable: string;
  readonly layer: BatchTier;
  /** How each source column was mapped (for `npm run ddl` and the preflight). */
  readonly mappings: readonly { column: string; sourceType: string; mapping: TypeMapping }[];
  /**
   * The table ledger's `generation` when above 1 (a definition re-based by hand after a change
   * MaxCompute could not apply in place): the ROS logical id gets a `G<n>` suffix, so ROS lets
   * the old resource go (`DeletionPolicy: Retain`) and adopts the table again (`IfNotExists`).
   */
  readonly rosGeneration?: number;
}

/** Partition columns per batch layer. */
export const LAYER_PARTITIONS: Readonly<Record<BatchTier, readonly MaxComputeColumn[]>> = {
  daily: [{ name: "ds", type: "STRING", comment: "business date, yyyymmdd (DataWorks ${bizdate})" }],
  hourly: [
    { name: "ds", type: "STRING", comment: "business date, yyyymmdd" },
    { name: "hh", type: "STRING", comment: "hour of day, 00-23" },
  ],
};

export const LAYER_SUFFIX: Readonly<Record<BatchTier, string>> = { daily: "d", hourly: "h" };

/** `ods_<table>_d` / `ods_<table>_h`. */
export function odsTableName(table: string, layer: BatchTier): string {
  return `ods_${table.toLowerCase()}_${LAYER_SUFFIX[layer]}`;
}

/** The ODS table of `source` in `layer`. */
export function odsTable(source: SourceTable, layer: BatchTier, lifecycleDays: number): MaxComputeTable {
  const mappings = source.columns.map((c) => ({ column: c.name, sourceType: c.type, mapping: mapMySqlType(c.type) }));
  return {
    name: odsTableName(source.name, layer),
    comment: `${source.comment || source.name} (ODS, ${layer} load of ${source.name})`,
    columns: source.columns.map((c, i) => ({ name: c.name.toLowerCase(), type: mappings[i].mapping.maxComputeType, comment: c.comment })),
    partitions: LAYER_PARTITIONS[layer],
    lifecycleDays,
    sourceTable: source.name,
    layer,
    mappings,
  };
}

/**
 * The desired ODS tables of a stack, per layer, from its config and schema snapshot: every
 * table daily, the tables with an hourly table hourly. Throws naming a table missing from
 * the snapshot (config validation already refuses one).
 */
export function odsLayerTables(config: StackConfig): Record<BatchTier, MaxComputeTable[]> {
  const source = (name: string): SourceTable => {
    const found = findTable(config.sourceSchema, name);
    if (!found) throw new Error(`table ${name} is not in the source schema snapshot ${config.source.schemaFile}`);
    return found;
  };
  const days = config.warehouse.lifecycleDays;
  return {
    daily: config.tables.map((t) => odsTable(source(t.name), "daily", days)),
    hourly: config.tables.filter((t) => t.hourlyTable).map((t) => odsTable(source(t.name), "hourly", days)),
  };
}

/** A MaxCompute string literal: `'...'` with `\` and `'` escaped by a backslash (MaxCompute's string escapes). The one MaxCompute string quoting. */
export function mcString(text: string): string {
  return `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/**
 * A MaxCompute identifier in back quotes. MaxCompute documents no escape for a back quote inside
 * one, so a name holding one is refused here (config and schema checks refuse such names first).
 */
export function mcIdent(name: string): string {
  if (name.includes("`")) throw new Error(`MaxCompute identifier ${JSON.stringify(name)} contains a back quote (\`), which MaxCompute SQL cannot quote`);
  return `\`${name}\``;
}

/** One column of a MaxCompute column list: `` `name` TYPE COMMENT '...' ``. */
export function columnLine(c: MaxComputeColumn): string {
  return `${mcIdent(c.name)} ${c.type}${c.comment ? ` COMMENT ${mcString(c.comment)}` : ""}`;
}

/** MaxCompute `CREATE TABLE IF NOT EXISTS` text of one table. */
export function renderCreateTable(t: MaxComputeTable): string {
  const cols = t.columns.map((c) => `  ${columnLine(c)}`).join(",\n");
  const parts = t.partitions.map(columnLine).join(", ");
  return (
    `CREATE TABLE IF NOT EXISTS \`${t.name}\` (\n${cols}\n)\n` +
    `COMMENT ${mcString(t.comment)}\n` +
    (parts ? `PARTITIONED BY (${parts})\n` : "") +
    `LIFECYCLE ${t.lifecycleDays};\n`
  );
}

/** A DDL file for a layer: header + every table, in the given order. */
export function renderLayerDdl(layer: BatchTier, tables: readonly MaxComputeTable[], header: string): string {
  return (
    `-- ${header}\n-- Layer: ${layer}. Generated by lib/warehouse-tables.ts (npm run ddl); do not edit by hand.\n\n` + tables.map(renderCreateTable).join("\n")
  );
}

/** ROS logical id of a table: `OdsUsersD`. */
export function rosLogicalId(tableName: string): string {
  return tableName
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join("");
}

/**
 * The template parameter that carries `templateDigest` of the template body. The alicloud
 * provider sends `templateBody` in UpdateStack only when `disableRollback`, `parameters`,
 * `ramRoleName`, `stackPolicyBody` or `timeoutInMinutes` changes too; a template-only change is
 * silently dropped (aliyun/terraform-provider-alicloud alicloud/resource_alicloud_ros_stack.go,
 * `resourceAlicloudRosStackUpdate`, commit 30c7bd7eae4ac373ab282861a3efe97bdadd9d0a). With the
 * digest in `parameters`, every template change changes `parameters` and reaches UpdateStack.
 * Read keeps every parameter whose key does not start with `ALIYUN::`, so the stack passes it
 * explicitly (it is the only parameter the template declares) and it round-trips without drift.
 */
export const ROS_DIGEST_PARAMETER = "TemplateDigest";

/** sha256 (hex) of a template body: the value of ROS_DIGEST_PARAMETER. */
export function templateDigest(templateBody: string): string {
  return createHash("sha256").update(templateBody).digest("hex");
}

/**
 * ROS template (JSON text) creating `tables` in MaxCompute project `project`
 * with `ALIYUN::MaxCompute::Table`. Every table has `DeletionPolicy: Retain`, so
 * a table removed from the template (table list or tier changed) stays in
 * MaxCompute with its data; `IfNotExists` adopts a table that already exists.
 *
 * `tables` must carry each table's CREATION-time definition (lib/maxcompute/table-ledger.ts
 * `ResolvedOdsTable.ros`): a table's resource never changes once the stack created it, since ROS
 * cannot update one in place and replacement is disabled. The template declares
 * ROS_DIGEST_PARAMETER and echoes it as an output (so the ROS console shows which template a
 * stack runs, and the parameter is used).
 */
export function rosTablesTemplate(project: string, tables: readonly MaxComputeTable[], description: string): string {
  const resources: Record<string, unknown> = {};
  for (const t of tables) {
    resources[rosLogicalId(t.name) + (t.rosGeneration && t.rosGeneration > 1 ? `G${t.rosGeneration}` : "")] = {
      Type: "ALIYUN::MaxCompute::Table",
      DeletionPolicy: "Retain",
      Properties: {
        Project: project,
        Name: t.name,
        Comment: t.comment,
        IfNotExists: true,
        Lifecycle: t.lifecycleDays,
        Schema: {
          Columns: t.columns.map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
          Partitions: t.partitions.map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
        },
      },
    };
  }
  // Compact JSON: ROS takes at most ROS_TEMPLATE_MAX_BYTES per template.
  return JSON.stringify({
    ROSTemplateFormatVersion: "2015-09-01",
    Description: description,
    Parameters: {
      [ROS_DIGEST_PARAMETER]: { Type: "String", Description: "sha256 of this template (set by photo-analytics so that template changes reach UpdateStack)" },
    },
    Resources: resources,
    Outputs: { [ROS_DIGEST_PARAMETER]: { Value: { Ref: ROS_DIGEST_PARAMETER } } },
  });
}

/** ROS limits (CreateStack / "Limits" pages): bytes per template body, resources per stack. */
export const ROS_TEMPLATE_MAX_BYTES = 524_288;
export const ROS_STACK_MAX_RESOURCES = 200;
/** Tables per ROS stack the bucketing aims at (well under the 200-resource limit). */
export const ROS_TABLES_PER_STACK = 100;

/** FNV-1a, 32 bits: a stable bucket for a table name, the same on every machine and run. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Splits a layer's tables into ROS stacks: one stack up to ROS_TABLES_PER_STACK tables, then a
 * power of two of stacks, each table in the bucket its name hashes to. A table keeps its bucket
 * while the count stays; when the count doubles, a table either stays or moves to one new bucket,
 * which is safe: the old stack lets it go (`DeletionPolicy: Retain`), the new one adopts it
 * (`IfNotExists`). Buckets keep the tables' order; empty buckets are kept (their stacks stay).
 */
export function rosTableBuckets(tables: readonly MaxComputeTable[], perStack: number = ROS_TABLES_PER_STACK): MaxComputeTable[][] {
  let count = 1;
  while (tables.length > count * perStack) count *= 2;
  const buckets: MaxComputeTable[][] = Array.from({ length: count }, () => []);
  for (const t of tables) buckets[count === 1 ? 0 : fnv1a(t.name) % count].push(t);
  return buckets;
}
