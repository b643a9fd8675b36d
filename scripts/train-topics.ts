/**
 * Retrains the topic classifier from the lessons (content/*.md) and the written questions in
 * content/qa/topic-train/*.jsonl, and writes content/qa/topic-model.json with its
 * combination weights, thresholds and cross-validation figures (deterministic: the same
 * data gives the same model).
 *
 *   npm run train:topics
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ContentLoader } from '../src/lessons/catalog.js';
import { projectRoot } from '../src/paths.js';
import { runScript } from './run.js';
import { loadQaData } from '../src/qa/data.js';
import { buildTopicModel } from '../src/qa/topics/build.js';
import { TOPIC_MODEL_FILE } from '../src/qa/topics/model.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function main(): void {
  const root = projectRoot();
  const qa = join(root, 'content', 'qa');
  const start = performance.now();
  const lessons = new ContentLoader(join(root, 'content')).load();
  const { model, figures: f, counts } = buildTopicModel(lessons, loadQaData(qa).synonyms, join(qa, 'topic-train'));
  const file = join(qa, TOPIC_MODEL_FILE);
  writeFileSync(file, JSON.stringify(model) + '\n');
  console.log(`examples: ${JSON.stringify(counts)}`);
  console.log(`combination: ${JSON.stringify(model.combination)}`);
  console.log(
    `cross-validation (${f.questions} written questions, ${5} folds): top-1 ${pct(f.top1)} (classifier alone ${pct(f.netTop1)}, retrieval alone ${pct(f.retrievalTop1)}), top-3 ${pct(f.top3)}, ` +
      `high confidence ${pct(f.highCoverage)} of questions, right ${pct(f.highAccuracy)}; did you mean ${pct(f.didYouMeanShare)}, holds the right topic ${pct(f.didYouMeanCoverage)}; below suggest ${pct(f.dropped)}`,
  );
  for (const b of f.reliability) console.log(`  ${b.from.toFixed(2)}–${b.to.toFixed(2)}: ${String(b.n).padStart(5)} questions, accuracy ${b.accuracy === null ? 'n/a' : pct(b.accuracy)}`);
  console.log(`wrote ${file} (${(statSync(file).size / 1e6).toFixed(2)} MB) in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

process.exitCode = runScript(main);
