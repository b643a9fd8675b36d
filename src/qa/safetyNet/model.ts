/**
 * The safety net's model: a multinomial logistic regression (softmax) over hashed features
 * (see features.ts), trained by scripts/train-safety.ts and shipped as
 * content/qa/safety-model.json. Loading validates the file; predicting is pure and fast
 * (a few hundred additions per message).
 *
 * Weights are stored quantised to int8, one scale per class, base64-encoded, bucket-major
 * (weight of bucket b for class c at b * classes + c).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AcademyError } from '../../errors.js';
import { defaultQaDataDir } from '../data.js';
import { features, type Features, type FeatureSpec } from './features.js';

export const NET_CLASSES = ['emergency', 'clinical', 'digital', 'off-topic'] as const;
export type NetClass = (typeof NET_CLASSES)[number];
export type NetProbs = Readonly<Record<NetClass, number>>;

/** Where the net's p(emergency) and p(clinical) turn into a decision. */
export interface NetThresholds {
  /** p(emergency) at or above: emergency. */
  readonly emergency: number;
  /** p(emergency) at or above (and below `emergency`): possible emergency. */
  readonly possible: number;
  /** p(clinical) at or above: clinical, where the rules found nothing to triage. */
  readonly clinical: number;
  /** Any one clause's p(emergency) at or above: possible emergency (an emergency said inside a longer message). */
  readonly clauseEmergency?: number;
  /** Any one clause's p(clinical) at or above: clinical (a request for medical judgement inside a digital question). */
  readonly clauseClinical?: number;
}

/** What the rules said, and what the net read in the whole message and in its clauses. */
export interface NetReading {
  /** The rules' verdict. */
  readonly rules: string;
  /** The rules saw something medical or alarming (triage.ts `ruleEvidence`). */
  readonly evidence: boolean;
  readonly p: NetProbs;
  /** The highest p of each class over the clauses of a longer message; null for one clause. */
  readonly clauses: NetProbs | null;
}

export type NetVerdict = 'emergency' | 'possible-emergency' | 'clinical' | null;

/**
 * The net's verdict where the rules did not say emergency (null: the rules' verdict stands).
 * Emergency alone needs both nets: the net sure on the whole message and the rules seeing
 * something medical or alarming. Unsure, or sure on its own, or one clause alarming: possible
 * emergency. Clinical where the rules did not already say so, from the whole message or one clause.
 * The one place this is decided: SafetyTriage.assess and the threshold choice (build.ts) both use it.
 */
export function netVerdict(r: NetReading, th: NetThresholds): NetVerdict {
  if (r.rules === 'emergency') return 'emergency';
  if (r.p.emergency >= th.emergency && r.evidence) return 'emergency';
  if (r.p.emergency >= Math.min(th.possible, th.emergency)) return 'possible-emergency';
  if (r.clauses !== null && th.clauseEmergency !== undefined && r.clauses.emergency >= th.clauseEmergency) return 'possible-emergency';
  if (r.rules === 'clinical') return null;
  if (r.p.clinical >= th.clinical) return 'clinical';
  if (r.clauses !== null && th.clauseClinical !== undefined && r.clauses.clinical >= th.clauseClinical) return 'clinical';
  return null;
}

/** A longer message's clauses (at least three words each); fewer than two: none. */
export function clausesOf(text: string): string[] {
  const parts = text.split(/[,.;:!?()\n]+|\s(?:but|and|because|cos|coz|so|then|also|plus|btw)\s/i).filter((c) => c.trim().split(/\s+/).length >= 3);
  return parts.length >= 2 ? parts : [];
}

export const MODEL_FORMAT = 'academy-safety-net/1';

export interface ModelFile {
  readonly format: typeof MODEL_FORMAT;
  readonly licence: string;
  readonly classes: readonly NetClass[];
  readonly features: FeatureSpec;
  readonly thresholds: NetThresholds;
  readonly bias: readonly number[];
  /** Per class: weight = int8 * scale. */
  readonly scale: readonly number[];
  /** base64 of int8 weights, buckets * classes. */
  readonly weights: string;
  /** How the model was made and what it scored on its validation split (for the reproducibility test and the docs). */
  readonly training: Readonly<Record<string, unknown>>;
}

export class SafetyNet {
  private readonly weights: Float32Array;
  private readonly nClasses: number;

  constructor(
    readonly spec: FeatureSpec,
    weights: Float32Array,
    private readonly bias: Float32Array,
    readonly thresholds: NetThresholds,
  ) {
    this.nClasses = bias.length;
    if (weights.length !== spec.buckets * this.nClasses) throw new AcademyError(500, 'safety model: weights do not match buckets × classes', 'weights');
    this.weights = weights;
  }

  /**
   * Probability of each class for a message. With `clauses` in the spec, each clause of a
   * longer message is also read on its own and the reading with the highest p(emergency)
   * wins: an emergency inside a digital request is not drowned by the request.
   */
  predict(text: string): NetProbs {
    let best = this.predictOne(text);
    if (this.spec.clauses !== true) return best;
    const parts = clausesOf(text);
    for (const part of parts) {
      const p = this.predictOne(part);
      if (p.emergency > best.emergency) best = p;
    }
    return best;
  }

  /** The highest p of each class over the clauses of a longer message (null: one clause). */
  predictClauses(text: string): NetProbs | null {
    const parts = clausesOf(text);
    if (parts.length === 0) return null;
    const max: Record<NetClass, number> = { emergency: 0, clinical: 0, digital: 0, 'off-topic': 0 };
    for (const part of parts) {
      const p = this.predictOne(part);
      for (const c of NET_CLASSES) max[c] = Math.max(max[c], p[c]);
    }
    return max;
  }

  private predictOne(text: string): NetProbs {
    return toProbs(softmax(linearLogits(features(text, this.spec), this.weights, this.bias)));
  }

  static fromFile(file: string): SafetyNet {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new AcademyError(500, `cannot read the safety model ${file}: ${e instanceof Error ? e.message : String(e)}`, 'file');
    }
    return SafetyNet.fromModel(validateModel(raw, file));
  }

  static fromModel(m: ModelFile): SafetyNet {
    return new SafetyNet(m.features, dequantise(m.weights, m.scale), Float32Array.from(m.bias), m.thresholds);
  }
}

/** A linear layer over sparse features: bias + sum of value * weight (weights bucket-major, one row of classes per bucket). */
export function linearLogits(f: Features, weights: Float32Array, bias: Float32Array): number[] {
  const C = bias.length;
  const logits = Array.from(bias);
  for (let j = 0; j < f.ids.length; j++) {
    const base = (f.ids[j] ?? 0) * C;
    const v = f.values[j] ?? 0;
    for (let c = 0; c < C; c++) logits[c] = (logits[c] ?? 0) + v * (weights[base + c] ?? 0);
  }
  return logits;
}

/** int8 weights (base64) back to floats: weight = int8 * the scale of its class (the inverse of `quantise`). */
export function dequantise(base64: string, scale: readonly number[]): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const C = scale.length;
  const w = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) w[i] = (q[i] ?? 0) * (scale[i % C] ?? 0);
  return w;
}

export const SAFETY_MODEL_FILE = 'safety-model.json';

const loaded = new Map<string, SafetyNet>();

/** The safety net in `dir` (content/qa) or, when that folder has none, the shipped one; loaded once per file. */
export function loadSafetyNet(dir: string = defaultQaDataDir()): SafetyNet {
  const own = join(dir, SAFETY_MODEL_FILE);
  const file = existsSync(own) ? own : join(defaultQaDataDir(), SAFETY_MODEL_FILE);
  let net = loaded.get(file);
  if (net === undefined) {
    net = SafetyNet.fromFile(file);
    loaded.set(file, net);
  }
  return net;
}

export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

function toProbs(p: readonly number[]): NetProbs {
  return { emergency: p[0] ?? 0, clinical: p[1] ?? 0, digital: p[2] ?? 0, 'off-topic': p[3] ?? 0 };
}

/** Quantises float weights (bucket-major) to int8 with one scale per class. */
export function quantise(weights: Float32Array, classes: number): { scale: number[]; bytes: Buffer } {
  const max = new Array<number>(classes).fill(0);
  for (let i = 0; i < weights.length; i++) max[i % classes] = Math.max(max[i % classes] ?? 0, Math.abs(weights[i] ?? 0));
  const scale = max.map((m) => (m === 0 ? 1 : m / 127));
  const bytes = Buffer.alloc(weights.length);
  for (let i = 0; i < weights.length; i++) bytes.writeInt8(Math.round((weights[i] ?? 0) / (scale[i % classes] ?? 1)), i);
  return { scale, bytes };
}

/** A model file that is not as it should be: names the file and the field at fault. */
export function fail(file: string, field: string, what: string): never {
  throw new AcademyError(500, `${file}: ${field} ${what}`, field);
}

export function finite(v: unknown, file: string, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(file, field, 'must be a number');
  return v;
}

/** A per-class list of numbers in a model file (bias, scale), checked. */
export function classNumbers(v: unknown, classes: number, file: string, field: string): number[] {
  if (!Array.isArray(v) || v.length !== classes) fail(file, field, `must list ${classes} numbers`);
  return v.map((x, i) => finite(x, file, `${field}[${i}]`));
}

/** The quantised weights of a model file: base64 of buckets × classes bytes. */
export function checkWeights(v: unknown, buckets: number, classes: number, file: string): string {
  if (typeof v !== 'string') fail(file, 'weights', 'must be a base64 string');
  if (Buffer.byteLength(v, 'base64') !== buckets * classes) fail(file, 'weights', 'must hold buckets × classes bytes');
  return v;
}

/** The `features` object of a model file (safety net or topic classifier), checked. */
export function validateFeatureSpec(raw: unknown, file: string): FeatureSpec {
  const f = (raw ?? {}) as Record<string, unknown>;
  const buckets = finite(f.buckets, file, 'features.buckets');
  if (buckets < 2 || (buckets & (buckets - 1)) !== 0) fail(file, 'features.buckets', 'must be a power of two');
  return {
    buckets,
    wordBigrams: f.wordBigrams === true,
    charMin: finite(f.charMin, file, 'features.charMin'),
    charMax: finite(f.charMax, file, 'features.charMax'),
    charWeight: finite(f.charWeight, file, 'features.charWeight'),
    ...(f.clauses === true ? { clauses: true } : {}),
  };
}

/** Checks a parsed model file at the edge; names the field at fault. */
export function validateModel(raw: unknown, file: string): ModelFile {
  if (typeof raw !== 'object' || raw === null) fail(file, '(root)', 'must be an object');
  const o = raw as Record<string, unknown>;
  if (o.format !== MODEL_FORMAT) fail(file, 'format', `must be "${MODEL_FORMAT}"`);
  if (!Array.isArray(o.classes) || o.classes.join() !== NET_CLASSES.join()) fail(file, 'classes', `must be ${NET_CLASSES.join(', ')}`);
  const spec = validateFeatureSpec(o.features, file);
  const t = (o.thresholds ?? {}) as Record<string, unknown>;
  const thresholds: NetThresholds = {
    emergency: finite(t.emergency, file, 'thresholds.emergency'),
    possible: finite(t.possible, file, 'thresholds.possible'),
    clinical: finite(t.clinical, file, 'thresholds.clinical'),
    ...(t.clauseEmergency === undefined ? {} : { clauseEmergency: finite(t.clauseEmergency, file, 'thresholds.clauseEmergency') }),
    ...(t.clauseClinical === undefined ? {} : { clauseClinical: finite(t.clauseClinical, file, 'thresholds.clauseClinical') }),
  };
  const nums = (v: unknown, field: string): number[] => classNumbers(v, NET_CLASSES.length, file, field);
  const weights = checkWeights(o.weights, spec.buckets, NET_CLASSES.length, file);
  return {
    format: MODEL_FORMAT,
    licence: typeof o.licence === 'string' ? o.licence : 'MIT',
    classes: NET_CLASSES,
    features: spec,
    thresholds,
    bias: nums(o.bias, 'bias'),
    scale: nums(o.scale, 'scale'),
    weights,
    training: typeof o.training === 'object' && o.training !== null ? (o.training as Record<string, unknown>) : {},
  };
}
