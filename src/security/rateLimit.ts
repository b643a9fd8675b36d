import type { IncomingMessage } from 'node:http';
import { AcademyError } from '../errors.js';
import type { Clock } from '../ports.js';

/**
 * A fixed-window counter per key (an IP address, a learner): at most `limit` hits per window.
 * Memory is bounded: beyond `maxKeys` keys the oldest windows are dropped.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts a hit; AcademyError 429 (with Retry-After) once the key is over its limit. */
  take(key: string, what: string): void {
    const now = this.clock.now().getTime();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.delete(key);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      this.trim();
    }
    w.count += 1;
    if (w.count > this.limit) {
      const wait = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
      throw new AcademyError(429, `Too many ${what}; try again in ${wait} seconds`, undefined, wait);
    }
  }

  private trim(): void {
    while (this.windows.size > this.maxKeys) {
      const oldest = this.windows.keys().next();
      if (oldest.done) return;
      this.windows.delete(oldest.value);
    }
  }
}

/** The caller's address: the socket's, or with `trustProxy` the first X-Forwarded-For entry. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  if (trustProxy && first) return first.slice(0, 64);
  return req.socket.remoteAddress ?? 'unknown';
}
