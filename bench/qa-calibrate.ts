/**
 * Offline calibration of the retrieval confidence (not part of the bot).
 *
 *   npx tsx bench/qa-calibrate.ts
 *
 * In-domain questions: 5-fold hold-out over the content's own phrasings (each fold builds
 * the index without a fifth of every topic's phrasings and asks those). Out-of-domain:
 * the off-topic questions below, written for calibration only. Fits a logistic regression
 * of "top-1 is right" on the confidence features, and prints the weights and the hold-out
 * accuracy, which is also a generalisation estimate that uses neither eval set.
 */
import { join } from 'node:path';
import { ContentLoader } from '../src/lessons/catalog.js';
import type { Lesson } from '../src/lessons/types.js';
import { projectRoot } from '../src/paths.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { defaultQaDataDir, loadQaData, parseSynonyms } from '../src/qa/data.js';
import { DEFAULT_PARAMS, featureVector, Retriever, type RetrievalParams } from '../src/qa/retrieval.js';

const OFF_TOPIC = [
  'what time is the next bus into town',
  'how do i make a lasagne',
  'who is the best footballer ever',
  'what should i buy my husband for his birthday',
  'can you recommend a good holiday cottage in wales',
  'how tall is the eiffel tower',
  'what is the square root of 144',
  'tell me something funny',
  'how do i knit a scarf',
  'when does the clocks go back',
  'what is the best washing powder',
  'how do i get red wine out of a carpet',
  'which supermarket is cheapest this week',
  'who wrote pride and prejudice',
  'what day is christmas on this year',
  'how do i change a tyre',
  'how long do i boil an egg for',
  'what are the rules of cricket',
  'is it worth buying an electric car',
  'what is the best mobile phone deal',
  'how do i paint a fence',
  'where is the nearest petrol station',
  'what is the population of london',
  'can you sing me a song',
  'how do i make my garden look nice',
  'my neighbour plays loud music at night',
  'how much is a pint in london',
  'help me write a cover letter for a shop job',
  'what does a giraffe eat',
  'how do magnets work',
  'what is the best tv series on at the moment',
  'what team does harry kane play for',
  'can you book me a table for two tonight',
  'how do i unblock a sink',
  'what is the story of romeo and juliet',
  'how many days until easter',
  'what is the exchange rate for euros',
  'write a limerick about a cat',
  'how do i make friends in a new town',
  'what is the best way to save money on energy bills',
  'my manager is rude to me in meetings',
  'i want a pay rise how do i ask',
  'can i claim expenses for my mileage',
  'who is on the front of a ten pound note',
  'what is the tallest mountain in scotland',
  'how do you play bingo',
  'recommend a podcast for my commute',
  'what should i name my goldfish',
  'is it going to be sunny this weekend',
  'how do i get rid of ants in the kitchen',
];

const params: Partial<RetrievalParams> = process.env.PARAMS ? { ...DEFAULT_PARAMS, ...(JSON.parse(process.env.PARAMS) as Partial<RetrievalParams>) } : {};
/**
 * Generic conversational padding, written for calibration: real questions come wrapped in
 * context ("my nan is 82..."), which dilutes the match. Each held-out phrasing is also
 * asked with one of these around it.
 */
const CHATTER: [string, string][] = [
  ['hi sorry if this is a silly question but', ''],
  ['', 'thanks in advance'],
  ['my nan is 82 and lives on her own,', ''],
  ['', 'ive been trying for ages and getting nowhere'],
  ['quick one on my break,', 'cheers'],
  ['one of the ladies i look after asked me this today:', ''],
  ['', 'it was working fine last week'],
  ['my manager told me to ask here,', ''],
  ['', 'she gets really upset about it'],
  ['we had a really busy shift and', ''],
  ['hiya, new starter here,', 'any help appreciated'],
  ['', 'not very good with technology to be honest'],
  ['my husband keeps nagging me about this,', ''],
  ['', 'we are a small home care agency in kent'],
  ['asking for a resident,', 'she is partially deaf so phone calls are hard'],
  ['', 'sorry for the long message'],
];

const lessons = new ContentLoader(join(projectRoot(), 'content')).load();
function synonyms() {
  const drop = process.env.SYN_DROP;
  if (!drop) return loadQaData().synonyms;
  // ablation: SYN_DROP=g3 drops expansion group 3, SYN_DROP=d:word drops a directional entry
  const raw = parse(readFileSync(join(defaultQaDataDir(), 'synonyms.yaml'), 'utf8')) as { expansions: string[][]; directional: Record<string, string[]> };
  for (const d of drop.split(',')) {
    if (d.startsWith('g')) raw.expansions.splice(Number(d.slice(1)), 1, []);
    if (d.startsWith('d:')) delete raw.directional[d.slice(2)];
  }
  return parseSynonyms(raw);
}
const syn = synonyms();

interface Row {
  x: number[];
  y: number;
  inDomain: boolean;
  chatty: boolean;
  q: string;
  expect: string;
  got: string | null;
}
const rows: Row[] = [];
const FOLDS = 5;
const features = (r: Retriever, q: string) => {
  const res = r.retrieve(q);
  return { res, x: featureVector(res.features) };
};
for (let k = 0; k < FOLDS; k++) {
  const held: { q: string; topic: string }[] = [];
  const train: Lesson[] = lessons.map((l) => ({
    ...l,
    phrasings: l.phrasings.filter((p, i) => {
      if (i % FOLDS === k) held.push({ q: p, topic: l.topic });
      return i % FOLDS !== k;
    }),
  }));
  const r = new Retriever(train, syn, params);
  held.forEach((h, i) => {
    const { res, x } = features(r, h.q);
    rows.push({ x, y: res.topic === h.topic ? 1 : 0, inDomain: true, chatty: false, q: h.q, expect: h.topic, got: res.topic });
    const [pre, post] = CHATTER[(i * 7 + k) % CHATTER.length] ?? ['', ''];
    const cq = `${pre} ${h.q} ${post}`.trim();
    const c = features(r, cq);
    rows.push({ x: c.x, y: c.res.topic === h.topic ? 1 : 0, inDomain: true, chatty: true, q: cq, expect: h.topic, got: c.res.topic });
  });
  if (k === 0) {
    const full = new Retriever(lessons, syn, params);
    for (const q of OFF_TOPIC) {
      const { res, x } = features(full, q);
      rows.push({ x, y: 0, inDomain: false, chatty: false, q, expect: 'off-topic', got: res.topic });
    }
  }
}

const inDomain = rows.filter((r) => r.inDomain);
for (const chatty of [false, true]) {
  const set = inDomain.filter((r) => r.chatty === chatty);
  const correct = set.filter((r) => r.y === 1).length;
  console.log(`hold-out top-1 over content phrasings${chatty ? ' (chatty)' : ''}: ${correct}/${set.length} = ${((100 * correct) / set.length).toFixed(1)}%`);
}

// logistic regression, plain gradient descent
const dim = rows[0]?.x.length ?? 0;
let w = new Array<number>(dim).fill(0);
let b = 0;
const sig = (z: number) => 1 / (1 + Math.exp(-z));
// weight the off-topic rows so the two kinds of negative count alike
const offW = inDomain.filter((r) => r.y === 0).length / Math.max(1, rows.length - inDomain.length);
for (let it = 0; it < 20000; it++) {
  const gw = new Array<number>(dim).fill(0);
  let gb = 0;
  let tw = 0;
  for (const r of rows) {
    const weight = r.inDomain ? 1 : offW;
    const p = sig(b + r.x.reduce((s, v, i) => s + v * (w[i] ?? 0), 0));
    const e = (p - r.y) * weight;
    r.x.forEach((v, i) => (gw[i] = (gw[i] ?? 0) + e * v));
    gb += e;
    tw += weight;
  }
  w = w.map((v, i) => v - (1.5 * (gw[i] ?? 0)) / tw - 0.0005 * v);
  b -= (1.5 * gb) / tw;
}
console.log(`CAL = { bias: ${b.toFixed(2)}, w: [${w.map((v) => v.toFixed(2)).join(', ')}] }  // nearest, margin, coverage, unknown, short`);
const conf = (r: Row) => sig(b + r.x.reduce((s, v, i) => s + v * (w[i] ?? 0), 0));
for (const th of [0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6]) {
  const ans = inDomain.filter((r) => conf(r) >= th);
  const chattyAns = inDomain.filter((r) => r.chatty && r.y === 1 && conf(r) >= th).length;
  const right = ans.filter((r) => r.y === 1).length;
  const off = rows.filter((r) => !r.inDomain && conf(r) >= th).length;
  console.log(`threshold ${th}: in-domain answered ${ans.length}/${inDomain.length}, right ${right} (precision ${((100 * right) / Math.max(1, ans.length)).toFixed(1)}%, chatty right ${chattyAns}), off-topic above: ${off}/${rows.length - inDomain.length}`);
}
if (process.argv.includes('--misses')) {
  for (const r of rows) if (r.inDomain && r.y === 0) console.log(`  ${r.expect} -> ${r.got} (${conf(r).toFixed(2)}): ${r.q}`);
  for (const r of rows) if (!r.inDomain) console.log(`  off ${conf(r).toFixed(2)} ${r.got}: ${r.q} [${r.x.map((v) => v.toFixed(2)).join(' ')}]`);
}
