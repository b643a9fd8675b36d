import { KEPT_PLACES } from '../../src/privacy/places.js';
import { day, heading, para, view, type CardMessage } from './render.js';

/** What the academy keeps about the learner, and erasing it. */

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

export function privacyCard(v: PrivacyView): CardMessage {
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
  return view({
    speak: lines.join(' '),
    blocks: [heading('What we keep about you'), ...lines.map((l) => para(l))],
    text: lines.join('\n'),
    buttons: [
      { title: 'Delete my data', data: { academy: 'erase' } },
      { title: 'Menu', data: { academy: 'menu' } },
    ],
  });
}

export function eraseConfirmCard(): CardMessage {
  const text = 'This erases your progress and your learning record here. You cannot undo it. Are you sure?';
  return view({
    speak: text,
    blocks: [heading('Delete my data'), para(text)],
    text,
    buttons: [
      { title: 'Yes, delete my data', data: { academy: 'erase-confirm' } },
      { title: 'No, keep it', data: { academy: 'menu' } },
    ],
  });
}
