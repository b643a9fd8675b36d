/**
 * The statement pipeline, in one line: the factory (statements.ts) builds a statement, the
 * recorder stamps its id and timestamp (here, and nowhere else), the LRS port takes it — the
 * durable outbox, which validates it once as it enters and delivers it — and the LRS validates
 * what reaches it. The academy's learning records, voiding for an erasure and cmi5 statements to
 * an LMS's LRS all go this way.
 */
import type { Statement } from '@xapi/xapi';
import type { Clock, IdGenerator } from '../ports.js';

/** The port the recorder sends through: the durable outbox (or, in tests, the embedded LRS in process). */
export interface LrsPort {
  send(statements: readonly Statement[]): Promise<void>;
}

/** A statement with its id and timestamp fixed. */
export type Stamped<T extends object = Statement> = T & { readonly id: string; readonly timestamp: string };

/**
 * The one place a statement gets its id and timestamp: at the moment the step happens (so a
 * retry can never make a second statement), from the injected clock and id ports.
 */
export class StatementStamper {
  constructor(
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  stamp<T extends object>(statement: T): Stamped<T> {
    return { ...statement, id: this.ids.uuid(), timestamp: this.clock.now().toISOString() };
  }
}

/**
 * Stamps each statement and hands them to the LRS port. `record` reports a failure, never throws
 * it into the learner's turn; `deliver` throws it (an erasure must know).
 */
export class LearningRecorder {
  private readonly stamper: StatementStamper;

  constructor(
    private readonly lrs: LrsPort,
    clock: Clock,
    ids: IdGenerator,
    private readonly onError: (error: unknown, statements: readonly Statement[]) => void = () => undefined,
  ) {
    this.stamper = new StatementStamper(clock, ids);
  }

  stamp(statement: Statement): Stamped {
    return this.stamper.stamp(statement);
  }

  /** Stamps and sends; a failure is thrown. */
  async deliver(...statements: Statement[]): Promise<Stamped[]> {
    const stamped = statements.map((s) => this.stamp(s));
    await this.lrs.send(stamped);
    return stamped;
  }

  /** Stamps and sends; a failure goes to onError. */
  async record(...statements: Statement[]): Promise<Statement[]> {
    const stamped = statements.map((s) => this.stamp(s));
    try {
      await this.lrs.send(stamped);
    } catch (e) {
      this.onError(e, stamped);
    }
    return stamped;
  }
}
