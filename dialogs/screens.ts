import type { DialogContext } from 'botbuilder-dialogs';
import type { Catalog } from '../src/lessons/catalog.js';
import { cardsFor } from '../src/lessons/types.js';
import { courseCard, menuCard, notUnderstoodCard, progressCard, welcomeCard } from './cards/menu.js';
import type { ReplyContext } from './cards/reply.js';
import type { Turn } from './academy.js';
import { allProgress, audienceOf, courseProgress, isDone, lessonInProgress, nextLesson, type LearnerProfile } from './learner.js';

/** The screens the bot comes back to: the menu, a course, progress, and what to say when nothing else fits. */

export async function showMenu(reply: ReplyContext, catalog: Catalog, profile: LearnerProfile): Promise<void> {
  const carry = lessonInProgress(profile, catalog);
  const carryOn = carry
    ? { lesson: carry.lesson, step: carry.progress.step, steps: cardsFor(carry.lesson, audienceOf(profile.role)).length + carry.lesson.checks.length }
    : undefined;
  await reply.send(menuCard(allProgress(profile, catalog), carryOn, nextLesson(profile, catalog)));
}

export async function showCourse(reply: ReplyContext, dc: DialogContext, catalog: Catalog, profile: LearnerProfile, area: string): Promise<void> {
  const course = catalog.course(area);
  if (!course) {
    await reply.send(notUnderstoodCard());
    return;
  }
  await dc.cancelAllDialogs();
  await reply.send(courseCard(courseProgress(profile, course), (id) => isDone(profile, id)));
}

export async function showProgress(t: Turn): Promise<void> {
  const { catalog } = t.bot.deps;
  await t.reply.send(progressCard(allProgress(t.profile, catalog), nextLesson(t.profile, catalog), t.profile.badges ?? []));
}

/**
 * A message nothing else took: the welcome for a learner who has not said who they are,
 * the menu after Next, Back or Stop with nothing open, otherwise "sorry, I didn't understand".
 */
export async function notUnderstood(t: Turn): Promise<void> {
  const kind = t.input.kind;
  if (!t.profile.role) await t.reply.send(welcomeCard());
  else if (kind === 'next' || kind === 'back' || kind === 'stop') await showMenu(t.reply, t.bot.deps.catalog, t.profile);
  else await t.reply.send(notUnderstoodCard());
}
