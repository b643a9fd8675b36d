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
