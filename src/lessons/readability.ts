import { fleschKincaid } from 'flesch-kincaid';
import { syllable } from 'syllable';

export interface Readability {
  readonly words: number;
  readonly sentences: number;
  /** Flesch–Kincaid grade level (US school grade). */
  readonly grade: number;
  /** Reading age in years: grade + 5, the usual conversion. */
  readonly readingAge: number;
}

/** Markdown to the words a learner reads: no link targets, list marks or emphasis. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, 'link')
    .replace(/^\s*(?:[-*]|\d+\.)\s+/gm, '')
    .replace(/[*_`#>]/g, '')
    .trim();
}

/**
 * Reading measures for one card, with the maintained flesch-kincaid and syllable packages.
 * Each list item and line counts as a sentence, as a reader takes it.
 */
export function readability(markdown: string): Readability {
  const text = plainText(markdown);
  const sentences = text
    .split(/(?<=[.!?:;])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /[A-Za-z0-9]/.test(s));
  const words = text.match(/[A-Za-z0-9][A-Za-z0-9'’-]*/g) ?? [];
  const syllables = words.reduce((n, w) => n + (/^\d/.test(w) ? 1 : syllable(w)), 0);
  const counts = { sentence: Math.max(1, sentences.length), word: Math.max(1, words.length), syllable: syllables };
  const grade = words.length === 0 ? 0 : fleschKincaid(counts);
  return { words: words.length, sentences: sentences.length, grade, readingAge: grade + 5 };
}
