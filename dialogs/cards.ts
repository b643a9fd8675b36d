import { ActionTypes, CardFactory, type Activity, type CardAction } from 'botbuilder';
import { plainText } from '../src/lessons/readability.js';
import type { GlossaryEntry } from '../src/lessons/glossary.js';
import { KEPT_PLACES } from '../src/privacy/places.js';
import type { SkillStatement } from '../src/lessons/selfCheck.js';
import type { Card, CheckQuestion, Lesson } from '../src/lessons/types.js';
import { NOT_EMERGENCY, type ButtonData } from './input.js';
import type { CourseProgress } from './learner.js';

/**
 * Card factories: pure functions from what to show to a message activity. Each gives an
 * Adaptive Card where the channel shows them, and otherwise the same content as plain text
 * with suggested actions whose text the bot understands when typed.
 */

export interface Button {
  readonly title: string;
  readonly data: ButtonData;
  /** The main action of the card (Next): shown first in emphasis, focused first. */
  readonly primary?: boolean;
}

export type Reply = Partial<Activity>;

const CARD_CHANNELS = new Set(['msteams', 'webchat', 'directline', 'emulator']);

export function channelShowsCards(channelId: string | undefined): boolean {
  return CARD_CHANNELS.has(channelId ?? '');
}

interface Block {
  readonly type: string;
  readonly [key: string]: unknown;
}

const heading = (text: string, size: 'Medium' | 'Large' = 'Medium'): Block => ({ type: 'TextBlock', text, size, weight: 'Bolder', wrap: true, style: 'heading' });
const para = (text: string, extra: Record<string, unknown> = {}): Block => ({ type: 'TextBlock', text, wrap: true, ...extra });
const note = (text: string): Block => para(text, { isSubtle: true, size: 'Small', spacing: 'Small' });

function markdownBlocks(markdown: string): Block[] {
  return markdown
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => para(p.replace(/\n/g, '\r')));
}

/** A progress bar as text, readable by screen readers as "3 of 9". */
export function bar(done: number, total: number): string {
  const width = 10;
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return '▓'.repeat(filled) + '░'.repeat(width - filled);
}

interface View {
  readonly speak: string;
  readonly blocks: Block[];
  readonly text: string;
  readonly buttons: readonly Button[];
}

function render(view: View, cards: boolean): Reply {
  if (cards) {
    const card = CardFactory.adaptiveCard({
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      speak: view.speak,
      body: view.blocks,
      actions: view.buttons.map((b) => ({
        type: 'Action.Submit',
        title: b.title,
        ...(b.primary ? { style: 'positive' } : {}),
        // Plain Action.Submit data: Teams, Agents Playground and Web Chat all post it as the activity's `value`.
        data: { ...b.data },
      })),
    });
    return { type: 'message', attachments: [card], speak: view.speak, text: '' , inputHint: 'expectingInput' };
  }
  const actions: CardAction[] = view.buttons.map((b) => ({ type: ActionTypes.ImBack, title: b.title, value: b.title }));
  return { type: 'message', text: view.text, speak: view.speak, suggestedActions: { actions, to: [] }, inputHint: 'expectingInput' };
}

const roleButtons: Button[] = [
  { title: 'NHS staff', data: { academy: 'role', role: 'nhs' } },
  { title: 'Social care', data: { academy: 'role', role: 'social-care' } },
  { title: 'Digital champion', data: { academy: 'role', role: 'champion' } },
];

export function welcomeCard(cards: boolean): Reply {
  const intro = 'Welcome to the Digital Skills Academy. Short lessons, a few minutes each, on the NHS App, staying safe online, data and work tools.';
  const ask = 'Which best describes you? This helps me pick the right lessons.';
  return render(
    {
      speak: `${intro} ${ask}`,
      blocks: [heading('Welcome to the Digital Skills Academy', 'Large'), para(intro), para(ask, { weight: 'Bolder' }), note('We keep your learning under a random id, not your name.')],
      text: `${intro}\n\n${ask}`,
      buttons: roleButtons,
    },
    cards,
  );
}

export function menuCard(
  progress: readonly CourseProgress[],
  carryOn: { lesson: Lesson; step: number; steps: number } | undefined,
  next: Lesson | undefined,
  cards: boolean,
): Reply {
  const buttons: Button[] = [];
  if (carryOn) buttons.push({ title: `Carry on: ${carryOn.lesson.title}`, data: { academy: 'start', lesson: carryOn.lesson.id } });
  else if (next) buttons.push({ title: `Next for you: ${next.title}`, data: { academy: 'start', lesson: next.id } });
  for (const p of progress) buttons.push({ title: p.course.area.title, data: { academy: 'course', area: p.course.area.code } });
  const lines = progress.map((p) => `${p.course.area.title}: ${p.done} of ${p.total} lessons done`);
  return render(
    {
      speak: 'Pick a course.',
      blocks: [
        heading('Courses'),
        ...(carryOn ? [para(`You were part way through "${carryOn.lesson.title}" (step ${carryOn.step + 1} of ${carryOn.steps}).`)] : []),
        {
          type: 'FactSet',
          facts: progress.map((p) => ({ title: p.course.area.title, value: `${bar(p.done, p.total)} ${p.done} of ${p.total}` })),
        },
        note('Type "progress" to see your progress, or "help" at any time.'),
      ],
      text: ['Courses:', ...lines, carryOn ? `You were part way through "${carryOn.lesson.title}".` : '', 'Pick a course.'].filter(Boolean).join('\n'),
      buttons,
    },
    cards,
  );
}

export function courseCard(p: CourseProgress, isDone: (lessonId: string) => boolean, cards: boolean): Reply {
  const lessons = p.course.lessons;
  const buttons: Button[] = lessons.map((l) => ({ title: `${isDone(l.id) ? '✓ ' : ''}${l.title}`, data: { academy: 'start', lesson: l.id } }));
  buttons.push({ title: 'Menu', data: { academy: 'menu' } });
  const lines = lessons.map((l) => `${isDone(l.id) ? '✓' : '○'} ${l.title} (${l.minutes} min)`);
  return render(
    {
      speak: `${p.course.area.title}. ${p.done} of ${p.total} lessons done. Pick a lesson.`,
      blocks: [heading(p.course.area.title), para(p.course.area.description), note(`${bar(p.done, p.total)} ${p.done} of ${p.total} lessons done`), ...lines.map((l) => para(l, { spacing: 'Small' }))],
      text: [`${p.course.area.title} — ${p.done} of ${p.total} lessons done`, ...lines, 'Pick a lesson.'].join('\n'),
      buttons,
    },
    cards,
  );
}

export function lessonCardView(lesson: Lesson, card: Card, index: number, total: number, cards: boolean): Reply {
  const buttons: Button[] = [];
  const at = `${lesson.id}:${index}`;
  if (index > 0) buttons.push({ title: 'Back', data: { academy: 'back', at } });
  buttons.push({ title: 'Next', data: { academy: 'next', at }, primary: true }, { title: 'Stop', data: { academy: 'stop' } });
  buttons.push({ title: REPORT_CARD, data: { academy: 'report-card', lesson: lesson.id, card: lesson.cards.indexOf(card) } });
  const progress = `${lesson.title} · card ${index + 1} of ${total}`;
  return render(
    {
      speak: `${card.title}. ${plainText(card.body)}`,
      blocks: [note(progress), heading(card.title), ...markdownBlocks(card.body)],
      text: `${progress}\n\n${card.title}\n\n${plainText(card.body)}`,
      buttons,
    },
    cards,
  );
}

export function questionCard(lesson: Lesson, q: CheckQuestion, index: number, total: number, at: string, cards: boolean): Reply {
  const buttons: Button[] = q.options.map((o, i) => ({ title: o.text, data: { academy: 'answer', option: i, at } }));
  const label = total > 1 ? `Check question ${index + 1} of ${total}` : 'Check your learning';
  return render(
    {
      speak: `${q.question} ${q.options.map((o, i) => `Option ${i + 1}: ${o.text}.`).join(' ')}`,
      blocks: [note(`${lesson.title} · ${label}`), heading(q.question)],
      text: `${label}\n\n${q.question}\n${q.options.map((o, i) => `${i + 1}. ${o.text}`).join('\n')}`,
      buttons,
    },
    cards,
  );
}

/** The right answer of a check question and why, shown after a wrong answer. */
export interface RightAnswer {
  readonly text: string;
  readonly why: string;
}

export function feedbackCard(correct: boolean, feedback: string, at: string, cards: boolean, right?: RightAnswer): Reply {
  const verdict = correct ? 'Correct.' : 'Not quite.';
  const rightLine = !correct && right ? `The right answer is "${right.text}". ${right.why}` : '';
  return render(
    {
      speak: [verdict, feedback, rightLine].filter(Boolean).join(' '),
      blocks: [heading(verdict), para(feedback), ...(rightLine ? [para(rightLine, { weight: 'Bolder' })] : [])],
      text: [`${verdict} ${feedback}`, rightLine].filter(Boolean).join('\n\n'),
      buttons: [{ title: 'Next', data: { academy: 'next', at }, primary: true }],
    },
    cards,
  );
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

export function completionCard(v: CompletionView, cards: boolean): Reply {
  const done = `${v.course.done} of ${v.course.total} ${v.course.course.area.title} lessons done.`;
  // "Lesson complete" means passed, everywhere; a lesson below the pass mark is finished, not done.
  const result = v.passed
    ? `Lesson complete. You got ${v.correct} of ${v.questions} right.`
    : `Lesson finished — you got ${v.correct} of ${v.questions}. Pass mark is ${v.passMark}; try the check again.`;
  const buttons: Button[] = [];
  if (!v.passed) buttons.push({ title: 'Try the check again', data: { academy: 'start', lesson: v.lesson.id, check: true }, primary: true });
  if (v.next) buttons.push({ title: `Next: ${v.next.title}`, data: { academy: 'start', lesson: v.next.id } });
  buttons.push({ title: 'Menu', data: { academy: 'menu' } }, { title: 'My progress', data: { academy: 'progress' } });
  return render(
    {
      speak: `${result} ${done}`,
      blocks: [heading(v.passed ? 'Well done' : 'Lesson finished', 'Large'), para(result), para(`${bar(v.course.done, v.course.total)} ${done}`, { weight: 'Bolder' })],
      text: `${result}\n${done}`,
      buttons,
    },
    cards,
  );
}

export function progressCard(progress: readonly CourseProgress[], next: Lesson | undefined, badges: readonly string[], cards: boolean): Reply {
  const done = progress.reduce((n, p) => n + p.done, 0);
  const total = progress.reduce((n, p) => n + p.total, 0);
  const buttons: Button[] = [];
  if (next) buttons.push({ title: `Next: ${next.title}`, data: { academy: 'start', lesson: next.id } });
  buttons.push({ title: 'Menu', data: { academy: 'menu' } });
  return render(
    {
      speak: `Lessons passed: ${done} of ${total}.${next ? ` Next: ${next.title}.` : ''}`,
      blocks: [
        heading('Your progress'),
        para(`Lessons passed: ${done} of ${total}. A lesson is done when you pass its check.`),
        { type: 'FactSet', facts: progress.map((p) => ({ title: p.course.area.title, value: `${bar(p.done, p.total)} ${p.done} of ${p.total}` })) },
        ...(badges.includes('champion') ? [para('Badge: Digital champion', { weight: 'Bolder', color: 'Good' })] : []),
        para(next ? `Next step: ${next.title}` : 'You have done every lesson. Well done.', { weight: 'Bolder' }),
      ],
      text: [
        `Lessons passed: ${done} of ${total}. A lesson is done when you pass its check.`,
        ...progress.map((p) => `${p.course.area.title}: ${bar(p.done, p.total)} ${p.done} of ${p.total}`),
        next ? `Next step: ${next.title}` : 'You have done every lesson.',
      ].join('\n'),
      buttons,
    },
    cards,
  );
}

export function helpCard(cards: boolean): Reply {
  const lines = [
    'Type "menu" to see the courses and lessons.',
    'In a lesson, use Next, Back and Stop. You can stop at any time and carry on later.',
    'Type "progress" to see how far you have got.',
  ];
  return render(
    {
      speak: lines.join(' '),
      blocks: [heading('How I can help'), ...lines.map((l) => para(l))],
      text: lines.join('\n'),
      buttons: [
        { title: 'Menu', data: { academy: 'menu' } },
        { title: 'My progress', data: { academy: 'progress' } },
      ],
    },
    cards,
  );
}

export function notUnderstoodCard(cards: boolean): Reply {
  const text = "Sorry, I didn't understand that. You can pick a lesson from the menu, or type \"help\".";
  return render({ speak: text, blocks: [para(text)], text, buttons: [{ title: 'Menu', data: { academy: 'menu' } }, { title: 'Help', data: { academy: 'help' } }] }, cards);
}

export function glossaryCard(entry: GlossaryEntry, cards: boolean): Reply {
  return render(
    {
      speak: `${entry.term}. ${entry.meaning}`,
      blocks: [heading(entry.term), para(entry.meaning)],
      text: `${entry.term}: ${entry.meaning}`,
      buttons: [{ title: 'Menu', data: { academy: 'menu' } }],
    },
    cards,
  );
}

export function selfCheckOfferCard(cards: boolean, statements: number): Reply {
  const text = `Would you like a quick skills check? It is ${statements} short statements and helps pick your first lesson.`;
  return render(
    {
      speak: text,
      blocks: [para(text)],
      text,
      buttons: [
        { title: 'Check my skills', data: { academy: 'selfcheck' } },
        { title: 'Go to the menu', data: { academy: 'menu' } },
      ],
    },
    cards,
  );
}

export function selfCheckItemCard(item: SkillStatement, index: number, total: number, cards: boolean): Reply {
  const label = `Skills check · ${index + 1} of ${total}`;
  return render(
    {
      speak: `${item.statement} Yes, not sure, or no?`,
      blocks: [note(label), heading(item.statement), note('Answer yes, not sure or no. You can skip any question.')],
      text: `${label}\n\n${item.statement}\nYes, not sure or no?`,
      buttons: [
        { title: 'Yes', data: { academy: 'rate', rating: 'yes', at: `self-check:${index}` } },
        { title: 'Not sure', data: { academy: 'rate', rating: 'not-sure', at: `self-check:${index}` } },
        { title: 'No', data: { academy: 'rate', rating: 'no', at: `self-check:${index}` } },
        { title: 'Skip', data: { academy: 'skip', at: `self-check:${index}` } },
      ],
    },
    cards,
  );
}

export function selfCheckResultCard(strengths: readonly SkillStatement[], first: readonly Lesson[], cards: boolean): Reply {
  const good = strengths.length > 0 ? strengths.map((s) => s.statement) : [];
  const start = first[0];
  const buttons: Button[] = [];
  if (start) buttons.push({ title: `Start: ${start.title}`, data: { academy: 'start', lesson: start.id }, primary: true });
  buttons.push({ title: 'Menu', data: { academy: 'menu' } });
  const learnFirst = first.slice(0, 3).map((l) => l.title);
  return render(
    {
      speak: `Thanks. ${start ? `I suggest you start with ${start.title}.` : 'You said yes to everything. Pick any course you like.'}`,
      blocks: [
        heading('Your skills check'),
        ...(good.length ? [para('Your strengths:', { weight: 'Bolder' }), para(good.map((g) => `- ${g}`).join('\r'))] : []),
        ...(learnFirst.length ? [para('Learn first:', { weight: 'Bolder' }), para(learnFirst.map((t) => `- ${t}`).join('\r'))] : [para('You said yes to everything. Pick any course you like.')]),
      ],
      text: [
        good.length ? `Your strengths:\n${good.map((g) => `- ${g}`).join('\n')}` : '',
        learnFirst.length ? `Learn first:\n${learnFirst.map((t) => `- ${t}`).join('\n')}` : 'You said yes to everything. Pick any course you like.',
      ]
        .filter(Boolean)
        .join('\n\n'),
      buttons,
    },
    cards,
  );
}

export function courseCompleteCard(p: CourseProgress, badge: boolean, next: Lesson | undefined, cards: boolean): Reply {
  const title = badge ? 'You are a Digital champion' : 'Course complete';
  const text = badge
    ? `You finished every lesson in the ${p.course.area.title} course. You have earned the Digital champion badge. Thank you for helping others.`
    : `You finished every lesson in the ${p.course.area.title} course.`;
  const buttons: Button[] = [];
  if (next) buttons.push({ title: `Next: ${next.title}`, data: { academy: 'start', lesson: next.id } });
  buttons.push({ title: 'My progress', data: { academy: 'progress' } });
  return render(
    {
      speak: `${title}. ${text}`,
      blocks: [
        ...(badge ? [{ type: 'TextBlock', text: '🏅', size: 'ExtraLarge', horizontalAlignment: 'Center' }] : []),
        heading(title, 'Large'),
        para(text),
        note(`${bar(p.done, p.total)} ${p.done} of ${p.total} lessons done`),
      ],
      text: `${title}. ${text}`,
      buttons,
    },
    cards,
  );
}

export interface PrivacyView {
  readonly learnerId: string;
  readonly role: string | undefined;
  readonly lessonsStarted: number;
  readonly selfCheckDone: boolean;
  readonly statements: number;
  readonly first?: string;
  readonly last?: string;
  readonly privacyUrl: string;
}

const day = (iso: string | undefined) => (iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) : '');

export function privacyCard(v: PrivacyView, cards: boolean): Reply {
  const lines = [
    `You are known here only by a random id: ${v.learnerId}. We do not keep your name or email.`,
    `What the bot keeps: ${v.role ? `your role (${v.role}), ` : ''}your place in ${v.lessonsStarted} lesson${v.lessonsStarted === 1 ? '' : 's'}${v.selfCheckDone ? ' and your skills check result' : ''}.`,
    v.statements > 0
      ? `Your learning record: ${v.statements} learning steps, from ${day(v.first)} to ${day(v.last)}. Academy admins can see it, to improve training.`
      : 'Your learning record is empty.',
    'Where your words or id are kept, and who can see them:',
    ...KEPT_PLACES.map((p) => `- ${p.what} Who sees it: ${p.who}`),
    `Read more at ${v.privacyUrl}. Type "delete my data" to erase it all.`,
  ];
  return render(
    {
      speak: lines.join(' '),
      blocks: [heading('What we keep about you'), ...lines.map((l) => para(l))],
      text: lines.join('\n'),
      buttons: [
        { title: 'Delete my data', data: { academy: 'erase' } },
        { title: 'Menu', data: { academy: 'menu' } },
      ],
    },
    cards,
  );
}

export function eraseConfirmCard(cards: boolean): Reply {
  const text = 'This erases your progress and your learning record here. You cannot undo it. Are you sure?';
  return render(
    {
      speak: text,
      blocks: [heading('Delete my data'), para(text)],
      text,
      buttons: [
        { title: 'Yes, delete my data', data: { academy: 'erase-confirm' } },
        { title: 'No, keep it', data: { academy: 'menu' } },
      ],
    },
    cards,
  );
}

export interface SourceLink {
  readonly title: string;
  readonly url: string;
}

export interface AnswerView {
  readonly topic: string;
  /** The topic's lesson title, for "from <topic>". */
  readonly topicTitle: string;
  /** Markdown. */
  readonly answer: string;
  readonly reviewed: string;
  readonly sources: readonly SourceLink[];
  readonly lessonId?: string;
  /** Set when the words came from a language model grounded in the content. */
  readonly generated?: boolean;
}

export function answerCard(v: AnswerView, cards: boolean): Reply {
  const from = `From "${v.topicTitle}", reviewed ${day(v.reviewed)}.${v.generated ? ' Written by AI from our reviewed content.' : ''}`;
  const buttons: Button[] = [
    { title: 'Yes, helpful', data: { academy: 'rate-answer', topic: v.topic, helpful: true } },
    { title: 'No', data: { academy: 'rate-answer', topic: v.topic, helpful: false } },
  ];
  if (v.lessonId) buttons.push({ title: 'Take the lesson', data: { academy: 'start', lesson: v.lessonId } });
  const links = v.sources.map((s) => `[${s.title}](${s.url})`).join(' · ');
  return render(
    {
      speak: plainText(v.answer),
      blocks: [...markdownBlocks(v.answer), note(from), para(`Sources: ${links}`, { size: 'Small', spacing: 'Small' }), para('Was this helpful?', { weight: 'Bolder' })],
      text: `${plainText(v.answer)}\n\n${from}\nSources: ${v.sources.map((s) => `${s.title} ${s.url}`).join('; ')}\n\nWas this helpful?`,
      buttons,
    },
    cards,
  );
}

export function didYouMeanCard(topics: readonly { topic: string; title: string }[], cards: boolean): Reply {
  const text = "I'm not sure I understood. Did you mean one of these?";
  return render(
    {
      speak: `${text} ${topics.map((t) => t.title).join(', ')}.`,
      blocks: [para(text, { weight: 'Bolder' })],
      text,
      buttons: [...topics.map((t) => ({ title: t.title, data: { academy: 'topic', topic: t.topic } })), { title: 'None of these', data: { academy: 'ask-champion' } }],
    },
    cards,
  );
}

/** Said when a question goes to the curation queue. */
export const SAVED_FOR_TEAM = "I've saved your question for the team that writes our answers.";

/** "Ask a champion" only when a champions' conversation exists; otherwise the curation queue, said honestly. */
function championOrMenu(champions: boolean): Button[] {
  return [...(champions ? [{ title: 'Ask a champion', data: { academy: 'ask-champion' } }] : []), { title: 'Menu', data: { academy: 'menu' } }];
}

export function noAnswerCard(cards: boolean, champions = false): Reply {
  const text = `I don't know that yet. ${SAVED_FOR_TEAM}${champions ? ' A digital champion may be able to help you now.' : ''}`;
  return render({ speak: text, blocks: [para(text)], text, buttons: championOrMenu(champions) }, cards);
}

/** "No" to "Was this helpful?": thanks, saved for review, and what else there is. */
export function notHelpfulCard(topics: readonly { topic: string; title: string }[], champions: boolean, cards: boolean): Reply {
  const text = `Thanks for telling me. ${SAVED_FOR_TEAM} They review answers people found unhelpful.`;
  const more = topics.length ? 'Did you mean one of these?' : '';
  return render(
    {
      speak: [text, more].filter(Boolean).join(' '),
      blocks: [para(text), ...(more ? [para(more, { weight: 'Bolder' })] : [])],
      text: [text, more].filter(Boolean).join('\n\n'),
      buttons: [...topics.map((t) => ({ title: t.title, data: { academy: 'topic', topic: t.topic } })), ...championOrMenu(champions)],
    },
    cards,
  );
}

/** Emergency: a short calm message and nothing else. */
export function emergencyReply(): Reply {
  const text =
    'This sounds like an emergency. Call 999 now.\n\nIf it is a mental health crisis, call NHS 111 and choose option 2, or call Samaritans free on 116 123, any time.';
  return { type: 'message', text, speak: text };
}

/**
 * The safety net is unsure: the emergency card first (999, 111 option 2, Samaritans, the
 * police for abuse or a missing person), with one way on to the answer. The question is not
 * in the button: the bot keeps it in conversation state.
 */
export function possibleEmergencyCard(text: string, cards: boolean): Reply {
  return render(
    {
      speak: text,
      blocks: [heading('If this is an emergency, call 999 now'), para(text)],
      text,
      buttons: [{ title: NOT_EMERGENCY, data: { academy: 'not-emergency' } }],
    },
    cards,
  );
}

/** The last line of every clinical reply. */
export const CLINICAL_999 = 'If someone is seriously ill or injured now, call 999.';

export function clinicalCard(related: readonly { lessonId: string; title: string }[], cards: boolean): Reply {
  const text = "I can't give medical advice. For health questions, use NHS 111 online at https://111.nhs.uk, look on the NHS website at https://www.nhs.uk, or ask a pharmacist.";
  const lessons = related.length ? 'These lessons show how to use those services.' : '';
  return render(
    {
      speak: `I can't give medical advice. Use NHS 111 online, the NHS website, or ask a pharmacist. ${CLINICAL_999}`,
      blocks: [para(text), ...(lessons ? [note(lessons)] : []), para(CLINICAL_999, { weight: 'Bolder' })],
      text: [text, lessons, CLINICAL_999].filter(Boolean).join('\n\n'),
      buttons: related.map((r) => ({ title: `Lesson: ${r.title}`, data: { academy: 'start', lesson: r.lessonId } })),
    },
    cards,
  );
}

export function offTopicCard(cards: boolean): Reply {
  const text =
    "Sorry, I can't help with that. I help with digital skills for health and care: the NHS App, NHS websites, staying safe online, data protection, Teams and email, and helping others get online.";
  return render(
    { speak: text, blocks: [para(text)], text, buttons: [{ title: 'Menu', data: { academy: 'menu' } }, { title: 'Help', data: { academy: 'help' } }] },
    cards,
  );
}

export function askChampionConsentCard(question: string, cards: boolean): Reply {
  const text = `Shall I send your question to the digital champions? They will see your question, not your name: "${question}"`;
  return render(
    {
      speak: 'Shall I send your question to the digital champions? They will see your question, not your name.',
      blocks: [para(text)],
      text,
      buttons: [
        { title: 'Yes, send it', data: { academy: 'ask-champion-confirm' } },
        { title: 'No', data: { academy: 'menu' } },
      ],
    },
    cards,
  );
}

/** Sent into the champions' conversation: the question and a box to answer it. */
export function championRequestCard(requestId: string, question: string): Reply {
  const card = CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [heading('A learner asks the champions'), para(question), { type: 'Input.Text', id: 'reply', isMultiline: true, label: 'Your answer', placeholder: 'Type your answer in plain words' }],
    actions: [{ type: 'Action.Submit', title: 'Send answer', data: { academy: 'champion-reply', request: requestId } }],
  });
  return { type: 'message', text: `A learner asks the champions: "${question}". Reply in the card to answer.`, attachments: [card] };
}

/** The button under every lesson card that reports it to the content team. */
/** Short, so the button stays on one line on a phone; typed, "something wrong with this card" does the same. */
export const REPORT_CARD = 'Report a problem';

/** After "Report a problem" on a card: thanks, and a box for an optional short note. */
export function cardReportedCard(reportId: string, cardTitle: string, cards: boolean): Reply {
  const thanks = `Thank you. The content team will check the card "${cardTitle}".`;
  if (!cards) {
    const text = `${thanks} Type "next" to carry on.`;
    return { type: 'message', text, speak: text };
  }
  const card = CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    speak: `${thanks} You can add a short note to say what is wrong.`,
    body: [
      para(thanks),
      { type: 'Input.Text', id: 'note', isMultiline: true, maxLength: 500, label: 'What is wrong? (you do not have to say)', placeholder: 'For example: the button has a new name' },
      note('Do not write your name or anyone\'s health details.'),
    ],
    actions: [{ type: 'Action.Submit', title: 'Send note', data: { academy: 'report-card-note', report: reportId } }],
  });
  return { type: 'message', attachments: [card], speak: `${thanks} You can add a short note to say what is wrong.`, text: '' };
}
