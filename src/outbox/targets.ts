/**
 * Where the outbox delivers: the embedded LRS in process, or an external LRS over HTTP through
 * the one xAPI client (src/xapi/client.ts). Each answer becomes a DeliveryOutcome:
 *
 *   2xx                                   delivered
 *   409, or 400 "…already stored/exists"  delivered (the id is there; a batch is split by the sender)
 *   429, 503 (Retry-After honoured)       retry
 *   5xx, 401, 404, 407, 408, network      retry (401/404 are configuration: fix and it flows again)
 *   400, 403, other 4xx                   rejected, with the LRS's reason
 */
import { isAcademyError } from '../errors.js';
import type { EmbeddedLrs } from '../lrs/index.js';
import type { Clock } from '../ports.js';
import { XapiClient, answerJson, basicAuth, fetchTransport, type XapiVersion } from '../xapi/client.js';
import { parseRetryAfter } from './backoff.js';
import type { DeliveryOutcome, OutboxTarget } from './types.js';

export type LrsVersion = XapiVersion;

const ALREADY_STORED = /already (been )?(stored|exists|exist)/i;
const RETRY_STATUSES = new Set([401, 404, 407, 408, 425, 429]);

/** The LRS's reason from an error body: `{ error }`, `{ message }`, or the text itself. */
export function reasonFrom(body: unknown, status: number): string {
  let reason = '';
  if (typeof body === 'string') reason = body;
  else if (body && typeof body === 'object') {
    for (const key of ['error', 'message', 'reason']) {
      const value: unknown = Reflect.get(body, key);
      if (typeof value === 'string' && value) {
        reason = value;
        break;
      }
    }
    if (!reason) reason = JSON.stringify(body);
  }
  reason = reason.replace(/\s+/g, ' ').trim().slice(0, 500);
  return reason ? `${status}: ${reason}` : `HTTP ${status}`;
}

/** Classifies an LRS answer to POST statements. */
export function classifyResponse(status: number, body: unknown, retryAfter: string | null | undefined, now: Date): DeliveryOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  const reason = reasonFrom(body, status);
  if (status === 409) return { kind: 'delivered', status, note: `already stored (${reason})` };
  if (status === 400 && ALREADY_STORED.test(reason)) return { kind: 'delivered', status, note: `already stored (${reason})` };
  if (status >= 500 || RETRY_STATUSES.has(status)) {
    const retryAfterMs = parseRetryAfter(retryAfter, now);
    return { kind: 'retry', status, reason, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  return { kind: 'rejected', status, reason };
}

/** The embedded LRS, in process: one `store.insert` per batch (validated, atomic). */
export function embeddedTarget(lrs: Pick<EmbeddedLrs, 'store' | 'authority'>): OutboxTarget {
  return {
    name: 'embedded LRS',
    deliver: async (statements) => {
      try {
        lrs.store.insert([...statements], lrs.authority);
        return { kind: 'delivered', status: 200 };
      } catch (e) {
        if (isAcademyError(e) && e.status === 409) return { kind: 'delivered', status: 409, note: `already stored (${e.message})` };
        if (isAcademyError(e) && e.status >= 400 && e.status < 500) return { kind: 'rejected', status: e.status, reason: `${e.status}: ${e.message}` };
        return { kind: 'retry', reason: `embedded LRS: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
  };
}

export interface HttpTargetOptions {
  /** The LRS endpoint, e.g. https://lrs.example.org/xapi (statements go to <endpoint>/statements). */
  readonly endpoint: string;
  readonly key: string;
  readonly secret: string;
  readonly version: LrsVersion;
  /** A request that takes longer is abandoned and retried. */
  readonly timeoutMs: number;
  readonly clock: Clock;
}

/** An external LRS over HTTP: POST <endpoint>/statements with the batch as a JSON array. */
export function httpTarget(options: HttpTargetOptions): OutboxTarget {
  const client = new XapiClient({
    endpoint: options.endpoint,
    authorization: basicAuth(options.key, options.secret),
    version: options.version,
    transport: fetchTransport({ timeoutMs: options.timeoutMs }),
  });
  return {
    name: options.endpoint,
    deliver: async (statements) => {
      try {
        const answer = await client.postStatements(statements);
        return classifyResponse(answer.status, answerJson(answer) ?? answer.text, answer.retryAfter, options.clock.now());
      } catch (e) {
        return { kind: 'retry', reason: `no answer from ${options.endpoint}: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
  };
}
