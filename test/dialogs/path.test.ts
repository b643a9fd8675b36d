import { expect } from 'chai';
import { MemoryStorage } from 'botbuilder';
import { VERBS } from '../../src/xapi/profile.js';
import { cardsFor } from '../../src/lessons/types.js';
import { Chat, MemoryLrs, buttons, makeBot, shippedCatalog, visibleText } from '../support/bot.js';

/** Answers the self-check: "no" to statements whose id starts with one of `noTo`, "yes" to the rest. */
async function takeSelfCheck(chat: Chat, noTo: string[]): Promise<ReturnType<Chat['say']>> {
  let replies = await chat.say({ academy: 'selfcheck' });
  for (let i = 0; i < 20; i++) {
    const text = visibleText(replies);
    if (!text.includes('Skills check ·')) return replies;
    const no = noTo.some((prefix) => text.includes(STATEMENT_TEXT[prefix]));
    replies = await chat.say({ academy: 'rate', rating: no ? 'no' : 'yes' });
  }
  throw new Error('self-check did not end');
}

const STATEMENT_TEXT: Record<string, string> = {
  'nhs-app': 'NHS App',
  safety: 'two-step verification',
  scams: 'scam email',
};

describe('learning path', () => {
  it('offers the self-check at first start and, after "no" to the NHS App statements, an NHS App lesson first', async () => {
    const lrs = new MemoryLrs();
    const chat = new Chat(makeBot(new MemoryStorage(), lrs), 'webchat');
    const offer = await chat.say({ academy: 'role', role: 'social-care' });
    expect(buttons(offer).map((b) => b.title)).to.deep.equal(['Check my skills', 'Go to the menu']);
    const result = await takeSelfCheck(chat, ['nhs-app']);
    const text = visibleText(result);
    expect(text).to.contain('Your strengths').and.contain('Learn first');
    const start = buttons(result)[0];
    expect(start.title).to.match(/^Start: /);
    const lesson = shippedCatalog().lesson(String(start.data.lesson))!;
    expect(lesson.topic).to.match(/^nhs-app\./);
    // The menu shows the same next lesson first.
    const menu = await chat.say('menu');
    expect(buttons(menu)[0].title).to.equal(`Next for you: ${lesson.title}`);
    // Recorded: one answered per statement and a completed self-check with the plan.
    const done = lrs.statements.at(-1)!;
    expect(done.verb.id).to.equal(VERBS.completed.id);
    expect(JSON.stringify(done.result?.extensions)).to.contain('nhs-app.register');
    expect(lrs.statements.filter((s) => s.verb.id === VERBS.answered.id).length).to.be.within(8, 12);
  });

  it('offers a safety lesson first to a learner who says "no" to the safety statements', async () => {
    const chat = new Chat(makeBot(new MemoryStorage(), new MemoryLrs()), 'msteams');
    await chat.say({ academy: 'role', role: 'nhs' });
    const result = await takeSelfCheck(chat, ['safety', 'scams']);
    const lesson = shippedCatalog().lesson(String(buttons(result)[0].data.lesson))!;
    expect(lesson.topic).to.match(/^safety\./);
  });

  it('lets a learner skip statements or stop the self-check part way', async () => {
    const chat = new Chat(makeBot(new MemoryStorage(), new MemoryLrs()), 'webchat');
    await chat.say({ academy: 'role', role: 'nhs' });
    await chat.say('check my skills');
    await chat.say({ academy: 'skip' });
    await chat.say({ academy: 'rate', rating: 'no' });
    const result = await chat.say('stop');
    expect(visibleText(result)).to.contain('Your skills check');
  });

  it('completes a course: a completion card, a course completed statement and, for the champion course, the badge', async () => {
    const lrs = new MemoryLrs();
    const chat = new Chat(makeBot(new MemoryStorage(), lrs), 'webchat');
    await chat.say({ academy: 'role', role: 'champion' });
    const course = shippedCatalog().course('champion')!;
    let last: Awaited<ReturnType<Chat['say']>> = [];
    for (const lesson of course.lessons) {
      await chat.say({ academy: 'start', lesson: lesson.id });
      for (let i = 0; i < cardsFor(lesson, 'both').length; i++) await chat.say('next');
      for (const q of lesson.checks) {
        await chat.say({ academy: 'answer', option: q.options.findIndex((o) => o.correct) });
        last = await chat.say('next');
      }
    }
    expect(visibleText(last)).to.contain('You are a Digital champion').and.contain('badge');
    const courseDone = lrs.statements.find((s) => s.verb.id === VERBS.completed.id && 'id' in s.object && s.object.id.endsWith('/course/champion'));
    expect(courseDone, 'course completed statement').to.exist;
    const progress = await chat.say('my progress');
    expect(visibleText(progress)).to.contain('Badge: Digital champion').and.contain(`Lessons passed: ${course.lessons.length} of`);
  });
});
