import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { DocumentStore } from '../../src/lrs/documents.js';
import { registerLrsRoutes } from '../../src/lrs/routes.js';
import { StatementStore } from '../../src/lrs/store.js';
import { ManualClock, statement } from './fixtures.js';

const KEY = 'dockey';
const SECRET = 'docsecret';
const AUTH = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
const ACTIVITY = 'http://example.com/activities/lesson-1';
const AGENT = JSON.stringify({ objectType: 'Agent', account: { homePage: 'https://academy.example', name: 'learner-1' } });

describe('lrs/documents (State, Activity Profile, Agent Profile, Agents, Activities)', () => {
  let server: restify.Server;
  let store: StatementStore;
  let documents: DocumentStore;
  let base: string;

  before(async () => {
    const clock = new ManualClock();
    store = new StatementStore(':memory:', clock);
    documents = new DocumentStore(':memory:', clock);
    server = restify.createServer({ handleUncaughtExceptions: false });
    registerLrsRoutes(server, { store, documents, credentials: { key: KEY, secret: SECRET }, clock });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/xapi`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    documents.close();
    store.close();
  });

  function call(
    method: string,
    path: string,
    params: Record<string, string>,
    options: { body?: unknown; headers?: Record<string, string>; version?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      Authorization: AUTH,
      'X-Experience-API-Version': options.version ?? '1.0.3',
      ...options.headers,
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    return fetch(`${base}${path}?${new URLSearchParams(params)}`, { method, headers, body });
  }

  const state = (stateId: string): Record<string, string> => ({ activityId: ACTIVITY, agent: AGENT, stateId });

  it('stores, merges, lists and deletes State documents', async () => {
    expect((await call('PUT', '/activities/state', state('s1'), { body: { a: 1 } })).status).to.equal(204);
    expect((await call('POST', '/activities/state', state('s1'), { body: { b: 2 } })).status).to.equal(204);
    const got = await call('GET', '/activities/state', state('s1'));
    expect(got.status).to.equal(200);
    expect(got.headers.get('etag')).to.match(/^"[0-9a-f]{40}"$/);
    expect(await got.json()).to.deep.equal({ a: 1, b: 2 });

    const ids = await call('GET', '/activities/state', { activityId: ACTIVITY, agent: AGENT });
    expect(await ids.json()).to.deep.equal(['s1']);

    expect((await call('DELETE', '/activities/state', { activityId: ACTIVITY, agent: AGENT })).status).to.equal(204);
    expect((await call('GET', '/activities/state', state('s1'))).status).to.equal(404);
  });

  it('refuses to merge a non-JSON document (400) and keeps the original', async () => {
    await call('PUT', '/activities/state', state('text'), { body: 'plain', headers: { 'Content-Type': 'text/plain' } });
    const post = await call('POST', '/activities/state', state('text'), { body: { a: 1 } });
    expect(post.status).to.equal(400);
    expect(await (await call('GET', '/activities/state', state('text'))).text()).to.equal('plain');
  });

  it('applies If-Match / If-None-Match (412) and 409 on an unconditional PUT of an existing profile', async () => {
    const params = { activityId: ACTIVITY, profileId: 'p1' };
    const create = await call('PUT', '/activities/profile', params, { body: { v: 1 }, headers: { 'If-None-Match': '*' } });
    expect(create.status).to.equal(204);
    const etag = create.headers.get('etag') ?? '';
    expect((await call('PUT', '/activities/profile', params, { body: { v: 2 } })).status).to.equal(409);
    const stale = await call('PUT', '/activities/profile', params, { body: { v: 2 }, headers: { 'If-Match': '"nope"' } });
    expect(stale.status).to.equal(412);
    const again = await call('PUT', '/activities/profile', params, { body: { v: 2 }, headers: { 'If-None-Match': '*' } });
    expect(again.status).to.equal(412);
    const ok = await call('PUT', '/activities/profile', params, { body: { v: 2 }, headers: { 'If-Match': etag } });
    expect(ok.status).to.equal(204);
    expect(await (await call('GET', '/activities/profile', params)).json()).to.deep.equal({ v: 2 });
  });

  it('keeps Agent Profiles per agent and answers /agents with a Person', async () => {
    const params = { agent: AGENT, profileId: 'prefs' };
    expect((await call('PUT', '/agents/profile', params, { body: { theme: 'dark' } })).status).to.equal(400);
    const put = await call('PUT', '/agents/profile', params, { body: { theme: 'dark' }, headers: { 'If-None-Match': '*' } });
    expect(put.status).to.equal(204);
    expect(await (await call('GET', '/agents/profile', params)).json()).to.deep.equal({ theme: 'dark' });
    const person = await call('GET', '/agents', { agent: AGENT });
    expect(await person.json()).to.deep.equal({
      objectType: 'Person',
      account: [{ homePage: 'https://academy.example', name: 'learner-1' }],
    });
    expect((await call('GET', '/agents/profile', { agent: '{"name":"no ifi"}', profileId: 'x' })).status).to.equal(400);
  });

  it('answers /activities with the stored definition of the Activity', async () => {
    const post = await fetch(`${base}/statements`, {
      method: 'POST',
      headers: { Authorization: AUTH, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
      body: JSON.stringify(statement()),
    });
    expect(post.status).to.equal(200);
    const id = 'https://academy.example.org/xapi/lessons/passwords';
    const activity = await call('GET', '/activities', { activityId: id });
    expect(await activity.json()).to.deep.equal({
      objectType: 'Activity',
      id,
      definition: { name: { 'en-GB': 'Strong passwords', 'en-US': 'Strong passwords (US)' } },
    });
  });

  it('answers a 2.0 request in 2.0.0 and applies 409 to State in 2.0', async () => {
    await call('PUT', '/activities/state', state('v2'), { body: { a: 1 }, version: '2.0.0' });
    const conflict = await call('PUT', '/activities/state', state('v2'), { body: { a: 2 }, version: '2.0.0' });
    expect(conflict.status).to.equal(409);
    expect(conflict.headers.get('x-experience-api-version')).to.equal('2.0.0');
  });
});
