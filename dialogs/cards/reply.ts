import type { TurnContext } from 'botbuilder';
import type { CardMessage, Message } from './render.js';

const CARD_CHANNELS = new Set(['msteams', 'webchat', 'directline', 'emulator']);

export function channelShowsCards(channelId: string | undefined): boolean {
  return CARD_CHANNELS.has(channelId ?? '');
}

const REPLY = Symbol('academy.reply');

/**
 * The per-turn reply context: made once per turn from the channel the message came in on,
 * it sends card messages in the form that channel shows (Adaptive Card or plain text).
 */
export class ReplyContext {
  /** Whether this channel shows Adaptive Cards. */
  readonly cards: boolean;

  private constructor(private readonly ctx: TurnContext) {
    this.cards = channelShowsCards(ctx.activity.channelId);
  }

  /** The turn's reply context, made on first use and kept in the turn state. */
  static of(ctx: TurnContext): ReplyContext {
    const made = ctx.turnState.get<ReplyContext | undefined>(REPLY);
    if (made) return made;
    const reply = new ReplyContext(ctx);
    ctx.turnState.set(REPLY, reply);
    return reply;
  }

  /** The message in this channel's form. */
  render(message: CardMessage): Message {
    return this.cards ? message.card() : message.text();
  }

  /** Sends a card message in this channel's form, or a plain line of text. */
  async send(message: CardMessage | string): Promise<void> {
    await this.ctx.sendActivity(typeof message === 'string' ? message : this.render(message));
  }
}
