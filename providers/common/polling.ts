/**
 * Waiting for an asynchronous cloud operation (a DataWorks deployment, a job
 * stopping): read, and if not done, wait, with a pause that grows between
 * reads up to a cap. Growing pauses keep the number of read calls small,
 * which matters where the API counts calls (DataWorks Basic Edition allows 100
 * OpenAPI calls a day: lib/dataworks/api-budget.ts).
 */

/** How to wait for an operation. */
export interface PollingPolicy {
  /** First pause between two reads, in milliseconds. */
  readonly intervalMs: number;
  /** Each pause is the previous one times this. @default 2 */
  readonly factor?: number;
  /** Longest pause, in milliseconds. @default 60000 */
  readonly maxIntervalMs?: number;
  /** Longest wait, in milliseconds, counted from the start. */
  readonly timeoutMs: number;
  /** Name of the setting that sets the timeout, quoted in the timeout error. */
  readonly timeoutSetting?: string;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The pause before read number `read + 1` (`read` is 1-based): interval * factor^(read-1), capped. */
export function pollDelayMs(read: number, p: PollingPolicy): number {
  const factor = p.factor ?? 2;
  const cap = p.maxIntervalMs ?? 60_000;
  return Math.min(cap, Math.round(p.intervalMs * factor ** Math.max(0, read - 1)));
}

/** Pauses of a policy until the timeout, in order (how many reads a wait of `timeoutMs` costs at most). */
export function pollSchedule(p: PollingPolicy): number[] {
  const out: number[] = [];
  let total = 0;
  for (let read = 1; total < p.timeoutMs; read++) {
    const d = Math.min(pollDelayMs(read, p), p.timeoutMs - total);
    out.push(d);
    total += d;
  }
  return out;
}

/** What one read says: finished (with the value), or not yet (with what to say if time runs out). */
export type PollStep<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly status?: string };

/**
 * Reads until `step` says done; between reads sleeps `pollDelayMs`, never past
 * the deadline. When the deadline passes, `onTimeout(lastStatus, elapsedMs)`
 * builds the error thrown.
 */
export async function pollUntil<T>(
  step: (read: number) => Promise<PollStep<T>>,
  p: PollingPolicy,
  o: { readonly sleep: (ms: number) => Promise<void>; readonly onTimeout: (status: string | undefined, elapsedMs: number) => Error },
): Promise<T> {
  const now = p.now ?? Date.now;
  const started = now();
  for (let read = 1; ; read++) {
    const s = await step(read);
    if (s.done) return s.value;
    const elapsed = now() - started;
    if (elapsed >= p.timeoutMs) throw o.onTimeout(s.status, elapsed);
    await o.sleep(Math.min(pollDelayMs(read, p), Math.max(0, p.timeoutMs - elapsed)));
  }
}

function envMs(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) <= 0) {
    throw new Error(`${name}="${raw}" must be a whole number of milliseconds greater than 0 (default ${fallback})`);
  }
  return Number(raw);
}

/**
 * A provider's polling policy with its environment overrides (tests wait a few milliseconds):
 * `intervalEnv` sets the first pause (the cap is then 8 times it, and without a `timeoutEnv` the
 * timeout 100 times it), `timeoutEnv` the longest wait. Throws naming a malformed value.
 */
export function pollingFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  base: PollingPolicy,
  names: { readonly intervalEnv: string; readonly timeoutEnv?: string },
): PollingPolicy {
  const interval = envMs(env, names.intervalEnv, base.intervalMs);
  const timeout = names.timeoutEnv ? envMs(env, names.timeoutEnv, base.timeoutMs) : undefined;
  return {
    ...base,
    intervalMs: interval ?? base.intervalMs,
    ...(interval !== undefined ? { maxIntervalMs: Math.max(interval, interval * 8) } : {}),
    timeoutMs: timeout ?? (interval !== undefined && !names.timeoutEnv ? interval * 100 : base.timeoutMs),
    ...(names.timeoutEnv ? { timeoutSetting: names.timeoutEnv } : {}),
  };
}
