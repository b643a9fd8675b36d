import { NOT_EMERGENCY } from '../input.js';
import { heading, note, para, view, type CardMessage } from './render.js';

/** The safety replies that are cards: a possible emergency, and a health question. (An emergency is plain text.) */

/**
 * The safety net is unsure: the emergency card first (999, 111 option 2, Samaritans, the
 * police for abuse or a missing person), with one way on to the answer. The question is not
 * in the button: the bot keeps it in conversation state.
 */
export function possibleEmergencyCard(text: string): CardMessage {
  return view({
    speak: text,
    blocks: [heading('If this is an emergency, call 999 now'), para(text)],
    text,
    buttons: [{ title: NOT_EMERGENCY, data: { academy: 'not-emergency' } }],
  });
}

/** The last line of every clinical reply. */
export const CLINICAL_999 = 'If someone is seriously ill or injured now, call 999.';

export function clinicalCard(related: readonly { lessonId: string; title: string }[]): CardMessage {
  const text = "I can't give medical advice. For health questions, use NHS 111 online at https://111.nhs.uk, look on the NHS website at https://www.nhs.uk, or ask a pharmacist.";
  const lessons = related.length ? 'These lessons show how to use those services.' : '';
  return view({
    speak: `I can't give medical advice. Use NHS 111 online, the NHS website, or ask a pharmacist. ${CLINICAL_999}`,
    blocks: [para(text), ...(lessons ? [note(lessons)] : []), para(CLINICAL_999, { weight: 'Bolder' })],
    text: [text, lessons, CLINICAL_999].filter(Boolean).join('\n\n'),
    buttons: related.map((r) => ({ title: `Lesson: ${r.title}`, data: { academy: 'start', lesson: r.lessonId } })),
  });
}
