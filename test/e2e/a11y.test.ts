import { expect } from 'chai';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Academy } from '../../src/main.js';
import { plainText } from '../../src/lessons/readability.js';
import { cardsFor } from '../../src/lessons/types.js';
import { projectRoot } from '../../src/paths.js';
import { startTestAcademy } from '../support/academy.js';
import { clickIntoLesson, clickLast, launchChromium, screenshotPath, waitForText } from '../support/browser.js';
import { shippedCatalog } from '../support/bot.js';

/**
 * WCAG 2.2 AA checks of the web chat page with a lesson card showing, in Chromium against the real
 * academy: axe-core at 100% and at 400% zoom, reflow at 320 and 360 CSS px, card text that follows
 * the text size control, and the read-aloud button (speech synthesis stubbed to record calls).
 *
 * 400% zoom: browser zoom divides the CSS px viewport by the zoom factor, so 1280×900 at 400% is a
 * 320×225 CSS px layout viewport (WCAG 1.4.10's reflow width). We emulate exactly that with the
 * viewport size; deviceScaleFactor would only raise pixel density and leave the layout at 1280 px.
 *
 * The context bypasses the page's CSP only so that axe can be injected with addScriptTag (an inline
 * script); test/web/webchat.test.ts checks the page under its CSP.
 */

const AXE = join(projectRoot(), 'node_modules', 'axe-core', 'axe.min.js');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

interface SpeechCall {
  text: string;
  lang: string;
  voice: string | null;
}

/** Serious and critical axe violations on the page, each as "id (impact): help — selectors". */
async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations;
  }, WCAG_TAGS);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

/** True when the page scrolls sideways (content wider than the viewport). */
function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/**
 * A speech synthesis (and utterance) that records what it is asked to say, with an en-GB voice among others. Plain
 * JavaScript source: functions written in this TypeScript file would be rewritten by the test's
 * transpiler with helpers that do not exist in the page.
 */
const SPEECH_STUB = `(() => {
  const calls = [];
  let cancels = 0;
  const voices = [
    { name: 'Test US', lang: 'en-US', localService: true, default: true, voiceURI: 'us' },
    { name: 'Test GB', lang: 'en-GB', localService: true, default: false, voiceURI: 'gb' },
  ];
  const fake = {
    speaking: false, pending: false, paused: false,
    getVoices() { return voices; },
    speak(u) { calls.push({ text: u.text, lang: u.lang, voice: u.voice ? u.voice.name : null }); },
    cancel() { cancels += 1; },
    pause() {}, resume() {}, addEventListener() {}, removeEventListener() {},
  };
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; this.lang = ''; this.voice = null; } };
  window.__speech = { calls, cancels() { return cancels; } };
  Object.defineProperty(window, 'speechSynthesis', { get() { return fake; }, configurable: true });
})();`;

describe('web chat accessibility (Chromium, axe-core)', function () {
  this.timeout(120_000);
  const lesson = shippedCatalog().course('nhs-app')!.lessons[0];
  const firstCard = cardsFor(lesson, 'social-care')[0];
  let academy: Academy;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    [academy, browser] = await Promise.all([startTestAcademy(), launchChromium()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', bypassCSP: true });
    // A speech synthesis that records what it is asked to say, with an en-GB voice among others.
    await context.addInitScript({ content: SPEECH_STUB });
    page = await context.newPage();
    await clickIntoLesson(page, academy.url, 'Social care', 'The NHS App', lesson.title);
    await waitForText(page, `${lesson.title} · card 1 of ${cardsFor(lesson, 'social-care').length}`);
  });

  after(async () => {
    await browser?.close();
    await academy?.close();
  });

  it('has no serious or critical axe violation with a lesson card showing, at 1280×900 (100%)', async () => {
    expect(await axeProblems(page)).to.deep.equal([]);
    expect(await scrollsSideways(page)).to.equal(false);
    await page.screenshot({ path: screenshotPath('a11y-lesson-1280.png'), fullPage: true });
  });

  it('has none at 400% zoom either (320×225 CSS px), and reflows with no sideways scrolling', async () => {
    await page.setViewportSize({ width: 320, height: 225 });
    try {
      expect(await scrollsSideways(page)).to.equal(false);
      // The lesson card's text and its buttons stay within the viewport's width.
      const card = page.locator('.ac-adaptiveCard').last();
      const box = await card.boundingBox();
      expect(box).to.not.equal(null);
      expect(box!.x).to.be.at.least(0);
      expect(box!.x + box!.width).to.be.at.most(320);
      expect(await axeProblems(page)).to.deep.equal([]);
      await page.screenshot({ path: screenshotPath('a11y-lesson-320-zoom400.png'), fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('fits a 360 px wide phone with no sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      expect(await scrollsSideways(page)).to.equal(false);
      await page.screenshot({ path: screenshotPath('a11y-lesson-360.png'), fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('shows the NHS focus style (yellow, dark edge) on Adaptive Card buttons', async () => {
    const next = page.getByRole('button', { name: 'Next', exact: true }).last();
    await next.focus();
    // Keyboard focus (focus-visible): move away and back with the keyboard.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const style = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const s = getComputedStyle(el);
      return { text: el.textContent?.trim(), bg: s.backgroundColor, color: s.color, shadow: s.boxShadow };
    });
    expect(style.text).to.equal('Next');
    expect(style.bg).to.equal('rgb(255, 235, 59)');
    expect(style.color).to.equal('rgb(33, 43, 50)');
    expect(style.shadow).to.contain('rgb(33, 43, 50)');
  });

  it('"Larger text" also makes the text on cards larger', async () => {
    const cardText = page.locator('.ac-adaptiveCard').last().getByText(firstCard.title, { exact: true });
    const size = () => cardText.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const before = await size();
    await page.getByRole('button', { name: 'Larger text' }).press('Enter');
    await page.getByRole('button', { name: 'Larger text' }).press('Enter');
    expect(await page.textContent('#text-size-value')).to.equal('125%');
    await page.waitForFunction(
      ({ title, want }) => {
        const cards = document.querySelectorAll('.ac-adaptiveCard');
        const heading = Array.from(cards[cards.length - 1]!.querySelectorAll('[role="heading"]')).find((h) => h.textContent?.trim() === title);
        return heading !== undefined && Math.abs(parseFloat(getComputedStyle(heading).fontSize) - want) < 0.6;
      },
      { title: firstCard.title, want: before * 1.25 },
    );
    expect(await size()).to.be.closeTo(before * 1.25, 0.6);
    await page.getByRole('button', { name: 'Smaller text' }).press('Enter');
    await page.getByRole('button', { name: 'Smaller text' }).press('Enter');
    expect(await page.textContent('#text-size-value')).to.equal('100%');
  });

  it('puts a "Read aloud" button on the lesson card that speaks the card in an en-GB voice, and stops', async () => {
    const article = page.locator('article').filter({ hasText: `${lesson.title} · card 1 of` }).last();
    const button = article.getByRole('button', { name: 'Read aloud' });
    expect(await button.count()).to.equal(1);
    await button.focus();
    await page.keyboard.press('Enter');
    const calls = () => page.evaluate(() => (window as unknown as { __speech: { calls: SpeechCall[] } }).__speech.calls);
    expect(await calls()).to.deep.equal([{ text: `${firstCard.title}. ${plainText(firstCard.body)}`, lang: 'en-GB', voice: 'Test GB' }]);
    const stop = article.getByRole('button', { name: 'Stop reading' });
    expect(await stop.getAttribute('aria-pressed')).to.equal('true');
    const cancelsBefore = await page.evaluate(() => (window as unknown as { __speech: { cancels: () => number } }).__speech.cancels());
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => (window as unknown as { __speech: { cancels: () => number } }).__speech.cancels())).to.be.greaterThan(cancelsBefore);
    expect(await article.getByRole('button', { name: 'Read aloud' }).getAttribute('aria-pressed')).to.equal('false');
    expect(await calls()).to.have.length(1);
  });
});
