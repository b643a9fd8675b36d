import { expect } from 'chai';
import { registerDirectLine, type ChatIdentity, type DirectLine } from '../../src/directline/routes.js';
import { cookieValue } from '../../src/identity/cookie.js';
import { installFakeBot, type FakeBot } from './fakeBot.js';
import { waitFor } from '../helpers/poll.js';
import { counterIds, FixedClock, listen, readBody, type Running } from './helpers.js';

type Json = Record<string, unknown>;
const tokenSecret = Buffer.from('a test secret of at least 16 bytes');
/** The learner is whoever the request's "learner" cookie names (the real identity signs its cookie; see test/security/). */
const identity: ChatIdentity = { learnerFor: (req) => ({ learnerId: cookieValue(req.headers.cookie, 'learner') ?? 'dl_newlearner01' }) };

interface Reply {
  status: number;
  body: Json;
  headers: Headers;
}

async function call(method: string, url: string, options: { token?: string; body?: unknown; raw?: string; learner?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.learner) headers.Cookie = `learner=${options.learner}`;
  if (options.body !== undefined || options.raw !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

function activitiesOf(reply: Reply): Json[] {
  return reply.body.activities as Json[];
}

describe('directline routes (local Direct Line + connector)', () => {
  let app: Running;
  let bot: FakeBot;
  let dl: DirectLine;
  let clock: FixedClock;
  let logs: string[];

  beforeEach(async () => {
    app = await listen();
    bot = installFakeBot(app.server);
    clock = new FixedClock();
    logs = [];
    dl = registerDirectLine(app.server, {
      botEndpoint: `${app.baseUrl}/api/messages`,
      selfBaseUrl: app.baseUrl,
      tokenSecret,
      clock,
      ids: counterIds('conv'),
      botId: 'academy-bot',
      log: (m) => logs.push(m),
      identity,
    });
  });

  afterEach(async () => {
    await dl.idle();
    await app.close();
  });

  async function startConversation(learner?: string): Promise<{ token: string; conversationId: string; userId: string }> {
    const issued = await call('POST', `${app.baseUrl}/api/directline/token`, { body: {}, ...(learner ? { learner } : {}) });
    expect(issued.status).to.equal(200);
    const started = await call('POST', `${app.baseUrl}/v3/directline/conversations`, { token: String(issued.body.token), body: {} });
    expect(started.status).to.equal(201);
    const conversationId = String(started.body.conversationId);
    return { token: String(started.body.token), conversationId, userId: String(dl.conversations.get(conversationId)?.learnerId) };
  }

  /** The user id the page sees (the `user` claim of its token). */
  function userClaim(token: string): string {
    return String((JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Json).user);
  }

  it('token → start (bot gets conversationUpdate) → message → activities from user and bot with increasing watermark', async () => {
    const issued = await call('POST', `${app.baseUrl}/api/directline/token`, { body: {}, learner: 'dl_learner0001' });
    expect(issued.status).to.equal(200);
    expect(issued.body).to.include({ conversationId: 'conv-1', expires_in: 1800 });
    expect(issued.body).not.to.have.property('userId');
    // The page sees an alias of the learner, never the learner id.
    const alias = userClaim(String(issued.body.token));
    expect(alias).to.match(/^user_[A-Za-z0-9_-]{22}$/);
    expect(String(issued.body.token)).not.to.contain(Buffer.from('dl_learner0001').toString('base64url').slice(0, 12));
    expect(issued.body.token).to.be.a('string');
    expect(issued.headers.get('cache-control')).to.equal('no-store');

    const started = await call('POST', `${app.baseUrl}/v3/directline/conversations`, { token: String(issued.body.token), body: { user: { id: 'dl_learner0001' } } });
    expect(started.status).to.equal(201);
    expect(started.body).to.include({ conversationId: 'conv-1', expires_in: 1800 });
    const token = String(started.body.token);

    const update = await waitFor('conversationUpdate', async () => bot.received.find((a) => a.type === 'conversationUpdate'));
    expect(update).to.deep.include({
      channelId: 'webchat',
      serviceUrl: `${app.baseUrl}/directline/connector`,
      conversation: { id: 'conv-1' },
      recipient: { id: 'academy-bot', name: 'Digital Skills Academy', role: 'bot' },
      membersAdded: [{ id: 'academy-bot', name: 'Digital Skills Academy' }, { id: 'dl_learner0001' }],
    });

    // Greeting: two bot messages; their replyToId (the unseen conversationUpdate) is dropped.
    const greeting = await waitFor('greeting', async () => {
      const r = await call('GET', `${app.baseUrl}/v3/directline/conversations/conv-1/activities?watermark=`, { token });
      return activitiesOf(r).length >= 2 ? r : undefined;
    });
    expect(greeting.body.watermark).to.equal('2');
    expect(activitiesOf(greeting).map((a) => a.text)).to.deep.equal(['Welcome to the Digital Skills Academy.', 'Type a topic to start a lesson.']);
    expect(activitiesOf(greeting)[0]).to.deep.include({ id: 'conv-1|0000001', from: { id: 'academy-bot', name: 'Digital Skills Academy', role: 'bot' } });
    expect(activitiesOf(greeting)[0]).not.to.have.property('replyToId');
    expect(bot.replies.map((r) => r.body)).to.deep.equal([{ id: 'conv-1|0000001' }, { id: 'conv-1|0000002' }]);

    clock.advance(1000);
    const posted = await call('POST', `${app.baseUrl}/v3/directline/conversations/conv-1/activities`, {
      token,
      body: { type: 'message', text: 'hello', from: { id: 'someone-else', name: 'Real Name', role: 'user' }, channelData: { clientActivityID: 'client-1' }, locale: 'en-GB' },
    });
    expect(posted.status).to.equal(200);
    expect(posted.body).to.deep.equal({ id: 'conv-1|0000003' });

    const after = await waitFor('bot reply', async () => {
      const r = await call('GET', `${app.baseUrl}/v3/directline/conversations/conv-1/activities?watermark=2`, { token });
      return activitiesOf(r).length >= 2 ? r : undefined;
    });
    expect(after.body.watermark).to.equal('4');
    const [mine, reply] = activitiesOf(after) as [Json, Json];
    expect(mine).to.deep.include({
      id: 'conv-1|0000003',
      type: 'message',
      text: 'hello',
      channelId: 'webchat',
      from: { id: alias, role: 'user' },
      recipient: { id: 'academy-bot', name: 'Digital Skills Academy', role: 'bot' },
      conversation: { id: 'conv-1' },
      channelData: { clientActivityID: 'client-1' },
      timestamp: '2025-01-01T09:00:01.000Z',
    });
    expect(mine).not.to.have.property('serviceUrl');
    expect(reply).to.deep.include({ id: 'conv-1|0000004', text: 'You said: hello', replyToId: 'conv-1|0000003', from: { id: 'academy-bot', name: 'Digital Skills Academy', role: 'bot' } });
    expect(Date.parse(String(reply.timestamp))).to.be.greaterThan(Date.parse(String(mine.timestamp)));

    const forwarded = bot.received.find((a) => a.type === 'message');
    expect(forwarded).to.deep.include({ id: 'conv-1|0000003', serviceUrl: `${app.baseUrl}/directline/connector`, from: { id: 'dl_learner0001', role: 'user' } });

    const none = await call('GET', `${app.baseUrl}/v3/directline/conversations/conv-1/activities?watermark=4`, { token });
    expect(none.body).to.deep.equal({ activities: [], watermark: '4' });
    expect(logs).to.deep.equal([]);
  });

  it('starting the same conversation again does not greet twice', async () => {
    const { token } = await startConversation();
    const again = await call('POST', `${app.baseUrl}/v3/directline/conversations`, { token });
    expect(again.status).to.equal(200);
    await dl.idle();
    expect(bot.received.filter((a) => a.type === 'conversationUpdate')).to.have.length(1);
  });

  it('refuses a user id chosen by the page; the learner comes from the identity (cookie or launch)', async () => {
    for (const body of [{ userId: 'dl_learner0001' }, { userId: 'Jane Smith' }, { user: { id: 'dl_learner0001' } }]) {
      const r = await call('POST', `${app.baseUrl}/api/directline/token`, { body });
      expect(r.status).to.equal(400);
    }
    const r = await call('POST', `${app.baseUrl}/api/directline/token`, {});
    expect(r.status).to.equal(200);
    expect(dl.conversations.get(String(r.body.conversationId))?.learnerId).to.equal('dl_newlearner01');
  });

  it('answers 401 without a valid token and 403 with another conversation’s or an expired token', async () => {
    const a = await startConversation('dl_aaaaaaaaaa');
    const b = await startConversation('dl_bbbbbbbbbb');
    const url = `${app.baseUrl}/v3/directline/conversations/${a.conversationId}`;

    const noToken = await call('GET', `${url}/activities`);
    expect(noToken.status).to.equal(401);
    expect(noToken.headers.get('www-authenticate')).to.equal('Bearer');
    expect(noToken.body).to.deep.equal({ error: { code: 'Unauthorized', message: 'Missing bearer token' } });
    expect((await call('GET', `${url}/activities`, { token: 'garbage' })).status).to.equal(401);
    expect((await call('POST', `${url}/activities`, { body: { type: 'message', text: 'x' } })).status).to.equal(401);
    expect((await call('POST', `${app.baseUrl}/v3/directline/conversations`)).status).to.equal(401);
    expect((await call('POST', `${app.baseUrl}/v3/directline/tokens/refresh`)).status).to.equal(401);

    const tamper = a.token.slice(0, -3) + (a.token.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await call('GET', `${url}/activities`, { token: tamper })).status).to.equal(401);

    const foreign = await call('GET', `${url}/activities`, { token: b.token });
    expect(foreign.status).to.equal(403);
    expect(foreign.body).to.deep.equal({ error: { code: 'Forbidden', message: 'Token is not valid for this conversation' } });
    expect((await call('POST', `${url}/activities`, { token: b.token, body: { type: 'message', text: 'x' } })).status).to.equal(403);
    expect((await call('GET', url, { token: b.token })).status).to.equal(403);

    clock.advance(31 * 60 * 1000);
    const expired = await call('GET', `${url}/activities`, { token: a.token });
    expect(expired.status).to.equal(403);
    expect(expired.body).to.deep.equal({ error: { code: 'TokenExpired', message: 'Token expired' } });
  });

  it('refreshes a token and reconnects to a conversation', async () => {
    const { token, conversationId } = await startConversation();
    clock.advance(15 * 60 * 1000);
    const refreshed = await call('POST', `${app.baseUrl}/v3/directline/tokens/refresh`, { token });
    expect(refreshed.status).to.equal(200);
    expect(refreshed.body).to.include({ conversationId, expires_in: 1800 });
    clock.advance(20 * 60 * 1000);
    expect((await call('GET', `${app.baseUrl}/v3/directline/conversations/${conversationId}/activities`, { token })).status).to.equal(403);
    const fresh = String(refreshed.body.token);
    const reconnect = await call('GET', `${app.baseUrl}/v3/directline/conversations/${conversationId}?watermark=2`, { token: fresh });
    expect(reconnect.status).to.equal(200);
    expect(reconnect.body).to.include({ conversationId });
    expect((await call('GET', `${app.baseUrl}/v3/directline/conversations/${conversationId}/activities`, { token: String(reconnect.body.token) })).status).to.equal(200);
  });

  it('replies { id } at once while the bot is slow, and logs a bot failure', async () => {
    const { token, conversationId } = await startConversation();
    await dl.idle();
    bot.delayMs = 1500;
    bot.status = 500;
    const t0 = Date.now();
    const posted = await call('POST', `${app.baseUrl}/v3/directline/conversations/${conversationId}/activities`, { token, body: { type: 'message', text: 'slow' } });
    expect(posted.status).to.equal(200);
    expect(Date.now() - t0).to.be.lessThan(500);
    await dl.idle();
    expect(logs).to.have.length(1);
    expect(logs[0]).to.equal(`directline: the bot answered HTTP 500 to message ${conversationId}|0000003: bot failed`);
  });

  it('delivers a conversation’s activities to the bot in order, one at a time', async () => {
    const { token, conversationId } = await startConversation();
    bot.delayMs = 50;
    for (const text of ['one', 'two', 'three']) {
      await call('POST', `${app.baseUrl}/v3/directline/conversations/${conversationId}/activities`, { token, body: { type: 'message', text } });
    }
    await dl.idle();
    expect(bot.received.map((a) => a.type === 'message' ? a.text : a.type)).to.deep.equal(['conversationUpdate', 'one', 'two', 'three']);
  });

  it('validates posted activities', async () => {
    const { token, conversationId } = await startConversation();
    const url = `${app.baseUrl}/v3/directline/conversations/${conversationId}/activities`;
    expect((await call('POST', url, { token, body: { text: 'no type' } })).status).to.equal(400);
    expect((await call('POST', url, { token, body: { type: 'conversationUpdate' } })).status).to.equal(400);
    expect((await call('POST', url, { token, raw: '{not json' })).status).to.equal(400);
    const big = await call('POST', url, { token, body: { type: 'message', text: 'x'.repeat(70 * 1024) } });
    expect(big.status).to.equal(413);
    expect((await call('GET', `${url}?watermark=abc`, { token })).status).to.equal(400);
    expect((await call('GET', `${app.baseUrl}/v3/directline/conversations/nope/activities`, { token })).status).to.equal(403);
  });

  it('serves the connector routes a bot uses: update, delete, members, create conversation', async () => {
    const { token, conversationId, userId } = await startConversation();
    await dl.idle();
    const connector = `${app.baseUrl}/directline/connector/v3/conversations`;
    const sent = await call('POST', `${connector}/${conversationId}/activities`, { body: { type: 'message', text: 'v1' } });
    expect(sent.status).to.equal(200);
    const id = String(sent.body.id);
    expect(id).to.equal(`${conversationId}|0000003`);

    const updated = await call('PUT', `${connector}/${conversationId}/activities/${encodeURIComponent(id)}`, { body: { type: 'message', text: 'v2' } });
    expect(updated.status).to.equal(200);
    expect(updated.body).to.deep.equal({ id });
    const page = await call('GET', `${app.baseUrl}/v3/directline/conversations/${conversationId}/activities?watermark=3`, { token });
    expect(activitiesOf(page).map((a) => [a.id, a.text])).to.deep.equal([[id, 'v2']]);
    expect(page.body.watermark).to.equal('4');

    expect((await call('DELETE', `${connector}/${conversationId}/activities/${encodeURIComponent(id)}`)).status).to.equal(200);
    const left = await call('GET', `${app.baseUrl}/v3/directline/conversations/${conversationId}/activities`, { token });
    expect(activitiesOf(left).map((a) => a.id)).not.to.include(id);

    // The bot's side sees the learner.
    const members = await call('GET', `${connector}/${conversationId}/members`);
    expect(members.body).to.deep.equal([
      { id: userId, role: 'user' },
      { id: 'academy-bot', name: 'Digital Skills Academy', role: 'bot' },
    ]);
    expect((await call('GET', `${connector}/${conversationId}/members/${userId}`)).body).to.deep.equal({ id: userId, role: 'user' });
    expect((await call('GET', `${connector}/${conversationId}/members/nobody`)).status).to.equal(404);

    const created = await call('POST', connector, { body: { bot: { id: 'academy-bot' }, members: [{ id: 'dl_proactive01' }], activity: { type: 'message', text: 'Reminder' } } });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ serviceUrl: `${app.baseUrl}/directline/connector` });
    expect(dl.conversations.get(String(created.body.id))?.learnerId).to.equal('dl_proactive01');
    expect(dl.conversations.list(String(created.body.id)).activities.map((a) => a.text)).to.deep.equal(['Reminder']);

    expect((await call('POST', `${connector}/unknown/activities`, { body: { type: 'message' } })).status).to.equal(404);
    expect((await call('POST', `${connector}/${conversationId}/activities`, { body: { text: 'no type' } })).status).to.equal(400);
  });
});

describe('directline routes (Azure mode)', () => {
  let app: Running;
  let azure: Running;
  let seen: { auth?: string; body?: unknown; path?: string }[];
  let azureStatus: number;

  beforeEach(async () => {
    azure = await listen();
    seen = [];
    azureStatus = 200;
    azure.server.post('/v3/directline/tokens/generate', async (req, res) => {
      seen.push({ auth: req.headers.authorization, body: await readBody(req), path: req.url });
      res.writeHead(azureStatus, { 'Content-Type': 'application/json' });
      res.end(azureStatus === 200 ? JSON.stringify({ conversationId: 'AzConv-1', token: 'azure.jwt.token', expires_in: 3600 }) : '{"error":{"code":"Unauthorized"}}');
    });
    app = await listen();
  });

  afterEach(async () => {
    await app.close();
    await azure.close();
  });

  it('exchanges the secret at {endpoint}/v3/directline/tokens/generate and returns Azure’s token', async () => {
    const logs: string[] = [];
    const dl = registerDirectLine(app.server, {
      botEndpoint: 'http://127.0.0.1:9/api/messages',
      selfBaseUrl: app.baseUrl,
      tokenSecret,
      clock: new FixedClock(),
      ids: counterIds(),
      azure: { secret: 'the-direct-line-secret', endpoint: `${azure.baseUrl}/` },
      log: (m) => logs.push(m),
      identity,
    });
    expect(dl.mode).to.equal('azure');
    expect(dl.browserOrigins).to.deep.equal([azure.baseUrl]);
    const r = await call('POST', `${app.baseUrl}/api/directline/token`, { body: {}, learner: 'dl_learner0001' });
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal({ token: 'azure.jwt.token', conversationId: 'AzConv-1', expires_in: 3600, domain: `${azure.baseUrl}/v3/directline` });
    // The page's userId is refused in Azure mode too.
    expect((await call('POST', `${app.baseUrl}/api/directline/token`, { body: { userId: 'dl_victim00001' } })).status).to.equal(400);
    expect(seen).to.deep.equal([{ auth: 'Bearer the-direct-line-secret', body: { user: { id: 'dl_learner0001' } }, path: '/v3/directline/tokens/generate' }]);

    // The local Direct Line is not served in Azure mode.
    expect((await call('POST', `${app.baseUrl}/v3/directline/conversations`, { token: 'x' })).status).to.equal(404);

    azureStatus = 401;
    const failed = await call('POST', `${app.baseUrl}/api/directline/token`, { body: {} });
    expect(failed.status).to.equal(502);
    expect(JSON.stringify(failed.body)).not.to.contain('the-direct-line-secret');
    expect(logs.join('\n')).to.contain('HTTP 401').and.not.contain('the-direct-line-secret');
  });
});
