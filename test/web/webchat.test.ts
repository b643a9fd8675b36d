import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testIdentity } from '../support/identity.js';
import { registerDirectLine, type DirectLine } from '../../src/directline/routes.js';
import { projectRoot } from '../../src/paths.js';
import { randomIds, systemClock } from '../../src/ports.js';
import { registerWebChatPage } from '../../src/web/page.js';
import { installFakeBot, type FakeBot } from '../directline/fakeBot.js';
import { listen, type Running } from '../directline/helpers.js';
import { waitFor } from '../helpers/poll.js';

/** A system Chromium; this test never downloads a browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const outDir = join(projectRoot(), 'test-output');

async function waitForChromium(timeoutMs: number): Promise<boolean> {
  return waitFor('Chromium', () => existsSync(CHROMIUM), { timeoutMs, intervalMs: 2000 }).then(
    () => true,
    () => false,
  );
}

/** A rendered chat bubble's text (not the screen-reader copies Web Chat also keeps). */
function bubble(page: Page, text: string) {
  return page.locator('.webchat__bubble__content').getByText(text, { exact: true });
}

interface Watch {
  problems: string[];
  external: string[];
}

/** Records console errors, page errors, CSP violations and any request leaving the test server. */
async function watch(page: Page, baseUrl: string): Promise<Watch> {
  const w: Watch = { problems: [], external: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') w.problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => w.problems.push(`pageerror: ${e.message}`));
  await page.exposeFunction('__reportViolation', (v: string) => w.problems.push(`csp: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportViolation: (v: string) => void }).__reportViolation;
      void report(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(baseUrl) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    w.external.push(url);
    return route.abort();
  });
  return w;
}

describe('web chat page in Chromium (local Direct Line, fake bot)', function () {
  this.timeout(90_000);
  let app: Running;
  let bot: FakeBot;
  let dl: DirectLine;
  let browser: Browser;

  before(async function () {
    if (!(await waitForChromium(60_000))) {
      throw new Error(`${CHROMIUM} is not installed (this test never downloads a browser)`);
    }
    mkdirSync(outDir, { recursive: true });
    app = await listen();
    bot = installFakeBot(app.server);
    dl = registerDirectLine(app.server, {
      botEndpoint: `${app.baseUrl}/api/messages`,
      selfBaseUrl: app.baseUrl,
      tokenSecret: Buffer.from('browser test secret, 32 bytes!!'),
      clock: systemClock,
      ids: randomIds,
      identity: testIdentity(),
    });
    registerWebChatPage(app.server);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  });

  after(async () => {
    await browser?.close();
    await dl?.idle();
    await app?.close();
  });

  it('shows the greeting, sends a message and renders the bot’s reply, with no CSP violation or external call', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    const w = await watch(page, app.baseUrl);

    const response = await page.goto(app.baseUrl + '/');
    expect(response?.status()).to.equal(200);
    expect(response?.headers()['content-security-policy']).to.match(/^default-src 'self'; script-src 'self'; style-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(await page.title()).to.equal('Digital Skills Academy');
    expect(await page.getAttribute('html', 'lang')).to.equal('en-GB');

    await bubble(page, 'Welcome to the Digital Skills Academy.').waitFor({ timeout: 20_000 });
    await bubble(page, 'Type a topic to start a lesson.').waitFor();

    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('hello academy');
    await input.press('Enter');
    await bubble(page, 'You said: hello academy').waitFor({ timeout: 10_000 });
    // The user's own message is shown once (the echo replaced the pending copy).
    expect(await bubble(page, 'hello academy').count()).to.equal(1);

    const message = bot.received.find((a) => a.type === 'message');
    expect(message?.text).to.equal('hello academy');
    // The server chose the learner and bound it to an HttpOnly cookie; the page never holds the id.
    const userId = String((message?.from as { id: string }).id);
    expect(userId).to.match(/^dl_[A-Za-z0-9_-]{32}$/);
    const [cookie] = await context.cookies();
    expect(cookie).to.deep.include({ name: 'academy_learner', httpOnly: true, sameSite: 'Strict' });
    expect(cookie?.value.startsWith(`${userId}.`)).to.equal(true);
    expect(await page.evaluate(() => document.cookie)).to.equal('');
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.to.contain(userId);

    await page.screenshot({ path: join(outDir, 'webchat.png'), fullPage: true });
    expect(w.external).to.deep.equal([]);
    expect(w.problems).to.deep.equal([]);
    await context.close();
  });

  it('A+ / A- change Web Chat’s text size, remembered across a reload, as is the learner’s random id', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    const w = await watch(page, app.baseUrl);
    await page.goto(app.baseUrl + '/');
    await bubble(page, 'Welcome to the Digital Skills Academy.').waitFor({ timeout: 20_000 });
    const bubbleSize = () =>
      bubble(page, 'Welcome to the Digital Skills Academy.').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const before = await bubbleSize();

    await page.getByRole('button', { name: 'Larger text' }).click();
    await page.getByRole('button', { name: 'Larger text' }).click();
    expect(await page.textContent('#text-size-value')).to.equal('125%');
    expect(await bubbleSize()).to.be.closeTo(before * 1.25, 0.5);
    expect(await page.evaluate(() => localStorage.getItem('academy.textSize'))).to.equal('125');
    const learners = () => bot.received.filter((a) => a.type === 'conversationUpdate').map((a) => (a.from as { id: string }).id);
    const firstUser = learners().at(-1);

    await page.reload();
    await bubble(page, 'Welcome to the Digital Skills Academy.').waitFor({ timeout: 20_000 });
    expect(await page.textContent('#text-size-value')).to.equal('125%');
    expect(await bubbleSize()).to.be.closeTo(before * 1.25, 0.5);
    await dl.idle();
    expect(learners().at(-1)).to.equal(firstUser);

    const smaller = page.getByRole('button', { name: 'Smaller text' });
    for (let i = 0; i < 3; i++) await smaller.click();
    expect(await page.textContent('#text-size-value')).to.equal('87.5%');
    expect(await smaller.getAttribute('aria-disabled')).to.equal('true');
    expect(await smaller.evaluate((el) => el === document.activeElement)).to.equal(true);
    expect(w.problems).to.deep.equal([]);
    await context.close();
  });

  it('refreshes the Direct Line token before it expires and keeps chatting (page clock fast-forwarded 25 minutes)', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    const w = await watch(page, app.baseUrl);
    await page.clock.install();
    const refreshes: number[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/v3/directline/tokens/refresh')) refreshes.push(r.status());
    });
    await page.goto(app.baseUrl + '/');
    await bubble(page, 'Welcome to the Digital Skills Academy.').waitFor({ timeout: 20_000 });

    // The page refreshes at 80% of expires_in (24 of 30 minutes); directlinejs's own loop every 15.
    await page.clock.fastForward('25:00');
    const until = Date.now() + 10_000;
    while (refreshes.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(refreshes).to.deep.equal([200, 200]);

    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('still here');
    await input.press('Enter');
    await bubble(page, 'You said: still here').waitFor({ timeout: 10_000 });
    expect(await page.locator('#chat-error').isHidden()).to.equal(true);
    expect(w.problems).to.deep.equal([]);
    await context.close();
  });

  it('notices when the conversation has gone (server restart), says so and starts a new chat by itself, for the same learner', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    const w = await watch(page, app.baseUrl);
    const before = bot.received.length;
    await page.goto(app.baseUrl + '/');
    await bubble(page, 'Welcome to the Digital Skills Academy.').waitFor({ timeout: 20_000 });
    const update = bot.received.slice(before).find((a) => a.type === 'conversationUpdate');
    const conversationId = String((update?.conversation as { id: string }).id);

    expect(dl.conversations.delete(conversationId)).to.equal(true);
    // Issue 20: no error box and no button to press; a plain-words status, and a new conversation.
    await waitFor('a second conversation', async () => (bot.received.slice(before).filter((a) => a.type === 'conversationUpdate').length >= 2 ? true : undefined), 20_000);
    await page.getByText('A new chat has started. You carry on where you were.').waitFor({ timeout: 20_000 });
    await bubble(page, 'Welcome to the Digital Skills Academy.').waitFor({ timeout: 20_000 });
    expect(await page.locator('#chat-error').isHidden()).to.equal(true);
    const updates = bot.received.slice(before).filter((a) => a.type === 'conversationUpdate');
    expect(updates).to.have.length(2);
    expect((updates[1]!.conversation as { id: string }).id).not.to.equal(conversationId);
    expect(updates[1]!.from).to.deep.include({ id: (updates[0]!.from as { id: string }).id });
    // The only console noise allowed is the browser's own log of the 404 that ended the conversation.
    expect(w.problems.filter((p) => !/status of 404/.test(p))).to.deep.equal([]);
    await context.close();
  });

  it('fits a 360 px wide screen, with a skip link into the chat and a visible focus style', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const w = await watch(page, app.baseUrl);
    await page.goto(app.baseUrl + '/');
    await bubble(page, 'Welcome to the Digital Skills Academy.').waitFor({ timeout: 20_000 });
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(widths.scroll).to.be.at.most(widths.client);

    await page.keyboard.press('Tab');
    const skip = page.locator('a.skip-link');
    expect(await skip.evaluate((el) => el === document.activeElement)).to.equal(true);
    const focusStyle = await skip.evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, left: el.getBoundingClientRect().left }));
    expect(focusStyle.bg).to.equal('rgb(255, 235, 59)');
    expect(focusStyle.left).to.be.greaterThan(0);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-id'))).to.equal('webchat-sendbox-input');

    const header = await page.locator('.site-header').evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, color: getComputedStyle(el).color }));
    expect(header).to.deep.equal({ bg: 'rgb(0, 94, 184)', color: 'rgb(255, 255, 255)' });
    expect(await page.locator('main').count()).to.equal(1);
    expect(await page.getByRole('region', { name: 'Chat with the academy' }).count()).to.equal(1);
    expect(await page.locator('a[href="/privacy"]').count()).to.equal(1);

    await page.screenshot({ path: join(outDir, 'webchat-360.png'), fullPage: true });
    expect(w.problems).to.deep.equal([]);
    await context.close();
  });
});
