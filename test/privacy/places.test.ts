import { expect } from 'chai';
import { MemoryStorage } from 'botbuilder';
import { renderPrivacyPage } from '../../src/admin/privacy.js';
import { KEPT_PLACES } from '../../src/privacy/places.js';
import { Chat, MemoryLrs, makeBot, visibleText } from '../support/bot.js';

/** Issue 20, item 8: every place a learner's words or id are kept, and who can see each, in chat and on /privacy. */
const PLACES = [/bot state/i, /learning record/i, /curation queue/i, /help requests/i, /outbox/i, /audit log/i];

describe('privacy: every place a learner\'s words or id are kept', () => {
  it('the shared list names bot state, the learning record, the curation queue, help requests, the outbox and the audit log, each with who sees it', () => {
    for (const place of PLACES) expect(KEPT_PLACES.some((p) => place.test(p.what)), String(place)).to.equal(true);
    for (const p of KEPT_PLACES) expect(p.who.length).to.be.greaterThan(10);
  });

  it('"what do you keep about me" lists each place and who can see it', async () => {
    const chat = new Chat(makeBot(new MemoryStorage(), new MemoryLrs()), 'webchat');
    await chat.say({ academy: 'role', role: 'nhs' });
    const text = visibleText(await chat.say('what do you keep about me'));
    for (const place of PLACES) expect(text).to.match(place);
    expect(text).to.contain('Who sees it:').and.contain('digital champions see your question, never your name');
  });

  it('/privacy lists each place and who can see it', () => {
    const html = renderPrivacyPage('/x.css', 5);
    for (const place of PLACES) expect(html).to.match(place);
    expect(html).to.contain('Who can see it').and.contain('The team that writes the answers');
  });
});
