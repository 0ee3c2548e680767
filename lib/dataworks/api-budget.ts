/**
 * DataWorks OpenAPI call budget: how many calls each resource the stack
 * manages costs per operation, and which DataWorks edition a stage's `up`,
 * `refresh` and re-run fit in. Pure data (the figures are measured against the
 * local fake of the API by tests/dataworks-api-budget.test.ts, which fails
 * when a provider starts calling more).
 *
 * Limits ("使用OpenAPI", https://help.aliyun.com/zh/dataworks/developer-reference/api):
 * Basic Edition: at most 100 calls a day, 3,100 free a month, no pay-as-you-go
 * (failed calls count too); Standard 100,000 / Professional 500,000 /
 * Enterprise 1,000,000 free calls a month, no daily cap, then ¥0.3 per 10,000.
 * Counted per Alibaba Cloud account and region: the Terraform provider's own
 * calls (DataSource, DiJob, Project reads) count as well.
 */

/** DataWorks editions, cheapest first. */
export const DATAWORKS_EDITIONS = ["Basic", "Standard", "Professional", "Enterprise"] as const;
export type DataWorksEdition = (typeof DATAWORKS_EDITIONS)[number];

/** OpenAPI allowance of an edition. */
export interface OpenApiAllowance {
  /** Calls a day; `undefined` when there is no daily cap. */
  readonly callsPerDay?: number;
  readonly freeCallsPerMonth: number;
  /** Calls beyond the free ones are billed (¥0.3 per 10,000); Basic refuses them instead. */
  readonly payAsYouGo: boolean;
}

export const OPENAPI_ALLOWANCE: Readonly<Record<DataWorksEdition, OpenApiAllowance>> = {
  Basic: { callsPerDay: 100, freeCallsPerMonth: 3_100, payAsYouGo: false },
  Standard: { freeCallsPerMonth: 100_000, payAsYouGo: true },
  Professional: { freeCallsPerMonth: 500_000, payAsYouGo: true },
  Enterprise: { freeCallsPerMonth: 1_000_000, payAsYouGo: true },
};

/** Resource types whose calls are counted. */
export const BUDGETED_TYPES = [
  "DataWorksNode",
  "DataWorksWorkflow",
  "DiJobRun",
  "ComputeResource",
  "ResourceGroupAssociation",
  "dataworks.DiJob",
  "dataworks.DataSource",
  "dataworks.Project",
  "NodeAlertRule",
  "dataworks.DiAlarmRule",
] as const;
export type BudgetedType = (typeof BUDGETED_TYPES)[number];

/**
 * The types whose calls the stack makes itself (dynamic providers): what the fake DataWorks counts
 * when the whole plan is created through them (tests/dataworks-api-budget.test.ts). The others are
 * the alicloud provider's, counted from its source.
 */
export const STACK_TYPES: readonly BudgetedType[] = [
  "DataWorksNode",
  "DataWorksWorkflow",
  "DiJobRun",
  "ComputeResource",
  "ResourceGroupAssociation",
  "NodeAlertRule",
];

/** Operations a resource goes through. `diff` is what an unchanged resource costs on a re-run. */
export type BudgetOperation = "create" | "update" | "delete" | "read" | "diff";

/**
 * Calls per resource and operation. Dynamic resources: measured against the
 * fake. A deployment process is created in RunMode Auto until the production
 * stage (providers/dataworks/pipeline.ts) and read back until it ends: 4
 * GetPipelineRun for a deploy, 3 for an undeploy, when each read finds the
 * next stage done; a slow real deployment costs a few reads more (the pauses
 * between them doubling from 5 s to 60 s), and a live process that does not run
 * its stages by itself costs one read and one ExecPipelineRunStage more per
 * stage (the Normal-mode figures: deploy + 4, undeploy + 2). Provider
 * resources: from terraform-provider-alicloud (Create and Update end with the
 * resource's Read; one Get* per Read):
 * resource_alicloud_data_works_di_job.go @30c7bd7, resource_alicloud_data_works_data_source.go @579f232.
 */
export const CALLS: Readonly<Record<BudgetedType, Readonly<Record<BudgetOperation, number>>>> = {
  // CreateNode + CreatePipelineRun + 4 GetPipelineRun (stacks from before workflows)
  DataWorksNode: { create: 6, update: 6, delete: 5, read: 1, diff: 0 },
  // A whole layer: ImportWorkflowDefinition + GetJobStatus + one deployment (CreatePipelineRun + 4
  // GetPipelineRun) + ListNodes (every inner node's TaskId), whatever the number of inner nodes;
  // read: GetWorkflowDefinition; delete: the offline process (CreatePipelineRun + 3 GetPipelineRun)
  // + DeleteWorkflowDefinition.
  DataWorksWorkflow: { create: 8, update: 8, delete: 5, read: 1, diff: 0 },
  // StartDIJob; update of a changed running job: StopDIJob + GetDIJob (Stopped) + StartDIJob; delete: StopDIJob + GetDIJob
  DiJobRun: { create: 1, update: 3, delete: 2, read: 1, diff: 0 },
  ComputeResource: { create: 1, update: 1, delete: 1, read: 1, diff: 0 },
  ResourceGroupAssociation: { create: 1, update: 0, delete: 1, read: 1, diff: 0 },
  "dataworks.DiJob": { create: 2, update: 2, delete: 1, read: 1, diff: 0 },
  "dataworks.DataSource": { create: 2, update: 2, delete: 1, read: 1, diff: 0 },
  "dataworks.Project": { create: 2, update: 2, delete: 1, read: 1, diff: 0 },
  // CreateAlertRule (the owner comes with the layer's task ids: no GetNode); UpdateAlertRule; DeleteAlertRule; GetAlertRule.
  NodeAlertRule: { create: 1, update: 1, delete: 1, read: 1, diff: 0 },
  // CreateDIAlarmRule + its Read (GetDIAlarmRule); resource_alicloud_data_works_di_alarm_rule.go @579f232f.
  "dataworks.DiAlarmRule": { create: 2, update: 2, delete: 1, read: 1, diff: 0 },
};

/** How many resources of each type a stack has (or an operation touches). */
export type Inventory = Partial<Readonly<Record<BudgetedType, number>>>;

/** Calls an operation costs over an inventory. */
export function apiCalls(inventory: Inventory, op: BudgetOperation): number {
  return (Object.keys(inventory) as BudgetedType[]).reduce((sum, t) => sum + (inventory[t] ?? 0) * CALLS[t][op], 0);
}

/** Calls an operation costs over the part of an inventory the stack's own providers call (what the fake counts). */
export function stackApiCalls(inventory: Inventory, op: BudgetOperation): number {
  return apiCalls(Object.fromEntries(Object.entries(inventory).filter(([t]) => STACK_TYPES.includes(t as BudgetedType))) as Inventory, op);
}

/** The DataWorks resources of a stage: the workspace's fixed ones plus its workflows (or nodes), DI jobs and alert rules. */
export function stageInventory(o: {
  nodes?: number;
  workflows?: number;
  diJobs: number;
  resourceGroupBound: boolean;
  nodeAlertRules?: number;
  diAlarmRules?: number;
}): Inventory {
  return {
    "dataworks.Project": 1,
    "dataworks.DataSource": 2,
    ComputeResource: 1,
    ResourceGroupAssociation: o.resourceGroupBound ? 1 : 0,
    "dataworks.DiJob": o.diJobs,
    DiJobRun: o.diJobs,
    DataWorksNode: o.nodes ?? 0,
    DataWorksWorkflow: o.workflows ?? 0,
    NodeAlertRule: o.nodeAlertRules ?? 0,
    "dataworks.DiAlarmRule": o.diAlarmRules ?? 0,
  };
}

/** The calls of the three operations a team runs, for a stage. */
export interface StageCalls {
  /** First `up` (everything created). */
  readonly firstUp: number;
  /** `pulumi refresh` (or `up --refresh`): one read per resource. */
  readonly refresh: number;
  /** A second `up` with nothing changed: diffs are computed locally. */
  readonly rerun: number;
}

export function stageCalls(inventory: Inventory): StageCalls {
  return { firstUp: apiCalls(inventory, "create"), refresh: apiCalls(inventory, "read"), rerun: apiCalls(inventory, "diff") };
}

/** Calls per changed layer / DI job on an `up` that changes them (the cost model's per-deploy figures). */
export const CALLS_PER_CHANGED = {
  /** One layer's workflow, however many of its nodes changed. */
  layer: CALLS.DataWorksWorkflow.update,
  /** UpdateDIJob + its Read, then the DiJobRun restart. */
  diJob: CALLS["dataworks.DiJob"].update + CALLS.DiJobRun.update,
} as const;

/** The cheapest edition whose daily cap a day's calls fit in (Basic when `callsPerDay` <= 100). */
export function requiredEdition(callsPerDay: number): DataWorksEdition {
  for (const e of DATAWORKS_EDITIONS) {
    const cap = OPENAPI_ALLOWANCE[e].callsPerDay;
    if (cap === undefined || callsPerDay <= cap) return e;
  }
  return "Enterprise";
}
