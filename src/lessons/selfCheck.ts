import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ContentError } from './parser.js';
import { topicByCode } from './syllabus.js';
import { EDS_AREAS, HEE_DOMAINS, type EdsArea, type HeeDomain } from './types.js';

export type Rating = 'yes' | 'not-sure' | 'no';
export const RATINGS: readonly Rating[] = ['yes', 'not-sure', 'no'];

export interface SkillStatement {
  readonly id: string;
  /** "I can ..." */
  readonly statement: string;
  readonly hee: HeeDomain;
  readonly eds: EdsArea;
  /** Topics to learn first when the answer is not "yes", in order. */
  readonly topics: readonly string[];
}

const FILE = 'self-check.yaml';

/** Reads and validates content/self-check.yaml (8 to 12 statements). */
export function loadSelfCheck(contentDir: string): SkillStatement[] {
  const path = join(contentDir, FILE);
  if (!existsSync(path)) throw new ContentError(FILE, 'file', 'is missing');
  const raw: unknown = parseYaml(readFileSync(path, 'utf8'));
  if (!Array.isArray(raw)) throw new ContentError(FILE, 'statements', 'must be a YAML list');
  if (raw.length < 8 || raw.length > 12) throw new ContentError(FILE, 'statements', `needs 8 to 12 statements (has ${raw.length})`);
  const ids = new Set<string>();
  return raw.map((item: unknown, i) => {
    const at = (f: string) => `statements[${i}].${f}`;
    if (typeof item !== 'object' || item === null) throw new ContentError(FILE, `statements[${i}]`, 'must be a map');
    const s = item as Record<string, unknown>;
    const text = (f: string) => {
      const v = s[f];
      if (typeof v !== 'string' || !v.trim()) throw new ContentError(FILE, at(f), 'is required');
      return v.trim();
    };
    const id = text('id');
    if (!/^[a-z0-9-]+$/.test(id) || ids.has(id)) throw new ContentError(FILE, at('id'), `"${id}" must be unique, lowercase letters, digits and dashes`);
    ids.add(id);
    const hee = text('hee') as HeeDomain;
    if (!HEE_DOMAINS.includes(hee)) throw new ContentError(FILE, at('hee'), `"${hee}" is not an HEE domain`);
    const eds = text('eds') as EdsArea;
    if (!EDS_AREAS.includes(eds)) throw new ContentError(FILE, at('eds'), `"${eds}" is not an Essential Digital Skills area`);
    const topics = s.topics;
    if (!Array.isArray(topics) || topics.length === 0) throw new ContentError(FILE, at('topics'), 'needs at least one topic code');
    for (const t of topics) if (typeof t !== 'string' || !topicByCode(t)) throw new ContentError(FILE, at('topics'), `"${String(t)}" is not a syllabus topic code`);
    return { id, statement: text('statement'), hee, eds, topics: topics as string[] };
  });
}

export interface SelfCheckResult {
  /** Statements answered "yes". */
  readonly strengths: readonly SkillStatement[];
  /** Topic codes to learn first: from "no" answers, then "not sure", in statement order, no repeats. */
  readonly plan: readonly string[];
}

export function selfCheckResult(statements: readonly SkillStatement[], answers: Readonly<Record<string, Rating | 'skipped'>>): SelfCheckResult {
  const plan: string[] = [];
  for (const wanted of ['no', 'not-sure'] as const) {
    for (const s of statements) if (answers[s.id] === wanted) for (const t of s.topics) if (!plan.includes(t)) plan.push(t);
  }
  return { strengths: statements.filter((s) => answers[s.id] === 'yes'), plan };
}
