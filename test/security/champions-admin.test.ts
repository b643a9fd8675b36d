/**
 * Finding 1 (issue 13): the champions' conversation is named in config or picked by a signed-in
 * admin on /admin/champions (a CSRF-protected, audited form), never by a chat itself.
 */
import { join } from 'node:path';
import { expect } from 'chai';
import { randomIds, systemClock } from '../../src/ports.js';
import { championSource } from '../../src/qa/adminSources.js';
import { ChampionsDirectory } from '../../src/qa/champions.js';
import { QaStore } from '../../src/qa/store.js';
import { Browserless, startAdmin, type AdminHarness } from '../admin/harness.js';
import { tempDir } from '../support/bot.js';

const PASSWORD = 'champions-admin-password-1';
const CHAT = '19:picked@thread.v2';

describe("security: an admin picks the champions' conversation (finding 1)", () => {
  let h: AdminHarness;
  let store: QaStore;
  let directory: ChampionsDirectory;
  let b: Browserless;

  before(async () => {
    store = new QaStore(join(tempDir('academy-sec-admin-'), 'qa.sqlite'), systemClock, randomIds);
    directory = new ChampionsDirectory(store, { teamId: '', conversationId: '' });
    store.noteChampionCandidate({ conversationId: CHAT, kind: 'groupChat', ref: { conversation: { id: CHAT, name: '', isGroup: true, conversationType: 'groupChat' }, serviceUrl: 'https://smba.trafficmanager.net/emea/' } });
    h = await startAdmin({ ADMIN_PASSWORD: PASSWORD }, { champions: championSource(store, directory) });
    b = new Browserless(h.url);
    expect((await b.signIn(PASSWORD)).status).to.equal(303);
  });

  after(async () => {
    await h.close();
    store.close();
  });

  it('refuses the form without the session CSRF token, and an id the bot has not seen', async () => {
    expect((await b.post('/admin/champions/conversation', { conversation: CHAT })).status).to.equal(403);
    const csrf = await b.csrf('/admin/champions');
    expect((await b.post('/admin/champions/conversation', { _csrf: csrf, conversation: '19:unknown@thread.v2' })).status).to.equal(404);
    expect(directory.view().source).to.equal('none');
  });

  it('lists the Teams chats the bot is in, sets the picked one and audits it', async () => {
    const csrf = await b.csrf('/admin/champions');
    const page = await (await b.fetch('/admin/champions')).text();
    expect(page).to.contain(CHAT).and.contain("Make this the champions' conversation");
    const res = await b.post('/admin/champions/conversation', { _csrf: csrf, conversation: CHAT });
    expect(res.status).to.equal(303);
    expect(directory.view()).to.deep.equal({ source: 'admin', place: { kind: 'conversation', id: CHAT } });
    expect(directory.reference()?.serviceUrl).to.equal('https://smba.trafficmanager.net/emea/');
    expect(h.admin.audit.list(50).some((e) => e.action === 'champions' && e.what.includes(CHAT))).to.equal(true);
  });

  it('cannot override a conversation named in config', async () => {
    const configured = new ChampionsDirectory(store, { teamId: '', conversationId: '19:config@thread.v2' });
    expect(() => configured.pick(CHAT)).to.throw(/set in config/);
    expect(configured.view()).to.deep.equal({ source: 'config', place: { kind: 'conversation', id: '19:config@thread.v2' } });
  });
});

describe("security: which activities are from the champions' place", () => {
  const store = new QaStore(':memory:', systemClock, randomIds);
  const activity = (channelId: string, conversation: string, team?: string) => ({ channelId, conversation: { id: conversation, isGroup: true, conversationType: 'channel', name: '' }, ...(team ? { channelData: { team: { id: team } } } : {}) });

  it('a team: any channel of that team on msteams, and nothing else', () => {
    const d = new ChampionsDirectory(store, { teamId: '19:team@thread.tacv2', conversationId: '' });
    expect(d.isChampionsActivity(activity('msteams', '19:general@thread.tacv2;messageid=42', '19:team@thread.tacv2'))).to.equal(true);
    expect(d.isChampionsActivity(activity('msteams', '19:team@thread.tacv2', '19:other@thread.tacv2'))).to.equal(false);
    expect(d.isChampionsActivity(activity('webchat', 'x', '19:team@thread.tacv2'))).to.equal(false);
  });

  it('a conversation: that conversation (any thread of it) on msteams; nothing when none is set', () => {
    const d = new ChampionsDirectory(store, { teamId: '', conversationId: '19:chat@thread.v2' });
    expect(d.isChampionsActivity(activity('msteams', '19:chat@thread.v2;messageid=7'))).to.equal(true);
    expect(d.isChampionsActivity(activity('msteams', '19:chat@thread.v2x'))).to.equal(false);
    expect(d.isChampionsActivity(activity('directline', '19:chat@thread.v2'))).to.equal(false);
    expect(new ChampionsDirectory(store, { teamId: '', conversationId: '' }).isChampionsActivity(activity('msteams', '19:chat@thread.v2'))).to.equal(false);
  });
});
