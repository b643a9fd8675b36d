import { expect } from 'chai';
import { validateXapi } from '../support/xapiValidation.js';
import type { Browser, Page } from 'playwright-core';
import type { Academy } from '../../src/main.js';
import { cardsFor } from '../../src/lessons/types.js';
import { VERBS } from '../../src/xapi/profile.js';
import { basicAuth, startTestAcademy } from '../support/academy.js';
import { clickIntoLesson, clickThroughLesson, launchChromium, screenshotPath, waitForText } from '../support/browser.js';
import { shippedCatalog } from '../support/bot.js';


interface StoredStatement {
  id: string;
  actor: { account?: { name: string; homePage: string }; name?: string; mbox?: string };
  verb: { id: string };
  object: { id: string };
  result?: { success?: boolean; response?: string };
  context?: { registration?: string };
}

describe('web chat end to end (Chromium)', function () {
  this.timeout(180_000);
  let academy: Academy;
  let browser: Browser;
  let page: Page;

  before(async () => {
    academy = await startTestAcademy();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await academy?.close();
  });

  it('takes the first NHS App lesson by clicking, card by card and the check, to the completion message', async () => {
    const lesson = shippedCatalog().course('nhs-app')!.lessons[0];
    await clickIntoLesson(page, academy.url, 'Social care', 'The NHS App', lesson.title);
    await clickThroughLesson(page, lesson, 'social-care');
    await waitForText(page, /Lesson complete\. You got \d+ of \d+ right\./);
    await waitForText(page, /1 of \d+ The NHS App lessons done/);
    await page.screenshot({ path: screenshotPath('e2e-lesson-complete.png'), fullPage: true });
  });

  it('has recorded that learner\'s statements in the embedded LRS, each valid xAPI 1.0.3', async () => {
    const lesson = shippedCatalog().course('nhs-app')!.lessons[0];
    // The academy keeps the learner id in its HttpOnly cookie (the page's script cannot read it; the test can).
    const cookie = (await page.context().cookies()).find((c) => c.name === 'academy_learner');
    const learnerId = cookie?.value.slice(0, cookie.value.lastIndexOf('.'));
    expect(learnerId, 'the academy keeps a random learner id in its cookie').to.match(/^dl_/);
    const { key, secret } = academy.lrsCredentials;
    const res = await fetch(`${academy.url}/xapi/statements?ascending=true&limit=500`, {
      headers: { Authorization: basicAuth(key, secret), 'X-Experience-API-Version': '1.0.3' },
    });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { statements: StoredStatement[] };
    const mine = body.statements.filter((s) => s.actor.account?.name === learnerId);
    expect(mine.length).to.be.greaterThan(0);
    for (const s of mine) {
      expect(validateXapi(s), `statement ${s.id} (${s.verb.id})`).to.deep.equal([]);
      expect(s.actor.name).to.equal(undefined);
      expect(s.actor.mbox).to.equal(undefined);
    }
    const forLesson = mine.filter((s) => s.object.id.includes(`/lesson/${lesson.id}`));
    const verbs = forLesson.map((s) => s.verb.id);
    const cards = cardsFor(lesson, 'social-care');
    expect(verbs[0]).to.equal(VERBS.attempted.id);
    expect(forLesson.filter((s) => s.verb.id === VERBS.experienced.id)).to.have.length(cards.length);
    const answers = forLesson.filter((s) => s.verb.id === VERBS.answered.id);
    expect(answers).to.have.length(lesson.checks.length);
    for (const a of answers) expect(a.result?.success).to.equal(true);
    expect(verbs.slice(-2)).to.deep.equal([VERBS.completed.id, VERBS.passed.id]);
    expect(new Set(forLesson.map((s) => s.context?.registration)).size).to.equal(1);
  });
});
