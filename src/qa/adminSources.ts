import type { ChampionSource, CurationSource } from '../admin/ports.js';
import type { ChampionsDirectory } from './champions.js';
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
export function championSource(store: QaStore, directory: ChampionsDirectory): ChampionSource {
  return {
    place: async () => {
      const view = directory.view();
      return { source: view.source, ...(view.place ? { kind: view.place.kind, id: view.place.id } : {}), reachable: directory.reference() !== undefined };
    },
    candidates: async () => directory.candidates().map((c) => ({ id: c.conversationId, kind: c.kind, ...(c.teamId ? { teamId: c.teamId } : {}), seenAt: c.seenAt })),
    choose: async (id) => void directory.pick(id),
    list: async () =>
      store.helpRequests('all').map((r) => ({
        id: r.id,
        channel: r.learner.channelId ?? 'unknown',
        askedAt: r.askedAt,
        ...(r.answeredAt ? { answeredAt: r.answeredAt } : {}),
      })),
  };
}
