import { expect } from 'chai';
import { MemoryStorage, type Activity, type ConversationReference } from 'botbuilder';
import { randomIds, systemClock } from '../../src/ports.js';
import { QaStore } from '../../src/qa/store.js';
import { VERBS } from '../../src/xapi/profile.js';
import type { ProactivePort } from '../../dialogs/qaHandler.js';
import { Chat, MemoryLrs, buttons, makeBot, rosterOf, visibleText } from '../support/bot.js';

/** Proactive messages, kept per conversation: what Teams would show in each chat. */
class Deliveries implements ProactivePort {
  readonly sent: { conversation: string; activity: Partial<Activity> }[] = [];
  async send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<void> {
    this.sent.push({ conversation: String(reference.conversation?.id), activity });
  }
  to(conversation: string): Partial<Activity>[] {
    return this.sent.filter((d) => d.conversation === conversation).map((d) => d.activity);
  }
}

function setup() {
  const lrs = new MemoryLrs();
  const qaStore = new QaStore(':memory:', systemClock, randomIds);
  const deliveries = new Deliveries();
  const bot = makeBot(new MemoryStorage(), lrs, systemClock, { qaStore, proactive: deliveries, champions: { conversationId: 'champions-channel' }, roster: rosterOf({ '29:champion': 'Chris' }) });
  return { lrs, qaStore, deliveries, bot };
}

describe("champions' questions in chat", () => {
  it('answers with the source, the review date and "Was this helpful?", and records the rating', async () => {
    const { lrs, bot } = setup();
    const chat = new Chat(bot, 'webchat');
    await chat.say({ academy: 'role', role: 'champion' });
    const replies = await chat.say('how do i order a repeat prescription on the nhs app');
    const text = visibleText(replies);
    expect(text).to.contain('From "').and.contain('reviewed').and.contain('https://');
    expect(buttons(replies).map((b) => b.title)).to.include.members(['Yes, helpful', 'No']);
    const topic = String(buttons(replies)[0].data.topic);
    expect(topic).to.equal('nhs-app.prescriptions');
    await chat.say({ academy: 'rate-answer', topic, helpful: true });
    const rated = lrs.statements.at(-1)!;
    expect(rated.verb.id).to.equal(VERBS.rated.id);
    expect(rated.result?.response).to.equal('helpful');
  });

  it('sends a low-rated answer and an unknown question to the curation queue, counting repeats', async () => {
    const { qaStore, bot } = setup();
    const chat = new Chat(bot, 'webchat');
    await chat.say({ academy: 'role', role: 'nhs' });
    await chat.say('how do i order a repeat prescription on the nhs app');
    await chat.say({ academy: 'rate-answer', topic: 'nhs-app.prescriptions', helpful: false });
    expect(qaStore.curation().map((c) => [c.reason, c.topic])).to.deep.include(['low-rating', 'nhs-app.prescriptions']);
    const unknown = 'how do i calibrate the ward hoist app';
    const first = await chat.say(unknown);
    await chat.say(unknown.toUpperCase() + '?');
    const text = visibleText(first);
    expect(text).to.match(/I don't know that yet|Did you mean/);
    const item = qaStore.curation().find((c) => c.question.toLowerCase().startsWith('how do i calibrate the ward hoist'));
    expect(item?.count).to.equal(2);
  });

  it('an emergency in the middle of a lesson gets 999, 111 option 2 and Samaritans, and nothing else', async () => {
    const { bot } = setup();
    const chat = new Chat(bot, 'webchat');
    await chat.say({ academy: 'role', role: 'nhs' });
    await chat.say({ academy: 'start', lesson: 'nhs-app-register' });
    const replies = await chat.say('my resident has collapsed and is not breathing');
    expect(replies).to.have.length(1);
    expect(replies[0].text).to.contain('999');
    expect(replies[0].attachments ?? []).to.have.length(0);
    // The lesson is still there.
    expect(visibleText(await chat.say('next'))).to.contain('card 2 of');
  });

  it('never answers a clinical question: points to 111 online, the NHS website or a pharmacist, and offers a digital lesson', async () => {
    const { bot } = setup();
    const chat = new Chat(bot, 'webchat');
    await chat.say({ academy: 'role', role: 'social-care' });
    const text = visibleText(await chat.say('how many paracetamol can i take in a day with ibuprofen'));
    expect(text).to.contain("I can't give medical advice").and.contain('111').and.contain('pharmacist');
  });

  it('routes a question to the champions conversation and the champion\'s reply back to the learner, recorded at both ends', async () => {
    const { lrs, qaStore, deliveries, bot } = setup();
    // The bot is added to the champions' channel named in config: it remembers where to post questions.
    const champions = new Chat(
      bot,
      'msteams',
      { id: '29:champion', name: 'Chris', aadObjectId: '0b9d3d5e-2222-4c4c-9d9d-abcdefabcdef' },
      { id: 'champions-channel', isGroup: true, conversationType: 'channel', name: 'Champions' },
    );
    await champions.adapter.receiveActivity({ type: 'conversationUpdate', membersAdded: [{ id: 'academy-bot', name: 'Academy' }] });
    expect(visibleText(champions.adapter.activeQueue.splice(0))).to.contain('digital champions');
    expect(qaStore.championsReference('champions-channel')?.conversation?.id).to.equal('champions-channel');

    const learner = new Chat(bot, 'msteams', { id: '29:learner', name: 'Lee', aadObjectId: '7c1f7b1e-3333-4c4c-9d9d-123456789abc' });
    await learner.say({ academy: 'role', role: 'nhs' });
    await learner.say('how do i calibrate the ward hoist app');
    const consent = await learner.say({ academy: 'ask-champion' });
    expect(visibleText(consent)).to.contain('not your name');
    const sent = await learner.say({ academy: 'ask-champion-confirm' });
    expect(visibleText(sent)).to.contain("I've sent your question");

    const [request] = deliveries.to('champions-channel');
    expect(visibleText([request])).to.contain('ward hoist app').and.not.contain('Lee');
    const requestId = String(buttons([request])[0].data.request);

    const thanks = await champions.say({ academy: 'champion-reply', request: requestId, reply: 'Ask your ward clerk for the hoist app PIN, then tap Sign in.' });
    expect(visibleText(thanks)).to.contain('sent to the learner');
    const back = deliveries.to(`conv-msteams-29:learner`);
    expect(back).to.have.length(1);
    expect(back[0].text).to.contain('A digital champion answered').and.contain('hoist app PIN');

    const asked = lrs.statements.find((s) => s.verb.id === VERBS.asked.id)!;
    const responded = lrs.statements.find((s) => s.verb.id === VERBS.responded.id)!;
    expect((asked.actor as { account: { name: string } }).account.name).to.equal('7c1f7b1e-3333-4c4c-9d9d-123456789abc');
    expect((responded.actor as { account: { name: string } }).account.name).to.equal('0b9d3d5e-2222-4c4c-9d9d-abcdefabcdef');
    expect('id' in asked.object && asked.object.id).to.equal('id' in responded.object && responded.object.id);
    expect(qaStore.helpRequests('open')).to.have.length(0);
    // A second reply to the same question is refused politely.
    expect(visibleText(await champions.say({ academy: 'champion-reply', request: requestId, reply: 'again' }))).to.contain('already answered');
  });
});
