import { expect } from 'chai';
import { MemoryStorage, type Activity } from 'botbuilder';
import { GROUP_REPLY } from '../../dialogs/academyBot.js';
import { Chat, MemoryLrs, makeBot, shippedCatalog, visibleText } from '../support/bot.js';

const USER = { id: '29:1group-installer', name: 'Priya Installer', aadObjectId: '5d1c2b3a-5555-4c4c-9d9d-0123456789ab' };
const QUESTION = 'how do i calibrate the ward hoist app';

/** A learner part way through a lesson, with a question asked, in their personal chat. */
async function learnerWithProgress(storage: MemoryStorage) {
  const bot = makeBot(storage, new MemoryLrs());
  const personal = new Chat(bot, 'msteams', { ...USER });
  await personal.say({ academy: 'role', role: 'nhs' });
  const lesson = shippedCatalog().course('nhs-app')!.lessons[0];
  await personal.say({ academy: 'start', lesson: lesson.id });
  await personal.say('next');
  await personal.say(QUESTION);
  return { bot, lesson };
}

for (const conversationType of ['groupChat', 'channel']) {
  describe(`the bot in a Teams ${conversationType}`, () => {
    const conversation = { id: `19:${conversationType}@thread.v2`, isGroup: true, conversationType, name: 'Ward 7' };

    it('greets once with "message me privately", even when two install events race, and posts nothing personal', async () => {
      const { bot, lesson } = await learnerWithProgress(new MemoryStorage());
      const group = new Chat(bot, 'msteams', { ...USER }, conversation);
      const install: Partial<Activity> = { type: 'installationUpdate', action: 'add' };
      const added: Partial<Activity> = { type: 'conversationUpdate', membersAdded: [{ id: 'academy-bot', name: 'Academy' }] };
      await Promise.all([group.adapter.receiveActivity(install), group.adapter.receiveActivity(added), group.adapter.receiveActivity({ ...install })]);
      const replies = group.adapter.activeQueue.splice(0);
      const text = visibleText(replies);
      expect(text.split(GROUP_REPLY)).to.have.length(2, 'one greeting');
      for (const personal of [USER.name, 'Priya', 'Welcome back', 'part way', lesson.title, 'step', 'progress', QUESTION]) expect(text).to.not.contain(personal);
    });

    it('answers "menu", "progress", "what do you keep about me" and a question with only "message me privately"', async () => {
      const { bot, lesson } = await learnerWithProgress(new MemoryStorage());
      const group = new Chat(bot, 'msteams', { ...USER }, conversation);
      for (const said of ['menu', 'my progress', 'what do you keep about me', '<at>Academy</at> hello', QUESTION, { academy: 'start', lesson: lesson.id }]) {
        const replies = await group.say(said);
        expect(replies).to.have.length(1);
        expect(replies[0].text).to.equal(GROUP_REPLY);
        expect(replies[0].attachments ?? []).to.have.length(0);
      }
    });

    it('still answers an emergency with 999', async () => {
      const { bot } = await learnerWithProgress(new MemoryStorage());
      const group = new Chat(bot, 'msteams', { ...USER }, conversation);
      const replies = await group.say('someone has collapsed and is not breathing');
      expect(replies[0].text).to.contain('999');
    });
  });
}
