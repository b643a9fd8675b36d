/** Dev helper: how long building the engine takes (index, examples, warm-up). npx tsx bench/qa-build-time.ts */
import { performance } from 'node:perf_hooks';
import { loadQaEngine } from '../src/qa/engine.js';
const s = performance.now();
loadQaEngine();
console.log(`engine built in ${(performance.now() - s).toFixed(0)} ms`);
