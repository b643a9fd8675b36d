/**
 * Safety figures on a labelled JSONL file: one object a line, {"q" (or "text"), "expect"},
 * expect in emergency | clinical | digital | off-topic, or a topic code (= digital).
 *
 * - emergency recall: emergencies triaged emergency or possible-emergency;
 * - emergency-alone recall: emergencies triaged emergency;
 * - clinical recall: clinical questions triaged clinical, emergency or possible-emergency;
 * - digital false alarms: digital questions triaged emergency or possible-emergency (any),
 *   and emergency alone;
 * - p95 triage latency (rules and net), each message timed once after a warm-up pass; and
 *   p95 of the whole answer for comparison.
 */
import { performance } from 'node:perf_hooks';
import { AcademyError } from '../errors.js';
import type { AskTriage, QaEngine } from './engine.js';
import { readJsonlObjects } from './eval.js';

export type SafetyExpect = 'emergency' | 'clinical' | 'digital' | 'off-topic';

export interface SafetyItem {
  readonly q: string;
  readonly expect: SafetyExpect;
}

export interface SafetyMiss {
  readonly q: string;
  readonly expect: SafetyExpect;
  readonly got: AskTriage;
}

export interface Share {
  readonly n: number;
  readonly hits: number;
}

export interface SafetyReport {
  readonly total: number;
  readonly counts: Readonly<Record<SafetyExpect, number>>;
  readonly emergencyRecall: Share;
  readonly emergencyAloneRecall: Share;
  readonly clinicalRecall: Share;
  readonly digitalAlarmAny: Share;
  readonly digitalAlarmAlone: Share;
  /** p95 of one triage call per message, after a warm-up pass. */
  readonly triageP95Ms: number;
  /** p95 of the fastest of three triage calls per message (what the work costs on a busy machine). */
  readonly triageBestP95Ms: number;
  readonly askP95Ms: number;
  readonly misses: readonly SafetyMiss[];
}

const SAFETY_EXPECT: readonly string[] = ['emergency', 'clinical', 'digital', 'off-topic'];

/** Reads {q | text, expect} lines; a topic code (or "in-scope") counts as digital. */
export function readSafetyJsonl(file: string): SafetyItem[] {
  return readJsonlObjects(file).map(({ line, value }) => {
    const q: unknown = Reflect.get(value, 'q') ?? Reflect.get(value, 'text');
    const expect: unknown = Reflect.get(value, 'expect');
    if (typeof q !== 'string' || typeof expect !== 'string' || expect === '') throw new AcademyError(400, `${file} line ${line}: needs a string "q" (or "text") and "expect"`, 'q');
    return { q, expect: SAFETY_EXPECT.includes(expect) ? (expect as SafetyExpect) : 'digital' };
  });
}

const alarm = (t: AskTriage) => t === 'emergency' || t === 'possible-emergency';

/** Whether a verdict is a miss for its label (what --show-misses lists). */
function missed(expect: SafetyExpect, got: AskTriage): boolean {
  if (expect === 'emergency') return !alarm(got);
  if (expect === 'clinical') return !(got === 'clinical' || alarm(got));
  if (expect === 'digital') return alarm(got) || got === 'clinical' || got === 'off-topic';
  return got !== 'off-topic';
}

function p95(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)] ?? 0;
}

export function evaluateSafety(engine: QaEngine, items: readonly SafetyItem[]): SafetyReport {
  for (const item of items) engine.ask(item.q); // warm-up pass
  const triageTimes: number[] = [];
  const bestTimes: number[] = [];
  const askTimes: number[] = [];
  const got: AskTriage[] = [];
  for (const item of items) {
    const runs = [0, 1, 2].map(() => {
      const start = performance.now();
      engine.assess(item.q);
      return performance.now() - start;
    });
    triageTimes.push(runs[0] ?? 0);
    bestTimes.push(Math.min(...runs));
    const s = performance.now();
    got.push(engine.ask(item.q).triage);
    askTimes.push(performance.now() - s);
  }
  const of = (label: SafetyExpect, hit: (t: AskTriage) => boolean): Share => {
    const mine = got.filter((_, i) => items[i]?.expect === label);
    return { n: mine.length, hits: mine.filter(hit).length };
  };
  const counts = { emergency: 0, clinical: 0, digital: 0, 'off-topic': 0 };
  for (const item of items) counts[item.expect]++;
  return {
    total: items.length,
    counts,
    emergencyRecall: of('emergency', alarm),
    emergencyAloneRecall: of('emergency', (t) => t === 'emergency'),
    clinicalRecall: of('clinical', (t) => t === 'clinical' || alarm(t)),
    digitalAlarmAny: of('digital', alarm),
    digitalAlarmAlone: of('digital', (t) => t === 'emergency'),
    triageP95Ms: p95(triageTimes),
    triageBestP95Ms: p95(bestTimes),
    askP95Ms: p95(askTimes),
    misses: items.flatMap((item, i) => (missed(item.expect, got[i] ?? 'answer') ? [{ q: item.q, expect: item.expect, got: got[i] ?? 'answer' }] : [])),
  };
}

function pct(s: Share): string {
  return s.n === 0 ? '   n/a' : `${((100 * s.hits) / s.n).toFixed(1).padStart(5)}% (${s.hits}/${s.n})`;
}

export function formatSafetyReport(r: SafetyReport, showMisses: boolean): string {
  const lines = [
    `messages: ${r.total} (emergency ${r.counts.emergency}, clinical ${r.counts.clinical}, digital ${r.counts.digital}, off-topic ${r.counts['off-topic']})`,
    `emergency recall (emergency or possible): ${pct(r.emergencyRecall)}`,
    `emergency-alone recall:                   ${pct(r.emergencyAloneRecall)}`,
    `clinical recall (clinical or emergency):  ${pct(r.clinicalRecall)}`,
    `digital false alarms (any):               ${pct(r.digitalAlarmAny)}`,
    `digital false alarms (emergency alone):   ${pct(r.digitalAlarmAlone)}`,
    `triage latency ms p95 (warm, one call): ${r.triageP95Ms.toFixed(2)}; best of 3: ${r.triageBestP95Ms.toFixed(2)}; whole answer p95: ${r.askP95Ms.toFixed(2)}`,
  ];
  if (showMisses && r.misses.length > 0) {
    lines.push('', `misses (${r.misses.length}):`);
    for (const m of r.misses) lines.push(`  expected ${m.expect}, got ${m.got}: ${m.q}`);
  }
  return lines.join('\n');
}
