import { expect } from 'chai';
import { join } from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { SqliteStorage } from '../../src/storage/sqliteStorage.js';
import { cardsFor } from '../../src/lessons/types.js';
import { VERBS } from '../../src/xapi/profile.js';
import { Chat, MemoryLrs, buttons, makeBot, shippedCatalog, tempDir, visibleText } from '../support/bot.js';

const LESSON = 'nhs-app-register';

describe('lesson runner', () => {
  const lesson = () => shippedCatalog().lesson(LESSON)!;

  for (const channelId of ['msteams', 'webchat']) {
    it(`takes a learner through every card and the check on ${channelId}, recording each step`, async () => {
      const lrs = new MemoryLrs();
      const chat = new Chat(makeBot(new MemoryStorage(), lrs), channelId, {
        id: channelId === 'msteams' ? '29:teams-user' : 'dl_webuser00000001',
        name: 'Sam',
        aadObjectId: channelId === 'msteams' ? '6a1f7b1e-1111-4c4c-9d9d-123456789abc' : undefined,
      });
      expect(visibleText(await chat.say('hello'))).to.contain('Which best describes you?');
      const offer = await chat.say({ academy: 'role', role: 'nhs' });
      expect(buttons(offer).map((b) => b.title)).to.include('Check my skills');
      const menu = await chat.say('menu');
      expect(buttons(menu).map((b) => b.title)).to.include('The NHS App');
      const course = await chat.say({ academy: 'course', area: 'nhs-app' });
      expect(buttons(course)[0].data).to.deep.include({ academy: 'start', lesson: LESSON });

      const cards = cardsFor(lesson(), 'nhs');
      let replies = await chat.say({ academy: 'start', lesson: LESSON });
      for (let i = 0; i < cards.length; i++) {
        const text = visibleText(replies);
        expect(text).to.contain(cards[i].title).and.contain(`card ${i + 1} of ${cards.length}`);
        expect(replies[0].attachments?.[0].contentType).to.equal('application/vnd.microsoft.card.adaptive');
        replies = await chat.say({ academy: 'next' });
      }
      for (const [qi, q] of lesson().checks.entries()) {
        expect(visibleText(replies)).to.contain(q.question);
        const right = q.options.findIndex((o) => o.correct);
        replies = await chat.say({ academy: 'answer', option: right });
        expect(visibleText(replies)).to.contain('Correct.').and.contain(q.options[right].feedback);
        replies = await chat.say({ academy: 'next' });
        if (qi < lesson().checks.length - 1) continue;
      }
      const done = visibleText(replies);
      expect(done).to.contain('Lesson complete').and.match(/1 of \d+ The NHS App lessons done/);

      const verbs = lrs.statements.map((s) => s.verb.id);
      expect(verbs[0]).to.equal(VERBS.attempted.id);
      expect(verbs.filter((v) => v === VERBS.experienced.id)).to.have.length(cards.length);
      expect(verbs.filter((v) => v === VERBS.answered.id)).to.have.length(lesson().checks.length);
      expect(verbs.slice(-2)).to.deep.equal([VERBS.completed.id, VERBS.passed.id]);
      const actor = lrs.statements[0].actor as { account: { name: string } };
      expect(actor.account.name).to.equal(channelId === 'msteams' ? '6a1f7b1e-1111-4c4c-9d9d-123456789abc' : 'dl_webuser00000001');
      expect(JSON.stringify(lrs.statements)).not.to.contain('Sam');
      const regs = new Set(lrs.statements.map((s) => s.context?.registration));
      expect(regs.size).to.equal(1);
      const channels = new Set(lrs.statements.map((s) => JSON.stringify(s.context?.extensions)));
      expect([...channels][0]).to.contain(channelId === 'msteams' ? 'msteams' : 'webchat');
    });
  }

  it('records a wrong answer as failed against the mastery score and offers a retry', async () => {
    const lrs = new MemoryLrs();
    const chat = new Chat(makeBot(new MemoryStorage(), lrs), 'webchat');
    await chat.say({ academy: 'role', role: 'social-care' });
    let replies = await chat.say({ academy: 'start', lesson: LESSON });
    const steps = cardsFor(lesson(), 'social-care').length;
    for (let i = 0; i < steps; i++) replies = await chat.say('next');
    for (const q of lesson().checks) {
      const wrong = q.options.findIndex((o) => !o.correct);
      replies = await chat.say({ academy: 'answer', option: wrong });
      expect(visibleText(replies)).to.contain('Not quite.');
      replies = await chat.say('next');
    }
    expect(buttons(replies).map((b) => b.title)).to.include('Try the check again');
    expect(lrs.statements.at(-1)?.verb.id).to.equal(VERBS.failed.id);
    expect(lrs.statements.at(-1)?.result?.success).to.equal(false);
  });

  it('resumes where the learner stopped after a restart with the same DATA_DIR', async () => {
    const dir = tempDir();
    const file = join(dir, 'state.sqlite');
    const first = new Chat(makeBot(new SqliteStorage(file), new MemoryLrs()), 'webchat');
    await first.say({ academy: 'role', role: 'nhs' });
    await first.say({ academy: 'start', lesson: LESSON });
    const second = await first.say('next');
    const cards = cardsFor(lesson(), 'nhs');
    expect(visibleText(second)).to.contain(cards[1].title);

    // A new process: new storage object on the same file, new bot.
    const lrs = new MemoryLrs();
    const again = new Chat(makeBot(new SqliteStorage(file), lrs), 'webchat');
    const next = await again.say('next');
    expect(visibleText(next)).to.contain(cards[2].title).and.contain(`card 3 of ${cards.length}`);

    // Leaving for the menu keeps the place; the menu offers to carry on.
    const menu = await again.say('menu');
    expect(visibleText(menu)).to.contain(`Carry on: ${lesson().title}`);
    const resumed = await again.say({ academy: 'start', lesson: LESSON });
    expect(visibleText(resumed)).to.contain('Carrying on where you stopped').and.contain(cards[2].title);
    expect(lrs.statements.filter((s) => s.verb.id === VERBS.attempted.id)).to.have.length(0);
  });

  it('gives unknown input a short helpful reply, never an exception', async () => {
    const chat = new Chat(makeBot(new MemoryStorage(), new MemoryLrs()), 'webchat');
    await chat.say({ academy: 'role', role: 'nhs' });
    for (const odd of ['qwertyuiop', '🙂', { academy: 'nonsense' }, { academy: 'start', lesson: 'no-such-lesson' }, { academy: 'answer', option: 7 }]) {
      const replies = await chat.say(odd);
      expect(replies.length).to.be.greaterThan(0);
      expect(visibleText(replies)).not.to.contain('something went wrong');
    }
    const inLesson = await chat.say({ academy: 'start', lesson: LESSON });
    expect(inLesson.length).to.equal(1);
    expect(visibleText(await chat.say('what?'))).to.contain('Type "next" to carry on where you were');
    expect(visibleText(await chat.say({ academy: 'answer', option: 9 }))).to.contain('Use Next to carry on');
  });

  it('shows text with suggested actions on a channel without cards, and understands typed answers', async () => {
    const lrs = new MemoryLrs();
    const chat = new Chat(makeBot(new MemoryStorage(), lrs), 'sms');
    await chat.say('nhs staff');
    let replies = await chat.say(lesson().title);
    expect(replies[0].attachments ?? []).to.have.length(0);
    expect(replies[0].suggestedActions?.actions.map((a) => a.title)).to.include('Next');
    for (let i = 0; i < cardsFor(lesson(), 'nhs').length; i++) replies = await chat.say('Next');
    expect(replies[0].text).to.contain('1. ');
    const right = lesson().checks[0].options.findIndex((o) => o.correct);
    replies = await chat.say(String(right + 1));
    expect(replies[0].text).to.contain('Correct.');
    expect(lrs.statements.at(-1)?.result?.success).to.equal(true);
  });
});

describe('glossary in chat', () => {
  it('explains a word when a learner types "what is X", by term or alias', async () => {
    const chat = new Chat(makeBot(new MemoryStorage(), new MemoryLrs()), 'webchat');
    await chat.say({ academy: 'role', role: 'nhs' });
    expect(visibleText(await chat.say('what is phishing?'))).to.match(/Phishing/i);
    expect(visibleText(await chat.say("what's 2fa"))).to.match(/two-step|verification/i);
    expect(visibleText(await chat.say('what does encryption mean'))).to.match(/Encryption/i);
  });
});

describe('buttons on older cards', () => {
  it('does not let a Next pressed twice on the same card skip a card', async () => {
    const lrs = new MemoryLrs();
    const chat = new Chat(makeBot(new MemoryStorage(), lrs), 'webchat');
    await chat.say({ academy: 'role', role: 'nhs' });
    const first = await chat.say({ academy: 'start', lesson: LESSON });
    const next = buttons(first).find((b) => b.title === 'Next')!;
    const cards = cardsFor(shippedCatalog().lesson(LESSON)!, 'nhs');
    expect(visibleText(await chat.say(next.data))).to.contain(cards[1].title);
    const again = visibleText(await chat.say(next.data));
    expect(again).to.contain('That button is on an earlier card').and.contain(cards[1].title).and.not.contain(cards[2].title);
  });
});
