/** Dev helper: per-stage timing of retrieval on long questions. */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ContentLoader } from '../src/lessons/catalog.js';
import { projectRoot } from '../src/paths.js';
import { loadQaData } from '../src/qa/data.js';
import { Retriever } from '../src/qa/retrieval.js';
import { Triage } from '../src/qa/triage.js';
const data = loadQaData();
const r = new Retriever(new ContentLoader(join(projectRoot(), 'content')).load(), data.synonyms);
const t = Triage.fromData(data);
const q = 'my colleague keeps asking me to help her with her work laptop because she says she is rubbish with computers and she never remembers what i showed her last week, how do i help her learn it properly without just doing it';
for (let i = 0; i < 50; i++) { r.retrieve(q + i); t.assess(q + i); }
const time = (f: () => void, n = 200) => { const s = performance.now(); for (let i = 0; i < n; i++) f(); return ((performance.now() - s) / n).toFixed(3); };
console.log('triage ms', time(() => t.assess(q)));
console.log('analyseQuery ms', time(() => r.analyseQuery(q)));
console.log('retrieve ms', time(() => r.retrieve(q)));
const r0 = new Retriever(new ContentLoader(join(projectRoot(), 'content')).load(), data.synonyms, { fuzzy: 0 });
for (let i = 0; i < 50; i++) r0.retrieve(q + i);
console.log('retrieve no-fuzzy ms', time(() => r0.retrieve(q)));
const r1 = new Retriever(new ContentLoader(join(projectRoot(), 'content')).load(), data.synonyms, { bigram: 0, expansion: 0 });
for (let i = 0; i < 50; i++) r1.retrieve(q + i);
console.log('retrieve no-bigram/expansion ms', time(() => r1.retrieve(q)));
import type MiniSearch from 'minisearch';
const ms = Reflect.get(r, 'search') as MiniSearch;
const terms = [...r.queryTerms(q).keys()].join(' ');
console.log('terms', terms.split(' ').length);
console.log('minisearch only ms', time(() => ms.search(terms, { tokenize: (s) => s.split(' '), processTerm: (t) => t, combineWith: 'OR', boost: { phrasings: 3, keywords: 3, title: 2.5, summary: 1.5, cards: 1, answer: 1 } })));
console.log('minisearch prefix ms', time(() => ms.search(terms, { tokenize: (s) => s.split(' '), processTerm: (t) => t, combineWith: 'OR', prefix: true })));
