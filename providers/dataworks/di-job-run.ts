/**
 * `DiJobRun`: keeps one Data Integration job started, as a Pulumi dynamic
 * resource over the DataWorks OpenAPI 2024-05-18 (StartDIJob / StopDIJob /
 * GetDIJob), because the alicloud provider only creates, updates and deletes
 * DI jobs: alicloud/resource_alicloud_data_works_di_job.go
 * (@30c7bd7eae4ac373ab282861a3efe97bdadd9d0a) calls CreateDIJob, GetDIJob,
 * UpdateDIJob and DeleteDIJob and nothing else, so a created job stays
 * `Initialized` and a whole-database offline job produces no scheduled runs.
 *
 * - create: StartDIJob `{Id}` (https://help.aliyun.com/zh/dataworks/developer-reference/api-dataworks-public-2024-05-18-startdijob),
 *   without `ForceToRerun`: only the steps not run yet start, so a restart
 *   never reloads a full load that already happened.
 * - diff (no API call): update when the job's definition changed
 *   (`jobVersion`, a hash of the DiJob's inputs: an updated job runs its new
 *   definition once restarted) or when the last read status says it is not
 *   running (`Initialized`, stopped, `Failed`); replace when it is another job.
 *   GetDIJob documents a stopped job as `Stop`, ListDIJobs as `Stopped`
 *   (./client.ts `GET_DI_JOB_STATUSES`, `LIST_DI_JOBS_STATUSES`): both count as stopped.
 * - read (refresh): GetDIJob `JobStatus`, so a job stopped or failed in the
 *   console shows as drift and the next `up` starts it again. Not on every
 *   `up`: DataWorks Basic Edition allows 100 OpenAPI calls a day
 *   (lib/dataworks/api-budget.ts).
 * - update: a changed job is stopped (StopDIJob), waited for with growing
 *   pauses until it is no longer `Stopping`, and started; a job that is only
 *   not running is started.
 * - delete: StopDIJob, then waits until it is stopped, so the DiJob (deleted
 *   right after, it depends on nothing else) is not deleted while running.
 *
 * Credentials: providers/common/credentials.ts; never in inputs or state.
 */
import * as pulumi from "@pulumi/pulumi";
import { Credentials } from "../common/credentials";
import { pollingFromEnv, pollUntil, PollingPolicy } from "../common/polling";
import { AlibabaApiError } from "../common/errors";
import { DataWorksApiError, DataWorksClient, DI_JOB_STOPPED_STATUSES, DiJobInfo } from "./client";
import { configCredentials, hasUnknown } from "../common/dynamic";

/** Job statuses after which the job needs StartDIJob again (drift); stopped in either API's spelling. */
export const DI_JOB_RESTART_STATUSES: readonly string[] = ["Initialized", ...DI_JOB_STOPPED_STATUSES, "Failed"];
/** Job statuses that mean "not running any more" (StopDIJob has nothing to do; the wait after it ends). */
export const DI_JOB_IDLE_STATUSES: readonly string[] = ["Initialized", ...DI_JOB_STOPPED_STATUSES, "Failed", "Finished"];

/** First pause while waiting for a job to stop, in milliseconds (then doubling, capped at 60 s). */
export const DI_JOB_POLL_INTERVAL_MS = 5_000;
/** Longest wait for a job to stop, in milliseconds. */
export const DI_JOB_TIMEOUT_MS = 10 * 60_000;
/** Environment variable overriding DI_JOB_POLL_INTERVAL_MS (tests use a few milliseconds). */
export const DI_JOB_POLL_ENV = "PHOTO_ANALYTICS_DATAWORKS_DI_POLL_MS";

/** Inputs of a DiJobRun (after `check`). */
export interface DiJobRunInputs {
  /** The DiJob's Pulumi id, `<projectId>:<diJobId>` (alicloud provider: `d.SetId(fmt.Sprintf("%v:%v", query["ProjectId"], response["DIJobId"]))`). */
  readonly diJobId: string;
  /** Region of the workspace, e.g. `cn-hangzhou`. */
  readonly region: string;
  /** Fingerprint of the job's definition (`diJobVersion`); a change restarts the job. */
  readonly jobVersion: string;
}

/** State of a DiJobRun. */
export interface DiJobRunState extends DiJobRunInputs {
  /** `JobStatus` as last known: what StartDIJob left (`Running`) or what the last refresh read. */
  readonly jobStatus: string;
  /** The jobVersion the job was last started with. */
  readonly startedVersion: string;
}

/** `<projectId>:<diJobId>` split; throws naming the value when malformed. */
export function parseDiJobId(id: string): { projectId: string; jobId: string } {
  const m = /^(\d+):(\d+)$/.exec(id);
  if (!m) throw new Error(`diJobId "${id}" must be the DiJob's id, "<projectId>:<diJobId>" (e.g. "12345:67890")`);
  return { projectId: m[1], jobId: m[2] };
}

function polling(env: Readonly<Record<string, string | undefined>>): PollingPolicy {
  return pollingFromEnv(
    env,
    { intervalMs: DI_JOB_POLL_INTERVAL_MS, factor: 2, maxIntervalMs: 60_000, timeoutMs: DI_JOB_TIMEOUT_MS },
    { intervalEnv: DI_JOB_POLL_ENV },
  );
}

/** The DiJobRun dynamic provider. */
export class DiJobRunProvider implements pulumi.dynamic.ResourceProvider {
  private credentials?: Partial<Credentials>;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.credentials = configCredentials(req);
  }

  async check(_olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
    const inputs: DiJobRunInputs = { diJobId: String(news.diJobId ?? ""), region: String(news.region ?? ""), jobVersion: String(news.jobVersion ?? "") };
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!hasUnknown(news.diJobId)) {
      try {
        parseDiJobId(inputs.diJobId);
      } catch (e) {
        failures.push({ property: "diJobId", reason: (e as Error).message });
      }
    }
    if (!inputs.region) failures.push({ property: "region", reason: "region (e.g. cn-hangzhou) is required" });
    return { inputs, failures };
  }

  async diff(_id: string, olds: DiJobRunState, news: DiJobRunInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces = (["diJobId", "region"] as const).filter((k) => olds[k] !== news[k]);
    const changed = olds.jobVersion !== news.jobVersion || olds.startedVersion !== news.jobVersion || DI_JOB_RESTART_STATUSES.includes(olds.jobStatus);
    return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: false };
  }

  async create(inputs: DiJobRunInputs): Promise<pulumi.dynamic.CreateResult> {
    const { jobId } = parseDiJobId(inputs.diJobId);
    const client = await DataWorksClient.connect(inputs.region, this.credentials);
    await this.start(client, inputs.diJobId, jobId);
    return { id: inputs.diJobId, outs: { ...inputs, jobStatus: "Running", startedVersion: inputs.jobVersion } satisfies DiJobRunState };
  }

  async read(id: string, props?: DiJobRunState): Promise<pulumi.dynamic.ReadResult> {
    const diJobId = props?.diJobId ?? id;
    const { projectId, jobId } = parseDiJobId(diJobId);
    const region = props?.region ?? "";
    const job = await (await DataWorksClient.connect(region, this.credentials)).getDIJob({ projectId, id: jobId });
    if (!job) return {}; // the job is gone (deleted, or replaced): nothing left to run
    const state: DiJobRunState = {
      diJobId,
      region,
      jobVersion: props?.jobVersion ?? "",
      jobStatus: job.status,
      startedVersion: props?.startedVersion ?? "",
    };
    return { id, props: state, inputs: { diJobId, region, jobVersion: state.jobVersion } };
  }

  async update(_id: string, olds: DiJobRunState, news: DiJobRunInputs): Promise<pulumi.dynamic.UpdateResult> {
    const { projectId, jobId } = parseDiJobId(news.diJobId);
    const client = await DataWorksClient.connect(news.region, this.credentials);
    if (olds.startedVersion !== news.jobVersion && !DI_JOB_IDLE_STATUSES.includes(olds.jobStatus)) {
      await this.stop(client, news.diJobId, projectId, jobId);
    }
    await this.start(client, news.diJobId, jobId, projectId);
    return { outs: { ...news, jobStatus: "Running", startedVersion: news.jobVersion } satisfies DiJobRunState };
  }

  async delete(_id: string, props: DiJobRunState): Promise<void> {
    const { projectId, jobId } = parseDiJobId(props.diJobId);
    const client = await DataWorksClient.connect(props.region, this.credentials);
    await this.stop(client, props.diJobId, projectId, jobId);
  }

  /** StartDIJob; a refusal is accepted only when the job turns out to be running already. */
  private async start(client: DataWorksClient, diJobId: string, jobId: string, projectId?: string): Promise<void> {
    try {
      await client.startDIJob({ id: jobId });
    } catch (e) {
      if (!(e instanceof AlibabaApiError)) throw e;
      const job = await client.getDIJob({ projectId: projectId ?? parseDiJobId(diJobId).projectId, id: jobId });
      if (job?.status === "Running") return; // someone started it: the wanted state
      throw e;
    }
  }

  /** StopDIJob, then waits until the job is no longer running; a job gone or idle already counts as stopped. */
  private async stop(client: DataWorksClient, diJobId: string, projectId: string, jobId: string): Promise<void> {
    try {
      await client.stopDIJob({ id: jobId });
    } catch (e) {
      if (!(e instanceof AlibabaApiError)) throw e;
      const job = await client.getDIJob({ projectId, id: jobId });
      if (!job || DI_JOB_IDLE_STATUSES.includes(job.status)) return; // gone, or not running: nothing to stop
      throw e;
    }
    const p = polling(process.env);
    await pollUntil<DiJobInfo | undefined>(
      async () => {
        const job = await client.getDIJob({ projectId, id: jobId });
        return !job || DI_JOB_IDLE_STATUSES.includes(job.status) ? { done: true, value: job } : { done: false, status: job.status };
      },
      p,
      {
        sleep: client.sleep,
        onTimeout: (status, elapsed) =>
          new DataWorksApiError({
            action: "StopDIJob",
            code: "DIJob.StopTimeout",
            message: `DI job ${diJobId} is still ${status ?? "running"} ${Math.round(elapsed / 1000)} s after StopDIJob; stop it in Data Integration and run the update again`,
          }),
      },
    );
  }
}

/** Arguments of a DiJobRun. */
export interface DiJobRunArgs {
  /** The DiJob's id (`alicloud.dataworks.DiJob.id`, `<projectId>:<diJobId>`). Changing it replaces the run (a new job is started). */
  readonly diJobId: pulumi.Input<string>;
  /** Region of the workspace, e.g. `cn-hangzhou`. */
  readonly region: pulumi.Input<string>;
  /** Fingerprint of the job's definition (lib/dataworks/di-job-spec.ts `diJobVersion`); a change restarts the job. */
  readonly jobVersion: pulumi.Input<string>;
}

/** The provider instance every DiJobRun uses. */
export const diJobRunProvider = new DiJobRunProvider();

/** Keeps a DataWorks DI job started (dynamic resource; type `pulumi-nodejs:dynamic/dataworks:DiJobRun`). */
export class DiJobRun extends pulumi.dynamic.Resource {
  /** `JobStatus` as last known (`Running` after a start; what the last refresh read). */
  declare readonly jobStatus: pulumi.Output<string>;
  /** The jobVersion the job was last started with. */
  declare readonly startedVersion: pulumi.Output<string>;

  constructor(name: string, args: DiJobRunArgs, opts?: pulumi.CustomResourceOptions) {
    super(diJobRunProvider, name, { ...args, jobStatus: undefined, startedVersion: undefined }, opts, "dataworks", "DiJobRun");
  }
}
