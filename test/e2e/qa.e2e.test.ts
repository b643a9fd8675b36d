import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { runCli } from '../../src/cli.js';
import type { Academy } from '../../src/main.js';
import { startTestAcademy } from '../support/academy.js';
import { clickLast, launchChromium, screenshotPath, waitForText } from '../support/browser.js';
import { shippedCatalog, shippedQa } from '../support/bot.js';
import { unsureQuestion } from '../qa/helpers.js';
import { NOT_EMERGENCY } from '../../dialogs/input.js';

/** The first question the engine gives this verdict, so the test follows the engine, not its tuning. */
function pick(candidates: string[], want: (r: ReturnType<ReturnType<typeof shippedQa>['ask']>) => boolean): string {
  const q = candidates.find((c) => want(shippedQa().ask(c)));
  if (!q) throw new Error('no candidate question gives the wanted verdict');
  return q;
}

async function ask(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox').last();
  await box.fill(text);
  await box.press('Enter');
}

describe('question answering in web chat (Chromium)', function () {
  this.timeout(180_000);
  let academy: Academy & { dataDir: string };
  let browser: Browser;
  let page: Page;

  before(async () => {
    academy = await startTestAcademy();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(academy.url);
    await waitForText(page, 'Which best describes you?');
    await clickLast(page, 'Digital champion');
    await waitForText(page, 'Would you like a quick skills check?');
  });

  after(async () => {
    await browser?.close();
    await academy?.close();
  });

  it('answers with its source and review date, and asks "Was this helpful?"', async () => {
    const question = 'how do i order my repeat prescription on the nhs app';
    const lesson = shippedCatalog().lessonForTopic(shippedQa().ask(question).topic!)!;
    await ask(page, question);
    // Adaptive Cards typeset straight quotes as curly ones.
    await waitForText(page, new RegExp(`From .${lesson.title}., reviewed \\d{1,2} \\w+ \\d{4}`));
    await waitForText(page, 'Was this helpful?');
    await page.getByRole('button', { name: 'Yes, helpful' }).last().waitFor();
    await page.getByRole('link', { name: lesson.sources[0].title }).last().waitFor();
    await page.screenshot({ path: screenshotPath('e2e-qa-answer.png') });
    await clickLast(page, 'Yes, helpful');
    await waitForText(page, 'Thanks for letting me know.');
  });

  it('offers "did you mean" buttons for a low-confidence question', async () => {
    const question = pick(
      ['where do i download the qwerty portal driver', 'help with the app thing', 'my login', 'something about my records', 'the code thing'],
      (r) => r.triage === 'no-answer' && r.alternatives.length > 0,
    );
    const first = shippedCatalog().lessonForTopic(shippedQa().ask(question).alternatives[0])!;
    await ask(page, question);
    await waitForText(page, 'Did you mean one of these?');
    await page.getByRole('button', { name: first.title, exact: true }).last().waitFor();
  });

  it('sends an unknown question to the curation queue, which `academy curation list` shows', async () => {
    const question = pick(['how do i calibrate the ward hoist app', 'can i get a refund on my parking permit online', 'how do i calibrate the ward hoist', 'my qwop portal wont zarg'], (r) => r.triage === 'no-answer' && r.alternatives.length === 0);
    await ask(page, question);
    await waitForText(page, "I don't know that yet");
    const out: string[] = [];
    const code = await runCli(['curation', 'list'], { out: (l) => out.push(l), err: (l) => out.push(l) }, { DATA_DIR: academy.dataDir });
    expect(code).to.equal(0);
    expect(out.join('\n')).to.contain(question);
  });

  it('shows a possible emergency the emergency card first, and the answer on "This is not an emergency"', async () => {
    const question = unsureQuestion(shippedQa());
    const after = shippedQa().ask(question, { skipNet: true });
    const before = await page.getByText('Was this helpful?').count();
    await ask(page, question);
    await waitForText(page, /call the police on 999/);
    await waitForText(page, /Samaritans free on 116 123/);
    await page.screenshot({ path: screenshotPath('e2e-qa-possible-emergency.png') });
    await clickLast(page, NOT_EMERGENCY);
    if (after.triage === 'answer') {
      await page.waitForFunction((n) => Array.from(document.querySelectorAll('*')).filter((e) => e.childElementCount === 0 && e.textContent === 'Was this helpful?').length > n, before);
    } else {
      await waitForText(page, after.triage === 'clinical' ? "I can't give medical advice" : /I don't know that yet|Did you mean|Sorry, I can't help/);
    }
  });
});
