/** Dev helper: retrieval features on a JSONL set. npx tsx bench/retrieval-check.ts <file> [--all] */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentLoader } from '../src/lessons/catalog.js';
import { projectRoot } from '../src/paths.js';
import { loadQaData } from '../src/qa/data.js';
import { Retriever } from '../src/qa/retrieval.js';

const data = loadQaData();
const r = new Retriever(new ContentLoader(join(projectRoot(), 'content')).load(), data.synonyms);
const all = process.argv.includes('--all');
for (const file of process.argv.slice(2).filter((a) => !a.startsWith('--'))) {
  const rows = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { q: string; expect: string });
  let ok = 0;
  let n = 0;
  for (const row of rows) {
    const res = r.retrieve(row.q);
    const topical = row.expect.includes('.');
    if (topical) n++;
    const good = res.topic === row.expect;
    if (good) ok++;
    const t = res.ranked[0];
    const s = res.ranked[1];
    const line = `${good ? 'OK ' : topical ? 'XX ' : '-- '} conf=${res.confidence.toFixed(2)} nn=${t?.nearest.toFixed(2)} m=${((t?.score ?? 0) - (s?.score ?? 0)).toFixed(2)} cov=${res.coverage.toFixed(2)} sc=${t?.score.toFixed(2)} | ${row.expect} -> ${res.topic} (${s?.topic}) | ${row.q}`;
    if (all || (topical && !good)) console.log(line);
  }
  console.log(`${file}: top1 ${ok}/${n}`);
}
