/**
 * A cmi5 rules checker (cmi5 spec §9): for one registration and AU, the statement sequence of
 * each session and the properties each cmi5 defined statement must have. Returns the problems,
 * each naming the statement; an empty list means the record follows the rules.
 */
import { CMI5_CATEGORY, CMI5_EXTENSIONS, CMI5_VERBS, MOVEON_CATEGORY } from '../../src/lms/cmi5/vocabulary.js';
import type { LmsStatement } from './cmi5Lms.js';

export interface RulesInput {
  readonly statements: readonly LmsStatement[];
  readonly registration: string;
  readonly activityId: string;
  readonly publisherId: string;
  /** Launch mode of each session, by session id. */
  readonly modes: Readonly<Record<string, string>>;
  readonly masteryScore?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DURATION = /^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;
const AU_VERBS = new Set<string>([CMI5_VERBS.initialized, CMI5_VERBS.completed, CMI5_VERBS.passed, CMI5_VERBS.failed, CMI5_VERBS.terminated]);
const NAME = Object.fromEntries(Object.entries(CMI5_VERBS).map(([k, v]) => [v, k]));

export function checkCmi5(input: RulesInput): string[] {
  const problems: string[] = [];
  const au = input.statements.filter((s) => AU_VERBS.has(s.verb.id) && s.object.id === input.activityId);
  const sessionOf = (s: LmsStatement) => String(s.context?.extensions?.[CMI5_EXTENSIONS.sessionId] ?? '');

  for (const s of au) {
    const name = `${NAME[s.verb.id]} ${s.id}`;
    const cats = (s.context?.contextActivities?.category ?? []).map((a) => a.id);
    const grouping = (s.context?.contextActivities?.grouping ?? []).map((a) => a.id);
    const r = s.result ?? {};
    if (!UUID.test(s.id)) problems.push(`${name}: id is not a UUID`);
    if (!s.timestamp) problems.push(`${name}: no timestamp`);
    if (s.actor.objectType !== 'Agent' || !s.actor.account) problems.push(`${name}: actor must be an Agent with an account`);
    if (s.context?.registration !== input.registration) problems.push(`${name}: registration is not the launch's`);
    if (!cats.includes(CMI5_CATEGORY)) problems.push(`${name}: no cmi5 category activity`);
    if (!grouping.includes(input.publisherId)) problems.push(`${name}: contextTemplate grouping (publisher id) missing`);
    if (!sessionOf(s)) problems.push(`${name}: no session id extension`);
    const moveOn = r.success !== undefined || r.completion !== undefined;
    if (moveOn !== cats.includes(MOVEON_CATEGORY)) problems.push(`${name}: moveOn category must be present exactly when result has success or completion`);
    switch (s.verb.id) {
      case CMI5_VERBS.completed:
        if (r.completion !== true) problems.push(`${name}: completion must be true`);
        if (r.success !== undefined || r.score !== undefined) problems.push(`${name}: completed must not have success or score`);
        if (!DURATION.test(r.duration ?? '')) problems.push(`${name}: duration required`);
        break;
      case CMI5_VERBS.passed:
      case CMI5_VERBS.failed: {
        const passed = s.verb.id === CMI5_VERBS.passed;
        if (r.success !== passed) problems.push(`${name}: success must be ${passed}`);
        if (r.completion !== undefined) problems.push(`${name}: must not have completion`);
        if (!DURATION.test(r.duration ?? '')) problems.push(`${name}: duration required`);
        const scaled = r.score?.scaled;
        if (input.masteryScore !== undefined) {
          if (s.context?.extensions?.[CMI5_EXTENSIONS.masteryScore] !== input.masteryScore) problems.push(`${name}: masteryscore extension must be the LMS's ${input.masteryScore}`);
          if (scaled !== undefined && (passed ? scaled < input.masteryScore : scaled >= input.masteryScore)) problems.push(`${name}: scaled ${scaled} inconsistent with mastery ${input.masteryScore}`);
        }
        break;
      }
      case CMI5_VERBS.terminated:
        if (!DURATION.test(r.duration ?? '')) problems.push(`${name}: duration required`);
        if (r.success !== undefined || r.completion !== undefined || r.score !== undefined) problems.push(`${name}: must not have success, completion or score`);
        break;
      default:
        if (r.success !== undefined || r.completion !== undefined || r.score !== undefined) problems.push(`${name}: must not have success, completion or score`);
    }
  }

  // Per session: initialized first, terminated last, no duplicate verbs, at most one of passed/failed.
  const sessions = [...new Set(au.map(sessionOf))];
  for (const id of sessions) {
    const all = input.statements.filter((s) => sessionOf(s) === id && s.object.id === input.activityId && s.verb.id !== CMI5_VERBS.launched && s.verb.id !== CMI5_VERBS.satisfied);
    const verbs = all.map((s) => NAME[s.verb.id] ?? s.verb.id);
    if (verbs[0] !== 'initialized') problems.push(`session ${id}: first AU statement is ${verbs[0]}, not initialized`);
    if (verbs.at(-1) !== 'terminated') problems.push(`session ${id}: last AU statement is ${verbs.at(-1)}, not terminated`);
    if (new Set(verbs).size !== verbs.length) problems.push(`session ${id}: duplicated verbs ${verbs.join(', ')}`);
    if (verbs.includes('passed') && verbs.includes('failed')) problems.push(`session ${id}: both passed and failed`);
    const times = all.map((s) => Date.parse(s.timestamp));
    if (times.some((t, i) => i > 0 && t < times[i - 1])) problems.push(`session ${id}: timestamps out of order`);
    const mode = input.modes[id];
    if (mode && mode !== 'Normal' && verbs.some((v) => v === 'completed' || v === 'passed' || v === 'failed')) problems.push(`session ${id}: ${mode} mode must not record completed, passed or failed`);
    const launched = input.statements.findIndex((s) => s.verb.id === CMI5_VERBS.launched && sessionOf(s) === id);
    const first = input.statements.findIndex((s) => sessionOf(s) === id && s.verb.id === CMI5_VERBS.initialized);
    if (launched < 0 || launched > first) problems.push(`session ${id}: launched must come before initialized`);
  }

  // Per registration: at most one completed, one passed, no failed after passed.
  const verbs = au.map((s) => NAME[s.verb.id]);
  if (verbs.filter((v) => v === 'completed').length > 1) problems.push('registration: more than one completed');
  if (verbs.filter((v) => v === 'passed').length > 1) problems.push('registration: more than one passed');
  const firstPassed = verbs.indexOf('passed');
  if (firstPassed >= 0 && verbs.slice(firstPassed).includes('failed')) problems.push('registration: failed after passed');
  return problems;
}
