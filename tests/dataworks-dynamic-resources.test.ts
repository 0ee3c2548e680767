/**
 * The DataWorks dynamic resources the stack manages (DiJobRun, ComputeResource,
 * ResourceGroupAssociation, and DataWorksNode) against the local fake API:
 * what each calls, the DI job state machine, and create -> read -> diff = no
 * change (the second `up` after a refresh is a no-op).
 */
import { DiJobRunProvider, DiJobRunState, parseDiJobId } from "../providers/dataworks/di-job-run";
import { ComputeResourceProvider, ComputeResourceState, canonicalConnection } from "../providers/dataworks/compute-resource";
import { ResourceGroupAssociationProvider, ResourceGroupAssociationState } from "../providers/dataworks/resource-group-association";
import { DataWorksNodeProvider, DataWorksNodeState } from "../providers/dataworks/node";
import { DataWorksClient } from "../providers/dataworks/client";
import { useFakeDataWorks, FAKE_AK } from "./support/dataworks-env";

const env = useFakeDataWorks();
const REGION = "cn-hangzhou";
const PROJECT = "123456";

/** create, then read (refresh), then diff the read state against the same inputs: what a second `up` sees. */
type Fn = (...args: any[]) => Promise<any>;
async function roundTrip<S>(
  p: { check: Fn; create: Fn; read: Fn; diff: Fn },
  raw: Record<string, unknown>,
): Promise<{ state: S; id: string; diff: { changes?: boolean; replaces?: string[] } }> {
  const { inputs } = await p.check({}, raw);
  const created = await p.create(inputs);
  const read = await p.read(created.id, created.outs);
  const again = (await p.check(read.inputs, raw)).inputs;
  const diff = await p.diff(created.id, read.props, again);
  return { state: read.props as S, id: created.id, diff };
}

describe("DiJobRun (StartDIJob / StopDIJob / GetDIJob)", () => {
  // The DI job's StartDIJob / StopDIJob / GetDIJob: https://help.aliyun.com/zh/dataworks/developer-reference/api-dataworks-public-2024-05-18-startdijob
  // (and -stopdijob, -getdijob). The alicloud provider never calls them (resource_alicloud_data_works_di_job.go @30c7bd7).
  const provider = new DiJobRunProvider();

  function job(status = "Initialized"): string {
    return `${PROJECT}:${env.fake.addDiJob(PROJECT, "pa_ws_ods_daily_incremental", status)}`;
  }

  it("starts a created job with one StartDIJob {Id} (the job id, not DIJobId), and a refresh then shows no change", async () => {
    const diJobId = job();
    const { state, diff } = await roundTrip<DiJobRunState>(provider, { diJobId, region: REGION, jobVersion: "v1-a" });
    const { jobId } = parseDiJobId(diJobId);
    expect(env.fake.diJobs.get(jobId)).toMatchObject({ status: "Running", starts: 1 });
    // As the official SDK sends it: GET, Id in the query (tests/support/api-models/dataworks.json).
    expect(env.fake.requests[0]).toMatchObject({ action: "StartDIJob", method: "GET", signatureValid: true, query: { Id: jobId } });
    expect(env.fake.requests[1]).toMatchObject({ action: "GetDIJob", method: "GET", query: { Id: jobId, ProjectId: PROJECT, WithDetails: "false" } });
    expect(state).toEqual({ diJobId, region: REGION, jobVersion: "v1-a", jobStatus: "Running", startedVersion: "v1-a" });
    expect(diff).toMatchObject({ changes: false, replaces: [] });
    expect(JSON.stringify(state)).not.toContain(FAKE_AK.secret);
  });

  it("shows a job stopped or failed in the console as drift, and the next update starts it again (no stop)", async () => {
    const diJobId = job();
    const { inputs } = await provider.check({}, { diJobId, region: REGION, jobVersion: "v1-a" });
    const created = await provider.create(inputs);
    const { jobId } = parseDiJobId(diJobId);
    env.fake.diJobs.get(jobId)!.status = "Failed";
    const read = await provider.read(created.id, created.outs);
    expect(read.props).toMatchObject({ jobStatus: "Failed" });
    expect(await provider.diff(created.id, read.props, inputs)).toMatchObject({ changes: true, replaces: [] });
    const from = env.fake.requests.length;
    await provider.update(created.id, read.props, inputs);
    expect(env.fake.actions.slice(from)).toEqual(["StartDIJob"]);
    expect(env.fake.diJobs.get(jobId)!.status).toBe("Running");
  });

  // GetDIJob documents a stopped job as `Stop`, ListDIJobs as `Stopped` (SDK models @7765f7a7): both end the wait.
  it.each(["Stop", "Stopped"] as const)(
    "restarts a running job whose definition changed: StopDIJob, waits until GetDIJob says %s, StartDIJob",
    async (stopped) => {
      env.fake.getDiJobStopped = stopped;
      const diJobId = job();
      const created = await provider.create((await provider.check({}, { diJobId, region: REGION, jobVersion: "v1-a" })).inputs);
      const news = (await provider.check({}, { diJobId, region: REGION, jobVersion: "v1-b" })).inputs;
      expect(await provider.diff(created.id, created.outs, news)).toMatchObject({ changes: true, replaces: [] });
      const from = env.fake.requests.length;
      const res = await provider.update(created.id, created.outs, news);
      expect(env.fake.actions.slice(from)).toEqual(["StopDIJob", "GetDIJob", "StartDIJob"]);
      expect(res.outs).toMatchObject({ jobStatus: "Running", startedVersion: "v1-b" });
      expect(env.fake.diJobs.get(parseDiJobId(diJobId).jobId)!.starts).toBe(2);
    },
  );

  it.each(["Stop", "Stopped"] as const)("stops the job before delete (GetDIJob answering %s), so the DiJob can then be deleted", async (stopped) => {
    env.fake.getDiJobStopped = stopped;
    const diJobId = job();
    const created = await provider.create((await provider.check({}, { diJobId, region: REGION, jobVersion: "v1-a" })).inputs);
    const { jobId } = parseDiJobId(diJobId);
    expect(() => env.fake.deleteDiJob(jobId)).toThrow(/Running; stop it before deleting it/);
    const from = env.fake.requests.length;
    await provider.delete(created.id, created.outs as DiJobRunState);
    // One read after the stop: the job is `Stopping`, then stopped; no further polling.
    expect(env.fake.actions.slice(from)).toEqual(["StopDIJob", "GetDIJob"]);
    expect(env.fake.diJobs.get(jobId)!.status).toBe("Stopped");
    expect(() => env.fake.deleteDiJob(jobId)).not.toThrow();
  });

  it.each(["Stop", "Stopped"] as const)("shows a job stopped in the console (GetDIJob %s) as drift; the next update starts it again", async (stopped) => {
    env.fake.getDiJobStopped = stopped;
    const diJobId = job();
    const { inputs } = await provider.check({}, { diJobId, region: REGION, jobVersion: "v1-a" });
    const created = await provider.create(inputs);
    const { jobId } = parseDiJobId(diJobId);
    env.fake.diJobs.get(jobId)!.status = "Stopped";
    const read = await provider.read(created.id, created.outs);
    expect(read.props).toMatchObject({ jobStatus: stopped });
    expect(await provider.diff(created.id, read.props, inputs)).toMatchObject({ changes: true, replaces: [] });
    const from = env.fake.requests.length;
    await provider.update(created.id, read.props, inputs);
    expect(env.fake.actions.slice(from)).toEqual(["StartDIJob"]);
    expect(env.fake.diJobs.get(jobId)!).toMatchObject({ status: "Running", starts: 2 });
  });

  it("the fake spells a stopped job as each reference does: GetDIJob Stop, ListDIJobs Stopped", async () => {
    const diJobId = job("Stopped");
    const { projectId, jobId } = parseDiJobId(diJobId);
    const client = await DataWorksClient.connect(REGION);
    expect((await client.getDIJob({ projectId, id: jobId }))?.status).toBe("Stop");
    expect((await client.listDIJobsByName({ projectId, name: "pa_ws_ods_daily_incremental" })).map((j) => j.status)).toEqual(["Stopped"]);
  });

  it("a delete after the job is gone, or of a job not running, succeeds", async () => {
    const diJobId = job("Stopped");
    const state: DiJobRunState = { diJobId, region: REGION, jobVersion: "v1", jobStatus: "Running", startedVersion: "v1" };
    await expect(provider.delete(diJobId, state)).resolves.toBeUndefined();
    env.fake.deleteDiJob(parseDiJobId(diJobId).jobId);
    await expect(provider.delete(diJobId, state)).resolves.toBeUndefined();
  });

  it("the fake refuses what the API refuses: StartDIJob on a running job, StopDIJob on a stopped one", async () => {
    const diJobId = job("Running");
    const { jobId } = parseDiJobId(diJobId);
    const state: DiJobRunState = { diJobId, region: REGION, jobVersion: "v1", jobStatus: "Stopped", startedVersion: "v1" };
    // Someone started it meanwhile: the refusal is read back as the wanted state.
    await expect(provider.update(diJobId, state, { diJobId, region: REGION, jobVersion: "v1" })).resolves.toMatchObject({ outs: { jobStatus: "Running" } });
    expect(env.fake.actions).toEqual(["StartDIJob", "GetDIJob"]);
    expect(env.fake.diJobs.get(jobId)!.starts).toBe(0);
  });

  it("refresh drops a run whose job was deleted; a new job id replaces the run", async () => {
    const diJobId = job();
    const created = await provider.create((await provider.check({}, { diJobId, region: REGION, jobVersion: "v1" })).inputs);
    env.fake.diJobs.get(parseDiJobId(diJobId).jobId)!.status = "Stopped";
    env.fake.deleteDiJob(parseDiJobId(diJobId).jobId);
    expect(await provider.read(created.id, created.outs)).toEqual({});
    const other = job();
    expect(await provider.diff(created.id, created.outs, { diJobId: other, region: REGION, jobVersion: "v1" })).toMatchObject({
      changes: true,
      replaces: ["diJobId"],
    });
  });

  it("fails when diJobId is not <projectId>:<diJobId>", async () => {
    const res = await provider.check({}, { diJobId: "67890", region: REGION, jobVersion: "v1" });
    expect(res.failures).toEqual([{ property: "diJobId", reason: `diJobId "67890" must be the DiJob's id, "<projectId>:<diJobId>" (e.g. "12345:67890")` }]);
  });
});

describe("ComputeResource (Create/Get/Update/DeleteComputeResource)", () => {
  const provider = new ComputeResourceProvider();
  const raw = {
    projectId: 123456,
    region: REGION,
    name: "photo_analytics_odps_compute",
    type: "maxcompute",
    connectionPropertiesMode: "UrlMode",
    connectionProperties: { project: "pa_warehouse", regionId: REGION, endpointMode: "SelfAdaption", authType: "PrimaryAccount", envType: "Prod" },
    description: "MaxCompute warehouse",
  };

  it("creates it with the connection as a JSON string; GetComputeResource's answer (lowerCamel, server keys) reads back as no change", async () => {
    const { state, diff, id } = await roundTrip<ComputeResourceState>(provider, raw);
    const create = env.fake.requests[0];
    expect(create).toMatchObject({ action: "CreateComputeResource", method: "POST", signatureValid: true });
    // As the official SDK sends it: POST with every parameter in the query.
    expect(create.query).toMatchObject({ ProjectId: "123456", Name: raw.name, Type: "maxcompute", ConnectionPropertiesMode: "UrlMode" });
    expect(JSON.parse(create.query.ConnectionProperties)).toEqual(raw.connectionProperties);
    expect(env.fake.requests[1]).toMatchObject({ action: "GetComputeResource", method: "POST", query: { Id: id, ProjectId: "123456" } });
    expect(state.connectionProperties).toEqual(raw.connectionProperties); // the server's `endpoint` is not the stack's
    expect(diff).toMatchObject({ changes: false, replaces: [] });
  });

  it("compares envType and authType without case, as DataWorks reads them", () => {
    expect(canonicalConnection({ EnvType: "PROD", AuthType: "primaryaccount" })).toEqual(canonicalConnection({ envType: "Prod", authType: "PrimaryAccount" }));
    expect(canonicalConnection({ project: "A" })).not.toEqual(canonicalConnection({ project: "a" }));
  });

  it("updates the connection in place, and replaces (delete first) on a new name", async () => {
    const { inputs } = await provider.check({}, raw);
    const created = await provider.create(inputs);
    const changed = (await provider.check({}, { ...raw, connectionProperties: { ...raw.connectionProperties, project: "pa_warehouse2" } })).inputs;
    expect(await provider.diff(created.id, created.outs, changed)).toMatchObject({ changes: true, replaces: [] });
    await provider.update(created.id, created.outs, changed);
    expect(env.fake.computeResources.get(created.id)!.connectionProperties.project).toBe("pa_warehouse2");
    const renamed = (await provider.check({}, { ...raw, name: "other_compute" })).inputs;
    expect(await provider.diff(created.id, created.outs, renamed)).toMatchObject({ replaces: ["name"], deleteBeforeReplace: false });
    await provider.delete(created.id, created.outs as ComputeResourceState);
    expect(env.fake.computeResources.size).toBe(0);
    await expect(provider.delete(created.id, created.outs as ComputeResourceState)).resolves.toBeUndefined();
  });

  it("fails on a bad name or a connection without envType", async () => {
    const res = await provider.check({}, { ...raw, name: "1bad", connectionProperties: { project: "x" } });
    expect((res.failures ?? []).map((f: { property: string }) => f.property)).toEqual(["name", "connectionProperties"]);
  });
});

describe("ResourceGroupAssociation (AssociateProjectToResourceGroup / DissociateProjectFromResourceGroup)", () => {
  const provider = new ResourceGroupAssociationProvider();
  const RG = "Serverless_res_group_524257424564736_68317770030001";

  it("binds the group with one call and reads it back (ListResourceGroups ProjectId) as no change", async () => {
    env.fake.addResourceGroup(RG);
    const { state, diff, id } = await roundTrip<ResourceGroupAssociationState>(provider, { projectId: 123456, region: REGION, resourceGroupId: RG });
    expect(id).toBe(`123456:${RG}`);
    expect(env.fake.requests[0]).toMatchObject({ action: "AssociateProjectToResourceGroup", form: { ProjectId: "123456", ResourceGroupId: RG } });
    expect(env.fake.requests[1]).toMatchObject({ action: "ListResourceGroups", query: { ProjectId: "123456" } });
    expect(state).toEqual({ projectId: "123456", region: REGION, resourceGroupId: RG });
    expect(diff).toMatchObject({ changes: false });
  });

  it("accepts a group bound already; a group unbound in the console drops from state; delete unbinds", async () => {
    env.fake.addResourceGroup(RG);
    env.fake.resourceGroups.get(RG)!.add("123456");
    const inputs = (await provider.check({}, { projectId: "123456", region: REGION, resourceGroupId: RG })).inputs;
    const created = await provider.create(inputs);
    await provider.delete(created.id, created.outs as ResourceGroupAssociationState);
    expect(env.fake.resourceGroups.get(RG)!.size).toBe(0);
    expect(await provider.read(created.id, created.outs)).toEqual({});
    await expect(provider.delete(created.id, created.outs as ResourceGroupAssociationState)).resolves.toBeUndefined();
  });

  it("fails on a group that does not exist, with the API's code", async () => {
    const inputs = (await provider.check({}, { projectId: "123456", region: REGION, resourceGroupId: "nope" })).inputs;
    await expect(provider.create(inputs)).rejects.toThrow(/AssociateProjectToResourceGroup failed: Invalid\.ResourceGroup\.NotExists/);
  });
});

describe("DataWorksNode: create -> read -> diff", () => {
  it("an hourly node written in DataWorks' cron form reads back with no change", async () => {
    const provider = new DataWorksNodeProvider();
    const { diff, state } = await roundTrip<DataWorksNodeState>(provider, {
      projectId: "123456",
      region: REGION,
      name: "dws_page_views_agg_h",
      folderPath: "photo-analytics/hourly",
      script: "SELECT 1;",
      cron: "00 20 00-23/1 * * ?",
      parameters: { bizdate: "$[yyyymmdd-1/24]", hh: "$[hh24-1/24]" },
      dependencies: ["pa_ws.chk_ods_loaded_h"],
      outputName: "pa_ws.dws_page_views_agg_h",
    });
    expect(diff).toMatchObject({ changes: false, replaces: [] });
    expect(state.dependencies).toEqual(["pa_ws.chk_ods_loaded_h"]);
    // The dependency is written as FlowSpec spec.flow too ({type: Normal, output}), as GetNode documents it.
    const spec = JSON.parse(env.fake.nodes.get(state.nodeId)!.spec);
    expect(spec.spec.flow[0].depends).toEqual([{ type: "Normal", output: "pa_ws.chk_ods_loaded_h" }]);
  });
});
