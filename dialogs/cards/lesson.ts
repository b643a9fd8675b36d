import type { Card, CheckQuestion, Lesson } from '../../src/lessons/types.js';
import { plainText } from '../../src/lessons/readability.js';
import type { CourseProgress } from '../learner.js';
import { adaptiveCard, bar, heading, markdownBlocks, note, para, view, type Button, type CardMessage } from './render.js';

/** The cards of a lesson: its content cards, the check questions and their feedback, the result. */

export function lessonCardView(lesson: Lesson, card: Card, index: number, total: number): CardMessage {
  const buttons: Button[] = [];
  const at = `${lesson.id}:${index}`;
  if (index > 0) buttons.push({ title: 'Back', data: { academy: 'back', at } });
  buttons.push({ title: 'Next', data: { academy: 'next', at }, primary: true }, { title: 'Stop', data: { academy: 'stop' } });
  buttons.push({ title: REPORT_CARD, data: { academy: 'report-card', lesson: lesson.id, card: lesson.cards.indexOf(card) } });
  const progress = `${lesson.title} · card ${index + 1} of ${total}`;
  return view({
    speak: `${card.title}. ${plainText(card.body)}`,
    blocks: [note(progress), heading(card.title), ...markdownBlocks(card.body)],
    text: `${progress}\n\n${card.title}\n\n${plainText(card.body)}`,
    buttons,
  });
}

export function questionCard(lesson: Lesson, q: CheckQuestion, index: number, total: number, at: string): CardMessage {
  const buttons: Button[] = q.options.map((o, i) => ({ title: o.text, data: { academy: 'answer', option: i, at } }));
  const label = total > 1 ? `Check question ${index + 1} of ${total}` : 'Check your learning';
  return view({
    speak: `${q.question} ${q.options.map((o, i) => `Option ${i + 1}: ${o.text}.`).join(' ')}`,
    blocks: [note(`${lesson.title} · ${label}`), heading(q.question)],
    text: `${label}\n\n${q.question}\n${q.options.map((o, i) => `${i + 1}. ${o.text}`).join('\n')}`,
    buttons,
  });
}

/** The right answer of a check question and why, shown after a wrong answer. */
export interface RightAnswer {
  readonly text: string;
  readonly why: string;
}

export function feedbackCard(correct: boolean, feedback: string, at: string, right?: RightAnswer): CardMessage {
  const verdict = correct ? 'Correct.' : 'Not quite.';
  const rightLine = !correct && right ? `The right answer is "${right.text}". ${right.why}` : '';
  return view({
    speak: [verdict, feedback, rightLine].filter(Boolean).join(' '),
    blocks: [heading(verdict), para(feedback), ...(rightLine ? [para(rightLine, { weight: 'Bolder' })] : [])],
    text: [`${verdict} ${feedback}`, rightLine].filter(Boolean).join('\n\n'),
    buttons: [{ title: 'Next', data: { academy: 'next', at }, primary: true }],
  });
}

export interface CompletionView {
  readonly lesson: Lesson;
  readonly correct: number;
  readonly questions: number;
  readonly passed: boolean;
  /** How many right answers pass (the lesson's mastery score, in questions). */
  readonly passMark: number;
  readonly course: CourseProgress;
  /** The same next lesson that "my progress" suggests. */
  readonly next?: Lesson;
}

export function completionCard(v: CompletionView): CardMessage {
  const done = `${v.course.done} of ${v.course.total} ${v.course.course.area.title} lessons done.`;
  // "Lesson complete" means passed, everywhere; a lesson below the pass mark is finished, not done.
  const result = v.passed
    ? `Lesson complete. You got ${v.correct} of ${v.questions} right.`
    : `Lesson finished — you got ${v.correct} of ${v.questions}. Pass mark is ${v.passMark}; try the check again.`;
  const buttons: Button[] = [];
  if (!v.passed) buttons.push({ title: 'Try the check again', data: { academy: 'start', lesson: v.lesson.id, check: true }, primary: true });
  if (v.next) buttons.push({ title: `Next: ${v.next.title}`, data: { academy: 'start', lesson: v.next.id } });
  buttons.push({ title: 'Menu', data: { academy: 'menu' } }, { title: 'My progress', data: { academy: 'progress' } });
  return view({
    speak: `${result} ${done}`,
    blocks: [heading(v.passed ? 'Well done' : 'Lesson finished', 'Large'), para(result), para(`${bar(v.course.done, v.course.total)} ${done}`, { weight: 'Bolder' })],
    text: `${result}\n${done}`,
    buttons,
  });
}

export function courseCompleteCard(p: CourseProgress, badge: boolean, next: Lesson | undefined): CardMessage {
  const title = badge ? 'You are a Digital champion' : 'Course complete';
  const text = badge
    ? `You finished every lesson in the ${p.course.area.title} course. You have earned the Digital champion badge. Thank you for helping others.`
    : `You finished every lesson in the ${p.course.area.title} course.`;
  const buttons: Button[] = [];
  if (next) buttons.push({ title: `Next: ${next.title}`, data: { academy: 'start', lesson: next.id } });
  buttons.push({ title: 'My progress', data: { academy: 'progress' } });
  return view({
    speak: `${title}. ${text}`,
    blocks: [
      ...(badge ? [{ type: 'TextBlock', text: '🏅', size: 'ExtraLarge', horizontalAlignment: 'Center' }] : []),
      heading(title, 'Large'),
      para(text),
      note(`${bar(p.done, p.total)} ${p.done} of ${p.total} lessons done`),
    ],
    text: `${title}. ${text}`,
    buttons,
  });
}

/** The button under every lesson card that reports it to the content team. */
/** Short, so the button stays on one line on a phone; typed, "something wrong with this card" does the same. */
export const REPORT_CARD = 'Report a problem';

/** After "Report a problem" on a card: thanks, and a box for an optional short note. */
export function cardReportedCard(reportId: string, cardTitle: string): CardMessage {
  const thanks = `Thank you. The content team will check the card "${cardTitle}".`;
  const speak = `${thanks} You can add a short note to say what is wrong.`;
  return {
    card: () => {
      const card = adaptiveCard({
        speak,
        body: [
          para(thanks),
          { type: 'Input.Text', id: 'note', isMultiline: true, maxLength: 500, label: 'What is wrong? (you do not have to say)', placeholder: 'For example: the button has a new name' },
          note("Do not write your name or anyone's health details."),
        ],
        actions: [{ type: 'Action.Submit', title: 'Send note', data: { academy: 'report-card-note', report: reportId } }],
      });
      return { type: 'message', attachments: [card], speak, text: '' };
    },
    text: () => {
      const text = `${thanks} Type "next" to carry on.`;
      return { type: 'message', text, speak: text };
    },
  };
}
