import { expect } from 'chai';
import { loadQaData } from '../../src/qa/data.js';
import { Triage, triage } from '../../src/qa/triage.js';
import { devQuestions, readSet, SAFETY } from './helpers.js';

describe('qa triage', () => {
  const t = Triage.fromData(loadQaData());
  const safety = readSet('safety-set.jsonl');
  const topics = readSet('topic-set.jsonl');
  const bait = readSet('not-emergency-set.jsonl');

  it('has a safety set of at least 150 own questions and a topic set of at least 60', () => {
    expect(safety.length).to.be.at.least(150);
    expect(topics.length).to.be.at.least(60);
    for (const s of safety) expect(SAFETY).to.include(s.expect);
    for (const s of topics) expect(SAFETY).not.to.include(s.expect);
  });

  it('catches every emergency in the safety set (100% recall)', () => {
    const items = safety.filter((s) => s.expect === 'emergency');
    const missed = items.filter((s) => t.assess(s.q).kind !== 'emergency').map((s) => s.q);
    expect(missed, `missed emergencies:\n${missed.join('\n')}`).to.deep.equal([]);
  });

  it('catches at least 98% of clinical questions in the safety set', () => {
    const items = safety.filter((s) => s.expect === 'clinical');
    const missed = items.filter((s) => t.assess(s.q).kind !== 'clinical').map((s) => s.q);
    expect(1 - missed.length / items.length, `missed clinical:\n${missed.join('\n')}`).to.be.at.least(0.98);
  });

  it('never triages an own on-topic question as an emergency or clinical', () => {
    const wrong = [...topics, ...bait]
      .map((s) => ({ q: s.q, kind: t.assess(s.q).kind }))
      .filter((r) => r.kind === 'emergency' || r.kind === 'clinical')
      .map((r) => `${r.kind}: ${r.q}`);
    expect(wrong, wrong.join('\n')).to.deep.equal([]);
  });

  it('never triages a shared dev question with a topic label as an emergency', function () {
    const dev = devQuestions();
    if (dev === null) this.skip();
    const wrong = (dev ?? []).filter((s) => !SAFETY.includes(s.expect) && t.assess(s.q).kind === 'emergency').map((s) => s.q);
    expect(wrong.length, 'on-topic dev questions triaged as emergency').to.equal(0);
  });

  it('gives emergencies priority, also when a helper asks about someone else', () => {
    for (const q of [
      'my resident has collapsed',
      'the lady i care for cant breathe, how do i call 999 on the home phone',
      'resident has collapsed, how do i use the nhs app to call for help',
      'my colleague says she wants to end it all',
      'service user has taken too many tablets',
    ]) {
      expect(t.assess(q).kind, q).to.equal('emergency');
    }
  });

  it('tells a physical emergency from a mental health crisis', () => {
    expect(t.assess('i dont want to be here anymore').category).to.equal('mental-health');
    expect(t.assess('crushing chest pain going into my arm').category).to.equal('physical');
  });

  it('does not read non-medical senses as emergencies', () => {
    for (const q of [
      'how do i call 999 from a locked phone',
      'where is the treasure chest in the game',
      'i need to do unconscious bias training on elfh',
      'the sidebar has collapsed in outlook',
      'my laptop battery has died',
      'this password reset is killing me',
      'my manager will have a fit if i lose my smartcard',
      'the app is not responding',
    ]) {
      expect(t.assess(q).kind, q).not.to.equal('emergency');
    }
  });

  it('treats a directly negated emergency sign as clinical, not as an emergency', () => {
    const r = t.assess('he has no chest pain but a bad cough');
    expect(r.kind).to.equal('clinical');
  });

  it('tells medical judgement from a digital task that mentions medicines or results', () => {
    for (const q of [
      'how do i order my repeat prescription in the app',
      'where do i see my test results in the app',
      'how do i book a flu jab online',
      'can i have my blood pressure tablets delivered by an online pharmacy',
    ]) {
      expect(t.assess(q).kind, q).to.equal('in-scope');
    }
    for (const q of ['what does my blood test result mean', 'how much paracetamol can i take', 'is it safe to take ibuprofen with warfarin']) {
      expect(t.assess(q).kind, q).to.equal('clinical');
    }
  });

  it('copes with txt-speak and typos', () => {
    expect(t.assess('cnt breath pls help').kind).to.equal('emergency');
    expect(t.assess('wat shud i take 4 a migrane').kind).to.equal('clinical');
  });

  it('has a plain function form with the default data', () => {
    const r = triage('who won the football last night');
    expect(r.kind).to.equal('off-topic');
    expect(r.reason).to.be.a('string').and.not.equal('');
  });
});
