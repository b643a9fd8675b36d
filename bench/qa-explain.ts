/**
 * Dev helper: why did the engine answer what it did?
 *
 *   npx tsx bench/qa-explain.ts "question one" "question two"
 *
 * Prints the triage decision and signals, the analysed query (stems, weights, synonym
 * alternatives) and the top retrieved topics with each scorer's part.
 */
import { loadQaEngine } from '../src/qa/engine.js';

const engine = loadQaEngine();
for (const q of process.argv.slice(2)) {
  const { result, triage, retrieval } = engine.explain(q);
  console.log(`\n${q}`);
  console.log(`  => ${result.triage} ${result.topic ?? ''} (${result.confidence}) [${result.alternatives.join(', ')}]`);
  console.log(`  triage: ${triage.kind}: ${triage.reason}`);
  console.log(`  normalised: ${triage.normalised}`);
  console.log(`  signals: ${JSON.stringify(triage.signals)}`);
  if (retrieval) {
    console.log(`  terms: ${retrieval.terms.join(' ')}  features: ${JSON.stringify(retrieval.features)}`);
    for (const x of retrieval.ranked) console.log(`    ${x.topic.padEnd(32)} score ${x.score.toFixed(2)}  bm25 ${x.bm25.toFixed(2)}  nearest ${x.nearest.toFixed(2)}`);
  }
}
