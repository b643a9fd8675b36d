import { expect } from 'chai';
import { MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { Chat, MemoryLrs, buttons, makeBot, shippedCatalog, visibleText } from '../support/bot.js';

/**
 * Teams end to end, at the activity level. Microsoft 365 Agents Playground 0.2.28 is licensed for
 * evaluation only (not open source) and needs its own server, WebSocket and page in Chromium, so it
 * is not part of `npm test` (see docs/teams.md). Instead the bot gets activities shaped exactly as
 * Teams (and the Playground) send them: installationUpdate and conversationUpdate together on
 * install, and for a card button (`Action.Submit`) a message whose `value` is the button's data and
 * whose `text` is empty. Every button's data must be plain (no `msteams` messageBack wrapper).
 */

const TENANT = { id: '6e3c1b0a-0000-4000-8000-00000000a11c' };
const USER = { id: '29:1teams-learner', name: 'Alex Teams', aadObjectId: '3f2b1c0d-4444-4c4c-9d9d-0123456789ab' };

function teamsChat() {
  const lrs = new MemoryLrs();
  const bot = makeBot(new MemoryStorage(), lrs);
  const chat = new Chat(bot, 'msteams', { ...USER });
  return { chat, lrs };
}

/** What Teams posts when a learner presses an Action.Submit button. */
function submit(data: Record<string, unknown>): Partial<Activity> {
  return { type: 'message', text: '', value: data, channelData: { tenant: TENANT, source: { name: 'message' } }, from: { ...USER, role: 'user' } };
}

async function send(adapter: TestAdapter, activity: Partial<Activity>): Promise<Partial<Activity>[]> {
  await adapter.receiveActivity(activity);
  return adapter.activeQueue.splice(0);
}

/** Presses the button with this title on the newest card, as Teams would. */
async function click(adapter: TestAdapter, replies: Partial<Activity>[], title: string | ((t: string) => boolean)): Promise<Partial<Activity>[]> {
  const all = buttons(replies);
  const match = all.find((b) => (typeof title === 'string' ? b.title === title : title(b.title)));
  if (!match) throw new Error(`No button ${String(title)} among ${all.map((b) => b.title).join(', ')}`);
  return send(adapter, submit(match.data));
}

describe('Teams end to end (activity level, Teams-shaped Action.Submit)', () => {
  it('installs, welcomes once, starts a lesson, answers its check and finishes, all by clicking', async () => {
    const { chat, lrs } = teamsChat();
    const install: Partial<Activity> = { type: 'installationUpdate', action: 'add', channelData: { tenant: TENANT, source: { name: 'message' } } };
    const added: Partial<Activity> = { type: 'conversationUpdate', membersAdded: [{ id: 'academy-bot', name: 'Academy' }, { id: USER.id, name: USER.name }] };
    // Both install events at once, as Teams sends them.
    await Promise.all([chat.adapter.receiveActivity(install), chat.adapter.receiveActivity(added)]);
    let replies = chat.adapter.activeQueue.splice(0);
    expect(replies.filter((r) => visibleText([r]).includes('Which best describes you?'))).to.have.length(1);

    // Every button is plain Action.Submit data, and the data survives being frozen (as the Playground freezes it).
    for (const b of buttons(replies)) {
      expect(b.data).to.not.have.property('msteams');
      expect(() => Object.freeze(structuredClone(b.data))).to.not.throw();
    }

    replies = await click(chat.adapter, replies, 'NHS staff');
    replies = await click(chat.adapter, replies, 'Go to the menu');
    replies = await click(chat.adapter, replies, 'The NHS App');
    const lesson = shippedCatalog().course('nhs-app')!.lessons[0];
    replies = await click(chat.adapter, replies, lesson.title);
    expect(visibleText(replies)).to.contain('card 1 of');

    for (let guard = 0; guard < 40 && !/Well done|Lesson finished/.test(visibleText(replies)); guard++) {
      const check = lesson.checks.find((q) => visibleText(replies).includes(q.question) && buttons(replies).some((b) => b.data.academy === 'answer'));
      if (check) replies = await click(chat.adapter, replies, check.options.find((o) => o.correct)!.text);
      else replies = await click(chat.adapter, replies, 'Next');
    }
    expect(visibleText(replies)).to.contain('Well done').and.contain(`You got ${lesson.checks.length} of ${lesson.checks.length}`);
    const actor = lrs.statements.at(-1)!.actor as { account: { name: string } };
    expect(actor.account.name).to.equal(USER.aadObjectId);
  });

  it('typed button labels do what the buttons do: "go to the menu", "next", "back", "stop", an answer text', async () => {
    const { chat } = teamsChat();
    await chat.say({ academy: 'role', role: 'nhs' });
    expect(buttons(await chat.say('Go to the menu')).map((b) => b.title)).to.include('The NHS App');
    const lesson = shippedCatalog().course('nhs-app')!.lessons[0];
    await chat.say({ academy: 'start', lesson: lesson.id });
    expect(visibleText(await chat.say('next'))).to.contain('card 2 of');
    expect(visibleText(await chat.say('back'))).to.contain('card 1 of');
    expect(visibleText(await chat.say('Stop'))).to.contain('Stopped');
    // Go to the first check question and type one of its answers.
    let replies = await chat.say({ academy: 'start', lesson: lesson.id });
    for (let guard = 0; guard < 20 && !buttons(replies).some((b) => b.data.academy === 'answer'); guard++) replies = await chat.say('next');
    const q = lesson.checks[0];
    const wrong = q.options.find((o) => !o.correct)!;
    const feedback = visibleText(await chat.say(wrong.text));
    expect(feedback).to.contain('Not quite').and.contain(wrong.feedback);
  });
});
