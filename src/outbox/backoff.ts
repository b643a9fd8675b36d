import type { RetryPolicy } from './types.js';

/** Retry-After is capped here, so a wrong header cannot stop delivery for days. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * The wait after the `failures`-th failure in a row (1, 2, …): exponential, capped at
 * `maxMs`, with "equal jitter" — half fixed, half random — so many academies restarting
 * together do not retry in step, yet never retry at once. `random` returns [0, 1).
 */
export function backoffDelay(failures: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * A Retry-After header (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds or an
 * HTTP-date. Undefined when absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Math.min(Number(raw) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(at - now.getTime(), 0), MAX_RETRY_AFTER_MS);
}
