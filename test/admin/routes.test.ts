import { expect } from 'chai';
import type restify from 'restify';
import { basicAuth, startTestAcademy } from '../support/academy.js';
import type { Academy } from '../../src/main.js';
import { Browserless, seedStatements } from './harness.js';

const PASSWORD = 'a long local admin password';
/** Routes anyone may open: the sign-in steps and the design system's static files. */
const PUBLIC = new Set(['GET /admin/sign-in', 'POST /admin/sign-in', 'POST /admin/auth/start', 'GET /admin/auth/callback', 'POST /admin/sign-out', 'GET /admin/static/nhsuk.css', 'GET /admin/static/admin.css', 'GET /admin/static/assets/images/:file']);

function adminRoutes(server: restify.Server): { method: string; path: string }[] {
  const routes = (server as unknown as { router: { getRoutes(): Record<string, { method: string; path: string; spec?: { path: string } }> } }).router.getRoutes();
  return Object.values(routes)
    .map((r) => ({ method: r.method, path: String(r.spec?.path ?? r.path) }))
    .filter((r) => r.path === '/admin' || r.path.startsWith('/admin/'));
}

describe('admin routes in the running academy', function () {
  let academy: Academy;
  const learner = 'dl_SecretLearner0001';

  before(async () => {
    academy = await startTestAcademy({ ADMIN_PASSWORD: PASSWORD });
    const statements = seedStatements(Array.from({ length: 6 }, (_, i) => ({ id: `${learner}${i}`, channel: 'webchat' as const, audience: 'nhs' as const, upTo: 'passed' as const })));
    const res = await fetch(`${academy.url}/xapi/statements`, {
      method: 'POST',
      headers: { Authorization: basicAuth(academy.lrsCredentials.key, academy.lrsCredentials.secret), 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
      body: JSON.stringify(statements),
    });
    expect(res.status).to.equal(200);
  });
  after(async () => academy.close());

  it('answers every registered admin route with 302 to sign-in or 401 for an anonymous request, and no learner data', async () => {
    const routes = adminRoutes(academy.server);
    expect(routes.length).to.be.greaterThan(14);
    const lesson = seedStatements([{ id: 'x', channel: 'webchat', audience: 'nhs', upTo: 'started' }])[0] as { object: { id: string }; id: string };
    for (const { method, path } of routes) {
      const concrete = path.replace(':lesson', lesson.object.id.split('/').pop() ?? '').replace(':id', lesson.id).replace(':file', 'nhsuk-icon-search.svg');
      for (const suffix of ['', '?export=csv&table=headline', `?id=${learner}0&agent=${learner}0`]) {
        const res = await fetch(`${academy.url}${concrete}${suffix}`, { method, redirect: 'manual', ...(method === 'POST' ? { body: '' } : {}) });
        const body = await res.text();
        const label = `${method} ${concrete}${suffix} → ${res.status}`;
        expect(body, label).not.to.contain(learner);
        expect(body, label).not.to.match(/lesson started|attempted/i);
        if (PUBLIC.has(`${method} ${path}`)) continue;
        expect([302, 401], label).to.include(res.status);
        if (res.status === 302) expect(res.headers.get('location'), label).to.equal('/admin/sign-in');
      }
    }
  });

  it('signs in with the local admin account and shows the seeded figures', async () => {
    const b = new Browserless(academy.url);
    expect((await b.signIn(PASSWORD)).status).to.equal(303);
    const html = await (await b.fetch('/admin')).text();
    expect(html).to.contain('Signed in as admin');
    expect(html).to.match(/Web chat<\/th><td[^>]*>6</);
  });

  it('serves the learners\' privacy page', async () => {
    const res = await fetch(`${academy.url}/privacy`);
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(html).to.contain('What we do not record');
    expect(html).to.contain('fewer than 5');
  });
});
