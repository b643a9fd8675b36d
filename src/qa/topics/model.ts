/**
 * The topic classifier: which of the 40 lessons a question is about, as probabilities.
 *
 * The same kind of model as the safety net (src/qa/safetyNet): a softmax regression over
 * hashed word, word-pair and character n-gram features (safetyNet/features.ts), trained with
 * the same seeded SGD (safetyNet/train.ts, `trainSoftmax`) by scripts/train-topics.ts, and
 * shipped as content/qa/topic-model.json with int8 weights. Character n-grams carry
 * misspellings and unseen word forms; the words people use for a topic, learned from
 * thousands of written questions, carry paraphrase that shares no word with the lesson.
 *
 * The model file also holds how its probabilities are combined with retrieval and the
 * confidence thresholds (chosen by cross-validation on the training questions, see
 * src/qa/topics/build.ts), so a retrained model brings its own calibration.
 *
 * A small nearest-neighbour memory holds questions curators attached to a topic while the
 * academy runs: a question close to one of them (cosine of the same features) leans to its
 * topic at once, without retraining.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AcademyError } from '../../errors.js';
import { defaultQaDataDir } from '../data.js';
import { features, type FeatureSpec, type Features } from '../safetyNet/features.js';
import { checkWeights, classNumbers, dequantise, fail, finite, linearLogits, softmax, validateFeatureSpec } from '../safetyNet/model.js';

export const TOPIC_MODEL_FORMAT = 'academy-topic-net/1';
export const TOPIC_MODEL_FILE = 'topic-model.json';

/** How the classifier and retrieval are combined, and where confidence turns into a decision. */
export interface Combination {
  /** Weight of the classifier's probability; retrieval gets 1 - net. */
  readonly net: number;
  /** Temperature of the softmax over retrieval scores. */
  readonly temperature: number;
  /** Combined probability of the best topic at or above: answer (high confidence). */
  readonly high: number;
  /** At or above (and below high): "did you mean" with three topics. Below: no answer. */
  readonly suggest: number;
}

export interface TopicModelFile {
  readonly format: typeof TOPIC_MODEL_FORMAT;
  readonly licence: string;
  readonly classes: readonly string[];
  readonly features: FeatureSpec;
  readonly combination: Combination;
  readonly bias: readonly number[];
  readonly scale: readonly number[];
  /** base64 of int8 weights, bucket-major (bucket b, class c at b * classes + c). */
  readonly weights: string;
  readonly training: Readonly<Record<string, unknown>>;
}

interface Memory {
  /** Bucket id → feature value (unit L2 norm). */
  readonly values: Map<number, number>;
  readonly topic: number;
}

/** Nearest-neighbour memory: from this cosine up a remembered question pulls to its topic... */
const MEMORY_FROM = 0.5;
/** ...fully (its topic's probability 1) from this one. */
const MEMORY_FULL = 0.85;
const MEMORY_MAX = 5000;

export class TopicNet {
  private readonly index = new Map<string, number>();
  private readonly memory: Memory[] = [];

  constructor(
    readonly classes: readonly string[],
    readonly spec: FeatureSpec,
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
    readonly combination: Combination,
  ) {
    if (weights.length !== spec.buckets * classes.length) throw new AcademyError(500, 'topic model: weights do not match buckets × classes', 'weights');
    if (bias.length !== classes.length) throw new AcademyError(500, 'topic model: bias does not match classes', 'bias');
    classes.forEach((c, i) => this.index.set(c, i));
  }

  classIndex(topic: string): number {
    return this.index.get(topic) ?? -1;
  }

  features(text: string): Features {
    return features(text, this.spec);
  }

  /** The classifier's probabilities alone, in `classes` order. */
  predictRaw(text: string): number[] {
    return this.logitsToProbs(this.features(text));
  }

  /** Probabilities, with the curators' memory mixed in; in `classes` order. */
  predict(text: string): number[] {
    const f = this.features(text);
    const p = this.logitsToProbs(f);
    if (this.memory.length === 0) return p;
    let best = 0;
    let topic = -1;
    for (const m of this.memory) {
      let cos = 0;
      for (let j = 0; j < f.ids.length; j++) cos += (f.values[j] ?? 0) * (m.values.get(f.ids[j] ?? -1) ?? 0);
      if (cos > best) {
        best = cos;
        topic = m.topic;
      }
    }
    if (topic < 0 || best < MEMORY_FROM) return p;
    const a = Math.min(1, (best - MEMORY_FROM) / (MEMORY_FULL - MEMORY_FROM));
    return p.map((x, i) => (1 - a) * x + (i === topic ? a : 0));
  }

  /** Remembers a question as a way of asking about `topic` (a curator's attach). */
  remember(text: string, topic: string): boolean {
    const c = this.index.get(topic);
    if (c === undefined) return false;
    const f = this.features(text);
    if (f.ids.length === 0) return false;
    if (this.memory.length >= MEMORY_MAX) this.memory.shift();
    this.memory.push({ values: new Map(Array.from(f.ids, (id, j) => [id, f.values[j] ?? 0])), topic: c });
    return true;
  }

  /** The float weights and bias (for quantising a freshly trained net). */
  exportWeights(): { weights: Float32Array; bias: Float32Array } {
    return { weights: this.weights, bias: this.bias };
  }

  get remembered(): number {
    return this.memory.length;
  }

  private logitsToProbs(f: Features): number[] {
    return softmax(linearLogits(f, this.weights, this.bias));
  }

  static fromModel(m: TopicModelFile): TopicNet {
    return new TopicNet(m.classes, m.features, dequantise(m.weights, m.scale), Float32Array.from(m.bias), m.combination);
  }

  static fromFile(file: string): TopicNet {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new AcademyError(500, `cannot read the topic model ${file}: ${e instanceof Error ? e.message : String(e)}`, 'file');
    }
    return TopicNet.fromModel(validateTopicModel(raw, file));
  }
}

/** The topic model in `dir` (content/qa) or, when that folder has none, the shipped one; null when neither exists. A fresh copy each time (the memory is per engine). */
export function loadTopicNet(dir: string = defaultQaDataDir()): TopicNet | null {
  const own = join(dir, TOPIC_MODEL_FILE);
  const file = existsSync(own) ? own : join(defaultQaDataDir(), TOPIC_MODEL_FILE);
  if (!existsSync(file)) return null;
  let m = parsed.get(file);
  if (m === undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new AcademyError(500, `cannot read the topic model ${file}: ${e instanceof Error ? e.message : String(e)}`, 'file');
    }
    m = validateTopicModel(raw, file);
    parsed.set(file, m);
  }
  return TopicNet.fromModel(m);
}

const parsed = new Map<string, TopicModelFile>();


/** Checks a parsed topic model file at the edge; names the field at fault. */
export function validateTopicModel(raw: unknown, file: string): TopicModelFile {
  if (typeof raw !== 'object' || raw === null) fail(file, '(root)', 'must be an object');
  const o = raw as Record<string, unknown>;
  if (o.format !== TOPIC_MODEL_FORMAT) fail(file, 'format', `must be "${TOPIC_MODEL_FORMAT}"`);
  if (!Array.isArray(o.classes) || o.classes.length < 2 || !o.classes.every((c) => typeof c === 'string')) fail(file, 'classes', 'must list the topic codes');
  const classes = o.classes as string[];
  const spec = validateFeatureSpec(o.features, file);
  const c = (o.combination ?? {}) as Record<string, unknown>;
  const combination: Combination = {
    net: finite(c.net, file, 'combination.net'),
    temperature: finite(c.temperature, file, 'combination.temperature'),
    high: finite(c.high, file, 'combination.high'),
    suggest: finite(c.suggest, file, 'combination.suggest'),
  };
  const nums = (v: unknown, field: string): number[] => classNumbers(v, classes.length, file, field);
  const weights = checkWeights(o.weights, spec.buckets, classes.length, file);
  return {
    format: TOPIC_MODEL_FORMAT,
    licence: typeof o.licence === 'string' ? o.licence : 'MIT',
    classes,
    features: spec,
    combination,
    bias: nums(o.bias, 'bias'),
    scale: nums(o.scale, 'scale'),
    weights,
    training: typeof o.training === 'object' && o.training !== null ? (o.training as Record<string, unknown>) : {},
  };
}
