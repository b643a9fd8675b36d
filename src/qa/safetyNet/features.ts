/**
 * Features of the safety net: what a message looks like to the learned classifier.
 *
 * fastText-style: normalised word unigrams and bigrams, and character n-grams of each word
 * with boundary marks ("<lips>" gives "<li", "lip", ..., "ps>"), all hashed into a fixed
 * number of buckets. Character n-grams make misspellings, txt-speak and unseen word forms
 * land near the words they resemble. The normalisation is the net's own (it does not read
 * content/qa/synonyms.yaml), so the net stays independent of the rules and their data.
 */

export interface FeatureSpec {
  /** Number of hash buckets (a power of two). */
  readonly buckets: number;
  readonly wordBigrams: boolean;
  /** Character n-gram lengths; charMin 0 = none. */
  readonly charMin: number;
  readonly charMax: number;
  /** Weight of a character n-gram against a word or bigram (1 = the same). */
  readonly charWeight: number;
  /** Also read each clause alone, keeping the reading most like an emergency (prediction only). */
  readonly clauses?: boolean;
}

/** A sparse feature vector: distinct bucket ids and their values (unit L2 norm). */
export interface Features {
  readonly ids: Int32Array;
  readonly values: Float32Array;
}

/** Lowercase, plain letters, apostrophes dropped ("don't" = "dont"), anything else a space. */
export function netNormalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over a string's UTF-16 code units, seeded with a feature kind. */
function fnv(kind: number, s: string, from = 0, to = s.length): number {
  let h = Math.imul(FNV_OFFSET ^ kind, FNV_PRIME);
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

const WORD = 1;
const BIGRAM = 2;
const CHARS = 3;

/** The hashed features of a message (deterministic; the same text always gives the same ids). */
export function features(text: string, spec: FeatureSpec): Features {
  const words = netNormalise(text).split(' ').filter((w) => w !== '');
  const mask = spec.buckets - 1;
  // bucket -> value; a word feature wins over a character n-gram that lands in the same bucket
  const found = new Map<number, number>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    found.set(fnv(WORD, w) & mask, 1);
    if (spec.wordBigrams && i > 0) found.set(fnv(BIGRAM, `${words[i - 1] ?? ''} ${w}`) & mask, 1);
    if (spec.charMin > 0) addCharGrams(`<${w}>`, spec, mask, found);
  }
  const ids = Int32Array.from(found.keys());
  const values = Float32Array.from(found.values());
  let norm = 0;
  for (const v of values) norm += v * v;
  const scale = norm === 0 ? 0 : 1 / Math.sqrt(norm);
  for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) * scale;
  return { ids, values };
}

function addCharGrams(marked: string, spec: FeatureSpec, mask: number, found: Map<number, number>): void {
  for (let n = spec.charMin; n <= spec.charMax; n++) {
    // the whole marked word is already a unigram feature
    if (n >= marked.length) break;
    for (let i = 0; i + n <= marked.length; i++) {
      const id = fnv(CHARS, marked, i, i + n) & mask;
      if (!found.has(id)) found.set(id, spec.charWeight);
    }
  }
}
