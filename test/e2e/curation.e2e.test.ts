/**
 * The curation loop in Chromium, end to end and without a restart: a learner asks a question
 * the academy cannot answer; a curator signs in to the admin, finds it on the Questions page
 * and adds it to a topic; the same question asked again in web chat gets that topic's answer.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Academy } from '../../src/main.js';
import { startTestAcademy } from '../support/academy.js';
import { clickLast, launchChromium, screenshotPath, waitForText } from '../support/browser.js';
import { shippedCatalog, shippedQa } from '../support/bot.js';

const PASSWORD = 'curation-test-password-4821';
/** Not answered by the shipped content, not declined either (checked below with the shipped engine). */
const QUESTION = 'how do i calibrate the ward hoist app';
/** A topic the engine does not offer for it. */
const TOPIC = 'work-tools.staff-systems';

async function ask(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox').last();
  await box.fill(text);
  await box.press('Enter');
}

describe('curation loop in Chromium: attach in the admin, answered in web chat at once', function () {
  this.timeout(180_000);
  let academy: Academy & { dataDir: string };
  let browser: Browser;

  before(async () => {
    academy = await startTestAcademy({ ADMIN_PASSWORD: PASSWORD });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await academy?.close();
  });

  it('a question a curator attaches is answered from that topic, with no restart', async () => {
    const before = shippedQa().ask(QUESTION);
    expect(before.triage).to.equal('no-answer');
    expect(before.alternatives[0]).to.not.equal(TOPIC);
    const lesson = shippedCatalog().lessonForTopic(TOPIC)!;

    const chat = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await chat.goto(academy.url);
    await waitForText(chat, 'Which best describes you?');
    await clickLast(chat, 'Digital champion');
    await waitForText(chat, 'Would you like a quick skills check?');
    await ask(chat, QUESTION);
    await waitForText(chat, /Did you mean one of these\?|I don't know that yet/);

    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await admin.goto(`${academy.url}/admin/sign-in`);
    await admin.getByLabel('Username').fill('admin');
    await admin.getByLabel('Password').fill(PASSWORD);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.goto(`${academy.url}/admin/questions`);
    const card = admin.locator('.nhsuk-card', { has: admin.getByRole('heading', { name: QUESTION }) });
    await card.getByLabel('Add as a new way of asking about').selectOption(TOPIC);
    await card.getByRole('button', { name: 'Add to topic' }).click();
    await admin.waitForURL(/\/admin\/questions$/);
    // the page now shows the question as one that missed the topic
    await waitForText(admin, 'Questions that missed each topic');
    expect(await admin.locator('table', { hasText: 'Questions that missed each topic' }).textContent()).to.contain(QUESTION);
    await admin.screenshot({ path: screenshotPath('e2e-curation-admin.png'), fullPage: true });

    await ask(chat, QUESTION);
    await waitForText(chat, new RegExp(`From .${lesson.title}., reviewed \\d{1,2} \\w+ \\d{4}`));
    await chat.screenshot({ path: screenshotPath('e2e-curation-answer.png') });
  });
});
