/**
 * The API actions the project calls, per product of the official TypeScript SDK
 * (aliyun/alibabacloud-typescript-sdk `<product>-<version>`), and the model file each is kept in.
 * generate.ts reads their models; tests/api-models.test.ts checks that every action a client in
 * providers/ calls is listed here and modelled.
 */
export const SDK_ACTIONS: Readonly<Record<string, { readonly file: string; readonly actions: readonly string[] }>> = {
  "dataworks-public-20240518": {
    file: "dataworks.json",
    actions: [
      "CreateNode",
      "GetNode",
      "UpdateNode",
      "DeleteNode",
      "ListNodes",
      "CreatePipelineRun",
      "GetPipelineRun",
      "ExecPipelineRunStage",
      "GetDIJob",
      "ListDIJobs",
      "StartDIJob",
      "StopDIJob",
      "CreateComputeResource",
      "GetComputeResource",
      "UpdateComputeResource",
      "DeleteComputeResource",
      "ListComputeResources",
      "AssociateProjectToResourceGroup",
      "DissociateProjectFromResourceGroup",
      "ListResourceGroups",
      "CreateAlertRule",
      "GetAlertRule",
      "UpdateAlertRule",
      "DeleteAlertRule",
      "ListAlertRules",
      "ListProjects",
      "ListTaskInstances",
      "ImportWorkflowDefinition",
      "GetJobStatus",
      "GetWorkflowDefinition",
      "DeleteWorkflowDefinition",
      "ListWorkflowDefinitions",
    ],
  },
  "dts-20200101": { file: "dts.json", actions: ["DescribeDtsJobs"] },
  "sls-20201230": {
    file: "sls.json",
    actions: ["CreateMaxComputeExport", "GetMaxComputeExport", "UpdateMaxComputeExport", "DeleteMaxComputeExport", "GetHistograms"],
  },
  "ververica-20220718": { file: "flink.json", actions: ["GetJob", "StopJob", "DeleteJob"] },
  "bssopenapi-20171214": { file: "bss.json", actions: ["QueryProductList", "DescribePricingModule", "GetPayAsYouGoPrice", "GetSubscriptionPrice"] },
};
