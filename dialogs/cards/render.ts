import { ActionTypes, CardFactory, type Activity, type Attachment, type CardAction } from 'botbuilder';
import type { ButtonData } from '../input.js';

/**
 * What every card factory builds on. A factory is a pure function from what to show to a
 * `CardMessage`: the same content as an Adaptive Card, where the channel shows them, and as
 * plain text with suggested actions whose text the bot understands when typed. Which form a
 * turn sends is the reply context's choice (./reply.ts), not the factory's.
 */

export interface Button {
  readonly title: string;
  readonly data: ButtonData;
  /** The main action of the card (Next): shown first in emphasis, focused first. */
  readonly primary?: boolean;
}

/** A message activity as sent. */
export type Message = Partial<Activity>;

/** A card factory's result: the message in both forms, made when the reply context asks for one. */
export interface CardMessage {
  /** The Adaptive Card form (Teams, Web Chat, Direct Line, the emulator). */
  readonly card: () => Message;
  /** The plain-text form, for channels that show no cards. */
  readonly text: () => Message;
}

export interface Block {
  readonly type: string;
  readonly [key: string]: unknown;
}

export const heading = (text: string, size: 'Medium' | 'Large' = 'Medium'): Block => ({ type: 'TextBlock', text, size, weight: 'Bolder', wrap: true, style: 'heading' });
export const para = (text: string, extra: Record<string, unknown> = {}): Block => ({ type: 'TextBlock', text, wrap: true, ...extra });
export const note = (text: string): Block => para(text, { isSubtle: true, size: 'Small', spacing: 'Small' });

export function markdownBlocks(markdown: string): Block[] {
  return markdown
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => para(p.replace(/\n/g, '\r')));
}

/** A progress bar as text, readable by screen readers as "3 of 9". */
export function bar(done: number, total: number): string {
  const width = 10;
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return '▓'.repeat(filled) + '░'.repeat(width - filled);
}

/** A date as "4 December 2026" (UTC), or '' when there is none. */
export const day = (iso: string | undefined) => (iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) : '');

/** The Adaptive Card of a message: schema, version and the given body, actions and speech. */
export function adaptiveCard(content: { readonly speak?: string; readonly body: readonly Block[]; readonly actions: readonly Block[] }): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    ...content,
  });
}

/** The content of a standard card: what is said, shown as blocks or as text, and its buttons. */
export interface View {
  readonly speak: string;
  readonly blocks: Block[];
  readonly text: string;
  readonly buttons: readonly Button[];
}

/** A standard card in both forms. */
export function view(v: View): CardMessage {
  return {
    card: () => {
      const card = adaptiveCard({
        speak: v.speak,
        body: v.blocks,
        actions: v.buttons.map((b) => ({
          type: 'Action.Submit',
          title: b.title,
          ...(b.primary ? { style: 'positive' } : {}),
          // Plain Action.Submit data: Teams, Agents Playground and Web Chat all post it as the activity's `value`.
          data: { ...b.data },
        })),
      });
      return { type: 'message', attachments: [card], speak: v.speak, text: '', inputHint: 'expectingInput' };
    },
    text: () => {
      const actions: CardAction[] = v.buttons.map((b) => ({ type: ActionTypes.ImBack, title: b.title, value: b.title }));
      return { type: 'message', text: v.text, speak: v.speak, suggestedActions: { actions, to: [] }, inputHint: 'expectingInput' };
    },
  };
}
