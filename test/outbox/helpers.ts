import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Statement } from '@xapi/xapi';
import { Outbox } from '../../src/outbox/outbox.js';
import type { DeliveryOutcome, OutboxTarget } from '../../src/outbox/types.js';
import { systemClock } from '../../src/ports.js';
import { tempDir } from '../support/bot.js';

export const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
export const EXPERIENCED = 'http://adlnet.gov/expapi/verbs/experienced';
export const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

/** A valid statement as the recorder makes it: pseudonymous actor, id and timestamp fixed. */
export function learnerStatement(timestamp: string, extra: Partial<Statement> = {}): Statement {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: 'https://academy.test/xapi', name: 'dl_outboxlearner000001' } },
    verb: { id: EXPERIENCED, display: { 'en-GB': 'experienced' } },
    object: { objectType: 'Activity', id: 'https://academy.test/xapi/activities/lesson/nhs-app-register/card/1' },
    timestamp,
    ...extra,
  };
}

/** A voiding statement whose target the LRS has never seen: a real 400 from the embedded LRS. */
export function voidingUnknown(timestamp: string): Statement {
  return learnerStatement(timestamp, { verb: { id: VOIDED, display: { 'en-GB': 'voided' } }, object: { objectType: 'StatementRef', id: randomUUID() } });
}

/** `n` statements a second apart from `start`. */
export function statementsFrom(start: string, n: number): Statement[] {
  const t0 = Date.parse(start);
  return Array.from({ length: n }, (_, i) => learnerStatement(new Date(t0 + i * 1000).toISOString()));
}

/** A fresh outbox file in a temp folder. */
export function tempOutbox(): Outbox {
  return new Outbox({ file: join(tempDir('outbox-'), 'outbox.sqlite'), clock: systemClock });
}

/**
 * A target whose answers a test scripts: a real in-process implementation that records every
 * batch it is sent, and the time (from `now`) at which it was sent.
 */
export class ScriptedTarget implements OutboxTarget {
  readonly name = 'scripted LRS';
  readonly calls: { ids: string[]; at: number }[] = [];
  readonly stored: Statement[] = [];

  constructor(
    private readonly answer: (statements: readonly Statement[], call: number) => DeliveryOutcome,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async deliver(statements: readonly Statement[]): Promise<DeliveryOutcome> {
    this.calls.push({ ids: statements.map((s) => s.id ?? ''), at: this.now() });
    const outcome = this.answer(statements, this.calls.length);
    if (outcome.kind === 'delivered') this.stored.push(...statements);
    return outcome;
  }
}

/** A loopback HTTP server answering with `handler`; records each request's headers and body. */
export async function startHttpStub(
  handler: (req: IncomingMessage, body: string, res: ServerResponse) => void,
): Promise<{ url: string; requests: { headers: IncomingMessage['headers']; body: string }[]; close(): Promise<void> }> {
  const requests: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/xapi`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
