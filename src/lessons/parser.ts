import { basename } from 'node:path';
import { parseDocument } from 'yaml';
import { AcademyError } from '../errors.js';
import { topicByCode } from './syllabus.js';
import {
  AUDIENCES,
  CLAIM_KINDS,
  EDS_AREAS,
  HEE_DOMAINS,
  type Audience,
  type Card,
  type CheckOption,
  type CheckQuestion,
  type Claim,
  type ClaimKind,
  type EdsArea,
  type HeeDomain,
  type Lesson,
  type Source,
} from './types.js';

/** A content file that breaks the format: names the file and the field at fault. */
export class ContentError extends AcademyError {
  constructor(
    readonly file: string,
    field: string,
    message: string,
  ) {
    super(422, `${file}: ${field}: ${message}`, field);
    this.name = 'ContentError';
  }
}

type Raw = Record<string, unknown>;

function fail(file: string, field: string, message: string): never {
  throw new ContentError(file, field, message);
}

function str(file: string, raw: Raw, field: string): string {
  const v = raw[field];
  if (typeof v === 'number' && field !== 'title') return String(v);
  if (typeof v !== 'string' || v.trim() === '') fail(file, field, 'is required and must be text');
  return v.trim();
}

function strList(file: string, raw: Raw, field: string, min: number): string[] {
  const v = raw[field] ?? [];
  if (!Array.isArray(v)) fail(file, field, 'must be a list');
  const out = v.map((x, i) => {
    if (typeof x !== 'string' && typeof x !== 'number') fail(file, `${field}[${i}]`, 'must be text');
    return String(x).trim();
  });
  if (out.length < min) fail(file, field, `needs at least ${min} entries (has ${out.length})`);
  return out;
}

function isoDate(file: string, raw: Raw, field: string): string {
  const v = raw[field];
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'string' ? v.trim() : '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s))) fail(file, field, 'must be a date written YYYY-MM-DD');
  return s;
}

function sources(file: string, raw: Raw): Source[] {
  const v = raw.sources;
  if (!Array.isArray(v) || v.length === 0) fail(file, 'sources', 'needs at least one official source');
  return v.map((s: unknown, i) => {
    if (typeof s !== 'object' || s === null) fail(file, `sources[${i}]`, 'must have a title and a url');
    const src = s as Raw;
    const title = str(file, src, 'title');
    const url = typeof src.url === 'string' ? src.url.trim() : '';
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      fail(file, `sources[${i}].url`, `is not a URL: "${url}"`);
    }
    if (parsed.protocol !== 'https:') fail(file, `sources[${i}].url`, `must be https: "${url}"`);
    return { title, url };
  });
}

/** Text as a claim is matched: lower case, no Markdown emphasis, straight quotes, single spaces. */
export function claimText(s: string): string {
  return s
    .toLowerCase()
    .replace(/[*_`]/g, '')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The numbered steps of a Markdown body: `1. Tap ...` lines (with their wrapped lines). */
function numberedSteps(body: string): Map<number, string> {
  const steps = new Map<number, string>();
  let current: number | undefined;
  for (const line of body.split(/\r?\n/)) {
    const m = /^\s*(\d+)[.)]\s+(.*)$/.exec(line);
    if (m) {
      current = Number(m[1]);
      steps.set(current, m[2]);
    } else if (current !== undefined && /^\s+\S/.test(line)) {
      steps.set(current, `${steps.get(current)} ${line.trim()}`);
    } else current = undefined;
  }
  return steps;
}

function claims(file: string, raw: Raw, cards: readonly Card[], checks: readonly CheckQuestion[], answer: string): Claim[] {
  const v = raw.claims ?? [];
  if (!Array.isArray(v)) fail(file, 'claims', 'must be a list of claims (where, says, kind, checked, source)');
  return v.map((c: unknown, i): Claim => {
    const field = `claims[${i}]`;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) fail(file, field, 'must have where, says, kind, checked and source');
    const claim = c as Raw;
    const known = new Set(['where', 'says', 'kind', 'checked', 'source', 'note']);
    for (const key of Object.keys(claim)) if (!known.has(key)) fail(file, `${field}.${key}`, `is not a claim field (use where, says, kind, checked, source, note)`);
    const where = str(file, claim, 'where').replace(/\s+/g, ' ').toLowerCase();
    const says = str(file, claim, 'says');
    const kind = str(file, claim, 'kind') as ClaimKind;
    if (!CLAIM_KINDS.includes(kind)) fail(file, `${field}.kind`, `"${kind}" must be one of ${CLAIM_KINDS.join(', ')}`);
    const checked = isoDate(file, claim, 'checked');
    const source = typeof claim.source === 'string' ? claim.source.trim() : '';
    let url: URL | undefined;
    try {
      url = new URL(source);
    } catch {
      fail(file, `${field}.source`, `is not a URL: "${source}"`);
    }
    if (url.protocol !== 'https:') fail(file, `${field}.source`, `must be https: "${source}"`);
    const note = claim.note === undefined ? undefined : str(file, claim, 'note');

    let text: string;
    let place: Pick<Claim, 'card' | 'step' | 'check'> = {};
    const card = /^card (\d+)(?: step (\d+))?$/.exec(where);
    const check = /^check (\d+)$/.exec(where);
    if (card) {
      const n = Number(card[1]);
      const body = cards[n - 1]?.body;
      if (body === undefined) fail(file, `${field}.where`, `"${where}": the file has ${cards.length} cards`);
      place = { card: n };
      text = body;
      if (card[2] !== undefined) {
        const step = numberedSteps(body).get(Number(card[2]));
        if (step === undefined) fail(file, `${field}.where`, `"${where}": card ${n} ("${cards[n - 1].title}") has no step ${card[2]}`);
        place = { card: n, step: Number(card[2]) };
        text = step;
      }
    } else if (check) {
      const q = checks[Number(check[1]) - 1];
      if (!q) fail(file, `${field}.where`, `"${where}": the file has ${checks.length} check questions`);
      place = { check: Number(check[1]) };
      text = [q.question, ...q.options.flatMap((o) => [o.text, o.feedback])].join('\n');
    } else if (where === 'answer') {
      text = answer;
    } else {
      fail(file, `${field}.where`, `"${where}" must be "card N", "card N step M", "check N" or "answer"`);
    }
    if (!claimText(text).includes(claimText(says))) fail(file, `${field}.says`, `"${says}" is not in ${where}: quote the words of the claim as they are written there`);
    return { where, ...place, says, kind, checked, source, ...(note === undefined ? {} : { note }) };
  });
}

interface Section {
  heading: string;
  body: string[];
  line: number;
}

function sections(text: string, firstLine: number): Section[] {
  const out: Section[] = [];
  let current: Section | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /^##\s+(.*)$/.exec(line);
    if (m) {
      current = { heading: m[1].trim(), body: [], line: firstLine + i };
      out.push(current);
    } else if (current) {
      current.body.push(line);
    } else if (line.trim() !== '' && !line.startsWith('# ')) {
      // Text before the first section is allowed only as a level-1 title line.
      out.push({ heading: '', body: [line], line: firstLine + i });
    }
  });
  return out;
}

function parseCheck(file: string, field: string, question: string, lines: string[]): CheckQuestion {
  const options: { text: string; correct: boolean; feedback: string[] }[] = [];
  for (const line of lines) {
    const opt = /^\s*[-*]\s+\[( |x|X)\]\s+(.+)$/.exec(line);
    const fb = /^\s+Feedback:\s*(.+)$/.exec(line);
    if (opt) options.push({ text: opt[2].trim(), correct: opt[1].toLowerCase() === 'x', feedback: [] });
    else if (fb && options.length > 0) options[options.length - 1].feedback.push(fb[1].trim());
    else if (line.trim() !== '' && options.length > 0 && /^\s+\S/.test(line)) {
      const last = options[options.length - 1];
      if (last.feedback.length > 0) last.feedback.push(line.trim());
      else fail(file, field, `option "${last.text}" needs an indented "Feedback:" line`);
    } else if (line.trim() !== '') fail(file, field, `unexpected line "${line.trim()}" (options are "- [x] text" or "- [ ] text")`);
  }
  if (options.length < 2 || options.length > 4) fail(file, field, `needs 2 to 4 options (has ${options.length})`);
  const correct = options.filter((o) => o.correct).length;
  if (correct !== 1) fail(file, field, `needs exactly one correct option marked [x] (has ${correct})`);
  const parsed: CheckOption[] = options.map((o, i) => {
    if (o.feedback.length === 0) fail(file, `${field}.options[${i}]`, `option "${o.text}" has no feedback`);
    return { text: o.text, correct: o.correct, feedback: o.feedback.join(' ') };
  });
  return { question, options: parsed };
}

function trimBody(lines: string[]): string {
  return lines.join('\n').trim();
}

/**
 * The front matter as plain data. Anything YAML only warns about (an unknown tag such as
 * `!!js/function`, a stray directive) is an error here too, as is alias expansion past the
 * yaml library's limit: content files are plain key: value lines.
 */
function frontMatter(file: string, yaml: string): unknown {
  try {
    const doc = parseDocument(yaml, { logLevel: 'silent', uniqueKeys: true });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) fail(file, 'front matter', `is not valid YAML: ${problem.message.split('\n')[0]}`);
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (e instanceof ContentError) throw e;
    return fail(file, 'front matter', `is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

/**
 * Parses one content file. Throws ContentError naming file and field on anything that breaks
 * content/FORMAT.md. Checks that need the whole set or today's date live in check.ts.
 */
export function parseLesson(text: string, filePath: string): Lesson {
  const file = basename(filePath);
  const fm = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!fm) fail(file, 'front matter', 'the file must start with a --- front matter block ---');
  const raw = frontMatter(file, fm[1]);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(file, 'front matter', 'must be a set of key: value lines');
  const meta = raw as Raw;

  const id = str(file, meta, 'id');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) fail(file, 'id', 'must be lowercase letters, digits and dashes');
  const topic = str(file, meta, 'topic');
  const known = topicByCode(topic);
  if (!known) fail(file, 'topic', `"${topic}" is not a syllabus topic code`);
  if (basename(filePath, '.md') !== topic) fail(file, 'topic', `must match the file name (${basename(filePath, '.md')})`);
  const audience = str(file, meta, 'audience') as Audience;
  if (!AUDIENCES.includes(audience)) fail(file, 'audience', `must be one of ${AUDIENCES.join(', ')}`);
  const minutes = Number(meta.minutes);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 30) fail(file, 'minutes', 'must be a whole number from 1 to 30');
  const masteryScore = meta.masteryScore === undefined ? 1 : Number(meta.masteryScore);
  if (!(masteryScore > 0 && masteryScore <= 1)) fail(file, 'masteryScore', 'must be a number above 0 and at most 1');
  const fw = meta.frameworks;
  if (typeof fw !== 'object' || fw === null) fail(file, 'frameworks', 'needs hee and eds');
  const hee = str(file, fw as Raw, 'hee') as HeeDomain;
  if (!HEE_DOMAINS.includes(hee)) fail(file, 'frameworks.hee', `"${hee}" is not an HEE domain`);
  const eds = str(file, fw as Raw, 'eds') as EdsArea;
  if (!EDS_AREAS.includes(eds)) fail(file, 'frameworks.eds', `"${eds}" is not an Essential Digital Skills area`);
  const related = strList(file, meta, 'related', 0);
  related.forEach((r, i) => {
    if (!topicByCode(r)) fail(file, `related[${i}]`, `"${r}" is not a syllabus topic code`);
  });

  const cards: Card[] = [];
  const checks: CheckQuestion[] = [];
  let answer: string | undefined;
  for (const s of sections(text.slice(fm[0].length), text.slice(0, fm[0].length).split('\n').length)) {
    const card = /^Card(?:\s*\[(nhs|social-care)\])?\s*:\s*(.+)$/i.exec(s.heading);
    const check = /^Check\s*:\s*(.+)$/i.exec(s.heading);
    if (card) {
      if (checks.length > 0) fail(file, `cards[${cards.length}]`, 'cards must come before the check questions');
      const body = trimBody(s.body);
      if (!body) fail(file, `cards[${cards.length}]`, `card "${card[2]}" is empty`);
      cards.push({ title: card[2].trim(), body, audience: (card[1]?.toLowerCase() as Audience | undefined) ?? 'both' });
    } else if (check) {
      checks.push(parseCheck(file, `checks[${checks.length}]`, check[1].trim(), s.body));
    } else if (/^Answer$/i.test(s.heading)) {
      if (answer !== undefined) fail(file, 'answer', 'there must be one ## Answer section');
      answer = trimBody(s.body);
      if (!answer) fail(file, 'answer', 'is empty');
    } else {
      fail(file, `line ${s.line}`, `unknown section "${s.heading || s.body[0]}" (use ## Card: ..., ## Check: ..., ## Answer)`);
    }
  }
  for (const aud of ['nhs', 'social-care'] as const) {
    const n = cards.filter((c) => c.audience === 'both' || c.audience === aud).length;
    if (n < 3 || n > 6) fail(file, 'cards', `needs 3 to 6 cards for the ${aud} audience (has ${n})`);
  }
  if (checks.length < 1 || checks.length > 3) fail(file, 'checks', `needs 1 to 3 check questions (has ${checks.length})`);
  if (answer === undefined) fail(file, 'answer', 'needs an ## Answer section for question answering');

  return {
    id,
    topic,
    area: known.area,
    title: str(file, meta, 'title'),
    summary: str(file, meta, 'summary'),
    audience,
    minutes,
    masteryScore,
    frameworks: { hee, eds },
    lastReviewed: isoDate(file, meta, 'lastReviewed'),
    reviewer: str(file, meta, 'reviewer'),
    sources: sources(file, meta),
    claims: claims(file, meta, cards, checks, answer),
    phrasings: strList(file, meta, 'phrasings', 3),
    keywords: strList(file, meta, 'keywords', 1),
    related,
    cards,
    checks,
    answer,
    file,
  };
}
