/**
 * The durable outbox between the bot and the LRS, in one call for the composition root:
 *
 *   const outbox = startOutbox({ file, target: lrsTarget(config, embeddedLrs, clock), ... });
 *   new LearningRecorder(outbox.port, ...);   // stamps; send() = validate + enqueue, synchronous
 *   await outbox.close();                     // stops the sender after its request in flight
 */
import type { Config } from '../config.js';
import type { EmbeddedLrs } from '../lrs/index.js';
import type { Clock } from '../ports.js';
import { Outbox } from './outbox.js';
import { OutboxSender } from './sender.js';
import { embeddedTarget, httpTarget } from './targets.js';
import type { OutboxTarget, RetryPolicy } from './types.js';

export interface RunningOutbox {
  /** The bot's LrsPort. */
  readonly port: Outbox;
  readonly sender: OutboxSender;
  readonly target: OutboxTarget;
  /** Tries to deliver what is queued until the queue is empty or `ms` have passed; true if it emptied. */
  flush(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface StartOutboxOptions {
  readonly file: string;
  readonly target: OutboxTarget;
  readonly clock: Clock;
  readonly batchSize: number;
  readonly retry: RetryPolicy;
  readonly idlePollMs?: number;
  readonly random?: () => number;
  readonly log?: (line: string) => void;
}

/** Opens the outbox file and starts its sender. */
export function startOutbox(options: StartOutboxOptions): RunningOutbox {
  const outbox = new Outbox({ file: options.file, clock: options.clock });
  const sender = new OutboxSender(outbox, options.target, options);
  sender.start();
  return {
    port: outbox,
    sender,
    target: options.target,
    flush: async (ms) => {
      const until = Date.now() + ms;
      while (outbox.queued() > 0 && Date.now() < until) {
        sender.wake();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return outbox.queued() === 0;
    },
    close: async () => {
      await sender.stop();
      outbox.close();
    },
  };
}

/** LRS_ENDPOINT set: that LRS over HTTP; otherwise the embedded LRS in process. */
export function lrsTarget(config: Pick<Config, 'lrs' | 'outbox'>, embedded: Pick<EmbeddedLrs, 'store' | 'authority'>, clock: Clock): OutboxTarget {
  if (!config.lrs.endpoint) return embeddedTarget(embedded);
  return httpTarget({
    endpoint: config.lrs.endpoint,
    key: config.lrs.key,
    secret: config.lrs.secret,
    version: config.lrs.version,
    timeoutMs: config.outbox.requestTimeoutMs,
    clock,
  });
}

export { backoffDelay, parseRetryAfter } from './backoff.js';
export { Outbox, type OutboxOptions } from './outbox.js';
export { OutboxSender, type PassResult, type SenderOptions } from './sender.js';
export { classifyResponse, embeddedTarget, httpTarget, type HttpTargetOptions, type LrsVersion } from './targets.js';
export type * from './types.js';
