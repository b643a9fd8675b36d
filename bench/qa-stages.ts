/** Dev helper: best-of-5 cost per stage (normalise, triage, analyse, MiniSearch, retrieve). npx tsx bench/qa-stages.ts <jsonl>... */
import { performance } from 'node:perf_hooks';
import type MiniSearch from 'minisearch';
import { join } from 'node:path';
import { ContentLoader } from '../src/lessons/catalog.js';
import { projectRoot } from '../src/paths.js';
import { loadQaData } from '../src/qa/data.js';
import { readJsonl } from '../src/qa/eval.js';
import { Retriever } from '../src/qa/retrieval.js';
import { Triage } from '../src/qa/triage.js';
import { normalise } from '../src/qa/text.js';
const data = loadQaData();
const r = new Retriever(new ContentLoader(join(projectRoot(), 'content')).load(), data.synonyms);
const t = Triage.fromData(data);
const ms = Reflect.get(r, 'search') as MiniSearch;
const qs = process.argv.slice(2).flatMap((f) => readJsonl(f)).map((x) => x.q);
const best = (f: () => void) => { let b = Infinity; for (let i = 0; i < 5; i++) { const s = performance.now(); f(); b = Math.min(b, performance.now() - s); } return b; };
const stats = (name: string, f: (q: string) => void) => {
  const a = qs.map((q) => best(() => f(q))).sort((x, y) => x - y);
  console.log(name.padEnd(12), 'p50', a[Math.floor(a.length / 2)]?.toFixed(3), 'p95', a[Math.ceil(0.95 * a.length) - 1]?.toFixed(3), 'max', a[a.length - 1]?.toFixed(3));
};
stats('normalise', (q) => normalise(q, data.synonyms));
stats('triage', (q) => t.assess(q));
stats('analyse', (q) => r.analyseQuery(q));
stats('minisearch', (q) => { const terms = [...r.queryTerms(q).keys()].join(' '); ms.search(terms, { tokenize: (s) => s.split(' '), processTerm: (x) => x, combineWith: 'OR' }); });
stats('retrieve', (q) => r.retrieve(q));
