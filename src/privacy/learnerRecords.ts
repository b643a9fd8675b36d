import type { Statement } from '@xapi/xapi';
import type { StatementSource } from '../records/ports.js';
import { EmbeddedStatementSource, allStatements } from '../records/sources.js';
import type { StatementStore } from '../lrs/store.js';
import type { Agent } from '../lrs/types.js';
import type { Clock, IdGenerator } from '../ports.js';
import { VERBS } from '../xapi/profile.js';
import { LearningRecorder } from '../xapi/recorder.js';
import { voidingStatement } from '../xapi/statements.js';

/** What the academy's learning record holds about one learner. */
export interface RecordSummary {
  readonly statements: number;
  readonly first?: string;
  readonly last?: string;
}

/** The learner's own view of their learning record, and the right to erase it. */
export interface LearnerRecords {
  summary(learnerId: string): Promise<RecordSummary>;
  /** Voids every statement of the learner; returns how many were voided. */
  erase(learnerId: string): Promise<number>;
}

const PAGE = 500;

/** Statements not yet delivered to the LRS (the outbox): erased before the record is voided. */
export interface PendingStatements {
  forgetLearner(homePage: string, name: string): number;
}

/** Sends stamped statements and throws when they could not be sent (LearningRecorder.deliver). */
export interface VoidingPort {
  deliver(...statements: Statement[]): Promise<unknown>;
}

/**
 * LearnerRecords over any LRS: the learner's statements are found by their pseudonymous account
 * through a StatementSource, and voided with voiding statements made by the academy (so they
 * vanish from every query, as xAPI requires, while no statement is rewritten). The voiding
 * statements go through the statement pipeline (`voider`: a LearningRecorder, which stamps
 * them): through the outbox to an external LRS (where they follow the statements they void, in
 * timestamp order), or straight into the embedded store.
 */
export class LrsLearnerRecords implements LearnerRecords {
  constructor(
    private readonly source: StatementSource,
    private readonly voider: VoidingPort,
    private readonly accountHomePage: string,
    private readonly authority: Agent,
    private readonly pending?: PendingStatements,
  ) {}

  private async ofLearner(learnerId: string): Promise<{ id: string; timestamp: string }[]> {
    const agent: Agent = { objectType: 'Agent', account: { homePage: this.accountHomePage, name: learnerId } };
    const out: { id: string; timestamp: string }[] = [];
    for await (const s of allStatements(this.source, { agent, ascending: true, limit: PAGE })) {
      // Voiding statements the academy made match the filter too (they target the learner's); they are not the learner's.
      if (s.verb.id !== VERBS.voided.id) out.push({ id: String(s.id), timestamp: String(s.timestamp) });
    }
    return out;
  }

  async summary(learnerId: string): Promise<RecordSummary> {
    const mine = await this.ofLearner(learnerId);
    return { statements: mine.length, ...(mine.length ? { first: mine[0].timestamp, last: mine[mine.length - 1].timestamp } : {}) };
  }

  async erase(learnerId: string): Promise<number> {
    // First what is still queued or failed in the outbox, so nothing of theirs arrives after the erase.
    const dropped = this.pending?.forgetLearner(this.accountHomePage, learnerId) ?? 0;
    const mine = await this.ofLearner(learnerId);
    for (let i = 0; i < mine.length; i += PAGE) {
      await this.voider.deliver(...mine.slice(i, i + PAGE).map((s) => voidingStatement(this.authority, s.id)));
    }
    return mine.length + dropped;
  }
}

/** LearnerRecords on the embedded LRS, voiding at once (straight into the store). */
export class EmbeddedLearnerRecords extends LrsLearnerRecords {
  constructor(store: StatementStore, accountHomePage: string, authority: Agent, clock: Clock, ids: IdGenerator, pending?: PendingStatements) {
    const voider = new LearningRecorder({ send: async (voiding) => void store.insert([...voiding], authority) }, clock, ids);
    super(new EmbeddedStatementSource(store), voider, accountHomePage, authority, pending);
  }
}
