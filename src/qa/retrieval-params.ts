/** The tunable parameters of retrieval (src/qa/retrieval.ts) and their defaults. */

/** Tunable parameters (defaults tuned with bench/qa-calibrate.ts on held-out content phrasings). */
export interface RetrievalParams {
  /** Field boosts for BM25. */
  readonly boost: { readonly title: number; readonly summary: number; readonly keywords: number; readonly phrasings: number; readonly cards: number; readonly answer: number };
  /** MiniSearch fuzziness: edit distance as a share of the word length. */
  readonly fuzzy: number;
  /** Fuzzy and prefix search for every word (true) or only for words the index lacks (false). */
  readonly fuzzyAll: boolean;
  /** Total weight of one word's synonym expansions (shared between them), stage 2. */
  readonly expansion: number;
  /** Weight of a near-exact synonym (synonyms.yaml `equivalents`), stage 2. */
  readonly equivalent: number;
  /** Scale of the expansions' weights in stage 1 (BM25); 0 turns them off there. */
  readonly expansionBm25: number;
  /** Weight of a bigram feature in stage 2, relative to a word. */
  readonly bigram: number;
  /** Weight of a light word (a person outside the family, a generic verb). */
  readonly light: number;
  /** Weight of a word repaired from a typo. */
  readonly repair: number;
  /** Mix of the scorers in the combined score: BM25, nearest example, topic centroid. */
  readonly mix: { readonly bm25: number; readonly nearest: number; readonly centroid: number };
  /**
   * Stage 2 similarity: 'cos' cosine; 'geo' geometric mean of the cosine and the
   * containment (share of the example found in the question), which long, chatty questions
   * do not dilute as much.
   */
  readonly similarity: 'cos' | 'geo';
  /** Example weights in stage 2. */
  readonly examples: { readonly phrasing: number; readonly title: number; readonly summary: number; readonly keyword: number };
}

export const DEFAULT_PARAMS: RetrievalParams = {
  boost: { phrasings: 3, keywords: 3, title: 2.5, summary: 1.5, cards: 1, answer: 1 },
  fuzzy: 0.2,
  fuzzyAll: false,
  expansion: 0.35,
  equivalent: 0.8,
  expansionBm25: 0,
  bigram: 1,
  light: 0.5,
  repair: 0.8,
  mix: { bm25: 0.5, nearest: 0.5, centroid: 0.5 },
  similarity: 'geo',
  examples: { phrasing: 1, title: 1, summary: 1, keyword: 1 },
};
