/**
 * The academy in process with LRS_ENDPOINT set: a learner takes a lesson over the local Direct
 * Line while the external LRS is down; the records wait in the outbox and arrive, in timestamp
 * order, once it is back.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:net';
import type { Socket } from 'node:net';
import { cardsFor } from '../../src/lessons/types.js';
import type { StoredStatement } from '../../src/lrs/types.js';
import type { Academy } from '../../src/main.js';
import { VERBS } from '../../src/xapi/profile.js';
import { basicAuth, startTestAcademy } from '../support/academy.js';
import { shippedCatalog } from '../support/bot.js';
import { waitFor } from '../helpers/poll.js';

const KEY = 'external-lrs-key';
const SECRET = 'external-lrs-secret-0001';

/** A web chat learner over the academy's own Direct Line API. */
class WebLearner {
  private token = '';
  private conversation = '';
  /** The learner id the academy issued, read from its cookie (as only the server and this test can). */
  id = '';
  constructor(private readonly url: string) {}

  async open(): Promise<void> {
    const res = await fetch(`${this.url}/api/directline/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    this.id = /academy_learner=(dl_[A-Za-z0-9_-]+)\./.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
    expect(this.id).to.match(/^dl_/);
    const body = (await res.json()) as { token: string; conversationId: string };
    this.token = body.token;
    this.conversation = body.conversationId;
    const started = await fetch(`${this.url}/v3/directline/conversations`, { method: 'POST', headers: this.headers(), body: '{}' });
    expect(started.ok).to.equal(true);
  }

  private headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' };
  }

  /** Turns run in order, one after another, in the background. */
  async say(message: string | Record<string, unknown>): Promise<void> {
    const activity = typeof message === 'string' ? { type: 'message', text: message } : { type: 'message', value: message, channelData: { postBack: true } };
    const res = await fetch(`${this.url}/v3/directline/conversations/${this.conversation}/activities`, { method: 'POST', headers: this.headers(), body: JSON.stringify(activity) });
    expect(res.status).to.equal(200);
  }

  /** Everything the bot has said so far, as text. */
  async transcript(): Promise<string> {
    const res = await fetch(`${this.url}/v3/directline/conversations/${this.conversation}/activities`, { headers: this.headers() });
    const body = (await res.json()) as { activities: { from: { role?: string }; text?: string; attachments?: unknown[] }[] };
    return body.activities
      .filter((a) => a.from.role !== 'user')
      .map((a) => `${a.text ?? ''} ${JSON.stringify(a.attachments ?? [])}`)
      .join('\n');
  }
}

/** An LRS that is down: it takes connections and never answers (no response, ever). */
async function hungLrs(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('learning records while the LRS is down', function () {
  this.timeout(30_000);
  let academy: Academy | undefined;
  let external: Academy | undefined;
  after(async () => {
    await academy?.close();
    await external?.close();
  });

  it('a learner completes a lesson with no error or wait; when the LRS is back, the statements arrive in timestamp order', async () => {
    const down = await hungLrs();
    academy = await startTestAcademy({
      LRS_ENDPOINT: `http://127.0.0.1:${down.port}/xapi`,
      LRS_KEY: KEY,
      LRS_SECRET: SECRET,
      OUTBOX_RETRY_BASE_MS: '20',
      OUTBOX_RETRY_MAX_MS: '200',
      // Longer than this test may run: if a turn waited for the LRS, the lesson could not finish.
      OUTBOX_REQUEST_TIMEOUT_MS: '600000',
    });
    const health = (await (await fetch(`${academy.url}/healthz`)).json()) as { lrs: string };
    expect(health.lrs).to.equal('external');

    const lesson = shippedCatalog().course('nhs-app')!.lessons[0];
    const learner = new WebLearner(academy.url);
    await learner.open();
    await learner.say('hello');
    await learner.say({ academy: 'role', role: 'social-care' });
    await learner.say({ academy: 'start', lesson: lesson.id });
    for (let i = 0; i < cardsFor(lesson, 'social-care').length; i++) await learner.say({ academy: 'next' });
    for (const q of lesson.checks) {
      await learner.say({ academy: 'answer', option: q.options.findIndex((o) => o.correct) });
      await learner.say({ academy: 'next' });
    }
    await waitFor('the lesson to complete', async () => /Lesson complete/.test(await learner.transcript()), 20_000);
    expect(await learner.transcript()).not.to.match(/something went wrong/i);

    // Nothing has reached any LRS; all of it waits in the outbox, validated, ids fixed.
    const outbox = academy.outbox.port;
    const queued = outbox.nextBatch(1000);
    expect(queued.length).to.be.greaterThan(cardsFor(lesson, 'social-care').length);
    expect(queued.map((q) => q.statement.verb.id)).to.include.members([VERBS.attempted.id, VERBS.completed.id, VERBS.passed.id]);
    const embedded = await fetch(`${academy.url}/xapi/statements`, { headers: { Authorization: basicAuth(academy.lrsCredentials.key, academy.lrsCredentials.secret), 'X-Experience-API-Version': '1.0.3' } });
    expect(((await embedded.json()) as { statements: unknown[] }).statements, 'records go to LRS_ENDPOINT, not the embedded LRS').to.have.length(0);

    // The LRS comes back, on the same address.
    await down.close();
    external = await startTestAcademy({ PORT: String(down.port), EMBEDDED_LRS_KEY: KEY, EMBEDDED_LRS_SECRET: SECRET });
    await waitFor('the outbox to drain', () => outbox.status().queued === 0);
    expect(outbox.status()).to.include({ failed: 0 });

    const agent = JSON.stringify({ objectType: 'Agent', account: { homePage: 'https://digital-skills-academy.github.io/xapi', name: learner.id } });
    const res = await fetch(`${external.url}/xapi/statements?ascending=true&limit=500&agent=${encodeURIComponent(agent)}`, {
      headers: { Authorization: basicAuth(KEY, SECRET), 'X-Experience-API-Version': '1.0.3' },
    });
    const arrived = ((await res.json()) as { statements: StoredStatement[] }).statements;
    expect(arrived.map((s) => s.id), 'each statement once, in the order of their timestamps').to.deep.equal(queued.map((q) => q.id));
    const times = arrived.map((s) => Date.parse(s.timestamp));
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));
    expect(arrived.at(-1)?.verb.id).to.equal(VERBS.passed.id);
  });
});
