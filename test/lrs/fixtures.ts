import { randomUUID } from 'node:crypto';
import { AcademyError } from '../../src/errors.js';
import type { Clock, IdGenerator } from '../../src/ports.js';
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
