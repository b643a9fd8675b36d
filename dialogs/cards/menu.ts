import type { GlossaryEntry } from '../../src/lessons/glossary.js';
import type { Lesson } from '../../src/lessons/types.js';
import type { CourseProgress } from '../learner.js';
import { bar, heading, note, para, view, type Button, type CardMessage } from './render.js';

/** Finding the way: the welcome, the menu of courses, a course, help, progress and the glossary. */

const roleButtons: Button[] = [
  { title: 'NHS staff', data: { academy: 'role', role: 'nhs' } },
  { title: 'Social care', data: { academy: 'role', role: 'social-care' } },
  { title: 'Digital champion', data: { academy: 'role', role: 'champion' } },
];

export function welcomeCard(): CardMessage {
  const intro = 'Welcome to the Digital Skills Academy. Short lessons, a few minutes each, on the NHS App, staying safe online, data and work tools.';
  const ask = 'Which best describes you? This helps me pick the right lessons.';
  return view({
    speak: `${intro} ${ask}`,
    blocks: [heading('Welcome to the Digital Skills Academy', 'Large'), para(intro), para(ask, { weight: 'Bolder' }), note('We keep your learning under a random id, not your name.')],
    text: `${intro}\n\n${ask}`,
    buttons: roleButtons,
  });
}

export function menuCard(
  progress: readonly CourseProgress[],
  carryOn: { lesson: Lesson; step: number; steps: number } | undefined,
  next: Lesson | undefined,
): CardMessage {
  const buttons: Button[] = [];
  if (carryOn) buttons.push({ title: `Carry on: ${carryOn.lesson.title}`, data: { academy: 'start', lesson: carryOn.lesson.id } });
  else if (next) buttons.push({ title: `Next for you: ${next.title}`, data: { academy: 'start', lesson: next.id } });
  for (const p of progress) buttons.push({ title: p.course.area.title, data: { academy: 'course', area: p.course.area.code } });
  const lines = progress.map((p) => `${p.course.area.title}: ${p.done} of ${p.total} lessons done`);
  return view({
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
  });
}

export function courseCard(p: CourseProgress, isDone: (lessonId: string) => boolean): CardMessage {
  const lessons = p.course.lessons;
  const buttons: Button[] = lessons.map((l) => ({ title: `${isDone(l.id) ? '✓ ' : ''}${l.title}`, data: { academy: 'start', lesson: l.id } }));
  buttons.push({ title: 'Menu', data: { academy: 'menu' } });
  const lines = lessons.map((l) => `${isDone(l.id) ? '✓' : '○'} ${l.title} (${l.minutes} min)`);
  return view({
    speak: `${p.course.area.title}. ${p.done} of ${p.total} lessons done. Pick a lesson.`,
    blocks: [heading(p.course.area.title), para(p.course.area.description), note(`${bar(p.done, p.total)} ${p.done} of ${p.total} lessons done`), ...lines.map((l) => para(l, { spacing: 'Small' }))],
    text: [`${p.course.area.title} — ${p.done} of ${p.total} lessons done`, ...lines, 'Pick a lesson.'].join('\n'),
    buttons,
  });
}

export function progressCard(progress: readonly CourseProgress[], next: Lesson | undefined, badges: readonly string[]): CardMessage {
  const done = progress.reduce((n, p) => n + p.done, 0);
  const total = progress.reduce((n, p) => n + p.total, 0);
  const buttons: Button[] = [];
  if (next) buttons.push({ title: `Next: ${next.title}`, data: { academy: 'start', lesson: next.id } });
  buttons.push({ title: 'Menu', data: { academy: 'menu' } });
  return view({
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
  });
}

export function helpCard(): CardMessage {
  const lines = [
    'Type "menu" to see the courses and lessons.',
    'In a lesson, use Next, Back and Stop. You can stop at any time and carry on later.',
    'Type "progress" to see how far you have got.',
  ];
  return view({
    speak: lines.join(' '),
    blocks: [heading('How I can help'), ...lines.map((l) => para(l))],
    text: lines.join('\n'),
    buttons: [
      { title: 'Menu', data: { academy: 'menu' } },
      { title: 'My progress', data: { academy: 'progress' } },
    ],
  });
}

export function notUnderstoodCard(): CardMessage {
  const text = "Sorry, I didn't understand that. You can pick a lesson from the menu, or type \"help\".";
  return view({ speak: text, blocks: [para(text)], text, buttons: [{ title: 'Menu', data: { academy: 'menu' } }, { title: 'Help', data: { academy: 'help' } }] });
}

export function glossaryCard(entry: GlossaryEntry): CardMessage {
  return view({
    speak: `${entry.term}. ${entry.meaning}`,
    blocks: [heading(entry.term), para(entry.meaning)],
    text: `${entry.term}: ${entry.meaning}`,
    buttons: [{ title: 'Menu', data: { academy: 'menu' } }],
  });
}
