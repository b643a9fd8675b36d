import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Academy } from '../../src/main.js';
import { loadSelfCheck } from '../../src/lessons/selfCheck.js';
import { cardsFor } from '../../src/lessons/types.js';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { startTestAcademy } from '../support/academy.js';
import { launchChromium, screenshotPath } from '../support/browser.js';
import { shippedCatalog } from '../support/bot.js';

/**
 * Each learner's own path, KEYBOARD ONLY: no mouse clicks. Elements are located only to check
 * where focus is; everything is done with Tab, Shift+Tab, Enter and Space (and Escape, which Web
 * Chat uses to leave a message and go back to the list of messages).
 *
 * Web Chat's keyboard model: Tab reaches the chat history; Enter goes into the focused message
 * and Tab moves between its buttons; Escape goes back to the history, and Tab on to the message box.
 * After the learner presses a card button, the page moves focus to the first button of the bot's
 * next card (src/web/accessibility.js followNewCards), which this test relies on throughout.
 */

const ROLE_QUESTION = 'Which best describes you?';
const statements = loadSelfCheck(join(projectRoot(), 'content'));

interface Focus {
  /** The focused element's text (a button's label). */
  text: string;
  tag: string;
  /** Text of the chat message holding focus, if any. */
  message: string;
  /** data-id of the focused element (Web Chat's send box input is "webchat-sendbox-input"). */
  dataId: string | null;
  isTranscript: boolean;
}

function focus(page: Page): Promise<Focus> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      text: (el?.textContent ?? '').trim(),
      tag: el?.tagName ?? '',
      message: (el?.closest('article')?.textContent ?? '').replace(/\s+/g, ' '),
      dataId: el?.getAttribute('data-id') ?? null,
      isTranscript: !!el?.classList.contains('webchat__basic-transcript'),
    };
  });
}

/** Waits until focus is on a button inside the newest message that shows `text` (moved there by the page). */
async function focusArrivesIn(page: Page, text: string | RegExp): Promise<Focus> {
  const source = typeof text === 'string' ? { s: text } : { re: text.source, flags: text.flags };
  await page.waitForFunction(
    (want) => {
      const el = document.activeElement;
      const article = el?.closest('article');
      if (!el || el.tagName !== 'BUTTON' || !article) return false;
      const articles = document.querySelectorAll('article');
      if (articles[articles.length - 1] !== article) return false;
      const content = (article.textContent ?? '').replace(/\s+/g, ' ');
      return want.s !== undefined ? content.includes(want.s) : new RegExp(want.re!, want.flags).test(content);
    },
    source,
    { timeout: 30_000 },
  );
  return focus(page);
}

/** Tabs (within the focused message) to the button labelled `label`, then presses `key` on it. */
async function press(page: Page, label: string | RegExp, key: 'Enter' | 'Space' = 'Enter'): Promise<string> {
  const matches = (t: string) => (typeof label === 'string' ? t === label : label.test(t));
  for (let i = 0; i < 12; i++) {
    const f = await focus(page);
    if (f.tag === 'BUTTON' && matches(f.text)) {
      await page.keyboard.press(key);
      return f.text;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`No button ${String(label)} reached with Tab; focus is on ${JSON.stringify(await focus(page))}`);
}

/** From a page just loaded: Tab to the chat history, Enter into the newest message (the welcome card). */
async function tabIntoChat(page: Page): Promise<void> {
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    if ((await focus(page)).isTranscript) break;
  }
  expect((await focus(page)).isTranscript, 'Tab reaches the chat history').to.equal(true);
  await page.keyboard.press('Enter');
  const f = await focus(page);
  expect(f.tag).to.equal('BUTTON');
  expect(f.message).to.contain(ROLE_QUESTION);
}

/** From a card button: Escape to the chat history, then Tab to the message box. */
async function tabToMessageBox(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    if ((await focus(page)).dataId === 'webchat-sendbox-input') return;
  }
  throw new Error(`The message box was not reached with Tab; focus is on ${JSON.stringify(await focus(page))}`);
}

/** Answers the whole self-check with the keyboard: "No" where `no` matches the statement, else "Yes". */
async function takeSelfCheck(page: Page, no: (statement: string) => boolean): Promise<string[]> {
  await focusArrivesIn(page, 'Check my skills');
  await press(page, 'Check my skills');
  const answeredNo: string[] = [];
  for (let i = 0; i < statements.length; i++) {
    await focusArrivesIn(page, `Skills check · ${i + 1} of ${statements.length}`);
    const statement = await page.evaluate(() => document.activeElement?.closest('article')?.querySelector('[role="heading"]')?.textContent?.trim() ?? '');
    expect(statements.map((s) => s.statement)).to.include(statement);
    if (no(statement)) {
      answeredNo.push(statement);
      await press(page, 'No', 'Space');
    } else {
      await press(page, 'Yes');
    }
  }
  return answeredNo;
}

/** Waits for the self-check result and returns the lesson title on its first button, "Start: <title>" (focused). */
async function offeredFirst(page: Page): Promise<string> {
  const f = await focusArrivesIn(page, 'Your skills check');
  expect(f.text).to.match(/^Start: /);
  return f.text.slice('Start: '.length);
}

describe('a learner’s own path, keyboard only (Chromium)', function () {
  this.timeout(150_000);
  const catalog = shippedCatalog();
  const nhsApp = catalog.course('nhs-app')!;
  const safety = catalog.course('safety')!;
  let academy: Academy;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function newLearner(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('close', () => expect(problems, 'page errors').to.deep.equal([]));
    await page.goto(academy.url);
    await page.getByText(ROLE_QUESTION).last().waitFor({ timeout: 30_000 });
    return page;
  }

  before(async () => {
    [academy, browser] = await Promise.all([startTestAcademy(), launchChromium()]);
  });

  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await academy?.close();
  });

  /** Learner 1: "No" to the NHS App statements, then the offered NHS App lesson to the end. */
  async function nhsAppLearner(): Promise<void> {
    const page = await newLearner();
    // Progress before: the skip link leads to the message box.
    await page.keyboard.press('Tab');
    expect((await focus(page)).text).to.equal('Skip to the chat');
    await page.keyboard.press('Enter');
    expect((await focus(page)).dataId).to.equal('webchat-sendbox-input');
    await page.keyboard.type('my progress');
    await page.keyboard.press('Enter');
    await page.getByText('Your progress').last().waitFor({ timeout: 30_000 });
    const before = page.locator('article').filter({ hasText: 'Your progress' }).last();
    expect(await before.innerText()).to.match(new RegExp(`${nhsApp.area.title}[▓░\\s]*0 of ${nhsApp.lessons.length}`));

    // Pick a role: Shift+Tab back to the chat history, up to the welcome message, Enter into it.
    await page.keyboard.press('Shift+Tab');
    for (let i = 0; i < 3 && !(await focus(page)).isTranscript; i++) await page.keyboard.press('Shift+Tab');
    expect((await focus(page)).isTranscript).to.equal(true);
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    expect((await focus(page)).message).to.contain(ROLE_QUESTION);
    await press(page, 'Social care');

    const no = await takeSelfCheck(page, (s) => s.includes('NHS App'));
    expect(no).to.have.length(2);
    const title = await offeredFirst(page);
    const lesson = nhsApp.lessons.find((l) => l.title === title);
    expect(lesson, `"${title}" is an NHS App lesson`).to.not.equal(undefined);
    await press(page, `Start: ${title}`);

    const cards = cardsFor(lesson!, 'social-care');
    for (let i = 0; i < cards.length; i++) {
      const f = await focusArrivesIn(page, `${title} · card ${i + 1} of ${cards.length}`);
      // Focus is on the card's first button (Back from card 2 on), or on Next if the card marks it as primary.
      expect(i === 0 ? ['Next'] : ['Back', 'Next']).to.include(f.text);
      await press(page, 'Next', i % 2 === 0 ? 'Enter' : 'Space');
    }
    for (const q of lesson!.checks) {
      await focusArrivesIn(page, q.question);
      await press(page, q.options.find((o) => o.correct)!.text);
      await focusArrivesIn(page, 'Correct.');
      await press(page, 'Next');
    }
    const done = await focusArrivesIn(page, 'Lesson complete.');
    expect(done.message).to.contain(`1 of ${nhsApp.lessons.length} ${nhsApp.area.title} lessons done`);

    // And "my progress", typed in the message box, shows the course has gone up from 0 to 1.
    await tabToMessageBox(page);
    await page.keyboard.type('my progress');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('article').length > 0 && /Your progress/.test(document.querySelectorAll('article')[document.querySelectorAll('article').length - 1]!.textContent ?? ''), undefined, { timeout: 30_000 });
    const after = page.locator('article').last();
    expect(await after.innerText()).to.match(new RegExp(`${nhsApp.area.title}[▓░\\s]*1 of ${nhsApp.lessons.length}`));
    await page.screenshot({ path: screenshotPath('path-keyboard-nhs-app.png'), fullPage: true });
  }

  /** Learner 2: "No" to the safety statements, offered a safety lesson first. */
  async function safetyLearner(): Promise<void> {
    const page = await newLearner();
    await tabIntoChat(page);
    await press(page, 'NHS staff', 'Space');
    const no = await takeSelfCheck(page, (s) => s.includes('two-step verification') || s.includes('scam'));
    expect(no).to.have.length(2);
    const title = await offeredFirst(page);
    expect(safety.lessons.map((l) => l.title), `"${title}" is a safety lesson`).to.include(title);
  }

  it('two new learners (their own browser contexts), each offered the lesson their self-check calls for, taken with the keyboard', async () => {
    // Side by side: each waits on the bot most of the time.
    await Promise.all([nhsAppLearner(), safetyLearner()]);
  });
});
