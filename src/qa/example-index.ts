/**
 * Retrieval's stages 2 and 3 (src/qa/retrieval.ts): the ways of asking about each topic
 * (every phrasing, the title, the summary, each keyword) as tf-idf vectors of words and
 * word pairs, and each topic's centroid. A question is compared with the nearest example
 * of each topic and with each centroid.
 */
import type { QueryTerm } from './query-terms.js';
import type { RetrievalParams } from './retrieval-params.js';
import { bigrams, pushTo, vecNorm, withBigrams } from './vectors.js';

/** One way of asking about a topic, before weighting: its analysed words and how much it counts. */
export interface RawExample {
  readonly topic: string;
  readonly terms: readonly string[];
  readonly weight: number;
}

interface Example {
  readonly topic: string;
  readonly vector: ReadonlyMap<string, number>;
  readonly norm: number;
  /** How much an example of this kind counts (phrasing 1, keyword list lower). */
  readonly weight: number;
}

/**
 * The question as a stage-2 vector. Each content word is a group of alternatives (the word
 * and its synonym expansions, each with its tf-idf weight): only the best one present in an
 * example counts. Word pairs count on their own. `norm` is the question's length, from the
 * best alternative of each word and the pairs.
 */
export interface QueryVector {
  readonly wordGroups: readonly (readonly [string, number][])[];
  readonly pairs: readonly [string, number][];
  readonly norm: number;
}

/** A topic's score by one scorer, topic -> score. */
export type Scores = Map<string, number>;

export class ExampleIndex {
  private readonly examples: Example[] = [];
  /** Per topic: the normalised sum of its examples' vectors. */
  private readonly centroids = new Map<string, Map<string, number>>();
  /** Scratch buffers, one slot per example (reused: no allocation per query). */
  private dotBuf = new Float64Array(0);
  private bestBuf = new Float64Array(0);
  /** term -> [example index, weight] */
  private readonly postings = new Map<string, [number, number][]>();
  private readonly idfs = new Map<string, number>();

  constructor(
    raw: readonly RawExample[],
    private readonly p: RetrievalParams,
  ) {
    const df = new Map<string, number>();
    for (const r of raw) for (const t of new Set([...r.terms, ...bigrams(r.terms)])) df.set(t, (df.get(t) ?? 0) + 1);
    for (const [t, d] of df) this.idfs.set(t, Math.log(1 + raw.length / d));
    for (const r of raw) {
      if (r.terms.length === 0) continue;
      const vector = this.exampleVector(r.terms);
      this.examples.push({ topic: r.topic, vector, norm: vecNorm(vector), weight: r.weight });
    }
    this.buildCentroids();
    this.examples.forEach((ex, i) => this.post(i, ex.vector));
    this.resizeBuffers();
  }

  /** A word's (or word pair's) rarity among the examples; undefined when no example has it. */
  idf(term: string): number | undefined {
    return this.idfs.get(term);
  }

  /** Rarity of a word the content has (in cards or answers) but no example uses. */
  get defaultIdf(): number {
    return Math.log(1 + this.examples.length / 2);
  }

  /** A new example of `topic` (a curator's attach); words no example had get the rarest idf. The centroids stay as built. */
  add(topic: string, terms: readonly string[]): void {
    const n = this.examples.length + 1;
    for (const t of new Set([...terms, ...bigrams(terms)])) if (!this.idfs.has(t)) this.idfs.set(t, Math.log(1 + n));
    const vector = this.exampleVector(terms);
    const i = this.examples.length;
    this.examples.push({ topic, vector, norm: vecNorm(vector), weight: this.p.examples.phrasing });
    this.post(i, vector);
    this.resizeBuffers();
  }

  private buildCentroids(): void {
    for (const ex of this.examples) {
      const c = this.centroids.get(ex.topic) ?? new Map<string, number>();
      for (const [t, v] of ex.vector) c.set(t, (c.get(t) ?? 0) + v / ex.norm);
      this.centroids.set(ex.topic, c);
    }
    for (const c of this.centroids.values()) {
      const norm = vecNorm(c);
      for (const [t, v] of c) c.set(t, v / norm);
    }
  }

  /** The tf-idf vector of an example: each word once, plus its word pairs. */
  private exampleVector(terms: readonly string[]): Map<string, number> {
    const tf = withBigrams(new Map(terms.map((t) => [t, 1])), terms, this.p.bigram);
    const v = new Map<string, number>();
    for (const [t, w] of tf) {
      const idf = this.idfs.get(t);
      if (idf !== undefined) v.set(t, w * idf);
    }
    return v;
  }

  private post(exampleIndex: number, vector: ReadonlyMap<string, number>): void {
    for (const [t, v] of vector) pushTo(this.postings, t, [exampleIndex, v]);
  }

  private resizeBuffers(): void {
    this.dotBuf = new Float64Array(this.examples.length);
    this.bestBuf = new Float64Array(this.examples.length);
  }

  /** The question as weighted alternatives. An expansion counts only where the word itself is missing, and never enlarges the norm. */
  queryVector(query: readonly QueryTerm[], terms: readonly string[]): QueryVector {
    const wordGroups = query.map((q) => {
      const alternatives: [string, number][] = [];
      const own = this.idfs.get(q.term);
      if (own !== undefined) alternatives.push([q.term, q.weight * own]);
      for (const [a, w] of q.alts) {
        const idf = this.idfs.get(a);
        if (idf !== undefined && w > 0) alternatives.push([a, w * idf]);
      }
      return alternatives;
    });
    const pairs: [string, number][] = [];
    if (this.p.bigram > 0) {
      for (const b of bigrams(terms)) {
        const idf = this.idfs.get(b);
        if (idf !== undefined) pairs.push([b, this.p.bigram * idf]);
      }
    }
    let normSquared = 0;
    for (const g of wordGroups) normSquared += Math.max(0, ...g.map(([, w]) => w)) ** 2;
    for (const [, w] of pairs) normSquared += w * w;
    return { wordGroups, pairs, norm: Math.sqrt(normSquared) };
  }

  /** Stage 2: per topic, the best similarity of the question with one of its examples. */
  nearestExampleScores(query: QueryVector): Scores {
    const nearest: Scores = new Map();
    if (query.norm === 0) return nearest;
    const dots = this.exampleDots(query);
    for (let i = 0; i < this.examples.length; i++) {
      const d = dots[i] ?? 0;
      if (d === 0) continue;
      const ex = this.examples[i];
      if (ex === undefined) continue;
      const sim = this.p.similarity === 'geo' ? d / (ex.norm * Math.sqrt(query.norm * ex.norm)) : d / (query.norm * ex.norm);
      const similarity = Math.min(1, sim) * ex.weight;
      if (similarity > (nearest.get(ex.topic) ?? 0)) nearest.set(ex.topic, similarity);
    }
    return nearest;
  }

  /**
   * The dot product of the question with every example, through the postings: per word the
   * best of its alternatives in each example, then the word pairs. Returns the scratch buffer.
   */
  private exampleDots(query: QueryVector): Float64Array {
    const dot = this.dotBuf;
    const best = this.bestBuf;
    dot.fill(0);
    const touched: number[] = [];
    for (const group of query.wordGroups) {
      for (const [t, w] of group) {
        for (const [i, v] of this.postings.get(t) ?? []) {
          const x = w * v;
          if (best[i] === 0) touched.push(i);
          if (x > (best[i] ?? 0)) best[i] = x;
        }
      }
      for (const i of touched) {
        dot[i] = (dot[i] ?? 0) + (best[i] ?? 0);
        best[i] = 0;
      }
      touched.length = 0;
    }
    for (const [t, w] of query.pairs) for (const [i, v] of this.postings.get(t) ?? []) dot[i] = (dot[i] ?? 0) + w * v;
    return dot;
  }

  /** Stage 3: the similarity of the question with each topic's centroid (none when the mix leaves it out). */
  centroidScores(query: QueryVector): Scores {
    const scores: Scores = new Map();
    if (query.norm === 0 || this.p.mix.centroid <= 0) return scores;
    for (const [topic, c] of this.centroids) {
      let d = 0;
      for (const group of query.wordGroups) {
        let m = 0;
        for (const [t, w] of group) {
          const v = c.get(t);
          if (v !== undefined && w * v > m) m = w * v;
        }
        d += m;
      }
      for (const [t, w] of query.pairs) d += w * (c.get(t) ?? 0);
      if (d > 0) scores.set(topic, d / query.norm);
    }
    return scores;
  }
}
