import type { Server } from 'restify';
import { readBody } from './helpers.js';

type Json = Record<string, unknown>;

export interface FakeBot {
  /** Every activity the bot received, in order. */
  readonly received: Json[];
  /** Responses from the connector to the bot's replies. */
  readonly replies: { status: number; body: unknown }[];
  delayMs: number;
  status: number;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Posts an activity to the Bot Connector route named by the incoming activity's serviceUrl. */
export async function replyTo(incoming: Json, reply: Json): Promise<{ status: number; body: unknown }> {
  const conversation = incoming.conversation as Json;
  const url = `${str(incoming.serviceUrl)}/v3/conversations/${encodeURIComponent(str(conversation.id))}/activities/${encodeURIComponent(str(incoming.id))}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      from: incoming.recipient,
      recipient: incoming.from,
      conversation,
      replyToId: incoming.id,
      ...reply,
    }),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

/**
 * A tiny bot at POST /api/messages: greets on conversationUpdate (two messages, like a welcome
 * and a menu) and answers a message with "You said: …".
 */
export function installFakeBot(server: Server): FakeBot {
  const bot: FakeBot = { received: [], replies: [], delayMs: 0, status: 200 };
  server.post('/api/messages', async (req, res) => {
    const activity = (await readBody(req)) as Json;
    bot.received.push(activity);
    if (bot.delayMs) await new Promise((r) => setTimeout(r, bot.delayMs));
    if (activity.type === 'conversationUpdate') {
      bot.replies.push(await replyTo(activity, { text: 'Welcome to the Digital Skills Academy.' }));
      bot.replies.push(await replyTo(activity, { text: 'Type a topic to start a lesson.' }));
    } else if (activity.type === 'message') {
      bot.replies.push(await replyTo(activity, { text: `You said: ${str(activity.text)}` }));
    }
    res.writeHead(bot.status, { 'Content-Type': 'text/plain' });
    res.end(bot.status >= 400 ? 'bot failed' : '');
  });
  return bot;
}
