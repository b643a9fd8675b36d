/**
 * Training of the safety net: reading the labelled lines in content/qa/safety-train/,
 * the deterministic validation split, and seeded SGD on the softmax loss.
 *
 * Deterministic by construction: files are read in name order, the split is a hash of the
 * normalised text, the shuffle uses a seeded generator, and all arithmetic is in Float32Array
 * / float64 in a fixed order. The same data and config give the same weights, bit for bit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AcademyError } from '../../errors.js';
import { features, netNormalise, type FeatureSpec, type Features } from './features.js';
import { NET_CLASSES, softmax, type NetClass } from './model.js';

export interface Example {
  readonly text: string;
  readonly label: NetClass;
  /** The writer's sub-class (wrapped, hard-negative, dose…), when given. */
  readonly cls?: string;
  /** Where it came from: file name and line. */
  readonly from: string;
}

export interface TrainConfig {
  readonly spec: FeatureSpec;
  readonly epochs: number;
  /** Starting learning rate; decays linearly to 0 over the run. */
  readonly lr: number;
  /** L2 penalty, applied to the weights a step touches. */
  readonly l2: number;
  readonly seed: number;
  /** Weigh the classes equally in the loss (else by their share of the lines). */
  readonly balance: boolean;
}

export const DEFAULT_CONFIG: TrainConfig = {
  spec: { buckets: 1 << 16, wordBigrams: true, charMin: 3, charMax: 5, charWeight: 0.25 },
  epochs: 24,
  lr: 0.5,
  l2: 1e-5,
  seed: 20240612,
  balance: false,
};

/** Share of the training lines held out for choosing thresholds (by hash of the normalised text). */
export const VALIDATION_PERCENT = 20;

/** Reads every *.jsonl in `dir` (name order): {"text", "label", ...}; one text, one label (later duplicates dropped). */
export function readTrainingDir(dir: string): Example[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  if (files.length === 0) throw new AcademyError(500, `no training files (*.jsonl) in ${dir}`, 'dir');
  const seen = new Map<string, Example>();
  const out: Example[] = [];
  for (const file of files) {
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        const ex = parseLine(line, `${file}:${i + 1}`);
        const key = netNormalise(ex.text);
        const before = seen.get(key);
        if (before === undefined) {
          seen.set(key, ex);
          out.push(ex);
        } else if (before.label !== ex.label) {
          throw new AcademyError(500, `${ex.from}: labelled ${ex.label}, but ${before.from} has the same text as ${before.label}`, 'label');
        }
      });
  }
  return out;
}

function parseLine(line: string, from: string): Example {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new AcademyError(500, `${from}: not valid JSON`, 'line');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new AcademyError(500, `${from}: not a JSON object`, 'line');
  const text: unknown = Reflect.get(v, 'text');
  const label: unknown = Reflect.get(v, 'label');
  if (typeof text !== 'string' || netNormalise(text) === '') throw new AcademyError(500, `${from}: "text" must be a non-empty string`, 'text');
  if (!(NET_CLASSES as readonly unknown[]).includes(label)) throw new AcademyError(500, `${from}: "label" must be one of ${NET_CLASSES.join(', ')}`, 'label');
  const cls: unknown = Reflect.get(v, 'cls');
  return { text, label: label as NetClass, ...(typeof cls === 'string' ? { cls } : {}), from };
}

/** True for the lines held out for validation: a fixed hash of the normalised text, so a line never moves. */
export function isValidation(text: string): boolean {
  let h = 0x811c9dc5;
  const s = netNormalise(text);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 100 < VALIDATION_PERCENT;
}

/** mulberry32: a small seeded generator. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(order: number[], next: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = t;
  }
}

export interface Trained {
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

/** Softmax regression by SGD: class-balanced loss, linear learning-rate decay, lazy L2. */
export function train(examples: readonly Example[], config: TrainConfig): Trained {
  const xs: Features[] = examples.map((e) => features(e.text, config.spec));
  return trainSoftmax(xs, examples.map((e) => NET_CLASSES.indexOf(e.label)), NET_CLASSES.length, config);
}

/**
 * The same training for any class set (the topic classifier uses it): `ys[i]` is the class
 * index of `xs[i]`, 0 <= y < `classes`.
 */
export function trainSoftmax(xs: readonly Features[], ys: readonly number[], classes: number, config: TrainConfig): Trained {
  const C = classes;
  const weights = new Float32Array(config.spec.buckets * C);
  const bias = new Float32Array(C);
  const counts = new Array<number>(C).fill(0);
  for (const y of ys) counts[y] = (counts[y] ?? 0) + 1;
  const classWeight = counts.map((n) => (n === 0 ? 0 : config.balance ? xs.length / (C * n) : 1));
  const next = rng(config.seed);
  const order = xs.map((_, i) => i);
  const steps = config.epochs * xs.length;
  let step = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    shuffle(order, next);
    for (const i of order) {
      const lr = config.lr * (1 - step / steps);
      step++;
      sgdStep(weights, bias, xs[i]!, ys[i] ?? 0, lr * (classWeight[ys[i] ?? 0] ?? 1), lr * config.l2);
    }
  }
  return { weights, bias };
}

function sgdStep(weights: Float32Array, bias: Float32Array, x: Features, y: number, lr: number, decay: number): void {
  const C = bias.length;
  const n = x.ids.length;
  const logits = Array.from(bias);
  for (let j = 0; j < n; j++) {
    const base = (x.ids[j] ?? 0) * C;
    for (let c = 0; c < C; c++) logits[c] = (logits[c] ?? 0) + (x.values[j] ?? 0) * (weights[base + c] ?? 0);
  }
  const p = softmax(logits);
  for (let c = 0; c < C; c++) {
    const g = (p[c] ?? 0) - (c === y ? 1 : 0);
    bias[c] = (bias[c] ?? 0) - lr * g;
    for (let j = 0; j < n; j++) {
      const k = (x.ids[j] ?? 0) * C + c;
      const w = weights[k] ?? 0;
      weights[k] = w - lr * g * (x.values[j] ?? 0) - decay * w;
    }
  }
}
