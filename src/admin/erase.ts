/** A learner's erasure: their statements in the embedded LRS are voided, and the figures updated. */
import { AcademyError } from '../errors.js';
import { EmbeddedLearnerRecords } from '../privacy/learnerRecords.js';
import type { AggregateStore } from './aggregates.js';
import type { AdminDeps } from './types.js';

/** Voids every statement of the learner in the embedded LRS and updates the figures; returns how many. */
export async function eraseLearner(deps: AdminDeps, aggregates: AggregateStore, learnerId: string): Promise<number> {
  if (!learnerId || learnerId.length > 200) throw new AcademyError(400, 'learnerId must be a learner id', 'learnerId');
  // The one erasure (src/privacy/learnerRecords.ts), on the embedded LRS.
  const voided = await new EmbeddedLearnerRecords(deps.store, deps.config.xapiIdBase, deps.authority, deps.clock, deps.ids).erase(learnerId);
  await aggregates.catchUp();
  return voided;
}
