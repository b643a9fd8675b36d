/**
 * The question-answering engine: safety triage first, then retrieval, then a decision.
 *
 *   emergency  -> a short calm 999 / crisis message, nothing else
 *   clinical   -> "I can't give medical advice" + 111 online, nhs.uk, a pharmacist, and the
 *                 related digital lessons in `alternatives`
 *   off-topic  -> a polite decline and what the assistant can help with
 *   answer     -> the topic's reviewed champion answer, its sources and review date
 *   no-answer  -> "did you mean" (alternatives filled, up to three) or a plain no-answer
 *
 * Off topic is decided by triage (off-topic words and nothing in scope), by off-topic words
 * with no digital object or task named, and by retrieval: off-topic words and a confidence
 * below the answer threshold, or no scope cue at all and a very low confidence. A message that looks like a digital question but matches nothing is
 * 'no-answer', not off topic.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ContentLoader } from '../lessons/catalog.js';
import type { Lesson } from '../lessons/types.js';
import { projectRoot } from '../paths.js';
import { defaultQaDataDir, loadQaData, type QaData } from './data.js';
import { Retriever, type Retrieval } from './retrieval.js';
import { loadSafetyNet, type SafetyNet } from './safetyNet/model.js';
import { SafetyTriage, Triage, type AssessOptions, type TriageResult } from './triage.js';
import { loadTopicNet, type TopicNet } from './topics/model.js';
import { combine, type TopicChoice } from './topics/rank.js';

export type AskTriage = 'answer' | 'emergency' | 'possible-emergency' | 'clinical' | 'off-topic' | 'no-answer';

export interface AskSource {
  readonly title: string;
  readonly url: string;
  /** The lesson's last review date, YYYY-MM-DD. */
  readonly reviewed: string;
}

/** One answer. Field order is the order of the JSON line protocol. */
export interface AskResult {
  readonly q: string;
  readonly triage: AskTriage;
  /** The answered topic; null unless triage is 'answer'. */
  readonly topic: string | null;
  /**
   * 'answer' and 'no-answer': the retrieval confidence of the best topic (0..1).
   * 'emergency', 'possible-emergency', 'clinical', 'off-topic': how sure the safety decision is (0..1).
   */
  readonly confidence: number;
  /**
   * 'answer': other close topics ("see also"). 'no-answer': "did you mean" topics, best
   * first (empty for a plain no-answer). 'clinical': related digital lessons.
   */
  readonly alternatives: readonly string[];
  /** The reply text (Markdown for an answer). */
  readonly answer: string | null;
  readonly sources: readonly AskSource[];
}

export interface Thresholds {
  /** At or above: answer. */
  readonly answer: number;
  /** At or above (and below answer): "did you mean". Below: no-answer. */
  readonly suggest: number;
  /** Below, with no scope cue and no digital word at all: off topic. */
  readonly offTopic: number;
  /** Below, with a weak off-topic word and no scope cue: off topic. */
  readonly offTopicWeak: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { answer: 0.3, suggest: 0.15, offTopic: 0.4, offTopicWeak: 0.6 };
/** Health words (summed lexicon weight) that make a message with no digital cue and no good lesson clinical. */
const HEALTH_NET = 0.3;

/** Lessons offered with a clinical decline: 111 online first, then the retrieval's own health-service match, then the NHS website. */
const CLINICAL_LESSONS = ['nhs-online.111', 'nhs-online.website'] as const;
/** Topics that count as "a related digital lesson" for a clinical question. */
const HEALTH_SERVICE_PREFIXES = ['nhs-app.', 'nhs-online.'] as const;
const MAX_QUESTION = 2000;
const MAX_TRIAGE = 20000;

export interface Explained {
  readonly result: AskResult;
  /** The safety decision, as final: its kind agrees with result.triage for emergency, clinical and off-topic. */
  readonly triage: TriageResult;
  readonly retrieval: Retrieval | null;
  /** Retrieval and the topic classifier combined, best first; null when there was no topic ranking (safety decision first, or no classifier). */
  readonly ranking: readonly TopicChoice[] | null;
}

/** The topic decision: the best topic, how sure, and the ranked list behind it. */
interface TopicDecision {
  readonly top: string | null;
  readonly confidence: number;
  /** Up to five topics, best first. */
  readonly ranked: readonly { readonly topic: string; readonly score: number }[];
  readonly answerAt: number;
  readonly suggestAt: number;
  readonly ranking: readonly TopicChoice[] | null;
}

export class QaEngine {
  private readonly lessons: ReadonlyMap<string, Lesson>;
  private readonly triage: SafetyTriage;
  private readonly retriever: Retriever;
  readonly thresholds: Thresholds;

  /**
   * `net`: the learned safety net (default: the shipped one); null = the rules alone (for training and tests).
   * `topics`: the topic classifier (default: the shipped one); null = retrieval alone, with its own confidence and `thresholds`.
   */
  constructor(
    lessons: readonly Lesson[],
    private readonly data: QaData,
    thresholds: Partial<Thresholds> = {},
    net: SafetyNet | null = loadSafetyNet(),
    private readonly topics: TopicNet | null = loadTopicNet(),
  ) {
    this.lessons = new Map(lessons.map((l) => [l.topic, l]));
    this.triage = new SafetyTriage(Triage.fromData(data), net);
    this.retriever = new Retriever(lessons, data.synonyms);
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
    // warm the JIT for the triage patterns (the retriever warms itself)
    for (const l of lessons) for (const p of l.phrasings) this.triage.assess(p);
    // warm the classifier's JIT too (a few phrasings per topic are enough: it is one small loop)
    if (this.topics !== null) for (const l of lessons) for (const p of l.phrasings.slice(0, 3)) this.topics.predict(p);
  }

  /**
   * A curator attached `question` to `topic`: it answers that wording and its near
   * paraphrases from now on (a new phrasing in the live index, and the classifier's
   * nearest-neighbour memory). False for an unknown topic.
   */
  learn(question: string, topic: string): boolean {
    if (!this.lessons.has(topic)) return false;
    const q = question.trim().slice(0, MAX_QUESTION);
    if (q === '') return false;
    this.retriever.addPhrasing(topic, q);
    this.topics?.remember(q, topic);
    return true;
  }

  /** The topic decision for a question: retrieval alone, or retrieval and the classifier combined. */
  private decideTopic(text: string, ret: Retrieval): TopicDecision {
    const t = this.thresholds;
    if (this.topics === null) {
      return { top: ret.topic, confidence: ret.confidence, ranked: ret.ranked, answerAt: t.answer, suggestAt: t.suggest, ranking: null };
    }
    const c = this.topics.combination;
    const ranking = combine(this.topics.predict(text), ret, this.topics.classes, c);
    const best = ranking[0];
    return {
      top: best?.topic ?? null,
      confidence: best?.p ?? 0,
      ranked: ranking.slice(0, 5).map((r) => ({ topic: r.topic, score: r.p })),
      answerAt: c.high,
      suggestAt: c.suggest,
      ranking,
    };
  }

  ask(question: string, options: AssessOptions = {}): AskResult {
    return this.explain(question, options).result;
  }

  /** The safety decision alone (rules and net), as `explain` makes it first. */
  assess(question: string, options: AssessOptions = {}): TriageResult {
    return this.triage.assess(question.trim().slice(0, MAX_TRIAGE), options);
  }

  /**
   * The answer with the triage and retrieval details behind it (for evaluation and logs).
   * `skipNet`: the learner said this message is not an emergency; the rules still run.
   */
  explain(question: string, options: AssessOptions = {}): Explained {
    const q = question.trim();
    const r = this.data.triage.responses;
    // safety triage reads the whole message (up to a sane cap); retrieval a shorter prefix
    const tri = this.assess(q, options);
    const text = q.slice(0, MAX_QUESTION);

    if (tri.kind === 'emergency') {
      const category = tri.category ?? 'physical';
      return { triage: tri, retrieval: null, ranking: null, result: result(q, 'emergency', null, tri.net?.emergency ?? 1, [], r.emergency[category], []) };
    }
    if (tri.kind === 'possible-emergency') {
      return { triage: tri, retrieval: null, ranking: null, result: result(q, 'possible-emergency', null, tri.net?.emergency ?? 0.5, [], r.possibleEmergency, []) };
    }
    if (text === '') return { triage: tri, retrieval: null, ranking: null, result: result(q, 'no-answer', null, 0, [], r.noAnswer, []) };

    const ret = this.retriever.retrieve(text);
    const d = this.decideTopic(text, ret);
    const t = this.thresholds;
    const s = tri.signals;
    // a confident topic classification of a digital task: the lexicons alone do not decline it
    const sure = d.ranking !== null && d.confidence >= d.answerAt;
    const netSays = (k: 'clinical' | 'off-topic') => tri.net !== null && tri.net[k] > tri.net.digital;
    const digitalCue = s.digitalObject || s.task >= 0.5 || s.scopeCue;
    const lexiconClinical = tri.kind === 'clinical' && s.clinicalIntents.length === 0 && !netSays('clinical');
    const keepClinical = sure && digitalCue && lexiconClinical;

    // health words, nothing digital, and no lesson that fits well: safer to treat as clinical
    const healthOnly = s.healthWords >= HEALTH_NET && !s.digitalObject && s.task < 0.5 && s.offTopicScore < 1 && d.confidence < d.answerAt;
    if ((tri.kind === 'clinical' && !keepClinical) || healthOnly) {
      const sureClinical = s.clinicalIntents.length > 0 ? 0.9 : tri.net !== null && tri.net.clinical > 0.7 ? tri.net.clinical : 0.7;
      const decided = tri.kind === 'clinical' ? tri : { ...tri, kind: 'clinical' as const, reason: 'health words, no digital task and no lesson that fits' };
      return { triage: decided, retrieval: ret, ranking: d.ranking, result: result(q, 'clinical', null, sureClinical, this.clinicalLessons(d), r.clinical, []) };
    }

    const noCue = !s.scopeCue && !s.digitalObject;
    const offTopic =
      tri.kind === 'off-topic' ||
      (s.offTopicScore >= 1 && !s.digitalObject && s.task < 1) ||
      (s.offTopicScore >= 1 && ret.confidence < t.answer) ||
      (s.offTopicScore > 0 && noCue && ret.confidence < t.offTopicWeak) ||
      (noCue && ret.confidence < t.offTopic);
    if (offTopic && !(sure && !netSays('off-topic'))) {
      const decided = tri.kind === 'off-topic' ? tri : { ...tri, kind: 'off-topic' as const, reason: `${tri.reason}; off topic by retrieval (confidence ${ret.confidence})` };
      return { triage: decided, retrieval: ret, ranking: d.ranking, result: result(q, 'off-topic', null, round3(1 - ret.confidence), [], r.offTopic, []) };
    }
    const inScope: TriageResult =
      tri.kind === 'clinical' || tri.kind === 'off-topic' ? { ...tri, kind: 'in-scope', reason: `${tri.reason}; in scope: a digital task, topic ${d.top ?? ''} at confidence ${round3(d.confidence)}` } : tri;

    const lesson = d.top === null ? undefined : this.lessons.get(d.top);
    if (lesson !== undefined && d.confidence >= d.answerAt) {
      const top = d.ranked[0]?.score ?? 0;
      const seeAlso = d.ranked
        .slice(1)
        .filter((x) => x.score >= 0.8 * top)
        .slice(0, 2)
        .map((x) => x.topic);
      const sources = lesson.sources.map((src) => ({ title: src.title, url: src.url, reviewed: lesson.lastReviewed }));
      return { triage: inScope, retrieval: ret, ranking: d.ranking, result: result(q, 'answer', lesson.topic, d.confidence, seeAlso, lesson.answer, sources) };
    }
    // "did you mean" from the combined confidence, or where retrieval alone would have offered it (exact terms matched)
    if ((d.confidence >= d.suggestAt || (d.ranking !== null && ret.confidence >= t.suggest)) && d.ranked.length > 0) {
      const top = d.ranked[0]?.score ?? 0;
      // with the classifier: always the three best (that is what the did-you-mean coverage is measured on)
      const options = d.ranking !== null ? d.ranked.filter((x) => this.lessons.has(x.topic)).slice(0, 3) : d.ranked.filter((x) => x.score >= 0.5 * top && this.lessons.has(x.topic)).slice(0, 3);
      const lines = options.map((x, i) => `${i + 1}. ${this.lessons.get(x.topic)?.title ?? x.topic}`);
      const text = [r.didYouMean, ...lines].join('\n');
      return { triage: inScope, retrieval: ret, ranking: d.ranking, result: result(q, 'no-answer', null, d.confidence, options.map((x) => x.topic), text, []) };
    }
    return { triage: inScope, retrieval: ret, ranking: d.ranking, result: result(q, 'no-answer', null, d.confidence, [], r.noAnswer, []) };
  }

  /** The digital lessons to offer with a clinical decline. */
  private clinicalLessons(d: TopicDecision): string[] {
    const [first, ...rest] = CLINICAL_LESSONS;
    const out: string[] = first !== undefined && this.lessons.has(first) ? [first] : [];
    const top = d.top;
    if (top !== null && d.confidence >= d.suggestAt && HEALTH_SERVICE_PREFIXES.some((p) => top.startsWith(p)) && !out.includes(top)) out.push(top);
    for (const t of rest) if (!out.includes(t) && this.lessons.has(t)) out.push(t);
    return out.slice(0, 3);
  }
}

function result(
  q: string,
  triage: AskTriage,
  topic: string | null,
  confidence: number,
  alternatives: readonly string[],
  answer: string | null,
  sources: readonly AskSource[],
): AskResult {
  // literal in protocol order: q, triage, topic, confidence, alternatives, answer, sources
  return { q, triage, topic, confidence: round3(confidence), alternatives, answer, sources };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export interface LoadOptions {
  /** Folder of topic files; default <project>/content. */
  readonly contentDir?: string;
  /** Folder of synonyms.yaml and triage.yaml; default <contentDir>/qa if present, else <project>/content/qa. */
  readonly dataDir?: string;
  readonly thresholds?: Partial<Thresholds>;
  /** false: retrieval alone, without the topic classifier. */
  readonly topics?: boolean;
}

/** Loads the lessons and data files and builds the engine (index built once, here). */
export function loadQaEngine(options: LoadOptions = {}): QaEngine {
  const contentDir = options.contentDir ?? join(projectRoot(), 'content');
  const lessons = new ContentLoader(contentDir).load();
  const beside = join(contentDir, 'qa');
  const dataDir = options.dataDir ?? (existsSync(join(beside, 'triage.yaml')) ? beside : defaultQaDataDir());
  return new QaEngine(lessons, loadQaData(dataDir), options.thresholds, loadSafetyNet(dataDir), options.topics === false ? null : loadTopicNet(dataDir));
}
