import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot } from '../../src/paths.js';
import { formatResult } from '../../src/qa/cli.js';
import { buildModel, type ValidationFigures } from '../../src/qa/safetyNet/build.js';
import { features, netNormalise } from '../../src/qa/safetyNet/features.js';
import { SafetyNet, validateModel, type ModelFile } from '../../src/qa/safetyNet/model.js';
import { readTrainingDir } from '../../src/qa/safetyNet/train.js';
import { sharedEngine, unsureQuestion } from './helpers.js';

const QA = join(projectRoot(), 'content', 'qa');
const TRAIN = join(QA, 'safety-train');
const MODEL = join(QA, 'safety-model.json');
const CLINICAL_999 = 'If someone is seriously ill or injured now, call 999.';

const collapse = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

describe('safety net', function () {
  this.timeout(120_000);
  const engine = sharedEngine();

  it('loads the shipped model in under 2 s and gives probabilities that sum to 1', () => {
    const start = performance.now();
    const net = SafetyNet.fromFile(MODEL);
    expect(performance.now() - start).to.be.below(2000);
    const p = net.predict('how do i book a gp appointment in the nhs app');
    const sum = p.emergency + p.clinical + p.digital + p['off-topic'];
    expect(sum).to.be.closeTo(1, 1e-6);
    expect(p.digital).to.be.above(p.emergency);
  });

  it('keeps the model small (at most 4 MB) and licensed MIT', () => {
    const raw = readFileSync(MODEL, 'utf8');
    expect(raw.length).to.be.at.most(4 * 1024 * 1024);
    expect(validateModel(JSON.parse(raw), MODEL).licence).to.equal('MIT');
  });

  it('hashes the same text to the same features, ignoring case, apostrophes and punctuation', () => {
    const spec = { buckets: 1 << 16, wordBigrams: true, charMin: 3, charMax: 5, charWeight: 0.5 };
    expect(netNormalise("She DOESN'T  breathe!")).to.equal('she doesnt breathe');
    expect(Array.from(features("She DOESN'T breathe!", spec).ids)).to.deep.equal(Array.from(features('she doesnt breathe', spec).ids));
  });

  it('refuses a model file with a bad field, naming it', () => {
    const good = JSON.parse(readFileSync(MODEL, 'utf8')) as ModelFile;
    expect(() => validateModel({ ...good, thresholds: { ...good.thresholds, possible: 'x' } }, 'm.json')).to.throw(/thresholds\.possible/);
    expect(() => validateModel({ ...good, weights: 'AAAA' }, 'm.json')).to.throw(/weights/);
  });

  it('has valid training lines in every class', () => {
    const lines = readTrainingDir(TRAIN);
    for (const label of ['emergency', 'clinical', 'digital', 'off-topic']) expect(lines.filter((l) => l.label === label).length, label).to.be.at.least(300);
  });

  it('has no line of the shared evaluation sets in its training data', function () {
    const evalDir = join(projectRoot(), '..', 'shared', 'eval');
    if (!existsSync(evalDir)) this.skip();
    const held = new Set<string>();
    for (const f of readdirSync(evalDir).filter((n) => n.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(evalDir, f), 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const v = JSON.parse(line) as { q?: unknown; text?: unknown };
        const q = typeof v.q === 'string' ? v.q : typeof v.text === 'string' ? v.text : undefined;
        if (q !== undefined) held.add(collapse(q));
      }
    }
    // names the training line only, never the evaluation text
    const overlap = readTrainingDir(TRAIN).filter((e) => held.has(collapse(e.text))).map((e) => e.from);
    expect(overlap, `training lines that are evaluation questions: ${overlap.join(', ')}`).to.deep.equal([]);
  });

  it('rebuilds from the repo to the shipped model’s validation figures (within 1 point)', () => {
    const shipped = validateModel(JSON.parse(readFileSync(MODEL, 'utf8')), MODEL);
    const want = shipped.training.validation as ValidationFigures;
    const start = performance.now();
    const { model, figures } = buildModel(TRAIN);
    expect(performance.now() - start, 'retraining time, ms').to.be.below(60_000);
    for (const k of ['emergencyRecall', 'emergencyAloneRecall', 'clinicalRecall', 'digitalAlarmAny', 'digitalAlarmAlone'] as const) {
      expect(figures[k], k).to.be.closeTo(want[k], 0.01);
    }
    expect(model.thresholds.possible).to.be.closeTo(shipped.thresholds.possible, 0.02);
  });

  it('treats acute symptoms in everyday words as emergencies, never as clinical', () => {
    for (const q of [
      'her lips have gone a funny blue colour and she is fighting for breath',
      'his mouth has dropped on one side and his words are coming out wrong',
      'my throat is closing up after the prawns and my face is puffing up',
      'nan is cold and clammy with blotchy skin and we can barely wake her',
      'all of us in the flat have headaches and feel sick and the boiler is making a funny smell',
    ]) {
      expect(engine.ask(q).triage, q).to.be.oneOf(['emergency', 'possible-emergency']);
    }
  });

  it('treats asking how much of a medicine it does not know to give or take as clinical', () => {
    for (const q of ['how many of the zentravil can i give my nan in a day', 'is it ok to take two of the blue grovatrex tablets at once', 'should my dad still take his plenzomide if he feels dizzy']) {
      expect(engine.ask(q).triage, q).to.be.oneOf(['clinical', 'emergency', 'possible-emergency']);
    }
  });

  it('ends the clinical reply with the 999 line', () => {
    const r = engine.ask('what dose of paracetamol can i give a child');
    expect(r.triage).to.equal('clinical');
    expect(r.answer?.endsWith(CLINICAL_999)).to.equal(true);
  });

  it('gives a possible emergency the emergency card first, and the normal answer without the net', () => {
    const q = unsureQuestion(engine);
    const r = engine.ask(q);
    expect(r.triage).to.equal('possible-emergency');
    expect(r.answer).to.contain('999').and.contain('116 123').and.contain('option 2').and.contain('police');
    expect(JSON.parse(formatResult(r)).triage).to.equal('possible-emergency');
    expect(engine.ask(q, { skipNet: true }).triage).to.be.oneOf(['answer', 'no-answer', 'clinical', 'off-topic']);
  });

  it('never lets the net override an emergency the rules found', () => {
    expect(engine.ask('my resident has collapsed and is not breathing', { skipNet: true }).triage).to.equal('emergency');
  });
});
