/**
 * Finding 2 (issue 13): a learner id is not a bearer credential. The academy issues the id and
 * binds it to a signed HttpOnly cookie; a page cannot choose it, and only that cookie (or the
 * learner's own resume code) reaches the learner's progress, record summary and erasure.
 * Everything here goes through HTTP against the whole academy.
 */
import { expect } from 'chai';
import type { Academy } from '../../src/main.js';
import { startTestAcademy } from '../support/academy.js';
import { HttpLearner, idIn } from './helpers.js';

describe('security: learner ids are not bearer credentials (finding 2)', function () {
  this.timeout(60_000);
  let academy: Academy & { dataDir: string };
  let victim: HttpLearner;
  let victimId: string;

  before(async () => {
    academy = await startTestAcademy();
    victim = new HttpLearner(academy.url);
    expect(await victim.open()).to.equal(200);
    await victim.say({ academy: 'role', role: 'nhs' });
    // The learner's own privacy card names their id (so it can leak: a screenshot, a shared screen, a link).
    victimId = idIn(await victim.privacy()) ?? '';
    expect(victimId).to.match(/^dl_/);
  });

  after(async () => {
    await academy?.close();
  });

  it('a token request naming the victim\'s id gets neither their record nor their erasure', async () => {
    const attacker = new HttpLearner(academy.url);
    const status = await attacker.open({ userId: victimId });
    if (status === 200) {
      // Had the academy taken the id, the attacker would now see the victim's role and record…
      const seen = await attacker.privacy();
      expect(seen).not.to.contain(victimId);
      // …and could erase them.
      await attacker.say('delete my data');
      await attacker.say({ academy: 'erase-confirm' });
      await attacker.waitFor(/Your progress is erased/);
    } else {
      expect(status).to.equal(400);
    }
    const after = await victim.privacy();
    expect(after).to.contain(victimId).and.contain('NHS staff');
  });

  it('a forged or tampered cookie is not the victim: the academy issues a new learner', async () => {
    for (const forged of [`academy_learner=${victimId}`, `academy_learner=${victimId}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`]) {
      const attacker = new HttpLearner(academy.url);
      attacker.cookie = forged;
      expect(await attacker.open()).to.equal(200);
      const seen = await attacker.privacy();
      expect(idIn(seen)).to.match(/^dl_/).and.not.equal(victimId);
    }
  });

  it('the token answer and the page never show the learner id; the cookie is HttpOnly and SameSite=Strict', async () => {
    const fresh = new HttpLearner(academy.url);
    const res = await fresh.fetch('/api/directline/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).to.match(/^academy_learner=dl_[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}; /).and.contain('HttpOnly').and.contain('SameSite=Strict');
    const learner = /academy_learner=(dl_[^.]+)\./.exec(setCookie)?.[1] ?? '';
    const body = await res.text();
    expect(body).not.to.contain(learner);
    const token = (JSON.parse(body) as { token: string }).token;
    expect(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).not.to.contain(learner);
  });

  it('a resume code moves the learner to another browser, and stops working once revoked', async () => {
    await victim.say('resume code');
    const shown = await victim.waitFor(/Your resume code is/);
    const code = /Your resume code is ([A-Z2-7]{4}(?:-[A-Z2-7]{4}){6})/.exec(shown)?.[1] ?? '';
    expect(code.replace(/-/g, '')).to.have.length(28); // 140 bits

    const cross = new HttpLearner(academy.url);
    const refused = await cross.fetch('/resume', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' }, body: new URLSearchParams({ code }).toString() });
    expect(refused.status).to.equal(403);
    expect(cross.cookie).to.equal('');

    const phone = new HttpLearner(academy.url);
    const redeemed = await phone.fetch('/resume', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: academy.url }, body: new URLSearchParams({ code: code.toLowerCase() }).toString() });
    expect(redeemed.status).to.equal(303);
    expect(await phone.open()).to.equal(200);
    expect(await phone.privacy()).to.contain(victimId).and.contain('NHS staff');

    await victim.say('revoke resume code');
    await victim.waitFor(/no longer works/);
    const late = new HttpLearner(academy.url);
    const stale = await late.fetch('/resume', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ code }).toString() });
    expect(stale.status).to.equal(400);
    expect(late.cookie).to.equal('');
  });

  it('limits new chats per address and per learner with 429 and Retry-After', async () => {
    const limited = await startTestAcademy({ RATE_TOKENS_PER_IP: '5', RATE_TOKENS_PER_LEARNER: '3' });
    try {
      const one = new HttpLearner(limited.url);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push(await one.open());
      expect(statuses).to.deep.equal([200, 200, 200, 429]);
      const res = await new HttpLearner(limited.url).fetch('/api/directline/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(res.status).to.equal(200);
      const over = await new HttpLearner(limited.url).fetch('/api/directline/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(over.status).to.equal(429);
      expect(Number(over.headers.get('retry-after'))).to.be.within(1, 60);
    } finally {
      await limited.close();
    }
  });
});
