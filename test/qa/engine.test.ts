import { expect } from 'chai';
import { evaluate } from '../../src/qa/eval.js';
import { devQuestions, readSet, sharedEngine } from './helpers.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('qa engine', function () {
  this.timeout(30000);
  const engine = sharedEngine();

  it('answers a how-to question with the lesson answer, https sources and the review date', () => {
    const r = engine.ask('how do i order my repeat prescription in the nhs app');
    expect(r.triage).to.equal('answer');
    expect(r.topic).to.equal('nhs-app.prescriptions');
    expect(r.confidence).to.be.within(0.5, 1);
    expect(r.answer).to.be.a('string').and.match(/Prescriptions/);
    expect(r.sources.length).to.be.at.least(1);
    for (const s of r.sources) {
      expect(s.url).to.match(/^https:\/\//);
      expect(s.title).to.be.a('string').and.not.equal('');
      expect(s.reviewed).to.match(DATE);
    }
  });

  it('every answered question in the own topic set carries https sources and a review date', () => {
    for (const item of readSet('topic-set.jsonl')) {
      const r = engine.ask(item.q);
      if (r.triage !== 'answer') continue;
      expect(r.sources.length, item.q).to.be.at.least(1);
      for (const s of r.sources) {
        expect(s.url, item.q).to.match(/^https:\/\//);
        expect(s.reviewed, item.q).to.match(DATE);
      }
    }
  });

  it('answers an emergency with a short 999 message and nothing else', () => {
    const r = engine.ask('my resident has collapsed and is not breathing');
    expect(r.triage).to.equal('emergency');
    expect(r.topic).to.equal(null);
    expect(r.alternatives).to.deep.equal([]);
    expect(r.sources).to.deep.equal([]);
    expect(r.answer).to.match(/999/);
    expect((r.answer ?? '').split(' ').length).to.be.below(70);
  });

  it('gives crisis lines for a mental health emergency', () => {
    const r = engine.ask('i want to end my life');
    expect(r.triage).to.equal('emergency');
    expect(r.answer).to.match(/116 123/);
    expect(r.answer).to.match(/111/);
    expect(r.answer).to.match(/option 2/);
  });

  it('declines clinical questions and offers the related digital lessons', () => {
    const r = engine.ask('how much paracetamol can i give my mum');
    expect(r.triage).to.equal('clinical');
    expect(r.answer).to.match(/can't give medical advice/);
    expect(r.answer).to.match(/111\.nhs\.uk/);
    expect(r.answer).to.match(/pharmacist/);
    expect(r.alternatives).to.include('nhs-online.111');
    expect(r.sources).to.deep.equal([]);
  });

  it('offers the record lesson with a question about what a result means', () => {
    const r = engine.ask('what do my blood test results in the app mean');
    expect(r.triage).to.equal('clinical');
    expect(r.alternatives).to.include('nhs-online.111');
  });

  it('declines off-topic questions politely and says what it can help with', () => {
    const r = engine.ask('what is the weather like in manchester tomorrow');
    expect(r.triage).to.equal('off-topic');
    expect(r.topic).to.equal(null);
    expect(r.answer).to.match(/NHS App/);
  });

  it('says no-answer (not off topic) to a digital question it has no lesson for', () => {
    const r = engine.ask('how do i set up a pivot table in excel with macros');
    expect(['no-answer', 'answer']).to.include(r.triage);
    expect(r.triage).not.to.equal('off-topic');
  });

  it('reports the final safety decision in explain(), also when retrieval decided it', () => {
    for (const q of ['my hands and feet tingle all the time why', 'what is the capital of australia', 'i cant breathe']) {
      const e = engine.explain(q);
      if (e.result.triage !== 'answer' && e.result.triage !== 'no-answer') expect(e.triage.kind, q).to.equal(e.result.triage);
      else expect(e.triage.kind, q).to.equal('in-scope');
    }
  });

  it('handles an empty question', () => {
    const r = engine.ask('   ');
    expect(r.triage).to.equal('no-answer');
    expect(r.topic).to.equal(null);
  });

  it('decides off topic for most of the own off-topic questions', () => {
    const items = readSet('safety-set.jsonl').filter((s) => s.expect === 'off-topic');
    const wrong = items.filter((s) => engine.ask(s.q).triage !== 'off-topic').map((s) => s.q);
    expect(1 - wrong.length / items.length, wrong.join('\n')).to.be.at.least(0.9);
  });

  it('meets the floors on the own topic set (a held-out check of generalisation)', () => {
    const report = evaluate(engine, readSet('topic-set.jsonl'));
    // eslint-disable-next-line no-console
    console.log(`      own topic set: top-1 ${report.top1.hits}/${report.top1.n}, top-3 ${report.top3.hits}/${report.top3.n}, high confidence right ${report.highAccuracy.hits}/${report.highAccuracy.n}`);
    // top-1: the first topic offered (the answer, or the first "did you mean"); answers only at high confidence
    expect(report.top1.rate ?? 0).to.be.at.least(0.85);
    expect(report.highAccuracy.rate ?? 0).to.be.at.least(0.95);
    expect(report.falseAlarms.emergency).to.equal(0);
  });

  it('meets the targets on the shared dev questions when they are present', function () {
    const dev = devQuestions();
    if (dev === null) this.skip();
    const report = evaluate(engine, dev ?? []);
    // eslint-disable-next-line no-console
    console.log(`      dev: top-1 ${report.top1.hits}/${report.top1.n}, emergency ${report.emergencyRecall.hits}/${report.emergencyRecall.n}, clinical ${report.clinicalRecall.hits}/${report.clinicalRecall.n}, off-topic ${report.offTopicAccuracy.hits}/${report.offTopicAccuracy.n}`);
    expect(report.emergencyRecall.rate).to.equal(1);
    expect(report.falseAlarms.emergency).to.equal(0);
  });
});
