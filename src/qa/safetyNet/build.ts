/**
 * From the training lines to a shipped model: split, train, quantise, choose thresholds on
 * the validation split, measure. Used by scripts/train-safety.ts and by the test that checks
 * the shipped model can be rebuilt.
 */
import { createHash } from 'node:crypto';
import { loadQaData } from '../data.js';
import { ruleEvidence, SafetyTriage, Triage, type TriageKind } from '../triage.js';
import { MODEL_FORMAT, NET_CLASSES, netVerdict, quantise, SafetyNet, type ModelFile, type NetClass, type NetProbs, type NetThresholds } from './model.js';
import { DEFAULT_CONFIG, isValidation, readTrainingDir, train, VALIDATION_PERCENT, type Example, type TrainConfig } from './train.js';

/** What the thresholds must achieve on the validation split (combined with the rules). */
export const TARGETS = {
  /** Emergency or possible emergency, of the emergencies. */
  emergencyRecall: 0.99,
  /** Emergency or possible emergency, of the digital questions. */
  digitalAlarmAny: 0.015,
  /** Emergency alone, of the digital questions. */
  digitalAlarmAlone: 0.005,
  /** More digital questions flagged (possible emergency) by one clause alone. */
  clauseEmergency: 0.0025,
  /** More digital questions made clinical by one clause alone. */
  clauseClinical: 0,
  /** Clinical decided by the net, of the digital questions. */
  digitalClinical: 0.01,
  /** The net never says emergency below this p(emergency). */
  floor: 0.5,
  /** The net never says clinical below this p(clinical). */
  clinicalFloor: 0.5,
} as const;

export interface Scored {
  readonly label: NetClass;
  /** The rules' verdict alone. */
  readonly rules: TriageKind;
  /** The rules saw something medical or alarming (see ruleEvidence). */
  readonly evidence: boolean;
  readonly p: NetProbs;
  /** The highest p of each class over the clauses (null: one clause). */
  readonly clauses: NetProbs | null;
}

export interface ValidationFigures {
  readonly size: number;
  readonly emergencies: number;
  /** Shares 0..1. */
  readonly emergencyRecall: number;
  readonly emergencyAloneRecall: number;
  readonly clinicalRecall: number;
  readonly digitalAlarmAny: number;
  readonly digitalAlarmAlone: number;
  readonly digitalClinical: number;
}

/** The combined decision for a scored line (the same order as SafetyTriage.assess). */
export function decide(s: Scored, th: NetThresholds): TriageKind {
  return netVerdict(s, th) ?? s.rules;
}

const share = (n: number, of: number): number => (of === 0 ? 0 : n / of);

export function measure(scored: readonly Scored[], th: NetThresholds): ValidationFigures {
  const by = (label: NetClass) => scored.filter((s) => s.label === label).map((s) => decide(s, th));
  const em = by('emergency');
  const cl = by('clinical');
  const dg = by('digital');
  const alarm = (k: TriageKind) => k === 'emergency' || k === 'possible-emergency';
  return {
    size: scored.length,
    emergencies: em.length,
    emergencyRecall: share(em.filter(alarm).length, em.length),
    emergencyAloneRecall: share(em.filter((k) => k === 'emergency').length, em.length),
    clinicalRecall: share(cl.filter((k) => k === 'clinical' || alarm(k)).length, cl.length),
    digitalAlarmAny: share(dg.filter(alarm).length, dg.length),
    digitalAlarmAlone: share(dg.filter((k) => k === 'emergency').length, dg.length),
    digitalClinical: share(dg.filter((k) => k === 'clinical').length, dg.length),
  };
}

/** The lowest threshold on `value` whose share of `lines` at or above it stays within `budget`. */
function lowestWithin(lines: readonly Scored[], value: (s: Scored) => number, budget: number, floor: number, keep: (s: Scored) => boolean = () => false): number {
  const kept = lines.filter((s) => !keep(s));
  const allowed = Math.floor(budget * lines.length) - (lines.length - kept.length);
  const values = kept.map(value).sort((a, b) => b - a);
  // at most `allowed` lines may reach the threshold: put it just above the (allowed+1)-th highest
  const cut = allowed < 0 ? 1 : (values[allowed] ?? 0);
  return Math.max(floor, Math.min(1, nextUp(cut)));
}

function nextUp(x: number): number {
  return Math.round(x * 1e6 + 1) / 1e6;
}

/**
 * Thresholds from the validation split: emergency alone as low as the digital budget for
 * emergency alone allows (never under the floor); possible emergency as low as the digital
 * budget for any alarm allows, but no lower than needed for the recall target with a
 * margin; clinical as low as its digital budget allows (never under the floor).
 */
export function chooseThresholds(scored: readonly Scored[]): NetThresholds {
  const digital = scored.filter((s) => s.label === 'digital');
  const rulesEmergency = (s: Scored) => s.rules === 'emergency';
  const emergency = lowestWithin(digital, (s) => (s.evidence ? s.p.emergency : 0), TARGETS.digitalAlarmAlone, TARGETS.floor, rulesEmergency);
  const budgetCut = lowestWithin(digital, (s) => s.p.emergency, TARGETS.digitalAlarmAny, 0, rulesEmergency);
  // the highest threshold that still meets the recall target, halved for lines nobody wrote yet
  const missable = scored.filter((s) => s.label === 'emergency' && !rulesEmergency(s)).map((s) => s.p.emergency).sort((a, b) => a - b);
  const allowedMisses = Math.floor((1 - TARGETS.emergencyRecall) * scored.filter((s) => s.label === 'emergency').length);
  const recallCut = (missable[allowedMisses] ?? 1) / 2;
  const possible = Math.min(emergency, Math.max(budgetCut, Math.min(recallCut, emergency)));
  const clinical = lowestWithin(digital, (s) => s.p.clinical, TARGETS.digitalClinical, TARGETS.clinicalFloor);
  const whole: NetThresholds = { emergency, possible: round6(possible), clinical };
  // one clause alone: as low as its own small budget allows, over the digital lines the whole message left alone
  const left = digital.filter((s) => netVerdict(s, whole) === null);
  const clauseEmergency = lowestWithin(left, (s) => s.clauses?.emergency ?? 0, TARGETS.clauseEmergency, TARGETS.floor);
  const clauseClinical = lowestWithin(left, (s) => (s.rules === 'clinical' ? 0 : (s.clauses?.clinical ?? 0)), TARGETS.clauseClinical, TARGETS.clinicalFloor);
  return { ...whole, clauseEmergency, clauseClinical };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Sentences from the lessons (cls "lesson-content") are not questions: always trained on, never validated on. */
export const TRAIN_ONLY_CLS = 'lesson-content';

export function heldOut(e: Example): boolean {
  return e.cls !== TRAIN_ONLY_CLS && isValidation(e.text);
}

export function score(rules: SafetyTriage, net: SafetyNet, e: Example): Scored {
  const r = rules.assess(e.text);
  return { label: e.label, rules: r.kind, evidence: ruleEvidence(r.signals), p: net.predict(e.text), clauses: net.predictClauses(e.text) };
}

export function dataHash(examples: readonly Example[]): string {
  const h = createHash('sha256');
  for (const e of examples) h.update(`${e.label}\t${e.text}\n`);
  return h.digest('hex');
}

export interface Built {
  readonly model: ModelFile;
  readonly figures: ValidationFigures;
  readonly counts: Readonly<Record<string, number>>;
}

/** Reads the training lines in `dir`, trains on the training split, and measures on the validation split. */
export function buildModel(dir: string, config: TrainConfig = DEFAULT_CONFIG): Built {
  const examples = readTrainingDir(dir);
  const trainSet = examples.filter((e) => !heldOut(e));
  const valSet = examples.filter(heldOut);
  const trained = train(trainSet, config);
  const { scale, bytes } = quantise(trained.weights, NET_CLASSES.length);
  const draft: ModelFile = {
    format: MODEL_FORMAT,
    licence: 'MIT',
    classes: NET_CLASSES,
    features: config.spec,
    thresholds: { emergency: 1, possible: 1, clinical: 1 },
    bias: Array.from(trained.bias, round6),
    scale,
    weights: bytes.toString('base64'),
    training: {},
  };
  const net = SafetyNet.fromModel(draft);
  const rules = new SafetyTriage(Triage.fromData(loadQaData()), null);
  const scored: Scored[] = valSet.map((e) => score(rules, net, e));
  const thresholds = chooseThresholds(scored);
  const figures = measure(scored, thresholds);
  const counts: Record<string, number> = { train: trainSet.length, validation: valSet.length };
  for (const c of NET_CLASSES) counts[c] = examples.filter((e) => e.label === c).length;
  const training = { config, validationPercent: VALIDATION_PERCENT, targets: TARGETS, data: dataHash(examples), counts, validation: figures };
  return { model: { ...draft, thresholds, training }, figures, counts };
}
