import type { Clock, IdGenerator } from '../ports.js';
import type { StatementStore } from '../lrs/store.js';
import type { Agent } from '../lrs/types.js';
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

/**
 * LearnerRecords over the embedded LRS: statements are found by the learner's pseudonymous
 * account and voided with voiding statements made by the academy (so they vanish from every
 * query, as xAPI requires, while the store is never rewritten).
 */
export class EmbeddedLearnerRecords implements LearnerRecords {
  constructor(
    private readonly store: StatementStore,
    private readonly accountHomePage: string,
    private readonly authority: Agent,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  private ofLearner(learnerId: string): { id: string; timestamp: string }[] {
    const agent: Agent = { objectType: 'Agent', account: { homePage: this.accountHomePage, name: learnerId } };
    const out: { id: string; timestamp: string }[] = [];
    let page = this.store.query({ agent, ascending: true, limit: PAGE, format: 'ids' });
    for (;;) {
      for (const s of page.statements) {
        // Voiding statements the academy made are not the learner's.
        if (s.verb.id !== VERBS.voided.id) out.push({ id: String(s.id), timestamp: String(s.timestamp) });
      }
      const token = page.more ? new URL(page.more, 'http://x').searchParams.get('more') : null;
      if (!token) return out;
      page = this.store.more(token);
    }
  }

  async summary(learnerId: string): Promise<RecordSummary> {
    const mine = this.ofLearner(learnerId);
    return { statements: mine.length, ...(mine.length ? { first: mine[0].timestamp, last: mine[mine.length - 1].timestamp } : {}) };
  }

  async erase(learnerId: string): Promise<number> {
    const mine = this.ofLearner(learnerId);
    const now = this.clock.now().toISOString();
    for (let i = 0; i < mine.length; i += PAGE) {
      const voiding = mine.slice(i, i + PAGE).map((s) => ({
        id: this.ids.uuid(),
        actor: this.authority,
        verb: VERBS.voided,
        object: { objectType: 'StatementRef', id: s.id },
        timestamp: now,
      }));
      this.store.insert(voiding, this.authority);
    }
    return mine.length;
  }
}
