import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import { ContentLoader } from '../../src/lessons/catalog.js';
import { projectRoot } from '../../src/paths.js';
import { loadQaEngine } from '../../src/qa/engine.js';
import { dataHash, lessonExamples, readTopicDir } from '../../src/qa/topics/build.js';
import { loadTopicNet, TOPIC_MODEL_FILE } from '../../src/qa/topics/model.js';
import { features, netNormalise } from '../../src/qa/safetyNet/features.js';
import { trainSoftmax } from '../../src/qa/safetyNet/train.js';
import { TOPIC_CONFIG } from '../../src/qa/topics/build.js';
import { sharedEngine } from './helpers.js';

const qa = join(projectRoot(), 'content', 'qa');

describe('topic classifier', () => {
  const net = loadTopicNet(qa)!;

  it('ships a model of at most 4 MB over every topic of the content', () => {
    expect(statSync(join(qa, TOPIC_MODEL_FILE)).size).to.be.at.most(4 * 1024 * 1024);
    const topics = new ContentLoader(join(projectRoot(), 'content')).load().map((l) => l.topic).sort();
    expect([...net.classes]).to.deep.equal(topics);
    const c = net.combination;
    expect(c.net).to.be.within(0, 1);
    expect(c.suggest).to.be.below(c.high);
  });

  it('was trained on the data in the repository as it is now (run npm run train:topics after changing it)', function () {
    this.timeout(30_000);
    const lessons = new ContentLoader(join(projectRoot(), 'content')).load();
    const fromLessons = lessonExamples(lessons);
    const keys = new Set(fromLessons.map((e) => netNormalise(e.text)));
    const written = readTopicDir(join(qa, 'topic-train'), new Set(net.classes)).filter((e) => !keys.has(netNormalise(e.text)));
    expect(written.length).to.be.at.least(1800);
    const file = JSON.parse(readFileSync(join(qa, TOPIC_MODEL_FILE), 'utf8')) as { training: { data: string } };
    expect(file.training.data).to.equal(dataHash([...fromLessons, ...written]));
  });

  it('predicts in well under a millisecond', () => {
    const qs = ['how do i see my blood test results in the app', 'my teams camera is not working', 'is this text from the bank a scam'];
    for (const q of qs) net.predict(q);
    const start = performance.now();
    for (let i = 0; i < 300; i++) net.predict(qs[i % qs.length]!);
    expect((performance.now() - start) / 300).to.be.below(1);
  });

  it('trains deterministically (same data and seed, same weights)', () => {
    const spec = { ...TOPIC_CONFIG.spec, buckets: 1 << 10 };
    const xs = ['order my repeat prescription', 'book a gp appointment', 'my repeat medicines', 'cancel my appointment'].map((t) => features(t, spec));
    const run = () => trainSoftmax(xs, [0, 1, 0, 1], 2, { ...TOPIC_CONFIG, spec, epochs: 3 });
    expect(Buffer.from(run().weights.buffer).equals(Buffer.from(run().weights.buffer))).to.equal(true);
  });
});

describe('answers with the topic classifier', () => {
  const engine = sharedEngine();

  it('answers digital questions that mention health, and does not call them clinical', () => {
    for (const q of ['where are my test results on the nhs website', 'my gp record in the app shows an allergy i have never had', 'how do i see my blood test results in the nhs app']) {
      expect(engine.ask(q).triage, q).to.not.be.oneOf(['clinical', 'off-topic', 'emergency']);
    }
  });

  it('answers questions about the academy itself', () => {
    for (const q of ['what does this academy teach', 'do i get a certificate', 'who can see my progress']) {
      const r = engine.ask(q);
      expect(r.triage, q).to.not.equal('off-topic');
      expect([r.topic, ...r.alternatives], q).to.include('academy.using');
    }
  });

  it('still declines requests for medical judgement and still catches emergencies', () => {
    expect(engine.ask('can i take ibuprofen with my blood pressure tablets').triage).to.equal('clinical');
    expect(engine.ask('what does a high white cell count in my results mean').triage).to.equal('clinical');
    expect(engine.ask('my dad has crushing chest pain and is sweating').triage).to.equal('emergency');
  });

  it('offers three "did you mean" topics below high confidence', () => {
    const r = engine.ask('help with the app thing');
    if (r.triage === 'no-answer' && r.alternatives.length > 0) expect(r.alternatives).to.have.length(3);
  });
});

describe('the curation loop in the engine', function () {
  this.timeout(60_000);

  it('learn() answers the attached wording and a near paraphrase at once', () => {
    const engine = loadQaEngine();
    const q = 'how do i calibrate the ward hoist app';
    const before = engine.ask(q);
    expect(before.topic).to.not.equal('work-tools.staff-systems');
    expect(engine.learn(q, 'work-tools.staff-systems')).to.equal(true);
    const after = engine.ask(q);
    expect(after.triage).to.equal('answer');
    expect(after.topic).to.equal('work-tools.staff-systems');
    const near = engine.ask('how would i calibrate the ward hoist app please');
    expect([near.topic, ...near.alternatives][0]).to.equal('work-tools.staff-systems');
    expect(engine.learn(q, 'no.such-topic')).to.equal(false);
  });
});

