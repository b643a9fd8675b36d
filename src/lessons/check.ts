import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isAcademyError } from '../errors.js';
import type { Clock } from '../ports.js';
import { topicFiles } from './catalog.js';
import { CLAIM_LIMITS, dateClaim, isoDay } from './claims.js';
import { judgeDistractors, loadJokePatterns, MIN_PLAUSIBLE_DISTRACTORS, type JokePattern } from './distractors.js';
import { loadGlossary, loadJargon, type Glossary } from './glossary.js';
import { parseLesson } from './parser.js';
import { readability } from './readability.js';
import { loadSelfCheck } from './selfCheck.js';
import { TOPICS } from './syllabus.js';
import type { Lesson } from './types.js';

export interface ContentProblem {
  readonly file: string;
  readonly field: string;
  readonly message: string;
}

export interface ContentReport {
  readonly lessons: readonly Lesson[];
  /** Faults: content:check fails on any. */
  readonly problems: readonly ContentProblem[];
  /** Things to act on soon (claims due for rechecking): content:check prints them and passes. */
  readonly warnings: readonly ContentProblem[];
  readonly missingTopics: readonly string[];
}

export const CONTENT_LIMITS = {
  maxWordsPerCard: 80,
  /** Flesch–Kincaid grade 6 is about reading age 11. */
  maxGrade: 6,
  maxReviewAgeDays: 365,
} as const;

/** Validates every content file and the set as a whole; never throws for a content fault. */
export function checkContent(dir: string, clock: Clock): ContentReport {
  const problems: ContentProblem[] = [];
  const warnings: ContentProblem[] = [];
  const lessons: Lesson[] = [];
  for (const file of topicFiles(dir)) {
    try {
      lessons.push(parseLesson(readFileSync(file, 'utf8'), file));
    } catch (e) {
      if (!isAcademyError(e)) throw e;
      problems.push({ file: basename(file), field: e.field ?? '', message: e.message });
    }
  }
  let glossary: Glossary | undefined;
  let jargon: string[] = [];
  try {
    glossary = loadGlossary(dir);
    jargon = loadJargon(dir);
  } catch (e) {
    if (!isAcademyError(e)) throw e;
    problems.push({ file: 'glossary.md', field: e.field ?? '', message: e.message });
  }
  try {
    loadSelfCheck(dir);
  } catch (e) {
    if (!isAcademyError(e)) throw e;
    problems.push({ file: 'self-check.yaml', field: e.field ?? '', message: e.message });
  }
  let jokes: JokePattern[] = [];
  try {
    jokes = loadJokePatterns(dir);
  } catch (e) {
    if (!isAcademyError(e)) throw e;
    problems.push({ file: 'qa/joke-distractors.yaml', field: e.field ?? '', message: e.message });
  }
  for (const word of jargon) {
    if (glossary && !glossary.lookup(word)) problems.push({ file: 'jargon.yaml', field: word, message: `jargon.yaml: ${word}: is not explained in glossary.md` });
  }
  const jargonIn = (text: string) => jargon.filter((w) => new RegExp(`(^|[^a-z0-9])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9])`, 'i').test(text));
  const seen = new Map<string, string>();
  const now = clock.now().getTime();
  const today = isoDay(clock.now());
  for (const l of lessons) {
    const add = (field: string, message: string) => problems.push({ file: l.file, field, message: `${l.file}: ${field}: ${message}` });
    const warn = (field: string, message: string) => warnings.push({ file: l.file, field, message: `${l.file}: ${field}: ${message}` });
    const other = seen.get(l.id);
    if (other) add('id', `"${l.id}" is also used by ${other}`);
    seen.set(l.id, l.file);
    const reviewed = Date.parse(l.lastReviewed);
    const ageDays = (now - reviewed) / 86_400_000;
    if (ageDays > CONTENT_LIMITS.maxReviewAgeDays) add('lastReviewed', `${l.lastReviewed} is more than 12 months ago: review the content`);
    if (ageDays < -1) add('lastReviewed', `${l.lastReviewed} is in the future`);
    l.cards.forEach((c, i) => {
      const r = readability(c.body);
      if (r.words > CONTENT_LIMITS.maxWordsPerCard) add(`cards[${i}]`, `card "${c.title}" has ${r.words} words (at most ${CONTENT_LIMITS.maxWordsPerCard})`);
      for (const word of jargonIn(c.body)) {
        if (!glossary?.lookup(word)) add(`cards[${i}]`, `card "${c.title}" uses the jargon "${word}", which content/glossary.md does not explain`);
      }
      if (r.grade > CONTENT_LIMITS.maxGrade)
        add(`cards[${i}]`, `card "${c.title}" reads at reading age ${r.readingAge.toFixed(1)} (grade ${r.grade.toFixed(1)}; at most 11): use shorter sentences and words`);
    });
    l.claims.forEach((c, i) => {
      const d = dateClaim(l, c, today);
      const what = `${c.kind} "${c.says}" (${c.where})`;
      if (d.status === 'future') add(`claims[${i}].checked`, `${what}: ${c.checked} is in the future`);
      else if (d.status === 'expired')
        add(`claims[${i}].checked`, `${what} was checked on ${c.checked}, more than ${CLAIM_LIMITS.expiresMonths} months ago: recheck it against ${c.source}`);
      else if (d.status === 'due') warn(`claims[${i}].checked`, `${what} was checked on ${c.checked}, more than ${CLAIM_LIMITS.dueMonths} months ago: recheck it by ${d.expires} against ${c.source}`);
    });
    if (jokes.length > 0)
      l.checks.forEach((q, i) => {
        const verdict = judgeDistractors(q, jokes);
        if (verdict.plausible.length < MIN_PLAUSIBLE_DISTRACTORS) {
          const why = verdict.jokes.map((j) => `"${j.option}" is a joke option (${j.pattern.why})`).join('; ');
          add(
            `checks[${i}]`,
            `"${q.question}" has ${verdict.plausible.length} plausible wrong options (at least ${MIN_PLAUSIBLE_DISTRACTORS})${why ? `: ${why}` : ''}. Write mistakes people really make`,
          );
        }
      });
  }
  const have = new Set(lessons.map((l) => l.topic));
  const missingTopics = TOPICS.map((t) => t.code).filter((c) => !have.has(c));
  for (const code of missingTopics) problems.push({ file: `${code}.md`, field: 'topic', message: `${code}.md: topic: no content file for syllabus topic ${code}` });
  return { lessons, problems, warnings, missingTopics };
}
