import type { Statement } from '@xapi/xapi';
import type { StatementSource } from '../records/ports.js';
import { EmbeddedStatementSource } from '../records/sources.js';
import type { StatementStore } from '../lrs/store.js';
import type { Agent } from '../lrs/types.js';
import type { Clock, IdGenerator } from '../ports.js';
import { VERBS } from '../xapi/profile.js';

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

/**
 * LearnerRecords over any LRS: the learner's statements are found by their pseudonymous account
 * through a StatementSource, and voided with voiding statements made by the academy (so they
 * vanish from every query, as xAPI requires, while no statement is rewritten). `deliver` sends
 * the voiding statements: straight into the embedded store, or through the outbox to an
 * external LRS (where they follow the statements they void, in timestamp order).
 */
export class LrsLearnerRecords implements LearnerRecords {
  constructor(
    private readonly source: StatementSource,
    private readonly deliver: (voiding: Statement[]) => Promise<void>,
    private readonly accountHomePage: string,
    private readonly authority: Agent,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly pending?: PendingStatements,
  ) {}

  private async ofLearner(learnerId: string): Promise<{ id: string; timestamp: string }[]> {
    const agent: Agent = { objectType: 'Agent', account: { homePage: this.accountHomePage, name: learnerId } };
    const out: { id: string; timestamp: string }[] = [];
    let page = await this.source.query({ agent, ascending: true, limit: PAGE });
    for (;;) {
      for (const s of page.statements) {
        // Voiding statements the academy made match the filter too (they target the learner's); they are not the learner's.
        if (s.verb.id !== VERBS.voided.id) out.push({ id: String(s.id), timestamp: String(s.timestamp) });
      }
      if (!page.more) return out;
      page = await this.source.more(page.more);
    }
  }

  async summary(learnerId: string): Promise<RecordSummary> {
    const mine = await this.ofLearner(learnerId);
    return { statements: mine.length, ...(mine.length ? { first: mine[0].timestamp, last: mine[mine.length - 1].timestamp } : {}) };
  }

  async erase(learnerId: string): Promise<number> {
    // First what is still queued or failed in the outbox, so nothing of theirs arrives after the erase.
    const dropped = this.pending?.forgetLearner(this.accountHomePage, learnerId) ?? 0;
    const mine = await this.ofLearner(learnerId);
    const now = this.clock.now().toISOString();
    for (let i = 0; i < mine.length; i += PAGE) {
      await this.deliver(
        mine.slice(i, i + PAGE).map((s) => ({
          id: this.ids.uuid(),
          actor: this.authority,
          verb: VERBS.voided,
          object: { objectType: 'StatementRef', id: s.id },
          timestamp: now,
        })),
      );
    }
    return mine.length + dropped;
  }
}

/** LearnerRecords on the embedded LRS, voiding at once. */
export class EmbeddedLearnerRecords extends LrsLearnerRecords {
  constructor(store: StatementStore, accountHomePage: string, authority: Agent, clock: Clock, ids: IdGenerator, pending?: PendingStatements) {
    super(new EmbeddedStatementSource(store), async (voiding) => void store.insert(voiding, authority), accountHomePage, authority, clock, ids, pending);
  }
}
