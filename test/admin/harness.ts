import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import restify from 'restify';
import { loadConfig } from '../../src/config.js';
import { registerAdmin, type AdminDeps, type AdminHandle } from '../../src/admin/index.js';
import { createEmbeddedLrs, type EmbeddedLrs } from '../../src/lrs/index.js';
import { randomIds, systemClock } from '../../src/ports.js';
import { XapiIds } from '../../src/xapi/profile.js';
import { StatementFactory, type LearnerRef } from '../../src/xapi/statements.js';
import type { Channel } from '../../src/xapi/profile.js';
import type { Audience } from '../../src/lessons/types.js';
import { shippedCatalog, tempDir } from '../support/bot.js';

export const ID_BASE = 'https://digital-skills-academy.github.io/xapi';

export interface AdminHarness {
  readonly url: string;
  readonly lrs: EmbeddedLrs;
  readonly admin: AdminHandle;
  readonly dataDir: string;
  close(): Promise<void>;
}

/** The admin alone on a restify server with an embedded LRS (no bot), on a free loopback port. */
export async function startAdmin(env: Record<string, string> = {}, extra: Partial<AdminDeps> = {}): Promise<AdminHarness> {
  const dataDir = tempDir('academy-admin-');
  const server = restify.createServer({ name: 'admin-test', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  await new Promise<void>((resolve) => server.listen(Number(env.PORT ?? 0), '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const config = loadConfig({ HOST: '127.0.0.1', DATA_DIR: dataDir, ACADEMY_BASE_URL: `http://127.0.0.1:${port}`, ...env, PORT: String(port) });
  const lrs = createEmbeddedLrs({ file: join(dataDir, 'lrs.sqlite'), credentials: { key: 'test-key', secret: 'test-secret-123' }, clock: systemClock });
  lrs.register(server, '/xapi');
  const admin = registerAdmin(server, { config, store: lrs.store, authority: lrs.authority, clock: systemClock, ids: randomIds, log: process.env.ADMIN_TEST_LOG ? (l) => console.log(l) : () => undefined, ...extra });
  return {
    url: `http://127.0.0.1:${port}`,
    lrs,
    admin,
    dataDir,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      admin.close();
      lrs.close();
    },
  };
}

export interface SeedLearner {
  readonly id: string;
  readonly channel: Channel;
  readonly audience: Audience;
  /** How far each gets in the lesson: started, all cards, completed, passed (or failed). */
  readonly upTo: 'started' | 'cards' | 'completed' | 'passed' | 'failed';
}

/** Lesson statements, as the bot makes them, for each learner on one lesson. */
export function seedStatements(learners: readonly SeedLearner[], lessonId = shippedCatalog().lessons[0]!.id): Record<string, unknown>[] {
  const lesson = shippedCatalog().lesson(lessonId);
  if (!lesson) throw new Error(`no lesson ${lessonId}`);
  const f = new StatementFactory(new XapiIds(ID_BASE));
  const out: Record<string, unknown>[] = [];
  let t = Date.parse('2026-11-20T09:00:00Z');
  const stamp = (s: object) => out.push({ ...s, id: randomIds.uuid(), timestamp: new Date((t += 1000)).toISOString() });
  for (const l of learners) {
    const who: LearnerRef = { id: l.id, channel: l.channel, audience: l.audience };
    const attempt = { lesson, registration: randomIds.uuid() };
    stamp(f.lessonStarted(who, attempt));
    if (l.upTo === 'started') continue;
    lesson.cards.forEach((_, i) => stamp(f.cardViewed(who, attempt, i)));
    if (l.upTo === 'cards') continue;
    lesson.checks.forEach((q, i) => stamp(f.questionAnswered(who, attempt, i, l.upTo === 'failed' ? q.options.findIndex((o) => !o.correct) : q.options.findIndex((o) => o.correct))));
    stamp(f.lessonCompleted(who, attempt, 'PT2M'));
    if (l.upTo === 'completed') continue;
    stamp(f.lessonScored(who, attempt, l.upTo === 'passed' ? lesson.checks.length : 0, 'PT2M'));
  }
  return out;
}

/** A small cookie jar for fetch: keeps the admin session cookie. */
export class Browserless {
  cookie = '';
  constructor(readonly base: string) {}
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(this.base + path, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), ...(this.cookie ? { Cookie: this.cookie } : {}) } });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0] ?? '';
    return res;
  }
  async csrf(path = '/admin/sign-in'): Promise<string> {
    const html = await (await this.fetch(path)).text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m?.[1]) throw new Error(`no CSRF token on ${path}`);
    return m[1];
  }
  async post(path: string, form: Record<string, string>): Promise<Response> {
    return this.fetch(path, { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  }
  async signIn(password: string): Promise<Response> {
    const token = await this.csrf();
    return this.post('/admin/sign-in', { _csrf: token, username: 'admin', password });
  }
}
