/** The tests' one polling helper. */

export interface PollOptions<T> {
  /** Give up after this long (default 15 s). */
  readonly timeoutMs?: number;
  /** Read again after this long (default 25 ms). */
  readonly intervalMs?: number;
  /** Whether the value read is the one waited for (default: anything but undefined and false). */
  readonly until?: (value: T) => boolean;
}

const settled = (value: unknown): boolean => value !== undefined && value !== false;

/**
 * Reads `read()` until the value is the one waited for, and returns it; throws `timed out
 * waiting for <what>` (with the last value read) after `timeoutMs`. A number is the timeout.
 */
export async function waitFor<T>(what: string, read: () => T | Promise<T>, options: PollOptions<T> | number = {}): Promise<Exclude<T, undefined | false>> {
  const { timeoutMs = 15_000, intervalMs = 25, until = settled } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    // `until` holds, so the value is the one waited for (by default: neither undefined nor false).
    if (until(value)) return value as Exclude<T, undefined | false>;
    if (Date.now() > deadline) {
      const last = value === undefined || typeof value === 'boolean' ? '' : `: ${JSON.stringify(value)}`;
      throw new Error(`timed out waiting for ${what}${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
