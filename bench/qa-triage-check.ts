/** Dev helper: safety triage over JSONL sets, printing the misses. npx tsx bench/qa-triage-check.ts <file>... */
import { readFileSync } from 'node:fs';
import { loadQaData } from '../src/qa/data.js';
import { Triage } from '../src/qa/triage.js';

const t = Triage.fromData(loadQaData());
for (const file of process.argv.slice(2)) {
  const rows = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { q: string; expect: string });
  let ok = 0;
  for (const r of rows) {
    const res = t.assess(r.q);
    const want = ['emergency', 'clinical', 'off-topic'].includes(r.expect) ? r.expect : 'in-scope';
    const got = res.kind;
    const pass = want === 'off-topic' ? got === 'off-topic' || got === 'in-scope' : got === want;
    if (pass) ok++;
    else console.log(`${want.padEnd(10)} got ${got.padEnd(10)} | ${r.q} | ${res.reason} | ${res.normalised}`);
  }
  console.log(`${file}: ${ok}/${rows.length}`);
}
