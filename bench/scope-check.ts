/** Dev helper: how the off-topic rule (no scope cue, no digital object, low confidence) treats in-domain phrasings (5-fold held out). */
import { join } from 'node:path';
import { ContentLoader } from '../src/lessons/catalog.js';
import { projectRoot } from '../src/paths.js';
import { loadQaData } from '../src/qa/data.js';
import { Retriever } from '../src/qa/retrieval.js';
import { Triage } from '../src/qa/triage.js';
const data = loadQaData();
const t = Triage.fromData(data);
const lessons = new ContentLoader(join(projectRoot(), 'content')).load();
const confs: number[] = [];
for (let k = 0; k < 5; k++) {
  const held: string[] = [];
  const train = lessons.map((l) => ({ ...l, phrasings: l.phrasings.filter((p, i) => (i % 5 === k ? (held.push(p), false) : true)) }));
  const r = new Retriever(train, data.synonyms);
  for (const q of held) {
    const s = t.assess(q).signals;
    if (s.scopeCue || s.digitalObject) continue;
    const c = r.retrieve(q).confidence;
    confs.push(c);
    if (c < 0.5) console.log(c.toFixed(2), q);
  }
}
console.log('no-cue in-domain phrasings:', confs.length);
