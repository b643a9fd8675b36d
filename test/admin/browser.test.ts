/**
 * A real Entra-style sign-in in headless Chromium: a local OpenID Connect provider (oidc-provider,
 * https on 127.0.0.1 with a throwaway certificate) plays Entra ID; msal-node talks to it in OIDC
 * protocol mode. Then every admin page is opened with seeded statements, screenshotted and checked
 * with axe-core. The context bypasses CSP only so that axe can be injected.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import Provider from 'oidc-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { networkWithCa } from '../../src/admin/index.js';
import type { CurationItem, CurationSource } from '../../src/records/ports.js';
import { projectRoot } from '../../src/paths.js';
import { launchChromium, screenshotPath } from '../support/browser.js';
import { tempDir } from '../support/bot.js';
import { seedStatements, startAdmin, type AdminHarness, type SeedLearner } from './harness.js';

const AXE = join(projectRoot(), 'node_modules', 'axe-core', 'axe.min.js');

async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`);
}

function selfSignedCert(): { key: string; cert: string } {
  const dir = tempDir('oidc-cert-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
}

/** A curation queue in memory: a real, in-process CurationSource. */
class MemoryCuration implements CurationSource {
  items: CurationItem[] = [
    { id: 'q1', question: 'how do i reset my nhs login', count: 12, people: 9, topic: 'nhs-app.account', status: 'open', feedback: { helpful: 7, notHelpful: 2 } },
    { id: 'q2', question: 'can i use teams on my phone', count: 3, people: 3, status: 'open' },
  ];
  attached: [string, string][] = [];
  async list() {
    return this.items;
  }
  async attachToTopic(id: string, topic: string) {
    this.attached.push([id, topic]);
    this.items = this.items.map((i) => (i.id === id ? { ...i, topic, status: 'handled' as const } : i));
  }
  async markHandled(id: string) {
    this.items = this.items.map((i) => (i.id === id ? { ...i, status: 'handled' as const } : i));
  }
}

describe('admin in Chromium: Entra-style sign-in (OIDC), every page, axe', function () {
  this.timeout(60_000);
  let oidc: HttpsServer;
  let h: AdminHarness;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const curation = new MemoryCuration();

  before(async () => {
    const tls = selfSignedCert();
    oidc = createServer({ key: tls.key, cert: tls.cert });
    await new Promise<void>((resolve) => oidc.listen(0, '127.0.0.1', resolve));
    const issuer = `https://127.0.0.1:${(oidc.address() as AddressInfo).port}`;
    h = await startAdmin(
      { ENTRA_CLIENT_ID: 'academy-admin', ENTRA_CLIENT_SECRET: 'a-test-client-secret', ENTRA_AUTHORITY: issuer },
      { entraNetwork: networkWithCa(tls.cert), curation },
    );
    const provider = new Provider(issuer, {
      clients: [{ client_id: 'academy-admin', client_secret: 'a-test-client-secret', redirect_uris: [`${h.url}/admin/auth/callback`], response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_post' }],
      findAccount: async (_ctx, id) => ({
        accountId: id,
        claims: async () => ({ sub: id, preferred_username: `${id}@trust.nhs.test`, roles: id === 'alice' ? ['Academy.Admin'] : ['Academy.Reader'] }),
      }),
      claims: { openid: ['sub'], profile: ['preferred_username', 'roles'], email: ['email'] },
      conformIdTokenClaims: false,
      cookies: { keys: ['a-test-cookie-key'] },
    });
    oidc.on('request', provider.callback());

    const learners: SeedLearner[] = [
      ...Array.from({ length: 6 }, (_, i): SeedLearner => ({ id: `dl_web${i}`, channel: 'webchat', audience: 'social-care', upTo: i < 5 ? 'passed' : 'failed' })),
      { id: 'dl_teams0', channel: 'msteams', audience: 'nhs', upTo: 'cards' },
    ];
    h.lrs.storeStatements(seedStatements(learners));
    browser = await launchChromium();
    context = await browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    // Loopback only: the provider's dev login page imports a web font, which is refused here.
    await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
    await new Promise<void>((resolve) => (oidc ? oidc.close(() => resolve()) : resolve()));
  });

  async function signInAs(login: string): Promise<void> {
    await context.clearCookies(); // a new browser session at the provider and the academy
    await page.goto(`${h.url}/admin`);
    await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForLoadState('load');
  }

  it('refuses a user without the Academy.Admin role', async () => {
    await signInAs('bob');
    expect(await page.locator('h1').textContent()).to.equal('You cannot use the admin pages');
    expect(await page.content()).to.contain('bob@trust.nhs.test');
    const res = await page.goto(`${h.url}/admin`);
    expect(res?.url()).to.equal(`${h.url}/admin/sign-in`);
    expect(h.admin.audit.list().some((e) => e.action === 'sign-in-refused' && e.who === 'bob@trust.nhs.test')).to.equal(true);
  });

  it('signs in a user with the Academy.Admin role and opens every page without serious accessibility problems', async () => {
    await signInAs('alice');
    expect(page.url()).to.equal(`${h.url}/admin`);
    expect(await page.content()).to.contain('Signed in as alice@trust.nhs.test');
    const lesson = seedStatements([{ id: 'x', channel: 'webchat', audience: 'nhs', upTo: 'started' }])[0] as { object: { id: string } };
    const statementId = h.lrs.store.query({ limit: 1 }).statements[0]?.id ?? '';
    const pages: [string, string][] = [
      ['overview', '/admin'],
      ['topics', '/admin/topics'],
      ['topic', `/admin/topics/${lesson.object.id.split('/').pop()}`],
      ['questions', '/admin/questions'],
      ['champions', '/admin/champions'],
      ['learners', '/admin/learners?id=dl_web0'],
      ['statements', '/admin/statements'],
      ['statement', `/admin/statements/${statementId}`],
      ['audit', '/admin/audit'],
      ['privacy', '/privacy'],
    ];
    const problems: string[] = [];
    for (const [name, path] of pages) {
      const res = await page.goto(`${h.url}${path}`);
      expect(res?.status(), path).to.equal(200);
      await page.screenshot({ path: screenshotPath(`admin-${name}.png`) });
      problems.push(...(await axeProblems(page)).map((p) => `${path}: ${p}`));
    }
    expect(problems).to.deep.equal([]);
    const overview = await (await page.goto(`${h.url}/admin`))?.text();
    expect(overview).to.contain('fewer than 5');
  });

  it('lets a curator attach a question to a topic through the CurationSource port', async () => {
    await page.goto(`${h.url}/admin/questions`);
    await page.getByLabel('Add as a new way of asking about').first().selectOption('nhs-app.register');
    await page.getByRole('button', { name: 'Add to topic' }).first().click();
    await page.waitForURL(`${h.url}/admin/questions`);
    expect(curation.attached).to.deep.equal([['q1', 'nhs-app.register']]);
    expect(h.admin.audit.list().some((e) => e.action === 'curate' && e.what.includes('nhs-app.register'))).to.equal(true);
  });
});
