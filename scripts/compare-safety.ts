/**
 * Compares feature sets of the safety net by 5-fold cross-validation on the TRAINING data only
 * (folds by hash of the normalised text). For each variant: out-of-fold probabilities, combined
 * with the rules, thresholds chosen by the same rule as the shipped model, and the figures.
 *
 *   npx tsx scripts/compare-safety.ts
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../src/paths.js';
import { loadQaData } from '../src/qa/data.js';
import { chooseThresholds, decide, heldOut, measure, TRAIN_ONLY_CLS, type Scored } from '../src/qa/safetyNet/build.js';
import { netNormalise, type FeatureSpec } from '../src/qa/safetyNet/features.js';
import { MODEL_FORMAT, NET_CLASSES, quantise, SafetyNet } from '../src/qa/safetyNet/model.js';
import { DEFAULT_CONFIG, readTrainingDir, train, type Example, type TrainConfig } from '../src/qa/safetyNet/train.js';
import { ruleEvidence, SafetyTriage, Triage } from '../src/qa/triage.js';

const FOLDS = 5;

function fold(text: string): number {
  let h = 0x2545f491;
  const s = netNormalise(text);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0) % FOLDS;
}

function netOf(config: TrainConfig, examples: readonly Example[]): SafetyNet {
  const t = train(examples, config);
  const { scale, bytes } = quantise(t.weights, NET_CLASSES.length);
  return SafetyNet.fromModel({
    format: MODEL_FORMAT,
    licence: 'MIT',
    classes: NET_CLASSES,
    features: config.spec,
    thresholds: { emergency: 1, possible: 1, clinical: 1 },
    bias: Array.from(t.bias),
    scale,
    weights: bytes.toString('base64'),
    training: {},
  });
}

interface Variant {
  readonly balance?: boolean;
  readonly epochs?: number;
  readonly lr?: number;
  readonly l2?: number;
  readonly spec?: Partial<FeatureSpec>;
}

const variants: Record<string, Variant> = {
  'shipped: words + bigrams + char 3-5 (weight 0.25), 2^16 buckets, 24 epochs': {},
  'the same, 2^18 buckets': { spec: { buckets: 1 << 18 } },
  'the same, char weight 0.5': { spec: { charWeight: 0.5 } },
  'the same, classes balanced': { balance: true },
  'the same, char weight 1': { spec: { charWeight: 1 } },
  'the same, char weight 0.1': { spec: { charWeight: 0.1 } },
  'the same, 12 epochs': { epochs: 12 },
  'the same, L2 1e-4': { l2: 1e-4 },
  'the same, char 2-4': { spec: { charMin: 2, charMax: 4 } },
  'the same, read clause by clause': { spec: { clauses: true } },
  'words + bigrams (no char n-grams)': { spec: { charMin: 0, charMax: 0 } },
  'words + char 3-5 (no bigrams)': { spec: { wordBigrams: false } },
  'first model: char weight 1, 12 epochs, balanced': { spec: { charWeight: 1 }, epochs: 12, balance: true },
};

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Across writers: train on every line except the own sets written for the rules
 * (own-sets.jsonl, or the files named by --across=PREFIX), choose thresholds on the validation split of what is left, and measure on
 * the own sets: a stand-in for fresh messages from people who did not write the training data.
 */
function acrossWriters(name: string, config: TrainConfig, prefix: string): void {
  const own = (e: Example) => e.from.startsWith(prefix);
  const rest = examples.filter((e) => !own(e));
  const net = netOf(config, rest.filter((e) => !heldOut(e)));
  const idx = new Map(examples.map((e, i) => [e, i]));
  const sc = (e: Example): Scored => {
    const r = rulesKind[idx.get(e) ?? 0];
    return { label: e.label, rules: r?.kind ?? 'in-scope', evidence: r ? ruleEvidence(r.signals) : false, p: net.predict(e.text), clauses: net.predictClauses(e.text) };
  };
  const th = chooseThresholds(rest.filter(heldOut).map(sc));
  const f = measure(examples.filter(own).map(sc), th);
  console.log(
    `${name.padEnd(38)} across writers: recall ${pct(f.emergencyRecall)} alone ${pct(f.emergencyAloneRecall)} clinical ${pct(f.clinicalRecall)} digital any ${pct(f.digitalAlarmAny)} alone ${pct(f.digitalAlarmAlone)} to clinical ${pct(f.digitalClinical)}`,
  );
}
const examples = readTrainingDir(join(projectRoot(), 'content', 'qa', 'safety-train'));
const rules = new SafetyTriage(Triage.fromData(loadQaData()), null);
const rulesKind = examples.map((e) => rules.assess(e.text));
const only = process.argv.slice(2).find((a) => !a.startsWith('--'));
console.log(`${examples.length} lines, ${FOLDS}-fold cross-validation`);
for (const [name, v] of Object.entries(variants)) {
  if (only !== undefined && !name.includes(only)) continue;
  const config: TrainConfig = { ...DEFAULT_CONFIG, ...v, spec: { ...DEFAULT_CONFIG.spec, ...(v.spec ?? {}) } };
  const across = process.argv.find((a) => a.startsWith('--across'));
  if (across !== undefined) {
    // --across: hold out own-sets.jsonl; --across=FILE-PREFIX: hold out the files whose name starts so
    acrossWriters(name, config, across.includes('=') ? across.slice(across.indexOf('=') + 1) : 'own-sets');
    continue;
  }
  const start = performance.now();
  const all: (Scored & { cls?: string })[] = new Array(examples.length);
  for (let k = 0; k < FOLDS; k++) {
    const net = netOf(config, examples.filter((e) => fold(e.text) !== k));
    examples.forEach((e, i) => {
      if (fold(e.text) === k && e.cls !== TRAIN_ONLY_CLS) all[i] = { label: e.label, rules: rulesKind[i]?.kind ?? 'in-scope', evidence: rulesKind[i] ? ruleEvidence(rulesKind[i].signals) : false, p: net.predict(e.text), clauses: net.predictClauses(e.text), ...(e.cls ? { cls: e.cls } : {}) };
    });
  }
  const scored = all.filter((s) => s !== undefined);
  const atFa = (fa: number) => {
    const dig = scored.filter((s) => s.label === 'digital' && s.rules !== 'emergency').map((s) => s.p.emergency).sort((a, b) => b - a);
    const cut = dig[Math.floor(fa * scored.filter((s) => s.label === 'digital').length)] ?? 1;
    const em = scored.filter((s) => s.label === 'emergency');
    return pct(em.filter((s) => s.rules === 'emergency' || s.p.emergency > cut).length / em.length);
  };
  console.log(`  recall at digital FA 1%: ${atFa(0.01)}, 2%: ${atFa(0.02)}, 3%: ${atFa(0.03)}, 5%: ${atFa(0.05)}`);
  const th = chooseThresholds(scored);
  const f = measure(scored, th);
  const wrapped = scored.filter((s) => s.label === 'emergency' && s.cls === 'wrapped');
  const wrappedHit = wrapped.filter((s) => ['emergency', 'possible-emergency'].includes(decide(s, th))).length;
  console.log(
    `${name.padEnd(38)} recall ${pct(f.emergencyRecall)} alone ${pct(f.emergencyAloneRecall)} clinical ${pct(f.clinicalRecall)} ` +
      `digital any ${pct(f.digitalAlarmAny)} alone ${pct(f.digitalAlarmAlone)} wrapped ${wrappedHit}/${wrapped.length} ` +
      `th ${th.emergency.toFixed(2)}/${th.possible.toFixed(2)}/${th.clinical.toFixed(2)} (${((performance.now() - start) / 1000).toFixed(0)} s)`,
  );
}
