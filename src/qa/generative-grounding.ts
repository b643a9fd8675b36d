/**
 * Pure checks around a generative answer: what is taken out of a question before it leaves
 * the machine, and whether a reply is grounded in the passages it was given.
 */
import type { AskSource } from './engine.js';
import { NO_ANSWER, type GroundingPassage } from './generative-prompt.js';

/**
 * Takes personal details out of a question before it is sent to a model: email addresses,
 * NHS numbers and other long numbers, UK phone numbers and postcodes. Names cannot be found
 * reliably and are left; the bot never adds the learner's name or id.
 */
export function redact(question: string): string {
  return question
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '(email)')
    .replace(/(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\b/g, '(phone number)')
    .replace(/\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b/g, '(number)')
    .replace(/\b\d{6,}\b/g, '(number)')
    .replace(/\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/gi, '(postcode)');
}

/** One passage the answer cites, numbered as in the answer text. */
export interface Citation {
  /** The number used in the text: [n]. */
  readonly n: number;
  readonly topic: string;
  readonly title: string;
  readonly sources: readonly AskSource[];
}

export type Grounding =
  | { readonly ok: true; readonly text: string; readonly citations: readonly Citation[]; readonly sources: readonly AskSource[] }
  | { readonly ok: false; readonly reason: string };

const CITATION = /\[(\d+(?:\s*,\s*\d+)*)\]/g;
const URL = /https?:\/\/[^\s)\]>"']+/g;

/** Every number cited in `text`, in order of first use. */
export function citedNumbers(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(CITATION)) {
    for (const part of (m[1] ?? '').split(',')) {
      const n = Number(part.trim());
      if (!out.includes(n)) out.push(n);
    }
  }
  return out;
}

/**
 * Checks a model reply against the passages it was given: not the no-answer sentinel, at
 * least one citation, every citation a passage that exists, and no web address that is not
 * in the passages or their sources. Maps the citations back to the passages' sources.
 */
export function ground(reply: string, passages: readonly GroundingPassage[]): Grounding {
  const text = reply.trim();
  if (text === '') return { ok: false, reason: 'empty reply' };
  if (text.includes(NO_ANSWER)) return { ok: false, reason: 'the model said the passages do not answer it' };
  const numbers = citedNumbers(text);
  if (numbers.length === 0) return { ok: false, reason: 'no citation' };
  const missing = numbers.filter((n) => !Number.isInteger(n) || n < 1 || n > passages.length);
  if (missing.length > 0) return { ok: false, reason: `cites passage ${missing.join(', ')}, which was not given` };
  const known = passages.flatMap((p) => [p.text, ...p.sources.map((s) => s.url)]).join('\n');
  const invented = [...text.matchAll(URL)].map((m) => m[0].replace(/[.,;:!?]+$/, '')).filter((u) => !known.includes(u));
  if (invented.length > 0) return { ok: false, reason: `gives a web address not in the passages: ${invented[0]}` };

  const citations = numbers.map((n): Citation => {
    const p = passages[n - 1]!;
    return { n, topic: p.topic, title: p.title, sources: p.sources };
  });
  const sources: AskSource[] = [];
  for (const c of citations) for (const s of c.sources) if (!sources.some((x) => x.url === s.url)) sources.push(s);
  return { ok: true, text, citations, sources };
}
