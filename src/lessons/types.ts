/** The typed contract of the lessons capability: what a parsed content file holds. */

export type Audience = 'nhs' | 'social-care' | 'both';
export const AUDIENCES: readonly Audience[] = ['nhs', 'social-care', 'both'];

export const HEE_DOMAINS = [
  'digital identity, wellbeing, safety and security',
  'teaching, learning and self-development',
  'communication, collaboration and participation',
  'technical proficiency',
  'information, data and content',
  'creation, innovation and research',
] as const;
export type HeeDomain = (typeof HEE_DOMAINS)[number];

export const EDS_AREAS = [
  'foundation skills',
  'communicating',
  'handling information and content',
  'transacting',
  'problem solving',
  'being safe and legal online',
] as const;
export type EdsArea = (typeof EDS_AREAS)[number];

export interface Source {
  readonly title: string;
  readonly url: string;
}

export interface Card {
  readonly title: string;
  /** Markdown body. */
  readonly body: string;
  /** Which learners see it; `both` for an unmarked card. */
  readonly audience: Audience;
}

export interface CheckOption {
  readonly text: string;
  readonly correct: boolean;
  readonly feedback: string;
}

export interface CheckQuestion {
  readonly question: string;
  readonly options: readonly CheckOption[];
}

/**
 * What a marked claim is: the kinds of fact that drift and must be rechecked (content/FORMAT.md).
 * The first five must always be marked; `fact` is any other checked fact (what a service does).
 */
export const CLAIM_KINDS = ['menu path', 'phone number', 'age limit', 'deadline', 'law', 'fact'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

/**
 * A fact in a lesson that goes out of date (a menu path, phone number, age limit, deadline or
 * law), with the day it was last checked against its official source.
 */
export interface Claim {
  /** Where it is, as written in the file: `card 2`, `card 2 step 3`, `check 1` or `answer`. */
  readonly where: string;
  /** 1-based card position in the file (the card's id in xAPI, `.../card/N`), for card claims. */
  readonly card?: number;
  /** The numbered step in that card, when the claim names one. */
  readonly step?: number;
  /** 1-based check question position, for check claims. */
  readonly check?: number;
  /** The words of the claim, found in that place of the lesson. */
  readonly says: string;
  readonly kind: ClaimKind;
  /** YYYY-MM-DD: the day it was last checked against `source`. */
  readonly checked: string;
  /** The https page it was checked against. */
  readonly source: string;
  /** Optional: what the checker could not confirm, or why the wording is as it is. */
  readonly note?: string;
}

export interface Lesson {
  /** Stable lesson id, used in activity ids. */
  readonly id: string;
  readonly topic: string;
  readonly area: string;
  readonly title: string;
  readonly summary: string;
  readonly audience: Audience;
  readonly minutes: number;
  /** Share of check questions to answer right to pass, 0..1. */
  readonly masteryScore: number;
  readonly frameworks: { readonly hee: HeeDomain; readonly eds: EdsArea };
  /** YYYY-MM-DD */
  readonly lastReviewed: string;
  readonly reviewer: string;
  readonly sources: readonly Source[];
  /** Facts that drift, each with its checked date and source (front matter `claims`). */
  readonly claims: readonly Claim[];
  readonly phrasings: readonly string[];
  readonly keywords: readonly string[];
  readonly related: readonly string[];
  readonly cards: readonly Card[];
  readonly checks: readonly CheckQuestion[];
  /** The reviewed answer for digital champions (Markdown). */
  readonly answer: string;
  /** Where it came from, for error messages. */
  readonly file: string;
}

/** The cards a learner of this audience sees (learners who said "digital champion" see the `both` and `nhs` set unless they work in social care). */
export function cardsFor(lesson: Lesson, audience: Audience): readonly Card[] {
  if (audience === 'both') return lesson.cards.filter((c) => c.audience !== 'social-care');
  return lesson.cards.filter((c) => c.audience === 'both' || c.audience === audience);
}
