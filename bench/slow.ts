/** Dev helper: which questions are slow (median of 7 runs each, after warm-up), split by stage. */
import { performance } from 'node:perf_hooks';
import { loadQaEngine } from '../src/qa/engine.js';
import { readJsonl } from '../src/qa/eval.js';
import { loadQaData } from '../src/qa/data.js';
import { Triage } from '../src/qa/triage.js';
const engine = loadQaEngine();
const tri = Triage.fromData(loadQaData());
const items = process.argv.slice(2).flatMap((f) => readJsonl(f));
for (const it of items) engine.ask(it.q);
const med = (f: () => void) => { const t: number[] = []; for (let i = 0; i < 7; i++) { const s = performance.now(); f(); t.push(performance.now() - s); } return t.sort((a, b) => a - b)[3] ?? 0; };
const rows = items.map((it) => ({ q: it.q, all: med(() => engine.ask(it.q)), tri: med(() => tri.assess(it.q)) }));
rows.sort((a, b) => b.all - a.all);
for (const r of rows.slice(0, 8)) console.log(r.all.toFixed(2), 'triage', r.tri.toFixed(2), r.q.slice(0, 90));
const all = rows.map((r) => r.all).sort((a, b) => a - b);
console.log('median-of-7 p50', all[Math.floor(all.length / 2)]?.toFixed(2), 'p95', all[Math.ceil(0.95 * all.length) - 1]?.toFixed(2));
