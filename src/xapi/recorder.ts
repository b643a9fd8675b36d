import type { Statement } from '@xapi/xapi';
import type { Clock, IdGenerator } from '../ports.js';

/** The port the bot records through: the embedded LRS in-process, or (later) a durable outbox to any LRS. */
export interface LrsPort {
  send(statements: readonly Statement[]): Promise<void>;
}

/**
 * Stamps each statement with its id and timestamp at the moment the step happens (so a retry
 * can never make a second statement) and hands them to the LRS port. A recording failure is
 * reported, never thrown into the learner's turn.
 */
export class LearningRecorder {
  constructor(
    private readonly lrs: LrsPort,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly onError: (error: unknown, statements: readonly Statement[]) => void,
  ) {}

  stamp(statement: Statement): Statement {
    return { ...statement, id: this.ids.uuid(), timestamp: this.clock.now().toISOString() };
  }

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
