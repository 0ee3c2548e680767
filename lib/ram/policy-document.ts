/**
 * RAM policy documents as data: the statements the stack grants, each action cited from
 * the product's RAM authorization page (`products.ts`), rendered to the JSON RAM takes,
 * and checked for least privilege. Pure.
 *
 * Least privilege, as the policy pack and the tests check it (`policyProblems`):
 * - no statement allows a wildcard action (`*`, `<service>:*`, `<service>:Get*`) on `*`;
 * - every statement of a product that RAM authorizes per resource (granularity RESOURCE)
 *   names resources inside the stack's scope (its MaxCompute project, SLS project or
 *   logstore, DTS instances of its region, its ROS stacks);
 * - a product that RAM authorizes per operation only (granularity OPERATION, e.g. DataWorks)
 *   must use `Resource: "*"` (RAM ignores anything else), so its statements must list
 *   explicit actions, never a wildcard.
 */
import { PRODUCT_AUTH, RamCode } from "./products";

/** One statement. `Action` and `Resource` are always lists here (RAM accepts both forms). */
export interface PolicyStatement {
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** A RAM policy document (`Version` is always "1"). */
export interface PolicyDocument {
  readonly Version: "1";
  readonly Statement: readonly PolicyStatement[];
}

/** MaxCompute's policy resource of a project (`acs:odps:*:projects/<p>`) and of its tables. */
export const maxcomputeProjectResource = (project: string): string => `acs:odps:*:projects/${project}`;
export const maxcomputeTableResource = (project: string, table: string): string => `${maxcomputeProjectResource(project)}/tables/${table}`;

/** The JSON text RAM takes: stable key order, no whitespace. */
export function renderPolicy(doc: PolicyDocument): string {
  return JSON.stringify({
    Version: doc.Version,
    Statement: doc.Statement.map((s) => ({
      Effect: s.Effect,
      Action: [...s.Action],
      Resource: [...s.Resource],
      ...(s.Condition ? { Condition: s.Condition } : {}),
    })),
  });
}

/** What a stack may touch: ARN prefixes (`acs:log:cn-shanghai:*:project/p`), each also matched with `/...` below it. */
export interface PolicyScope {
  readonly resourcePrefixes: readonly string[];
}

/** One least-privilege problem: the statement (0-based), what is wrong and what is allowed. */
export interface PolicyProblem {
  readonly statement: number;
  readonly message: string;
}

const serviceOf = (action: string): string => action.split(":")[0];
/** `*`, `log:*`, `log:Get*`: any action pattern with a wildcard. */
const isWildcardAction = (action: string): boolean => action.includes("*");

/** Whether `resource` is the scope prefix itself or lies below it. */
function inScope(resource: string, scope: PolicyScope): boolean {
  return scope.resourcePrefixes.some((p) => resource === p || resource.startsWith(`${p}/`) || (p.endsWith("/*") && resource.startsWith(p.slice(0, -1))));
}

/** Every least-privilege problem of `doc` against `scope` (empty when compliant). */
export function policyProblems(doc: PolicyDocument, scope: PolicyScope): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  doc.Statement.forEach((s, i) => {
    if (s.Effect !== "Allow") return;
    const anyResource = s.Resource.includes("*");
    for (const a of s.Action) {
      if (anyResource && isWildcardAction(a)) {
        out.push({
          statement: i,
          message: `Action "${a}" on Resource "*": a wildcard action on every resource is never allowed; list the actions and scope the resources`,
        });
      }
      const auth = PRODUCT_AUTH[serviceOf(a) as RamCode];
      if (!auth) {
        out.push({
          statement: i,
          message: `Action "${a}": service "${serviceOf(a)}" has no row in lib/ram/products.ts (its RAM authorization page); allowed services: ${Object.keys(PRODUCT_AUTH).join(", ")}`,
        });
        continue;
      }
      if (auth.granularity === "OPERATION" && isWildcardAction(a)) {
        out.push({
          statement: i,
          message: `Action "${a}": ${auth.product} authorizes per operation only (Resource must be "*"), so its actions must be listed one by one`,
        });
      }
    }
    const resourceLevel = s.Action.some((a) => PRODUCT_AUTH[serviceOf(a) as RamCode]?.granularity === "RESOURCE");
    if (!resourceLevel) return;
    for (const r of s.Resource) {
      if (!inScope(r, scope)) {
        out.push({
          statement: i,
          message: `Resource "${r}" is outside the stack's scope; allowed: ${scope.resourcePrefixes.join(", ")} (and what lies below them)`,
        });
      }
    }
  });
  return out;
}
