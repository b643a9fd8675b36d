/**
 * Issue 13, lower findings: the admin sign-in throttle cannot lock the admin out, and anonymous
 * visits to the sign-in page keep nothing on the server. Through HTTP against the admin site.
 */
import { expect } from 'chai';
import { Sessions } from '../../src/admin/auth.js';
import { systemClock } from '../../src/ports.js';
import { Browserless, startAdmin, type AdminHarness } from '../admin/harness.js';

const PASSWORD = 'correct horse battery staple';

/** Browserless with a real cookie jar (the session, pre-session and device cookies side by side). */
class Browser extends Browserless {
  private readonly jar = new Map<string, string>();
  override async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.base + path, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), ...(cookie ? { Cookie: cookie } : {}) } });
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(set)) this.jar.delete(pair.slice(0, eq));
      else this.jar.set(pair.slice(0, eq), value);
    }
    return res;
  }
}

describe('security: admin sign-in throttle and anonymous sessions (issue 13)', function () {
  this.timeout(60_000);
  let h: AdminHarness;

  beforeEach(async () => {
    h = await startAdmin({ ADMIN_PASSWORD: PASSWORD });
  });
  afterEach(async () => {
    await h?.close();
  });

  async function guess(who: Browser, username: string, times: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < times; i++) {
      const token = await who.csrf();
      statuses.push((await who.post('/admin/sign-in', { _csrf: token, username, password: `wrong-${i}` })).status);
    }
    return statuses;
  }

  it("a guesser at the admin's own address cannot lock out the admin's browser, and is slowed down with 429 Retry-After", async () => {
    const admin = new Browser(h.url);
    expect((await admin.signIn(PASSWORD)).status).to.equal(303); // this browser is now known
    await admin.post('/admin/sign-out', { _csrf: await admin.csrf('/admin') });
    const attacker = new Browser(h.url);
    const statuses = await guess(attacker, 'admin', 15);
    expect(statuses.slice(0, 5)).to.deep.equal([401, 401, 401, 401, 401]);
    expect(statuses).to.include(429);
    const blocked = await attacker.post('/admin/sign-in', { _csrf: await attacker.csrf(), username: 'admin', password: PASSWORD });
    expect(blocked.status, 'the right password from the throttled client').to.equal(429);
    expect(Number(blocked.headers.get('retry-after'))).to.be.greaterThan(0);
    // Same address (127.0.0.1), the admin's own browser: not held up.
    expect((await admin.signIn(PASSWORD)).status).to.equal(303);
  });

  it('failures for another username do not hold up the admin account, even from the same address', async () => {
    const attacker = new Browser(h.url);
    expect(await guess(attacker, 'root', 12)).to.include(429);
    expect((await new Browser(h.url).signIn(PASSWORD)).status).to.equal(303);
  });

  it('after the backoff the right password works again from the same client (a slow-down, not a lock-out)', async () => {
    const client = new Browser(h.url);
    await guess(client, 'admin', 5);
    const early = await client.signIn(PASSWORD);
    expect(early.status).to.equal(429);
    const wait = Number(early.headers.get('retry-after'));
    expect(wait).to.be.within(1, 2);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
    expect((await client.signIn(PASSWORD)).status).to.equal(303);
  });

  it('anonymous GET /admin/sign-in keeps no session on the server, and its form still works', async () => {
    for (let i = 0; i < 300; i++) await fetch(`${h.url}/admin/sign-in`);
    expect(h.admin.sessionCount()).to.equal(0);
    const visitor = new Browser(h.url);
    expect((await visitor.signIn(PASSWORD)).status).to.equal(303);
    expect(h.admin.sessionCount()).to.equal(1);
    // A form token is bound to its own pre-session cookie: another browser's token is refused.
    const other = new Browser(h.url);
    const stolen = await other.csrf();
    const mine = new Browser(h.url);
    await mine.csrf();
    expect((await mine.post('/admin/sign-in', { _csrf: stolen, username: 'admin', password: PASSWORD })).status).to.equal(403);
  });

  it('sessions without a signed-in user (Entra sign-ins under way) are bounded', () => {
    const sessions = new Sessions(Buffer.alloc(32, 3), systemClock, 60_000, false);
    for (let i = 0; i < 2000; i++) sessions.create();
    expect(sessions.size).to.be.at.most(1000);
  });
});
