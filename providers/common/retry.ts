/**
 * Retrying refused calls with bounded exponential backoff: the one retry
 * policy of every API client the providers use. Only calls refused before they
 * ran (throttling) are retried; a Create* that failed for another reason may
 * have half-happened and is not repeated here.
 */

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
