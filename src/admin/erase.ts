/** A learner's erasure: their statements in the embedded LRS are voided, and the figures updated. */
import { AcademyError } from '../errors.js';
import { VOIDED_VERB } from '../lrs/types.js';
import type { AggregateStore } from './aggregates.js';
import { learnerAgent } from './statementPages.js';
import { EmbeddedStatementSource, allStatements } from './source.js';
import type { AdminDeps } from './types.js';

/** Voids every statement of the learner in the embedded LRS and updates the figures; returns how many. */
export async function eraseLearner(deps: AdminDeps, aggregates: AggregateStore, learnerId: string): Promise<number> {
  if (!learnerId || learnerId.length > 200) throw new AcademyError(400, 'learnerId must be a learner id', 'learnerId');
  const targets: string[] = [];
  const embedded = new EmbeddedStatementSource(deps.store);
  for await (const s of allStatements(embedded, { agent: learnerAgent(deps.config.xapiIdBase, learnerId), ascending: true, limit: 0 })) {
    if (s.verb.id !== VOIDED_VERB && s.actor.account?.name === learnerId) targets.push(s.id);
  }
  for (let i = 0; i < targets.length; i += 100) {
    const voiding = targets.slice(i, i + 100).map((id) => ({
      id: deps.ids.uuid(),
      actor: deps.authority,
      verb: { id: VOIDED_VERB, display: { 'en-GB': 'voided' } },
      object: { objectType: 'StatementRef', id },
    }));
    deps.store.insert(voiding, deps.authority);
  }
  await aggregates.catchUp();
  return targets.length;
}
