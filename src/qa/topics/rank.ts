/**
 * One ranked list from two signals: retrieval (MiniSearch BM25, nearest example and topic
 * centroid: exact terms) and the topic classifier (paraphrase). Retrieval's scores become
 * a distribution with a softmax at a fitted temperature over its five best topics (the rest
 * score 0); the combined probability of a topic is
 *
 *   p = net * p_classifier + (1 - net) * p_retrieval
 *
 * with `net` and the temperature chosen by cross-validation on the training questions
 * (src/qa/topics/build.ts). The best topic's combined probability is the confidence; the
 * thresholds for a high-confidence answer and for "did you mean" come with the model.
 */
import type { Retrieval } from '../retrieval.js';
import type { Combination } from './model.js';

export interface TopicChoice {
  readonly topic: string;
  /** Combined probability, 0..1. */
  readonly p: number;
  /** The classifier's probability. */
  readonly net: number;
  /** Retrieval's probability (softmax of its scores). */
  readonly retrieval: number;
}

/** Retrieval's scores as probabilities over `classes` (classes not in its list score 0 before the softmax). */
export function retrievalProbs(ret: Retrieval, classes: readonly string[], temperature: number): number[] {
  const score = new Map(ret.ranked.map((r) => [r.topic, r.score]));
  const e = classes.map((c) => Math.exp(temperature * (score.get(c) ?? 0)));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/** The combined ranking, best first (all classes). */
export function combine(netProbs: readonly number[], ret: Retrieval, classes: readonly string[], c: Pick<Combination, 'net' | 'temperature'>): TopicChoice[] {
  const r = retrievalProbs(ret, classes, c.temperature);
  return classes
    .map((topic, i) => {
      const n = netProbs[i] ?? 0;
      const rp = r[i] ?? 0;
      return { topic, p: c.net * n + (1 - c.net) * rp, net: n, retrieval: rp };
    })
    .sort((a, b) => b.p - a.p || a.topic.localeCompare(b.topic));
}
