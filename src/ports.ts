import { randomUUID } from 'node:crypto';

/** Time, behind a port so tests can use sinon fake timers or a fixed clock. */
export interface Clock {
  now(): Date;
}

/** Identifiers, behind a port so tests can make them predictable. */
export interface IdGenerator {
  uuid(): string;
}

export const systemClock: Clock = { now: () => new Date() };
export const randomIds: IdGenerator = { uuid: () => randomUUID() };
