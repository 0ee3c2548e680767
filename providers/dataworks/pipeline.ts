/**
 * DataWorks deployment processes (OpenAPI 2024-05-18 CreatePipelineRun /
 * GetPipelineRun / ExecPipelineRunStage): the state machine that takes a node
 * to production (`Online`) or out of it (`Offline`).
 *
 * `runPipeline`: CreatePipelineRun with RunMode `Auto` and AutoRunUntilStage
 * `PRODUCTION_STAGE_CODE`, so that the process drives itself through its stages
 * up to and including the production stage and needs no ExecPipelineRunStage;
 * then GetPipelineRun with growing pauses (providers/common/polling.ts: each
 * pause twice the previous, capped) until the process ends. Whenever the
 * process still waits on a stage (the first stage not `Success` is `Init` and
 * none runs: a stage after the production one, or one a live Auto process does
 * not drive), it is started with ExecPipelineRunStage, as a Normal process's
 * stages are (in order, none skipped or repeated): the deployment completes
 * whatever the live stage codes are, at worst with the calls of a Normal
 * process. A stage Auto drives is started here only when two reads in a row
 * find it waiting (a read may fall between one stage ending and Auto starting
 * the next). When CreatePipelineRun refuses the Auto request itself
 * (`isAutoRunRefusal`: a 4xx InvalidParameter about RunMode, AutoRunUntilStage
 * or a stage), the process is created once more in Normal mode and run as
 * above. A process that ends `Fail`, `Termination` or `Cancel`, or that is
 * still going at the deadline, is a DataWorksPipelineError naming the process,
 * the stage and the last request id.
 *
 * Calls per process against the fake (tests/support/fake-dataworks.ts: one
 * step per read; stages BUILD_PACKAGE, PROD_CHECK, PROD online, BUILD_PACKAGE,
 * PROD offline): Online, CreatePipelineRun + 4 GetPipelineRun = 5 (Normal mode:
 * + 2 ExecPipelineRunStage = 7); Offline, CreatePipelineRun + 3 GetPipelineRun
 * = 4 (Normal: + 1 ExecPipelineRunStage = 5). A refused Auto request costs the
 * Normal figure + 1 CreatePipelineRun.
 *
 * Why growing pauses: every GetPipelineRun counts against the DataWorks
 * OpenAPI allowance (Basic Edition: 100 calls a day, lib/dataworks/api-budget.ts);
 * a fixed 5 s poll of a 2-minute deployment costs 24 reads, a doubling one 6.
 */
import { pollUntil, PollingPolicy } from "../common/polling";
import { realSleep } from "../common/retry";
import { DataWorksApiError, DataWorksClient, PipelineRunInfo, PipelineRunMode, PipelineRunType, PipelineStage } from "./client";

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

/**
 * The code of the production stage of a deployment process: the stage that deploys to (`Online`)
 * or takes out of (`Offline`) production scheduling, the last one of both processes. runPipeline
 * sends it as CreatePipelineRun `AutoRunUntilStage` (RunMode `Auto`). Unverified live: the API
 * reference documents no stage codes (its only example is `DEV_CHECK`); `PROD` is the code the
 * fake gives the stage. A live process without a stage of this code refuses the Auto request
 * (runPipeline then creates it in Normal mode), or, if it accepts it, leaves waiting whatever Auto
 * does not run (runPipeline starts it): a wrong code costs calls, never the deployment.
 */
export const PRODUCTION_STAGE_CODE = "PROD";

/**
 * Whether an error of CreatePipelineRun in RunMode `Auto` refuses the Auto request itself, so that
 * the same process may be asked for again in Normal mode. All of:
 * - an HTTP status from 400 to 499: DataWorks answered and created nothing (a 5xx or no answer
 *   leaves the outcome unknown, and a second process is not wanted);
 * - a code starting `InvalidParameter` or `Invalid.`;
 * - the code or the API's message naming `RunMode`, `AutoRunUntilStage` or a stage (`stage` in any
 *   case, e.g. `Invalid.PipelineRun.StageNotExists`).
 * Anything else (a missing object, a bad ObjectIds, a missing permission...) would fail in Normal
 * mode too and is the error. The real codes are not documented (unverified live); the fake answers
 * `InvalidParameter.RunMode` and `InvalidParameter.AutoRunUntilStage`.
 */
export function isAutoRunRefusal(e: unknown): e is DataWorksApiError {
  if (!(e instanceof DataWorksApiError) || e.statusCode === undefined || e.statusCode < 400 || e.statusCode > 499) return false;
  if (!/^(InvalidParameter|Invalid\.)/.test(e.code)) return false;
  return /RunMode|AutoRunUntilStage|stage/i.test(`${e.code} ${e.apiMessage}`);
}

/** How long to wait for a deployment process (the first pause, doubling up to `maxIntervalMs`). */
export type PipelinePolling = PollingPolicy;

/** The outcome of a deployment process that ended in `Success`. */
export interface PipelineRunResult {
  readonly pipelineRunId: string;
  readonly type: PipelineRunType;
  /** The RunMode the process ran in: `Auto`, or `Normal` when asked for or when DataWorks refused Auto. */
  readonly runMode: PipelineRunMode;
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

/** Whether an Auto process (until `PRODUCTION_STAGE_CODE`) runs `stage` on its own: it is not after the production stage. */
function drivenByAuto(run: Pick<PipelineRunInfo, "stages">, stage: PipelineStage): boolean {
  const until = run.stages.findIndex((s) => s.code === PRODUCTION_STAGE_CODE);
  return until >= 0 && run.stages.indexOf(stage) <= until;
}

function describeStage(s: PipelineStage | undefined): string {
  if (!s) return "";
  return ` at stage ${s.code} (${s.type}${s.name ? ` "${s.name}"` : ""}, ${s.status})`;
}

/**
 * Creates the process in RunMode `Auto` until `PRODUCTION_STAGE_CODE` (both types: the model's
 * RunMode and AutoRunUntilStage apply to a publish process whichever its Type, and the production
 * stage is the last one of both; a code the live Offline process lacks is refused and falls back
 * like an Online one), or in Normal mode when asked for. When DataWorks refuses the Auto request
 * (`isAutoRunRefusal`), says so through `warn` (type, object id, error code, HTTP status, request
 * id: no message, nothing secret) and creates it once more in Normal mode.
 */
async function createRun(
  client: DataWorksClient,
  req: { projectId: string; type: PipelineRunType; objectId: string; description?: string; runMode?: PipelineRunMode },
  warn: (message: string) => void,
): Promise<{ pipelineRunId: string; runMode: PipelineRunMode }> {
  const { runMode, ...create } = req;
  if (runMode === "Normal") return { pipelineRunId: await client.createPipelineRun(create), runMode: "Normal" };
  try {
    return { pipelineRunId: await client.createPipelineRun({ ...create, runMode: "Auto", autoRunUntilStage: PRODUCTION_STAGE_CODE }), runMode: "Auto" };
  } catch (e) {
    if (!isAutoRunRefusal(e)) throw e;
    warn(
      `DataWorks refused the ${req.type} deployment process of ${req.objectId} in RunMode Auto until stage ${PRODUCTION_STAGE_CODE} ` +
        `(${e.code}, HTTP ${e.statusCode}${e.requestId ? `, request id ${e.requestId}` : ""}); creating it in Normal mode`,
    );
    return { pipelineRunId: await client.createPipelineRun(create), runMode: "Normal" };
  }
}

/**
 * Runs a deployment process for one node to its end. Resolves when the process
 * ends in `Success`; throws a DataWorksPipelineError when it ends otherwise or
 * is still going after `polling.timeoutMs`. `req.runMode` defaults to `Auto`
 * (see the top of this file); `warn` hears of a fallback to Normal mode.
 */
export async function runPipeline(
  client: DataWorksClient,
  req: { projectId: string; type: PipelineRunType; objectId: string; description?: string; runMode?: PipelineRunMode },
  polling: PipelinePolling,
  sleep: (ms: number) => Promise<void> = client.sleep ?? realSleep,
  warn: (message: string) => void = (m) => console.warn(m),
): Promise<PipelineRunResult> {
  const action = req.type === "Online" ? "Deploy" : "Undeploy";
  const what = `${req.type} deployment process`;
  const { pipelineRunId, runMode } = await createRun(client, req, warn);
  const advanced: string[] = [];
  /** The stage last started here, and the error starting it when it failed (retried once the process is read again). */
  let execError: { code: string; error: DataWorksApiError } | undefined;
  /** A stage an Auto process drives, seen waiting on the previous read (it is started only if still waiting on this one). */
  let autoWaiting: string | undefined;
  let last: PipelineRunInfo | undefined;
  return pollUntil<PipelineRunResult>(
    async () => {
      const run = await client.getPipelineRun({ projectId: req.projectId, id: pipelineRunId });
      last = run;
      const failedStage = run.stages.find((s) => PIPELINE_FAILED_STATUSES.includes(s.status));
      if (run.status === "Success") return { done: true, value: { pipelineRunId, type: req.type, runMode, advancedStages: advanced } };
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
      // A stage an Auto process drives (up to the production stage) may be read in the moment
      // between the stage before it ending and Auto starting it: give Auto one more read before
      // starting it here (a start Auto then also makes is refused, and a refusal read twice fails).
      if (next && runMode === "Auto" && drivenByAuto(run, next) && autoWaiting !== next.code) {
        autoWaiting = next.code;
        return { done: false, status: run.status };
      }
      autoWaiting = undefined;
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
