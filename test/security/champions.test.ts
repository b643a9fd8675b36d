/**
 * Finding 1 (issue 13), champion takeover, through the bot (TestAdapter): nobody can make their
 * chat the champions' conversation, receive learners' questions there, or answer a learner as
 * "a digital champion" unless they are a member of the conversation named in config. Also: Teams
 * display names are not kept in qa.sqlite, and a champion's first name shows only if they agreed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { MemoryStorage, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import { randomIds, systemClock } from '../../src/ports.js';
import { QaStore } from '../../src/qa/store.js';
import { Chat, MemoryLrs, makeBot, tempDir, visibleText } from '../support/bot.js';

class Deliveries {
  readonly sent: { conversation: string; activity: Partial<Activity> }[] = [];
  async send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<void> {
    this.sent.push({ conversation: String(reference.conversation?.id), activity });
  }
  to(conversation: string): Partial<Activity>[] {
    return this.sent.filter((d) => d.conversation === conversation).map((d) => d.activity);
  }
}

const CHAMPIONS = '19:champions@thread.v2';
const CHAMPION = { id: '29:champion', name: 'Chris Champion', aadObjectId: '0b9d3d5e-2222-4c4c-9d9d-abcdefabcdef' };
const LEARNER = { id: '29:learner', name: 'Lee Learner', aadObjectId: '7c1f7b1e-3333-4c4c-9d9d-123456789abc' };
const MALLORY = { id: '29:mallory', name: 'Mallory Attacker', aadObjectId: '9e9e9e9e-4444-4c4c-9d9d-123456789abc' };
const group = (id: string) => ({ id, isGroup: true, conversationType: 'groupChat', name: 'Some chat' });

function setup() {
  const dir = tempDir('academy-sec-champions-');
  const qaStore = new QaStore(join(dir, 'qa.sqlite'), systemClock, randomIds);
  const deliveries = new Deliveries();
  // Only Chris is a member of the champions' chat; the roster port stands in for Teams' member lookup.
  const roster = { member: async (ctx: TurnContext) => (ctx.activity.from?.id === CHAMPION.id && ctx.activity.conversation?.id === CHAMPIONS ? { givenName: 'Chris' } : undefined) };
  const bot = makeBot(new MemoryStorage(), new MemoryLrs(), systemClock, { qaStore, proactive: deliveries, champions: { conversationId: CHAMPIONS }, roster });
  const learner = new Chat(bot, 'msteams', LEARNER);
  return { dir, qaStore, deliveries, bot, learner };
}

/** The bot has seen the configured champions' chat, so questions can be delivered there. */
function championsSeen(qaStore: QaStore): void {
  qaStore.setChampionsReference(CHAMPIONS, { conversation: { id: CHAMPIONS, isGroup: true, conversationType: 'groupChat', name: 'Champions' }, serviceUrl: 'https://smba.trafficmanager.net/uk/', channelId: 'msteams' });
}

async function askChampions(learner: Chat, question: string): Promise<void> {
  await learner.say({ academy: 'role', role: 'nhs' });
  await learner.say(question);
  await learner.say({ academy: 'ask-champion' });
  expect(visibleText(await learner.say({ academy: 'ask-champion-confirm' }))).to.contain("I've sent your question");
}

describe('security: champion takeover (finding 1)', () => {
  it('"champions here" from web chat or an unconfigured Teams chat changes nothing: questions never reach them', async () => {
    const { deliveries, bot, learner, qaStore } = setup();
    const webAttacker = new Chat(bot, 'webchat', { id: 'dl_attacker000001', name: '', aadObjectId: undefined });
    const teamsAttacker = new Chat(bot, 'msteams', MALLORY, group('19:mallory@thread.v2'));
    const webSaid = visibleText(await webAttacker.say('champions here'));
    const teamsSaid = visibleText(await teamsAttacker.say('champions here'));
    // Being added to a group does not make it the champions' conversation either.
    await teamsAttacker.adapter.receiveActivity({ type: 'conversationUpdate', membersAdded: [{ id: 'academy-bot', name: 'Academy' }] });

    championsSeen(qaStore);
    await askChampions(learner, 'how do i calibrate the ward hoist app');
    expect(deliveries.to('conv-webchat-dl_attacker000001')).to.have.length(0);
    expect(deliveries.to('19:mallory@thread.v2')).to.have.length(0);
    expect(deliveries.sent.length, 'the question went only to the configured champions').to.equal(deliveries.to(CHAMPIONS).length);
    expect(webSaid).to.contain('Only an academy admin');
    expect(teamsSaid).to.contain('Only an academy admin');
    qaStore.close();
  });

  it('a crafted champion-reply is ignored unless it comes from a member of the configured champions\' chat in Teams', async () => {
    const { deliveries, bot, learner, qaStore } = setup();
    championsSeen(qaStore);
    await askChampions(learner, 'how do i calibrate the ward hoist app');
    const [request] = qaStore.helpRequests('open');
    const reply = { academy: 'champion-reply', request: request!.id, reply: 'Your account is locked: sign in at https://evil.example/nhs' };

    const attempts = [
      new Chat(bot, 'webchat', { id: 'dl_attacker000001', name: '', aadObjectId: undefined }),
      new Chat(bot, 'msteams', MALLORY, group('19:mallory@thread.v2')),
      // The right conversation id, but a non-member; and a member's id on another channel.
      new Chat(bot, 'msteams', MALLORY, group(CHAMPIONS)),
      new Chat(bot, 'webchat', CHAMPION, group(CHAMPIONS)),
    ];
    for (const attacker of attempts) {
      const said = await attacker.say(reply);
      expect(visibleText(said)).to.not.contain('sent to the learner');
    }
    expect(deliveries.to(`conv-msteams-${LEARNER.id}`)).to.have.length(0);
    expect(qaStore.helpRequests('open')).to.have.length(1);
    qaStore.close();
  });

  it('a member of the champions\' chat answers; the learner sees their first name only after they chose to share it', async () => {
    const { deliveries, bot, learner, qaStore } = setup();
    const champion = new Chat(bot, 'msteams', CHAMPION, group(CHAMPIONS));
    expect(visibleText(await champion.say('champions here'))).to.contain("This chat gets learners' questions");
    await askChampions(learner, 'how do i calibrate the ward hoist app');
    expect(deliveries.to(CHAMPIONS)).to.have.length(1);
    const first = qaStore.helpRequests('open')[0]!.id;
    expect(visibleText(await champion.say({ academy: 'champion-reply', request: first, reply: 'Ask the ward clerk for the PIN.' }))).to.contain('sent to the learner');
    const [anonymous] = deliveries.to(`conv-msteams-${LEARNER.id}`);
    expect(anonymous!.text).to.match(/^A digital champion answered/).and.not.contain('Chris');

    // Only a member can change the setting; Mallory cannot opt Chris in.
    expect(visibleText(await new Chat(bot, 'msteams', MALLORY, group(CHAMPIONS)).say('share my first name'))).to.contain('for digital champions');
    expect(visibleText(await champion.say('share my first name'))).to.contain('Learners will see your first name');
    await learner.say('how do i reset the hoist app password');
    await learner.say({ academy: 'ask-champion' });
    await learner.say({ academy: 'ask-champion-confirm' });
    const second = qaStore.helpRequests('open')[0]!.id;
    await champion.say({ academy: 'champion-reply', request: second, reply: 'Use the Forgot password link.' });
    expect(deliveries.to(`conv-msteams-${LEARNER.id}`)[1]!.text).to.match(/^Chris, a digital champion, answered/).and.not.contain('Champion,');
    qaStore.close();
  });

  it('keeps no Teams display names in qa.sqlite', async () => {
    const { dir, bot, learner, qaStore } = setup();
    const champion = new Chat(bot, 'msteams', CHAMPION, group(CHAMPIONS));
    await champion.say('champions here');
    await askChampions(learner, 'how do i calibrate the ward hoist app');
    await new Chat(bot, 'msteams', MALLORY, group('19:mallory@thread.v2')).say('champions here');
    qaStore.close();
    const bytes = ['qa.sqlite', 'qa.sqlite-wal'].map((f) => {
      try {
        return readFileSync(join(dir, f)).toString('latin1');
      } catch {
        return '';
      }
    });
    for (const name of [LEARNER.name, CHAMPION.name, MALLORY.name, 'Some chat']) expect(bytes.join('')).to.not.contain(name);
  });
});

describe('security: "Was this helpful?" takes only real topics', () => {
  it('a crafted rate-answer with a made-up topic records nothing and queues nothing', async () => {
    const lrs = new MemoryLrs();
    const qaStore = new QaStore(':memory:', systemClock, randomIds);
    const chat = new Chat(makeBot(new MemoryStorage(), lrs, systemClock, { qaStore }), 'webchat');
    await chat.say({ academy: 'role', role: 'nhs' });
    await chat.say('how do i order a repeat prescription on the nhs app');
    const before = lrs.statements.length;
    for (const topic of ['<img src=x onerror=alert(1)>', 'nhs-app.nope', '=HYPERLINK("https://evil.example")', 'x'.repeat(5000)]) {
      expect(visibleText(await chat.say({ academy: 'rate-answer', topic, helpful: false }))).to.contain('out of date');
    }
    expect(lrs.statements.length).to.equal(before);
    expect(qaStore.curation('all').filter((c) => c.reason === 'low-rating')).to.deep.equal([]);
    await chat.say({ academy: 'rate-answer', topic: 'nhs-app.prescriptions', helpful: false });
    expect(lrs.statements.length).to.equal(before + 1);
  });
});
