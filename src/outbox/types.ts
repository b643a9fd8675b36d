/**
 * The outbox's contract. Learning statements go: the bot's LrsPort → Outbox (SQLite, in
 * DATA_DIR/outbox.sqlite) → OutboxSender → an OutboxTarget (the embedded LRS in process, or an
 * external LRS over HTTP).
 */
import type { Statement } from '@xapi/xapi';

/** What the target made of a batch of statements. */
export type DeliveryOutcome =
  /** Stored (2xx), or already there: 409, or a 400 saying the id is already stored. */
  | { readonly kind: 'delivered'; readonly status: number; readonly note?: string }
  /** Refused for good (400, 403, other 4xx): retrying the same statement will not help. */
  | { readonly kind: 'rejected'; readonly status: number; readonly reason: string }
  /** Not stored this time (5xx, 429, 401, network): try again later, after `retryAfterMs` if given. */
  | { readonly kind: 'retry'; readonly status?: number; readonly reason: string; readonly retryAfterMs?: number };

/** Where the sender delivers statements. Never throws: every failure is an outcome. */
export interface OutboxTarget {
  /** For logs and `academy outbox status`: 'embedded LRS' or the endpoint URL. */
  readonly name: string;
  deliver(statements: readonly Statement[]): Promise<DeliveryOutcome>;
}

/** A statement waiting in the outbox. */
export interface QueuedStatement {
  /** Enqueue order (ties between equal timestamps). */
  readonly seq: number;
  readonly id: string;
  readonly statement: Statement;
}

/** A statement the LRS refused for good, with its reason. */
export interface FailedStatement {
  readonly id: string;
  readonly verb: string;
  readonly timestamp: string;
  /** HTTP status the LRS answered with (400, 403 …). */
  readonly status: number;
  readonly reason: string;
  /** When it was moved to the failed list (ISO 8601). */
  readonly failedAt: string;
}

export interface OutboxStatus {
  readonly queued: number;
  readonly delivered: number;
  readonly failed: number;
  /** Timestamp of the oldest queued statement, if any. */
  readonly oldestQueued?: string;
  readonly failures: readonly FailedStatement[];
}

/** Exponential backoff with jitter between failed attempts. */
export interface RetryPolicy {
  /** Delay after the first failure (ms); doubles with each further failure. */
  readonly baseMs: number;
  /** The longest delay (ms), Retry-After excepted. */
  readonly maxMs: number;
}
