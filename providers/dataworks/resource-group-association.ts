/**
 * `ResourceGroupAssociation`: binds a serverless resource group to a DataWorks
 * workspace (nodes and DI jobs run on it only once bound), as a Pulumi dynamic
 * resource over the DataWorks OpenAPI 2024-05-18
 * AssociateProjectToResourceGroup / DissociateProjectFromResourceGroup
 * (https://help.aliyun.com/en/dataworks/developer-reference/api-dataworks-public-2024-05-18-associateprojecttoresourcegroup;
 * `{ProjectId, ResourceGroupId}`, Basic Edition or higher), read back with
 * ListResourceGroups `ProjectId`. @pulumi/alicloud 3.108's `DwResourceGroup`
 * creates a resource group but has no workspace input and never calls
 * AssociateProjectToResourceGroup (alicloud/resource_alicloud_data_works_dw_resource_group.go
 * @3803d483470e873a71e679d9138f4555600d7e45).
 *
 * Any change is a new binding (replace). Id: `<projectId>:<resourceGroupId>`.
 * Credentials: providers/common/credentials.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { Credentials } from "../common/credentials";
import { AlibabaApiError } from "../common/errors";
import { configCredentials, hasUnknown } from "../common/dynamic";
import { DataWorksClient } from "./client";

/** Inputs (and state) of a ResourceGroupAssociation. */
export interface ResourceGroupAssociationState {
  readonly projectId: string;
  readonly region: string;
  /** The resource group's id, e.g. `Serverless_res_group_524257424564736_6831777003XXXXX`. */
  readonly resourceGroupId: string;
}

/** The ResourceGroupAssociation dynamic provider. */
export class ResourceGroupAssociationProvider implements pulumi.dynamic.ResourceProvider {
  private credentials?: Partial<Credentials>;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.credentials = configCredentials(req);
  }

  async check(_olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
    const inputs: ResourceGroupAssociationState = {
      projectId: news.projectId === undefined ? "" : String(news.projectId),
      region: String(news.region ?? ""),
      resourceGroupId: String(news.resourceGroupId ?? ""),
    };
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!hasUnknown(news.projectId) && !/^\d+$/.test(inputs.projectId)) {
      failures.push({ property: "projectId", reason: `projectId "${inputs.projectId}" must be the numeric DataWorks workspace id` });
    }
    if (!inputs.region) failures.push({ property: "region", reason: "region (e.g. cn-hangzhou) is required" });
    if (!hasUnknown(news.resourceGroupId) && !inputs.resourceGroupId.trim()) {
      failures.push({ property: "resourceGroupId", reason: "resourceGroupId (the serverless resource group, dataworks.resourceGroup) is required" });
    }
    return { inputs, failures };
  }

  async diff(_id: string, olds: ResourceGroupAssociationState, news: ResourceGroupAssociationState): Promise<pulumi.dynamic.DiffResult> {
    const replaces = (["projectId", "region", "resourceGroupId"] as const).filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  }

  async create(inputs: ResourceGroupAssociationState): Promise<pulumi.dynamic.CreateResult> {
    const client = await DataWorksClient.connect(inputs.region, this.credentials);
    try {
      await client.associateProjectToResourceGroup(inputs);
    } catch (e) {
      // Bound already (by hand, or by a create that timed out after succeeding): the wanted state.
      if (!(e instanceof AlibabaApiError)) throw e;
      const bound = await client.listProjectResourceGroups({ projectId: inputs.projectId });
      if (!bound.some((g) => g.id === inputs.resourceGroupId)) throw e;
    }
    return { id: `${inputs.projectId}:${inputs.resourceGroupId}`, outs: inputs };
  }

  async read(id: string, props?: ResourceGroupAssociationState): Promise<pulumi.dynamic.ReadResult> {
    const [projectId, ...rest] = id.split(":");
    const state: ResourceGroupAssociationState = {
      projectId: props?.projectId ?? projectId,
      region: props?.region ?? "",
      resourceGroupId: props?.resourceGroupId ?? rest.join(":"),
    };
    const bound = await (await DataWorksClient.connect(state.region, this.credentials)).listProjectResourceGroups({ projectId: state.projectId });
    if (!bound.some((g) => g.id === state.resourceGroupId)) return {}; // unbound in the console: the next up binds it again
    return { id, props: state, inputs: state };
  }

  async delete(_id: string, props: ResourceGroupAssociationState): Promise<void> {
    await (await DataWorksClient.connect(props.region, this.credentials)).dissociateProjectFromResourceGroup(props);
  }
}

/** Arguments of a ResourceGroupAssociation (any change replaces it). */
export interface ResourceGroupAssociationArgs {
  readonly projectId: pulumi.Input<number | string>;
  readonly region: pulumi.Input<string>;
  readonly resourceGroupId: pulumi.Input<string>;
}

/** The provider instance every ResourceGroupAssociation uses. */
export const resourceGroupAssociationProvider = new ResourceGroupAssociationProvider();

/** A resource group bound to a workspace (dynamic resource; type `pulumi-nodejs:dynamic/dataworks:ResourceGroupAssociation`). */
export class ResourceGroupAssociation extends pulumi.dynamic.Resource {
  constructor(name: string, args: ResourceGroupAssociationArgs, opts?: pulumi.CustomResourceOptions) {
    super(resourceGroupAssociationProvider, name, { ...args }, opts, "dataworks", "ResourceGroupAssociation");
  }
}
