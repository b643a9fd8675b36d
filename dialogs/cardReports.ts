import { cardsFor } from '../src/lessons/types.js';
import { cardReportedCard } from './cards/lesson.js';
import type { Turn } from './academy.js';
import type { Input } from './input.js';
import { audienceOf } from './learner.js';

/**
 * "Something wrong with this card?": the report goes to the curation queue with the card's id
 * (`<lesson id>/card/<n>`, as in xAPI). Typed rather than tapped, it is the card on screen.
 * The lesson stays where it was.
 */
export async function reportCard(t: Turn, input: Extract<Input, { kind: 'report-card' }>): Promise<void> {
  const { catalog, qaStore } = t.bot.deps;
  const { profile } = t;
  let lesson = input.lessonId !== undefined ? catalog.lesson(input.lessonId) : undefined;
  let index = input.card;
  if (input.lessonId === undefined) {
    lesson = profile.lastLessonId ? catalog.lesson(profile.lastLessonId) : undefined;
    const progress = lesson ? profile.lessons[lesson.id] : undefined;
    const onScreen = lesson && progress?.status === 'in-progress' ? cardsFor(lesson, audienceOf(profile.role))[progress.step] : undefined;
    index = lesson && onScreen ? lesson.cards.indexOf(onScreen) : undefined;
  }
  const card = lesson && index !== undefined ? lesson.cards[index] : undefined;
  if (!lesson || !card || index === undefined) {
    await t.ctx.sendActivity('Open a lesson card first. Then tap "Report a problem" under it.');
    return;
  }
  const report = qaStore.reportCard(`${lesson.id}/card/${index + 1}`, lesson.topic, card.title);
  await t.reply.send(cardReportedCard(String(report.id), card.title));
}

/** The optional note on a card report: screened by the safety triage like any free text. */
export async function noteCardReport(t: Turn, input: Extract<Input, { kind: 'report-card-note' }>): Promise<void> {
  const { answers, deps } = t.bot;
  const note = input.note.trim();
  if (note) {
    const assessed = answers.assess(note);
    // An emergency or a health question gets its safety reply; such a note is not kept.
    if (assessed.triage === 'emergency' || assessed.triage === 'possible-emergency' || assessed.triage === 'clinical') {
      await answers.reply(t.ctx, assessed, t.flags);
      return;
    }
    const report = deps.qaStore.cardReport(Number(input.report));
    if (report && report.note === null) deps.qaStore.noteCardReport(report.id, note);
  }
  await t.ctx.sendActivity('Thank you. Your report is with the content team. Tap Next on the card to carry on.');
}
