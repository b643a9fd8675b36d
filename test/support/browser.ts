import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';
import { cardsFor, type Audience, type Lesson } from '../../src/lessons/types.js';

/** Debian's Chromium, never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** Where tests save screenshots: test-output/ at the project root. */
export function screenshotPath(name: string): string {
  const dir = join(projectRoot(), 'test-output');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** Clicks the last (newest) button with this accessible name: old cards keep their buttons. */
export async function clickLast(page: Page, name: string | RegExp): Promise<void> {
  const button = page.getByRole('button', { name, exact: typeof name === 'string' }).last();
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  await button.click();
}

/** Waits until the transcript shows this text in its newest message that has it. */
export async function waitForText(page: Page, text: string | RegExp): Promise<void> {
  await page.getByText(text).last().waitFor({ state: 'visible', timeout: 30_000 });
}

/** A new web-chat learner picks their role, goes to the menu, a course and a lesson, by clicking. */
export async function clickIntoLesson(page: Page, url: string, role: string, course: string, lesson: string): Promise<void> {
  await page.goto(url);
  await waitForText(page, 'Which best describes you?');
  await clickLast(page, role);
  await clickLast(page, 'Go to the menu');
  await clickLast(page, course);
  await clickLast(page, lesson);
}

/** Goes through an open lesson by clicking: every card's Next, then the right answer of each check and its Next. */
export async function clickThroughLesson(page: Page, lesson: Lesson, audience: Audience): Promise<void> {
  const cards = cardsFor(lesson, audience);
  for (let i = 0; i < cards.length; i++) {
    await waitForText(page, `${lesson.title} · card ${i + 1} of ${cards.length}`);
    await clickLast(page, 'Next');
  }
  for (const q of lesson.checks) {
    await waitForText(page, q.question);
    await clickLast(page, q.options.find((o) => o.correct)!.text);
    await waitForText(page, q.options.find((o) => o.correct)!.feedback); // this question's feedback, not an earlier one's
    await clickLast(page, 'Next');
  }
}
