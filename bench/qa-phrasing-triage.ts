/** Dev helper: triage every content phrasing (all on-topic) and list any not in scope. npx tsx bench/qa-phrasing-triage.ts */
import { join } from 'node:path';
import { ContentLoader } from '../src/lessons/catalog.js';
import { projectRoot } from '../src/paths.js';
import { loadQaEngine } from '../src/qa/engine.js';
const engine = loadQaEngine();
const lessons = new ContentLoader(join(projectRoot(), 'content')).load();
let n = 0;
const bad: string[] = [];
for (const l of lessons) for (const p of l.phrasings) {
  n++;
  const r = engine.explain(p);
  if (['emergency', 'clinical', 'off-topic'].includes(r.result.triage)) bad.push(`${r.result.triage} (${r.triage.reason}) ${l.topic}: ${p}`);
}
console.log(bad.join('\n'));
console.log(`${bad.length} of ${n} content phrasings not in scope`);
