import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ContentError } from './parser.js';
import type { CheckQuestion } from './types.js';

export const JOKE_DISTRACTORS_FILE = join('qa', 'joke-distractors.yaml');

export interface JokePattern {
  readonly pattern: RegExp;
  readonly source: string;
  readonly why: string;
}

/** Check questions need at least this many wrong options that someone might really choose. */
export const MIN_PLAUSIBLE_DISTRACTORS = 2;

/** Reads content/qa/joke-distractors.yaml: `patterns:` a list of { pattern, why }. */
export function loadJokePatterns(dir: string): JokePattern[] {
  const path = join(dir, JOKE_DISTRACTORS_FILE);
  const file = 'qa/joke-distractors.yaml';
  if (!existsSync(path)) throw new ContentError(file, 'file', 'is missing: the joke patterns that check-question options are checked against');
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ContentError(file, 'file', `is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const list = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>).patterns : undefined;
  if (!Array.isArray(list) || list.length === 0) throw new ContentError(file, 'patterns', 'needs a list of { pattern, why }');
  return list.map((entry: unknown, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof e.pattern !== 'string' || !e.pattern.trim()) throw new ContentError(file, `patterns[${i}].pattern`, 'is required and must be text');
    if (typeof e.why !== 'string' || !e.why.trim()) throw new ContentError(file, `patterns[${i}].why`, 'is required: say why no one would choose such an option');
    let pattern: RegExp;
    try {
      pattern = new RegExp(e.pattern, 'i');
    } catch (err) {
      throw new ContentError(file, `patterns[${i}].pattern`, `is not a valid regular expression: ${(err as Error).message}`);
    }
    return { pattern, source: e.pattern, why: e.why.trim() };
  });
}

export interface DistractorVerdict {
  /** Wrong options that match no joke pattern. */
  readonly plausible: readonly string[];
  /** Wrong options that match one, with the pattern. */
  readonly jokes: readonly { readonly option: string; readonly pattern: JokePattern }[];
}

export function judgeDistractors(question: CheckQuestion, patterns: readonly JokePattern[]): DistractorVerdict {
  const plausible: string[] = [];
  const jokes: { option: string; pattern: JokePattern }[] = [];
  for (const o of question.options) {
    if (o.correct) continue;
    const hit = patterns.find((p) => p.pattern.test(o.text));
    if (hit) jokes.push({ option: o.text, pattern: hit });
    else plausible.push(o.text);
  }
  return { plausible, jokes };
}
