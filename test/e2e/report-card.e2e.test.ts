import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Academy } from '../../src/main.js';
import { cardsFor } from '../../src/lessons/types.js';
import { startTestAcademy } from '../support/academy.js';
import { clickIntoLesson, clickLast, launchChromium, screenshotPath, waitForText } from '../support/browser.js';
import { shippedCatalog } from '../support/bot.js';

const PASSWORD = 'report-card-e2e-password';

describe('"Something wrong with this card?" from web chat to the admin (Chromium)', function () {
  this.timeout(180_000);
  let academy: Academy;
  let browser: Browser;
  let page: Page;

  before(async () => {
    academy = await startTestAcademy({ ADMIN_PASSWORD: PASSWORD });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await academy?.close();
  });

  it('a learner reports a card with a note; the admin Content page and the Questions queue show it with the card id', async () => {
    const lesson = shippedCatalog().lessonForTopic('nhs-app.prescriptions')!;
    const cards = cardsFor(lesson, 'social-care');
    await clickIntoLesson(page, academy.url, 'Social care', 'The NHS App', lesson.title);
    // Go to the third card the learner sees, and report it.
    for (let i = 0; i < 2; i++) {
      await waitForText(page, `${lesson.title} · card ${i + 1} of ${cards.length}`);
      await clickLast(page, 'Next');
    }
    await waitForText(page, `${lesson.title} · card 3 of ${cards.length}`);
    const card = cards[2];
    const cardId = `${lesson.id}/card/${lesson.cards.indexOf(card) + 1}`;
    await clickLast(page, 'Report a problem');
    await waitForText(page, /The content team will check the card/);
    const note = 'The Change button is called Update now';
    const box = page.getByRole('textbox', { name: /What is wrong/ }).last();
    await box.fill(note);
    await clickLast(page, 'Send note');
    await waitForText(page, 'Your report is with the content team');
    await page.screenshot({ path: screenshotPath('e2e-report-card.png') });
    // The lesson carries on from the same card (typed: the same action as the card's Next button).
    const chatBox = page.getByRole('textbox').last();
    await chatBox.fill('next');
    await chatBox.press('Enter');
    await waitForText(page, `${lesson.title} · card 4 of ${cards.length}`);

    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await admin.goto(`${academy.url}/admin/sign-in`);
    await admin.getByLabel('Password').fill(PASSWORD);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.waitForURL(/\/admin$/);

    await admin.goto(`${academy.url}/admin/content`);
    await admin.getByRole('heading', { name: 'Content' }).first().waitFor();
    const reports = admin.locator('table', { has: admin.locator('caption', { hasText: 'reports on lesson cards' }) });
    const row = reports.getByRole('row', { name: new RegExp(cardId.replace(/[/.]/g, '\\$&')) });
    await row.waitFor();
    expect(await row.textContent()).to.contain(note).and.to.contain(card.title);
    const lessons = admin.locator('table', { has: admin.locator('caption', { hasText: 'Lessons: review' }) });
    const lessonRow = lessons.getByRole('row', { name: new RegExp(lesson.title) });
    expect(await lessonRow.textContent()).to.contain(lesson.reviewer).and.to.contain(lesson.lastReviewed);
    await admin.screenshot({ path: screenshotPath('e2e-admin-content.png'), fullPage: true });

    await admin.goto(`${academy.url}/admin/questions`);
    const queue = admin.locator('table', { has: admin.locator('caption', { hasText: 'Curation queue' }) });
    await queue.getByText(`(card ${cardId})`).waitFor();
    expect(await queue.textContent()).to.contain(`Something wrong with the card`).and.to.contain(card.title);
    await admin.close();
  });
});
