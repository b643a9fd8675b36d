/** The analysed question that retrieval's scorers share (src/qa/retrieval.ts). */
export interface QueryTerm {
  /** Stemmed word (typo-repaired when it was unknown). */
  readonly term: string;
  readonly weight: number;
  /** The word as typed when it was repaired, else null. */
  readonly original: string | null;
  /** Synonym expansions with their weights. */
  readonly alts: ReadonlyMap<string, number>;
}

/** Flat term weights: each word's own weight, and its expansions scaled by `expansionScale` (0: none). */
export function flatten(query: readonly QueryTerm[], expansionScale: number): Map<string, number> {
  const terms = new Map<string, number>();
  for (const q of query) terms.set(q.term, Math.max(terms.get(q.term) ?? 0, q.weight));
  if (expansionScale > 0) {
    for (const q of query) {
      for (const [a, w] of q.alts) {
        const v = w * expansionScale;
        if (v > 0 && (terms.get(a) ?? 0) < v) terms.set(a, v);
      }
    }
  }
  return terms;
}
