import { expect } from 'chai';
import { MemoryStorage, type Activity } from 'botbuilder';
import { systemClock, randomIds } from '../../src/ports.js';
import { QaStore } from '../../src/qa/store.js';
import { NOT_EMERGENCY } from '../../dialogs/input.js';
import type { GenerativePort } from '../../dialogs/qaHandler.js';
import { Chat, MemoryLrs, buttons, makeBot, shippedQa, visibleText } from '../support/bot.js';
import { unsureQuestion } from '../qa/helpers.js';

const CLINICAL_999 = 'If someone is seriously ill or injured now, call 999.';

function setup(channel: string) {
  const lrs = new MemoryLrs();
  const storage = new MemoryStorage();
  const qaStore = new QaStore(':memory:', systemClock, randomIds);
  // a language model port that only notes what it was asked
  const sentToModel: string[] = [];
  const generative: GenerativePort = {
    rewrite: async (question) => {
      sentToModel.push(question);
      return undefined;
    },
  };
  const bot = makeBot(storage, lrs, systemClock, { qaStore, generative });
  return { lrs, storage, qaStore, sentToModel, chat: new Chat(bot, channel) };
}

function emergencyCardShown(replies: Partial<Activity>[]): void {
  const text = visibleText(replies);
  expect(text).to.contain('999').and.contain('option 2').and.contain('116 123').and.contain('police');
}

describe('possible emergency in chat', function () {
  this.timeout(60_000);
  const question = unsureQuestion(shippedQa());

  it('on msteams: the emergency card first, then the answer on "This is not an emergency – show me the answer"', async () => {
    const { chat, storage, qaStore, lrs, sentToModel } = setup('msteams');
    await chat.say({ academy: 'role', role: 'nhs' });
    const card = await chat.say(question);
    expect(card).to.have.length(1);
    expect(card[0]?.attachments?.[0]?.contentType).to.equal('application/vnd.microsoft.card.adaptive');
    emergencyCardShown(card);
    const [button] = buttons(card);
    expect(button?.title).to.equal(NOT_EMERGENCY);
    // the question is held in conversation state, not in the button
    expect(JSON.stringify(button?.data)).not.to.contain(question.split(' ').slice(0, 4).join(' '));
    const stateKey = 'msteams/conversations/conv-msteams-dl_testlearner0001/';
    expect(JSON.stringify(await storage.read([stateKey]))).to.contain(question);

    const answer = await chat.say({ academy: 'not-emergency', msteams: { type: 'messageBack', displayText: NOT_EMERGENCY } });
    const expected = shippedQa().ask(question, { skipNet: true });
    expect(visibleText(answer)).not.to.contain('116 123');
    if (expected.triage === 'answer') expect(visibleText(answer)).to.contain('Was this helpful?');
    // the question is gone from state, and was never recorded anywhere
    expect(visibleText(await chat.say({ academy: 'not-emergency' }))).to.contain('type your question again');
    expect(qaStore.curation().map((c) => c.question)).not.to.include(question);
    expect(JSON.stringify(lrs.statements)).not.to.contain(question);
    expect(sentToModel).not.to.include(question);
    expect(visibleText(await chat.say({ academy: 'ask-champion' }))).to.contain('Type your question first');
  });

  it('on a channel without cards: the same in plain text, and the button works when typed', async () => {
    const { chat } = setup('sms');
    await chat.say('social care');
    const card = await chat.say(question);
    expect(card[0]?.attachments ?? []).to.have.length(0);
    emergencyCardShown(card);
    expect(card[0]?.suggestedActions?.actions.map((a) => a.title)).to.deep.equal([NOT_EMERGENCY]);
    const answer = await chat.say(NOT_EMERGENCY);
    expect(visibleText(answer)).not.to.contain('116 123');
  });

  it('in a lesson: the card, then the answer, and the lesson is still there', async () => {
    const { chat } = setup('webchat');
    await chat.say({ academy: 'role', role: 'nhs' });
    await chat.say({ academy: 'start', lesson: 'nhs-app-register' });
    emergencyCardShown(await chat.say(question));
    const answer = await chat.say({ academy: 'not-emergency' });
    expect(visibleText(answer)).to.contain('Type "next" to carry on');
    expect(visibleText(await chat.say('next'))).to.contain('card 2 of');
  });

  it('ends the clinical reply with the 999 line, with cards and without', async () => {
    for (const channel of ['webchat', 'sms']) {
      const { chat } = setup(channel);
      await chat.say('nhs staff');
      const [reply] = await chat.say('how many co-codamol can i take in a day');
      expect(visibleText(reply ? [reply] : []), channel).to.contain("I can't give medical advice");
      const body = (reply?.attachments?.[0]?.content as { body?: { text: string }[] } | undefined)?.body;
      const last = body ? body.at(-1)?.text : reply?.text?.split('\n').at(-1);
      expect(last, channel).to.equal(CLINICAL_999);
    }
  });
});
