import { expect } from 'chai';
import { join } from 'node:path';
import type { Statement } from '@xapi/xapi';
import { createEmbeddedLrs, type EmbeddedLrs } from '../../src/lrs/index.js';
import { EmbeddedLearnerRecords, type LearnerRecords } from '../../src/privacy/learnerRecords.js';
import { randomIds, systemClock } from '../../src/ports.js';
import { SqliteStorage } from '../../src/storage/sqliteStorage.js';
import Database from 'better-sqlite3';
import { XapiIds } from '../../src/xapi/profile.js';
import type { LrsPort } from '../../src/xapi/recorder.js';
import { Chat, TEST_ID_BASE, makeBot, tempDir, visibleText } from '../support/bot.js';

/** The bot's LRS port and LearnerRecords, both on a real embedded LRS. */
function embedded(lrs: EmbeddedLrs): LrsPort & LearnerRecords {
  const records = new EmbeddedLearnerRecords(lrs.store, new XapiIds(TEST_ID_BASE).accountHomePage, lrs.authority, systemClock, randomIds);
  return {
    send: async (statements: readonly Statement[]) => {
      lrs.store.insert([...statements], lrs.authority);
    },
    summary: (id) => records.summary(id),
    erase: (id) => records.erase(id),
  };
}

/** The learner's own statements in query results (xAPI also returns the voiding statements that target them). */
function statementsOf(lrs: EmbeddedLrs, name: string) {
  return lrs.store
    .query({ agent: { objectType: 'Agent', account: { homePage: TEST_ID_BASE, name } }, limit: 0 })
    .statements.filter((s) => s.verb.id !== 'http://adlnet.gov/expapi/verbs/voided');
}

async function takeLesson(chat: Chat): Promise<void> {
  await chat.say({ academy: 'role', role: 'nhs' });
  await chat.say({ academy: 'start', lesson: 'safety-passwords' });
  await chat.say('next');
  await chat.say('next');
}

describe('privacy in chat', () => {
  it('"what do you keep about me" says what is kept, under a random id, and who can see it', async () => {
    const lrs = createEmbeddedLrs({ file: ':memory:', credentials: { key: 'k', secret: 's'.repeat(20) }, clock: systemClock });
    const chat = new Chat(makeBot(new SqliteStorage(join(tempDir(), 'state.sqlite')), embedded(lrs)), 'webchat', { id: 'dl_learnerprivacy01', name: 'Pat', aadObjectId: undefined });
    await takeLesson(chat);
    const text = visibleText(await chat.say('What do you keep about me?'));
    expect(text).to.contain('dl_learnerprivacy01').and.contain('your role (NHS staff)').and.match(/Your learning record: \d+ learning steps/);
    expect(text).to.contain('Academy admins can see it').and.contain('/privacy');
    expect(text).not.to.contain('Pat');
  });

  it('"delete my data" voids every statement of the learner and erases their state, after a confirmation', async () => {
    const lrs = createEmbeddedLrs({ file: ':memory:', credentials: { key: 'k', secret: 's'.repeat(20) }, clock: systemClock });
    const file = join(tempDir(), 'state.sqlite');
    const storage = new SqliteStorage(file);
    const port = embedded(lrs);
    const chat = new Chat(makeBot(storage, port), 'webchat', { id: 'dl_learnererase0001', name: 'Pat', aadObjectId: undefined });
    const other = new Chat(makeBot(storage, port), 'webchat', { id: 'dl_someoneelse00001', name: 'Sam', aadObjectId: undefined });
    await takeLesson(chat);
    await takeLesson(other);
    const before = statementsOf(lrs, 'dl_learnererase0001').length;
    expect(before).to.be.greaterThan(2);

    expect(visibleText(await chat.say('delete my data'))).to.contain('You cannot undo it');
    // Nothing happens without the confirmation.
    expect(statementsOf(lrs, 'dl_learnererase0001')).to.have.length(before);
    const done = await chat.say({ academy: 'erase-confirm' });
    expect(visibleText(done)).to.contain(`your ${before} learning steps are removed`);

    expect(statementsOf(lrs, 'dl_learnererase0001')).to.deep.equal([]);
    expect(statementsOf(lrs, 'dl_someoneelse00001').length).to.be.greaterThan(2);
    const db = new Database(file, { readonly: true });
    const kept = (db.prepare('SELECT key FROM bot_state').all() as { key: string }[]).map((r) => r.key);
    db.close();
    expect(kept.filter((k) => k.includes('dl_learnererase0001'))).to.deep.equal([]);
    expect(kept.some((k) => k.includes('dl_someoneelse00001'))).to.equal(true);

    // Coming back: a fresh start.
    expect(visibleText(await chat.say('hello'))).to.contain('Which best describes you?');
  });

  it('does not erase on a stray confirmation without the question first', async () => {
    const lrs = createEmbeddedLrs({ file: ':memory:', credentials: { key: 'k', secret: 's'.repeat(20) }, clock: systemClock });
    const chat = new Chat(makeBot(new SqliteStorage(join(tempDir(), 'state.sqlite')), embedded(lrs)), 'webchat', { id: 'dl_learnerstray0001', name: 'x', aadObjectId: undefined });
    await takeLesson(chat);
    const n = statementsOf(lrs, 'dl_learnerstray0001').length;
    expect(visibleText(await chat.say({ academy: 'erase-confirm' }))).to.contain('Are you sure?');
    expect(statementsOf(lrs, 'dl_learnerstray0001')).to.have.length(n);
  });
});
