/**
 * DataWorks deployment processes (OpenAPI 2024-05-18 CreatePipelineRun /
 * GetPipelineRun / ExecPipelineRunStage): the state machine that takes a node
 * to production (`Online`) or out of it (`Offline`).
 *
 * `runPipeline`: CreatePipelineRun, then GetPipelineRun with growing pauses
 * (providers/common/polling.ts: each pause twice the previous, capped) until
 * the process ends, calling ExecPipelineRunStage for the next stage whenever
 * the process waits on one (stages run in order, none skipped or repeated). A
 * process that ends `Fail`, `Termination` or `Cancel`, or that is still going
 * at the deadline, is a DataWorksPipelineError naming the process, the stage
 * and the last request id.
 *
 * Why growing pauses: every GetPipelineRun counts against the DataWorks
 * OpenAPI allowance (Basic Edition: 100 calls a day, lib/dataworks/api-budget.ts);
 * a fixed 5 s poll of a 2-minute deployment costs 24 reads, a doubling one 6.
 */
import { pollUntil, PollingPolicy } from "../common/polling";
import { realSleep } from "../common/retry";
import { DataWorksApiError, DataWorksClient, PipelineRunInfo, PipelineRunType, PipelineStage } from "./client";

/** A DataWorks error that is not an API answer but the outcome of a deployment process (failed, stopped, timed out). */
export class DataWorksPipelineError extends DataWorksApiError {
  /** The deployment process (pipeline run) id. */
  readonly pipelineRunId: string;
  /** The process's last status (`Fail`, `Termination`, `Cancel`, or a running status when it timed out). */
  readonly pipelineStatus: string;
  /** The code of the stage the process stopped at, when known. */
  readonly stageCode?: string;

  constructor(e: { action: string; code: string; message: string; requestId?: string; pipelineRunId: string; pipelineStatus: string; stageCode?: string }) {
    super(e);
    this.name = "DataWorksPipelineError";
    this.pipelineRunId = e.pipelineRunId;
    this.pipelineStatus = e.pipelineStatus;
    this.stageCode = e.stageCode;
  }
}

/** Statuses of a deployment process and of its stages (GetPipelineRun). */
export const PIPELINE_STATUSES = ["Init", "Running", "Success", "Fail", "Termination", "Cancel"] as const;
/** Statuses after which a process or a stage does not change any more, other than `Success`. */
export const PIPELINE_FAILED_STATUSES: readonly string[] = ["Fail", "Termination", "Cancel"];

/** How long to wait for a deployment process (the first pause, doubling up to `maxIntervalMs`). */
export type PipelinePolling = PollingPolicy;

/** The outcome of a deployment process that ended in `Success`. */
export interface PipelineRunResult {
  readonly pipelineRunId: string;
  readonly type: PipelineRunType;
  /** Stage codes this client advanced with ExecPipelineRunStage, in order. */
  readonly advancedStages: readonly string[];
}

/**
 * The stage a waiting process needs started: the first stage not yet
 * `Success`, when it is still `Init` and no stage is running. Undefined when
 * the process is busy or has nothing left.
 */
export function stageToAdvance(run: Pick<PipelineRunInfo, "stages">): PipelineStage | undefined {
  if (run.stages.some((s) => s.status === "Running")) return undefined;
  const next = run.stages.find((s) => s.status !== "Success");
  return next && next.status === "Init" ? next : undefined;
}

function describeStage(s: PipelineStage | undefined): string {
  if (!s) return "";
  return ` at stage ${s.code} (${s.type}${s.name ? ` "${s.name}"` : ""}, ${s.status})`;
}

/**
 * Runs a deployment process for one node to its end. Resolves when the process
 * ends in `Success`; throws a DataWorksPipelineError when it ends otherwise or
 * is still going after `polling.timeoutMs`.
 */
export async function runPipeline(
  client: DataWorksClient,
  req: { projectId: string; type: PipelineRunType; objectId: string; description?: string },
  polling: PipelinePolling,
  sleep: (ms: number) => Promise<void> = client.sleep ?? realSleep,
): Promise<PipelineRunResult> {
  const action = req.type === "Online" ? "Deploy" : "Undeploy";
  const what = `${req.type} deployment process`;
  const pipelineRunId = await client.createPipelineRun(req);
  const advanced: string[] = [];
  /** The stage last started here, and the error starting it when it failed (retried once the process is read again). */
  let execError: { code: string; error: DataWorksApiError } | undefined;
  let last: PipelineRunInfo | undefined;
  return pollUntil<PipelineRunResult>(
    async () => {
      const run = await client.getPipelineRun({ projectId: req.projectId, id: pipelineRunId });
      last = run;
      const failedStage = run.stages.find((s) => PIPELINE_FAILED_STATUSES.includes(s.status));
      if (run.status === "Success") return { done: true, value: { pipelineRunId, type: req.type, advancedStages: advanced } };
      if (PIPELINE_FAILED_STATUSES.includes(run.status) || failedStage) {
        const stage = failedStage ?? run.stages.find((s) => s.status !== "Success");
        const detail = [stage?.message, run.message].filter((m) => m && m.length > 0);
        throw new DataWorksPipelineError({
          action,
          code: `PipelineRun.${failedStage && !PIPELINE_FAILED_STATUSES.includes(run.status) ? failedStage.status : run.status}`,
          message:
            `${what} ${pipelineRunId} for node ${req.objectId} ended ${run.status}${describeStage(stage)}` +
            (detail.length > 0 ? `: ${[...new Set(detail)].join("; ")}` : ""),
          requestId: run.requestId,
          pipelineRunId,
          pipelineStatus: run.status,
          stageCode: stage?.code,
        });
      }
      const next = stageToAdvance(run);
      if (next) {
        if (execError && execError.code === next.code) throw execError.error;
        try {
          await client.execPipelineRunStage({ projectId: req.projectId, id: pipelineRunId, code: next.code });
          advanced.push(next.code);
          execError = undefined;
        } catch (e) {
          if (!(e instanceof DataWorksApiError)) throw e;
          // The stage may have started on its own meanwhile: read the process again before giving up.
          execError = { code: next.code, error: e };
        }
      }
      return { done: false, status: run.status };
    },
    polling,
    {
      sleep,
      onTimeout: (_status, elapsed) => {
        const run = last;
        const current = run?.stages.find((s) => s.status !== "Success");
        return new DataWorksPipelineError({
          action,
          code: "PipelineRun.Timeout",
          message:
            `${what} ${pipelineRunId} for node ${req.objectId} is still ${run?.status || "pending"}${describeStage(current)} ` +
            `after ${Math.round(elapsed / 1000)} s (limit ${polling.timeoutMs} ms` +
            (polling.timeoutSetting ? `, set by ${polling.timeoutSetting}` : "") +
            `); follow it in Data Studio (Deploy) and run the update again once it has finished`,
          requestId: run?.requestId,
          pipelineRunId,
          pipelineStatus: run?.status ?? "",
          stageCode: current?.code,
        });
      },
    },
  );
}
