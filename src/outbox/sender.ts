/**
 * The background sender: takes batches from the outbox (oldest first) and delivers them to the
 * target, one request at a time.
 *
 *  - delivered: the batch leaves the queue. A 409 or "already stored" answer for a batch of more
 *    than one is split, as it only proves one of them is stored.
 *  - rejected (400 …): a batch is split in halves until the refused statement(s) stand alone;
 *    those move to the failed list with the LRS's reason, the others are delivered. A 403 moves
 *    the whole batch (the credentials may not write at all; `academy outbox retry` after a fix).
 *  - retry (5xx, 429, network …): wait — Retry-After when the LRS gives one, else exponential
 *    backoff with jitter — and send the same statements again.
 *
 * Idle, it waits for an enqueue in this process, or polls the file (`idlePollMs`) for
 * statements queued by another process (`academy outbox retry`).
 */
import { backoffDelay } from './backoff.js';
import type { Outbox } from './outbox.js';
import type { DeliveryOutcome, OutboxTarget, QueuedStatement, RetryPolicy } from './types.js';

export interface SenderOptions {
  /** Statements per request (default 50). */
  readonly batchSize?: number;
  readonly retry: RetryPolicy;
  /** How often an idle sender looks for statements queued by another process (default 2000 ms). */
  readonly idlePollMs?: number;
  /** [0, 1); the jitter (default Math.random). */
  readonly random?: () => number;
  readonly log?: (line: string) => void;
}

/** What one pass did. */
export interface PassResult {
  readonly delivered: number;
  readonly failed: number;
  /** Set when the pass stopped on a retryable failure. */
  readonly retry?: Extract<DeliveryOutcome, { kind: 'retry' }>;
}

const NOTHING: PassResult = { delivered: 0, failed: 0 };

function add(a: PassResult, b: PassResult): PassResult {
  return { delivered: a.delivered + b.delivered, failed: a.failed + b.failed, ...(b.retry ? { retry: b.retry } : {}) };
}

export class OutboxSender {
  private readonly batchSize: number;
  private readonly idlePollMs: number;
  private readonly random: () => number;
  private readonly log: (line: string) => void;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private woken = false;
  private interrupt: (() => void) | undefined;
  private wakeable = false;
  private failures = 0;
  private lastCheckpoint = 0;
  private drainedWaiters: (() => void)[] = [];

  constructor(
    private readonly outbox: Outbox,
    private readonly target: OutboxTarget,
    private readonly options: SenderOptions,
  ) {
    this.batchSize = options.batchSize ?? 50;
    this.idlePollMs = options.idlePollMs ?? 2000;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => undefined);
  }

  /** Starts sending in the background; an enqueue wakes it. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.outbox.listen(() => this.wake());
    this.loopDone = this.loop();
  }

  /**
   * Stops after the request in flight, if any, is answered and settled — or after `graceMs`
   * (default 2 s): an unsettled batch simply stays queued and is sent again at the next start.
   */
  async stop(graceMs = 2000): Promise<void> {
    if (this.running) {
      this.running = false;
      this.outbox.listen(undefined);
      this.interrupt?.();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loopDone, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const resolve of this.drainedWaiters.splice(0)) resolve();
  }

  /** Something was queued: send now, unless waiting out a failure. */
  wake(): void {
    this.woken = true;
    if (this.wakeable) this.interrupt?.();
  }

  /** Resolves the next time the sender finds the queue empty (or stops). */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      this.drainedWaiters.push(resolve);
      this.wake();
    });
  }

  /** Sends one batch (splitting it as needed); what the background loop does each time. */
  async pass(): Promise<PassResult & { readonly attempted: number }> {
    const batch = this.outbox.nextBatch(this.batchSize);
    if (batch.length === 0) return { ...NOTHING, attempted: 0 };
    return { ...(await this.deliver(batch)), attempted: batch.length };
  }

  private async deliver(batch: QueuedStatement[]): Promise<PassResult> {
    const outcome = await this.target.deliver(batch.map((q) => q.statement));
    switch (outcome.kind) {
      case 'delivered':
        if (outcome.status >= 300 && batch.length > 1) return this.split(batch);
        this.outbox.markDelivered(batch);
        if (outcome.note) this.log(`LRS: statement ${batch[0].id} ${outcome.note}; counted as delivered`);
        return { delivered: batch.length, failed: 0 };
      case 'rejected':
        if (batch.length > 1 && outcome.status !== 403) return this.split(batch);
        this.outbox.markFailed(batch, outcome.status, outcome.reason);
        this.log(`LRS refused ${batch.length === 1 ? `statement ${batch[0].id}` : `${batch.length} statements`} (${outcome.reason}); see \`academy outbox status\``);
        return { delivered: 0, failed: batch.length };
      case 'retry':
        this.outbox.markAttempted(batch);
        return { ...NOTHING, retry: outcome };
    }
  }

  /** Delivers the halves in order; stops at the first retryable failure. */
  private async split(batch: QueuedStatement[]): Promise<PassResult> {
    const middle = Math.ceil(batch.length / 2);
    const first = await this.deliver(batch.slice(0, middle));
    if (first.retry) return first;
    return add(first, await this.deliver(batch.slice(middle)));
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.woken = false;
      let result: PassResult & { attempted: number };
      try {
        result = await this.pass();
        this.checkpoint();
      } catch (e) {
        // The outbox file itself failed (disk full, locked for too long): wait and try again.
        result = { ...NOTHING, attempted: 0, retry: { kind: 'retry', reason: `outbox: ${e instanceof Error ? e.message : String(e)}` } };
      }
      if (!this.running) break;
      if (result.retry) {
        this.failures += 1;
        const delay = result.retry.retryAfterMs ?? backoffDelay(this.failures, this.options.retry, this.random);
        if (this.failures === 1 || this.failures % 10 === 0) {
          this.log(`LRS delivery to ${this.target.name} failed (${result.retry.reason}); ${this.outbox.queued()} statements kept in the outbox, next try in ${delay} ms`);
        }
        await this.pause(delay, false);
        continue;
      }
      if (this.failures > 0) this.log(`LRS delivery to ${this.target.name} resumed after ${this.failures} failed attempts`);
      this.failures = 0;
      if (result.attempted === 0) {
        for (const resolve of this.drainedWaiters.splice(0)) resolve();
        if (!this.woken) await this.pause(this.idlePollMs, true);
      }
    }
  }

  /** At most once a second: the outbox's WAL checkpoint (an fsync), here rather than in an enqueue. */
  private checkpoint(): void {
    const now = Date.now();
    if (now - this.lastCheckpoint < 1000) return;
    if (this.outbox.checkpoint()) this.lastCheckpoint = now;
  }

  /** Waits `ms`, or less if stopped (or woken, when `wakeable`). */
  private pause(ms: number, wakeable: boolean): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interrupt = undefined;
        this.wakeable = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.interrupt = done;
      this.wakeable = wakeable;
    });
  }
}
