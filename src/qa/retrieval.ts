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
import { calibrate, NO_FEATURES, type ConfidenceFeatures } from './confidence.js';
import type { SynonymData } from './data.js';
import { DEFAULT_PARAMS, type RetrievalParams } from './retrieval-params.js';
import { normalise, stem, words } from './text.js';
import { ExampleIndex, type RawExample, type Scores } from './example-index.js';
import { flatten, type QueryTerm } from './query-terms.js';
import { editDistance, pushTo } from './vectors.js';

export { calibrate, CAL, featureVector, type ConfidenceFeatures } from './confidence.js';
export { DEFAULT_PARAMS, type RetrievalParams } from './retrieval-params.js';
export type { QueryTerm } from './query-terms.js';
export { editDistance } from './vectors.js';

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

interface TopicDoc {
  id: string;
  title: string;
  summary: string;
  keywords: string;
  phrasings: string;
  cards: string;
  answer: string;
}

/** Shortest word that typo repair will touch ("snow" must not become "show"). */
const MIN_REPAIR = 5;

export class Retriever {
  private readonly search: MiniSearch<TopicDoc>;
  /** The indexed document of each topic (to add phrasings while running). */
  private readonly docs = new Map<string, TopicDoc>();
  /** Stages 2 and 3: the examples of each topic and their centroids. */
  private readonly examples: ExampleIndex;
  /** Known words bucketed by first letter, for typo repair. */
  private readonly vocabulary = new Map<string, string[]>();
  private readonly known = new Set<string>();
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
    this.indexDocuments(lessons);
    this.examples = new ExampleIndex(this.rawExamples(lessons), this.p);
    this.indexWords(lessons);
    // warm up at startup (JIT, and the garbage collection that follows building the index),
    // so the first real questions are as quick as the rest: every phrasing once, ~0.3 s
    for (const l of lessons) {
      this.retrieve(`${l.title} ${l.summary}`);
      for (const p of l.phrasings) this.retrieve(p);
    }
    this.repairCache.clear();
    this.expansionCache.clear();
  }

  /** Stage 1: one BM25 document per topic. */
  private indexDocuments(lessons: readonly Lesson[]): void {
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
  }

  /** Stage 2's examples: every phrasing, the title, the summary and each keyword of each lesson. */
  private rawExamples(lessons: readonly Lesson[]): RawExample[] {
    const raw: RawExample[] = [];
    const ew = this.p.examples;
    for (const l of lessons) {
      for (const p of l.phrasings) raw.push({ topic: l.topic, terms: this.analyse(p), weight: ew.phrasing });
      raw.push({ topic: l.topic, terms: this.analyse(l.title), weight: ew.title });
      raw.push({ topic: l.topic, terms: this.analyse(l.summary), weight: ew.summary });
      for (const k of l.keywords) raw.push({ topic: l.topic, terms: this.analyse(k), weight: ew.keyword });
    }
    return raw;
  }

  /** Every word of every topic's text: the known words, each topic's own, and the typo-repair vocabulary. */
  private indexWords(lessons: readonly Lesson[]): void {
    for (const l of lessons) {
      const mine = new Set<string>();
      const all = [l.title, l.summary, ...l.keywords, ...l.phrasings, l.answer, ...l.cards.map((c) => `${c.title} ${c.body}`)];
      for (const text of all) for (const t of this.analyse(text)) mine.add(t);
      this.topicWords.set(l.topic, mine);
      for (const t of mine) this.known.add(t);
    }
    for (const t of this.known) this.addToVocabulary(t);
  }

  private addToVocabulary(term: string): void {
    if (term.length < MIN_REPAIR || /[^a-z]/.test(term)) return;
    pushTo(this.vocabulary, term[0] ?? '', term);
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
        this.addToVocabulary(t);
      }
    }
    this.topicWords.set(topic, mine);
    this.examples.add(topic, terms);
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

  /** The best topics for a question: the three scorers, summed, ranked, with a calibrated confidence. */
  retrieve(question: string): Retrieval {
    const query = this.analyseQuery(question);
    const terms = query.map((q) => q.term);
    if (query.length === 0) return { topic: null, confidence: 0, ranked: [], coverage: 0, terms: [], features: NO_FEATURES };
    const bm25 = this.bm25Scores(query);
    const vector = this.examples.queryVector(query, terms);
    const nearest = this.examples.nearestExampleScores(vector);
    const centroid = this.examples.centroidScores(vector);
    return this.withConfidence(this.rank(bm25, nearest, centroid), terms);
  }

  /** Stage 1: BM25, relative to the best topic (typo-repaired words are searched as typed too; fuzzy search covers them). */
  private bm25Scores(query: readonly QueryTerm[]): Scores {
    const boosts = flatten(query, this.p.expansionBm25);
    for (const q of query) if (q.original !== null && !boosts.has(q.original)) boosts.set(q.original, q.weight);
    const { fuzzy, fuzzyAll } = this.p;
    const known = this.known;
    const hits = this.search.search([...boosts.keys()].join(' '), {
      tokenize: (s) => s.split(' '),
      processTerm: (t) => t,
      boost: { ...this.p.boost },
      fuzzy: (term) => (term.length >= 5 && (fuzzyAll || !known.has(term)) ? fuzzy : false),
      prefix: (term) => term.length >= 4 && (fuzzyAll || !known.has(term)),
      boostTerm: (term) => boosts.get(term) ?? 1,
      combineWith: 'OR',
    });
    const best = hits[0]?.score ?? 0;
    const scores: Scores = new Map();
    for (const h of hits) scores.set(String(h.id), best > 0 ? h.score / best : 0);
    return scores;
  }

  /** The three scorers mixed: the five best topics of those BM25 or an example found. */
  private rank(bm25: Scores, nearest: Scores, centroid: Scores): RankedTopic[] {
    const mix = this.p.mix;
    const candidates = new Set([...bm25.keys(), ...nearest.keys()]);
    return [...candidates]
      .map((topic) => {
        const bm25Score = bm25.get(topic) ?? 0;
        const nearestScore = nearest.get(topic) ?? 0;
        const centroidScore = centroid.get(topic) ?? 0;
        const score = mix.bm25 * bm25Score + mix.nearest * nearestScore + mix.centroid * centroidScore;
        return { topic, score, bm25: bm25Score, nearest: nearestScore };
      })
      .sort((a, b) => b.score - a.score || a.topic.localeCompare(b.topic))
      .slice(0, 5);
  }

  /** The ranking as a retrieval: the top topic and how sure we are of it. */
  private withConfidence(ranked: RankedTopic[], terms: string[]): Retrieval {
    const top = ranked[0];
    const unknown = terms.filter((t) => !this.known.has(t)).length / terms.length;
    if (top === undefined) return { topic: null, confidence: 0, ranked: [], coverage: 0, terms, features: { ...NO_FEATURES, unknown, words: terms.length } };
    const margin = top.score - (ranked[1]?.score ?? 0);
    const coverage = this.coverage(terms, top.topic);
    const features: ConfidenceFeatures = { nearest: top.nearest, margin, coverage, unknown, words: terms.length };
    return { topic: top.topic, confidence: calibrate(features), ranked, coverage, terms, features };
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
      const w = this.examples.idf(t) ?? this.examples.defaultIdf;
      all += w;
      if (mine.has(t)) have += w;
    }
    return all === 0 ? 0 : have / all;
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
      if (d < bestD || (d === bestD && best !== null && (this.examples.idf(v) ?? 99) < (this.examples.idf(best) ?? 99))) {
        bestD = d;
        best = v;
      }
    }
    if (this.repairCache.size > 5000) this.repairCache.clear();
    this.repairCache.set(term, best);
    return best;
  }
}
