import restify from 'restify';
import type { AddressInfo } from 'node:net';
import { AcademyError } from '../../src/errors.js';
import type { Clock, IdGenerator } from '../../src/ports.js';

/** A clock that stands still until told to move. */
export class FixedClock implements Clock {
  constructor(private ms = Date.parse('2025-01-01T09:00:00.000Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** The status of the AcademyError a call throws, or undefined when it does not throw. */
export function statusOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AcademyError) return e.status;
    throw e;
  }
  return undefined;
}

/** Predictable ids: prefix-1, prefix-2, … */
export function counterIds(prefix = 'id'): IdGenerator {
  let n = 0;
  return { uuid: () => `${prefix}-${++n}` };
}


export interface Running {
  readonly server: restify.Server;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** A restify server listening on 127.0.0.1 and a free port. */
export async function listen(): Promise<Running> {
  const server = restify.createServer({ name: 'test' });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export async function readBody(req: import('node:http').IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
}

