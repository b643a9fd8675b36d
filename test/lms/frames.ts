/** Helpers for lessons that run in frames (the cmi5 launch page, a SCO in an LMS). */
import type { FrameLocator } from 'playwright-core';
import { cardsFor, type Lesson } from '../../src/lessons/types.js';
import { shippedCatalog } from '../support/bot.js';

export async function clickIn(chat: FrameLocator, name: string): Promise<void> {
  const button = chat.getByRole('button', { name, exact: true }).last();
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  await button.click();
}

export async function textIn(chat: FrameLocator, text: string | RegExp): Promise<void> {
  await chat.getByText(text).last().waitFor({ state: 'visible', timeout: 30_000 });
}

/** The lesson with the fewest clicks (at least `minCards` cards and one question), to keep browser tests short. */
export function shortLesson(minCards = 1): Lesson {
  const clicks = (l: Lesson) => cardsFor(l, 'both').length + 2 * l.checks.length;
  return [...shippedCatalog().lessons].filter((l) => cardsFor(l, 'both').length >= minCards && l.checks.length > 0).sort((a, b) => clicks(a) - clicks(b) || a.id.localeCompare(b.id))[0];
}
