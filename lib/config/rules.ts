/**
 * Domain rules over the schema-valid config, written as data: each rule has a
 * stable id and returns the problems it finds, every message naming the key
 * path, the value seen and what is allowed.
 */
import { SourceSchema, findTable } from "./source-schema";
import { PROJECT, StackConfig } from "./types";
import { closest } from "./suggest";
import { Problem, Rule, runRules, show } from "./problem";
import type { RawConfig } from "./raw-config";
import { parseQuartzCron, QUARTZ_CRON_SHAPE } from "./cron";

export type { RawConfig };

export interface RuleContext {
  readonly raw: RawConfig;
  readonly config: StackConfig;
  /** Undefined when the snapshot could not be read (already reported). */
  readonly schema: SourceSchema | undefined;
}

/** A config rule: the one rule shape over the raw and resolved config. */
export type DomainRule = Rule<RuleContext>;

/** A problem at `key` whose message is `message`. */
function at(key: string, message: string, value?: unknown, allowed?: string): Problem {
  return { key, value, allowed, message };
}

const P = PROJECT;
/** Realtime engines that build resources today; the others are planned (README feature table). */
export const IMPLEMENTED_REALTIME_ENGINES = ["dts", "sls", "dataworks-flink", "canal-datahub"] as const;
const INCREMENTAL_TYPES = /^(datetime|timestamp|date|bigint|int|integer|mediumint)\b/;

function tableKey(i: number, field?: string): string {
  return `${P}:tables[${i}]${field ? `.${field}` : ""}`;
}

export const DOMAIN_RULES: readonly DomainRule[] = [
  {
    id: "tables-unique",
    check: ({ config }) => {
      const seen = new Map<string, number>();
      const out: Problem[] = [];
      config.tables.forEach((t, i) => {
        const first = seen.get(t.name);
        if (first !== undefined)
          out.push(
            at(
              tableKey(i, "name"),
              `${tableKey(i, "name")}: ${show(t.name)} is listed twice (also tables[${first}]); each table may appear once`,
              t.name,
              "each table once",
            ),
          );
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
          at(
            tableKey(i, "name"),
            `${tableKey(i, "name")}: ${show(t.name)} is not a table of source database "${schema.database}" (${config.source.schemaFile}); ${guess ? `did you mean "${guess}"? ` : ""}tables: ${names.join(", ")}`,
            t.name,
            `tables: ${names.join(", ")}`,
          ),
        ];
      });
    },
  },
  {
    id: "table-columns-exist",
    check: ({ config, schema }) => {
      if (!schema) return [];
      const out: Problem[] = [];
      config.tables.forEach((t, i) => {
        const src = findTable(schema, t.name);
        if (!src) return;
        const cols = src.columns.map((c) => c.name);
        t.primaryKey.forEach((k, j) => {
          if (!cols.includes(k)) {
            const guess = closest(k, cols);
            out.push(
              at(
                tableKey(i, `primaryKey[${j}]`),
                `${tableKey(i, `primaryKey[${j}]`)}: ${show(k)} is not a column of ${t.name}; ${guess ? `did you mean "${guess}"? ` : ""}columns: ${cols.join(", ")}`,
                k,
                `columns: ${cols.join(", ")}`,
              ),
            );
          }
        });
        if (t.incrementalColumn !== undefined) {
          const col = src.columns.find((c) => c.name === t.incrementalColumn);
          if (!col) {
            const guess = closest(t.incrementalColumn, cols);
            out.push(
              at(
                tableKey(i, "incrementalColumn"),
                `${tableKey(i, "incrementalColumn")}: ${show(t.incrementalColumn)} is not a column of ${t.name}; ${guess ? `did you mean "${guess}"? ` : ""}columns: ${cols.join(", ")}`,
                t.incrementalColumn,
                `columns: ${cols.join(", ")}`,
              ),
            );
          } else if (!INCREMENTAL_TYPES.test(col.type)) {
            out.push(
              at(
                tableKey(i, "incrementalColumn"),
                `${tableKey(i, "incrementalColumn")}: ${show(t.incrementalColumn)} is ${col.type}; an incremental column must be a DATETIME, TIMESTAMP, DATE or integer column that grows on insert/update`,
                t.incrementalColumn,
                "a DATETIME, TIMESTAMP, DATE or integer column",
              ),
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
              at(
                tableKey(i, "incrementalColumn"),
                `${tableKey(i, "incrementalColumn")}: required when ${t.name} is loaded hourly (tier "hourly"): an hourly load reads only the rows changed in the last hour; set incrementalColumn or use tier "daily"`,
                undefined,
                "a column that grows on insert/update",
              ),
            ]
          : [],
      ),
  },
  {
    id: "source-instance-id",
    check: ({ config }) => {
      const s = config.source;
      const out: Problem[] = [];
      const id = `${P}:source.instanceId`;
      if ((s.instanceType === "RDS" || s.instanceType === "ECS") && s.instanceId === undefined) {
        const what = s.instanceType === "RDS" ? "RDS instance id, rm-..." : "ECS instance id, i-...";
        out.push(at(id, `${id}: required when source.instanceType is ${show(s.instanceType)} (the ${what})`, undefined, `the ${what}`));
      }
      if (s.instanceType === "RDS" && s.instanceId !== undefined && !s.instanceId.startsWith("rm-")) {
        out.push(at(id, `${id}: ${show(s.instanceId)} is not an RDS instance id; with instanceType "RDS" it must start with "rm-"`, s.instanceId, "rm-..."));
      }
      if (s.instanceType === "ECS" && s.instanceId !== undefined && !s.instanceId.startsWith("i-")) {
        out.push(at(id, `${id}: ${show(s.instanceId)} is not an ECS instance id; with instanceType "ECS" it must start with "i-"`, s.instanceId, "i-..."));
      }
      if (s.instanceType === "EXPRESS" && s.vpcId === undefined) {
        out.push(
          at(
            `${P}:source.vpcId`,
            `${P}:source.vpcId: required when source.instanceType is "EXPRESS" (the VPC connected to the source over VPN / Express Connect)`,
            undefined,
            "a VPC id (vpc-...)",
          ),
        );
      }
      return out;
    },
  },
  {
    id: "managed-account-self-managed",
    check: ({ config }) =>
      config.source.manageAccount !== undefined && config.source.instanceType === "RDS"
        ? [
            at(
              `${P}:source.manageAccount`,
              `${P}:source.manageAccount: set, but source.instanceType is "RDS"; an RDS account is created in the RDS console or with alicloud.rds.Account, not over SQL: remove manageAccount`,
              undefined,
              "unset with instanceType RDS",
            ),
          ]
        : [],
  },
  {
    id: "source-password-set",
    check: ({ config }) =>
      config.secretsSet.includes("sourcePassword")
        ? []
        : [
            at(
              `${P}:sourcePassword`,
              `${P}:sourcePassword: required, not set; the sync account's password: run "pulumi config set --secret sourcePassword <password>"`,
              undefined,
              "a secret",
            ),
          ],
  },
  {
    id: "realtime-engine-implemented",
    check: ({ config }) =>
      config.realtime.enabled && !(IMPLEMENTED_REALTIME_ENGINES as readonly string[]).includes(config.realtime.engine)
        ? [
            at(
              `${P}:realtime.engine`,
              `${P}:realtime.engine: ${show(config.realtime.engine)} is not available yet (see README "Realtime engines"); available: ${IMPLEMENTED_REALTIME_ENGINES.map((e) => JSON.stringify(e)).join(", ")}`,
              config.realtime.engine,
              IMPLEMENTED_REALTIME_ENGINES.join(", "),
            ),
          ]
        : [],
  },
  {
    id: "dataworks-crons",
    // The one Quartz cron parser decides: the layers order their nodes after these loads.
    check: ({ config }) =>
      (
        [
          ["dailyCron", "daily"],
          ["hourlyCron", "hourly"],
        ] as const
      ).flatMap(([k, kind]) => {
        const cron = config.dataworks[k];
        const c = parseQuartzCron(cron);
        if (c && c.kind === kind) return [];
        const allowed = `${kind === "hourly" ? "an" : "a"} ${kind} Quartz cron ${QUARTZ_CRON_SHAPE[kind]}`;
        return [at(`${P}:dataworks.${k}`, `${P}:dataworks.${k}: ${show(cron)} is not allowed; expected ${allowed}`, cron, allowed)];
      }),
  },
];

/**
 * Every rule set over a resolved config, run the same way: the config rules above, the
 * realtime rules (lib/dts/realtime-rules.ts, lib/flink/flink-rules.ts) and the tracking rules (lib/sls/tracking-config.ts).
 */
export function checkConfigRules(ctx: RuleContext): Problem[] {
  return [...runRules(DOMAIN_RULES, ctx)];
}
