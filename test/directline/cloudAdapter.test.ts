import { expect } from 'chai';
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory } from 'botbuilder';
import { testIdentity } from '../support/identity.js';
import { registerDirectLine, type DirectLine } from '../../src/directline/routes.js';
import { randomIds, systemClock } from '../../src/ports.js';
import { waitFor } from '../helpers/poll.js';
import { listen, type Running } from './helpers.js';

type Json = Record<string, unknown>;

/** The real thing: botbuilder's CloudAdapter with no app id (local development, anonymous). */
class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id !== context.activity.recipient.id) {
          await context.sendActivity('Welcome!');
          await context.sendActivity('Pick a lesson.');
        }
      }
      await next();
    });
    this.onMessage(async (context, next) => {
      await context.sendActivity({ type: 'typing' });
      const sent = await context.sendActivity(MessageFactory.text(`Echo: ${context.activity.text ?? ''}`));
      await context.updateActivity({ ...MessageFactory.text(`Echo (edited): ${context.activity.text ?? ''}`), id: sent?.id });
      await next();
    });
  }
}

describe('directline with botbuilder CloudAdapter (anonymous)', () => {
  let app: Running;
  let dl: DirectLine;
  const errors: unknown[] = [];

  before(async () => {
    app = await listen();
    // No MicrosoftAppId: authentication is disabled and replies carry no bearer token.
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    adapter.onTurnError = async (_context, error) => {
      errors.push(error);
    };
    const bot = new EchoBot();
    app.server.post('/api/messages', restify.plugins.bodyParser({ maxBodySize: 512 * 1024 }), async (req, res) => {
      await adapter.process(req, res, (context) => bot.run(context));
    });
    dl = registerDirectLine(app.server, {
      botEndpoint: `${app.baseUrl}/api/messages`,
      selfBaseUrl: app.baseUrl,
      tokenSecret: Buffer.from('cloud adapter test secret 123456'),
      clock: systemClock,
      ids: randomIds,
      log: (m) => errors.push(m),
      identity: testIdentity(),
    });
  });

  after(async () => {
    await dl.idle();
    await app.close();
  });

  it('greets, echoes, sends typing and updates through the connector routes', async () => {
    const post = async (path: string, token: string, body?: unknown): Promise<Json> => {
      const r = await fetch(`${app.baseUrl}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
      expect(r.status, path).to.be.oneOf([200, 201]);
      return (await r.json()) as Json;
    };
    const issued = (await (await fetch(`${app.baseUrl}/api/directline/token`, { method: 'POST' })).json()) as Json;
    const started = await post('/v3/directline/conversations', String(issued.token));
    const token = String(started.token);
    const id = String(started.conversationId);
    const poll = async (): Promise<Json[]> => {
      const r = await fetch(`${app.baseUrl}/v3/directline/conversations/${id}/activities`, { headers: { Authorization: `Bearer ${token}` } });
      return ((await r.json()) as { activities: Json[] }).activities;
    };

    await waitFor('greeting', async () => ((await poll()).length >= 2 ? true : undefined));
    await post(`/v3/directline/conversations/${id}/activities`, token, { type: 'message', text: 'hi there', channelData: { clientActivityID: 'c1' } });
    const activities = await waitFor('edited echo', async () => {
      const all = await poll();
      return all.some((a) => a.text === 'Echo (edited): hi there') ? all : undefined;
    });
    await dl.idle();
    expect(errors).to.deep.equal([]);
    expect(activities.map((a) => [a.type, (a.from as Json).role, a.text])).to.deep.equal([
      ['message', 'bot', 'Welcome!'],
      ['message', 'bot', 'Pick a lesson.'],
      ['message', 'user', 'hi there'],
      ['typing', 'bot', undefined],
      ['message', 'bot', 'Echo (edited): hi there'],
    ]);
    const user = activities[2]!;
    expect(activities[4]).to.include({ replyToId: user.id });
    expect(activities[3]).to.include({ replyToId: user.id });
  });
});
