import { expect } from 'chai';
import { HttpStatementSource } from '../../src/admin/index.js';
import { AggregateStore } from '../../src/admin/aggregates.js';
import { Sessions } from '../../src/admin/auth.js';
import type { Clock } from '../../src/ports.js';
import { Browserless, ID_BASE, seedStatements, startAdmin, type AdminHarness, type SeedLearner } from './harness.js';

const PASSWORD = 'correct horse battery staple';

/** 6 web chat learners pass (shown), 2 Teams learners fail (fewer than 5: suppressed). */
const LEARNERS: SeedLearner[] = [
  ...Array.from({ length: 6 }, (_, i): SeedLearner => ({ id: `dl_web${i}`, channel: 'webchat', audience: 'social-care', upTo: 'passed' })),
  { id: 'dl_teams0', channel: 'msteams', audience: 'nhs', upTo: 'failed' },
  { id: 'dl_teams1', channel: 'msteams', audience: 'nhs', upTo: 'failed' },
];

function rowOf(html: string, label: string): string {
  const m = new RegExp(`<tr class="nhsuk-table__row"><th scope="row"[^>]*>(?:<a[^>]*>)?${label}(?:</a>)?</th>(.*?)</tr>`).exec(html);
  return m?.[1]?.replace(/<[^>]+>/g, '|') ?? '';
}

describe('admin: figures, exports, audit and erasure', function () {
  let h: AdminHarness;
  let b: Browserless;

  before(async () => {
    h = await startAdmin({ ADMIN_PASSWORD: PASSWORD });
    h.lrs.storeStatements(seedStatements(LEARNERS));
    b = new Browserless(h.url);
    const res = await b.signIn(PASSWORD);
    expect(res.status).to.equal(303);
  });
  after(async () => h.close());

  it('refuses a wrong password and a form without the CSRF token', async () => {
    const other = new Browserless(h.url);
    expect((await other.signIn('not the password at all')).status).to.equal(401);
    expect((await other.post('/admin/sign-in', { username: 'admin', password: PASSWORD })).status).to.equal(403);
    expect((await b.post('/admin/sign-out', {})).status).to.equal(403);
  });

  it('shows figures about fewer than MIN_COHORT learners as "fewer than 5", on the page and in the CSV', async () => {
    const html = await (await b.fetch('/admin')).text();
    expect(rowOf(html, 'Web chat')).to.match(/\|6\|.*\|6\|.*\|6\|/);
    expect(rowOf(html, 'Microsoft Teams')).to.contain('fewer than 5');
    expect(rowOf(html, 'Microsoft Teams')).not.to.match(/\|2\|/);
    const csv = await (await b.fetch('/admin?export=csv&table=by-channel')).text();
    expect(csv).to.contain('Microsoft Teams,fewer than 5,fewer than 5,0');
    expect(csv).to.contain('Web chat,6,6,6');
    const topics = await (await b.fetch('/admin/topics?export=csv&table=lessons')).text();
    expect(topics.trim().split('\r\n')[1]).to.match(/,8,8,6,fewer than 5$/);
  });

  it('shows a lesson funnel card by card and the questions answered wrong', async () => {
    const lessons = await (await b.fetch('/admin/topics')).text();
    const href = /href="(\/admin\/topics\/[^"]+)"/.exec(lessons)?.[1];
    expect(href).to.be.a('string');
    const funnel = await (await b.fetch(`${href}?export=csv&table=funnel`)).text();
    expect(funnel).to.match(/^Step,Learners\r\nStarted,8\r\nCard 1: .*,8\r\n/);
    expect(funnel).to.match(/Completed,8\r\nPassed,6\r\n$/);
    const wrong = await (await b.fetch(`${href}?export=csv&table=wrong`)).text();
    expect(wrong.split('\r\n')[1]).to.contain('fewer than 5');
  });

  it('exports exactly the statements the filter shows, as CSV and as xAPI JSON', async () => {
    const filter = 'verb=' + encodeURIComponent('http://adlnet.gov/expapi/verbs/completed');
    const html = await (await b.fetch(`/admin/statements?${filter}`)).text();
    const shown = [...html.matchAll(/href="\/admin\/statements\/([0-9a-f-]{36})"/g)].map((m) => m[1]).sort();
    expect(shown).to.have.length(8);
    const csv = await (await b.fetch(`/admin/statements?${filter}&export=csv&table=statements`)).text();
    const csvIds = csv.trim().split('\r\n').slice(1).map((line) => line.split(',').pop()).sort();
    expect(csvIds).to.deep.equal(shown);
    const json = (await (await b.fetch(`/admin/export/statements.json?${filter}`)).json()) as { id: string; verb: { id: string } }[];
    expect(json.map((s) => s.id).sort()).to.deep.equal(shown);
    expect(json.every((s) => s.verb.id === 'http://adlnet.gov/expapi/verbs/completed')).to.equal(true);
    const bad = await b.fetch('/admin/statements?registration=not-a-uuid');
    expect(bad.status).to.equal(400);
    expect(await bad.text()).to.contain('registration must be a UUID');
  });

  it('writes an audit entry for each page view and export, and shows them on the audit page', async () => {
    await b.fetch('/admin/champions');
    await b.fetch('/admin/questions?export=csv&table=most-asked');
    const entries = h.admin.audit.list(500);
    expect(entries.some((e) => e.who === 'admin' && e.action === 'view' && e.what === '/admin/champions')).to.equal(true);
    expect(entries.some((e) => e.action === 'export' && e.what.startsWith('CSV most-asked of /admin/questions'))).to.equal(true);
    expect(entries.some((e) => e.action === 'export' && e.what.startsWith('xAPI JSON'))).to.equal(true);
    expect(() => h.admin.audit.db.prepare('DELETE FROM admin_audit').run()).to.throw(/append-only/);
    expect(() => h.admin.audit.db.prepare(`UPDATE admin_audit SET who = 'x'`).run()).to.throw(/append-only/);
    const page = await (await b.fetch('/admin/audit')).text();
    expect(page).to.contain('/admin/champions');
  });

  it('shows one learner\'s journey, and erasing the learner leaves none of their statements and updates the figures', async () => {
    const journey = await (await b.fetch('/admin/learners?id=dl_web0')).text();
    expect(journey).to.contain('Journey of learner dl_web0');
    expect(journey).to.contain('started');
    const voided = await h.admin.eraseLearner('dl_web0');
    expect(voided).to.be.greaterThan(5);
    const left = h.lrs.store.query({ agent: { objectType: 'Agent', account: { homePage: ID_BASE, name: 'dl_web0' } }, limit: 0 });
    expect(left.statements.filter((s) => s.actor.account?.name === 'dl_web0')).to.deep.equal([]);
    const all = h.lrs.store.query({ limit: 0 });
    expect(all.statements.some((s) => s.actor.account?.name === 'dl_web0')).to.equal(false);
    const csv = await (await b.fetch('/admin?export=csv&table=by-channel')).text();
    expect(csv).to.contain('Web chat,5,5,5');
    const after = await (await b.fetch('/admin/learners?id=dl_web0')).text();
    expect(after).to.contain('Nothing recorded yet.');
  });

  it('reads the same figures from an external LRS through the xAPI statements API', async () => {
    const source = new HttpStatementSource({ endpoint: `${h.url}/xapi`, key: 'test-key', secret: 'test-secret-123' });
    const agg = new AggregateStore({ file: ':memory:', source, idBase: ID_BASE, pageSize: 7 });
    try {
      const result = await agg.catchUp();
      expect(result.upToDate).to.equal(true);
      for (const key of ['all:started', 'all:passed', 'dim:channel:webchat:passed', 'dim:channel:msteams:failed']) {
        expect(agg.count(key), key).to.deep.equal(h.admin.aggregates.count(key));
      }
      // New statements are added incrementally from the cursor.
      h.lrs.storeStatements(seedStatements([{ id: 'dl_new', channel: 'lms', audience: 'both', upTo: 'completed' }]));
      expect((await agg.catchUp()).processed).to.be.greaterThan(3);
      expect(agg.count('dim:channel:lms:completed').learners).to.equal(1);
      expect((await agg.catchUp()).processed).to.equal(0);
    } finally {
      agg.close();
    }
  });

  it('signs out', async () => {
    const token = /name="_csrf" value="([^"]+)"/.exec(await (await b.fetch('/admin')).text())?.[1] ?? '';
    expect((await b.post('/admin/sign-out', { _csrf: token })).status).to.equal(303);
    const res = await b.fetch('/admin');
    expect(res.status).to.equal(302);
    expect(res.headers.get('location')).to.equal('/admin/sign-in');
  });
});

describe('admin sessions', () => {
  it('end after the idle timeout, and a tampered cookie is no session', () => {
    let now = Date.parse('2026-11-23T10:00:00Z');
    const clock: Clock = { now: () => new Date(now) };
    const sessions = new Sessions(Buffer.alloc(32, 7), clock, 30 * 60_000, true);
    const s = sessions.create();
    const cookie = sessions.setCookie(s);
    expect(cookie).to.match(/HttpOnly/).and.match(/SameSite=Lax/).and.match(/Secure/);
    const header = cookie.split(';')[0];
    now += 29 * 60_000;
    expect(sessions.read(header)?.id).to.equal(s.id);
    expect(sessions.read(header?.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).to.equal(undefined);
    now += 31 * 60_000;
    expect(sessions.read(header)).to.equal(undefined);
  });
});
