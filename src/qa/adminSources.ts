import type { ChampionSource, CurationSource } from '../admin/ports.js';
import type { QaStore } from './store.js';

/** The admin's view of the curation queue, from the question-answering store. */
export function curationSource(store: QaStore): CurationSource {
  return {
    list: async () =>
      store.curation('all').map((c) => ({
        id: String(c.id),
        question: c.question,
        count: c.count,
        ...(c.topic ? { topic: c.topic } : {}),
        status: c.status === 'open' ? 'open' : 'handled',
        lastAsked: c.lastAsked,
      })),
    attachToTopic: async (id, topic) => store.attach(Number(id), topic),
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
