/**
 * Evaluation of the question-answering engine on a labelled JSONL file: one object a line,
 * {"q": "...", "expect": "<topic code>" | "emergency" | "clinical" | "off-topic"}.
 *
 * Figures (all through the same QaEngine.explain the bot uses):
 * - top-1: the first topic the learner is offered is the expected one: the answer's topic,
 *   or the first "did you mean" topic. A question declined (clinical, off topic, emergency)
 *   or given a plain "I don't know" is a miss.
 * - top-3: the expected topic is among the first three of the engine's ranking, and the
 *   learner was offered a topic (answer or "did you mean").
 * - high confidence: of the questions answered outright (triage 'answer'), the share right
 *   (accuracy), and the share of topic questions answered outright (coverage).
 * - did-you-mean coverage: of the questions given "did you mean", the share whose
 *   alternatives hold the expected topic.
 * - topic top-1, strict: triage is 'answer' and topic is the expected code. This is the
 *   headline number.
 * - topic top-1, lenient: strict, or a "did you mean" (triage 'no-answer') whose FIRST
 *   alternative is the expected code. The user gets the right lesson one tap away, so it is
 *   reported, but never instead of the strict figure.
 * - retrieval top-1: the best retrieved topic is right, whatever the triage said (how good
 *   the ranking is on its own).
 * - emergency recall, clinical recall: share of those labelled so that get that triage.
 * - off-topic accuracy: share of off-topic labels that get 'off-topic'.
 * - safety false alarms: topic-labelled questions triaged emergency, possible emergency, clinical or off topic.
 * - latency of ask() in milliseconds: p50 / p95 / max of a single call per question, and
 *   p50 / p95 of the best of five calls per question. On a busy shared machine the single
 *   call also measures time spent waiting for a CPU; the best of five is the usual way
 *   to measure the cost of the work itself. (The engine warms its JIT at construction.)
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { AcademyError } from '../errors.js';
import type { AskResult, QaEngine } from './engine.js';

export interface EvalItem {
  readonly q: string;
  readonly expect: string;
}

export const SAFETY_LABELS = ['emergency', 'clinical', 'off-topic'] as const;

export interface Miss {
  readonly q: string;
  readonly expect: string;
  readonly got: string;
  readonly topic: string | null;
  readonly alternatives: readonly string[];
  readonly confidence: number;
}

export interface Ratio {
  readonly n: number;
  readonly hits: number;
  /** hits / n, or null when n is 0. */
  readonly rate: number | null;
}

export interface EvalReport {
  readonly total: number;
  readonly top1: Ratio;
  readonly top3: Ratio;
  /** Of the questions answered outright: right. */
  readonly highAccuracy: Ratio;
  /** Of the topic questions: answered outright. */
  readonly highCoverage: Ratio;
  /** Of the "did you mean" questions: the expected topic among the alternatives. */
  readonly didYouMeanCoverage: Ratio;
  readonly topicStrict: Ratio;
  readonly topicLenient: Ratio;
  readonly retrievalTop1: Ratio;
  readonly emergencyRecall: Ratio;
  readonly clinicalRecall: Ratio;
  readonly offTopicAccuracy: Ratio;
  /** Topic-labelled questions wrongly triaged emergency / clinical / off-topic. */
  readonly falseAlarms: { readonly emergency: number; readonly possibleEmergency: number; readonly clinical: number; readonly offTopic: number };
  /** Topic-labelled questions by the engine's triage. */
  readonly topicTriage: Readonly<Record<string, number>>;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly max: number; readonly bestOf5P50: number; readonly bestOf5P95: number };
  readonly misses: readonly Miss[];
}

/** The JSON objects of a JSONL file, each with its 1-based line number; blank lines are skipped. */
export function readJsonlObjects(file: string): { line: number; value: object }[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AcademyError(400, `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`, 'file');
  }
  const rows: { line: number; value: object }[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new AcademyError(400, `${file} line ${i + 1}: not valid JSON`, 'line');
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new AcademyError(400, `${file} line ${i + 1}: not a JSON object`, 'line');
    rows.push({ line: i + 1, value: v });
  });
  return rows;
}

/** Reads a JSONL file of {q, expect}; blank lines are skipped. */
export function readJsonl(file: string): EvalItem[] {
  return readJsonlObjects(file).map(({ line, value }) => {
    const q: unknown = Reflect.get(value, 'q');
    const expect: unknown = Reflect.get(value, 'expect');
    if (typeof q !== 'string' || typeof expect !== 'string') throw new AcademyError(400, `${file} line ${line}: needs string fields "q" and "expect"`, 'q');
    return { q, expect };
  });
}

function ratio(n: number, hits: number): Ratio {
  return { n, hits, rate: n === 0 ? null : hits / n };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

export function isTopicLabel(expect: string): boolean {
  return !(SAFETY_LABELS as readonly string[]).includes(expect);
}

export function evaluate(engine: QaEngine, items: readonly EvalItem[]): EvalReport {
  const times: number[] = [];
  const best: number[] = [];
  const misses: Miss[] = [];
  let topicN = 0;
  let strict = 0;
  let lenient = 0;
  let retrievalTop = 0;
  let top1 = 0;
  let top3 = 0;
  let answered = 0;
  let answeredRight = 0;
  let dym = 0;
  let dymRight = 0;
  const safety = { emergency: [0, 0], clinical: [0, 0], 'off-topic': [0, 0] } as Record<string, [number, number]>;
  const falseAlarms = { emergency: 0, possibleEmergency: 0, clinical: 0, offTopic: 0 };
  const topicTriage: Record<string, number> = {};

  for (const item of items) {
    const start = performance.now();
    const explained = engine.explain(item.q);
    const once = performance.now() - start;
    times.push(once);
    let fastest = once;
    for (let i = 0; i < 4; i++) {
      const s = performance.now();
      engine.explain(item.q);
      fastest = Math.min(fastest, performance.now() - s);
    }
    best.push(fastest);
    const res: AskResult = explained.result;
    let ok: boolean;
    if (isTopicLabel(item.expect)) {
      topicN++;
      ok = res.triage === 'answer' && res.topic === item.expect;
      if (ok) strict++;
      if (ok || (res.triage === 'no-answer' && res.alternatives[0] === item.expect)) lenient++;
      if (explained.retrieval?.topic === item.expect) retrievalTop++;
      const offered = res.triage === 'answer' || (res.triage === 'no-answer' && res.alternatives.length > 0);
      const ranked = explained.ranking?.map((r) => r.topic) ?? explained.retrieval?.ranked.map((r) => r.topic) ?? [];
      const first = res.triage === 'answer' ? res.topic : (res.alternatives[0] ?? null);
      if (offered && first === item.expect) top1++;
      if (offered && (ranked.slice(0, 3).includes(item.expect) || first === item.expect)) top3++;
      if (res.triage === 'answer') {
        answered++;
        if (res.topic === item.expect) answeredRight++;
      } else if (res.triage === 'no-answer' && res.alternatives.length > 0) {
        dym++;
        if (res.alternatives.includes(item.expect)) dymRight++;
      }
      const kind = res.triage === 'no-answer' && res.alternatives.length > 0 ? 'did-you-mean' : res.triage;
      topicTriage[kind] = (topicTriage[kind] ?? 0) + 1;
      if (res.triage === 'emergency') falseAlarms.emergency++;
      if (res.triage === 'possible-emergency') falseAlarms.possibleEmergency++;
      if (res.triage === 'clinical') falseAlarms.clinical++;
      if (res.triage === 'off-topic') falseAlarms.offTopic++;
    } else {
      const s = safety[item.expect] ?? [0, 0];
      ok = res.triage === item.expect;
      s[0]++;
      if (ok) s[1]++;
    }
    if (!ok) misses.push({ q: item.q, expect: item.expect, got: res.triage, topic: res.topic, alternatives: res.alternatives, confidence: res.confidence });
  }
  const sorted = [...times].sort((a, b) => a - b);
  const sortedBest = [...best].sort((a, b) => a - b);
  const pair = (k: string): Ratio => ratio(safety[k]?.[0] ?? 0, safety[k]?.[1] ?? 0);
  return {
    total: items.length,
    top1: ratio(topicN, top1),
    top3: ratio(topicN, top3),
    highAccuracy: ratio(answered, answeredRight),
    highCoverage: ratio(topicN, answered),
    didYouMeanCoverage: ratio(dym, dymRight),
    topicStrict: ratio(topicN, strict),
    topicLenient: ratio(topicN, lenient),
    retrievalTop1: ratio(topicN, retrievalTop),
    emergencyRecall: pair('emergency'),
    clinicalRecall: pair('clinical'),
    offTopicAccuracy: pair('off-topic'),
    falseAlarms,
    topicTriage,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      max: sorted[sorted.length - 1] ?? 0,
      bestOf5P50: percentile(sortedBest, 50),
      bestOf5P95: percentile(sortedBest, 95),
    },
    misses,
  };
}

function pct(r: Ratio): string {
  return r.rate === null ? '   n/a' : `${(r.rate * 100).toFixed(1).padStart(5)}% (${r.hits}/${r.n})`;
}

export function formatReport(report: EvalReport, options: { misses?: boolean } = {}): string {
  const lines = [
    `questions: ${report.total}`,
    `top-1 (first topic offered):           ${pct(report.top1)}`,
    `top-3:                                 ${pct(report.top3)}`,
    `high-confidence answers right:         ${pct(report.highAccuracy)}`,
    `answered at high confidence:           ${pct(report.highCoverage)}`,
    `did-you-mean holds the right topic:    ${pct(report.didYouMeanCoverage)}`,
    `topic top-1 (strict, answered):        ${pct(report.topicStrict)}`,
    `topic top-1 (lenient, + did-you-mean): ${pct(report.topicLenient)}`,
    `retrieval top-1 (ranking only):        ${pct(report.retrievalTop1)}`,
    `emergency recall:                      ${pct(report.emergencyRecall)}`,
    `clinical recall:                       ${pct(report.clinicalRecall)}`,
    `off-topic accuracy:                    ${pct(report.offTopicAccuracy)}`,
    `on-topic false alarms: emergency ${report.falseAlarms.emergency}, possible emergency ${report.falseAlarms.possibleEmergency}, clinical ${report.falseAlarms.clinical}, off-topic ${report.falseAlarms.offTopic}`,
    `topic questions by outcome: ${Object.entries(report.topicTriage).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `latency ms, single call: p50 ${report.latencyMs.p50.toFixed(2)}, p95 ${report.latencyMs.p95.toFixed(2)}, max ${report.latencyMs.max.toFixed(2)}`,
    `latency ms, best of 5:   p50 ${report.latencyMs.bestOf5P50.toFixed(2)}, p95 ${report.latencyMs.bestOf5P95.toFixed(2)}`,
  ];
  if (options.misses === true && report.misses.length > 0) {
    lines.push('', `misses (${report.misses.length}):`);
    for (const m of report.misses) {
      const got = m.got === 'answer' ? `answer ${m.topic}` : m.alternatives.length > 0 ? `${m.got} [${m.alternatives.join(', ')}]` : m.got;
      lines.push(`  expected ${m.expect}, got ${got} (${m.confidence}): ${m.q}`);
    }
  }
  return lines.join('\n');
}
