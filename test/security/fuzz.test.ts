/**
 * Issue 13: property tests (fast-check) that throw random and hostile input at every parser and
 * route that takes input across a trust boundary. Each must answer 4xx or a clear error — never
 * crash (5xx, a TypeError) — and a refused write must store nothing. Seeded and bounded: the
 * whole file runs in well under 60 s on two cores.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { readInput } from '../../dialogs/input.js';
import { isAcademyError } from '../../src/errors.js';
import { parseLesson } from '../../src/lessons/parser.js';
import { parseMultipart } from '../../src/lrs/multipart.js';
import { validateStatement, validateStatements } from '../../src/lrs/validate.js';
import type { Academy } from '../../src/main.js';
import { projectRoot } from '../../src/paths.js';
import { basicAuth, startTestAcademy } from '../support/academy.js';
import { shippedCatalog } from '../support/bot.js';
import { answer, tinyServer, type TinyServer } from './lmsHelpers.js';

const SEED = 1313;
const runs = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true });

// --- hostile values ---------------------------------------------------------------------------

const HOSTILE_STRINGS = [
  '', ' ', '\u0000', '\uFFFF', '\uD800', '%00', '%', '%zz', '../../etc/passwd', '<script>alert(1)</script>', "' OR 1=1 --", '${7*7}', '{{7*7}}',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'NaN', 'Infinity', '-0', '1e309', '9007199254740993',
  'mailto:', 'mailto:a@b', 'http://', 'https://x', 'javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'http://127.0.0.1:1/',
  'http://169.254.169.254/latest/meta-data/', 'urn:x', 'ä', 'ℌ', '\u202E', 'x'.repeat(3000), '2024-13-45T25:61:61Z', 'P1Y2M3DT4H5M6.7S', 'PT',
  '00000000-0000-0000-0000-000000000000', 'sha256:xyz', '=cmd|x', '-1+1', '@SUM(1)', '\t', '\r\n', '{"__proto__":{"polluted":1}}',
];

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));
const hostileNumber = fc.oneof(fc.constantFrom(0, -0, 1, -1, 0.5, 1e309, -1e309, Number.MAX_SAFE_INTEGER + 2, 1e-320), fc.double(), fc.integer());
/** Values as JSON.parse can make them (also own __proto__ keys). */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small' },
  hostileString,
  hostileNumber.filter(Number.isFinite),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}')),
  fc.constant(JSON.parse(`${'['.repeat(200)}${']'.repeat(200)}`)),
);

function validStatement(i = 0): Record<string, unknown> {
  return {
    id: `6690e6c9-3ef0-4ed3-8b37-7f3964730b${String(i).padStart(2, '0').slice(-2)}`,
    actor: { objectType: 'Agent', mbox: `mailto:learner${i}@example.org`, name: 'L' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-GB': 'answered' } },
    object: { objectType: 'Activity', id: `https://example.org/q/${i}`, definition: { type: 'http://adlnet.gov/expapi/activities/cmi.interaction', interactionType: 'choice', correctResponsesPattern: ['a'], choices: [{ id: 'a', description: { 'en-GB': 'A' } }] } },
    result: { success: true, score: { scaled: 0.5, raw: 1, min: 0, max: 2 }, duration: 'PT1M' },
    context: { registration: '760e3480-ba55-4991-94b0-01820dbd23a2', contextActivities: { parent: [{ id: 'https://example.org/lesson' }] }, extensions: { 'https://example.org/x': 1 } },
    timestamp: '2026-11-20T09:00:00.000Z',
  };
}

const PATHS = [
  'id', 'actor', 'actor.objectType', 'actor.mbox', 'actor.mbox_sha1sum', 'actor.account', 'actor.account.homePage', 'actor.member', 'actor.openid', 'verb', 'verb.id',
  'verb.display', 'object', 'object.id', 'object.objectType', 'object.definition', 'object.definition.type', 'object.definition.interactionType',
  'object.definition.choices', 'object.definition.correctResponsesPattern', 'object.object', 'result', 'result.score', 'result.score.scaled', 'result.score.raw',
  'result.duration', 'result.extensions', 'context', 'context.registration', 'context.contextActivities', 'context.contextActivities.parent', 'context.extensions',
  'context.language', 'context.statement', 'timestamp', 'stored', 'authority', 'version', 'attachments', '__proto__', 'constructor.prototype',
];

/** A copy of `base` with the value at `path` replaced (objects created on the way). */
function setPath(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    const next = Object.getOwnPropertyDescriptor(at, key)?.value;
    const child = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : {};
    Object.defineProperty(at, key, { value: child, enumerable: true, writable: true, configurable: true });
    at = child;
  }
  Object.defineProperty(at, keys[keys.length - 1], { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A statement with up to three hostile edits (or a wholly random value). */
const hostileStatement = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.tuple(fc.constantFrom(...PATHS), hostileJson), { minLength: 1, maxLength: 3 }).map((edits) => edits.reduce((s, [p, v]) => setPath(s, p, v), validStatement())) },
  { weight: 1, arbitrary: hostileJson },
);

/** Runs `fn`; passes when it returns, or throws an AcademyError with a 4xx status. */
function clearOrOk(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!isAcademyError(e) || e.status < 400 || e.status >= 500) throw e;
  }
}

describe('security: fuzzing every input that crosses a boundary (issue 13)', function () {
  this.timeout(120_000);

  it('the statement validator gives a 400 naming the field, or the statement, for anything', () => {
    fc.assert(fc.property(hostileStatement, (s) => clearOrOk(() => validateStatement(s))), runs(1000));
    fc.assert(fc.property(fc.array(hostileStatement, { maxLength: 4 }), (batch) => clearOrOk(() => validateStatements(batch))), runs(300));
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('multipart parsing gives a 4xx or the parts, for any body and Content-Type', () => {
    const header = fc.tuple(fc.constantFrom('Content-Type', 'content-transfer-encoding', 'X-Experience-API-Hash', 'X-Other', ''), hostileString);
    const part = fc.tuple(fc.array(header, { maxLength: 4 }), fc.oneof(hostileString, fc.jsonValue().map((v) => JSON.stringify(v))));
    const body = fc.tuple(fc.constantFrom('b0undary', 'x', '--', '', 'a'.repeat(80)), fc.array(part, { maxLength: 4 }), fc.constantFrom('\r\n', '\n', ''), fc.boolean()).map(([b, parts, eol, close]) => {
      const text = parts.map(([hs, data]) => `--${b}${eol}${hs.map(([k, v]) => `${k}: ${v}`).join(eol)}${eol}${eol}${data}${eol}`).join('') + (close ? `--${b}--${eol}` : '');
      return { boundary: b, body: Buffer.from(text) };
    });
    const contentType = (b: string) => fc.constantFrom(`multipart/mixed; boundary=${b}`, `multipart/mixed; boundary="${b}"`, 'multipart/mixed', 'multipart/mixed; boundary=', `multipart/mixed; boundary=${b}; boundary=x`, 'text/plain');
    fc.assert(fc.property(body.chain((b) => fc.tuple(fc.constant(b), contentType(b.boundary))), ([b, type]) => clearOrOk(() => parseMultipart(b.body, type))), runs(500));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), hostileString, (bytes, type) => clearOrOk(() => parseMultipart(Buffer.from(bytes), type))), runs(300));
  });

  it('the lesson parser gives a clear content error (422 naming file and field) or a lesson, for any file', () => {
    const real = readFileSync(join(projectRoot(), 'content', `${shippedCatalog().lessons[0].topic}.md`), 'utf8');
    const lines = real.split('\n');
    const edit = fc.oneof(
      fc.tuple(fc.constant('delete' as const), fc.nat(lines.length - 1), hostileString),
      fc.tuple(fc.constant('replace' as const), fc.nat(lines.length - 1), hostileString),
      fc.tuple(fc.constant('insert' as const), fc.nat(lines.length - 1), fc.constantFrom('---', '## Card:', '## Check:', '- [x] ', '- [ ] ', '  Feedback:', 'id: &a [*a]', 'x: !!js/function "f(){}"', 'a: *undefined_alias', 'minutes: 1e999', 'audience: [both', 'sources: {url: javascript:1}', 'frameworks: null', 'keywords: 5', '<<: *a', 'masteryScore: -1')),
    );
    const file = fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
      const out = [...lines];
      for (const [kind, at, text] of edits) {
        const i = Math.min(at, out.length);
        if (kind === 'delete') out.splice(i, 1);
        else if (kind === 'replace') out[i] = text;
        else out.splice(i, 0, text);
      }
      return out.join('\n');
    });
    const check = (text: string) => {
      try {
        parseLesson(text, `content/${shippedCatalog().lessons[0].topic}.md`);
      } catch (e) {
        if (!isAcademyError(e) || e.status !== 422 || !e.message.includes('.md: ')) throw e;
      }
    };
    fc.assert(fc.property(file, check), runs(200));
    fc.assert(fc.property(fc.oneof(hostileString, fc.string({ maxLength: 400 }).map((s) => `---\n${s}\n---\n${s}`)), check), runs(100));
  });

  it('the activity parser reads any activity a channel can send, and never throws', () => {
    const data = fc.record(
      { academy: fc.oneof(fc.constantFrom('role', 'menu', 'start', 'answer', 'rate', 'rate-answer', 'champion-reply', 'topic', 'course', 'next', 'erase-confirm'), hostileString), role: hostileJson, area: hostileJson, lesson: hostileJson, option: fc.oneof(hostileNumber, hostileJson), rating: hostileJson, topic: hostileJson, helpful: hostileJson, request: hostileJson, reply: hostileJson, at: hostileJson },
      { requiredKeys: [] },
    );
    const activity = fc.record({ text: fc.oneof(hostileString, hostileJson), value: fc.oneof(data, hostileJson), channelData: hostileJson }, { requiredKeys: [] });
    fc.assert(
      fc.property(activity, (a) => {
        const input = readInput(a as Partial<Activity>);
        expect(input.kind).to.be.a('string');
      }),
      runs(1500),
    );
  });
});

describe('security: fuzzing the academy over HTTP (issue 13)', function () {
  this.timeout(120_000);
  const PASSWORD = 'correct horse battery staple';
  let academy: Academy;
  let lms: TinyServer;
  let probe: TinyServer;
  let lrsAuth: string;

  before(async () => {
    probe = await tinyServer();
    // An allowed cmi5 LMS whose answers are as hostile as the path asks for.
    const answers = ['{"auth-token":"dG9rZW4="}', '{"error-code":1}', '{"error-code":"x","error-text":"<b>"}', '[]', 'null', 'not json', '{"auth-token":5}', '{"contextTemplate":{},"launchMode":"Normal"}', '{"contextTemplate":{"extensions":{"https://w3id.org/xapi/cmi5/context/extensions/sessionid":"s"}},"launchMode":"Normal","returnURL":"javascript:alert(1)"}'];
    lms = await tinyServer((req, res) => {
      const n = Number(/\/(\d+)(?:\/|$|\?)/.exec(req.url ?? '')?.[1] ?? '0');
      if (n % 11 === 10) return answer(res, 302, { Location: `${probe.url}/x` });
      answer(res, [200, 200, 404, 500, 401][n % 5], { 'Content-Type': 'application/json' }, answers[n % answers.length]);
    });
    academy = await startTestAcademy({ ADMIN_PASSWORD: PASSWORD, CMI5_ALLOWED_ENDPOINTS: lms.url, LMS_ALLOWED_ORIGINS: 'https://lms.example.org', CMI5_REQUEST_TIMEOUT_MS: '1000' });
    lrsAuth = basicAuth(academy.lrsCredentials.key, academy.lrsCredentials.secret);
  });
  after(async () => {
    await academy?.close();
    await lms?.close();
    await probe?.close();
  });

  const lrs = (path: string, init: RequestInit = {}) => fetch(`${academy.url}/xapi${path}`, { ...init, headers: { Authorization: lrsAuth, 'X-Experience-API-Version': '1.0.3', ...(init.headers as Record<string, string> | undefined) } });
  const count = async () => {
    let n = 0;
    let next = '/statements?limit=0';
    while (next) {
      const page = (await (await lrs(next)).json()) as { statements: unknown[]; more: string };
      n += page.statements.length;
      next = page.more.replace(/^\/xapi/, '');
    }
    return n;
  };

  it('POST /xapi/statements: a batch with a hostile statement is refused whole (nothing stored) or stored whole', async () => {
    let serial = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostileStatement, { minLength: 1, maxLength: 4 }), fc.nat(3), async (hostile, good) => {
        const goods = Array.from({ length: good }, () => ({ ...validStatement(), id: crypto.randomUUID(), actor: { mbox: `mailto:f${(serial += 1)}@example.org` } }));
        const before = await count();
        const res = await lrs('/statements', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([...goods, ...hostile]) });
        expect(res.status, await res.clone().text()).to.be.below(500);
        const after = await count();
        if (res.status >= 400) expect(after, 'a refused batch stored something').to.equal(before);
        else expect(after).to.be.at.most(before + goods.length + hostile.length);
      }),
      runs(30),
    );
  });

  it('GET /xapi/statements with random and hostile filters answers 200 or 4xx', async () => {
    const names = fc.constantFrom('agent', 'verb', 'activity', 'registration', 'related_activities', 'related_agents', 'since', 'until', 'limit', 'format', 'attachments', 'ascending', 'statementId', 'voidedStatementId', 'more', 'method', 'x', '__proto__');
    const value = fc.oneof(hostileString, hostileJson.map((v) => JSON.stringify(v) ?? 'null'), fc.constantFrom('{"mbox":"mailto:a@b.c"}', '{"objectType":"Group","member":[]}', 'true', 'false', '0', '-1', '1e9', 'exact', 'ids', 'canonical'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(names, value), { maxLength: 4 }), async (params) => {
        const q = new URLSearchParams(params).toString();
        const res = await lrs(`/statements?${q}`);
        expect(res.status, `${q}: ${await res.clone().text()}`).to.be.below(500);
        await res.arrayBuffer();
      }),
      runs(100),
    );
  });

  it('POST /admin/* forms with random fields answer 4xx or a page, never 5xx', async () => {
    const jar = { cookie: '' };
    const admin = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${academy.url}${path}`, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), Cookie: jar.cookie } });
      for (const set of res.headers.getSetCookie()) if (set.startsWith('academy_admin=')) jar.cookie = set.split(';')[0];
      return res;
    };
    const csrfOf = async (path: string) => /name="_csrf" value="([^"]+)"/.exec(await (await admin(path)).text())?.[1] ?? '';
    const signIn = await admin('/admin/sign-in', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: await csrfOf('/admin/sign-in'), username: 'admin', password: PASSWORD }).toString() });
    expect(signIn.status).to.equal(303);
    const csrf = await csrfOf('/admin/questions');
    expect(csrf).to.not.equal('');
    const paths = fc.constantFrom('/admin/questions/1/attach', '/admin/questions/1/handled', '/admin/questions/%00/attach', `/admin/questions/${'9'.repeat(40)}/handled`, '/admin/sign-in', '/admin/auth/start', '/admin/sign-out', '/admin/questions/x/attach');
    const field = fc.tuple(fc.constantFrom('_csrf', 'topic', 'username', 'password', 'id', 'question', '__proto__', 'x'), hostileString);
    await fc.assert(
      fc.asyncProperty(paths, fc.array(field, { maxLength: 5 }), fc.boolean(), fc.constantFrom('application/x-www-form-urlencoded', 'multipart/form-data', 'application/json', ''), async (path, fields, withCsrf, type) => {
        const form = new URLSearchParams(fields);
        if (withCsrf) form.set('_csrf', csrf);
        if (path === '/admin/sign-out') return; // keeps the session for the next runs
        const res = await admin(path, { method: 'POST', headers: type ? { 'Content-Type': type } : {}, body: form.toString() });
        expect(res.status, `${path} ${form}`).to.be.below(500);
        await res.arrayBuffer();
      }),
      runs(80),
    );
    const pages = fc.constantFrom('/admin', '/admin/topics', '/admin/topics/x', '/admin/questions', '/admin/champions', '/admin/learners', '/admin/statements', '/admin/statements/x', '/admin/audit');
    await fc.assert(
      fc.asyncProperty(pages, fc.array(fc.tuple(fc.constantFrom('from', 'to', 'days', 'area', 'verb', 'page', 'export', 'table', 'q', 'learner', 'since', 'limit'), hostileString), { maxLength: 4 }), async (path, query) => {
        const res = await admin(`${path}?${new URLSearchParams(query)}`);
        expect(res.status, `${path}?${new URLSearchParams(query)}`).to.be.below(500);
        await res.arrayBuffer();
      }),
      runs(80),
    );
  });

  it('GET /lms/cmi5/launch with random parameters answers a page (2xx, 4xx or 502), never calls a host that is not allowed', async () => {
    const lesson = shippedCatalog().lessons[0].id;
    let n = 0;
    const url = fc.oneof(
      fc.constant('lms').map(() => `${lms.url}/${(n += 1)}/`),
      fc.constantFrom(`${probe.url}/`, 'http://127.0.0.1:1/', 'http://[::1]/', 'http://0x7f000001/', 'http://2130706433/', `${lms.url}@evil.example/`, `http://evil.example#${lms.url}`, `${lms.url.replace('http', 'https')}/`),
      hostileString,
    );
    const actor = fc.oneof(fc.constant(JSON.stringify({ objectType: 'Agent', account: { homePage: 'https://lms.example.org', name: 'n' } })), hostileJson.map((v) => JSON.stringify(v) ?? ''), hostileString);
    const params = fc.record({ endpoint: url, fetch: url, actor, registration: fc.oneof(fc.uuid(), hostileString), activityId: fc.oneof(fc.webUrl(), hostileString), lesson: fc.oneof(fc.constant(lesson), hostileString) }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(params, fc.array(fc.tuple(hostileString, hostileString), { maxLength: 2 }), async (p, extra) => {
        const q = new URLSearchParams([...Object.entries(p), ...extra]);
        const res = await fetch(`${academy.url}/lms/cmi5/launch?${q}`);
        const html = await res.text();
        expect(res.status === 502 || res.status < 500, `${q}: ${res.status}`).to.equal(true);
        expect(html).not.to.match(/\bat \w+ \(|TypeError|HTTP \d{3}/);
      }),
      runs(80),
    );
    expect(probe.hits).to.deep.equal([]);
  });

  it('POST /lms/scorm/sessions with random bodies and origins answers 201 or 4xx', async () => {
    const body = fc.oneof(hostileString, hostileJson.map((v) => JSON.stringify(v) ?? ''), fc.record({ lesson: hostileJson, launch: hostileJson, student: hostileJson, resume: hostileJson }, { requiredKeys: [] }).map((v) => JSON.stringify(v)));
    const origin = fc.option(fc.constantFrom('https://lms.example.org', 'https://evil.example', 'null', '', 'https://lms.example.org.evil.example', 'https://LMS.example.org'), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(body, origin, async (b, o) => {
        const res = await fetch(`${academy.url}/lms/scorm/sessions`, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...(o !== undefined ? { Origin: o } : {}) }, body: b });
        expect(res.status, `${o} ${b.slice(0, 80)}`).to.be.below(500);
        if (o !== 'https://lms.example.org') expect(res.status).to.equal(403);
        await res.arrayBuffer();
      }),
      runs(100),
    );
  });
});
