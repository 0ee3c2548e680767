/**
 * `FlinkJobStop`: stops a Realtime Compute job before the alicloud provider deletes it, as a
 * Pulumi dynamic resource beside the `alicloud.realtimecompute.Job` (type
 * `pulumi-nodejs:dynamic/flink:FlinkJobStop`).
 *
 * Why: the provider's Delete is DeleteJob alone, and DeleteJob takes only a job that is not
 * running; its Update stops a job only when `status.currentJobStatus` is set to CANCELLED, never
 * before a replacement (alicloud/resource_alicloud_realtime_compute_job.go
 * @579f232f09154a8d6de2c61b623b59b328d240b2; https://www.alibabacloud.com/help/en/flink/realtime-flink/developer-reference/api-ververica-2022-07-18-deletejob).
 * The metrics job is replaced whenever its SQL changes (`local_variables` is ForceNew), so
 * without this every such `up` failed on a running job.
 *
 * How the engine orders it: `jobId` is an input taken from the Job's output, so this resource
 * depends on the Job. When the Job is replaced delete-first (`deleteBeforeReplace`), Pulumi first
 * deletes every dependent whose diff, with the Job's outputs unknown, is a replacement (here:
 * `jobId` changes), so this resource's delete (stop, then wait for CANCELLED) runs before the
 * Job's DeleteJob; the new Job is then started and a new FlinkJobStop created for it. On
 * `destroy`, or when the engine is switched off, dependents are deleted first too.
 *
 * - create / update: no API call (nothing to do while the job should run).
 * - read: none (the resource holds no cloud state of its own).
 * - delete: GetJob; a job gone (`990301`) or already CANCELLED / FAILED / FINISHED is done;
 *   STARTING or RUNNING gets StopJob `{stopStrategy}`; then GetJob with growing pauses until the
 *   job is no longer STARTING, RUNNING or CANCELLING (providers/common/polling.ts).
 *
 * Credentials: providers/common/credentials.ts; never in inputs or state.
 */
import * as pulumi from "@pulumi/pulumi";
import { Credentials, resolveCredentials } from "../common/credentials";
import { configCredentials, hasUnknown } from "../common/dynamic";
import { pollingFromEnv, pollUntil, PollingPolicy } from "../common/polling";
import { FLINK_JOB_STOPPED_STATUSES, FlinkApiError, FlinkClient, FlinkJobInfo } from "./client";

/** First pause while waiting for a job to stop, in milliseconds (then doubling, capped at 30 s). */
export const FLINK_STOP_POLL_INTERVAL_MS = 5_000;
/** Longest wait for a job to stop, in milliseconds (a savepoint-less stop takes seconds to a minute). */
export const FLINK_STOP_TIMEOUT_MS = 10 * 60_000;
/** Environment variable overriding FLINK_STOP_POLL_INTERVAL_MS (tests use a few milliseconds). */
export const FLINK_STOP_POLL_ENV = "PHOTO_ANALYTICS_FLINK_STOP_POLL_MS";

/** StopJob's strategies (StopJobRequestBody). */
export const FLINK_STOP_STRATEGIES = ["NONE", "STOP_WITH_SAVEPOINT", "STOP_WITH_DRAIN"] as const;

/** Inputs (and state) of a FlinkJobStop. */
export interface FlinkJobStopInputs {
  /** Region of the Flink workspace, e.g. `cn-shanghai`. */
  readonly region: string;
  /** The workspace (`VvpInstance.resourceId`; the API's `workspace` header). */
  readonly workspace: string;
  readonly namespace: string;
  /** The job (`realtimecompute.Job.jobId`). A new job replaces this resource. */
  readonly jobId: string;
  /** How StopJob stops it. @default "NONE" */
  readonly stopStrategy: string;
}

/** Inputs whose change replaces the resource (lib/plan/provider-behaviour.json holds the same list). */
export const FLINK_JOB_STOP_REPLACE_KEYS = ["region", "workspace", "namespace", "jobId"] as const;

function polling(env: Readonly<Record<string, string | undefined>>): PollingPolicy {
  return pollingFromEnv(
    env,
    { intervalMs: FLINK_STOP_POLL_INTERVAL_MS, factor: 2, maxIntervalMs: 30_000, timeoutMs: FLINK_STOP_TIMEOUT_MS },
    { intervalEnv: FLINK_STOP_POLL_ENV },
  );
}

export class FlinkJobStopProvider implements pulumi.dynamic.ResourceProvider {
  private credentials?: Partial<Credentials>;

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.credentials = configCredentials(req);
  }

  async check(_olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
    const inputs: FlinkJobStopInputs = {
      region: String(news.region ?? ""),
      workspace: String(news.workspace ?? ""),
      namespace: String(news.namespace ?? ""),
      jobId: String(news.jobId ?? ""),
      stopStrategy: String(news.stopStrategy ?? "NONE"),
    };
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const k of FLINK_JOB_STOP_REPLACE_KEYS) {
      if (!hasUnknown(news[k]) && !inputs[k]) failures.push({ property: k, reason: `${k} is required` });
    }
    if (!(FLINK_STOP_STRATEGIES as readonly string[]).includes(inputs.stopStrategy)) {
      failures.push({ property: "stopStrategy", reason: `stopStrategy "${inputs.stopStrategy}" is not one of ${FLINK_STOP_STRATEGIES.join(", ")}` });
    }
    return { inputs, failures };
  }

  /** A new job (or workspace, namespace, region) replaces this resource, delete first; the strategy updates in place. */
  async diff(_id: string, olds: FlinkJobStopInputs, news: FlinkJobStopInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces = FLINK_JOB_STOP_REPLACE_KEYS.filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0 || olds.stopStrategy !== news.stopStrategy, replaces: [...replaces], deleteBeforeReplace: true };
  }

  async create(inputs: FlinkJobStopInputs): Promise<pulumi.dynamic.CreateResult> {
    return { id: `${inputs.workspace}:${inputs.namespace}:${inputs.jobId}`, outs: inputs };
  }

  async update(_id: string, _olds: FlinkJobStopInputs, news: FlinkJobStopInputs): Promise<pulumi.dynamic.UpdateResult> {
    return { outs: news };
  }

  /** Stops the job and waits until it no longer runs, so that the Job's DeleteJob (next) succeeds. */
  async delete(_id: string, props: FlinkJobStopInputs): Promise<void> {
    const client = new FlinkClient({ region: props.region, credentials: await resolveCredentials(this.credentials) });
    const ref = { workspace: props.workspace, namespace: props.namespace, jobId: props.jobId };
    const job = await client.getJob(ref);
    if (!job || FLINK_JOB_STOPPED_STATUSES.includes(job.status)) return;
    if (job.status !== "CANCELLING") {
      try {
        await client.stopJob({ ...ref, stopStrategy: props.stopStrategy });
      } catch (e) {
        // Refused: stopping or stopped already (a repeat of a StopJob that went through, or a stop in the console).
        if (!(e instanceof FlinkApiError)) throw e;
        const now = await client.getJob(ref);
        if (now && !["CANCELLING", ...FLINK_JOB_STOPPED_STATUSES].includes(now.status)) throw e;
      }
    }
    const p = polling(process.env);
    await pollUntil<FlinkJobInfo | undefined>(
      async () => {
        const now = await client.getJob(ref);
        return !now || FLINK_JOB_STOPPED_STATUSES.includes(now.status) ? { done: true, value: now } : { done: false, status: now.status };
      },
      p,
      {
        sleep: client.sleep,
        onTimeout: (status, elapsed) =>
          new FlinkApiError({
            action: "StopJob",
            code: "Job.StopTimeout",
            message: `Flink job ${props.jobId} is still ${status ?? "running"} ${Math.round(elapsed / 1000)} s after StopJob; stop it in the Realtime Compute console and run the update again`,
          }),
      },
    );
  }
}

/** The provider instance every FlinkJobStop uses. */
export const flinkJobStopProvider = new FlinkJobStopProvider();

/** Arguments of a FlinkJobStop. */
export interface FlinkJobStopArgs {
  /** Region of the Flink workspace. Changing it replaces the resource. */
  readonly region: pulumi.Input<string>;
  /** The workspace id (`VvpInstance.resourceId`). Changing it replaces the resource. */
  readonly workspace: pulumi.Input<string>;
  /** The job's namespace. Changing it replaces the resource. */
  readonly namespace: pulumi.Input<string>;
  /** The job (`realtimecompute.Job.jobId`): the output that orders this resource's delete before the Job's. */
  readonly jobId: pulumi.Input<string>;
  /** StopJob's strategy (`NONE`, `STOP_WITH_SAVEPOINT`, `STOP_WITH_DRAIN`). @default "NONE" */
  readonly stopStrategy?: pulumi.Input<string>;
}

/** Stops a Flink job before it is deleted (dynamic resource; type `pulumi-nodejs:dynamic/flink:FlinkJobStop`). */
export class FlinkJobStop extends pulumi.dynamic.Resource {
  constructor(name: string, args: FlinkJobStopArgs, opts?: pulumi.CustomResourceOptions) {
    super(flinkJobStopProvider, name, { stopStrategy: "NONE", ...args }, opts, "flink", "FlinkJobStop");
  }
}
