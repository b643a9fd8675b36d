/**
 * Retrieval over the lessons: which topic answers a question, and how sure we are.
 *
 * Analysis (index and question alike): normalise (src/qa/text.ts, spellings and phrases
 * from content/qa/synonyms.yaml), drop stop words, stem. Question words that the content
 * does not know are repaired to the nearest known word (1 edit, 2 for long words).
 *
 * Three scorers, summed with equal weights (tuned on held-out content phrasings with
 * bench/qa-calibrate.ts):
 * 1. BM25 with MiniSearch: one document per topic with fields title, summary, keywords,
 *    phrasings, cards and answer; phrasings, keywords and title boosted, cards and answer
 *    lower. Fuzzy (0.2) and prefix matching for words the index lacks (known words are
 *    matched exactly: fuzzy matching of known words only added noise). Relative to the
 *    best topic of the query.
 * 2. Nearest example: a soft TF-IDF similarity (words and adjacent word pairs) between the
 *    question and each example of a topic (every phrasing, the title, the summary, each
 *    keyword), the best per topic. Synonyms count here, where the word itself is missing
 *    ("equivalents" near full weight, looser "expansions" lower), without enlarging the
 *    question's norm. The similarity is the geometric mean of the cosine and the share of
 *    the example found in the question, so long, chatty questions are not diluted.
 * 3. Topic centroid: the same similarity against the normalised sum of a topic's examples.
 *
 * The confidence (0..1) is a logistic function (weights fitted with bench/qa-calibrate.ts)
 * of the best similarity, the margin over the runner-up, the share of the question's known
 * words the top topic uses, the share of words no topic knows, and a one-word flag.
 * Everything is built once in the constructor; a query costs about a millisecond.
 */
import MiniSearch from 'minisearch';
import type { Lesson } from '../lessons/types.js';
import type { SynonymData } from './data.js';
import { normalise, stem, words } from './text.js';

export interface RankedTopic {
  readonly topic: string;
  /** Combined score of the three scorers. */
  readonly score: number;
  /** BM25 score divided by the best BM25 score of this query. */
  readonly bm25: number;
  /** Best similarity with one of the topic's examples (0..1). */
  readonly nearest: number;
}

export interface Retrieval {
  /** The best topic, or null when nothing matched at all. */
  readonly topic: string | null;
  /** Calibrated 0..1: how likely the best topic is the right one. */
  readonly confidence: number;
  /** Up to five topics, best first. */
  readonly ranked: readonly RankedTopic[];
  /** Share of the question's known words (by rarity) that the best topic's text uses (0..1). */
  readonly coverage: number;
  /** The analysed question: stemmed content words (typo-repaired). */
  readonly terms: readonly string[];
  /** What the confidence was computed from. */
  readonly features: ConfidenceFeatures;
}

export interface QueryTerm {
  /** Stemmed word (typo-repaired when it was unknown). */
  readonly term: string;
  readonly weight: number;
  /** The word as typed when it was repaired, else null. */
  readonly original: string | null;
  /** Synonym expansions with their weights. */
  readonly alts: ReadonlyMap<string, number>;
}

function flatten(query: readonly QueryTerm[], expansionScale: number): Map<string, number> {
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

interface TopicDoc {
  id: string;
  title: string;
  summary: string;
  keywords: string;
  phrasings: string;
  cards: string;
  answer: string;
}

interface Example {
  readonly topic: string;
  readonly vector: ReadonlyMap<string, number>;
  readonly norm: number;
  /** How much an example of this kind counts (phrasing 1, keyword list lower). */
  readonly weight: number;
}

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

/** Shortest word that typo repair will touch ("snow" must not become "show"). */
const MIN_REPAIR = 5;

export class Retriever {
  private readonly search: MiniSearch<TopicDoc>;
  /** The indexed document of each topic (to add phrasings while running). */
  private readonly docs = new Map<string, TopicDoc>();
  private readonly examples: Example[] = [];
  /** Per topic: the normalised sum of its examples' vectors. */
  private readonly centroids = new Map<string, Map<string, number>>();
  /** Scratch buffers for stage 2, one slot per example (reused: no allocation per query). */
  private dotBuf = new Float64Array(0);
  private bestBuf = new Float64Array(0);
  /** term -> [example index, weight] */
  private readonly postings = new Map<string, [number, number][]>();
  private readonly idf = new Map<string, number>();
  /** Known words bucketed by first letter, for typo repair. */
  private readonly vocabulary = new Map<string, string[]>();
  private readonly known: Set<string>;
  /** Every word each topic's text uses. */
  private readonly topicWords = new Map<string, Set<string>>();
  private readonly repairCache = new Map<string, string | null>();
  private readonly expansionCache = new Map<string, readonly string[]>();
  private readonly p: RetrievalParams;
  readonly topics: readonly string[];

  constructor(
    lessons: readonly Lesson[],
    private readonly syn: SynonymData,
    params: Partial<RetrievalParams> = {},
  ) {
    this.p = { ...DEFAULT_PARAMS, ...params };
    this.topics = lessons.map((l) => l.topic);
    this.search = new MiniSearch<TopicDoc>({
      fields: ['title', 'summary', 'keywords', 'phrasings', 'cards', 'answer'],
      storeFields: [],
      tokenize: (text) => this.analyse(text),
      processTerm: (term) => term,
    });
    for (const l of lessons) {
      this.docs.set(l.topic, {
        id: l.topic,
        title: l.title,
        summary: l.summary,
        keywords: l.keywords.join(' . '),
        phrasings: l.phrasings.join(' . '),
        cards: l.cards.map((c) => `${c.title} . ${c.body}`).join(' . '),
        answer: l.answer,
      });
    }
    this.search.addAll([...this.docs.values()]);

    // stage 2 examples
    const raw: { topic: string; terms: string[]; weight: number }[] = [];
    for (const l of lessons) {
      const ew = this.p.examples;
      for (const p of l.phrasings) raw.push({ topic: l.topic, terms: this.analyse(p), weight: ew.phrasing });
      raw.push({ topic: l.topic, terms: this.analyse(l.title), weight: ew.title });
      raw.push({ topic: l.topic, terms: this.analyse(l.summary), weight: ew.summary });
      for (const k of l.keywords) raw.push({ topic: l.topic, terms: this.analyse(k), weight: ew.keyword });
    }
    const df = new Map<string, number>();
    for (const r of raw) for (const t of new Set([...r.terms, ...bigrams(r.terms)])) df.set(t, (df.get(t) ?? 0) + 1);
    const n = raw.length;
    for (const [t, d] of df) this.idf.set(t, Math.log(1 + n / d));
    for (const r of raw) {
      if (r.terms.length === 0) continue;
      const vector = this.weigh(withBigrams(new Map(r.terms.map((t) => [t, 1])), r.terms, this.p.bigram));
      this.examples.push({ topic: r.topic, vector, norm: vecNorm(vector), weight: r.weight });
    }
    for (const ex of this.examples) {
      const c = this.centroids.get(ex.topic) ?? new Map<string, number>();
      for (const [t, v] of ex.vector) c.set(t, (c.get(t) ?? 0) + v / ex.norm);
      this.centroids.set(ex.topic, c);
    }
    for (const c of this.centroids.values()) {
      const n = vecNorm(c);
      for (const [t, v] of c) c.set(t, v / n);
    }
    this.dotBuf = new Float64Array(this.examples.length);
    this.bestBuf = new Float64Array(this.examples.length);
    this.examples.forEach((ex, i) => {
      for (const [t, v] of ex.vector) {
        const list = this.postings.get(t) ?? [];
        list.push([i, v]);
        this.postings.set(t, list);
      }
    });
    this.known = new Set<string>();
    for (const l of lessons) {
      const mine = new Set<string>();
      const all = [l.title, l.summary, ...l.keywords, ...l.phrasings, l.answer, ...l.cards.map((c) => `${c.title} ${c.body}`)];
      for (const text of all) for (const t of this.analyse(text)) mine.add(t);
      this.topicWords.set(l.topic, mine);
      for (const t of mine) this.known.add(t);
    }
    for (const t of this.known) {
      if (t.length < MIN_REPAIR || /[^a-z]/.test(t)) continue;
      const bucket = this.vocabulary.get(t[0] ?? '') ?? [];
      bucket.push(t);
      this.vocabulary.set(t[0] ?? '', bucket);
    }
    // warm up at startup (JIT, and the garbage collection that follows building the index),
    // so the first real questions are as quick as the rest: every phrasing once, ~0.3 s
    for (const l of lessons) {
      this.retrieve(`${l.title} ${l.summary}`);
      for (const p of l.phrasings) this.retrieve(p);
    }
    this.repairCache.clear();
    this.expansionCache.clear();
  }

  /**
   * Adds a way of asking about `topic` to the live index (a curator's attach): to the
   * topic's phrasings for BM25, and as a new nearest example. The topic centroids stay as
   * built. False for an unknown topic.
   */
  addPhrasing(topic: string, text: string): boolean {
    const doc = this.docs.get(topic);
    if (doc === undefined) return false;
    const updated: TopicDoc = { ...doc, phrasings: `${doc.phrasings} . ${text}` };
    this.search.replace(updated);
    this.docs.set(topic, updated);
    const terms = this.analyse(text);
    if (terms.length === 0) return true;
    const mine = this.topicWords.get(topic) ?? new Set<string>();
    for (const t of terms) {
      mine.add(t);
      if (!this.known.has(t)) {
        this.known.add(t);
        if (t.length >= MIN_REPAIR && !/[^a-z]/.test(t)) {
          const bucket = this.vocabulary.get(t[0] ?? '') ?? [];
          bucket.push(t);
          this.vocabulary.set(t[0] ?? '', bucket);
        }
      }
    }
    this.topicWords.set(topic, mine);
    const n = this.examples.length + 1;
    for (const t of new Set([...terms, ...bigrams(terms)])) if (!this.idf.has(t)) this.idf.set(t, Math.log(1 + n));
    const vector = this.weigh(withBigrams(new Map(terms.map((t) => [t, 1])), terms, this.p.bigram));
    const i = this.examples.length;
    this.examples.push({ topic, vector, norm: vecNorm(vector), weight: this.p.examples.phrasing });
    for (const [t, v] of vector) {
      const list = this.postings.get(t) ?? [];
      list.push([i, v]);
      this.postings.set(t, list);
    }
    this.dotBuf = new Float64Array(this.examples.length);
    this.bestBuf = new Float64Array(this.examples.length);
    this.repairCache.clear();
    return true;
  }

  /** Normalise, drop stop words, stem. */
  analyse(text: string): string[] {
    const out: string[] = [];
    for (const w of words(normalise(text, this.syn))) {
      if (this.syn.stopwords.has(w)) continue;
      const s = stem(w);
      if (s.length > 0) out.push(s);
    }
    return out;
  }

  /**
   * The question as weighted terms: each content word (stemmed, typo-repaired) with weight 1,
   * or `light` for a light word, and its synonym expansions as alternatives.
   */
  analyseQuery(question: string): QueryTerm[] {
    const out = new Map<string, QueryTerm>();
    const raw = words(normalise(question, this.syn)).filter((w) => !this.syn.stopwords.has(w));
    for (const w of raw) {
      let term = stem(w);
      if (term.length === 0) continue;
      let weight = this.syn.lightwords.has(w) ? this.p.light : 1;
      let original: string | null = null;
      if (!this.known.has(term)) {
        const near = this.nearestKnown(term);
        if (near !== null) {
          original = term;
          term = near;
          weight *= this.p.repair;
        }
      }
      const alts = new Map<string, number>();
      for (const a of this.expansionStems(w, this.syn.expansions)) if (a !== term) alts.set(a, 0);
      const each = alts.size === 0 ? 0 : weight * Math.min(0.5, this.p.expansion / Math.sqrt(alts.size));
      for (const a of alts.keys()) alts.set(a, each);
      for (const a of this.expansionStems(w, this.syn.equivalents)) if (a !== term) alts.set(a, weight * this.p.equivalent);
      const prev = out.get(term);
      if (prev === undefined || prev.weight < weight) out.set(term, { term, weight, original, alts });
    }
    return [...out.values()];
  }

  private expansionStems(w: string, from: ReadonlyMap<string, readonly string[]>): readonly string[] {
    const key = (from === this.syn.equivalents ? '=' : '~') + w;
    const hit = this.expansionCache.get(key);
    if (hit !== undefined) return hit;
    const out = new Set<string>();
    for (const e of from.get(w) ?? from.get(stem(w)) ?? []) {
      for (const part of words(normalise(e, this.syn))) if (!this.syn.stopwords.has(part)) out.add(stem(part));
    }
    const list = [...out];
    if (this.expansionCache.size > 5000) this.expansionCache.clear();
    this.expansionCache.set(key, list);
    return list;
  }

  /** Flat term weights for BM25: own words and (scaled) expansions. */
  queryTerms(question: string): Map<string, number> {
    return flatten(this.analyseQuery(question), this.p.expansionBm25);
  }

  retrieve(question: string): Retrieval {
    const query = this.analyseQuery(question);
    const fixed = query.map((q) => q.term);
    if (query.length === 0) return { topic: null, confidence: 0, ranked: [], coverage: 0, terms: [], features: NO_FEATURES };

    // stage 1: BM25 (typo-repaired words are searched as typed too; fuzzy search covers them)
    const qTerms = flatten(query, this.p.expansionBm25);
    for (const q of query) if (q.original !== null && !qTerms.has(q.original)) qTerms.set(q.original, q.weight);
    const fuzzy = this.p.fuzzy;
    const all = this.p.fuzzyAll;
    const known = this.known;
    const hits = this.search.search([...qTerms.keys()].join(' '), {
      tokenize: (s) => s.split(' '),
      processTerm: (t) => t,
      boost: { ...this.p.boost },
      fuzzy: (term) => (term.length >= 5 && (all || !known.has(term)) ? fuzzy : false),
      prefix: (term) => term.length >= 4 && (all || !known.has(term)),
      boostTerm: (term) => qTerms.get(term) ?? 1,
      combineWith: 'OR',
    });
    const best = hits[0]?.score ?? 0;
    const bm25 = new Map<string, number>();
    for (const h of hits) bm25.set(String(h.id), best > 0 ? h.score / best : 0);

    // stage 2: soft cosine with the nearest example. An expansion counts only where the
    // word itself is missing, and never enlarges the question's norm.
    const groups = query.map((q) => {
      const cands: [string, number][] = [];
      const own = this.idf.get(q.term);
      if (own !== undefined) cands.push([q.term, q.weight * own]);
      for (const [a, w] of q.alts) {
        const idf = this.idf.get(a);
        if (idf !== undefined && w > 0) cands.push([a, w * idf]);
      }
      return cands;
    });
    const grams: [string, number][] = [];
    if (this.p.bigram > 0) {
      for (const b of bigrams(fixed)) {
        const idf = this.idf.get(b);
        if (idf !== undefined) grams.push([b, this.p.bigram * idf]);
      }
    }
    let qn2 = 0;
    for (const g of groups) qn2 += Math.max(0, ...g.map(([, w]) => w)) ** 2;
    for (const [, w] of grams) qn2 += w * w;
    const qn = Math.sqrt(qn2);
    const nearest = new Map<string, number>();
    if (qn > 0) {
      const n = this.examples.length;
      const dot = this.dotBuf;
      const best = this.bestBuf;
      dot.fill(0);
      const touched: number[] = [];
      for (const g of groups) {
        for (const [t, w] of g) {
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
      for (const [t, w] of grams) for (const [i, v] of this.postings.get(t) ?? []) dot[i] = (dot[i] ?? 0) + w * v;
      for (let i = 0; i < n; i++) {
        const d = dot[i] ?? 0;
        if (d === 0) continue;
        const ex = this.examples[i];
        if (ex === undefined) continue;
        const sim = this.p.similarity === 'geo' ? d / (ex.norm * Math.sqrt(qn * ex.norm)) : d / (qn * ex.norm);
        const cos = Math.min(1, sim) * ex.weight;
        if (cos > (nearest.get(ex.topic) ?? 0)) nearest.set(ex.topic, cos);
      }
    }

    const centroid = new Map<string, number>();
    if (qn > 0 && this.p.mix.centroid > 0) {
      for (const [topic, c] of this.centroids) {
        let d = 0;
        for (const g of groups) {
          let m = 0;
          for (const [t, w] of g) {
            const v = c.get(t);
            if (v !== undefined && w * v > m) m = w * v;
          }
          d += m;
        }
        for (const [t, w] of grams) d += w * (c.get(t) ?? 0);
        if (d > 0) centroid.set(topic, d / qn);
      }
    }

    const candidates = new Set([...bm25.keys(), ...nearest.keys()]);
    const ranked: RankedTopic[] = [...candidates]
      .map((topic) => {
        const b = bm25.get(topic) ?? 0;
        const nn = nearest.get(topic) ?? 0;
        const ce = centroid.get(topic) ?? 0;
        return { topic, score: this.p.mix.bm25 * b + this.p.mix.nearest * nn + this.p.mix.centroid * ce, bm25: b, nearest: nn };
      })
      .sort((a, b) => b.score - a.score || a.topic.localeCompare(b.topic))
      .slice(0, 5);

    const top = ranked[0];
    const unknown = fixed.filter((t) => !this.known.has(t)).length / fixed.length;
    if (top === undefined) return { topic: null, confidence: 0, ranked: [], coverage: 0, terms: fixed, features: { ...NO_FEATURES, unknown, words: fixed.length } };
    const second = ranked[1];
    const margin = top.score - (second?.score ?? 0);
    const coverage = this.coverage(fixed, top.topic);
    const features: ConfidenceFeatures = { nearest: top.nearest, margin, coverage, unknown, words: fixed.length };
    return { topic: top.topic, confidence: calibrate(features), ranked, coverage, terms: fixed, features };
  }

  private weigh(tf: ReadonlyMap<string, number>): Map<string, number> {
    // used for the examples: tf-idf weights
    const v = new Map<string, number>();
    for (const [t, w] of tf) {
      const idf = this.idf.get(t);
      if (idf !== undefined) v.set(t, w * idf);
    }
    return v;
  }

  /**
   * Share of the question's known words (weighted by rarity) that the topic's text uses.
   * A topic that shares one rare word with the question is not a good match. Words no
   * topic knows are left out here (chatter); their share is a feature of its own.
   */
  coverage(terms: readonly string[], topic: string): number {
    const mine = this.topicWords.get(topic);
    if (mine === undefined || terms.length === 0) return 0;
    let have = 0;
    let all = 0;
    for (const t of new Set(terms)) {
      if (!this.known.has(t)) continue;
      const w = this.idf.get(t) ?? this.defaultIdf;
      all += w;
      if (mine.has(t)) have += w;
    }
    return all === 0 ? 0 : have / all;
  }

  /** Rarity of a word the content has (in cards or answers) but no example uses. */
  private get defaultIdf(): number {
    return Math.log(1 + this.examples.length / 2);
  }

  private nearestKnown(term: string): string | null {
    if (term.length < MIN_REPAIR || /[^a-z]/.test(term)) return null;
    const cached = this.repairCache.get(term);
    if (cached !== undefined) return cached;
    const maxEdits = term.length >= 8 ? 2 : 1;
    let best: string | null = null;
    let bestD = maxEdits + 1;
    for (const v of this.vocabulary.get(term[0] ?? '') ?? []) {
      if (Math.abs(v.length - term.length) > maxEdits) continue;
      const d = editDistance(term, v, maxEdits);
      if (d < bestD || (d === bestD && best !== null && (this.idf.get(v) ?? 99) < (this.idf.get(best) ?? 99))) {
        bestD = d;
        best = v;
      }
    }
    if (this.repairCache.size > 5000) this.repairCache.clear();
    this.repairCache.set(term, best);
    return best;
  }
}

/**
 * Confidence that the top topic is right, 0..1. A logistic function of the nearest-example
 * cosine (how closely the question resembles a known way of asking), the margin over the
 * runner-up and the share of words the content knows.
 */
export interface ConfidenceFeatures {
  /** Best stage-2 similarity of the top topic. */
  readonly nearest: number;
  /** Combined score of the top topic minus the runner-up's. */
  readonly margin: number;
  /** Share of the question's known words that the top topic uses (by rarity). */
  readonly coverage: number;
  /** Share of the question's content words that no topic knows. */
  readonly unknown: number;
  /** Number of content words in the question. */
  readonly words: number;
}

const NO_FEATURES: ConfidenceFeatures = { nearest: 0, margin: 0, coverage: 0, unknown: 1, words: 0 };

/** The feature vector the calibration weights apply to (same order as CAL.w). */
export function featureVector(f: ConfidenceFeatures): number[] {
  return [f.nearest, f.margin, f.coverage, f.unknown, f.words <= 1 ? 1 : 0];
}

export function calibrate(f: ConfidenceFeatures): number {
  if (f.words === 0) return 0;
  const x = featureVector(f);
  let z = CAL.bias;
  x.forEach((v, i) => (z += v * (CAL.w[i] ?? 0)));
  return round3(1 / (1 + Math.exp(-z)));
}

/** Logistic calibration weights (fitted offline with bench/qa-calibrate.ts). */
export const CAL: { readonly bias: number; readonly w: readonly number[] } = { bias: -1.36, w: [2.32, 4.09, 0.7, -5.32, -1.51] };

/** Adjacent pairs of content words, as features "a_b". */
function bigrams(terms: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < terms.length; i++) out.push(`${terms[i - 1]}_${terms[i]}`);
  return out;
}

function withBigrams(tf: ReadonlyMap<string, number>, sequence: readonly string[], weight: number): Map<string, number> {
  const out = new Map(tf);
  if (weight > 0) for (const b of bigrams(sequence)) out.set(b, weight);
  return out;
}

function vecNorm(v: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const x of v.values()) s += x * x;
  return Math.sqrt(s);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Levenshtein distance, giving up (returning max + 1) once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}
