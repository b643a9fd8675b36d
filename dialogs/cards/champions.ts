import { adaptiveCard, heading, para, view, type CardMessage, type Message } from './render.js';

/** Asking the digital champions: the learner's consent, and the request in the champions' conversation. */

export function askChampionConsentCard(question: string): CardMessage {
  const text = `Shall I send your question to the digital champions? They will see your question, not your name: "${question}"`;
  return view({
    speak: 'Shall I send your question to the digital champions? They will see your question, not your name.',
    blocks: [para(text)],
    text,
    buttons: [
      { title: 'Yes, send it', data: { academy: 'ask-champion-confirm' } },
      { title: 'No', data: { academy: 'menu' } },
    ],
  });
}

/** Sent into the champions' conversation (Teams, always a card): the question and a box to answer it. */
export function championRequestCard(requestId: string, question: string): Message {
  const card = adaptiveCard({
    body: [heading('A learner asks the champions'), para(question), { type: 'Input.Text', id: 'reply', isMultiline: true, label: 'Your answer', placeholder: 'Type your answer in plain words' }],
    actions: [{ type: 'Action.Submit', title: 'Send answer', data: { academy: 'champion-reply', request: requestId } }],
  });
  return { type: 'message', text: `A learner asks the champions: "${question}". Reply in the card to answer.`, attachments: [card] };
}
