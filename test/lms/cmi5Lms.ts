/**
 * A test LMS, the real other side of cmi5: it imports a course structure, registers learners,
 * writes LMS.LaunchData in its LRS's State resource and `launched` before building each launch
 * URL, serves the one-time fetch URL, and on the return URL evaluates moveOn and writes
 * `satisfied`. Its LRS is the academy's embedded LRS (statements) plus a small State and Agent
 * Profile resource of its own.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { agentKey } from '../../src/lrs/documents.js';
import { createEmbeddedLrs, type EmbeddedLrs } from '../../src/lrs/index.js';
import { systemClock } from '../../src/ports.js';
import { CMI5_CATEGORY, CMI5_EXTENSIONS, CMI5_VERBS } from '../../src/lms/cmi5/vocabulary.js';

/** A stored statement, as the tests read it. */
export interface LmsStatement {
  readonly id: string;
  readonly timestamp: string;
  readonly stored: string;
  readonly actor: { readonly objectType?: string; readonly account?: { readonly homePage: string; readonly name: string }; readonly name?: string; readonly mbox?: string };
  readonly verb: { readonly id: string };
  readonly object: { readonly id: string; readonly definition?: { readonly type?: string } };
  readonly result?: {
    readonly success?: boolean;
    readonly completion?: boolean;
    readonly duration?: string;
    readonly score?: { readonly scaled?: number; readonly raw?: number; readonly min?: number; readonly max?: number };
  };
  readonly context?: {
    readonly registration?: string;
    readonly contextActivities?: Record<string, readonly { readonly id: string }[] | undefined>;
    readonly extensions?: Record<string, unknown>;
  };
}

export interface ImportedAu {
  readonly publisherId: string;
  readonly blockId: string;
  readonly moveOn: string;
  readonly masteryScore?: number;
  readonly url: string;
  /** The activity id this LMS gives the AU (never the publisher id). */
  readonly activityId: string;
}

export interface Launch {
  readonly url: string;
  readonly registration: string;
  readonly actor: { objectType: 'Agent'; account: { homePage: string; name: string } };
  readonly au: ImportedAu;
  readonly sessionId: string;
  readonly fetchKey: string;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

export class TestCmi5Lms {
  readonly key = 'lms-key';
  readonly secret = 'lms-secret-123456';
  readonly aus = new Map<string, ImportedAu>();
  courseId = '';
  /** fetch key → number of POSTs. */
  readonly fetchCalls = new Map<string, number>();
  /** How its LRS answers POST statements: normally, 503, or never. */
  lrsMode: 'up' | 'down' | 'hang' = 'up';
  private readonly tokens = new Map<string, string>();
  private readonly state = new Map<string, string>();
  private readonly launches = new Map<string, Launch>();

  private constructor(
    readonly server: restify.Server,
    readonly lrs: EmbeddedLrs,
    readonly url: string,
  ) {}

  static async start(): Promise<TestCmi5Lms> {
    const server = restify.createServer({ name: 'test-lms', handleUncaughtExceptions: false });
    const lrs = createEmbeddedLrs({ file: ':memory:', credentials: { key: 'lms-key', secret: 'lms-secret-123456' }, clock: systemClock });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const lms = new TestCmi5Lms(server, lrs, url);
    server.pre((req, res, next) => {
      if (lms.lrsMode === 'up' || req.method !== 'POST' || !(req.url ?? '').startsWith('/xapi/statements')) return next();
      if (lms.lrsMode === 'down') {
        res.writeHead(503, { 'Content-Type': 'application/json' });
        res.end('{"error":"down for maintenance"}');
      }
      return undefined; // 'hang': never answers
    });
    lms.routes();
    lrs.register(server, '/xapi');
    return lms;
  }

  get endpoint(): string {
    return `${this.url}/xapi/`;
  }

  private authorized(req: restify.Request): boolean {
    return req.headers.authorization === `Basic ${Buffer.from(`${this.key}:${this.secret}`).toString('base64')}`;
  }

  private stateKey(q: URLSearchParams): string {
    const agent = JSON.parse(q.get('agent') ?? '{}') as { account?: { homePage: string; name: string } };
    return JSON.stringify([q.get('activityId'), agent.account?.homePage, agent.account?.name, q.get('registration'), q.get('stateId')]);
  }

  private routes(): void {
    const s = this.server;
    s.post('/fetch/:key', async (req, res) => {
      const key = String((req.params as Record<string, string>).key);
      const n = (this.fetchCalls.get(key) ?? 0) + 1;
      this.fetchCalls.set(key, n);
      const token = this.tokens.get(key);
      const body = !token
        ? { 'error-code': '2', 'error-text': 'Unknown fetch key' }
        : n === 1
          ? { 'auth-token': token }
          : { 'error-code': '1', 'error-text': 'The authorization token has already been returned.' };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    s.get('/return', async (req, res) => {
      const q = new URL(req.url ?? '', this.url).searchParams;
      const launch = this.launches.get(q.get('launch') ?? '');
      if (launch) this.evaluateMoveOn(launch);
      const html = '<!DOCTYPE html><html lang="en"><head><title>Test LMS</title></head><body><h1>Back in your course</h1></body></html>';
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html);
    });
  }

  /** Imports cmi5.xml; `only` keeps just these AUs (an admin building a one-lesson course). */
  importCourse(xml: string, only?: readonly string[]): void {
    this.courseId = unescape(/<course id="([^"]+)"/.exec(xml)?.[1] ?? '');
    for (const block of xml.matchAll(/<block id="([^"]+)">([\s\S]*?)<\/block>/g)) {
      for (const au of block[2].matchAll(/<au ([^>]*)>([\s\S]*?)<\/au>/g)) {
        const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(au[1])?.[1];
        const publisherId = unescape(attr('id') ?? '');
        if (only && !only.includes(publisherId)) continue;
        const mastery = attr('masteryScore');
        this.aus.set(publisherId, {
          publisherId,
          blockId: unescape(block[1]),
          moveOn: attr('moveOn') ?? 'NotApplicable',
          ...(mastery !== undefined ? { masteryScore: Number(mastery) } : {}),
          url: unescape(/<url>([^<]+)<\/url>/.exec(au[2])?.[1] ?? ''),
          activityId: `${this.url}/activities/au/${createHash('sha256').update(publisherId).digest('hex').slice(0, 16)}`,
        });
      }
    }
  }

  register(learner: string): { registration: string; actor: Launch['actor'] } {
    return { registration: randomUUID(), actor: { objectType: 'Agent', account: { homePage: this.url, name: learner } } };
  }

  /** Writes LMS.LaunchData and `launched`, and returns the AU's launch URL. */
  launch(publisherId: string, who: { registration: string; actor: Launch['actor'] }, options: { launchMode?: 'Normal' | 'Browse' | 'Review'; masteryScore?: number; returnURL?: string } = {}): Launch {
    const au = this.aus.get(publisherId);
    if (!au) throw new Error(`AU ${publisherId} not imported`);
    const sessionId = randomUUID();
    const fetchKey = randomUUID();
    this.tokens.set(fetchKey, Buffer.from(`${this.key}:${this.secret}`).toString('base64'));
    const launchMode = options.launchMode ?? 'Normal';
    const masteryScore = options.masteryScore ?? au.masteryScore;
    const launchId = randomUUID();
    const contextTemplate = {
      contextActivities: { grouping: [{ objectType: 'Activity', id: au.publisherId }] },
      extensions: { [CMI5_EXTENSIONS.sessionId]: sessionId },
    };
    const launchData = {
      contextTemplate,
      launchMode,
      moveOn: au.moveOn,
      ...(masteryScore !== undefined ? { masteryScore } : {}),
      returnURL: options.returnURL ?? `${this.url}/return?launch=${launchId}`,
    };
    const q = new URLSearchParams({ activityId: au.activityId, agent: JSON.stringify(who.actor), registration: who.registration, stateId: 'LMS.LaunchData' });
    // LMS.LaunchData goes into the LRS's own State resource, where the AU reads it.
    this.lrs.documents.put(
      { kind: 'state', scope: au.activityId, agent: agentKey(who.actor), registration: who.registration, id: 'LMS.LaunchData' },
      'application/json',
      Buffer.from(JSON.stringify(launchData)),
    );
    this.lrs.storeStatements([
      {
        id: randomUUID(),
        timestamp: new Date().toISOString(),
        actor: who.actor,
        verb: { id: CMI5_VERBS.launched, display: { 'en-US': 'launched' } },
        object: { objectType: 'Activity', id: au.activityId },
        context: {
          registration: who.registration,
          contextActivities: { grouping: [{ id: au.publisherId }], category: [{ id: CMI5_CATEGORY }] },
          extensions: {
            [CMI5_EXTENSIONS.sessionId]: sessionId,
            [CMI5_EXTENSIONS.launchMode]: launchMode,
            [CMI5_EXTENSIONS.moveOn]: au.moveOn,
            [CMI5_EXTENSIONS.launchUrl]: au.url,
            ...(masteryScore !== undefined ? { [CMI5_EXTENSIONS.masteryScore]: masteryScore } : {}),
          },
        },
      },
    ]);
    const params = new URLSearchParams({
      endpoint: this.endpoint,
      fetch: `${this.url}/fetch/${fetchKey}`,
      actor: JSON.stringify(who.actor),
      registration: who.registration,
      activityId: au.activityId,
    });
    const url = `${au.url}${au.url.includes('?') ? '&' : '?'}${params}`;
    const launch: Launch = { url, registration: who.registration, actor: who.actor, au, sessionId, fetchKey };
    this.launches.set(launchId, launch);
    return launch;
  }

  /** Every statement in the LRS for a registration, in stored order. */
  statements(registration: string): LmsStatement[] {
    return this.lrs.store.query({ registration, ascending: true, limit: 100 }).statements as unknown as LmsStatement[];
  }

  /** moveOn met → `satisfied` for the AU's block and the course (all their AUs are met: `only` imports). */
  private evaluateMoveOn(launch: Launch): void {
    const mine = this.statements(launch.registration).filter((s) => s.object?.id === launch.au.activityId);
    const has = (verb: string) => mine.some((s) => s.verb.id === verb);
    const met: Record<string, boolean> = {
      NotApplicable: true,
      Completed: has(CMI5_VERBS.completed),
      Passed: has(CMI5_VERBS.passed),
      CompletedAndPassed: has(CMI5_VERBS.completed) && has(CMI5_VERBS.passed),
      CompletedOrPassed: has(CMI5_VERBS.completed) || has(CMI5_VERBS.passed),
    };
    if (!met[launch.au.moveOn]) return;
    const already = this.statements(launch.registration).some((s) => s.verb.id === CMI5_VERBS.satisfied);
    if (already) return;
    const satisfied = (id: string, type: string) => ({
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      actor: launch.actor,
      verb: { id: CMI5_VERBS.satisfied, display: { 'en-US': 'satisfied' } },
      object: { objectType: 'Activity', id, definition: { type } },
      context: {
        registration: launch.registration,
        contextActivities: { grouping: [{ id: id === this.lmsBlockId(launch.au) ? launch.au.blockId : this.courseId }], category: [{ id: CMI5_CATEGORY }] },
        extensions: { [CMI5_EXTENSIONS.sessionId]: launch.sessionId },
      },
    });
    this.lrs.storeStatements([
      satisfied(this.lmsBlockId(launch.au), 'https://w3id.org/xapi/cmi5/activitytype/block'),
      satisfied(`${this.url}/activities/course`, 'https://w3id.org/xapi/cmi5/activitytype/course'),
    ]);
  }

  lmsBlockId(au: ImportedAu): string {
    return `${this.url}/activities/block/${createHash('sha256').update(au.blockId).digest('hex').slice(0, 16)}`;
  }

  async close(): Promise<void> {
    this.server.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.lrs.close();
  }
}

