import { expect } from 'chai';
import { join } from 'node:path';
import { MemoryStorage, type Activity } from 'botbuilder';
import { cardsFor } from '../../src/lessons/types.js';
import { loadSelfCheck } from '../../src/lessons/selfCheck.js';
import { projectRoot } from '../../src/paths.js';
import { randomIds, systemClock } from '../../src/ports.js';
import { QaStore } from '../../src/qa/store.js';
import { Chat, MemoryLrs, buttons, makeBot, shippedCatalog, shippedQa, visibleText } from '../support/bot.js';

/** Issue 20, item 5: every reply says what is true. */

const LESSON = 'nhs-app-register';
/** A question the content has no answer for and no near topic either (so the plain "no answer" reply). */
const UNKNOWN = ['how do i calibrate the ward hoist app', 'how do i calibrate the ward hoist', 'my qwop portal wont zarg', 'can i get a refund on my parking permit online'].find((q) => {
  const r = shippedQa().ask(q);
  return r.triage === 'no-answer' && r.alternatives.length === 0;
})!;

function setup(champions = false) {
  const qaStore = new QaStore(':memory:', systemClock, randomIds);
  if (champions) qaStore.setChampionsReference('champions', { conversation: { id: 'champions', isGroup: true, conversationType: 'channel', name: 'Champions' }, serviceUrl: 'https://smba.trafficmanager.net/uk/' });
  const chat = new Chat(makeBot(new MemoryStorage(), new MemoryLrs(), systemClock, { qaStore, ...(champions ? { champions: { conversationId: 'champions' } } : {}) }), 'webchat');
  return { chat, qaStore };
}

const titles = (replies: Partial<Activity>[]) => buttons(replies).map((b) => b.title);

/** Goes through the lesson's cards and answers every check question, right or wrong. */
async function finishLesson(chat: Chat, right: boolean): Promise<Partial<Activity>[]> {
  const lesson = shippedCatalog().lesson(LESSON)!;
  let replies = await chat.say({ academy: 'start', lesson: LESSON });
  for (let i = 0; i < cardsFor(lesson, 'nhs').length; i++) replies = await chat.say('next');
  for (const q of lesson.checks) {
    await chat.say({ academy: 'answer', option: q.options.findIndex((o) => o.correct === right) });
    replies = await chat.say('next');
  }
  return replies;
}

describe('replies that are true (issue 20, item 5)', () => {
  it('offers "Ask a champion" only when a champions\' conversation exists, and otherwise says the question is saved for the team', async () => {
    const without = setup(false);
    await without.chat.say({ academy: 'role', role: 'nhs' });
    const none = await without.chat.say(UNKNOWN);
    expect(titles(none)).to.not.include('Ask a champion');
    expect(visibleText(none)).to.contain("I've saved your question for the team that writes our answers").and.not.contain('champion');
    const asked = visibleText(await without.chat.say('ask a champion'));
    expect(asked).to.contain("I've saved your question for the team").and.not.contain("I've sent");
    expect(without.qaStore.helpRequests('open')).to.have.length(0);
    expect(without.qaStore.curation().map((c) => c.question)).to.include(UNKNOWN);

    const withChampions = setup(true);
    await withChampions.chat.say({ academy: 'role', role: 'nhs' });
    expect(titles(await withChampions.chat.say(UNKNOWN))).to.include('Ask a champion');
  });

  it('a lesson finished below the pass mark is "finished", not complete, and not counted as done in the menu or progress', async () => {
    const { chat } = setup();
    await chat.say({ academy: 'role', role: 'nhs' });
    const lesson = shippedCatalog().lesson(LESSON)!;
    const end = visibleText(await finishLesson(chat, false));
    const mark = Math.ceil(lesson.masteryScore * lesson.checks.length);
    expect(end).to.contain(`Lesson finished — you got 0 of ${lesson.checks.length}. Pass mark is ${mark}; try the check again.`);
    expect(end).to.not.contain('Lesson complete').and.not.match(/1 of \d+ The NHS App lessons done/);
    expect(visibleText(await chat.say('menu'))).to.match(/The NHS App\n\S+ 0 of \d+/);
    expect(visibleText(await chat.say('my progress'))).to.contain('Lessons passed: 0 of');
    // "Try the check again" goes straight to the check.
    const again = await chat.say({ academy: 'start', lesson: LESSON, check: true });
    expect(visibleText(again)).to.contain(lesson.checks[0].question);
  });

  it('wrong-answer feedback shows the right answer and why', async () => {
    const { chat } = setup();
    await chat.say({ academy: 'role', role: 'nhs' });
    const lesson = shippedCatalog().lesson(LESSON)!;
    await chat.say({ academy: 'start', lesson: LESSON });
    for (let i = 0; i < cardsFor(lesson, 'nhs').length; i++) await chat.say('next');
    const q = lesson.checks[0];
    const right = q.options.find((o) => o.correct)!;
    const text = visibleText(await chat.say({ academy: 'answer', option: q.options.findIndex((o) => !o.correct) }));
    expect(text).to.contain('Not quite.').and.contain(`The right answer is "${right.text}".`).and.contain(right.feedback);
  });

  it('never says "Here are the courses" without showing them, and states the skills check count the same on both cards', async () => {
    const { chat } = setup();
    const count = loadSelfCheck(join(projectRoot(), 'content')).length;
    const afterRole = await chat.say({ academy: 'role', role: 'social-care' });
    const text = visibleText(afterRole);
    if (text.includes('Here are the courses')) expect(titles(afterRole)).to.include('The NHS App');
    expect(text).to.contain(`${count} short statements`);
    expect(visibleText(await chat.say({ academy: 'selfcheck' }))).to.contain(`${count} short statements`);
  });

  it('the end of a lesson and "my progress" suggest the same next lesson', async () => {
    const { chat } = setup();
    await chat.say({ academy: 'role', role: 'nhs' });
    const end = titles(await finishLesson(chat, true)).find((t) => t.startsWith('Next: '));
    const progress = titles(await chat.say('my progress')).find((t) => t.startsWith('Next: '));
    expect(end).to.be.a('string');
    expect(end).to.equal(progress);
  });

  it('"No" to "Was this helpful?" thanks, says the question is saved for review, and offers other topics, not "I don\'t know that yet"', async () => {
    const { chat, qaStore } = setup();
    await chat.say({ academy: 'role', role: 'nhs' });
    const answer = await chat.say('how do i order a repeat prescription on the nhs app');
    const topic = String(buttons(answer)[0].data.topic);
    const reply = visibleText(await chat.say({ academy: 'rate-answer', topic, helpful: false }));
    expect(reply).to.contain('Thanks for telling me').and.contain("I've saved your question").and.not.contain("I don't know that yet");
    expect(qaStore.curation().some((c) => c.reason === 'low-rating')).to.equal(true);
  });
});
