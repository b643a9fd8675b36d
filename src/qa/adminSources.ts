import type { ChampionSource, ContentSource, CurationSource } from '../records/ports.js';
import type { Catalog } from '../lessons/catalog.js';
import type { ChampionsDirectory } from './champions.js';
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
        // A learner's report on a lesson card names the card, so the curator can find it.
        question: c.card ? `${c.question} (card ${c.card})` : c.question,
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

/** The lessons and the learners' card reports, for the admin's Content page. */
export function contentSource(catalog: Catalog, store: QaStore): ContentSource {
  return {
    lessons: () => catalog.lessons,
    reports: async () => store.cardReports().map((r) => ({ card: r.card, topic: r.topic, note: r.note, reportedAt: r.reportedAt })),
  };
}
