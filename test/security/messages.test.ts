/**
 * Finding 4 (issue 13): with no MicrosoftAppId nothing authenticates /api/messages. The academy
 * then listens on loopback by default, posts replies only to serviceUrls it trusts (no SSRF), and
 * an activity that did not come through its own (signed) Direct Line cannot act as a learner or
 * carry a Teams aadObjectId. All through HTTP against the whole academy.
 */
import { expect } from 'chai';
import { loadConfig } from '../../src/config.js';
import { admitActivity, isChannelServiceUrl } from '../../src/security/activityGate.js';
import type { Academy } from '../../src/main.js';
import { startTestAcademy } from '../support/academy.js';
import { HttpLearner, idIn, sleep, startSpy, type Spy } from './helpers.js';

const APP = { MicrosoftAppId: '6a1f7b1e-1111-4c4c-9d9d-123456789abc', MicrosoftAppPassword: 'a-client-secret' };

async function postActivity(academy: Academy, activity: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${academy.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
  await res.text();
  return res.status;
}

describe('security: /api/messages without an app id (finding 4)', function () {
  this.timeout(60_000);
  let academy: Academy & { dataDir: string };
  let spy: Spy;

  before(async () => {
    spy = await startSpy();
    academy = await startTestAcademy();
  });

  after(async () => {
    await academy?.close();
    await spy?.close();
  });

  it('listens on 127.0.0.1 by default without MicrosoftAppId; HOST or an app id changes that', () => {
    expect(loadConfig({}).host).to.equal('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).to.equal('0.0.0.0');
    expect(loadConfig(APP).host).to.equal('0.0.0.0');
  });

  it('posts nothing to a serviceUrl it does not trust (no SSRF)', async () => {
    const status = await postActivity(academy, {
      type: 'message',
      id: 'ssrf-1',
      text: 'hello',
      channelId: 'webchat',
      serviceUrl: spy.url,
      from: { id: 'someone' },
      recipient: { id: 'academy-bot' },
      conversation: { id: 'ssrf-conversation' },
    });
    await sleep(1500);
    expect(spy.requests, JSON.stringify(spy.requests.slice(0, 1))).to.deep.equal([]);
    expect(status).to.equal(403);
  });

  it('an unsigned activity cannot act as a web learner, even with replies sent to the attacker\'s own chat', async () => {
    const victim = new HttpLearner(academy.url);
    await victim.open();
    await victim.say({ academy: 'role', role: 'nhs' });
    const victimId = idIn(await victim.privacy()) ?? '';
    expect(victimId).to.match(/^dl_/);

    // The attacker has a chat of their own on the local Direct Line, and posts straight to /api/messages as the victim.
    const attacker = new HttpLearner(academy.url);
    await attacker.open();
    const forged = {
      type: 'message',
      id: 'forged-1',
      text: 'what do you keep about me',
      channelId: 'webchat',
      serviceUrl: `${academy.url}/directline/connector`,
      from: { id: victimId, role: 'user' },
      recipient: { id: 'academy-bot' },
      conversation: { id: attacker.conversationId },
    };
    const status = await postActivity(academy, forged);
    await postActivity(academy, { ...forged, id: 'forged-2', text: 'delete my data' });
    await postActivity(academy, { ...forged, id: 'forged-3', text: '', value: { academy: 'erase-confirm' } });
    await sleep(1500);
    expect(await attacker.transcript()).not.to.contain(victimId).and.not.contain('Your progress is erased');
    expect(await victim.privacy()).to.contain(victimId).and.contain('NHS staff');
    expect(status).to.equal(403);
  });

  it('with LOCAL_SERVICE_URLS (e.g. Agents Playground) unsigned activities are a pseudonymous test user, never a Teams aadObjectId or a web learner', async () => {
    const playground = await startTestAcademy({ LOCAL_SERVICE_URLS: `${spy.url}/_connector` });
    try {
      spy.requests.length = 0;
      const aad = '7c1f7b1e-3333-4c4c-9d9d-123456789abc';
      const status = await postActivity(playground, {
        type: 'message',
        id: 'teams-1',
        text: 'what do you keep about me',
        channelId: 'msteams',
        serviceUrl: `${spy.url}/_connector`,
        from: { id: '29:someone', aadObjectId: aad },
        recipient: { id: 'academy-bot' },
        conversation: { id: 'a:personal-chat', conversationType: 'personal' },
      });
      expect(status).to.be.oneOf([200, 201, 202]);
      const until = Date.now() + 10_000;
      while (!spy.requests.some((r) => r.body.includes('known here only by a random id')) && Date.now() < until) await sleep(100);
      const card = spy.requests.map((r) => r.body).find((b) => b.includes('known here only by a random id')) ?? '';
      expect(card).to.match(/h_[0-9a-f]{32}/);
      expect(card).not.to.contain(aad);
      // Elsewhere is still refused.
      expect(await postActivity(playground, { type: 'message', text: 'hi', channelId: 'msteams', serviceUrl: `${spy.url}/elsewhere`, from: { id: 'x' }, recipient: { id: 'b' }, conversation: { id: 'c' } })).to.equal(403);
    } finally {
      await playground.close();
    }
  });

  it('with an app id, accepts only Bot Framework channel serviceUrls (before the adapter authenticates)', () => {
    const gate = { authenticated: true, forwardKey: Buffer.alloc(32), extraServiceUrls: [] };
    const admit = (serviceUrl: string) => () => admitActivity({ body: { type: 'message', serviceUrl }, headers: {} }, gate);
    for (const ok of ['https://smba.trafficmanager.net/emea/', 'https://webchat.botframework.com/', 'https://directline.botframework.com/', 'https://europe.directline.botframework.com']) {
      expect(isChannelServiceUrl(ok), ok).to.equal(true);
      expect(admit(ok)).not.to.throw();
    }
    for (const bad of ['http://smba.trafficmanager.net/emea/', 'https://smba.trafficmanager.net.evil.example/', 'https://evil.example/botframework.com', 'https://169.254.169.254/', 'https://smba.trafficmanager.net:8443/', 'https://user@smba.trafficmanager.net/', 'not a url']) {
      expect(admit(bad), bad).to.throw(/serviceUrl/);
    }
  });
});
