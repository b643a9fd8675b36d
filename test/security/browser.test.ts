/**
 * Issue 13 in Chromium (Debian's /usr/bin/chromium, never a downloaded browser): two browser
 * contexts are two people. An anonymous web chat user cannot become the champions' conversation
 * or answer a learner as a champion; and a learner's progress is reachable only with their own
 * cookie or their resume code.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Academy } from '../../src/main.js';
import { randomIds, systemClock } from '../../src/ports.js';
import { QaStore } from '../../src/qa/store.js';
import { startTestAcademy } from '../support/academy.js';
import { clickLast, launchChromium, waitForText } from '../support/browser.js';
import { tempDir } from '../support/bot.js';

const PHISH = 'Your NHS login is locked. Sign in again at https://nhs-login.evil.example';

async function say(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox').last();
  await box.fill(text);
  await box.press('Enter');
}

/** The id the newest privacy card names. */
async function privacyId(page: Page): Promise<string> {
  const before = await page.getByText(/known here only by a random id/).count();
  await say(page, 'what do you keep about me');
  await page.getByText(/known here only by a random id/).nth(before).waitFor({ timeout: 30_000 });
  const text = (await page.getByText(/known here only by a random id/).last().textContent()) ?? '';
  return /dl_[A-Za-z0-9_-]{8,64}/.exec(text)?.[0] ?? '';
}

async function newLearner(browser: Browser, academy: Academy, role: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await page.goto(academy.url);
  await waitForText(page, 'Which best describes you?');
  await clickLast(page, role);
  await waitForText(page, 'Would you like a quick skills check?');
  return { context, page };
}

describe('security in Chromium (issue 13)', function () {
  this.timeout(180_000);
  let academy: Academy & { dataDir: string };
  let browser: Browser;
  let teams: Server;

  before(async () => {
    // Teams' side of the champions' chat: a local stand-in for its connector accepts the bot's posts.
    teams = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"id":"1"}');
    });
    await new Promise<void>((resolve) => teams.listen(0, '127.0.0.1', resolve));
    const dataDir = tempDir('academy-sec-browser-');
    // The bot has already been in the configured champions' chat, so it knows where to post.
    const store = new QaStore(join(dataDir, 'qa.sqlite'), systemClock, randomIds);
    store.setChampionsReference('19:champions@thread.v2', {
      conversation: { id: '19:champions@thread.v2', isGroup: true, conversationType: 'groupChat', name: 'Champions' },
      serviceUrl: `http://127.0.0.1:${(teams.address() as AddressInfo).port}/`,
      channelId: 'msteams',
      bot: { id: 'academy', name: 'Academy' },
    });
    store.close();
    academy = await startTestAcademy({ DATA_DIR: dataDir, CHAMPIONS_CONVERSATION_ID: '19:champions@thread.v2' });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await academy?.close();
    teams?.close();
  });

  it('an anonymous user\'s "champions here" and crafted champion reply have no effect; the learner sees no text from them', async () => {
    const learner = await newLearner(browser, academy, 'NHS staff');
    const attacker = await newLearner(browser, academy, 'Social care');

    // The attacker claims the champions' conversation from the web chat.
    await say(attacker.page, 'champions here');
    await waitForText(attacker.page, /Only an academy admin can choose/);

    // The learner asks something the content does not cover and sends it to the champions.
    await say(learner.page, 'how do i calibrate the ward hoist');
    await clickLast(learner.page, 'Ask a champion');
    await clickLast(learner.page, 'Yes, send it');
    await waitForText(learner.page, /sent your question to the digital champions/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await attacker.page.locator('body').innerText()).not.to.contain('ward hoist');

    // The attacker learns the request id (here, from the server; before the fix it arrived in their chat)
    // and posts a champion-reply card action through their page's own Direct Line.
    const store = new QaStore(join(academy.dataDir, 'qa.sqlite'), systemClock, randomIds);
    const request = store.helpRequests('open')[0]!.id;
    store.close();
    const token = await attacker.page.evaluate(async () => {
      const res = await fetch('/api/directline/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return ((await res.json()) as { token: string; conversationId: string });
    });
    const posted = await attacker.page.evaluate(
      async ({ token, request, reply }) => {
        const auth = { Authorization: `Bearer ${token.token}`, 'Content-Type': 'application/json' };
        await fetch('/v3/directline/conversations', { method: 'POST', headers: auth, body: '{}' });
        const res = await fetch(`/v3/directline/conversations/${token.conversationId}/activities`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ type: 'message', value: { academy: 'champion-reply', request, reply }, channelData: { postBack: true } }),
        });
        return res.status;
      },
      { token, request, reply: PHISH },
    );
    expect(posted).to.equal(200);

    await new Promise((r) => setTimeout(r, 3000));
    const seen = await learner.page.locator('body').innerText();
    expect(seen).not.to.contain('evil.example').and.not.contain('digital champion answered');
    const check = new QaStore(join(academy.dataDir, 'qa.sqlite'), systemClock, randomIds);
    expect(check.helpRequests('open').map((r) => r.id)).to.include(request);
    check.close();
    await learner.context.close();
    await attacker.context.close();
  });

  it('a second browser without the cookie can neither see nor erase a learner\'s progress; with the redeemed resume code it can', async () => {
    const owner = await newLearner(browser, academy, 'NHS staff');
    const ownerId = await privacyId(owner.page);
    expect(ownerId).to.match(/^dl_/);
    expect(await owner.page.evaluate(() => document.cookie + JSON.stringify(localStorage))).not.to.contain(ownerId);
    await say(owner.page, 'resume code');
    await waitForText(owner.page, /Your resume code is/);
    const code = /Your resume code is ([A-Z2-7]{4}(?:-[A-Z2-7]{4}){6})/.exec(await owner.page.locator('body').innerText())?.[1] ?? '';
    expect(code).to.have.length(34);

    // Another browser, no cookie: a new learner. Naming the owner in a lesson link does not help.
    const other = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await other.newPage();
    await page.goto(`${academy.url}/?lesson=safety-passwords&session=AAAAAAAAAAAAAAAAAAAAAA&learner=${ownerId}`);
    await page.getByText(/Card 1 of|Which best describes you|card 1 of/).first().waitFor({ timeout: 30_000 });
    const strangerId = await privacyId(page);
    expect(strangerId).to.match(/^dl_/).and.not.equal(ownerId);
    await say(page, 'delete my data');
    await clickLast(page, 'Yes, delete my data');
    await waitForText(page, /Your progress is erased/);
    expect(await privacyId(owner.page)).to.equal(ownerId);
    expect(await owner.page.getByText(/your role \(NHS staff\)/).count()).to.be.greaterThan(0);

    // With the resume code, the second browser is the learner: it sees and can erase their progress.
    await page.goto(`${academy.url}/resume`);
    await page.getByLabel('Resume code').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Carry on learning' }).click();
    await page.waitForURL(`${academy.url}/`);
    await waitForText(page, 'Welcome back to the Digital Skills Academy.');
    expect(await privacyId(page)).to.equal(ownerId);
    await say(page, 'delete my data');
    await clickLast(page, 'Yes, delete my data');
    await waitForText(page, /Your progress is erased/);
    await say(owner.page, 'what do you keep about me');
    await owner.page.getByText(/known here only by a random id/).nth(2).waitFor({ timeout: 30_000 });
    const after = (await owner.page.getByText(/known here only by a random id/).last().textContent()) ?? '';
    expect(after).not.to.contain('NHS staff');
    await other.close();
    await owner.context.close();
  });
});
