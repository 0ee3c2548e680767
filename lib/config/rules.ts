/**
 * Domain rules over the schema-valid config, written as data: each rule has a
 * stable id and returns the problems it finds, every message naming the key
 * path, the value seen and what is allowed.
 */
import { SourceSchema, findTable } from "../source/source-schema";
import { BatchTier, PROJECT, StackConfig } from "./types";
import { closest } from "./suggest";
import { show } from "./problem";

/** The stack-file document, after the schema accepted it. */
export interface RawConfig {
  stage: string;
  source: {
    host: string;
    port?: number;
    database?: string;
    user: string;
    instanceType?: "RDS" | "ECS" | "OTHER" | "EXPRESS" | "CEN" | "DG";
    instanceId?: string;
    region?: string;
    vpcId?: string;
    schemaFile?: string;
    manageAccount?: { adminHost?: string; adminPort?: number; accountHost?: string };
  };
  tables?: { name: string; primaryKey?: string[]; incrementalColumn?: string; tier?: BatchTier; realtime?: boolean }[];
  warehouse: { projectName: string; lifecycleDays?: number; timezone?: string; quota?: string };
  dataworks: { workspaceName?: string; resourceGroup: string; requestedCu?: number; dailyCron?: string; hourlyCron?: string };
  realtime?: {
    enabled?: boolean;
    engine?: "dts" | "sls" | "dataworks-flink" | "canal-datahub";
    dts?: {
      instanceClass?: "micro" | "small" | "medium" | "large" | "xlarge" | "2xlarge";
      paymentType?: "PayAsYouGo" | "Subscription";
      subscriptionMonths?: number;
      peakRecordsPerSecond?: number;
      delayThresholdSeconds?: number;
      alertPhones?: string[];
    };
  };
  tracking?: {
    enabled?: boolean;
    projectName?: string;
    logstore?: string;
    retentionDays?: number;
    shardCount?: number;
    dauFloor?: number;
    [extra: string]: unknown;
  };
  budget?: { monthlyCny?: number };
}

export interface RuleContext {
  readonly raw: RawConfig;
  readonly config: StackConfig;
  /** Undefined when the snapshot could not be read (already reported). */
  readonly schema: SourceSchema | undefined;
}

export interface DomainRule {
  readonly id: string;
  readonly check: (ctx: RuleContext) => string[];
}

const P = PROJECT;
/** Realtime engines that build resources today; the others are planned (README feature table). */
export const IMPLEMENTED_REALTIME_ENGINES = ["dts", "sls"] as const;
const INCREMENTAL_TYPES = /^(datetime|timestamp|date|bigint|int|integer|mediumint)\b/;

function tableKey(i: number, field?: string): string {
  return `${P}:tables[${i}]${field ? `.${field}` : ""}`;
}

export const DOMAIN_RULES: readonly DomainRule[] = [
  {
    id: "tables-unique",
    check: ({ config }) => {
      const seen = new Map<string, number>();
      const out: string[] = [];
      config.tables.forEach((t, i) => {
        const first = seen.get(t.name);
        if (first !== undefined) out.push(`${tableKey(i, "name")}: ${show(t.name)} is listed twice (also tables[${first}]); each table may appear once`);
        else seen.set(t.name, i);
      });
      return out;
    },
  },
  {
    id: "tables-exist-in-source",
    check: ({ config, schema }) => {
      if (!schema) return [];
      const names = schema.tables.map((t) => t.name);
      return config.tables.flatMap((t, i) => {
        if (findTable(schema, t.name)) return [];
        const guess = closest(t.name, names);
        return [
          `${tableKey(i, "name")}: ${show(t.name)} is not a table of source database "${schema.database}" (${config.source.schemaFile}); ${guess ? `did you mean "${guess}"? ` : ""}tables: ${names.join(", ")}`,
        ];
      });
    },
  },
  {
    id: "table-columns-exist",
    check: ({ config, schema }) => {
      if (!schema) return [];
      const out: string[] = [];
      config.tables.forEach((t, i) => {
        const src = findTable(schema, t.name);
        if (!src) return;
        const cols = src.columns.map((c) => c.name);
        t.primaryKey.forEach((k, j) => {
          if (!cols.includes(k)) {
            const guess = closest(k, cols);
            out.push(
              `${tableKey(i, `primaryKey[${j}]`)}: ${show(k)} is not a column of ${t.name}; ${guess ? `did you mean "${guess}"? ` : ""}columns: ${cols.join(", ")}`,
            );
          }
        });
        if (t.incrementalColumn !== undefined) {
          const col = src.columns.find((c) => c.name === t.incrementalColumn);
          if (!col) {
            const guess = closest(t.incrementalColumn, cols);
            out.push(
              `${tableKey(i, "incrementalColumn")}: ${show(t.incrementalColumn)} is not a column of ${t.name}; ${guess ? `did you mean "${guess}"? ` : ""}columns: ${cols.join(", ")}`,
            );
          } else if (!INCREMENTAL_TYPES.test(col.type)) {
            out.push(
              `${tableKey(i, "incrementalColumn")}: ${show(t.incrementalColumn)} is ${col.type}; an incremental column must be a DATETIME, TIMESTAMP, DATE or integer column that grows on insert/update`,
            );
          }
        }
      });
      return out;
    },
  },
  {
    id: "hourly-needs-incremental-column",
    check: ({ config }) =>
      config.tables.flatMap((t, i) =>
        t.tier === "hourly" && t.incrementalColumn === undefined
          ? [
              `${tableKey(i, "incrementalColumn")}: required when ${t.name} is loaded hourly (tier "hourly"): an hourly load reads only the rows changed in the last hour; set incrementalColumn or use tier "daily"`,
            ]
          : [],
      ),
  },
  {
    id: "source-instance-id",
    check: ({ config }) => {
      const s = config.source;
      const out: string[] = [];
      if ((s.instanceType === "RDS" || s.instanceType === "ECS") && s.instanceId === undefined) {
        out.push(
          `${P}:source.instanceId: required when source.instanceType is ${show(s.instanceType)} (the ${s.instanceType === "RDS" ? "RDS instance id, rm-..." : "ECS instance id, i-..."})`,
        );
      }
      if (s.instanceType === "RDS" && s.instanceId !== undefined && !s.instanceId.startsWith("rm-")) {
        out.push(`${P}:source.instanceId: ${show(s.instanceId)} is not an RDS instance id; with instanceType "RDS" it must start with "rm-"`);
      }
      if (s.instanceType === "ECS" && s.instanceId !== undefined && !s.instanceId.startsWith("i-")) {
        out.push(`${P}:source.instanceId: ${show(s.instanceId)} is not an ECS instance id; with instanceType "ECS" it must start with "i-"`);
      }
      if (s.instanceType === "EXPRESS" && s.vpcId === undefined) {
        out.push(`${P}:source.vpcId: required when source.instanceType is "EXPRESS" (the VPC connected to the source over VPN / Express Connect)`);
      }
      return out;
    },
  },
  {
    id: "managed-account-self-managed",
    check: ({ config }) =>
      config.source.manageAccount !== undefined && config.source.instanceType === "RDS"
        ? [
            `${P}:source.manageAccount: set, but source.instanceType is "RDS"; an RDS account is created in the RDS console or with alicloud.rds.Account, not over SQL: remove manageAccount`,
          ]
        : [],
  },
  {
    id: "source-password-set",
    check: ({ config }) =>
      config.secretsSet.includes("sourcePassword")
        ? []
        : [`${P}:sourcePassword: required, not set; the sync account's password: run "pulumi config set --secret sourcePassword <password>"`],
  },
  {
    id: "realtime-engine-implemented",
    check: ({ config }) =>
      config.realtime.enabled && !(IMPLEMENTED_REALTIME_ENGINES as readonly string[]).includes(config.realtime.engine)
        ? [
            `${P}:realtime.engine: ${show(config.realtime.engine)} is not available yet (see README "Realtime engines"); available: ${IMPLEMENTED_REALTIME_ENGINES.map((e) => JSON.stringify(e)).join(", ")}`,
          ]
        : [],
  },
];
