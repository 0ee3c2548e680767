/**
 * Retrying calls with bounded exponential backoff: the one retry policy of every API client the
 * providers use (DataWorks, DTS, SLS, MaxCompute, DataHub, Flink, BSS).
 *
 * - Throttling (providers/common/errors.ts `isThrottling`) is always retried: the call was refused
 *   before it ran.
 * - A server error (5xx) or no answer at all (timeout, reset, refused: `isOutcomeUnknown`) leaves
 *   the outcome unknown. A read, or a write whose repeat has the same effect (an update, a delete
 *   that treats "gone" as done, a start that treats "already running" as done), is sent again. A
 *   create is not simply repeated, which could make a second object: the client first looks for
 *   what the first attempt may have made (`recover`, e.g. a list by the object's unique name) and
 *   returns it when found; only when nothing is there is the create sent again. A create without
 *   such a look-up is not repeated.
 * - Anything else (a refusal, a missing object, a bad key) is thrown at once.
 */
import { AlibabaApiError, isOutcomeUnknown, isThrottling, withNote } from "./errors";

/** Retry policy. */
export interface RetryPolicy {
  /** Attempts in all, first included. @default 5 */
  readonly maxAttempts: number;
  /** First backoff, in milliseconds; doubles each retry. @default 500 */
  readonly baseDelayMs: number;
  /** Longest single backoff, in milliseconds. @default 8000 */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8000 };

/** Environment variable that sets the first backoff (tests use a few milliseconds); the cap scales with it. */
export const RETRY_BASE_ENV = "PHOTO_ANALYTICS_RETRY_BASE_MS";
/** Environment variable that sets how long a client waits for an answer, in milliseconds (tests: short, to meet a timeout quickly). */
export const READ_TIMEOUT_ENV = "PHOTO_ANALYTICS_API_READ_TIMEOUT_MS";

function positiveMs(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) <= 0) {
    throw new Error(`${name}="${raw}" must be a whole number of milliseconds greater than 0 (default ${fallback})`);
  }
  return Number(raw);
}

/** The default policy, with the first backoff from `PHOTO_ANALYTICS_RETRY_BASE_MS` when set (the cap 16 times it). */
export function retryPolicyFromEnv(env: Readonly<Record<string, string | undefined>>, base: RetryPolicy = DEFAULT_RETRY): RetryPolicy {
  const first = positiveMs(env, RETRY_BASE_ENV, base.baseDelayMs);
  return first === base.baseDelayMs ? base : { ...base, baseDelayMs: first, maxDelayMs: first * 16 };
}

/** How long to wait for an answer: `PHOTO_ANALYTICS_API_READ_TIMEOUT_MS`, else `fallback`. */
export function readTimeoutFromEnv(env: Readonly<Record<string, string | undefined>>, fallback: number): number {
  return positiveMs(env, READ_TIMEOUT_ENV, fallback);
}

/** Backoff before retry number `retry` (1-based): base * 2^(retry-1), capped, with up to 20% jitter below. */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(raw * (1 - 0.2 * random()));
}

/** A sleep that really waits (tests pass their own). */
export const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `attempt` until it succeeds, retrying errors `retryable` accepts with
 * `backoffMs` between attempts. After the last attempt the error goes through
 * `onGiveUp` (to say how many attempts were made) and is thrown.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  o: {
    readonly policy?: RetryPolicy;
    readonly sleep?: (ms: number) => Promise<void>;
    readonly retryable: (e: unknown) => boolean;
    readonly onGiveUp?: (e: unknown, attempts: number) => unknown;
  },
): Promise<T> {
  const policy = o.policy ?? DEFAULT_RETRY;
  const sleep = o.sleep ?? realSleep;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!o.retryable(e)) throw e;
      if (n >= policy.maxAttempts) throw o.onGiveUp ? o.onGiveUp(e, n) : e;
      await sleep(backoffMs(n, policy));
    }
  }
}

/** How a call may be repeated (see the module comment). */
export interface CallRetry<T> {
  /** A repeat has the same effect as one call (reads, updates, deletes, starts and stops). */
  readonly idempotent: boolean;
  /**
   * For a call that is not idempotent (a create): after an unknown outcome, looks for what it may
   * have made; the value found is the call's result. Without it, an unknown outcome is thrown.
   */
  readonly recover?: () => Promise<T | undefined>;
  readonly policy?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * One API call through the one retry policy: `attempt` throws the client's mapped
 * {@link AlibabaApiError}; the error finally thrown says how many attempts were made.
 */
export async function retryCall<T>(attempt: () => Promise<T>, o: CallRetry<T>): Promise<T> {
  const policy = o.policy ?? DEFAULT_RETRY;
  const sleep = o.sleep ?? realSleep;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      const throttled = e instanceof AlibabaApiError && isThrottling(e);
      const unknown = !throttled && isOutcomeUnknown(e);
      if (!throttled && !unknown) throw e;
      if (unknown && !o.idempotent && !o.recover) throw e;
      if (n >= policy.maxAttempts && !(unknown && o.recover)) throw giveUp(e, n, throttled);
      await sleep(backoffMs(n, policy));
      if (unknown && !o.idempotent && o.recover) {
        const found = await o.recover();
        if (found !== undefined) return found;
        if (n >= policy.maxAttempts) throw giveUp(e, n, throttled);
      }
    }
  }
}

function giveUp(e: unknown, attempts: number, throttled: boolean): unknown {
  if (!(e instanceof AlibabaApiError)) return e;
  return withNote(e, `still ${throttled ? "throttled" : "failing"} after ${attempts} attempts`);
}
