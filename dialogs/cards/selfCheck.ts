import type { SkillStatement } from '../../src/lessons/selfCheck.js';
import type { Lesson } from '../../src/lessons/types.js';
import { heading, note, para, view, type Button, type CardMessage } from './render.js';

/** The skills self-check: the offer, one statement at a time, the result. */

export function selfCheckOfferCard(statements: number): CardMessage {
  const text = `Would you like a quick skills check? It is ${statements} short statements and helps pick your first lesson.`;
  return view({
    speak: text,
    blocks: [para(text)],
    text,
    buttons: [
      { title: 'Check my skills', data: { academy: 'selfcheck' } },
      { title: 'Go to the menu', data: { academy: 'menu' } },
    ],
  });
}

export function selfCheckItemCard(item: SkillStatement, index: number, total: number): CardMessage {
  const label = `Skills check · ${index + 1} of ${total}`;
  return view({
    speak: `${item.statement} Yes, not sure, or no?`,
    blocks: [note(label), heading(item.statement), note('Answer yes, not sure or no. You can skip any question.')],
    text: `${label}\n\n${item.statement}\nYes, not sure or no?`,
    buttons: [
      { title: 'Yes', data: { academy: 'rate', rating: 'yes', at: `self-check:${index}` } },
      { title: 'Not sure', data: { academy: 'rate', rating: 'not-sure', at: `self-check:${index}` } },
      { title: 'No', data: { academy: 'rate', rating: 'no', at: `self-check:${index}` } },
      { title: 'Skip', data: { academy: 'skip', at: `self-check:${index}` } },
    ],
  });
}

export function selfCheckResultCard(strengths: readonly SkillStatement[], first: readonly Lesson[]): CardMessage {
  const good = strengths.length > 0 ? strengths.map((s) => s.statement) : [];
  const start = first[0];
  const buttons: Button[] = [];
  if (start) buttons.push({ title: `Start: ${start.title}`, data: { academy: 'start', lesson: start.id }, primary: true });
  buttons.push({ title: 'Menu', data: { academy: 'menu' } });
  const learnFirst = first.slice(0, 3).map((l) => l.title);
  return view({
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
  });
}
