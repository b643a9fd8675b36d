import { plainText } from '../../src/lessons/readability.js';
import { day, markdownBlocks, note, para, view, type Button, type CardMessage } from './render.js';

/** Answers to questions: the reviewed answer, "did you mean", "I don't know yet", off topic. */

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

export function answerCard(v: AnswerView): CardMessage {
  const from = `From "${v.topicTitle}", reviewed ${day(v.reviewed)}.${v.generated ? ' Written by AI from our reviewed content.' : ''}`;
  const buttons: Button[] = [
    { title: 'Yes, helpful', data: { academy: 'rate-answer', topic: v.topic, helpful: true } },
    { title: 'No', data: { academy: 'rate-answer', topic: v.topic, helpful: false } },
  ];
  if (v.lessonId) buttons.push({ title: 'Take the lesson', data: { academy: 'start', lesson: v.lessonId } });
  const links = v.sources.map((s) => `[${s.title}](${s.url})`).join(' · ');
  return view({
    speak: plainText(v.answer),
    blocks: [...markdownBlocks(v.answer), note(from), para(`Sources: ${links}`, { size: 'Small', spacing: 'Small' }), para('Was this helpful?', { weight: 'Bolder' })],
    text: `${plainText(v.answer)}\n\n${from}\nSources: ${v.sources.map((s) => `${s.title} ${s.url}`).join('; ')}\n\nWas this helpful?`,
    buttons,
  });
}

export function didYouMeanCard(topics: readonly { topic: string; title: string }[]): CardMessage {
  const text = "I'm not sure I understood. Did you mean one of these?";
  return view({
    speak: `${text} ${topics.map((t) => t.title).join(', ')}.`,
    blocks: [para(text, { weight: 'Bolder' })],
    text,
    buttons: [...topics.map((t) => ({ title: t.title, data: { academy: 'topic', topic: t.topic } })), { title: 'None of these', data: { academy: 'ask-champion' } }],
  });
}

/** Said when a question goes to the curation queue. */
export const SAVED_FOR_TEAM = "I've saved your question for the team that writes our answers.";

/** "Ask a champion" only when a champions' conversation exists; otherwise the curation queue, said honestly. */
function championOrMenu(champions: boolean): Button[] {
  return [...(champions ? [{ title: 'Ask a champion', data: { academy: 'ask-champion' } }] : []), { title: 'Menu', data: { academy: 'menu' } }];
}

export function noAnswerCard(champions = false): CardMessage {
  const text = `I don't know that yet. ${SAVED_FOR_TEAM}${champions ? ' A digital champion may be able to help you now.' : ''}`;
  return view({ speak: text, blocks: [para(text)], text, buttons: championOrMenu(champions) });
}

/** "No" to "Was this helpful?": thanks, saved for review, and what else there is. */
export function notHelpfulCard(topics: readonly { topic: string; title: string }[], champions: boolean): CardMessage {
  const text = `Thanks for telling me. ${SAVED_FOR_TEAM} They review answers people found unhelpful.`;
  const more = topics.length ? 'Did you mean one of these?' : '';
  return view({
    speak: [text, more].filter(Boolean).join(' '),
    blocks: [para(text), ...(more ? [para(more, { weight: 'Bolder' })] : [])],
    text: [text, more].filter(Boolean).join('\n\n'),
    buttons: [...topics.map((t) => ({ title: t.title, data: { academy: 'topic', topic: t.topic } })), ...championOrMenu(champions)],
  });
}

export function offTopicCard(): CardMessage {
  const text =
    "Sorry, I can't help with that. I help with digital skills for health and care: the NHS App, NHS websites, staying safe online, data protection, Teams and email, and helping others get online.";
  return view({ speak: text, blocks: [para(text)], text, buttons: [{ title: 'Menu', data: { academy: 'menu' } }, { title: 'Help', data: { academy: 'help' } }] });
}
