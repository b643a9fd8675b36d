import type { ChampionSource, CurationSource } from '../admin/ports.js';
import type { QaStore } from './store.js';

/** What learns from a curator's attach at once (the running QaEngine). */
export interface Learner {
  learn(question: string, topic: string): boolean;
}

/**
 * The admin's view of the curation queue, from the question-answering store. An attach is
 * kept in the store (learned again at the next start) and handed to `learner` at once, so
 * the same wording and its near paraphrases get the topic's answer without a restart.
 */
export function curationSource(store: QaStore, learner?: Learner): CurationSource {
  return {
    list: async () =>
      store.curation('all').map((c) => ({
        id: String(c.id),
        question: c.question,
        count: c.count,
        ...(c.topic ? { topic: c.topic } : {}),
        status: c.status === 'open' ? 'open' : 'handled',
        lastAsked: c.lastAsked,
        ...(c.attachedTo ? { attachedTo: c.attachedTo } : {}),
      })),
    attachToTopic: async (id, topic) => {
      const item = store.attach(Number(id), topic);
      learner?.learn(item.question, topic);
    },
    markHandled: async (id) => store.markHandled(Number(id)),
  };
}

/** Help requests to champions and when they were answered. */
export function championSource(store: QaStore): ChampionSource {
  return {
    list: async () =>
      store.helpRequests('all').map((r) => ({
        id: r.id,
        channel: r.learner.channelId ?? 'unknown',
        askedAt: r.askedAt,
        ...(r.answeredAt ? { answeredAt: r.answeredAt } : {}),
      })),
  };
}
