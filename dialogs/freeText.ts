import { DialogTurnStatus } from 'botbuilder-dialogs';
import { glossaryQuestion } from '../src/lessons/glossary.js';
import type { Turn } from './academy.js';
import { glossaryCard } from './cards/menu.js';
import { LESSON_DIALOG } from './lessonDialog.js';
import { notUnderstood, showCourse } from './screens.js';

/** One way to understand free text; true when it took the message. */
type Resolver = (t: Turn, text: string) => Promise<boolean>;

/** "what is an NHS login?": the glossary's meaning. */
const glossaryTerm: Resolver = async (t, text) => {
  const asked = glossaryQuestion(text);
  const entry = asked ? t.bot.deps.glossary.lookup(asked) : undefined;
  if (!entry) return false;
  await t.reply.send(glossaryCard(entry));
  return true;
};

/** A button's text typed or sent as a suggested action ("Carry on: <lesson>", "✓ <lesson>", a course). */
const wanted = (text: string) =>
  text
    .toLowerCase()
    .replace(/^(?:carry on|next):\s*/, '')
    .replace(/^✓\s*/, '');

/** A lesson's title: that lesson. */
const lessonTitle: Resolver = async (t, text) => {
  const lesson = t.bot.deps.catalog.lessons.find((l) => l.title.toLowerCase() === wanted(text));
  if (!lesson) return false;
  await t.dc.beginDialog(LESSON_DIALOG, { lessonId: lesson.id });
  return true;
};

/** A course's title: that course. */
const courseTitle: Resolver = async (t, text) => {
  const course = t.bot.deps.catalog.courses.find((c) => c.area.title.toLowerCase() === wanted(text));
  if (!course) return false;
  await showCourse(t.reply, t.dc, t.bot.deps.catalog, t.profile, course.area.code);
  return true;
};

/** Anything else is a question: the answer, "did you mean", clinical or off-topic replies, or "I don't know yet". */
const question: Resolver = async (t) => {
  if (!t.assessed) return false;
  await t.bot.answers.reply(t.ctx, t.assessed, t.flags, { sensitive: t.notEmergency });
  return true;
};

/**
 * Free text that is no command and no emergency, tried in this order; the first resolver
 * that takes it wins. To understand a new kind of free text, add a resolver here.
 */
const RESOLVERS: readonly Resolver[] = [glossaryTerm, lessonTitle, courseTitle, question];

/**
 * Free text. In an open dialog, text that answers what is on screen (the check question's
 * option) is the dialog's; any other text is resolved as when nothing is open, and the
 * learner is told how to get back to where they were.
 */
export async function handleFreeText(t: Turn, text: string): Promise<void> {
  const open = t.dc.activeDialog !== undefined;
  if (open && (await dialogTakesText(t))) {
    await t.dc.continueDialog();
    return;
  }
  if (!(await resolve(t, text))) await notUnderstood(t);
  if (open) await t.ctx.sendActivity('Type "next" to carry on where you were.');
}

async function resolve(t: Turn, text: string): Promise<boolean> {
  for (const resolver of RESOLVERS) if (await resolver(t, text)) return true;
  return false;
}

/** The typed label of an answer on screen (not triaged), or text the open lesson takes as an answer. */
async function dialogTakesText(t: Turn): Promise<boolean> {
  if (!t.assessed) return true;
  return !t.notEmergency && (await t.bot.lessons.acceptsText(t.dc, t.assessed.q));
}

/** Anything else (Next, Back, an answer button, a rating...): the open dialog's, else a lesson button from an earlier chat. */
export async function toDialog(t: Turn): Promise<void> {
  if (!t.dc.activeDialog && (await resumeFromButton(t))) return;
  const result = await t.dc.continueDialog();
  if (result.status === DialogTurnStatus.empty) await notUnderstood(t);
}

/**
 * A lesson button pressed in a conversation that has no lesson open (the page started a new chat
 * after a restart): the press is applied if it is on the learner's current card, otherwise the
 * lesson carries on from where they are. The place is in the learner's profile, not the conversation.
 */
async function resumeFromButton(t: Turn): Promise<boolean> {
  const { input } = t;
  const at = 'at' in input ? input.at : undefined;
  const split = at ? at.lastIndexOf(':') : -1;
  if (!at || split <= 0) return false;
  const lessonId = at.slice(0, split);
  const progress = t.profile.lessons[lessonId];
  if (progress?.status !== 'in-progress' || !t.bot.deps.catalog.lesson(lessonId)) return false;
  await t.dc.beginDialog(LESSON_DIALOG, { lessonId, ...(String(progress.step) === at.slice(split + 1) ? { replay: true } : {}) });
  return true;
}
