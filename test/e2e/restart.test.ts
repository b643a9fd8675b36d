import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Academy } from '../../src/main.js';
import { cardsFor } from '../../src/lessons/types.js';
import { restartTestAcademy, startTestAcademy } from '../support/academy.js';
import { clickIntoLesson, launchChromium, screenshotPath, waitForText } from '../support/browser.js';
import { shippedCatalog } from '../support/bot.js';

/**
 * Issue 20: open chats recover from a restart. The academy is closed and started again on the same
 * port and DATA_DIR under an open page; with no reload, the learner's next button press works and
 * lands them where they were, and the page says what happened in plain words.
 */
describe('an open chat recovers from a restart of the academy (Chromium)', function () {
  this.timeout(150_000);
  const lesson = shippedCatalog().course('nhs-app')!.lessons[0];
  const cards = cardsFor(lesson, 'social-care');
  let academy: (Academy & { dataDir: string }) | undefined;
  let browser: Browser;
  let page: Page;

  before(async () => {
    [academy, browser] = await Promise.all([startTestAcademy(), launchChromium()]);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' })).newPage();
  });

  after(async () => {
    await browser?.close();
    await academy?.close();
  });

  it('after a restart, pressing Next on the open card starts a new chat for the same learner and shows the next card', async () => {
    await clickIntoLesson(page, academy!.url, 'Social care', 'The NHS App', lesson.title);
    await waitForText(page, `${lesson.title} · card 1 of ${cards.length}`);
    const navigations: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });

    academy = await restartTestAcademy(academy!);

    const next = page.getByRole('button', { name: 'Next', exact: true });
    if ((await next.count()) > 0) {
      await next.last().click();
      // The press is sent again in the new conversation and applied to the learner's place.
      await waitForText(page, `${lesson.title} · card 2 of ${cards.length}`);
    } else {
      // The page noticed first and started a new chat: the menu offers to carry on, at the same card.
      await page.getByRole('button', { name: `Carry on: ${lesson.title}` }).last().click();
      await waitForText(page, `${lesson.title} · card 1 of ${cards.length}`);
    }
    await page.getByText(/A new chat has started\. You carry on where you were\./).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('restart-recovered.png'), fullPage: true });
    expect(navigations, 'no reload').to.deep.equal([]);
    expect(await page.getByText('Send failed').count()).to.equal(0);
  });
});
