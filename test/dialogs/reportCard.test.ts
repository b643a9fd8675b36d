import { expect } from 'chai';
import { MemoryStorage } from 'botbuilder';
import { cardsFor } from '../../src/lessons/types.js';
import { randomIds, systemClock } from '../../src/ports.js';
import { curationSource } from '../../src/qa/adminSources.js';
import { QaStore } from '../../src/qa/store.js';
import { Chat, MemoryLrs, buttons, makeBot, shippedCatalog, visibleText } from '../support/bot.js';

const LESSON = 'nhs-app-prescriptions';

async function onCard(channelId: string, step: number): Promise<{ chat: Chat; store: QaStore }> {
  const store = new QaStore(':memory:', systemClock, randomIds);
  const chat = new Chat(makeBot(new MemoryStorage(), new MemoryLrs(), systemClock, { qaStore: store }), channelId);
  await chat.say({ academy: 'role', role: 'social-care' });
  await chat.say({ academy: 'start', lesson: LESSON });
  for (let i = 0; i < step; i++) await chat.say({ academy: 'next' });
  return { chat, store };
}

describe('"Something wrong with this card?"', () => {
  const lesson = () => shippedCatalog().lesson(LESSON)!;

  it('is under every lesson card and carries the lesson and the card\'s position in the file', async () => {
    const { chat } = await onCard('webchat', 0);
    const cards = cardsFor(lesson(), 'social-care');
    for (let i = 0; i < cards.length; i++) {
      const replies = i === 0 ? await chat.say({ academy: 'back' }) : await chat.say({ academy: 'next' });
      const report = buttons(replies).find((b) => b.title === 'Report a problem');
      expect(report?.data, `card ${i + 1}`).to.deep.include({ academy: 'report-card', lesson: LESSON, card: lesson().cards.indexOf(cards[i]) });
    }
  });

  it('puts one tap in the curation queue with the card id, keeps the lesson where it was, and adds the note', async () => {
    const { chat, store } = await onCard('webchat', 2);
    const card = cardsFor(lesson(), 'social-care')[2];
    const index = lesson().cards.indexOf(card);
    const replies = await chat.say({ academy: 'report-card', lesson: LESSON, card: index });
    expect(visibleText(replies)).to.contain('The content team will check the card').and.contain(card.title);
    const send = buttons(replies).find((b) => b.title === 'Send note')!;
    const [item] = store.curation('open');
    expect(item).to.include({ reason: 'card-report', card: `${LESSON}/card/${index + 1}`, topic: 'nhs-app.prescriptions', count: 1 });
    const listed = await curationSource(store).list();
    expect(listed[0].question).to.contain(`(card ${LESSON}/card/${index + 1})`);

    const thanks = await chat.say({ ...send.data, note: 'The Change button has a new name' });
    expect(visibleText(thanks)).to.contain('Your report is with the content team');
    expect(store.cardReports()[0]).to.include({ card: `${LESSON}/card/${index + 1}`, note: 'The Change button has a new name' });

    const next = await chat.say({ academy: 'next' });
    expect(visibleText(next)).to.contain(cardsFor(lesson(), 'social-care')[3].title);
  });

  it('counts reports on the same card on one queue item', async () => {
    const { chat, store } = await onCard('msteams', 0);
    await chat.say({ academy: 'report-card', lesson: LESSON, card: 0 });
    await chat.say({ academy: 'report-card', lesson: LESSON, card: 0 });
    expect(store.curation('open')).to.have.length(1);
    expect(store.curation('open')[0].count).to.equal(2);
    expect(store.cardReports()).to.have.length(2);
  });

  it('screens the note with the safety triage: an emergency gets the emergency reply and the note is not kept', async () => {
    const { chat, store } = await onCard('webchat', 0);
    const replies = await chat.say({ academy: 'report-card', lesson: LESSON, card: 0 });
    const send = buttons(replies).find((b) => b.title === 'Send note')!;
    const answer = await chat.say({ ...send.data, note: 'my dad has chest pain and cannot breathe' });
    expect(visibleText(answer)).to.match(/999/);
    expect(store.cardReports()[0].note).to.equal(null);
    expect(store.curation('open')).to.have.length(1);
  });

  it('typed in a text-only channel, reports the card on screen', async () => {
    const { chat, store } = await onCard('test', 1);
    const replies = await chat.say('something wrong with this card');
    const card = cardsFor(lesson(), 'social-care')[1];
    expect(visibleText(replies)).to.contain(card.title).and.contain('Type "next" to carry on');
    expect(store.curation('open')[0].card).to.equal(`${LESSON}/card/${lesson().cards.indexOf(card) + 1}`);
  });

  it('outside a lesson, says how to use it and files nothing', async () => {
    const store = new QaStore(':memory:', systemClock, randomIds);
    const chat = new Chat(makeBot(new MemoryStorage(), new MemoryLrs(), systemClock, { qaStore: store }), 'webchat');
    await chat.say({ academy: 'role', role: 'nhs' });
    expect(visibleText(await chat.say('something wrong with this card'))).to.contain('Open a lesson card first');
    expect(store.curation('all')).to.have.length(0);
  });
});
