import { expect } from 'chai';
import { join } from 'node:path';
import { ContentLoader } from '../../src/lessons/catalog.js';
import { projectRoot } from '../../src/paths.js';
import { loadQaData } from '../../src/qa/data.js';
import { editDistance, Retriever } from '../../src/qa/retrieval.js';
import { readSet, SAFETY } from './helpers.js';

describe('qa retrieval', function () {
  this.timeout(30000);
  const lessons = new ContentLoader(join(projectRoot(), 'content')).load();
  const retriever = new Retriever(lessons, loadQaData().synonyms);

  it('indexes every topic', () => {
    expect(retriever.topics.length).to.equal(lessons.length);
    expect(lessons.length).to.be.at.least(40);
  });

  it('ranks the right topic first for most of the own topic set (report and floor)', () => {
    const items = readSet('topic-set.jsonl').filter((s) => !SAFETY.includes(s.expect));
    const wrong = items.map((s) => ({ s, got: retriever.retrieve(s.q).topic })).filter((r) => r.got !== r.s.expect);
    const top1 = 1 - wrong.length / items.length;
    // eslint-disable-next-line no-console
    console.log(`      retrieval top-1 on own topic set: ${items.length - wrong.length}/${items.length} (${(100 * top1).toFixed(1)}%)`);
    expect(top1, wrong.map((w) => `${w.s.expect} -> ${w.got}: ${w.s.q}`).join('\n')).to.be.at.least(0.88);
  });

  it('copes with txt-speak, abbreviations and typos', () => {
    expect(retriever.retrieve('how do i book a docs appt on the app').topic).to.equal('nhs-app.gp-appointments');
    expect(retriever.retrieve('how do i reorder my meds').topic).to.equal('nhs-app.prescriptions');
    expect(retriever.retrieve('forgot my pwd for nhsmail').topic).to.equal('safety.passwords');
    expect(retriever.retrieve('how do i set up an authenticater app').topic).to.equal('safety.mfa');
    expect(retriever.retrieve('got a dodgy txt saying its from the nhs').topic).to.equal('safety.phishing');
    expect(retriever.retrieve('my vaccinne record').topic).to.equal('nhs-app.vaccinations');
  });

  it('returns a calibrated confidence: high for a clear question, low for nonsense', () => {
    const clear = retriever.retrieve('how do i share my screen in a teams meeting');
    expect(clear.topic).to.equal('work-tools.teams');
    expect(clear.confidence).to.be.above(0.7);
    const nonsense = retriever.retrieve('zxqv plorb wibble');
    expect(nonsense.confidence).to.be.below(0.15);
    const empty = retriever.retrieve('how do i');
    expect(empty.topic).to.equal(null);
    expect(empty.confidence).to.equal(0);
  });

  it('ranks alternatives after the best topic, with scores in order', () => {
    const r = retriever.retrieve('can i look after my mums prescriptions in the nhs app');
    expect(r.ranked.length).to.be.at.least(2);
    for (let i = 1; i < r.ranked.length; i++) expect(r.ranked[i - 1]!.score).to.be.at.least(r.ranked[i]!.score);
    expect(r.ranked.map((x) => x.topic)).to.include.members(['nhs-app.proxy', 'nhs-app.prescriptions']);
  });

  it('gives the same answer every time (deterministic)', () => {
    const q = 'my tablet screen is too small to read';
    const a = retriever.retrieve(q);
    const b = retriever.retrieve(q);
    expect(b).to.deep.equal(a);
  });

  it('bounds the edit distance used for typo repair', () => {
    expect(editDistance('pasword', 'password', 1)).to.equal(1);
    expect(editDistance('abc', 'xyz', 1)).to.equal(2);
  });
});
