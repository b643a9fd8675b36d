/**
 * Compares variants of the topic classifier across writers: trains on the lessons and the
 * written questions except the files whose name starts with PREFIX (default "heldout"), and
 * measures top-1 and top-3 on those files (written by other people): the classifier alone and
 * combined with retrieval at the shipped model's mix.
 *
 *   npx tsx scripts/compare-topics.ts [--across=PREFIX] [variant-substring]
 */
import { join } from 'node:path';
import { ContentLoader } from '../src/lessons/catalog.js';
import { projectRoot } from '../src/paths.js';
import { loadQaData } from '../src/qa/data.js';
import { Retriever } from '../src/qa/retrieval.js';
import { features, type Features } from '../src/qa/safetyNet/features.js';
import { trainSoftmax, type TrainConfig } from '../src/qa/safetyNet/train.js';
import { lessonExamples, readTopicDir, TOPIC_CONFIG, type TopicExample } from '../src/qa/topics/build.js';
import { TopicNet } from '../src/qa/topics/model.js';
import { combine } from '../src/qa/topics/rank.js';

const root = projectRoot();
const qa = join(root, 'content', 'qa');
const lessons = new ContentLoader(join(root, 'content')).load();
const classes = lessons.map((l) => l.topic).sort();
const across = process.argv.find((a) => a.startsWith('--across='))?.split('=')[1] ?? 'heldout';
const only = process.argv.slice(2).find((a) => !a.startsWith('--'));
const written = readTopicDir(join(qa, 'topic-train'), new Set(classes));
const isHeld = (e: TopicExample) => (e.from.split('/').pop() ?? e.from).startsWith(across);
const test = written.filter(isHeld);
const rest = written.filter((e) => !isHeld(e));
const retriever = new Retriever(lessons, loadQaData(qa).synonyms);
const retrievals = test.map((e) => retriever.retrieve(e.text));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const variants: Record<string, Omit<Partial<TrainConfig>, 'spec'> & { spec?: Partial<TrainConfig['spec']> }> = {
  shipped: {},
  'char weight 0.5': { spec: { charWeight: 0.5 } },
  'char weight 0.25': { spec: { charWeight: 0.25 } },
  'no bigrams': { spec: { wordBigrams: false } },
  '30 epochs': { epochs: 30 },
  'not balanced': { balance: false },
  'l2 1e-5': { l2: 1e-5 },
  '2^18 buckets': { spec: { buckets: 1 << 18 } },
};

console.log(`${rest.length} written questions to train on (+ ${lessonExamples(lessons).length} lesson lines), ${test.length} held out (${across}*)`);
for (const [name, v] of Object.entries(variants)) {
  if (only !== undefined && !name.includes(only)) continue;
  const config: TrainConfig = { ...TOPIC_CONFIG, ...v, spec: { ...TOPIC_CONFIG.spec, ...(v.spec ?? {}) } };
  const examples = [...lessonExamples(lessons), ...rest];
  const xs: Features[] = examples.map((e) => features(e.text, config.spec));
  const index = new Map(classes.map((c, i) => [c, i]));
  const t = trainSoftmax(xs, examples.map((e) => index.get(e.topic) ?? 0), classes.length, config);
  const net = new TopicNet(classes, config.spec, t.weights, t.bias, { net: 0.5, temperature: 4, high: 1, suggest: 0 });
  const line: string[] = [];
  for (const mix of [1, 0.9, 0.8, 0.7, 0.6]) {
    let top1 = 0;
    let top3 = 0;
    test.forEach((e, i) => {
      const r = retrievals[i];
      if (r === undefined) return;
      const ranked = combine(net.predictRaw(e.text), r, classes, { net: mix, temperature: 8 });
      if (ranked[0]?.topic === e.topic) top1++;
      if (ranked.slice(0, 3).some((c) => c.topic === e.topic)) top3++;
    });
    line.push(`mix ${mix}: ${pct(top1 / test.length)}/${pct(top3 / test.length)}`);
  }
  console.log(`${name.padEnd(18)} top-1/top-3  ${line.join('  ')}`);
}

if (process.argv.includes('--confusions')) {
  const config = TOPIC_CONFIG;
  const examples = [...lessonExamples(lessons), ...rest];
  const index = new Map(classes.map((c, i) => [c, i]));
  const t = trainSoftmax(examples.map((e) => features(e.text, config.spec)), examples.map((e) => index.get(e.topic) ?? 0), classes.length, config);
  const net = new TopicNet(classes, config.spec, t.weights, t.bias, { net: 0.5, temperature: 4, high: 1, suggest: 0 });
  const pairs = new Map<string, number>();
  test.forEach((e, i) => {
    const r = retrievals[i];
    if (r === undefined) return;
    const top = combine(net.predictRaw(e.text), r, classes, { net: 0.7, temperature: 8 })[0]?.topic ?? '';
    if (top !== e.topic) {
      const k = `${e.topic} -> ${top}`;
      pairs.set(k, (pairs.get(k) ?? 0) + 1);
      if (process.argv.includes('--show')) console.log(`  ${k}: ${e.text}`);
    }
  });
  for (const [k, n] of [...pairs].sort((a, b) => b[1] - a[1])) console.log(`${n}\t${k}`);
}
