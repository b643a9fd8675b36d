/**
 * Text normalisation shared by triage and retrieval.
 *
 * Layers, in order:
 * 1. Unicode clean-up: lowercase, accents off, curly quotes straightened.
 * 2. Apostrophes removed (the content is written without them: "cant", "mums", "im").
 * 3. Punctuation to spaces, keeping characters that carry meaning inside a token
 *    (a&e, nhs.uk, report@phishing.gov.uk, ctrl+c).
 * 4. Word replacements from data (`spellings`): misspellings and txt-speak ("appt", "pls", "u").
 * 5. Phrase rewrites from data (`phrases`): multi-word forms to one canonical form
 *    ("log in", "sign in" -> "login"; "can not" -> "cant").
 *
 * The same normalised text feeds the triage patterns and the retrieval tokeniser, so a
 * spelling fix helps both.
 */

export interface NormaliseData {
  /** Single word -> replacement (one or more words). */
  readonly spellings: ReadonlyMap<string, string>;
  /** Multi-word rewrites, applied after spellings, longest first. */
  readonly phrases: readonly PhraseRule[];
}

export interface PhraseRule {
  readonly from: RegExp;
  readonly to: string;
}

/**
 * Builds a phrase rule matching whole words (spaces inside `from` match any run of spaces).
 * A `from` starting "re:" is a regular expression over the normalised text instead
 * ("re:\\b(?:[1-9]|1[0-7]) year olds?\\b" -> "child").
 */
export function phraseRule(from: string, to: string): PhraseRule {
  if (from.startsWith('re:')) return { from: new RegExp(from.slice(3), 'g'), to: ` ${to} ` };
  const body = from
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  return { from: new RegExp(`(?<![\\w&@.+])${body}(?![\\w&@+])`, 'g'), to };
}

const TOKEN_CHARS = /[^a-z0-9&@.+#\s]/g;

/** Steps 1 to 3: a lowercase string of space-separated raw tokens. */
export function cleanText(text: string): string {
  let s = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  s = s.replace(/[\u2018\u2019\u02bc`´]/g, "'").replace(/[\u201c\u201d]/g, '"');
  // a & e, a and e -> a&e before punctuation is stripped
  s = s.replace(/\ba\s*(?:&|and|\+)\s*e\b/g, 'a&e');
  s = s.replace(/'/g, '');
  s = s.replace(/[-_/\\]/g, ' ');
  s = s.replace(TOKEN_CHARS, ' ');
  // dots and pluses only survive inside tokens (nhs.uk, 111.nhs.uk, ctrl+c)
  s = s
    .split(/\s+/)
    .map((t) => t.replace(/^[.+@#]+|[.+@#]+$/g, ''))
    .filter((t) => t.length > 0)
    .join(' ');
  return s;
}

/** The full normalisation: clean, then word replacements, then phrase rewrites. */
export function normalise(text: string, data: NormaliseData): string {
  const words = cleanText(text).split(' ');
  const out: string[] = [];
  for (const w of words) {
    if (w === '') continue;
    out.push(data.spellings.get(w) ?? w);
  }
  let s = ' ' + out.join(' ') + ' ';
  for (const rule of data.phrases) s = s.replace(rule.from, rule.to);
  return s.replace(/\s+/g, ' ').trim();
}

/** Whole words of a normalised string. */
export function words(normalised: string): string[] {
  return normalised.length === 0 ? [] : normalised.split(' ');
}

const IRREGULAR: Record<string, string> = {
  using: 'use',
  used: 'use',
  uses: 'use',
  children: 'child',
  kids: 'child',
  kid: 'child',
  men: 'man',
  women: 'woman',
  people: 'person',
  does: 'do',
  did: 'do',
  done: 'do',
  doing: 'do',
  went: 'go',
  gone: 'go',
  going: 'go',
  sent: 'send',
  got: 'get',
  gotten: 'get',
  lost: 'lose',
  stolen: 'steal',
  stole: 'steal',
  forgot: 'forget',
  forgotten: 'forget',
  saw: 'see',
  seen: 'see',
  wrote: 'write',
  written: 'write',
  made: 'make',
  took: 'take',
  taken: 'take',
  gave: 'give',
  given: 'give',
  kept: 'keep',
  left: 'leave',
  paid: 'pay',
  said: 'say',
  says: 'say',
  told: 'tell',
  bought: 'buy',
  ran: 'run',
  began: 'begin',
  came: 'come',
  broke: 'break',
  broken: 'break',
  chose: 'choose',
  chosen: 'choose',
  known: 'know',
  knew: 'know',
  spoke: 'speak',
  spoken: 'speak',
  shown: 'show',
  hidden: 'hide',
  mice: 'mouse',
};

/** Words the suffix rules would spoil ("readings" must not become "read"). */
const PROTECTED: Record<string, string> = {
  reading: 'reading',
  readings: 'reading',
  setting: 'setting',
  settings: 'setting',
  news: 'news',
  series: 'series',
  during: 'during',
};

const VOWEL = /[aeiouy]/;
const NO_UNDOUBLE = new Set(['l', 's', 'z']);

/**
 * A light English stemmer (plural, -ing, -ed, final e), the same for index and query, so
 * "booking", "booked", "books" and "book" meet; "sharing", "shared" and "share" meet.
 * Tokens with digits or symbols are left alone.
 */
export function stem(word: string): string {
  const kept = PROTECTED[word];
  if (kept !== undefined) return kept;
  const irr = IRREGULAR[word];
  if (irr !== undefined) return stemBase(irr);
  return stemBase(word);
}

function stemBase(word: string): string {
  if (word.length <= 3 || /[^a-z]/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  let stripped = false;
  if (w.endsWith('ing') && w.length > 5 && VOWEL.test(w.slice(0, -3))) {
    w = w.slice(0, -3);
    stripped = true;
  } else if (w.endsWith('ed') && w.length > 4 && VOWEL.test(w.slice(0, -2)) && !w.endsWith('eed')) {
    w = w.slice(0, -2);
    stripped = true;
  }
  if (stripped) {
    const last = w[w.length - 1] ?? '';
    if (w.length > 3 && last === w[w.length - 2] && !VOWEL.test(last) && !NO_UNDOUBLE.has(last)) w = w.slice(0, -1);
  }
  if (w.endsWith('e') && w.length > 3 && !w.endsWith('ee')) w = w.slice(0, -1);
  if (w.endsWith('y') && w.length > 3 && !VOWEL.test(w[w.length - 2] ?? '')) w = w.slice(0, -1) + 'i';
  return w;
}
