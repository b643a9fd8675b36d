/** Dev helper: stage scores for questions. */
import { join } from 'node:path';
import { ContentLoader } from '../src/lessons/catalog.js';
import { projectRoot } from '../src/paths.js';
import { loadQaData } from '../src/qa/data.js';
import { Retriever } from '../src/qa/retrieval.js';
const data = loadQaData();
const r = new Retriever(new ContentLoader(join(projectRoot(), 'content')).load(), data.synonyms);
for (const q of process.argv.slice(2)) {
  const res = r.retrieve(q);
  console.log(q.slice(0, 100), '|', r.analyseQuery(q).map((x) => `${x.term}${x.weight < 1 ? ':' + x.weight.toFixed(1) : ''}${x.alts.size ? '{' + [...x.alts.keys()].join(',') + '}' : ''}`).join(' '));
  console.log('   conf', res.confidence, JSON.stringify(res.features));
  for (const x of res.ranked.slice(0, 3)) console.log('   ', x.topic.padEnd(32), x.score.toFixed(2), 'bm25', x.bm25.toFixed(2), 'nn', x.nearest.toFixed(2), 'cen', (x.score - 0.5 * x.bm25 - 0.5 * x.nearest).toFixed(2) );
}
