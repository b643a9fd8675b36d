import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../src/paths.js';
import { loadQaEngine, type QaEngine } from '../../src/qa/engine.js';

export interface Labelled {
  readonly q: string;
  readonly expect: string;
}

const here = dirname(fileURLToPath(import.meta.url));

export function readSet(name: string): Labelled[] {
  return parseJsonl(readFileSync(join(here, name), 'utf8'));
}

export function parseJsonl(text: string): Labelled[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const v: unknown = JSON.parse(l);
      const q: unknown = typeof v === 'object' && v !== null ? Reflect.get(v, 'q') : undefined;
      const expect: unknown = typeof v === 'object' && v !== null ? Reflect.get(v, 'expect') : undefined;
      if (typeof q !== 'string' || typeof expect !== 'string') throw new Error(`bad line: ${l}`);
      return { q, expect };
    });
}

/** The shared dev questions, read at run time only (never copied); null when absent. */
export function devQuestions(): Labelled[] | null {
  const file = join(projectRoot(), '..', 'shared', 'eval', 'dev-questions.jsonl');
  return existsSync(file) ? parseJsonl(readFileSync(file, 'utf8')) : null;
}

export const SAFETY = ['emergency', 'clinical', 'off-topic'];

let engine: QaEngine | undefined;

/** One engine for all QA tests (the index is built once). */
export function sharedEngine(): QaEngine {
  engine ??= loadQaEngine();
  return engine;
}

/** Messages worded so the rules see nothing alarming but a careful reader would worry; the net should be unsure about at least one. */
export const UNSURE_CANDIDATES = [
  'she has been really quiet and gave her things away, how do i book her a gp appointment',
  'my mum is not making sense on the phone and the app wont load',
  'resident is breathing funny, how do i message the gp in the app',
  'my son is burning up and very sleepy, where is 111 online',
  'colleague said she cant cope anymore, how do i book the wellbeing hub on teams',
];

/** The first candidate the shipped engine triages as a possible emergency. */
export function unsureQuestion(engine: QaEngine): string {
  const q = UNSURE_CANDIDATES.find((c) => engine.ask(c).triage === 'possible-emergency');
  if (q === undefined) throw new Error('no candidate is a possible emergency for the shipped safety net');
  return q;
}
