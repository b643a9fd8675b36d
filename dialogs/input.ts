import type { Activity } from 'botbuilder';

/** What the learner asked for, whether by a card button, a suggested action or typed text. */
export type Input =
  | { readonly kind: 'role'; readonly role: 'nhs' | 'social-care' | 'champion' }
  | { readonly kind: 'menu' }
  | { readonly kind: 'help' }
  | { readonly kind: 'progress' }
  | { readonly kind: 'course'; readonly area: string }
  | { readonly kind: 'start'; readonly lessonId: string; readonly check?: boolean }
  | { readonly kind: 'next'; readonly at?: string }
  | { readonly kind: 'back'; readonly at?: string }
  | { readonly kind: 'stop' }
  | { readonly kind: 'answer'; readonly option: number; readonly at?: string }
  | { readonly kind: 'selfcheck' }
  | { readonly kind: 'rate'; readonly rating: 'yes' | 'not-sure' | 'no'; readonly at?: string }
  | { readonly kind: 'skip'; readonly at?: string }
  | { readonly kind: 'privacy' }
  | { readonly kind: 'erase' }
  | { readonly kind: 'erase-confirm' }
  | { readonly kind: 'topic'; readonly topic: string }
  | { readonly kind: 'rate-answer'; readonly topic: string; readonly helpful: boolean }
  | { readonly kind: 'ask-champion' }
  | { readonly kind: 'ask-champion-confirm' }
  | { readonly kind: 'champion-reply'; readonly request: string; readonly reply: string }
  | { readonly kind: 'champions-here' }
  | { readonly kind: 'champion-name'; readonly share: boolean }
  | { readonly kind: 'resume-code' }
  | { readonly kind: 'revoke-resume-code' }
  | { readonly kind: 'hello' }
  /** "Something wrong with this card?": a card button carries the lesson and card (file position); typed, it means the card on screen. */
  | { readonly kind: 'report-card'; readonly lessonId?: string; readonly card?: number }
  | { readonly kind: 'report-card-note'; readonly report: string; readonly note: string }
  /** "This is not an emergency – show me the answer", under a possible-emergency card. */
  | { readonly kind: 'not-emergency' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'none' };

/** The data our card buttons submit: `{ academy: <kind>, ... }`. */
export interface ButtonData {
  readonly academy: string;
  readonly role?: string;
  readonly area?: string;
  readonly lesson?: string;
  /** With `start`: go straight to the lesson's check (after a finish below the pass mark). */
  readonly check?: boolean;
  readonly option?: number;
  readonly rating?: string;
  readonly topic?: string;
  readonly helpful?: boolean;
  readonly request?: string;
  /** A champion's typed reply (an Input.Text in the card). */
  readonly reply?: string;
  /** A lesson card's position in its file (0-based), for "Something wrong with this card?". */
  readonly card?: number;
  /** The learner's card report, and the note typed in its card. */
  readonly report?: string;
  readonly note?: string;
  /** Where the card was in its lesson or self-check: a button from an older card is not taken for the current one. */
  readonly at?: string;
}

/** The button under a possible-emergency card (also understood when typed). */
export const NOT_EMERGENCY = 'This is not an emergency – show me the answer';

const WORDS: Record<string, Input> = {
  menu: { kind: 'menu' },
  'go to the menu': { kind: 'menu' },
  'back to the menu': { kind: 'menu' },
  'no, keep it': { kind: 'menu' },
  'main menu': { kind: 'menu' },
  courses: { kind: 'menu' },
  lessons: { kind: 'menu' },
  help: { kind: 'help' },
  '?': { kind: 'help' },
  progress: { kind: 'progress' },
  'my progress': { kind: 'progress' },
  next: { kind: 'next' },
  'next card': { kind: 'next' },
  'carry on': { kind: 'next' },
  continue: { kind: 'next' },
  back: { kind: 'back' },
  previous: { kind: 'back' },
  stop: { kind: 'stop' },
  'stop lesson': { kind: 'stop' },
  quit: { kind: 'stop' },
  'nhs staff': { kind: 'role', role: 'nhs' },
  'social care': { kind: 'role', role: 'social-care' },
  'digital champion': { kind: 'role', role: 'champion' },
  'check my skills': { kind: 'selfcheck' },
  'skills check': { kind: 'selfcheck' },
  'self check': { kind: 'selfcheck' },
  'self-check': { kind: 'selfcheck' },
  yes: { kind: 'rate', rating: 'yes' },
  'not sure': { kind: 'rate', rating: 'not-sure' },
  no: { kind: 'rate', rating: 'no' },
  skip: { kind: 'skip' },
  privacy: { kind: 'privacy' },
  'my data': { kind: 'privacy' },
  'what do you keep about me': { kind: 'privacy' },
  'what do you know about me': { kind: 'privacy' },
  'what do you store about me': { kind: 'privacy' },
  'what data do you keep': { kind: 'privacy' },
  'delete my data': { kind: 'erase' },
  'erase my data': { kind: 'erase' },
  'forget me': { kind: 'erase' },
  'yes, delete my data': { kind: 'erase-confirm' },
  'ask a champion': { kind: 'ask-champion' },
  'yes, send it': { kind: 'ask-champion-confirm' },
  'champions here': { kind: 'champions-here' },
  'share my first name': { kind: 'champion-name', share: true },
  'resume code': { kind: 'resume-code' },
  'my resume code': { kind: 'resume-code' },
  'revoke resume code': { kind: 'revoke-resume-code' },
  'hide my name': { kind: 'champion-name', share: false },
  'something wrong with this card': { kind: 'report-card' },
  'report this card': { kind: 'report-card' },
  'report a problem': { kind: 'report-card' },
  hi: { kind: 'hello' },
  hello: { kind: 'hello' },
  hey: { kind: 'hello' },
  hiya: { kind: 'hello' },
  start: { kind: 'hello' },
  'get started': { kind: 'hello' },
  'good morning': { kind: 'hello' },
  'good afternoon': { kind: 'hello' },
  [NOT_EMERGENCY.toLowerCase()]: { kind: 'not-emergency' },
  'this is not an emergency - show me the answer': { kind: 'not-emergency' },
  'this is not an emergency': { kind: 'not-emergency' },
  'not an emergency': { kind: 'not-emergency' },
};

function fromButton(value: unknown): Input | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const data = value as Partial<ButtonData>;
  switch (data.academy) {
    case 'role':
      return data.role === 'nhs' || data.role === 'social-care' || data.role === 'champion' ? { kind: 'role', role: data.role } : undefined;
    case 'menu':
    case 'help':
    case 'progress':
    case 'next':
    case 'back':
    case 'skip':
      return { kind: data.academy, ...(typeof data.at === 'string' ? { at: data.at } : {}) };
    case 'stop':
    case 'selfcheck':
    case 'privacy':
    case 'resume-code':
    case 'revoke-resume-code':
    case 'erase':
    case 'erase-confirm':
      return { kind: data.academy };
    case 'ask-champion':
    case 'ask-champion-confirm':
    case 'not-emergency':
      return { kind: data.academy };
    case 'topic':
      return typeof data.topic === 'string' ? { kind: 'topic', topic: data.topic } : undefined;
    case 'rate-answer':
      return typeof data.topic === 'string' && typeof data.helpful === 'boolean' ? { kind: 'rate-answer', topic: data.topic, helpful: data.helpful } : undefined;
    case 'champion-reply':
      return typeof data.request === 'string' && typeof data.reply === 'string' ? { kind: 'champion-reply', request: data.request, reply: data.reply } : undefined;
    case 'report-card':
      return typeof data.lesson === 'string' && Number.isInteger(data.card) ? { kind: 'report-card', lessonId: data.lesson, card: Number(data.card) } : { kind: 'report-card' };
    case 'report-card-note':
      return typeof data.report === 'string' && typeof data.note === 'string' ? { kind: 'report-card-note', report: data.report, note: data.note } : undefined;
    case 'rate':
      return data.rating === 'yes' || data.rating === 'not-sure' || data.rating === 'no' ? { kind: 'rate', rating: data.rating, ...(typeof data.at === 'string' ? { at: data.at } : {}) } : undefined;
    case 'course':
      return typeof data.area === 'string' ? { kind: 'course', area: data.area } : undefined;
    case 'start':
      return typeof data.lesson === 'string' ? { kind: 'start', lessonId: data.lesson, ...(data.check === true ? { check: true } : {}) } : undefined;
    case 'answer':
      return Number.isInteger(data.option) ? { kind: 'answer', option: Number(data.option), ...(typeof data.at === 'string' ? { at: data.at } : {}) } : undefined;
    default:
      return undefined;
  }
}

/** Normalises an incoming message; never throws, whatever the channel sends. */
export function readInput(activity: Partial<Activity>): Input {
  const button = fromButton(activity.value);
  if (button) return button;
  const raw = typeof activity.text === 'string' ? activity.text : '';
  // Teams puts "<at>Bot</at>" mentions in channel messages.
  const text = raw.replace(/<at>[^<]*<\/at>/g, '').replace(/\s+/g, ' ').trim();
  if (!text) return { kind: 'none' };
  const key = text.toLowerCase().replace(/[’]/g, "'").replace(/[.!?]+$/, '');
  // Own keys only: "constructor" or "toString" typed in chat is text, not Object.prototype's.
  return Object.hasOwn(WORDS, key) ? WORDS[key] : { kind: 'text', text };
}
