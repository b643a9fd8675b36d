import type { Catalog } from '../lessons/catalog.js';
import type { AskResult } from './engine.js';
import { passageFromLesson, type GenerativeAnswerer } from './generative.js';

/** An answer the bot shows, rewritten by the model from the reviewed content. */
export interface RewrittenAnswer {
  readonly topic: string;
  readonly topicTitle: string;
  readonly answer: string;
  readonly reviewed: string;
  readonly sources: readonly { title: string; url: string }[];
  readonly lessonId: string;
  readonly generated: true;
}

/**
 * Optional generative answers: the model writes from the top retrieved topics only (the
 * answered one and its close alternatives) and cites them; anything else (off, timeout,
 * error, ungrounded) gives undefined and the reviewed retrieval answer is shown.
 */
export function groundedRewriter(answerer: GenerativeAnswerer, catalog: Catalog) {
  return {
    async rewrite(question: string, result: AskResult): Promise<RewrittenAnswer | undefined> {
      if (result.triage !== 'answer' || !result.topic) return undefined;
      const lessons = [result.topic, ...result.alternatives].slice(0, 3).flatMap((code) => {
        const l = catalog.lessonForTopic(code);
        return l ? [l] : [];
      });
      const generated = await answerer.answer(question, { kind: 'in-scope' }, lessons.map(passageFromLesson));
      const lesson = generated ? catalog.lessonForTopic(generated.topic) : undefined;
      if (!generated || !lesson) return undefined;
      return { topic: lesson.topic, topicTitle: lesson.title, answer: generated.text, reviewed: lesson.lastReviewed, sources: generated.sources, lessonId: lesson.id, generated: true };
    },
  };
}
