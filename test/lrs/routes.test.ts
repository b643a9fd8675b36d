import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
// CommonJS with `exports.default`: depending on the loader's interop, the default import is the
// function itself or module.exports (with the function as `.default`).
import xapiValidation from '@learninglocker/xapi-validation';
import { registerLrsRoutes } from '../../src/lrs/routes.js';
import { StatementStore } from '../../src/lrs/store.js';
import { ManualClock, VERBS, agent, statement, uuid, voiding } from './fixtures.js';

type XapiValidator = (statement: unknown) => unknown[];

function loadValidator(mod: unknown): XapiValidator {
  const fn = typeof mod === 'function' ? mod : typeof mod === 'object' && mod !== null && 'default' in mod ? mod.default : undefined;
  if (typeof fn !== 'function') throw new Error('@learninglocker/xapi-validation exports no function');
  return (statement) => {
    const warnings: unknown = fn(statement);
    if (!Array.isArray(warnings)) throw new Error('@learninglocker/xapi-validation returned no warning list');
    return warnings;
  };
}

const validateXapi = loadValidator(xapiValidation);

type Json = Record<string, unknown>;

const KEY = 'test-key';
const SECRET = 'test-secret-test-secret-test-secret';
const MAX_BODY = 64 * 1024;
const LESSON = 'https://academy.example.org/xapi/lessons/passwords';
const COURSE = 'https://academy.example.org/xapi/courses/cyber';

function basic(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}

interface Call {
  body?: unknown;
  /** Raw body text (sent as is). */
  raw?: string;
  headers?: Record<string, string>;
  auth?: string | null;
  version?: string | null;
  contentType?: string;
}

describe('lrs/routes (xAPI over HTTP)', () => {
  let server: restify.Server;
  let store: StatementStore;
  let clock: ManualClock;
  let origin: string;
  let base: string;

  before(async () => {
    clock = new ManualClock();
    store = new StatementStore(':memory:', clock, { maxPageSize: 20 });
    server = restify.createServer({ handleUncaughtExceptions: false });
    registerLrsRoutes(server, { store, credentials: { key: KEY, secret: SECRET }, clock, maxBodyBytes: MAX_BODY });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    origin = `http://127.0.0.1:${port}`;
    base = `${origin}/xapi`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    store.close();
  });

  async function call(method: string, path: string, options: Call = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.auth !== null) headers.Authorization = options.auth ?? basic(KEY, SECRET);
    if (options.version !== null) headers['X-Experience-API-Version'] = options.version ?? '1.0.3';
    let body: string | undefined;
    if (options.raw !== undefined || options.body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      body = options.raw ?? JSON.stringify(options.body);
    }
    const url = path.startsWith('/xapi') ? `${origin}${path}` : `${base}${path}`;
    return fetch(url, { method, headers, body });
  }

  async function json(response: Response): Promise<Json> {
    const value: unknown = await response.json();
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
    return value as Json;
  }

  async function post(body: unknown): Promise<string[]> {
    clock.advance(1000);
    const response = await call('POST', '/statements', { body });
    expect(response.status, await response.clone().text()).to.equal(200);
    return (await response.json()) as string[];
  }

  async function getResult(query: string): Promise<{ statements: Json[]; more: string }> {
    const response = await call('GET', `/statements${query}`);
    expect(response.status, await response.clone().text()).to.equal(200);
    return (await response.json()) as { statements: Json[]; more: string };
  }

  const idsOf = (statements: Json[]) => statements.map((s) => s.id);

  describe('about and CORS', () => {
    it('GET /about needs no credentials nor version header', async () => {
      const response = await call('GET', '/about', { auth: null, version: null });
      expect(response.status).to.equal(200);
      expect(response.headers.get('x-experience-api-version')).to.equal('1.0.3');
      expect(await response.json()).to.deep.equal({ version: ['1.0.3', '2.0.0'] });
    });

    it('answers a CORS preflight without credentials', async () => {
      const response = await fetch(`${base}/statements`, {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://lms.example.org',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization, content-type, x-experience-api-version',
        },
      });
      expect(response.status).to.equal(204);
      expect(response.headers.get('access-control-allow-origin')).to.equal('*');
      const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      for (const header of ['authorization', 'content-type', 'x-experience-api-version']) expect(allowed).to.contain(header);
      expect(response.headers.get('access-control-allow-methods')).to.contain('PUT');
    });

    it('sends CORS and version headers on responses, errors included', async () => {
      const ok = await call('GET', '/statements');
      const error = await call('GET', '/statements', { auth: null });
      for (const response of [ok, error]) {
        expect(response.headers.get('access-control-allow-origin')).to.equal('*');
        expect(response.headers.get('x-experience-api-version')).to.equal('1.0.3');
        expect(response.headers.get('access-control-expose-headers')).to.contain('X-Experience-API-Consistent-Through');
      }
    });
  });

  describe('authentication and versions', () => {
    it('401 with WWW-Authenticate without credentials', async () => {
      const response = await call('GET', '/statements', { auth: null });
      expect(response.status).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.match(/^Basic realm=/);
      expect(await json(response)).to.include({ field: 'Authorization' });
    });

    it('401 with a wrong secret, a wrong key or another scheme', async () => {
      for (const auth of [basic(KEY, 'wrong'), basic('someone', SECRET), `Bearer ${SECRET}`, basic(KEY, '')]) {
        const response = await call('POST', '/statements', { auth, body: statement() });
        expect(response.status, auth).to.equal(401);
      }
      expect(store.count()).to.equal(0);
    });

    it('400 without the version header, or with an unsupported version', async () => {
      for (const version of [null, '', '3.0.0', '1.1.0', '0.95', 'banana']) {
        const response = await call('GET', '/statements', { version });
        expect(response.status, String(version)).to.equal(400);
        expect(await json(response)).to.include({ field: 'X-Experience-API-Version' });
        expect(response.headers.get('x-experience-api-version')).to.equal('1.0.3');
      }
    });

    it('accepts 1.0 and any 1.0.x version header', async () => {
      for (const version of ['1.0', '1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.9']) {
        expect((await call('GET', '/statements', { version })).status, version).to.equal(200);
      }
    });
  });

  describe('storing statements', () => {
    it('POST a single statement: 200 and its id', async () => {
      const [id] = await post(statement());
      const response = await call('GET', `/statements?statementId=${id}`);
      expect(response.status).to.equal(200);
      const stored = await json(response);
      expect(stored).to.include({ id, version: '1.0.0' });
      expect(stored.authority).to.deep.equal({
        objectType: 'Agent',
        account: { homePage: base, name: KEY },
      });
      expect(response.headers.get('last-modified')).to.equal(new Date(String(stored.stored)).toUTCString());
      expect(response.headers.get('x-experience-api-consistent-through')).to.match(/^\d{4}-\d\d-\d\dT/);
    });

    it('sends X-Experience-API-Consistent-Through on every Statement Resource response', async () => {
      const responses = [
        await call('POST', '/statements', { body: statement() }),
        await call('PUT', `/statements?statementId=${uuid()}`, { body: statement() }),
        await call('GET', '/statements'),
        await call('GET', `/statements?statementId=${uuid()}`),
      ];
      for (const response of responses) {
        expect(response.headers.get('x-experience-api-consistent-through'), String(response.status)).to.match(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
      }
    });

    it('POST a batch: ids in order', async () => {
      const given = uuid();
      const ids = await post([statement(), statement({ id: given }), statement({ verb: { id: VERBS.attempted } })]);
      expect(ids).to.have.length(3);
      expect(ids[1]).to.equal(given);
      for (const id of ids) expect((await call('GET', `/statements?statementId=${id}`)).status).to.equal(200);
    });

    it('a batch with one invalid statement: 400 naming it, and nothing stored', async () => {
      const before = store.count();
      const response = await call('POST', '/statements', {
        body: [statement(), statement({ verb: { id: 'not an iri' } }), statement()],
      });
      expect(response.status).to.equal(400);
      expect(await json(response)).to.deep.equal({
        error: 'statements[1].verb.id must be an IRI',
        field: 'statements[1].verb.id',
      });
      expect(store.count()).to.equal(before);
    });

    it('400 naming the property of a malformed statement', async () => {
      const cases: [Json, string, string][] = [
        [statement({ verb: { display: { 'en-GB': 'did' } } }), 'verb.id', 'statement.verb.id is required'],
        [statement({ actor: { mbox: 'mailto:a@example.org', account: { homePage: 'http://x.org', name: 'a' } } }), 'actor', 'statement.actor must have exactly one inverse functional identifier'],
        [statement({ actor: { mbox: 'ada@example.org' } }), 'actor.mbox', 'statement.actor.mbox must be a mailto IRI'],
        [statement({ result: { score: { scaled: 2 } } }), 'result.score.scaled', 'statement.result.score.scaled must be between -1 and 1'],
        [statement({ extra: true }), 'extra', 'statement.extra is not allowed'],
      ];
      for (const [body, field, message] of cases) {
        const response = await call('POST', '/statements', { body });
        expect(response.status, field).to.equal(400);
        const error = await json(response);
        expect(error.field).to.equal(field);
        expect(error.error).to.contain(message);
      }
    });

    it('400 for an empty batch, invalid JSON, or a non-JSON content type', async () => {
      expect((await call('POST', '/statements', { body: [] })).status).to.equal(400);
      const badJson = await call('POST', '/statements', { raw: '{"actor": ' });
      expect(badJson.status).to.equal(400);
      expect(await json(badJson)).to.include({ error: 'request body is not valid JSON' });
      const text = await call('POST', '/statements', { raw: JSON.stringify(statement()), contentType: 'text/plain' });
      expect(text.status).to.equal(400);
      expect(await json(text)).to.include({ field: 'Content-Type' });
    });

    it('413 for a body over the limit', async () => {
      const before = store.count();
      const big = statement({ result: { response: 'x'.repeat(MAX_BODY + 10) } });
      const response = await call('POST', '/statements', { body: big });
      expect(response.status).to.equal(413);
      expect(await json(response)).to.include({ field: 'body' });
      expect(store.count()).to.equal(before);
      // The server still serves the next request.
      expect((await call('GET', '/about')).status).to.equal(200);
    });

    it('413 for a chunked body (no Content-Length) that grows over the limit', async () => {
      const chunk = new TextEncoder().encode(`{"pad":"${'x'.repeat(16 * 1024)}`);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= MAX_BODY * 2) controller.close();
          else {
            controller.enqueue(chunk);
            sent += chunk.length;
          }
        },
      });
      // Node's fetch needs `duplex` for a stream body; the DOM RequestInit type lacks it.
      const init: RequestInit & { duplex: 'half' } = {
        method: 'POST',
        headers: { Authorization: basic(KEY, SECRET), 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
        body,
        duplex: 'half',
      };
      const response = await fetch(`${base}/statements`, init);
      expect(response.status).to.equal(413);
    });

    it('PUT with statementId: 204, then retrievable', async () => {
      const id = uuid();
      clock.advance(1000);
      const response = await call('PUT', `/statements?statementId=${id}`, { body: statement() });
      expect(response.status, await response.clone().text()).to.equal(204);
      expect(await response.text()).to.equal('');
      expect(await json(await call('GET', `/statements?statementId=${id}`))).to.include({ id });
    });

    it('PUT: 400 without statementId, with a bad one, or with a different id in the body', async () => {
      expect((await call('PUT', '/statements', { body: statement() })).status).to.equal(400);
      expect((await call('PUT', '/statements?statementId=wrong', { body: statement() })).status).to.equal(400);
      const mismatch = await call('PUT', `/statements?statementId=${uuid()}`, { body: statement({ id: uuid() }) });
      expect(mismatch.status).to.equal(400);
      expect(await json(mismatch)).to.include({ field: 'id' });
      const array = await call('PUT', `/statements?statementId=${uuid()}`, { body: [statement()] });
      expect(array.status).to.equal(400);
    });

    it('the same id with the same content is accepted; with different content, 409', async () => {
      const id = uuid();
      const original = statement({ id });
      await post(original);
      const count = store.count();
      expect((await call('POST', '/statements', { body: original })).status).to.equal(200);
      expect((await call('PUT', `/statements?statementId=${id}`, { body: original })).status).to.equal(204);
      const changed = statement({ id, verb: { id: VERBS.attempted } });
      const conflict = await call('POST', '/statements', { body: changed });
      expect(conflict.status).to.equal(409);
      expect(await json(conflict)).to.include({ field: 'id' });
      expect((await call('PUT', `/statements?statementId=${id}`, { body: changed })).status).to.equal(409);
      expect(store.count()).to.equal(count);
      expect((await json(await call('GET', `/statements?statementId=${id}`))).verb).to.deep.include({ id: VERBS.completed });
    });
  });

  describe('voiding', () => {
    it('a voided statement is 404 by statementId and 200 by voidedStatementId', async () => {
      const [target] = await post(statement());
      const [voider] = await post(voiding(target));
      expect((await call('GET', `/statements?statementId=${target}`)).status).to.equal(404);
      const voided = await call('GET', `/statements?voidedStatementId=${target}`);
      expect(voided.status).to.equal(200);
      expect(await json(voided)).to.include({ id: target });
      expect((await call('GET', `/statements?voidedStatementId=${voider}`)).status).to.equal(404);
      const all = await getResult('?limit=20');
      expect(idsOf(all.statements)).to.include(voider).and.not.include(target);
    });

    it('400 for voiding an unknown statement or a voiding statement', async () => {
      const unknown = await call('POST', '/statements', { body: voiding(uuid()) });
      expect(unknown.status).to.equal(400);
      expect(await json(unknown)).to.include({ field: 'object.id' });
      const [target] = await post(statement());
      const [voider] = await post(voiding(target));
      expect((await call('POST', '/statements', { body: voiding(voider) })).status).to.equal(400);
    });
  });

  describe('GET statements', () => {
    it('rejects unknown, repeated and conflicting parameters', async () => {
      const id = uuid();
      for (const query of [
        '?foo=1',
        '?StatementId=' + id,
        `?statementId=${id}&voidedStatementId=${id}`,
        `?statementId=${id}&verb=${encodeURIComponent(VERBS.completed)}`,
        `?voidedStatementId=${id}&limit=1`,
        '?statementId=wrong',
        '?agent=wrong',
        '?verb=not.a.valid.iri.com/verb',
        '?activity=nope',
        '?registration=wrong',
        '?since=yesterday',
        '?until=2024-01-01',
        '?limit=-1',
        '?limit=ten',
        '?ascending=yes',
        '?format=full',
        '?related_agents=1',
        '?limit=1&limit=2',
        '?more=garbage!',
      ]) {
        const response = await call('GET', `/statements${query}`);
        expect(response.status, query).to.equal(400);
      }
    });

    it('404 for an unknown statementId; format and attachments are allowed with it', async () => {
      expect((await call('GET', `/statements?statementId=${uuid()}`)).status).to.equal(404);
      const [id] = await post(statement());
      const ids = await call('GET', `/statements?statementId=${id}&format=ids&attachments=false`);
      expect(ids.status).to.equal(200);
      expect((await json(ids)).verb).to.deep.equal({ id: VERBS.completed });
    });

    it('filters by agent, verb, activity and registration', async () => {
      const who = { mbox: `mailto:${uuid()}@example.org` };
      const registration = uuid();
      const verb = `http://example.org/verbs/${uuid()}`;
      const activity = `${COURSE}/${uuid()}`;
      const [byAgent] = await post(statement({ actor: who }));
      const [byVerb] = await post(statement({ verb: { id: verb } }));
      const [byActivity] = await post(statement({ object: { id: activity } }));
      const [byRegistration] = await post(statement({ context: { registration } }));
      const [asContext] = await post(statement({ context: { contextActivities: { parent: [{ id: activity }] } } }));

      const q = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;
      expect(idsOf((await getResult(q({ agent: JSON.stringify(who) }))).statements)).to.deep.equal([byAgent]);
      expect(idsOf((await getResult(q({ verb }))).statements)).to.deep.equal([byVerb]);
      expect(idsOf((await getResult(q({ activity }))).statements)).to.deep.equal([byActivity]);
      expect(idsOf((await getResult(q({ activity, related_activities: 'true' }))).statements)).to.deep.equal([asContext, byActivity]);
      expect(idsOf((await getResult(q({ registration }))).statements)).to.deep.equal([byRegistration]);
      expect(idsOf((await getResult(q({ verb, agent: JSON.stringify(who) }))).statements)).to.deep.equal([]);
    });

    it('filters by since/until on stored, with ascending order', async () => {
      const verb = `http://example.org/verbs/${uuid()}`;
      const ids: string[] = [];
      const stored: string[] = [];
      for (let i = 0; i < 3; i++) {
        const [id] = await post(statement({ verb: { id: verb } }));
        ids.push(id);
        stored.push(String((await json(await call('GET', `/statements?statementId=${id}`))).stored));
      }
      const q = (params: Record<string, string>) => `?${new URLSearchParams({ verb, ...params })}`;
      expect(idsOf((await getResult(q({ since: stored[0] }))).statements)).to.deep.equal([ids[2], ids[1]]);
      expect(idsOf((await getResult(q({ until: stored[1] }))).statements)).to.deep.equal([ids[1], ids[0]]);
      expect(idsOf((await getResult(q({ since: stored[0], until: stored[1] }))).statements)).to.deep.equal([ids[1]]);
      expect(idsOf((await getResult(q({ ascending: 'true' }))).statements)).to.deep.equal(ids);
    });

    it('pages with limit and a more IRL that works as a relative path', async () => {
      const verb = `http://example.org/verbs/${uuid()}`;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(...(await post(statement({ verb: { id: verb } }))));
      const first = await getResult(`?${new URLSearchParams({ verb, limit: '2' })}`);
      expect(idsOf(first.statements)).to.deep.equal([ids[4], ids[3]]);
      expect(first.more.startsWith('/xapi/statements?more=')).to.equal(true);
      const second = await getResult(first.more.slice('/xapi/statements'.length));
      expect(idsOf(second.statements)).to.deep.equal([ids[2], ids[1]]);
      const third = await getResult(second.more.slice('/xapi/statements'.length));
      expect(idsOf(third.statements)).to.deep.equal([ids[0]]);
      expect(third.more).to.equal('');
      expect((await call('GET', `${second.more}&verb=${encodeURIComponent(verb)}`)).status).to.equal(400);
    });

    it('returns an empty StatementResult when nothing matches', async () => {
      const result = await getResult(`?verb=${encodeURIComponent('http://example.org/verbs/none')}`);
      expect(result).to.deep.equal({ statements: [], more: '' });
    });

    it('answers HEAD like GET without a body', async () => {
      const response = await call('HEAD', '/statements');
      expect(response.status).to.equal(200);
      expect(response.headers.get('x-experience-api-consistent-through')).to.not.equal(null);
      expect(await response.text()).to.equal('');
    });

    it('with attachments=true, answers multipart/mixed with the JSON first', async () => {
      const [id] = await post(statement());
      const response = await call('GET', `/statements?statementId=${id}&attachments=true`);
      expect(response.status).to.equal(200);
      const type = response.headers.get('content-type') ?? '';
      expect(type).to.match(/^multipart\/mixed; boundary=/);
      const text = await response.text();
      expect(text).to.contain('Content-Type: application/json').and.contain(`"id":"${id}"`);
    });

    it('returns canonical format in the Accept-Language', async () => {
      const [id] = await post(statement({ verb: { id: VERBS.completed, display: { 'en-US': 'completed', 'en-GB': 'finished' } } }));
      const response = await call('GET', `/statements?statementId=${id}&format=canonical`, { headers: { 'Accept-Language': 'en-GB' } });
      expect((await json(response)).verb).to.deep.equal({ id: VERBS.completed, display: { 'en-GB': 'finished' } });
    });
  });

  describe('what is stored', () => {
    it('every stored statement is valid xAPI (@learninglocker/xapi-validation)', async () => {
      await post([
        statement({ context: { registration: uuid(), contextActivities: { parent: { id: COURSE } }, instructor: agent('Grace') } }),
        statement({
          object: {
            objectType: 'SubStatement',
            actor: agent('Lin'),
            verb: { id: VERBS.attempted },
            object: { id: LESSON, definition: { interactionType: 'choice', choices: [{ id: 'a' }, { id: 'b' }], correctResponsesPattern: ['a'] } },
          },
          result: { score: { scaled: 0.5, raw: 5, min: 0, max: 10 }, success: true, duration: 'PT2M' },
        }),
        statement({ actor: { objectType: 'Group', member: [agent('Ada'), agent('Lin')] } }),
      ]);
      expect(validateXapi({ actor: { mbox: 'ada' }, verb: {}, object: {} }), 'the validator itself works').to.not.be.empty;
      let page = await getResult('?limit=20');
      let checked = 0;
      for (;;) {
        for (const stored of page.statements) {
          const warnings = validateXapi(stored);
          expect(warnings, JSON.stringify({ stored, warnings })).to.deep.equal([]);
          checked += 1;
        }
        if (!page.more) break;
        page = await getResult(page.more.slice('/xapi/statements'.length));
      }
      const voided = Number(store.db.prepare('SELECT count(*) FROM lrs_voided').pluck().get());
      expect(checked).to.be.greaterThan(3).and.to.equal(store.count() - voided);
    });
  });
});
