import { expect } from 'chai';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Academy } from '../../src/main.js';
import { cardsFor } from '../../src/lessons/types.js';
import { projectRoot } from '../../src/paths.js';
import { startTestAcademy } from '../support/academy.js';
import { clickIntoLesson, clickLast, launchChromium, screenshotPath, waitForText } from '../support/browser.js';
import { shippedCatalog } from '../support/bot.js';

/**
 * Issue 20, item 2: the page on a 360×740 phone. Once a lesson has started the chat takes at least
 * 70% of the screen, a new card shows from its top (its heading is visible) with all its buttons,
 * and no button text is cut off with "…" — on the phone and on a desktop.
 */

const AXE = join(projectRoot(), 'node_modules', 'axe-core', 'axe.min.js');

/** Buttons whose text is cut: wider than their box, or with an ellipsis that is in use. */
function truncatedButtons(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const b of Array.from(document.querySelectorAll<HTMLElement>('#webchat button'))) {
      const nodes = [b, ...Array.from(b.querySelectorAll<HTMLElement>('*'))];
      const cut = nodes.some((n) => n.scrollWidth > n.clientWidth + 1 || getComputedStyle(n).textOverflow === 'ellipsis');
      if (cut && b.offsetParent !== null) out.push(b.textContent?.trim() || b.getAttribute('aria-label') || '?');
    }
    return out;
  });
}

/**
 * The newest card's heading and buttons, and whether they are in the chat's visible area. Plain
 * JavaScript source: the test's transpiler would add helpers that do not exist in the page.
 */
const NEWEST_CARD = `(() => {
  const scroller = document.querySelector('.webchat__basic-transcript__scrollable').getBoundingClientRect();
  const cards = document.querySelectorAll('.ac-adaptiveCard');
  const card = cards[cards.length - 1];
  function inView(el) {
    const r = el.getBoundingClientRect();
    return r.top >= scroller.top - 1 && r.bottom <= scroller.bottom + 1 && r.bottom <= window.innerHeight + 1;
  }
  const heading = card.querySelector('[role="heading"]') || card.querySelectorAll('.ac-textBlock')[1];
  const buttons = Array.from(card.querySelectorAll('button.ac-pushButton'));
  return {
    heading: heading ? heading.textContent : '',
    headingInView: heading ? inView(heading) : false,
    buttons: buttons.map((b) => (b.textContent || '').trim()),
    buttonsInView: buttons.every(inView),
  };
})()`;

function newestCard(page: Page): Promise<{ heading: string; headingInView: boolean; buttons: string[]; buttonsInView: boolean }> {
  return page.evaluate(NEWEST_CARD);
}

/** How much of the screen's height the chat area takes. */
function chatShare(page: Page): Promise<number> {
  return page.evaluate(() => {
    const r = document.getElementById('webchat')!.getBoundingClientRect();
    return (Math.min(r.bottom, window.innerHeight) - Math.max(r.top, 0)) / window.innerHeight;
  });
}

describe('web chat on a 360×740 phone (Chromium)', function () {
  this.timeout(120_000);
  const lesson = shippedCatalog().course('nhs-app')!.lessons[0];
  const cards = cardsFor(lesson, 'social-care');
  let academy: Academy;
  let browser: Browser;
  let page: Page;

  before(async () => {
    [academy, browser] = await Promise.all([startTestAcademy(), launchChromium()]);
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-GB', bypassCSP: true, hasTouch: true });
    page = await context.newPage();
    await clickIntoLesson(page, academy.url, 'Social care', 'The NHS App', lesson.title);
    await waitForText(page, `${lesson.title} · card 1 of ${cards.length}`);
    // The card settles and is shown from its top (the page aligns it once Web Chat has scrolled).
    for (let i = 0; i < 50; i++) {
      const card = await newestCard(page);
      if (card.heading.includes(cards[0].title) && card.headingInView && card.buttonsInView) break;
      await page.waitForTimeout(100);
    }
  });

  after(async () => {
    await browser?.close();
    await academy?.close();
  });

  it('shows the first card of a lesson with its heading and all its buttons, none cut off, and the chat takes at least 70% of the screen', async () => {
    await page.screenshot({ path: screenshotPath('phone-360-lesson-card-1.png') });
    const card = await newestCard(page);
    expect(card.heading).to.contain(cards[0].title);
    expect(card.headingInView, 'heading visible').to.equal(true);
    expect(card.buttons).to.include.members(['Next', 'Stop']);
    expect(card.buttonsInView, 'buttons visible').to.equal(true);
    expect(await truncatedButtons(page)).to.deep.equal([]);
    expect(await chatShare(page)).to.be.at.least(0.7);
    // The message box is on screen too.
    const box = await page.locator('#webchat textarea, #webchat input[type="text"]').first().boundingBox();
    expect(box && box.y + box.height).to.be.at.most(740);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).to.equal(true);
  });

  it('shows a check question with its answers wrapped, never "…", and each new card from its top', async () => {
    for (let i = 0; i < cards.length; i++) {
      await waitForText(page, `${lesson.title} · card ${i + 1} of ${cards.length}`);
      await clickLast(page, 'Next');
    }
    await waitForText(page, lesson.checks[0].question);
    await page.waitForTimeout(800);
    await page.screenshot({ path: screenshotPath('phone-360-check-question.png') });
    const card = await newestCard(page);
    expect(card.headingInView, 'question visible').to.equal(true);
    expect(card.buttons).to.include.members(lesson.checks[0].options.map((o) => o.text));
    expect(await truncatedButtons(page)).to.deep.equal([]);
    expect(await chatShare(page)).to.be.at.least(0.7);
  });

  it('has no serious or critical axe violation in the phone layout', async () => {
    await page.addScriptTag({ path: AXE });
    const serious = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe;
      const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(serious).to.deep.equal([]);
  });

  it('cuts no button text on a desktop either', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForTimeout(300);
    expect(await truncatedButtons(page)).to.deep.equal([]);
    await page.screenshot({ path: screenshotPath('desktop-1280-check-question.png') });
  });
});
