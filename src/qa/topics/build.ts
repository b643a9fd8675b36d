/**
 * From the lessons and the written training questions to a shipped topic model:
 *
 * 1. Examples: every lesson's phrasings, title, summary, keywords, cards and answer
 *    (content/*.md), and the labelled questions in content/qa/topic-train/*.jsonl
 *    ({"text", "topic"}; other fields are ignored).
 * 2. Cross-validation on the written questions only (they are what people type; the
 *    lessons' own phrasings are also indexed by retrieval, so they would flatter it): five
 *    folds by a fixed hash of the text. For each fold a model is trained on the lessons and
 *    the other four folds and predicts the fold, so every written question gets an
 *    out-of-fold prediction from a model that never saw it.
 * 3. On those predictions: the mix of classifier and retrieval and retrieval's temperature
 *    (best top-1, then log loss), then the thresholds: a high-confidence answer at the
 *    lowest confidence whose answers are right at least TARGETS.high of the time, and "did
 *    you mean" from the confidence that all but TARGETS.dropped of the questions reach.
 * 4. The shipped model is trained on everything, quantised to int8, with the combination,
 *    the thresholds and the cross-validation figures (and reliability curve) in the file.
 *
 * Deterministic: files in name order, folds by hash, seeded SGD.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AcademyError } from '../../errors.js';
import type { Lesson } from '../../lessons/types.js';
import type { SynonymData } from '../data.js';
import { Retriever, type Retrieval } from '../retrieval.js';
import { features, netNormalise, type Features } from '../safetyNet/features.js';
import { quantise } from '../safetyNet/model.js';
import { trainSoftmax, type TrainConfig } from '../safetyNet/train.js';
import { TOPIC_MODEL_FORMAT, TopicNet, type Combination, type TopicModelFile } from './model.js';
import { combine } from './rank.js';

export interface TopicExample {
  readonly text: string;
  readonly topic: string;
  /** Where it came from: file and line, or the lesson field. */
  readonly from: string;
}

export const TOPIC_CONFIG: TrainConfig = {
  spec: { buckets: 1 << 16, wordBigrams: true, charMin: 3, charMax: 5, charWeight: 1 },
  epochs: 20,
  lr: 0.5,
  l2: 1e-6,
  seed: 20240613,
  balance: true,
};

export const FOLDS = 5;

export const TARGETS = {
  /** High-confidence answers must be right this often on the cross-validation predictions (the promise is 97%; the margin is for questions nobody wrote yet). */
  high: 0.98,
  /** Share of written questions allowed below the "did you mean" threshold (a plain "I don't know"). */
  dropped: 0.005,
} as const;

const NETS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const TEMPERATURES = [2, 4, 6, 8, 12];

/** The lessons as training examples. */
export function lessonExamples(lessons: readonly Lesson[]): TopicExample[] {
  const out: TopicExample[] = [];
  for (const l of lessons) {
    const at = (what: string) => `${l.topic}:${what}`;
    l.phrasings.forEach((p, i) => out.push({ text: p, topic: l.topic, from: at(`phrasings[${i}]`) }));
    out.push({ text: l.title, topic: l.topic, from: at('title') });
    out.push({ text: l.summary, topic: l.topic, from: at('summary') });
    l.keywords.forEach((k, i) => out.push({ text: k, topic: l.topic, from: at(`keywords[${i}]`) }));
    l.cards.forEach((c, i) => out.push({ text: `${c.title}. ${c.body}`, topic: l.topic, from: at(`cards[${i}]`) }));
    out.push({ text: l.answer, topic: l.topic, from: at('answer') });
  }
  return out;
}

/** Reads every *.jsonl in `dir` (name order): {"text", "topic"}; a text appears once (a later duplicate with the same topic is dropped, with another topic it is an error). */
export function readTopicDir(dir: string, topics: ReadonlySet<string>): TopicExample[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  if (files.length === 0) throw new AcademyError(500, `no training files (*.jsonl) in ${dir}`, 'dir');
  const seen = new Map<string, TopicExample>();
  const out: TopicExample[] = [];
  for (const file of files) {
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        const from = `${file}:${i + 1}`;
        let v: unknown;
        try {
          v = JSON.parse(line);
        } catch {
          throw new AcademyError(500, `${from}: not valid JSON`, 'line');
        }
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new AcademyError(500, `${from}: not a JSON object`, 'line');
        const text: unknown = Reflect.get(v, 'text');
        const topic: unknown = Reflect.get(v, 'topic');
        if (typeof text !== 'string' || netNormalise(text) === '') throw new AcademyError(500, `${from}: "text" must be a non-empty string`, 'text');
        if (typeof topic !== 'string' || !topics.has(topic)) throw new AcademyError(500, `${from}: "topic" must be a topic code of the content`, 'topic');
        const key = netNormalise(text);
        const before = seen.get(key);
        if (before === undefined) {
          const ex = { text, topic, from };
          seen.set(key, ex);
          out.push(ex);
        } else if (before.topic !== topic) {
          throw new AcademyError(500, `${from}: labelled ${topic}, but ${before.from} has the same text as ${before.topic}`, 'topic');
        }
      });
  }
  return out;
}

/** The fold (0..FOLDS-1) of a text: a fixed hash of its normalised form. */
export function foldOf(text: string): number {
  let h = 0x9e3779b9;
  const s = netNormalise(text);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0) % FOLDS;
}

export interface Scored {
  readonly topic: string;
  /** Classifier probabilities (classes order). */
  readonly net: readonly number[];
  readonly retrieval: Retrieval;
}

export interface Bin {
  readonly from: number;
  readonly to: number;
  readonly n: number;
  /** Share of these whose best topic is right. */
  readonly accuracy: number | null;
}

export interface CvFigures {
  readonly questions: number;
  readonly top1: number;
  readonly top3: number;
  readonly netTop1: number;
  readonly retrievalTop1: number;
  /** Share answered at high confidence, and their accuracy. */
  readonly highCoverage: number;
  readonly highAccuracy: number;
  /** Of the questions between suggest and high: share whose three alternatives hold the right topic. */
  readonly didYouMeanCoverage: number;
  readonly didYouMeanShare: number;
  /** Share below suggest (plain no-answer). */
  readonly dropped: number;
  readonly reliability: readonly Bin[];
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

function trainNet(examples: readonly TopicExample[], classes: readonly string[], config: TrainConfig, cache: Map<string, Features>): TopicNet {
  const xs = examples.map((e) => {
    let f = cache.get(e.text);
    if (f === undefined) {
      f = features(e.text, config.spec);
      cache.set(e.text, f);
    }
    return f;
  });
  const index = new Map(classes.map((c, i) => [c, i]));
  const ys = examples.map((e) => index.get(e.topic) ?? 0);
  const t = trainSoftmax(xs, ys, classes.length, config);
  return new TopicNet(classes, config.spec, t.weights, t.bias, { net: 0.5, temperature: 4, high: 1, suggest: 0 });
}

export function measure(scored: readonly Scored[], classes: readonly string[], c: Combination): CvFigures {
  let top1 = 0;
  let top3 = 0;
  let netTop1 = 0;
  let retTop1 = 0;
  let high = 0;
  let highRight = 0;
  let dym = 0;
  let dymRight = 0;
  let dropped = 0;
  const edges = [0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001];
  const bins = edges.slice(1).map(() => [0, 0]);
  for (const s of scored) {
    const ranked = combine(s.net, s.retrieval, classes, c);
    const best = ranked[0];
    if (best === undefined) continue;
    const right = best.topic === s.topic;
    if (right) top1++;
    if (ranked.slice(0, 3).some((r) => r.topic === s.topic)) top3++;
    if (classes[argmax(s.net)] === s.topic) netTop1++;
    if (s.retrieval.topic === s.topic) retTop1++;
    if (best.p >= c.high) {
      high++;
      if (right) highRight++;
    } else if (best.p >= c.suggest) {
      dym++;
      if (ranked.slice(0, 3).some((r) => r.topic === s.topic)) dymRight++;
    } else dropped++;
    const b = edges.findIndex((e, i) => best.p >= e && best.p < (edges[i + 1] ?? 2));
    const bin = bins[Math.max(0, Math.min(bins.length - 1, b))];
    if (bin !== undefined) {
      bin[0] = (bin[0] ?? 0) + 1;
      if (right) bin[1] = (bin[1] ?? 0) + 1;
    }
  }
  const n = scored.length;
  const share = (a: number, b: number) => (b === 0 ? 0 : round4(a / b));
  return {
    questions: n,
    top1: share(top1, n),
    top3: share(top3, n),
    netTop1: share(netTop1, n),
    retrievalTop1: share(retTop1, n),
    highCoverage: share(high, n),
    highAccuracy: share(highRight, high),
    didYouMeanCoverage: share(dymRight, dym),
    didYouMeanShare: share(dym, n),
    dropped: share(dropped, n),
    reliability: bins.map(([k = 0, r = 0], i) => ({ from: edges[i] ?? 0, to: Math.min(1, edges[i + 1] ?? 1), n: k, accuracy: k === 0 ? null : round4(r / k) })),
  };
}

function argmax(p: readonly number[]): number {
  let b = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] ?? 0) > (p[b] ?? 0)) b = i;
  return b;
}

/** The mix and temperature with the best top-1 (then log loss) on the out-of-fold predictions. */
export function chooseMix(scored: readonly Scored[], classes: readonly string[]): Pick<Combination, 'net' | 'temperature'> {
  let best = { net: 0.5, temperature: 4 };
  let bestKey = [-1, Infinity];
  for (const net of NETS) {
    for (const temperature of TEMPERATURES) {
      let right = 0;
      let loss = 0;
      for (const s of scored) {
        const ranked = combine(s.net, s.retrieval, classes, { net, temperature });
        if (ranked[0]?.topic === s.topic) right++;
        loss -= Math.log(Math.max(1e-9, ranked.find((r) => r.topic === s.topic)?.p ?? 0));
      }
      if (right > (bestKey[0] ?? 0) || (right === bestKey[0] && loss < (bestKey[1] ?? Infinity))) {
        best = { net, temperature };
        bestKey = [right, loss];
      }
    }
  }
  return best;
}

/** The thresholds: the lowest confidence whose answers are right TARGETS.high of the time, and the "did you mean" floor. */
export function chooseThresholds(scored: readonly Scored[], classes: readonly string[], mix: Pick<Combination, 'net' | 'temperature'>): Pick<Combination, 'high' | 'suggest'> {
  const points = scored
    .map((s) => {
      const best = combine(s.net, s.retrieval, classes, mix)[0];
      return { p: best?.p ?? 0, right: best?.topic === s.topic };
    })
    .sort((a, b) => b.p - a.p);
  // walk down from the most confident; keep the lowest cut where the answers above it are still right often enough
  let right = 0;
  let high = 1;
  points.forEach((x, i) => {
    if (x.right) right++;
    const next = points[i + 1];
    if (next !== undefined && next.p === x.p) return;
    if (right / (i + 1) >= TARGETS.high) high = x.p;
  });
  const ascending = points.map((x) => x.p).sort((a, b) => a - b);
  const suggest = ascending[Math.floor(TARGETS.dropped * ascending.length)] ?? 0;
  return { high: Math.round(high * 1e4) / 1e4, suggest: Math.floor(suggest * 1e4) / 1e4 };
}

export function dataHash(examples: readonly TopicExample[]): string {
  const h = createHash('sha256');
  for (const e of examples) h.update(`${e.topic}\t${e.text}\n`);
  return h.digest('hex');
}

export interface BuiltTopics {
  readonly model: TopicModelFile;
  readonly figures: CvFigures;
  readonly counts: Readonly<Record<string, number>>;
}

/** Cross-validates, chooses the combination and thresholds, and trains the shipped model. */
export function buildTopicModel(lessons: readonly Lesson[], syn: SynonymData, dir: string, config: TrainConfig = TOPIC_CONFIG): BuiltTopics {
  const classes = lessons.map((l) => l.topic).sort();
  const fromLessons = lessonExamples(lessons);
  const lessonKeys = new Set(fromLessons.map((e) => netNormalise(e.text)));
  // a written question that is word for word a lesson phrasing tells nothing about paraphrase
  const written = readTopicDir(dir, new Set(classes)).filter((e) => !lessonKeys.has(netNormalise(e.text)));
  const retriever = new Retriever(lessons, syn);
  const cache = new Map<string, Features>();
  const oof: Scored[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const net = trainNet([...fromLessons, ...written.filter((e) => foldOf(e.text) !== k)], classes, config, cache);
    for (const e of written) if (foldOf(e.text) === k) oof.push({ topic: e.topic, net: net.predictRaw(e.text), retrieval: retriever.retrieve(e.text) });
  }
  const mix = chooseMix(oof, classes);
  const thresholds = chooseThresholds(oof, classes, mix);
  const combination: Combination = { ...mix, ...thresholds };
  const figures = measure(oof, classes, combination);

  const all = [...fromLessons, ...written];
  const final = trainNet(all, classes, config, cache);
  const w = final.exportWeights();
  const { scale, bytes } = quantise(w.weights, classes.length);
  const counts = { lessonExamples: fromLessons.length, written: written.length, classes: classes.length };
  const model: TopicModelFile = {
    format: TOPIC_MODEL_FORMAT,
    licence: 'MIT',
    classes,
    features: config.spec,
    combination,
    bias: Array.from(w.bias, (x) => Math.round(x * 1e6) / 1e6),
    scale,
    weights: bytes.toString('base64'),
    training: { config, folds: FOLDS, targets: TARGETS, data: dataHash(all), counts, crossValidation: figures },
  };
  return { model, figures, counts };
}
