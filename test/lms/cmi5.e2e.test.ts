import { expect } from 'chai';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import type { Academy } from '../../src/main.js';
import { cardsFor } from '../../src/lessons/types.js';
import { LmsIds } from '../../src/lms/ids.js';
import { cmi5Package } from '../../src/lms/packages.js';
import { CMI5_VERBS } from '../../src/lms/cmi5/vocabulary.js';
import { XapiIds } from '../../src/xapi/profile.js';
import { startTestAcademy } from '../support/academy.js';
import { launchChromium, screenshotPath } from '../support/browser.js';
import { shippedCatalog } from '../support/bot.js';
import { TestCmi5Lms } from './cmi5Lms.js';
import { checkCmi5 } from './cmi5Rules.js';
import { clickIn, shortLesson, textIn } from './frames.js';

const ID_BASE = 'https://academy.test/xapi';

describe('cmi5 in Chromium: the test LMS launches an AU, the learner passes it', function () {
  this.timeout(120_000);
  let academy: Academy;
  let lms: TestCmi5Lms;
  let browser: Browser;
  let page: Page;
  const lesson = shortLesson();
  const auId = new LmsIds(new XapiIds(ID_BASE)).au(lesson.id);

  before(async () => {
    lms = await TestCmi5Lms.start();
    academy = await startTestAcademy({ XAPI_ID_BASE: ID_BASE, CMI5_ALLOWED_ENDPOINTS: lms.url, ACADEMY_BASE_URL: 'http://127.0.0.1:9' });
    // The package names the academy's public address; here that is the test academy's port.
    const pkg = cmi5Package({ catalog: shippedCatalog(), ids: new LmsIds(new XapiIds(ID_BASE)), baseUrl: academy.url });
    lms.importCourse(strFromU8(unzipSync(pkg.bytes)['cmi5.xml']), [auId]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await academy?.close();
    await lms?.close();
  });

  it('Normal mode: launched → initialized → completed → passed → terminated, then satisfied, each following the cmi5 rules', async () => {
    const launch = lms.launch(auId, lms.register('learner-1'));
    await page.goto(launch.url);
    const chat = page.frameLocator('#lms-chat');
    const cards = cardsFor(lesson, 'both');
    await textIn(chat, `${lesson.title} · card 1 of ${cards.length}`);
    for (let i = 0; i < cards.length; i++) {
      await textIn(chat, `${lesson.title} · card ${i + 1} of ${cards.length}`);
      await clickIn(chat, 'Next');
    }
    for (const q of lesson.checks) {
      await textIn(chat, q.question);
      await clickIn(chat, q.options.find((o) => o.correct)!.text);
      await textIn(chat, q.options.find((o) => o.correct)!.feedback); // this question's feedback, not an earlier one's
      await clickIn(chat, 'Next');
    }
    await textIn(chat, /Lesson complete\. You got \d+ of \d+ right\./);
    await page.getByText(/You finished the lesson: \d+ of \d+ right – passed\./).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('lms-cmi5-finished.png'), fullPage: true });
    await page.getByRole('button', { name: 'Return to your course' }).click();
    await page.getByRole('heading', { name: 'Back in your course' }).waitFor({ timeout: 30_000 });

    const statements = lms.statements(launch.registration);
    const verbs = statements.map((s) => Object.entries(CMI5_VERBS).find(([, id]) => id === s.verb.id)?.[0]);
    expect(verbs).to.deep.equal(['launched', 'initialized', 'completed', 'passed', 'terminated', 'satisfied', 'satisfied']);
    expect(checkCmi5({ statements, registration: launch.registration, activityId: launch.au.activityId, publisherId: auId, modes: { [launch.sessionId]: 'Normal' }, masteryScore: lesson.masteryScore })).to.deep.equal([]);
    const passed = statements.find((s) => s.verb.id === CMI5_VERBS.passed)!;
    expect(passed.result?.score?.scaled).to.equal(1);
    expect(lms.fetchCalls.get(launch.fetchKey)).to.equal(1);
  });
});
