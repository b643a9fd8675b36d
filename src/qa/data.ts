/**
 * Loads and validates the question-answering data files in content/qa/:
 * synonyms.yaml (spellings, phrases, expansions, stop words) and triage.yaml (safety
 * patterns and lexicons, replies). Patterns are compiled once here; a bad file fails with
 * an AcademyError naming the file and field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AcademyError } from '../errors.js';
import { projectRoot } from '../paths.js';
import { phraseRule, type NormaliseData } from './text.js';
import { isRecord } from '../http/guards.js';

export interface SynonymData extends NormaliseData {
  /** Query-side expansions, loosely related words: word -> other words (normalised). */
  readonly expansions: ReadonlyMap<string, readonly string[]>;
  /** Query-side near-exact synonyms: word -> other words (normalised). */
  readonly equivalents: ReadonlyMap<string, readonly string[]>;
  readonly stopwords: ReadonlySet<string>;
  /** Words that count half in a question: people and generic verbs. */
  readonly lightwords: ReadonlySet<string>;
}

export type EmergencyStrength = 'strong' | 'medium' | 'weak';
/** Which emergency reply to give; 'general' (all the numbers) is the safety net's, no rule has it. */
export type EmergencyCategory = 'physical' | 'mental-health' | 'general';
export type PatternCategory = Exclude<EmergencyCategory, 'general'>;

export interface EmergencyPattern {
  readonly id: string;
  readonly category: PatternCategory;
  readonly strength: EmergencyStrength;
  readonly negatable: boolean;
  readonly re: RegExp;
}

export interface ClinicalIntent {
  readonly id: string;
  readonly re: RegExp;
  readonly requires: readonly string[];
  readonly yields: boolean;
}

export interface LexiconGroup {
  readonly name: string;
  readonly weight: number;
  /** Global regex matching any term of the group, on word boundaries. */
  readonly re: RegExp;
}

export interface TaskCue {
  readonly re: RegExp;
  readonly weight: number;
}

export interface TriageData {
  readonly emergency: {
    readonly exclusions: readonly RegExp[];
    readonly acute: RegExp;
    readonly critical: RegExp;
    /** The sign is in the past ("last year", "years ago"): medium and weak signs count less. */
    readonly past: RegExp;
    readonly digitalContext: RegExp;
    readonly negatedEnd: RegExp;
    readonly patterns: readonly EmergencyPattern[];
  };
  readonly clinical: {
    readonly intents: readonly ClinicalIntent[];
    readonly lexicon: readonly LexiconGroup[];
  };
  readonly digital: {
    readonly objects: RegExp;
    readonly task: readonly TaskCue[];
  };
  readonly scope: RegExp;
  readonly offTopic: readonly LexiconGroup[];
  readonly responses: {
    readonly emergency: Readonly<Record<EmergencyCategory, string>>;
    /** The emergency card shown first when the safety net is unsure. */
    readonly possibleEmergency: string;
    readonly clinical: string;
    readonly offTopic: string;
    readonly noAnswer: string;
    readonly didYouMean: string;
  };
}

export interface QaData {
  readonly synonyms: SynonymData;
  readonly triage: TriageData;
}

/** The default data folder: content/qa under the project root. */
export function defaultQaDataDir(): string {
  return join(projectRoot(), 'content', 'qa');
}

/** Reads and compiles both data files from `dir` (default content/qa). */
export function loadQaData(dir: string = defaultQaDataDir()): QaData {
  return {
    synonyms: parseSynonyms(readYaml(join(dir, 'synonyms.yaml')), 'synonyms.yaml'),
    triage: parseTriage(readYaml(join(dir, 'triage.yaml')), 'triage.yaml'),
  };
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AcademyError(500, `${file}: cannot read the file (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    return parse(text);
  } catch (e) {
    throw new AcademyError(500, `${file}: not valid YAML (${e instanceof Error ? e.message : String(e)})`);
  }
}

// ---------------------------------------------------------------------------------------
// small typed readers

type Obj = Record<string, unknown>;

function obj(v: unknown, file: string, field: string): Obj {
  if (!isRecord(v)) throw new AcademyError(500, `${file}: ${field} must be a mapping`, field);
  return v;
}

function str(v: unknown, file: string, field: string): string {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string' || v.trim() === '') throw new AcademyError(500, `${file}: ${field} must be a non-empty string`, field);
  return v;
}

function num(v: unknown, file: string, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AcademyError(500, `${file}: ${field} must be a number`, field);
  return v;
}

function strList(v: unknown, file: string, field: string): string[] {
  if (!Array.isArray(v)) throw new AcademyError(500, `${file}: ${field} must be a list`, field);
  return v.map((x, i) => str(x, file, `${field}[${i}]`));
}

function optStrList(v: unknown, file: string, field: string): string[] {
  return v === undefined ? [] : strList(v, file, field);
}

function regex(source: string, file: string, field: string, flags = ''): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new AcademyError(500, `${file}: ${field} is not a valid pattern (${e instanceof Error ? e.message : String(e)})`, field);
  }
}

/** Wraps a pattern body in word boundaries. */
function bounded(body: string): string {
  return `\\b(?:${body})\\b`;
}

/** A word list as a pattern: any term, on word boundaries, with an optional plural ending. */
function lexiconPattern(terms: readonly string[]): string {
  return `\\b(?:${alternation(terms)})(?:s|es)?\\b`;
}

/** One alternation of terms (regex fragments), longest first so phrases win. */
function alternation(terms: readonly string[]): string {
  return [...terms].sort((a, b) => b.length - a.length).join('|');
}

// ---------------------------------------------------------------------------------------
// synonyms.yaml

export function parseSynonyms(raw: unknown, file = 'synonyms.yaml'): SynonymData {
  const root = obj(raw, file, '(root)');
  const spellings = new Map<string, string>();
  for (const [k, v] of Object.entries(obj(root.spellings ?? {}, file, 'spellings'))) {
    spellings.set(k.toLowerCase(), str(v, file, `spellings.${k}`).toLowerCase());
  }
  const phrasesRaw = root.phrases ?? [];
  if (!Array.isArray(phrasesRaw)) throw new AcademyError(500, `${file}: phrases must be a list of [from, to] pairs`, 'phrases');
  const pairs = phrasesRaw.map((p, i) => {
    const pair = strList(p, file, `phrases[${i}]`);
    if (pair.length !== 2) throw new AcademyError(500, `${file}: phrases[${i}] must be [from, to]`, `phrases[${i}]`);
    const from = pair[0] ?? '';
    return [from.startsWith('re:') ? from : from.toLowerCase(), (pair[1] ?? '').toLowerCase()] as const;
  });
  pairs.sort((a, b) => b[0].length - a[0].length);
  const phrases = pairs
    .filter(([from, to]) => from !== to)
    .map(([from, to], i) => {
      try {
        return phraseRule(from, to);
      } catch (e) {
        throw new AcademyError(500, `${file}: phrases entry "${from}" is not a valid pattern (${e instanceof Error ? e.message : String(e)})`, `phrases[${i}]`);
      }
    });

  const groupsOf = (key: 'expansions' | 'equivalents'): Map<string, string[]> => {
    const map = new Map<string, string[]>();
    const groups = root[key] ?? [];
    if (!Array.isArray(groups)) throw new AcademyError(500, `${file}: ${key} must be a list of groups`, key);
    groups.forEach((g, i) => {
      const words = strList(g, file, `${key}[${i}]`).map((w) => w.toLowerCase());
      for (const a of words) for (const b of words) addTo(map, a, b);
    });
    return map;
  };
  const expansions = groupsOf('expansions');
  const equivalents = groupsOf('equivalents');
  for (const [k, v] of Object.entries(obj(root.directional ?? {}, file, 'directional'))) {
    for (const to of strList(v, file, `directional.${k}`)) addTo(expansions, k.toLowerCase(), to.toLowerCase());
  }
  const stopwords = new Set(optStrList(root.stopwords, file, 'stopwords').map((w) => w.toLowerCase()));
  const lightwords = new Set(optStrList(root.lightwords, file, 'lightwords').map((w) => w.toLowerCase()));
  return { spellings, phrases, expansions, equivalents, stopwords, lightwords };
}

function addTo(map: Map<string, string[]>, from: string, to: string): void {
  if (from === to) return;
  const list = map.get(from) ?? [];
  if (!list.includes(to)) list.push(to);
  map.set(from, list);
}

// ---------------------------------------------------------------------------------------
// triage.yaml

const STRENGTHS: readonly EmergencyStrength[] = ['strong', 'medium', 'weak'];
const CATEGORIES: readonly PatternCategory[] = ['physical', 'mental-health'];

export function parseTriage(raw: unknown, file = 'triage.yaml'): TriageData {
  const root = obj(raw, file, '(root)');
  const macros = new Map<string, string>();
  for (const [k, v] of Object.entries(obj(root.macros ?? {}, file, 'macros'))) macros.set(k, str(v, file, `macros.${k}`));
  // clinical lexicon first: its groups become {lex.<name>} macros
  const clinical = obj(root.clinical, file, 'clinical');
  const lexTerms = new Map<string, string[]>();
  const lexicon = parseClinicalLexicon(clinical, file, macros, lexTerms);
  const r = patternReader(file, macros);
  const emergency = parseEmergency(obj(root.emergency, file, 'emergency'), r);
  const intents = parseClinicalIntents(clinical, r, lexTerms);
  const dig = obj(root.digital, file, 'digital');
  const task = parseTaskCues(dig, r);
  const offTopic = lexiconGroups(obj(root.offTopic, file, 'offTopic'), file, 'offTopic');
  const resp = obj(root.responses, file, 'responses');
  const emResp = obj(resp.emergency, file, 'responses.emergency');
  const objects = r.wordList(dig.objects, 'digital.objects');
  const scope = r.wordList(obj(root.scope, file, 'scope').cues, 'scope.cues');
  return { emergency, clinical: { intents, lexicon }, digital: { objects, task }, scope, offTopic, responses: parseResponses(resp, emResp, file) };
}

/** Compiles triage.yaml's patterns: `{name}` macros expanded, on word boundaries, errors naming the file and field. */
interface PatternReader {
  readonly file: string;
  expand(source: string, field: string): string;
  /** One pattern. */
  pattern(source: unknown, field: string, flags?: string): RegExp;
  /** A list of patterns as one alternation. */
  anyOf(list: unknown, field: string, flags?: string): RegExp;
  /** A list of plain words (with an optional plural ending). */
  wordList(list: unknown, field: string): RegExp;
}

function patternReader(file: string, macros: ReadonlyMap<string, string>): PatternReader {
  const expand = (source: string, field: string): string =>
    source.replace(/\{([\w.]+)\}/g, (m, name: string) => {
      const body = macros.get(name);
      if (body === undefined) throw new AcademyError(500, `${file}: ${field} uses an unknown macro ${m}`, field);
      return body;
    });
  return {
    file,
    expand,
    pattern: (source, field, flags = '') => regex(bounded(expand(str(source, file, field), field)), file, field, flags),
    anyOf: (list, field, flags = '') => {
      const items = strList(list, file, field).map((s, i) => expand(s, `${field}[${i}]`));
      return regex(bounded(alternation(items)), file, field, flags);
    },
    wordList: (list, field) => regex(lexiconPattern(strList(list, file, field).map((t) => t.toLowerCase())), file, field),
  };
}

/** The clinical word groups; each also becomes a `{lex.<name>}` macro, and its terms are kept in `lexTerms`. */
function parseClinicalLexicon(clinical: Obj, file: string, macros: Map<string, string>, lexTerms: Map<string, string[]>): LexiconGroup[] {
  const lexRaw = obj(clinical.lexicon, file, 'clinical.lexicon');
  return Object.entries(lexRaw).map(([name, g]) => {
    const field = `clinical.lexicon.${name}`;
    const group = obj(g, file, field);
    const terms = strList(group.terms, file, `${field}.terms`).map((t) => t.toLowerCase());
    lexTerms.set(name, terms);
    macros.set(`lex.${name}`, `(?:${alternation(terms)})`);
    return { name, weight: num(group.weight, file, `${field}.weight`), re: regex(lexiconPattern(terms), file, `${field}.terms`, 'g') };
  });
}

/** Weighted word groups (offTopic): any term of a group, on word boundaries. */
function lexiconGroups(groups: Obj, file: string, key: string): LexiconGroup[] {
  return Object.entries(groups).map(([name, g]) => {
    const field = `${key}.${name}`;
    const group = obj(g, file, field);
    const terms = strList(group.terms, file, `${field}.terms`).map((t) => t.toLowerCase());
    return { name, weight: num(group.weight, file, `${field}.weight`), re: regex(lexiconPattern(terms), file, `${field}.terms`, 'g') };
  });
}

function listOf(v: unknown, file: string, field: string): unknown[] {
  if (!Array.isArray(v)) throw new AcademyError(500, `${file}: ${field} must be a list`, field);
  return v;
}

function parseEmergency(em: Obj, r: PatternReader): TriageData['emergency'] {
  const { file } = r;
  const ids = new Set<string>();
  const patterns = listOf(em.patterns, file, 'emergency.patterns').map((p, i) => parseEmergencyPattern(p, `emergency.patterns[${i}]`, r, ids));
  const negators = str(em.negators, file, 'emergency.negators');
  return {
    exclusions: strList(em.exclusions ?? [], file, 'emergency.exclusions').map((s, i) => regex(bounded(r.expand(s, `emergency.exclusions[${i}]`)), file, `emergency.exclusions[${i}]`, 'g')),
    acute: r.anyOf(em.acuteCues, 'emergency.acuteCues'),
    critical: r.anyOf(em.criticalCues, 'emergency.criticalCues'),
    past: r.anyOf(em.pastCues ?? [], 'emergency.pastCues'),
    digitalContext: r.anyOf(em.digitalContext, 'emergency.digitalContext'),
    negatedEnd: regex(`(?:^|\\s)${r.expand(negators, 'emergency.negators')}\\s*$`, file, 'emergency.negators'),
    patterns,
  };
}

/** One emergency pattern; its id must be new in `ids`. */
function parseEmergencyPattern(p: unknown, field: string, r: PatternReader, ids: Set<string>): EmergencyPattern {
  const { file } = r;
  const o = obj(p, file, field);
  const id = str(o.id, file, `${field}.id`);
  if (ids.has(id)) throw new AcademyError(500, `${file}: ${field}.id "${id}" is used twice`, `${field}.id`);
  ids.add(id);
  const strength = str(o.strength, file, `${field}.strength`);
  const category = str(o.category, file, `${field}.category`);
  if (!STRENGTHS.includes(strength as EmergencyStrength)) throw new AcademyError(500, `${file}: ${field}.strength must be one of ${STRENGTHS.join(', ')}`, `${field}.strength`);
  if (!CATEGORIES.includes(category as PatternCategory)) throw new AcademyError(500, `${file}: ${field}.category must be one of ${CATEGORIES.join(', ')}`, `${field}.category`);
  return {
    id,
    strength: strength as EmergencyStrength,
    category: category as PatternCategory,
    negatable: o.negatable === true,
    re: r.pattern(o.re, `${field}.re`, 'g'),
  };
}

function parseClinicalIntents(clinical: Obj, r: PatternReader, lexTerms: ReadonlyMap<string, string[]>): ClinicalIntent[] {
  const { file } = r;
  return listOf(clinical.intents, file, 'clinical.intents').map((p, i) => {
    const field = `clinical.intents[${i}]`;
    const o = obj(p, file, field);
    const requires = optStrList(o.requires, file, `${field}.requires`);
    for (const req of requires) if (!lexTerms.has(req)) throw new AcademyError(500, `${file}: ${field}.requires names an unknown lexicon group "${req}"`, `${field}.requires`);
    return { id: str(o.id, file, `${field}.id`), re: r.pattern(o.re, `${field}.re`), requires, yields: o.yields === true };
  });
}

function parseTaskCues(dig: Obj, r: PatternReader): TaskCue[] {
  const { file } = r;
  return listOf(dig.task, file, 'digital.task').map((t, i) => {
    const o = obj(t, file, `digital.task[${i}]`);
    return { re: r.pattern(o.re, `digital.task[${i}].re`), weight: num(o.weight, file, `digital.task[${i}].weight`) };
  });
}

function parseResponses(resp: Obj, emResp: Obj, file: string): TriageData['responses'] {
  const text = (v: unknown, field: string) => str(v, file, field).replace(/\s+/g, ' ').trim();
  return {
    emergency: {
      physical: text(emResp.physical, 'responses.emergency.physical'),
      'mental-health': text(emResp['mental-health'], 'responses.emergency.mental-health'),
      general: text(emResp.general, 'responses.emergency.general'),
    },
    possibleEmergency: text(resp.possibleEmergency, 'responses.possibleEmergency'),
    clinical: text(resp.clinical, 'responses.clinical'),
    offTopic: text(resp.offTopic, 'responses.offTopic'),
    noAnswer: text(resp.noAnswer, 'responses.noAnswer'),
    didYouMean: text(resp.didYouMean, 'responses.didYouMean'),
  };
}
