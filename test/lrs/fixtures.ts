import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { AcademyError } from '../../src/errors.js';
import type { Clock, IdGenerator } from '../../src/ports.js';
import { DocumentStore } from '../../src/lrs/documents.js';
import { registerLrsRoutes, type LrsRouteDeps } from '../../src/lrs/routes.js';
import { StatementStore } from '../../src/lrs/store.js';
import type { Agent } from '../../src/lrs/types.js';

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  private ms: number;
  constructor(start = '2024-05-01T09:00:00.000Z') {
    this.ms = Date.parse(start);
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(iso: string): void {
    this.ms = Date.parse(iso);
  }
}

/** Predictable v4-shaped UUIDs. */
export class CountingIds implements IdGenerator {
  private n = 0;
  uuid(): string {
    this.n += 1;
    return `00000000-0000-4000-8000-${this.n.toString(16).padStart(12, '0')}`;
  }
}

export const AUTHORITY: Agent = { objectType: 'Agent', account: { homePage: 'http://lrs.test/xapi', name: 'test-key' } };

export const VERBS = {
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  attempted: 'http://adlnet.gov/expapi/verbs/attempted',
  answered: 'http://adlnet.gov/expapi/verbs/answered',
  voided: 'http://adlnet.gov/expapi/verbs/voided',
};

/** A random RFC 4122 v4 UUID for test data. */
export function uuid(): string {
  return randomUUID();
}

export function agent(name: string): Agent {
  return { objectType: 'Agent', name, mbox: `mailto:${name.toLowerCase()}@example.org` };
}

type Json = Record<string, unknown>;

/** A minimal valid statement; `extra` is merged over it (shallow). */
export function statement(extra: Json = {}): Json {
  return {
    actor: agent('Ada'),
    verb: { id: VERBS.completed, display: { 'en-GB': 'completed' } },
    object: {
      objectType: 'Activity',
      id: 'https://academy.example.org/xapi/lessons/passwords',
      definition: { name: { 'en-GB': 'Strong passwords', 'en-US': 'Strong passwords (US)' } },
    },
    ...extra,
  };
}

export function voiding(targetId: string, extra: Json = {}): Json {
  return statement({
    verb: { id: VERBS.voided, display: { 'en-GB': 'voided' } },
    object: { objectType: 'StatementRef', id: targetId },
    ...extra,
  });
}

/** The AcademyError a call throws (fails the test when it throws none). */
export function rejection(run: () => unknown): AcademyError {
  try {
    run();
  } catch (e) {
    if (e instanceof AcademyError) return e;
    throw e;
  }
  throw new Error('expected an AcademyError');
}

export const LRS_KEY = 'test-key';
export const LRS_SECRET = 'test-secret-test-secret-test-secret';

/** An HTTP Basic Authorization header value. */
export function basicAuth(key = LRS_KEY, secret = LRS_SECRET): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}

export interface TestLrs {
  /** The xAPI endpoint, e.g. http://127.0.0.1:1234/xapi */
  base: string;
  store: StatementStore;
  documents: DocumentStore;
  clock: ManualClock;
  close(): Promise<void>;
}

/** In-memory statement and document stores behind registerLrsRoutes (LRS_KEY / LRS_SECRET), on a free port. */
export async function serveLrs(options: Pick<LrsRouteDeps, 'defaultVersion'> = {}): Promise<TestLrs> {
  const clock = new ManualClock();
  const store = new StatementStore(':memory:', clock);
  const documents = new DocumentStore(':memory:', clock);
  const server = restify.createServer({ handleUncaughtExceptions: false });
  registerLrsRoutes(server, { ...options, store, documents, credentials: { key: LRS_KEY, secret: LRS_SECRET }, clock });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/xapi`,
    store,
    documents,
    clock,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      documents.close();
      store.close();
    },
  };
}
