/** Dev helper: latency of ask() per question: wall and CPU time, three passes. */
import { performance } from 'node:perf_hooks';
import { loadQaEngine } from '../src/qa/engine.js';
import { readJsonl } from '../src/qa/eval.js';
const engine = loadQaEngine();
const items = process.argv.slice(2).flatMap((f) => readJsonl(f));
for (let pass = 0; pass < 3; pass++) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const it of items) {
    const c = process.cpuUsage();
    const s = performance.now();
    engine.ask(it.q);
    wall.push(performance.now() - s);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const p = (a: number[], x: number) => [...a].sort((u, v) => u - v)[Math.ceil((x / 100) * a.length) - 1]?.toFixed(2);
  console.log(`pass ${pass}: wall p50 ${p(wall, 50)} p95 ${p(wall, 95)} max ${p(wall, 100)} | cpu p50 ${p(cpu, 50)} p95 ${p(cpu, 95)} max ${p(cpu, 100)}`);
}
